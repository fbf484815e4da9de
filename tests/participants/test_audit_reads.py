"""Requirement (issue 3, AVG; issue 14.2): every read of dossier data is audit-logged — the API
caseload (one read per participant shown, linked to them) and every re-render of the dossier after a dossier form, also
when the form was refused."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from maatpak.audit.models import AuditEvent
from tests.participants.conftest import populate

pytestmark = pytest.mark.django_db


def _reads(user, **kwargs):
    return AuditEvent.objects.filter(actor=user, action="read", **kwargs)


def test_the_api_caseload_logs_one_read_per_participant_shown(municipality, kim):
    people = populate(municipality, kim, 3)
    api = APIClient()
    api.force_authenticate(kim)
    assert api.get("/api/v1/caseload/").status_code == 200
    events = _reads(kim, purpose="api caseload")
    assert sorted(events.values_list("participant_id", flat=True)) == sorted(p.pk for p in people)
    assert all(p.bsn not in str(event.detail) for p in people for event in events)
    api.get("/api/v1/caseload/")
    assert _reads(kim, purpose="api caseload").count() == 6


def test_a_refused_dossier_form_without_htmx_logs_the_full_page_it_shows(client, municipality, kim):
    [p] = populate(municipality, kim, 1)
    client.force_login(kim)
    response = client.post(reverse("participants:dossier_section", args=[p.pk, "wishes"]), {"wishes-kind": "wish", "wishes-text": ""})
    assert response.status_code == 400 and "Leefgebieden" in response.content.decode()
    assert _reads(kim, participant_id=p.pk, purpose="integral dossier").count() == 1


def test_a_section_rerendered_with_htmx_is_logged_saved_or_refused(client, municipality, kim):
    [p] = populate(municipality, kim, 1)
    client.force_login(kim)
    url = reverse("participants:dossier_section", args=[p.pk, "ladder"])
    client.post(url, {"ladder-rung": "3", "ladder-assessed_on": "2099-01-01"}, HTTP_HX_REQUEST="true")
    client.post(url, {"ladder-rung": "3", "ladder-assessed_on": "2025-01-01"}, HTTP_HX_REQUEST="true")
    assert _reads(kim, participant_id=p.pk, purpose="dossier section ladder").count() == 2


def test_a_saved_form_without_htmx_redirects_and_the_dossier_page_logs_the_read(client, municipality, kim):
    [p] = populate(municipality, kim, 1)
    client.force_login(kim)
    response = client.post(
        reverse("participants:dossier_section", args=[p.pk, "wishes"]), {"wishes-kind": "wish", "wishes-text": "Buiten werken."}
    )
    assert response.status_code == 302 and not _reads(kim, participant_id=p.pk).exists()
    client.get(response["Location"])
    assert _reads(kim, participant_id=p.pk, purpose="integral dossier").count() == 1
