"""Requirement (issue 3.2): the integral dossier shows every part, edits through small forms
(htmx and plain POST), is audit-logged, and is closed to everyone without a task."""

import pytest
from django.urls import reverse

from maatpak.audit.models import AuditEvent
from tests.casework.conftest import give_purpose
from tests.factories import ParticipantFactory, ProviderFactory, UserFactory
from tests.participants.conftest import populate

pytestmark = pytest.mark.django_db


def test_dossier_shows_the_parts_and_logs_the_read(client, municipality, kim):
    [p] = populate(municipality, kim, 1)
    client.force_login(kim)
    content = client.get(reverse("participants:dossier", args=[p.pk])).content.decode()
    for text in (
        "Leefgebieden",
        "Participatieladder",
        "Groep van Sol",
        "Trajecten",
        "Klantmanagers",
        "<svg",
        "Signalen:",
        "Aanbieder te laat met intake of rapportage",
    ):
        assert text in content, text
    assert AuditEvent.objects.filter(actor=kim, participant_id=p.pk, action="read").exists()


def test_wish_in_own_words_via_htmx_returns_the_section(client, municipality, kim):
    [p] = populate(municipality, kim, 1)
    client.force_login(kim)
    response = client.post(
        reverse("participants:dossier_section", args=[p.pk, "wishes"]),
        {"wishes-kind": "wish", "wishes-text": "Ik wil met paarden werken."},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Ik wil met paarden werken." in content and "<html" not in content
    assert p.wishes.get().source == "consultant"


def test_empty_wish_gives_a_dutch_error_and_saves_nothing(client, municipality, kim):
    [p] = populate(municipality, kim, 1)
    client.force_login(kim)
    response = client.post(reverse("participants:dossier_section", args=[p.pk, "wishes"]), {"wishes-kind": "wish", "wishes-text": ""})
    assert response.status_code == 400
    assert "eigen woorden" in response.content.decode()
    assert not p.wishes.exists()


def test_future_assessment_date_is_refused(client, municipality, kim):
    [p] = populate(municipality, kim, 1)
    client.force_login(kim)
    response = client.post(
        reverse("participants:dossier_section", args=[p.pk, "ladder"]),
        {"ladder-rung": "3", "ladder-assessed_on": "2099-01-01"},
        HTTP_HX_REQUEST="true",
    )
    assert "toekomst" in response.content.decode()
    assert p.ladder_assessments.count() == 1


@pytest.mark.parametrize("role", ["analyst", "policy_officer", "council_member", "provider_staff", "job_coach", "privacy_officer"])
def test_other_roles_get_404(client, municipality, kim, role):
    [p] = populate(municipality, kim, 1)
    provider = ProviderFactory(municipality=municipality) if role == "provider_staff" else None
    client.force_login(UserFactory(role=role, municipalities=[municipality], provider=provider))
    assert client.get(reverse("participants:dossier", args=[p.pk])).status_code == 404


def test_consultant_outside_the_team_gets_404(client, municipality, kim):
    p = ParticipantFactory(municipality=municipality, consultant=kim)
    client.force_login(UserFactory(role="consultant", municipalities=[municipality]))
    assert client.get(reverse("participants:dossier", args=[p.pk])).status_code == 404


def test_competence_added_and_removed_through_the_section_forms(client, municipality, kim):
    from maatpak.participants.models import Competence

    [p] = populate(municipality, kim, 1)
    welding = Competence.objects.create(municipality=municipality, name="Lassen")
    client.force_login(kim)
    url = reverse("participants:dossier_section", args=[p.pk, "competences"])
    response = client.post(url, {"competences-competence": welding.pk, "competences-level": "2"}, HTTP_HX_REQUEST="true")
    assert "Lassen (Goed)" in response.content.decode()
    item = p.competences.get()
    response = client.post(reverse("participants:competence_remove", args=[p.pk, item.pk]))
    assert response.status_code == 302 and not p.competences.exists()


def test_placement_without_javascript_redirects_back_to_the_dossier(client, municipality, kim):
    from tests.factories import EmployerFactory

    [p] = populate(municipality, kim, 1)
    employer = EmployerFactory(municipality=municipality, name="Bakkerij Bolletje")
    client.force_login(kim)
    response = client.post(
        reverse("participants:dossier_section", args=[p.pk, "placements"]),
        {"placements-kind": "regular", "placements-employer": employer.pk, "placements-start_date": "2025-05-01"},
    )
    assert response.status_code == 302 and response.url.endswith("#placements")
    assert "Bakkerij Bolletje" in client.get(reverse("participants:dossier", args=[p.pk])).content.decode()


def test_reassign_form_only_for_team_lead_and_stale_version_is_refused(client, municipality, kim, lead, team):
    [p] = populate(municipality, kim, 1)
    sam = UserFactory(role="consultant", municipalities=[municipality], team=team, username="sam", first_name="Sam")
    client.force_login(kim)
    assert client.post(reverse("participants:dossier_section", args=[p.pk, "consultants"]), {}).status_code == 404
    client.force_login(lead)
    give_purpose(lead, p)  # break the glass: a team lead opens a dossier for a stated purpose
    url = reverse("participants:dossier_section", args=[p.pk, "consultants"])
    data = {"consultants-consultant": sam.pk, "consultants-reason": "Werkdruk", "consultants-version": p.version}
    response = client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Werkdruk" in response.content.decode()
    p.refresh_from_db()
    assert p.consultant == sam
    # The same form sent again, based on the old version: refused with the clear message.
    data["consultants-consultant"] = kim.pk
    response = client.post(url, data, HTTP_HX_REQUEST="true")
    assert "niets opgeslagen" in response.content.decode()
    p.refresh_from_db()
    assert p.consultant == sam


def test_unknown_section_is_404(client, municipality, kim):
    [p] = populate(municipality, kim, 1)
    client.force_login(kim)
    assert client.post(reverse("participants:dossier_section", args=[p.pk, "nonsense"]), {}).status_code == 404


def test_admin_shows_participants_read_only_and_logs_the_read(client, municipality, kim):
    from django.contrib.auth import get_user_model

    [p] = populate(municipality, kim, 1)
    admin_user = get_user_model().objects.create_superuser(username="beheer", password="x-Geheim-2026")
    client.force_login(admin_user)
    response = client.get(reverse("admin:participants_participant_change", args=[p.pk]))
    assert response.status_code == 200 and p.bsn not in response.content.decode()
    assert AuditEvent.objects.filter(actor=admin_user, participant_id=p.pk, action="read").exists()
    assert client.get(reverse("admin:participants_participant_add")).status_code == 403
