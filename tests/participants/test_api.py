"""Requirement (issue 3.5, API): the caseload and dossier summary follow the same access rule as
the pages, and a wish added through the API passes the same service (same Dutch message)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from maatpak.audit.models import AuditEvent
from tests.factories import UserFactory
from tests.participants.conftest import populate

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient(HTTP_ACCEPT_LANGUAGE="nl")


def test_caseload_lists_own_participants_with_signals_in_fixed_queries(api, municipality, kim):
    populate(municipality, kim, 3)
    api.force_authenticate(kim)
    api.get("/api/v1/caseload/")  # warm up the per-user caches, as the page test's login does
    with CaptureQueriesContext(connection) as small:
        body = api.get("/api/v1/caseload/").json()
    assert body["count"] == 3 and "report_overdue" in body["results"][0]["signals"]
    populate(municipality, kim, 12, start=3)
    with CaptureQueriesContext(connection) as large:
        assert api.get("/api/v1/caseload/").json()["count"] == 15
    assert len(large.captured_queries) == len(small.captured_queries)


def test_caseload_is_for_consultants_and_team_leads_only(api, municipality):
    api.force_authenticate(UserFactory(role="analyst", municipalities=[municipality]))
    assert api.get("/api/v1/caseload/").status_code == 403


def test_dossier_summary_is_logged_and_closed_to_others(api, municipality, kim):
    [p] = populate(municipality, kim, 1)
    api.force_authenticate(kim)
    body = api.get(f"/api/v1/participants/{p.pk}/dossier/").json()
    assert body["reference"] == p.reference and body["rung"] == 2 and body["sol_group"] == "B1"
    assert AuditEvent.objects.filter(actor=kim, participant_id=p.pk, action="read").exists()
    api.force_authenticate(UserFactory(role="consultant", municipalities=[municipality]))
    assert api.get(f"/api/v1/participants/{p.pk}/dossier/").status_code == 404


def test_wish_via_api_uses_the_service(api, municipality, kim):
    [p] = populate(municipality, kim, 1)
    api.force_authenticate(kim)
    response = api.post(f"/api/v1/participants/{p.pk}/wishes/", {"kind": "wish", "text": "Ik wil koken"}, format="json")
    assert response.status_code == 201 and response.json()["source"] == "consultant"
    response = api.post(f"/api/v1/participants/{p.pk}/wishes/", {"kind": "wish", "text": "  "}, format="json")
    assert response.status_code == 400 and "eigen woorden" in str(response.json())
