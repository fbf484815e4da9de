"""Requirement (issue 14, item 2): every read that shows a participant's data is one audit event
linked to that participant, on every web path — so "who saw my data?" gets a complete answer.

The test walks every URL pattern of the consultant's, the provider's and the employer desk's
screens (and the team lead's list of change requests). Each one is either a page that shows a
participant (`PAGES`: who opens it, with which arguments, which participants it shows) or a
form that only takes a POST (`POST_ONLY`, checked to refuse a GET). A new URL in these apps
that is in neither fails the test, so a new screen cannot escape the audit log.
"""

import datetime as dt

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from maatpak.accounts.roles import Role
from maatpak.audit.models import AuditAction, AuditEvent
from maatpak.employers.models import Vacancy
from maatpak.participants.models import Competence, ParticipantCompetence
from maatpak.portal.models import ChangeRequestStatus, ConsultantChangeRequest
from maatpak.trajectories.models import Goal
from tests.casework.conftest import give_purpose
from tests.factories import (
    ContractFactory,
    EmployerFactory,
    EndReportFactory,
    MunicipalityFactory,
    ParticipantFactory,
    PlacementFactory,
    PlanVersionFactory,
    ProgressReportFactory,
    ReferralFactory,
    TeamFactory,
    TrajectoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# The URL namespaces whose every pattern is classified below, and the single URLs of other
# apps this helper's screens own.
NAMESPACES = ("participants", "trajectories", "providers", "employers")
SINGLE_URLS = {"portal:change_requests"}

# Forms that take only a POST; after the POST they redirect or re-render a page that is
# itself logged (tested in tests/participants/test_audit_reads.py and the plan-page tests).
POST_ONLY = {
    "participants:dossier_section": {"pk": "participant", "name": "wishes"},
    "participants:competence_remove": {"pk": "participant", "item_pk": 1},
    "trajectories:agree": {"pk": "trajectory"},
    "trajectories:agreement_status": {"pk": "trajectory"},
    "trajectories:item_edit": {"pk": "trajectory", "kind": "goal", "item_pk": "goal"},
    "trajectories:item_remove": {"pk": "trajectory", "kind": "goal", "item_pk": "goal"},
    "trajectories:action": {"pk": "trajectory", "name": "goal"},
    "providers:referral_action": {"pk": "referral", "name": "accept"},
}


class World:
    """One municipality, one team: consultant `km` with participant `person`, whose closed
    trajectory (two plan versions, a goal) was referred to a provider (a progress and an end
    report); `person` matches a vacancy and asked for another consultant. Plus a team lead,
    the provider's coach and a job coach."""

    def __init__(self):
        municipality = MunicipalityFactory(code="GM0090")
        team = TeamFactory(municipality=municipality)
        self.km = UserFactory(role=Role.CONSULTANT, municipalities=[municipality], team=team)
        self.lead = UserFactory(role=Role.TEAM_LEAD, municipalities=[municipality], team=team)
        self.job_coach = UserFactory(role=Role.JOB_COACH, municipalities=[municipality])
        self.person = ParticipantFactory(municipality=municipality, consultant=self.km, first_name="Noor")
        self.trajectory = TrajectoryFactory(
            participant=self.person, consultant=self.km, status="closed", started_on=dt.date(2025, 1, 1), ended_on=dt.date.today()
        )
        PlanVersionFactory(trajectory=self.trajectory, created_by=self.km)
        plan = PlanVersionFactory(trajectory=self.trajectory, number=2, created_by=self.km)
        self.goal = Goal.objects.create(
            municipality=municipality,
            plan=plan,
            kind="daily_structure",
            description="Elke dag op tijd",
            measure="Vier weken op tijd",
            target_date=dt.date(2026, 6, 1),
        )
        contract = ContractFactory(provider__municipality=municipality)
        self.coach = UserFactory(role=Role.PROVIDER_STAFF, municipalities=[municipality], provider=contract.provider)
        self.referral = ReferralFactory(trajectory=self.trajectory, provider=contract.provider, contract=contract)
        self.progress = ProgressReportFactory(referral=self.referral, author=self.coach)
        self.end = EndReportFactory(trajectory=self.trajectory, referral=self.referral, author=self.coach)
        competence = Competence.objects.create(municipality=municipality, name="Heftruck")
        ParticipantCompetence.objects.create(
            municipality=municipality, participant=self.person, competence=competence, recorded_on=dt.date(2025, 1, 1), recorded_by=self.km
        )
        self.vacancy = Vacancy.objects.create(
            municipality=municipality, employer=EmployerFactory(municipality=municipality), title="Magazijn", opened_on=dt.date(2025, 1, 1)
        )
        self.vacancy.competences.set([competence])
        # Someone placed on the vacancy without the competence: shown too, as placed.
        self.placed = ParticipantFactory(municipality=municipality, consultant=self.km, first_name="Placed")
        PlacementFactory(participant=self.placed, vacancy=self.vacancy, employer=self.vacancy.employer)
        ConsultantChangeRequest.objects.create(
            municipality=municipality, participant=self.person, consultant=self.km, status=ChangeRequestStatus.OPEN, reason="Klik niet"
        )

    def value(self, spec):
        return {"participant": self.person.pk, "trajectory": self.trajectory.pk, "referral": self.referral.pk, "goal": self.goal.pk}.get(
            spec, spec
        )


# Pages that show participants: (who opens it, URL kwargs, the participants it shows, the
# kind of event: READ for a page, EXPORT for a downloaded file).
PAGES = {
    "participants:caseload": ("km", {}, ("person", "placed"), AuditAction.READ),
    "participants:work": ("km", {}, ("person", "placed"), AuditAction.READ),
    "participants:dossier": ("km", {"pk": "participant"}, ("person",), AuditAction.READ),
    # The team lead is asked for a purpose first: the question names the participant.
    "participants:purpose": ("lead", {"pk": "participant"}, ("person",), AuditAction.READ),
    "trajectories:create": ("km", {"participant_pk": "participant"}, ("person",), AuditAction.READ),
    "trajectories:detail": ("km", {"pk": "trajectory"}, ("person",), AuditAction.READ),
    "trajectories:version": ("km", {"pk": "trajectory", "number": 1}, ("person",), AuditAction.READ),
    "trajectories:compare": ("km", {"pk": "trajectory", "number": 2}, ("person",), AuditAction.READ),
    "trajectories:pdf": ("km", {"pk": "trajectory", "number": 1}, ("person",), AuditAction.EXPORT),
    "trajectories:goal_status": ("km", {"pk": "trajectory", "goal_pk": "goal"}, ("person",), AuditAction.READ),
    "providers:portal": ("coach", {}, ("person",), AuditAction.READ),
    "providers:referral": ("coach", {"pk": "referral"}, ("person",), AuditAction.READ),
    "providers:report_detail": ("km", {"kind": "progress", "pk": "progress_report"}, ("person",), AuditAction.READ),
    "providers:report_pdf": ("km", {"kind": "end", "pk": "end_report"}, ("person",), AuditAction.EXPORT),
    "employers:vacancy": ("job_coach", {"pk": "vacancy"}, ("person", "placed"), AuditAction.READ),
    "portal:change_requests": ("lead", {}, ("person",), AuditAction.READ),
}
# Pages that show no participant (counts per consultant, an intake form, lists of employers).
WITHOUT_PARTICIPANTS = {"participants:team", "participants:intake", "employers:list"}


def _url_names() -> set[str]:
    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield f"{namespace}:{pattern.name}"

    names = set(walk(get_resolver().url_patterns, ""))
    return {n for n in names if n.split(":")[0] in NAMESPACES} | (SINGLE_URLS & names)


def test_every_url_of_these_screens_is_classified():
    unclassified = sorted(_url_names() - set(PAGES) - set(POST_ONLY) - WITHOUT_PARTICIPANTS)
    assert not unclassified, f"classify these URLs in PAGES, POST_ONLY or WITHOUT_PARTICIPANTS: {unclassified}"
    assert not (set(PAGES) | set(POST_ONLY) | WITHOUT_PARTICIPANTS) - _url_names(), "rows for URLs that no longer exist"


def _kwargs(world, spec):
    objects = {"progress_report": world.progress.pk, "end_report": world.end.pk, "vacancy": world.vacancy.pk}
    return {key: objects.get(value, world.value(value)) for key, value in spec.items()}


@pytest.mark.parametrize("url_name", sorted(PAGES))
def test_a_page_showing_participants_logs_one_read_per_participant_shown(client, url_name):
    world = World()
    who, spec, shown, action = PAGES[url_name]
    user = getattr(world, who)
    client.force_login(user)
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = client.get(reverse(url_name, kwargs=_kwargs(world, spec)))
    assert response.status_code == 200, f"{url_name}: {response.status_code}"
    events = AuditEvent.objects.filter(id__gt=before, actor=user, action=action)
    for name in shown:
        participant = getattr(world, name)
        assert events.filter(participant_id=participant.pk).count() == 1, f"{url_name}: {name} shown without exactly one {action} event"
    # Nobody the page does not show is logged as seen.
    assert set(events.exclude(participant_id=None).values_list("participant_id", flat=True)) == {getattr(world, n).pk for n in shown}


@pytest.mark.parametrize("url_name", sorted(POST_ONLY))
def test_a_form_that_takes_only_a_post_shows_nothing_on_get(client, url_name):
    world = World()
    client.force_login(world.km)
    assert client.get(reverse(url_name, kwargs=_kwargs(world, POST_ONLY[url_name]))).status_code == 405


def test_the_plan_page_of_a_colleague_logs_the_purpose_and_then_the_read(client):
    """A team lead (outside their own caseload) first gives a purpose; both the purpose and
    the page read afterwards are linked to the participant."""
    world = World()
    client.force_login(world.lead)
    give_purpose(world.lead, world.person)
    assert client.get(reverse("trajectories:detail", args=[world.trajectory.pk])).status_code == 200
    events = AuditEvent.objects.filter(actor=world.lead, participant_id=world.person.pk)
    assert set(events.values_list("purpose", flat=True)) == {"break the glass: team_lead_task", "trajectory plan"}
