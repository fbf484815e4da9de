"""Requirement (issue 14): a permission matrix generated from the policy table.

Every role × every URL pattern and API endpoint × own / other caseload / other municipality /
nonexistent object → allowed, or the same answer as for an object that does not exist (404 for
an object a role may reach through some relation; a role the table grants nothing may also get
the 403 of a page it may not use at all), exactly as `accounts.policy.PERMISSIONS` says.

`ROUTES` names, per URL name, the (family, action) row of the table the view enforces and the
kind of object its URL points at. The expectation is computed from the table and the object's
relation to the user (`World.promised`, written out by hand in tests/test_policy.py), never from
the code under test. A URL pattern without a row in `ROUTES` or `PUBLIC` fails the test, so a
new screen cannot escape the matrix.
"""

import datetime as dt

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from maatpak.accounts.policy import (
    AGGREGATES,
    AUDIT_LOG,
    DOSSIER,
    EMPLOYER_DESK,
    PORTAL,
    REFERRAL,
    SUBJECT_ACCESS,
    TRAJECTORY,
    Relation,
    relation_for,
)
from maatpak.accounts.roles import Role
from maatpak.casework.break_glass import BreakGlassReason, dossier_open_with_purpose
from maatpak.insights.indicators import Period
from maatpak.insights.models import ChecklistQuestion
from maatpak.trajectories.models import Goal, IntermediateGoalKind, MunicipalityDefault, TrajectoryStatus
from tests.factories import (
    AgreementFactory,
    EndReportFactory,
    PlanVersionFactory,
    ProgressReportFactory,
    ProviderFactory,
    ReferralFactory,
    SanctionFactory,
    VacancyFactory,
)
from tests.test_policy import World

MISSING = 10**9  # a primary key that exists nowhere

# URL names anybody may open (log-in, language, the participant's activation with a code).
PUBLIC = {
    "home",  # a redirect to the log-in or to the user's own start page
    "accounts:login",
    "accounts:logout",
    # The second step of the staff log-in (staff only, own account) and the idle-warning status.
    "accounts:second_factor",
    "accounts:second_factor_setup",
    "accounts:session",
    "set_language",
    "javascript-catalog",
    "portal:login",
    "portal:activate",
    "portal:help",
}


class Route:
    """What one URL enforces: a row of the table and the object its URL names (or none)."""

    def __init__(self, family, action, target=None, **extra):
        self.family, self.action, self.target, self.extra = family, action, target, extra

    def kwargs(self, world, name):
        """URL kwargs for the object of participant `name` (None: the nonexistent object)."""
        if self.target is None:
            return {key: value(None, world, name) if callable(value) else value for key, value in self.extra.items()}
        obj = world.objects(self.target, name)
        values = {}
        for key, value in self.extra.items():
            values[key] = value(obj, world, name) if callable(value) else value
        values.setdefault(world.KEYS.get(self.target, "pk"), obj.pk if obj is not None else MISSING)
        return values


def _plan(world, name):
    return world.plans.get(name)


# The latest quarter that has ended: the one the dashboard and the council report offer first.
_ENDED_QUARTER = Period.last_ended(dt.date.today()).code


def _own_checklist_question(obj, world, name):
    """A council's own checklist question in the municipality of the world's staff."""
    municipality = world.participants["own"].municipality
    question, _created = ChecklistQuestion.objects.get_or_create(
        municipality=municipality,
        text="Hoeveel mensen vinden werk?",
        defaults={"source": "Eigen vraag", "indicator_codes": ["outflow_by_reason"]},
    )
    return question.pk


def _first_goal(obj, world, name):
    goal = world.goals.get(name)
    return goal.pk if goal is not None and obj is not None else MISSING


def _row(kind):
    def pick(obj, world, name):
        row = getattr(world, kind).get(name)
        return row.pk if row is not None and obj is not None else MISSING

    return pick


def _first_agreement(obj, world, name):
    agreement = world.agreements.get(name)
    return agreement.pk if agreement is not None and obj is not None else MISSING


ROUTES = {
    # The consultant's screens (casework).
    "participants:caseload": Route(DOSSIER, "list_caseload"),
    "participants:team": Route(DOSSIER, "view_team_overview"),
    "participants:intake": Route(DOSSIER, "register"),
    "participants:work": Route(DOSSIER, "view_work_list"),
    "participants:dossier": Route(DOSSIER, "view", "participant"),
    "participants:purpose": Route(DOSSIER, "view", "participant"),  # break the glass: the purpose asked first
    "participants:competence_remove": Route(DOSSIER, "change", "participant", item_pk=MISSING),
    "participants:dossier_section": Route(DOSSIER, "change", "participant", name="wishes"),
    "trajectories:create": Route(DOSSIER, "view", "participant_pk"),
    "trajectories:detail": Route(TRAJECTORY, "change", "trajectory"),
    "trajectories:agree": Route(TRAJECTORY, "change", "trajectory"),
    "trajectories:agreement_status": Route(TRAJECTORY, "change", "trajectory"),
    "trajectories:pdf": Route(TRAJECTORY, "change", "trajectory", number=1),
    "trajectories:compare": Route(TRAJECTORY, "change", "trajectory", number=2),
    "trajectories:version": Route(TRAJECTORY, "change", "trajectory", number=1),
    "trajectories:item_edit": Route(TRAJECTORY, "change", "trajectory", kind="agreement", item_pk=_first_agreement),
    "trajectories:item_remove": Route(TRAJECTORY, "change", "trajectory", kind="agreement", item_pk=_first_agreement),
    "trajectories:goal_status": Route(TRAJECTORY, "confirm_goal", "trajectory", goal_pk=_first_goal),
    "trajectories:action": Route(TRAJECTORY, "change", "trajectory", name="goal"),
    # The provider's screens.
    "providers:portal": Route(REFERRAL, "work_on"),
    "providers:referral": Route(REFERRAL, "work_on", "referral"),
    "providers:referral_action": Route(REFERRAL, "work_on", "referral", name="accept"),
    "providers:report_detail": Route(REFERRAL, "view", "progress_report", kind="progress"),
    "providers:report_pdf": Route(REFERRAL, "view", "progress_report", kind="progress"),
    # The employer desk, aggregates, the council, the audit log.
    "employers:list": Route(EMPLOYER_DESK, "view"),
    "employers:vacancy": Route(EMPLOYER_DESK, "view", "vacancy"),
    "surveys:council_feedback": Route(AGGREGATES, "view_council_feedback"),
    "insights:effectiveness": Route(AGGREGATES, "view_effectiveness"),
    "insights:export": Route(AGGREGATES, "view_effectiveness", table="cost_benefit"),
    "insights:monitoring": Route(AGGREGATES, "view_monitoring"),
    "insights:monitoring_export": Route(AGGREGATES, "view_monitoring", fmt="csv"),
    # The indicators: the dashboard, the people behind a figure (a team lead's own team only),
    # the council report and its files, the checklist's questions, the Divosa delivery.
    "insights:dashboard": Route(AGGREGATES, "view_indicators"),
    "insights:figure_people": Route(AGGREGATES, "view_people_behind_figures", code="inflow", period=_ENDED_QUARTER, row="total"),
    "insights:council_report": Route(AGGREGATES, "view_council_report"),
    "insights:council_report_pdf": Route(AGGREGATES, "view_council_report"),
    "insights:council_export": Route(AGGREGATES, "view_council_report", fmt="csv"),
    "insights:checklist_questions": Route(AGGREGATES, "edit_checklist"),
    "insights:checklist_question_create": Route(AGGREGATES, "edit_checklist"),
    "insights:checklist_question_edit": Route(AGGREGATES, "edit_checklist", pk=_own_checklist_question),
    "insights:divosa_export": Route(AGGREGATES, "export_statistics", fmt="csv"),
    "privacy:audit_log": Route(AUDIT_LOG, "view"),
    "privacy:break_glass": Route(AUDIT_LOG, "view"),
    # The participant's portal and the staff side of it.
    "portal:home": Route(PORTAL, "use"),
    "portal:plan": Route(PORTAL, "use"),
    "portal:plan_version": Route(PORTAL, "use", number=1),
    "portal:plan_pdf": Route(PORTAL, "use", number=1),
    "portal:plan_sign": Route(PORTAL, "use"),
    "portal:default_report": Route(PORTAL, "use"),
    "portal:reports": Route(PORTAL, "use"),
    "portal:report_react": Route(PORTAL, "use", "self_progress_report", kind="progress"),
    "portal:say": Route(PORTAL, "use"),
    "portal:say_wish": Route(PORTAL, "use"),
    "portal:say_message": Route(PORTAL, "use"),
    "portal:say_change": Route(PORTAL, "use"),
    "portal:feedback": Route(PORTAL, "use"),
    "portal:activation_new": Route(PORTAL, "open_account", "participant"),
    "portal:change_requests": Route(PORTAL, "decide_change_request"),
    "portal:change_request_answer": Route(PORTAL, "decide_change_request", "change_request"),
    "portal:inbox": Route(PORTAL, "read_inbox"),
    "portal:inbox_reply": Route(PORTAL, "answer_message", "message"),
    # The right of access (inzage): the participant's own, and a written request.
    "subject_access:mine": Route(SUBJECT_ACCESS, "view_own"),
    "subject_access:mine_pdf": Route(SUBJECT_ACCESS, "view_own"),
    "subject_access:mine_json": Route(SUBJECT_ACCESS, "view_own"),
    "privacy:subject_access_lookup": Route(SUBJECT_ACCESS, "handle_request"),
    "privacy:subject_access_request": Route(SUBJECT_ACCESS, "handle_request", "participant"),
    "privacy:subject_access_pdf": Route(SUBJECT_ACCESS, "handle_request", "participant"),
    "privacy:subject_access_json": Route(SUBJECT_ACCESS, "handle_request", "participant"),
    # The API (session log-in; API keys act as a staff account of one role).
    "api:schema": Route(None, None),
    "api:docs": Route(None, None),
    "api:participant-register": Route(DOSSIER, "register"),
    "api:caseload": Route(DOSSIER, "list_caseload"),
    "api:participant-dossier": Route(DOSSIER, "view", "participant"),
    "api:participant-wishes": Route(DOSSIER, "change", "participant"),
    "api:participant-purpose": Route(DOSSIER, "view", "participant"),
    "api:trajectory-create": Route(TRAJECTORY, "change"),
    "api:trajectory-close": Route(TRAJECTORY, "change", "trajectory"),
    "api:trajectory-sanction": Route(TRAJECTORY, "change", "trajectory"),
    "api:trajectory-default": Route(TRAJECTORY, "change", "trajectory"),
    "api:sanction-hearing": Route(TRAJECTORY, "change", "trajectory", row_pk=_row("sanctions")),
    "api:sanction-decision": Route(TRAJECTORY, "change", "trajectory", row_pk=_row("sanctions")),
    "api:sanction-objection": Route(TRAJECTORY, "change", "trajectory", row_pk=_row("sanctions")),
    "api:sanction-objection-decision": Route(TRAJECTORY, "change", "trajectory", row_pk=_row("sanctions")),
    "api:default-answer": Route(TRAJECTORY, "change", "trajectory", row_pk=_row("defaults")),
    "api:default-resolve": Route(TRAJECTORY, "change", "trajectory", row_pk=_row("defaults")),
    "api:provider-referrals": Route(REFERRAL, "work_on"),
    "api:provider-referral": Route(REFERRAL, "work_on", "referral"),
    "api:provider-referral-accept": Route(REFERRAL, "work_on", "referral"),
    "api:provider-referral-decline": Route(REFERRAL, "work_on", "referral"),
    "api:provider-referral-intake": Route(REFERRAL, "work_on", "referral"),
    "api:provider-referral-start": Route(REFERRAL, "work_on", "referral"),
    "api:provider-progress-report": Route(REFERRAL, "work_on", "referral"),
    "api:provider-end-report": Route(REFERRAL, "work_on", "referral"),
    "api:portal-my-plan": Route(PORTAL, "use"),
    "api:portal-my-reports": Route(PORTAL, "use"),
    "api:portal-my-report": Route(PORTAL, "use", "self_progress_report", kind="progress"),
    "api:portal-my-report-reactions": Route(PORTAL, "use", "self_progress_report", kind="progress"),
}


class MatrixWorld(World):
    """tests/test_policy.py's world, with what the screens need beyond the policies: a plan
    version with a goal and an agreement per trajectory, a referral and a progress report for
    every participant (the provider's own for `colleague`), and a vacancy per municipality."""

    KEYS = {"participant_pk": "participant_pk"}

    def __init__(self):
        super().__init__()
        own_trajectory = self.trajectories["own"]
        self.plans, self.goals, self.agreements = {}, {}, {}
        for name, trajectory in self.trajectories.items():
            # Version 1 agreed (the participant's plan in the portal), version 2 a revision being
            # written (the only version whose rows can change).
            author = trajectory.consultant or self.users[Role.CONSULTANT]
            agreed = PlanVersionFactory(trajectory=trajectory, created_by=author, agreed_on=dt.date(2025, 2, 1))
            plan = PlanVersionFactory(trajectory=trajectory, created_by=author, number=2)
            trajectory.status = TrajectoryStatus.ACTIVE
            trajectory.save(update_fields=["status"])
            self.plans[name] = plan
            for version in (agreed, plan):
                self.goals[name] = Goal.objects.create(
                    municipality=trajectory.municipality,
                    plan=version,
                    kind=IntermediateGoalKind.values[0],
                    description="Elke week sporten",
                    measure="Rooster van de sportschool",
                    target_date=version.planned_end,
                )
                self.agreements[name] = AgreementFactory(plan=version)
        # A sanction and a municipality default on each trajectory (their steps are API rows).
        self.sanctions = {name: SanctionFactory(agreement=agreement, recorded_by=author) for name, agreement in self.agreements.items()}
        self.defaults = {
            name: MunicipalityDefault.objects.create(
                municipality=agreement.municipality,
                participant=agreement.plan.trajectory.participant,
                trajectory=agreement.plan.trajectory,
                agreement=agreement,
                description="Geen reiskosten vergoed",
                recorded_on=dt.date(2025, 6, 1),
                recorded_by=author,
            )
            for name, agreement in self.agreements.items()
        }
        elsewhere = self.trajectories["elsewhere"]
        self.referrals["own"] = ReferralFactory(
            trajectory=own_trajectory, provider=ProviderFactory(municipality=own_trajectory.municipality)
        )
        self.referrals["elsewhere"] = ReferralFactory(trajectory=elsewhere, provider=ProviderFactory(municipality=elsewhere.municipality))
        for name in ("own", "elsewhere"):
            self.progress_reports[name] = ProgressReportFactory(referral=self.referrals[name])
            self.end_reports[name] = EndReportFactory(trajectory=self.referrals[name].trajectory, referral=self.referrals[name])
        self.vacancies = {
            "own": VacancyFactory(municipality=own_trajectory.municipality, employer__municipality=own_trajectory.municipality),
            "elsewhere": VacancyFactory(municipality=elsewhere.municipality, employer__municipality=elsewhere.municipality),
        }
        self.municipality_b = elsewhere.municipality

    def objects(self, target, name):
        if name is None:
            return None
        table = {
            "participant": self.participants,
            "participant_pk": self.participants,
            "trajectory": self.trajectories,
            "referral": self.referrals,
            "progress_report": self.progress_reports,
            "self_progress_report": self.progress_reports,
            "message": self.messages,
            "change_request": self.requests,
            "vacancy": self.vacancies,
        }[target]
        return table.get(name)


# Which participant's object a role calls its own, and which it must not reach in its own
# municipality (another team's participant; for a provider, a referral to another provider).
OWN = {Role.PROVIDER_STAFF: "colleague"}
OTHER = "other_team"
ELSEWHERE = "elsewhere"


def _reached(world, user, route, relation, name) -> bool:
    """Whether the table's relation reaches participant `name`'s object for `user`."""
    if relation is None or name is None:
        return False
    if route.target == "vacancy":
        return name != ELSEWHERE  # the employer desk is municipality-wide
    promised = world.promised(user, relation)
    if route.target == "change_request" and relation == Relation.TEAM:
        promised |= {"nobody"}  # a request of someone without a consultant is the whole team's
    return name in promised


def _url_names():
    """Every URL name of the project outside the Django admin (tested in test_access_matrix)."""

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                if pattern.namespace and namespace:
                    inner = f"{namespace}:{pattern.namespace}"
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return {name for name in walk(get_resolver().url_patterns, "") if not name.startswith("admin:")}


def test_every_url_is_in_the_matrix():
    unknown = sorted(_url_names() - set(ROUTES) - PUBLIC)
    assert not unknown, f"URL names without a row in ROUTES (or PUBLIC): {unknown}"
    stale = sorted((set(ROUTES) | PUBLIC) - _url_names())
    assert not stale, f"Rows for URL names that no longer exist: {stale}"


def _status(client, url):
    """GET, or an empty POST where the URL takes only POST: the permission answer comes first."""
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, {}, content_type="application/json") if "/api/" in url else client.post(url, {})
    return response.status_code


def _answer(client, world, route, url_name, name):
    return _status(client, reverse(url_name, kwargs=route.kwargs(world, name)))


DENIED = {403, 404}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_every_role_on_every_url(client, role):
    world = MatrixWorld()
    user = world.users[role]
    client.force_login(user)
    if relation_for(user, DOSSIER, "view") == Relation.TEAM and role != Role.CONSULTANT:
        # Outside one's own caseload a dossier opens after a purpose is given (break the glass,
        # tests/privacy/test_break_glass.py); given here, so the table's reach is what is tested.
        dossier_open_with_purpose(
            actor=user, participant=world.participants["own"], reason=BreakGlassReason.values[0], explanation="Matrix"
        )
    failures = []
    for url_name, route in sorted(ROUTES.items()):
        if route.family is None:
            continue
        relation = relation_for(user, route.family, route.action)
        if route.target is None:
            status = _answer(client, world, route, url_name, None)
            allowed = relation is not None
            if allowed == (status in DENIED) or status >= 500:
                failures.append(f"{url_name}: {status}, table says {'allowed' if allowed else 'denied'}")
            continue
        missing = _answer(client, world, route, url_name, None)
        if missing not in DENIED:
            failures.append(f"{url_name} nonexistent: {missing}")
        # Own last: an allowed empty POST may change the object.
        for name in (ELSEWHERE, OTHER, OWN.get(role, "own")):
            if world.objects(route.target, name) is None:
                continue
            status = _answer(client, world, route, url_name, name)
            if _reached(world, user, route, relation, name):
                if status in DENIED or status >= 500:
                    failures.append(f"{url_name} {name}: {status}, table says allowed via {relation}")
            elif status != missing:
                failures.append(f"{url_name} {name}: {status}, not the same answer as nonexistent ({missing})")
    assert not failures, f"{role}:\n" + "\n".join(failures)


@pytest.mark.django_db
def test_logged_out_visitors_get_nothing(client):
    """Every non-public URL sends a logged-out visitor to a log-in page (or answers 401/403)."""
    world = MatrixWorld()
    failures = []
    for url_name, route in sorted(ROUTES.items()):
        url = reverse(url_name, kwargs=route.kwargs(world, "own"))
        status = _status(client, url)
        if status not in (302, 401, 403):
            failures.append(f"{url_name}: {status}")
    assert not failures, "\n".join(failures)
