"""Requirement (issue 3.2): the integral dossier shows every part, edits through small forms
(htmx and plain POST), is audit-logged, and is closed to everyone without a task."""

import pytest
from django.urls import reverse

from maatpak.audit.models import AuditEvent
from tests.factories import ParticipantFactory, ProviderFactory, UserFactory
from tests.participants.conftest import populate

pytestmark = pytest.mark.django_db


def test_dossier_shows_the_parts_and_logs_the_read(client, municipality, kim):
    [p] = populate(municipality, kim, 1)
    client.force_login(kim)
    content = client.get(reverse("participants:dossier", args=[p.pk])).content.decode()
    for text in ("Leefgebieden", "Participatieladder", "Groep van Sol", "Trajecten", "Klantmanagers", "<svg"):
        assert text in content, text
    assert AuditEvent.objects.filter(actor=kim, participant_id=p.pk, action="read").exists()


def test_wish_in_own_words_via_htmx_returns_the_section(client, municipality, kim):
    [p] = populate(municipality, kim, 1)
    client.force_login(kim)
    response = client.post(reverse("participants:dossier_section", args=[p.pk, "wishes"]), {"wishes-kind": "wish", "wishes-text": "Ik wil met paarden werken."}, HTTP_HX_REQUEST="true")
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
    response = client.post(reverse("participants:dossier_section", args=[p.pk, "ladder"]), {"ladder-rung": "3", "ladder-assessed_on": "2099-01-01"}, HTTP_HX_REQUEST="true")
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
