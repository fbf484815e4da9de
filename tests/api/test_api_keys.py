"""Requirement (issue 14.9): per-organisation API keys next to session login — hashed at rest,
scoped to a municipality and a role, revocable, and every use audit-logged with the key."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from maatpak.accounts.roles import Role
from maatpak.api.keys import api_key_revoke, key_hash
from maatpak.api.models import ApiKey
from maatpak.audit.models import AuditEvent
from tests.api.conftest import bearer
from tests.api.problems import problem
from tests.factories import ProviderFactory, ReferralFactory, UserFactory

pytestmark = pytest.mark.django_db


def dossier_url(participant):
    return reverse("api:participant-dossier", args=[participant.pk])


def test_a_key_is_stored_only_as_its_hash(keys):
    api_key, key = keys["a"]["api_key"], keys["a"]["key"]
    stored = ApiKey.objects.filter(pk=api_key.pk).values().get()
    assert key not in str(stored)
    assert stored["key_hash"] == key_hash(key) and stored["prefix"] in key
    assert not api_key.user.has_usable_password()


def test_a_key_reads_its_own_municipality(client, keys):
    a = keys["a"]
    response = client.get(dossier_url(a["participant"]), **bearer(a["key"]))
    assert response.status_code == 200 and response.json()["id"] == a["participant"].pk
    assert client.get(reverse("api:caseload"), HTTP_X_API_KEY=a["key"]).json()["count"] == 1


def test_a_key_of_one_municipality_gets_the_same_404_for_anothers_dossier(client, keys):
    a, b = keys["a"], keys["b"]
    elsewhere = client.get(dossier_url(b["participant"]), **bearer(a["key"]))
    missing = client.get(reverse("api:participant-dossier", args=[10**9]), **bearer(a["key"]))
    assert elsewhere.status_code == missing.status_code == 404
    assert {k: v for k, v in problem(elsewhere).items() if k != "instance"} == {
        k: v for k, v in problem(missing).items() if k != "instance"
    }


def test_every_use_is_audited_with_the_key(client, keys):
    a = keys["a"]
    client.get(dossier_url(a["participant"]), **bearer(a["key"]))
    client.get(reverse("api:caseload"), **bearer(a["key"]))
    reads = AuditEvent.objects.filter(participant_id=a["participant"].pk, action="read")
    assert reads.count() == 2
    for event in reads:
        assert event.actor_id == a["api_key"].user_id and event.detail["api_key"] == a["api_key"].pk
        assert event.actor_label == f"api-{a['api_key'].prefix}" and event.municipality_id == a["municipality"].pk


def test_last_use_is_remembered(client, keys):
    a = keys["a"]
    assert a["api_key"].last_used_at is None
    client.get(reverse("api:caseload"), **bearer(a["key"]))
    a["api_key"].refresh_from_db()
    assert a["api_key"].last_used_at is not None


def test_a_revoked_key_gets_a_401_problem_and_the_attempt_is_logged(client, keys, admin_a, caplog):
    a = keys["a"]
    api_key_revoke(actor=admin_a, api_key=a["api_key"])
    with caplog.at_level("WARNING", logger="maatpak.api.authentication"):
        response = client.get(dossier_url(a["participant"]), **bearer(a["key"]))
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")
    assert "ingetrokken" in problem(response)["detail"]
    assert f"revoked key {a['api_key'].prefix}" in caplog.text
    a["api_key"].user.refresh_from_db()
    assert not a["api_key"].user.is_active
    assert AuditEvent.objects.filter(action="update", purpose="api key revoked", actor=admin_a).exists()


@pytest.mark.parametrize("header", ["Bearer mp_000000000000_wrong", "Bearer not-a-key", "Bearer "])
def test_an_unknown_key_is_a_401_problem_not_a_fall_back_to_the_session(client, keys, header):
    client.force_login(UserFactory(role=Role.CONSULTANT, municipalities=[keys["a"]["municipality"]]))
    response = client.get(reverse("api:caseload"), HTTP_AUTHORIZATION=header)
    assert response.status_code == 401 and problem(response)["type"] == "about:blank"


def test_a_wrong_secret_with_a_real_prefix_is_refused(client, keys):
    a = keys["a"]
    forged = a["key"][:-4] + ("AAAA" if not a["key"].endswith("AAAA") else "BBBB")
    assert client.get(reverse("api:caseload"), **bearer(forged)).status_code == 401


def test_no_credentials_is_a_401_with_a_bearer_challenge(client):
    response = client.get(reverse("api:caseload"))
    assert response.status_code == 401 and response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert problem(response)["title"] == "Niet ingelogd"


def test_a_key_acts_only_in_its_role(client, keys):
    """A consultant key may not use a provider's operations (the policy, not the key, decides)."""
    a = keys["a"]
    assert client.get(reverse("api:provider-referrals"), **bearer(a["key"])).status_code == 403
    referral = ReferralFactory(trajectory__participant=a["participant"], trajectory__consultant=a["api_key"].user)
    assert client.get(reverse("api:provider-referral", args=[referral.pk]), **bearer(a["key"])).status_code == 404


def test_the_command_prints_the_key_once_and_it_works(client, municipality):
    provider = ProviderFactory(municipality=municipality, name="Werkfit")
    out = io.StringIO()
    call_command(
        "api_key_create",
        municipality=municipality.code,
        role=Role.PROVIDER_STAFF,
        name="Rapportages",
        organisation="Werkfit BV",
        provider="Werkfit",
        stdout=out,
    )
    key = out.getvalue().strip().splitlines()[-1]
    api_key = ApiKey.objects.get()
    assert api_key.user.provider == provider and api_key.user.role == Role.PROVIDER_STAFF
    assert client.get(reverse("api:provider-referrals"), **bearer(key)).status_code == 200
    call_command("api_key_revoke", api_key.prefix, stdout=io.StringIO())
    assert client.get(reverse("api:provider-referrals"), **bearer(key)).status_code == 401


def test_a_provider_staff_key_needs_its_provider(municipality):
    with pytest.raises(CommandError, match="aanbieder"):
        call_command(
            "api_key_create", municipality=municipality.code, role=Role.PROVIDER_STAFF, name="x", organisation="y", stdout=io.StringIO()
        )


def test_the_municipality_admin_creates_a_key_and_sees_it_once(client, municipality, admin_a):
    client.force_login(admin_a)
    response = client.post(
        reverse("admin:api_apikey_add"),
        {"name": "Aanmeldingen", "organisation": "Uitkeringssysteem", "municipality": municipality.pk, "role": Role.CONSULTANT},
    )
    assert response.status_code == 200
    api_key = ApiKey.objects.get()
    key = response.context["key"]
    assert key in response.content.decode() and key_hash(key) == api_key.key_hash
    assert api_key.created_by == admin_a and api_key.user.municipalities.get() == municipality
    # Afterwards the key is nowhere to be seen again.
    assert key not in client.get(reverse("admin:api_apikey_change", args=[api_key.pk])).content.decode()
    assert client.get(reverse("api:caseload"), **bearer(key)).status_code == 200


def test_the_admin_offers_only_its_own_municipality_and_revokes(client, keys, admin_a):
    client.force_login(admin_a)
    form = client.get(reverse("admin:api_apikey_add")).context["adminform"].form
    assert list(form.fields["municipality"].queryset) == [keys["a"]["municipality"]]
    listing = client.get(reverse("admin:api_apikey_changelist")).content.decode()
    assert keys["a"]["api_key"].prefix in listing and keys["b"]["api_key"].prefix not in listing
    both = [keys["a"]["api_key"].pk, keys["b"]["api_key"].pk]
    client.post(reverse("admin:api_apikey_changelist"), {"action": "revoke", "_selected_action": both})
    assert ApiKey.objects.get(pk=both[0]).revoked_at is not None
    assert ApiKey.objects.get(pk=both[1]).revoked_at is None  # another municipality's key is out of reach
    assert client.post(reverse("admin:api_apikey_delete", args=[both[0]])).status_code == 403
