"""Requirement: competences are recorded and linked to employers — the employer desk sees
vacancies with the participants whose recorded competences match (DOMAIN §1, seeds 001)."""

import datetime as dt

import pytest
from django.urls import reverse

from maatpak.audit.models import AuditEvent
from maatpak.employers.models import Vacancy
from maatpak.employers.selectors import vacancy_matches
from maatpak.participants.models import Competence, ParticipantCompetence
from tests.factories import EmployerFactory, ParticipantFactory, PlacementFactory, UserFactory


@pytest.fixture
def setting(municipality, other_municipality):
    coach = UserFactory(role="job_coach", municipalities=[municipality], username="coach")
    forklift = Competence.objects.create(municipality=municipality, name="Heftruckcertificaat")
    punctual = Competence.objects.create(municipality=municipality, name="Stipt")
    vacancy = Vacancy.objects.create(
        municipality=municipality,
        employer=EmployerFactory(municipality=municipality, name="Logistiek BV"),
        title="Magazijnmedewerker",
        opened_on=dt.date(2026, 10, 1),
    )
    vacancy.competences.set([forklift, punctual])
    both = ParticipantFactory(municipality=municipality, first_name="Both")
    one = ParticipantFactory(municipality=municipality, first_name="One")
    ParticipantFactory(municipality=municipality, first_name="None")
    for participant, competences in ((both, [forklift, punctual]), (one, [punctual])):
        for competence in competences:
            ParticipantCompetence.objects.create(
                municipality=municipality,
                participant=participant,
                competence=competence,
                recorded_on=dt.date(2026, 9, 1),
                recorded_by=coach,
            )
    return {"coach": coach, "vacancy": vacancy, "both": both, "one": one}


@pytest.mark.django_db
def test_matches_are_ranked_by_share_of_competences(setting):
    matches = vacancy_matches(user=setting["coach"], vacancy=setting["vacancy"])
    assert [(m["participant"], m["share"]) for m in matches] == [(setting["both"], 1.0), (setting["one"], 0.5)]


@pytest.mark.django_db
def test_vacancy_page_shows_matches_and_logs_one_read_per_participant_shown(client, setting, municipality):
    """Issue 14: "who saw my data?" is complete — each participant the matching shows (and each
    one placed on the vacancy) gets its own read event, linked to them; nobody else does."""
    placed = ParticipantFactory(municipality=municipality, first_name="Placed")
    PlacementFactory(participant=placed, vacancy=setting["vacancy"], employer=setting["vacancy"].employer)
    client.force_login(setting["coach"])
    content = client.get(reverse("employers:vacancy", args=[setting["vacancy"].pk])).content.decode()
    assert "Both" in content and "1 / 2" in content and "Placed" in content
    reads = AuditEvent.objects.filter(actor=setting["coach"], action="read", purpose="vacancy matching")
    shown = {setting["both"].pk, setting["one"].pk, placed.pk}
    assert sorted(reads.values_list("participant_id", flat=True)) == sorted(shown)
    assert all(event.detail == {"vacancy": setting["vacancy"].pk} for event in reads)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["analyst", "council_member", "provider_staff"])
def test_other_roles_cannot_open_the_employer_desk(client, setting, municipality, role):
    from tests.factories import ProviderFactory

    provider = ProviderFactory(municipality=municipality) if role == "provider_staff" else None
    client.force_login(UserFactory(role=role, municipalities=[municipality], provider=provider))
    assert client.get(reverse("employers:list")).status_code == 403
    assert client.get(reverse("employers:vacancy", args=[setting["vacancy"].pk])).status_code == 403


@pytest.mark.django_db
def test_another_municipalitys_vacancy_is_not_found(client, setting, other_municipality):
    foreign = Vacancy.objects.create(
        municipality=other_municipality,
        employer=EmployerFactory(municipality=other_municipality),
        title="Elders",
        opened_on=dt.date(2026, 1, 1),
    )
    client.force_login(setting["coach"])
    assert client.get(reverse("employers:vacancy", args=[foreign.pk])).status_code == 404
