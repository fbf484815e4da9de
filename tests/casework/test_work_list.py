"""Issue 13 item 6: the consultant's work list (werkvoorraad): what waits on them, per participant
with a link, oldest first, with the count in the menu; a fixed number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from maatpak.audit.services import audit_read
from maatpak.casework.selectors import WorkKind, work_count, work_list
from maatpak.employers.models import PlacementFollowUp
from maatpak.participants.models import Exemption
from maatpak.portal.models import Message, MessageDirection, ReportReaction
from maatpak.trajectories.models import MunicipalityDefault
from tests.factories import (
    AgreementFactory,
    DomainAssessmentFactory,
    EmployerFactory,
    EndReportFactory,
    ParticipantFactory,
    PlacementFactory,
    ProgressReportFactory,
    ReferralFactory,
    TrajectoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _everything_for(municipality, consultant, *, n=0):
    """One participant of `consultant` with one item of every kind waiting."""
    person = ParticipantFactory(municipality=municipality, consultant=consultant, registered_on=TODAY - dt.timedelta(days=300 + n))
    person.user = UserFactory(role="participant", municipalities=[municipality])
    person.save()
    trajectory = TrajectoryFactory(municipality=municipality, participant=person, consultant=consultant)
    referral = ReferralFactory(trajectory=trajectory, municipality=municipality)
    coach = UserFactory(role="provider_staff", municipalities=[municipality], provider=referral.provider)
    progress = ProgressReportFactory(referral=referral, municipality=municipality, submitted_on=TODAY - dt.timedelta(days=5), author=coach)
    EndReportFactory(
        trajectory=trajectory, referral=referral, municipality=municipality, submitted_on=TODAY - dt.timedelta(days=2), author=coach
    )
    ReportReaction.objects.create(municipality=municipality, participant=person, progress_report=progress, text="Dat klopt niet.")
    Message.objects.create(
        municipality=municipality,
        participant=person,
        direction=MessageDirection.TO_CONSULTANT,
        sender=person.user,
        subject="Vraag",
        body="Hoe?",
    )
    agreement = AgreementFactory(plan__trajectory=trajectory, municipality=municipality, party="municipality")
    MunicipalityDefault.objects.create(
        municipality=municipality,
        participant=person,
        trajectory=trajectory,
        agreement=agreement,
        description="Geen opvang",
        recorded_on=TODAY - dt.timedelta(days=3),
        reported_by_participant=True,
        recorded_by=person.user,
    )
    placement = PlacementFactory(participant=person, municipality=municipality, employer=EmployerFactory(municipality=municipality))
    PlacementFollowUp.objects.create(municipality=municipality, placement=placement, months=6, due_on=TODAY - dt.timedelta(days=1))
    Exemption.objects.create(
        municipality=municipality,
        participant=person,
        reason="Mantelzorg",
        start_date=TODAY - dt.timedelta(days=150),
        end_date=TODAY + dt.timedelta(days=10),
        decided_by=consultant,
    )
    return person, progress


def test_every_kind_of_work_is_listed_oldest_first_with_a_link(municipality, km):
    person, _ = _everything_for(municipality, km)
    items = work_list(user=km, today=TODAY)
    assert {item.kind for item in items} == set(WorkKind.LABELS)
    assert [item.since for item in items] == sorted(item.since for item in items)
    assert all(item.participant == person and item.url for item in items)
    DomainAssessmentFactory(participant=person, municipality=municipality)
    assert WorkKind.NO_ASSESSMENT not in {item.kind for item in work_list(user=km, today=TODAY)}


def test_a_report_opened_leaves_the_list_and_a_later_reaction_brings_it_back(municipality, km):
    person, progress = _everything_for(municipality, km)
    audit_read(actor=km, obj=progress, purpose="report")
    kinds = [item.kind for item in work_list(user=km, today=TODAY)]
    assert WorkKind.PROGRESS_REPORT not in kinds and WorkKind.REACTION not in kinds
    ReportReaction.objects.create(municipality=municipality, participant=person, progress_report=progress, text="Nog iets.")
    assert [item.kind for item in work_list(user=km, today=TODAY)].count(WorkKind.REACTION) == 1


def test_answered_messages_and_defaults_are_done(municipality, km):
    _everything_for(municipality, km)
    Message.objects.update(read_on=timezone.now())
    MunicipalityDefault.objects.update(answered_on=TODAY, answer="Geregeld")
    kinds = {item.kind for item in work_list(user=km, today=TODAY)}
    assert WorkKind.MESSAGE not in kinds and WorkKind.DEFAULT_REPORTED not in kinds


def test_someone_elses_caseload_is_not_on_my_list(municipality, km, team):
    colleague = UserFactory(role="consultant", municipalities=[municipality], team=team)
    _everything_for(municipality, colleague)
    assert work_list(user=km, today=TODAY) == []


def test_the_number_of_queries_does_not_grow_with_the_caseload(municipality, km):
    _everything_for(municipality, km)
    work_list(user=km, today=TODAY)  # warm caches (content types)
    with CaptureQueriesContext(connection) as one:
        work_list(user=km, today=TODAY)
    for n in range(1, 20):
        _everything_for(municipality, km, n=n)
    with CaptureQueriesContext(connection) as twenty:
        assert len(work_list(user=km, today=TODAY)) == 20 * len(WorkKind.LABELS)
    assert len(twenty.captured_queries) == len(one.captured_queries)


def test_the_page_and_the_menu_count(client, municipality, km, person):
    _everything_for(municipality, km)
    assert work_count(km) == len(work_list(user=km))
    client.force_login(km)
    response = client.get(reverse("participants:work"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Werkvoorraad" in page and "Nieuwe voortgangsrapportage" in page
    assert f'<span class="badge">{work_count(km)}' in page
    client.force_login(person.user)
    assert client.get(reverse("participants:work")).status_code == 403
