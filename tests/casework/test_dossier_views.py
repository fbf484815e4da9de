"""The dossier's forms and the team figures: one view per form, calculations in selectors,
the access rules from the policy table."""

import datetime as dt

import pytest
from django.urls import reverse

from maatpak.casework import dossier_views
from maatpak.casework.selectors import consultant_changes, team_consultants
from maatpak.participants.models import ConsultantAssignment, Wish
from maatpak.trajectories.models import Trajectory
from tests.casework.conftest import give_purpose
from tests.factories import ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_every_dossier_form_has_its_own_view(client, km, person):
    client.force_login(km)
    forms = client.get(reverse("participants:dossier", args=[person.pk])).context["forms"]
    # The consultant gets every form but the team lead's reassignment.
    assert set(forms) == set(dossier_views.SECTIONS) - {"consultants"}
    assert client.get(reverse("participants:dossier_section", args=[person.pk, "wishes"])).status_code == 405


def test_a_post_builds_only_its_own_form(client, km, person, monkeypatch):
    client.force_login(km)
    monkeypatch.setattr(dossier_views, "_section_forms", lambda *args: pytest.fail("a saved form must not build the others"))
    response = client.post(
        reverse("participants:dossier_section", args=[person.pk, "wishes"]), {"wishes-kind": "wish", "wishes-text": "Koken"}
    )
    assert response.status_code == 302 and response.url.endswith("#wishes")
    assert person.wishes.get().text == "Koken"


def test_section_forms_use_the_shared_htmx_pattern(client, km, person):
    client.force_login(km)
    content = client.get(reverse("participants:dossier", args=[person.pk])).content.decode()
    url = reverse("participants:dossier_section", args=[person.pk, "wishes"])
    assert f'action="{url}" hx-post="{url}" hx-target="#wishes" hx-select="#wishes" hx-swap="outerHTML"' in content


def test_a_hidden_field_error_is_shown_and_the_summary_is_tied_to_the_form(client, km, person, lead, team):
    sam = UserFactory(role="consultant", municipalities=[person.municipality], team=team, username="sam")
    client.force_login(lead)
    give_purpose(lead, person)
    url = reverse("participants:dossier_section", args=[person.pk, "consultants"])
    response = client.post(url, {"consultants-reason": "Werkdruk"}, HTTP_HX_REQUEST="true")  # no version, no consultant
    content = response.content.decode()
    assert response.status_code == 200 and content.count('class="form-errors" role="alert"') == 1  # the version's error
    stale = client.post(
        url, {"consultants-consultant": sam.pk, "consultants-reason": "Werkdruk", "consultants-version": 0}, HTTP_HX_REQUEST="true"
    )
    content = stale.content.decode()
    assert 'aria-describedby="consultants-errors"' in content and 'id="consultants-errors"' in content


def test_the_dossier_compares_with_the_choices_not_with_strings(client, km, person):
    Trajectory.objects.create(
        municipality=person.municipality, participant=person, consultant=km, status="closed", ended_on=dt.date(2025, 1, 1)
    )
    Wish.objects.create(
        municipality=person.municipality, participant=person, text="Buiten werken", source="participant", kind="wish", recorded_by=km
    )
    client.force_login(km)
    content = client.get(reverse("participants:dossier", args=[person.pk])).content.decode()
    assert "Afgesloten zonder eindrapportage" in content and "geschreven door de deelnemer" in content


def test_only_a_team_lead_sees_the_team_and_reassigns(client, km, person, lead, team):
    sam = UserFactory(role="consultant", municipalities=[person.municipality], team=team, username="sam", last_name="Zwart")
    assert set(team_consultants(user=lead)) == {km, sam} and not team_consultants(user=km).exists()
    client.force_login(km)
    assert client.get(reverse("participants:team")).status_code == 403
    assert "Caseload van mijn team" not in client.get(reverse("participants:caseload")).content.decode()
    client.force_login(lead)
    assert "Caseload van mijn team" in client.get(reverse("participants:caseload")).content.decode()
    give_purpose(lead, person)
    assert "consultants" in client.get(reverse("participants:dossier", args=[person.pk])).context["forms"]


def test_consultant_changes_count_after_the_first_assignment_within_the_window(km, person):
    other = ParticipantFactory(municipality=person.municipality, consultant=km)
    for start in (dt.date(2020, 1, 1), dt.date(2025, 6, 1), dt.date(2025, 9, 1)):
        ConsultantAssignment.objects.create(municipality=person.municipality, participant=person, consultant=km, start_date=start)
    ConsultantAssignment.objects.create(municipality=person.municipality, participant=other, consultant=km, start_date=dt.date(2025, 6, 1))
    changes = consultant_changes([person.pk, other.pk], since=dt.date(2025, 1, 1))
    assert changes[person.pk] == 2 and changes[other.pk] == 0
    assert consultant_changes([person.pk], since=dt.date(2025, 7, 1))[person.pk] == 1


def test_removing_a_competence_that_is_not_recorded_says_so_instead_of_failing(client, km, person):
    client.force_login(km)
    url = reverse("participants:competence_remove", args=[person.pk, 10**9])
    response = client.post(url)
    assert response.status_code == 400 and "Deze competentie staat er niet meer in." in response.content.decode()
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Deze competentie staat er niet meer in." in response.content.decode()
