"""Requirement (issue 13.1): the intake screen, reached from the caseload, and the API endpoint
call the same service; refusals are Dutch per field (a 400, never a 500); the BSN never appears
in a URL; a duplicate offers the existing dossier only to whoever may view it."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from maatpak.accounts.roles import Role
from maatpak.participants.models import LadderAssessment, Participant
from tests.api.problems import field_messages
from tests.factories import LadderDefinitionFactory, ParticipantFactory, UserFactory, valid_bsn

pytestmark = pytest.mark.django_db

FORM = {
    "bsn": valid_bsn(7101),
    "reference": "K-7101",
    "first_name": "Noor",
    "last_name": "Bakker",
    "birth_date": "1990-04-02",
    "sex": "f",
    "postal_code": "9201 ab",
    "benefit_type": "pw",
    "benefit_start": "2024-02-01",
    "benefit_amount": "1.250,00",
    "domain_housing": "4",
    "ladder_current_paid_work": "no",
    "ladder_current_unpaid_work": "yes",
    "sol_group": "B1",
}


def test_the_caseload_offers_intake_to_consultants(client, consultant):
    client.force_login(consultant)
    content = client.get(reverse("participants:caseload")).content.decode()
    assert reverse("participants:intake") in content and "Nieuwe deelnemer aanmelden" in content


def test_intake_screen_saves_and_opens_the_new_dossier(client, municipality, consultant):
    LadderDefinitionFactory()
    client.force_login(consultant)
    page = client.get(reverse("participants:intake")).content.decode()
    assert "Heeft de deelnemer betaald werk?" in page and "Leefgebieden" in page
    response = client.post(reverse("participants:intake"), FORM)
    p = Participant.objects.get(reference="K-7101")
    assert response.status_code == 302 and response.url == reverse("participants:dossier", args=[p.pk])
    assert valid_bsn(7101) not in response.url
    assert (p.consultant, p.postal_code) == (consultant, "9201 AB")
    assert LadderAssessment.objects.get(participant=p).rung == 4
    assert p.benefits.get().monthly_amount_cents == 125000


def test_intake_with_portal_account_goes_on_to_the_activation_code(client, municipality, consultant):
    client.force_login(consultant)
    response = client.post(
        reverse("participants:intake"),
        {**FORM, "ladder_current_paid_work": "", "ladder_current_unpaid_work": "", "open_portal_account": "on"},
    )
    p = Participant.objects.get(reference="K-7101")
    assert response.url == reverse("portal:activation_new", args=[p.pk])


def test_refusals_are_dutch_per_field_and_never_a_500(client, municipality, consultant):
    client.force_login(consultant)
    bad = {
        **FORM,
        "bsn": "123456789",
        "birth_date": "1990-02-31",
        "first_name": "x" * 500,
        "last_name": "Bak\x01ker",
        "postal_code": "99",
        "benefit_amount": "veel",
        "ladder_current_paid_work": "no",
        "ladder_current_unpaid_work": "",
    }
    response = client.post(reverse("participants:intake"), bad)
    content = response.content.decode()
    assert response.status_code == 400
    for text in ("geldige datum", "bedrag in euro", "hoogstens 100", "onzichtbare tekens"):
        assert text in content, text
    assert not Participant.objects.exists()
    # With the form's own checks passed the service's rules speak: 11-test, the flow, postal code.
    good = {"birth_date": "1990-02-03", "first_name": "Noor", "last_name": "Bakker", "benefit_amount": ""}
    response = client.post(reverse("participants:intake"), {**bad, **good})
    content = response.content.decode()
    assert response.status_code == 400
    for text in ("11-proef", "trede van nu", "Nederlandse postcode"):
        assert text in content, text


def test_a_duplicate_links_to_the_dossier_for_who_may_see_it(client, municipality, consultant):
    existing = ParticipantFactory(municipality=municipality, consultant=consultant, bsn=FORM["bsn"], reference="OUD-9")
    client.force_login(consultant)
    content = client.post(reverse("participants:intake"), {**FORM, "reference": "NIEUW"}).content.decode()
    assert reverse("participants:dossier", args=[existing.pk]) in content and "OUD-9" in content


def test_a_duplicate_seen_by_someone_else_is_neutral(client, municipality, consultant):
    other = UserFactory(role=Role.CONSULTANT, municipalities=[municipality])
    existing = ParticipantFactory(municipality=municipality, consultant=other, bsn=FORM["bsn"], reference="OUD-9", last_name="Geheim")
    client.force_login(consultant)
    content = client.post(reverse("participants:intake"), {**FORM, "reference": "NIEUW"}).content.decode()
    assert "teamleider" in content
    assert reverse("participants:dossier", args=[existing.pk]) not in content and "Geheim" not in content and "OUD-9" not in content


@pytest.mark.parametrize("role", [Role.ANALYST, Role.POLICY_OFFICER, Role.COUNCIL_MEMBER])
def test_other_roles_get_403(client, municipality, role):
    client.force_login(UserFactory(role=role, municipalities=[municipality]))
    assert client.get(reverse("participants:intake")).status_code == 403
    assert client.post(reverse("participants:intake"), FORM).status_code == 403


# --- the API: the same service, the same messages ---


@pytest.fixture
def api():
    return APIClient(HTTP_ACCEPT_LANGUAGE="nl")


API_BODY = {
    "bsn": valid_bsn(7102),
    "reference": "API-1",
    "first_name": "Sem",
    "last_name": "de Vries",
    "birth_date": "1988-07-09",
    "benefit_type": "pw",
    "benefit_start": "2024-01-01",
    "benefit_amount": "1175.25",
    "domain_scores": {"language": 2},
    "ladder": {"current": {"paid_work": True, "without_support": False}, "potential": {"paid_work": True, "without_support": True}},
    "sol_group": "A3",
}


def test_a_benefits_system_registers_through_the_api(api, municipality, consultant):
    LadderDefinitionFactory()
    api.force_authenticate(consultant)
    response = api.post("/api/v1/participants/", API_BODY, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["reference"] == "API-1" and body["consultant"] == consultant.username and "bsn" not in body
    p = Participant.objects.get(pk=body["id"])
    ladder = p.ladder_assessments.get()
    assert (ladder.rung, ladder.potential_rung) == (5, 6) and p.benefits.get().monthly_amount_cents == 117525


def test_the_api_refuses_with_the_screens_messages(api, municipality, consultant):
    api.force_authenticate(consultant)
    response = api.post(
        "/api/v1/participants/", {**API_BODY, "bsn": "123456789", "postal_code": "12", "consultant": "niemand"}, format="json"
    )
    assert response.status_code == 400
    body = field_messages(response)
    assert "klantmanager van deze gemeente" in str(body["consultant"])
    response = api.post("/api/v1/participants/", {**API_BODY, "bsn": "123456789", "postal_code": "12"}, format="json")
    body = field_messages(response)
    assert "11-proef" in str(body["bsn"]) and "postcode" in str(body["postal_code"])
    response = api.post("/api/v1/participants/", {**API_BODY, "birth_date": "1990-02-31"}, format="json")
    assert response.status_code == 400 and "birth_date" in field_messages(response)


def test_the_api_never_reveals_a_duplicate_to_whom_may_not_see_it(api, municipality, other_municipality, consultant):
    ParticipantFactory(municipality=municipality, bsn=API_BODY["bsn"], reference="GEHEIM-1")
    api.force_authenticate(consultant)
    response = api.post("/api/v1/participants/", API_BODY, format="json")
    assert response.status_code == 400 and "teamleider" in str(field_messages(response)["bsn"]) and "GEHEIM-1" not in str(response.json())


def test_the_api_is_closed_to_other_roles(api, municipality):
    api.force_authenticate(UserFactory(role=Role.ANALYST, municipalities=[municipality]))
    assert api.post("/api/v1/participants/", API_BODY, format="json").status_code == 403


def test_the_intake_endpoint_is_in_the_schema(api, consultant):
    api.force_authenticate(consultant)
    schema = api.get("/api/v1/schema/").content.decode()
    assert "/api/v1/participants/:" in schema and "RegistrationIn" in schema
