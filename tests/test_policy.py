"""Requirement (issue 12): one permission table, and policies that do what it promises.

Generated from `accounts.policy.PERMISSIONS`, so a row added later is covered without touching
this file:
- for every (family, action) row and every role, `relation_for`/`permits`/`roles_for` answer
  what the row says;
- for every object policy (dossier, portal, trajectory and referral with their reports, the
  audit log's participant look-up), in a small world (own caseload, a team colleague's, another
  team, another municipality, a referral to the user's provider, the participant themselves),
  `instances_for` returns exactly the rows the granted relation promises, and `allows`/`check`
  agree with it;
- nothing outside the policy module compares a user's role.
"""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from maatpak.accounts.models import User
from maatpak.accounts.policy import PERMISSIONS, Relation, permits, relation_for, require, roles_for
from maatpak.accounts.roles import Role
from maatpak.participants.policies import dossier_policy
from maatpak.portal.models import ChangeRequestStatus, ConsultantChangeRequest, Message, MessageDirection
from maatpak.portal.policies import change_request_policy, message_policy, portal_participant_policy
from maatpak.privacy.policies import audit_participant_policy
from maatpak.trajectories.policies import REPORT_POLICIES, referral_policy, trajectory_policy
from tests.factories import (
    EndReportFactory,
    MunicipalityFactory,
    ParticipantFactory,
    ProgressReportFactory,
    ProviderFactory,
    ReferralFactory,
    TeamFactory,
    TrajectoryFactory,
    UserFactory,
)

ROOT = Path(__file__).resolve().parent.parent
ROWS = sorted(PERMISSIONS)


# --- the table itself ---------------------------------------------------------------------------


@pytest.mark.parametrize(("family", "action"), ROWS, ids=[f"{f}.{a}" for f, a in ROWS])
@pytest.mark.parametrize("role", list(Role))
def test_relation_for_answers_what_the_row_says(family, action, role):
    user = User(username=f"u-{role}", role=role, is_active=True)
    expected = PERMISSIONS[(family, action)].get(role)
    assert relation_for(user, family, action) == expected
    assert permits(user, family, action) is (expected is not None)
    assert (role in roles_for(family, action)) is (expected is not None)
    if expected is None:
        with pytest.raises(PermissionDenied):
            require(user, family, action)
    else:
        assert require(user, family, action) == expected


@pytest.mark.parametrize(("family", "action"), ROWS, ids=[f"{f}.{a}" for f, a in ROWS])
def test_nobody_logged_out_or_switched_off_may_do_anything(family, action):
    assert relation_for(AnonymousUser(), family, action) is None
    for role in PERMISSIONS[(family, action)]:
        assert relation_for(User(username="off", role=role, is_active=False), family, action) is None


def test_every_grant_is_a_known_role_and_relation():
    for grants in PERMISSIONS.values():
        assert set(grants) <= set(Role.values)
        assert set(grants.values()) <= set(Relation)


def test_an_unknown_row_is_an_error_not_a_silent_no():
    with pytest.raises(ValueError):
        relation_for(User(username="x", role=Role.CONSULTANT), "dossier", "no_such_action")


# --- the policies against a small world -----------------------------------------------------------


class World:
    """Municipality A with teams North and South, and municipality B.

    - `own`: a participant of the North consultant (`consultant`), with their own portal login;
    - `colleague`: a participant of another North consultant (cover, waarneming);
    - `other_team`: a participant of a South consultant;
    - `nobody`: a participant without a consultant;
    - `elsewhere`: a participant in municipality B (whose consultant is also in B).
    Every participant has a trajectory, a message and a request for another consultant (with
    the consultant at the time). `colleague`'s trajectory is referred to the provider of
    `provider_staff`, `other_team`'s to another provider; both referrals have a progress report
    and an end report.
    """

    def __init__(self):
        a, b = MunicipalityFactory(code="GM0001"), MunicipalityFactory(code="GM0002")
        north, south = TeamFactory(municipality=a, name="Noord"), TeamFactory(municipality=a, name="Zuid")
        self.provider = ProviderFactory(municipality=a)
        consultant = UserFactory(role=Role.CONSULTANT, municipalities=[a], team=north)
        north_colleague = UserFactory(role=Role.CONSULTANT, municipalities=[a], team=north)
        south_consultant = UserFactory(role=Role.CONSULTANT, municipalities=[a], team=south)
        b_consultant = UserFactory(role=Role.CONSULTANT, municipalities=[b], team=TeamFactory(municipality=b))
        participant_login = UserFactory(role=Role.PARTICIPANT, municipalities=[a])
        self.participants = {
            "own": ParticipantFactory(municipality=a, consultant=consultant, user=participant_login),
            "colleague": ParticipantFactory(municipality=a, consultant=north_colleague),
            "other_team": ParticipantFactory(municipality=a, consultant=south_consultant),
            "nobody": ParticipantFactory(municipality=a, consultant=None),
            "elsewhere": ParticipantFactory(municipality=b, consultant=b_consultant),
        }
        self.users = {}
        for role in Role:
            if role == Role.CONSULTANT:
                self.users[role] = consultant
            elif role == Role.PARTICIPANT:
                self.users[role] = participant_login
            else:
                self.users[role] = UserFactory(
                    role=role,
                    municipalities=[a],
                    team=north if role == Role.TEAM_LEAD else None,
                    provider=self.provider if role == Role.PROVIDER_STAFF else None,
                )
        self.trajectories, self.messages, self.requests = {}, {}, {}
        for name, participant in self.participants.items():
            self.trajectories[name] = TrajectoryFactory(participant=participant, consultant=participant.consultant)
            self.messages[name] = Message.objects.create(
                municipality=participant.municipality,
                participant=participant,
                direction=MessageDirection.TO_CONSULTANT,
                sender=participant_login,
                subject=f"Vraag van {name}",
                body="?",
            )
            self.requests[name] = ConsultantChangeRequest.objects.create(
                municipality=participant.municipality,
                participant=participant,
                consultant=participant.consultant,
                status=ChangeRequestStatus.OPEN,
            )
        self.referrals = {
            "colleague": ReferralFactory(trajectory=self.trajectories["colleague"], provider=self.provider),
            "other_team": ReferralFactory(trajectory=self.trajectories["other_team"], provider=ProviderFactory(municipality=a)),
        }
        self.progress_reports = {name: ProgressReportFactory(referral=referral) for name, referral in self.referrals.items()}
        self.end_reports = {
            name: EndReportFactory(trajectory=referral.trajectory, referral=referral) for name, referral in self.referrals.items()
        }

    def promised(self, user, relation) -> set[str]:
        """The participants (by name) a relation promises `user`, written out by hand from the
        relation's meaning, not computed by the code under test."""
        role = user.role
        return {
            Relation.OWN_CASELOAD: {Role.CONSULTANT: {"own"}}.get(role, set()),
            Relation.TEAM: {Role.CONSULTANT: {"own", "colleague"}, Role.TEAM_LEAD: {"own", "colleague"}}.get(role, set()),
            Relation.SELF: {Role.PARTICIPANT: {"own"}}.get(role, set()),
            Relation.MUNICIPALITY: {"own", "colleague", "other_team", "nobody"},
            Relation.OWN_REFERRAL: {Role.PROVIDER_STAFF: {"colleague"}}.get(role, set()),
        }[relation]


# (policy, rows of the world per participant name, how a relation's promise widens for it)
def _cases(world):
    def requests_promise(user, relation):
        promised = world.promised(user, relation)
        # A request of someone without a consultant is nobody's team: the whole team reaches it.
        if relation == Relation.TEAM:
            promised |= {"nobody"}
        return promised

    return {
        "dossier": (dossier_policy, world.participants, world.promised),
        "portal participant": (portal_participant_policy, world.participants, world.promised),
        "portal message": (message_policy, world.messages, world.promised),
        "portal change request": (change_request_policy, world.requests, requests_promise),
        "trajectory": (trajectory_policy, world.trajectories, world.promised),
        "referral": (referral_policy, world.referrals, world.promised),
        "progress report": (REPORT_POLICIES["progress"], world.progress_reports, world.promised),
        "end report": (REPORT_POLICIES["end"], world.end_reports, world.promised),
        "audit-log participant look-up": (audit_participant_policy, world.participants, world.promised),
    }


CASES = [
    "dossier",
    "portal participant",
    "portal message",
    "portal change request",
    "trajectory",
    "referral",
    "progress report",
    "end report",
    "audit-log participant look-up",
]


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES)
def test_instances_for_returns_exactly_what_the_relation_promises(case):
    world = World()
    policy, rows, promise = _cases(world)[case]
    actions = [action for family, action in ROWS if family == policy.family]
    assert actions, f"no row of family {policy.family}"
    for action in actions:
        for role, user in world.users.items():
            relation = relation_for(user, policy.family, action)
            expected = {name for name in rows if relation is not None and name in promise(user, relation)}
            got = set(policy.instances_for(user, action))
            assert got == {rows[name] for name in expected}, f"{case}: {role} {policy.family}.{action} via {relation}"
            for name, obj in rows.items():
                assert policy.allows(user, action, obj) is (name in expected)
                if name not in expected:
                    with pytest.raises(Http404):
                        policy.check(user, action, obj)
                    with pytest.raises(Http404):
                        policy.get(user, action, obj.pk)
                else:
                    assert policy.check(user, action, obj) == obj
                    assert policy.get(user, action, obj.pk) == obj


@pytest.mark.django_db
def test_a_malformed_key_is_the_same_404():
    world = World()
    with pytest.raises(Http404):
        dossier_policy.get(world.users[Role.CONSULTANT], "view", "not-a-number")


# --- nothing else compares roles -------------------------------------------------------------------

ROLE_COMPARISON = re.compile(r"\.role\s*(==|!=|\bin\b|\bnot\s+in\b)")


def test_no_role_comparisons_outside_the_policy_module():
    """`git grep -nE '\\.role (==|!=|in)' maatpak/` may only find accounts/policy.py: every other
    check asks the table (a role comparison elsewhere is a rule with a second home)."""
    allowed = {ROOT / "maatpak" / "accounts" / "policy.py"}
    found = []
    for path in sorted((ROOT / "maatpak").rglob("*")):
        if path.suffix not in (".py", ".html") or path in allowed or "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if ROLE_COMPARISON.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "Role compared outside accounts/policy.py:\n" + "\n".join(found)
