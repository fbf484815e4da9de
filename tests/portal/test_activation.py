"""Requirement (issue 13.3): a participant's portal account without a DigiD broker — a one-time
activation code made by the consultant, shown once, stored only as a hash, expiring, dead after
five wrong tries, revoked by a new code; activation with client number + code + birth date makes
a participant account in their municipality and logs them in. Every refused code reads the same."""

import datetime as dt

import pytest
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from maatpak.accounts.roles import Role
from maatpak.audit.models import AuditEvent
from maatpak.portal.activation import account_activate, activation_code_create, refused
from maatpak.portal.models import PortalActivation
from tests.factories import ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Paarden-en-koken-2026"
BORN = dt.date(1985, 5, 17)
NEUTRAL = str(refused().messages[0])


@pytest.fixture
def sam(municipality, team_consultant):
    return ParticipantFactory(municipality=municipality, consultant=team_consultant, reference="K-100", birth_date=BORN)


def _activate(code, *, reference="K-100", birth_date=BORN, username="sam2026", password=PASSWORD):
    return account_activate(reference=reference, code=code, birth_date=birth_date, username=username, password=password)


def _refusal(code, **kwargs):
    with pytest.raises(ValidationError) as refusal:
        _activate(code, **kwargs)
    return " ".join(refusal.value.messages)


def test_the_code_is_stored_only_as_a_hash_and_expires(sam, team_consultant):
    activation, code = activation_code_create(actor=team_consultant, participant=sam)
    assert code not in activation.code_hash and check_password(code.replace("-", ""), activation.code_hash)
    assert activation.expires_at.date() == (timezone.now() + dt.timedelta(days=14)).date()
    assert AuditEvent.objects.filter(actor=team_consultant, action="create", object_type="PortalActivation", participant_id=sam.pk).exists()
    assert not any(code in str(e.detail) + e.purpose for e in AuditEvent.objects.all())


def test_activation_makes_a_participant_account_and_uses_the_code(sam, team_consultant, municipality):
    _activation, code = activation_code_create(actor=team_consultant, participant=sam)
    user = _activate(code.lower().replace("-", " "))
    sam.refresh_from_db()
    assert sam.user == user and user.role == Role.PARTICIPANT and list(user.municipalities.all()) == [municipality]
    assert user.check_password(PASSWORD)
    assert PortalActivation.objects.get().used_at is not None
    assert AuditEvent.objects.filter(actor=user, object_type="PortalActivation", action="update").exists()
    # Used: the same code never works again, with the same neutral message.
    assert _refusal(code, username="ander") == NEUTRAL


def test_wrong_code_wrong_birth_date_or_unknown_number_read_the_same(sam, team_consultant):
    _activation, code = activation_code_create(actor=team_consultant, participant=sam)
    assert _refusal("AAAA-BBBB-CCCC") == NEUTRAL
    assert _refusal(code, birth_date=BORN + dt.timedelta(days=1)) == NEUTRAL
    assert _refusal(code, reference="K-999") == NEUTRAL
    assert sam.__class__.objects.get(pk=sam.pk).user is None


def test_an_expired_code_is_refused(sam, team_consultant):
    activation, code = activation_code_create(actor=team_consultant, participant=sam)
    PortalActivation.objects.filter(pk=activation.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert _refusal(code) == NEUTRAL


def test_five_wrong_tries_kill_the_code(sam, team_consultant):
    activation, code = activation_code_create(actor=team_consultant, participant=sam)
    for _try in range(5):
        _refusal("AAAA-BBBB-CCCC")
    activation.refresh_from_db()
    assert activation.failed_attempts == 5
    assert _refusal(code) == NEUTRAL


def test_a_new_code_revokes_the_old_one(sam, team_consultant):
    _first, old_code = activation_code_create(actor=team_consultant, participant=sam)
    _second, new_code = activation_code_create(actor=team_consultant, participant=sam)
    assert _refusal(old_code) == NEUTRAL
    assert _activate(new_code).participant == sam


def test_a_weak_password_or_taken_name_does_not_use_the_code(sam, team_consultant, me):
    _activation, code = activation_code_create(actor=team_consultant, participant=sam)
    with pytest.raises(ValidationError) as refusal:
        _activate(code, password="kort")
    assert "password" in refusal.value.message_dict
    with pytest.raises(ValidationError) as refusal:
        _activate(code, username=me.user.username)
    assert "al bezet" in " ".join(refusal.value.message_dict["username"])
    assert _activate(code).participant == sam


def test_no_code_for_someone_with_an_account_or_outside_ones_team(me, team_consultant, municipality, sam):
    with pytest.raises(ValidationError):
        activation_code_create(actor=team_consultant, participant=me)
    stranger = UserFactory(role=Role.CONSULTANT, municipalities=[municipality])
    with pytest.raises(Http404):
        activation_code_create(actor=stranger, participant=sam)
    analyst = UserFactory(role=Role.ANALYST, municipalities=[municipality])
    with pytest.raises(Http404):
        activation_code_create(actor=analyst, participant=sam)


# --- the screens ---


def test_the_consultant_makes_and_prints_the_code_once(client, sam, team_consultant):
    client.force_login(team_consultant)
    dossier = client.get(reverse("participants:dossier", args=[sam.pk])).content.decode()
    assert reverse("portal:activation_new", args=[sam.pk]) in dossier and "nog geen account" in dossier
    confirm = client.get(reverse("portal:activation_new", args=[sam.pk]))
    assert confirm.status_code == 200 and not PortalActivation.objects.exists()
    shown = client.post(reverse("portal:activation_new", args=[sam.pk]))
    content = shown.content.decode()
    assert shown.status_code == 200 and "no-store" in shown["Cache-Control"]
    # The print button works from a static script (data-print-page), not an inline onclick the
    # Content-Security-Policy would block; the print stylesheet hides everything but the letter.
    assert "K-100" in content and "/portal/activeren/" in content
    assert "data-print-page" in content and "maatpak/print-button.js" in content and "onclick" not in content
    assert 'class="no-print' in content
    assert "Er is op" in client.get(reverse("participants:dossier", args=[sam.pk])).content.decode()


def test_the_code_page_is_closed_to_others(client, sam, municipality):
    client.force_login(UserFactory(role=Role.CONSULTANT, municipalities=[municipality]))
    assert client.post(reverse("portal:activation_new", args=[sam.pk])).status_code == 404
    assert not PortalActivation.objects.exists()


def test_the_participant_activates_from_the_login_page_and_is_logged_in(client, sam, team_consultant):
    _activation, code = activation_code_create(actor=team_consultant, participant=sam)
    login_page = client.get(reverse("portal:login")).content.decode()
    assert reverse("portal:activate") in login_page and "Ik heb een activeringscode" in login_page
    data = {
        "reference": "K-100",
        "code": code,
        "birth_date": BORN.isoformat(),
        "username": "sam2026",
        "password": PASSWORD,
        "password_again": PASSWORD,
    }
    wrong = client.post(reverse("portal:activate"), {**data, "code": "AAAA-BBBB-CCCC"})
    assert wrong.status_code == 400 and "werkt niet" in wrong.content.decode()
    response = client.post(reverse("portal:activate"), data)
    assert response.status_code == 302 and response.url == reverse("portal:home")
    assert client.get(reverse("portal:home")).status_code == 200


def test_passwords_must_match_on_the_page(client, sam, team_consultant):
    _activation, code = activation_code_create(actor=team_consultant, participant=sam)
    data = {
        "reference": "K-100",
        "code": code,
        "birth_date": "1985-05-17",
        "username": "sam2026",
        "password": PASSWORD,
        "password_again": "x",
    }
    response = client.post(reverse("portal:activate"), data)
    assert response.status_code == 400 and "niet hetzelfde" in response.content.decode()
    assert PortalActivation.objects.get().used_at is None
