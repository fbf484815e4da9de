"""Who may do what (autorisatie): one table of role × action × relation, and the base of the
permission policies built on it (docs/architecture.md, "Access").

Every access rule in Maatpak starts here. `PERMISSIONS` says, per object family and action,
which roles may act and through which relation to the object (their own caseload, their team,
their municipality, their own provider's referral, themselves). The policies of the domain apps
(`participants.policies`, `trajectories.policies`, `portal.policies`, ...) turn a relation into
a queryset; views, services, selectors, the API and the admin ask those policies and nothing
else. This is the only module that compares a user's role (tested by grep in `test_policy.py`).

The shape follows Wagtail's permission policies: `instances_for(user, action)` returns the rows
a user may act on, `check(user, action, obj)` returns the object or raises the same 404 as for
an object that does not exist, so nobody learns that a dossier exists.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

from maatpak.accounts.roles import Role
from maatpak.core.tenancy import scope_to_user


class Relation(models.TextChoices):
    """How a user stands to an object; the table grants an action through one of these."""

    OWN_CASELOAD = "own_caseload", "own caseload"  # participants whose consultant the user is
    TEAM = "team", "team"  # participants of the user's team (a consultant: own + colleagues', for cover)
    OWN_REFERRAL = "own_referral", "own referral"  # referrals to the user's provider, within the access period
    SELF = "self", "self"  # the participant's own data
    MUNICIPALITY = "municipality", "municipality"  # aggregates and logs of the user's municipalities


# Object families (objectfamilies). Each has one policy in its domain app.
DOSSIER = "dossier"  # Participant and its dossier parts (participants.policies)
TRAJECTORY = "trajectory"  # Trajectory, plan versions and their rows, sanctions, defaults (trajectories.policies)
REFERRAL = "referral"  # Referral, progress and end reports (trajectories.policies)
PORTAL = "portal"  # the participant's own portal data: messages, change requests, feedback (portal.policies)
AGGREGATES = "aggregates"  # monitoring, what works, council figures: never a person
AUDIT_LOG = "audit_log"  # the audit log (privacy)
EMPLOYER_DESK = "employer_desk"  # employers, vacancies, matching (employers)
ADMINISTRATION = "administration"  # the municipality's Django admin
SUBJECT_ACCESS = "subject_access"  # the right of access (inzage, AVG art. 15): all a participant's data (privacy)

_C, _TL, _P = Role.CONSULTANT, Role.TEAM_LEAD, Role.PARTICIPANT
_R = Relation

# The single source: (family, action) -> {role: relation}. A role that is not listed may not.
PERMISSIONS: dict[tuple[str, str], dict[str, Relation]] = {
    # The dossier (doelbinding): a consultant reads and records for their own caseload and, for
    # cover (waarneming), their team colleagues'; a team lead for the team. Every read is logged.
    (DOSSIER, "view"): {_C: _R.TEAM, _TL: _R.TEAM},
    (DOSSIER, "change"): {_C: _R.TEAM, _TL: _R.TEAM},
    # The caseload list: a consultant's own participants, a team lead's whole team.
    (DOSSIER, "list_caseload"): {_C: _R.OWN_CASELOAD, _TL: _R.TEAM},
    (DOSSIER, "assign_consultant"): {_TL: _R.TEAM},
    # Who can be a participant's consultant (hold a caseload), and so receives their messages.
    (DOSSIER, "hold_caseload"): {_C: _R.OWN_CASELOAD},
    (DOSSIER, "view_team_overview"): {_TL: _R.TEAM},
    # The participant writes their own wishes (portal); staff through the dossier relation.
    (DOSSIER, "add_own_wish"): {_P: _R.SELF},
    # Intake (aanmelding): a new participant of the user's municipality. A duplicate BSN is shown
    # as the existing dossier only to whoever may view it (dossier view), else a neutral message.
    (DOSSIER, "register"): {_C: _R.MUNICIPALITY, _TL: _R.MUNICIPALITY},
    # The consultant's list of work waiting (reports, reactions, messages, checks due, ...).
    (DOSSIER, "view_work_list"): {_C: _R.OWN_CASELOAD, _TL: _R.TEAM},
    # Trajectory and plan: the consultant's work with the participant, who signs and reads it.
    (TRAJECTORY, "view"): {_C: _R.TEAM, _TL: _R.TEAM, _P: _R.SELF},
    (TRAJECTORY, "change"): {_C: _R.TEAM, _TL: _R.TEAM},
    (TRAJECTORY, "sign"): {_C: _R.TEAM, _TL: _R.TEAM, _P: _R.SELF},
    # A copy handed over: the consultant records it, the participant's own download records it.
    (TRAJECTORY, "record_handover"): {_C: _R.TEAM, _TL: _R.TEAM, _P: _R.SELF},
    # The consultant confirms or corrects an intermediate goal's status (a provider only proposes).
    (TRAJECTORY, "confirm_goal"): {_C: _R.TEAM, _TL: _R.TEAM},
    # Sanctions: proposed, heard, decided, objected to — the municipality's decisions.
    (TRAJECTORY, "decide_sanction"): {_C: _R.TEAM, _TL: _R.TEAM},
    # Obligations run both ways: the participant reports a default of the municipality; whoever
    # may act on the dossier must answer it.
    (TRAJECTORY, "report_default"): {_P: _R.SELF},
    (TRAJECTORY, "answer_default"): {_C: _R.TEAM, _TL: _R.TEAM},
    # Referrals and reports: the provider works on its own referrals; the consultant proposes
    # and reads; the participant reads the reports about them.
    (REFERRAL, "view"): {_C: _R.TEAM, _TL: _R.TEAM, Role.PROVIDER_STAFF: _R.OWN_REFERRAL, _P: _R.SELF},
    (REFERRAL, "propose"): {_C: _R.TEAM, _TL: _R.TEAM},
    (REFERRAL, "work_on"): {Role.PROVIDER_STAFF: _R.OWN_REFERRAL},
    (REFERRAL, "close"): {_C: _R.TEAM, _TL: _R.TEAM},
    # The portal: a participant uses their own; whoever may act on the dossier answers messages
    # (so a colleague covering a caseload both reads and answers); team leads decide requests
    # for another consultant.
    (PORTAL, "use"): {_P: _R.SELF},
    # Opening the participant's portal account (a one-time activation code on paper).
    (PORTAL, "open_account"): {_C: _R.TEAM, _TL: _R.TEAM},
    (PORTAL, "answer_message"): {_C: _R.TEAM, _TL: _R.TEAM},
    # The inbox lists messages of the user's own caseload only (a team lead holds none, so theirs
    # stays empty); answering goes by the dossier relation above.
    (PORTAL, "read_inbox"): {_C: _R.OWN_CASELOAD, _TL: _R.OWN_CASELOAD},
    (PORTAL, "decide_change_request"): {_TL: _R.TEAM},
    # Aggregates only: never a person.
    (AGGREGATES, "view_monitoring"): {Role.POLICY_OFFICER: _R.MUNICIPALITY, _TL: _R.MUNICIPALITY},
    (AGGREGATES, "view_effectiveness"): {Role.ANALYST: _R.MUNICIPALITY, Role.POLICY_OFFICER: _R.MUNICIPALITY},
    (AGGREGATES, "view_council_feedback"): {Role.COUNCIL_MEMBER: _R.MUNICIPALITY, Role.POLICY_OFFICER: _R.MUNICIPALITY},
    # The indicators (insights.indicators): the municipal dashboard for policy and team leads
    # (a figure opens the people behind it only through the dossier relation above); the council
    # report after small-cell suppression for the council (and the policy officer who explains it);
    # the checklist's questions, which a council may add to; statistics deliveries (Divosa).
    (AGGREGATES, "view_indicators"): {Role.POLICY_OFFICER: _R.MUNICIPALITY, _TL: _R.MUNICIPALITY},
    # The people behind a figure of the dashboard: only for whoever may open their dossiers, and
    # then only those (a team lead: the team's participants).
    (AGGREGATES, "view_people_behind_figures"): {_TL: _R.TEAM},
    (AGGREGATES, "view_council_report"): {Role.COUNCIL_MEMBER: _R.MUNICIPALITY, Role.POLICY_OFFICER: _R.MUNICIPALITY},
    (AGGREGATES, "edit_checklist"): {Role.COUNCIL_MEMBER: _R.MUNICIPALITY, Role.POLICY_OFFICER: _R.MUNICIPALITY},
    (AGGREGATES, "export_statistics"): {Role.POLICY_OFFICER: _R.MUNICIPALITY},
    # The audit log; events with neither actor nor municipality (system events) for administrators.
    (AUDIT_LOG, "view"): {Role.PRIVACY_OFFICER: _R.MUNICIPALITY, Role.ADMIN: _R.MUNICIPALITY},
    (AUDIT_LOG, "view_system_events"): {Role.ADMIN: _R.MUNICIPALITY},
    # The employer desk: employers, vacancies and matching names (not dossiers).
    (EMPLOYER_DESK, "view"): {Role.JOB_COACH: _R.MUNICIPALITY, _C: _R.MUNICIPALITY},
    # The municipality's Django admin (with is_staff).
    (ADMINISTRATION, "use_admin"): {Role.ADMIN: _R.MUNICIPALITY},
    # The right of access (inzage, AVG art. 15): the participant sees and downloads everything
    # Maatpak holds about them; the privacy officer produces the same for a written request from
    # a participant of their municipality.
    (SUBJECT_ACCESS, "view_own"): {_P: _R.SELF},
    (SUBJECT_ACCESS, "handle_request"): {Role.PRIVACY_OFFICER: _R.MUNICIPALITY},
}


def relation_for(user, family: str, action: str) -> Relation | None:
    """The relation through which `user`'s role may do `action` on `family`, or None."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    try:
        grants = PERMISSIONS[(family, action)]
    except KeyError:
        raise ValueError(f"No permission row for {family}.{action}") from None
    return grants.get(user.role)


def permits(user, family: str, action: str) -> bool:
    """Whether the user's role may do `action` on `family` at all (through any relation)."""
    return relation_for(user, family, action) is not None


def require(user, family: str, action: str) -> Relation:
    """For pages without an object (aggregates, logs): the relation, or 403."""
    relation = relation_for(user, family, action)
    if relation is None:
        raise PermissionDenied
    return relation


def roles_for(family: str, action: str) -> frozenset[str]:
    """The roles the table lets do `action` on `family` (menus, the admin, tests)."""
    return frozenset(PERMISSIONS[(family, action)])


# --- the role itself, where a task (not an object) depends on it ------------------------------


def is_participant(user) -> bool:
    """A participant's own login (deelnemer), as opposed to a staff account."""
    return getattr(user, "role", None) == Role.PARTICIPANT


def is_consultant(user) -> bool:
    """A consultant (klantmanager): the only role that can hold a caseload."""
    return getattr(user, "role", None) in roles_for(DOSSIER, "hold_caseload")


def is_provider_staff(user) -> bool:
    """Staff of a provider (aanbieder): they see an allow-list of a referral, never the dossier."""
    return getattr(user, "role", None) == Role.PROVIDER_STAFF


def is_team_lead(user) -> bool:
    """A team lead (teamleider), who answers for the team's caseloads."""
    return getattr(user, "role", None) == Role.TEAM_LEAD


class ObjectPolicy(ABC):
    """A permission policy for one object family. Subclasses set `family` and `model` and say,
    in `for_relation`, which rows a relation reaches; everything else is shared."""

    family: str
    model: type[models.Model]

    def base_queryset(self, user):
        """All rows of the user's municipalities (tenant scope), before any relation."""
        return scope_to_user(self.model._default_manager.all(), user)

    @abstractmethod
    def for_relation(self, user, relation: Relation, queryset):
        """The rows of `queryset` that `relation` reaches for `user`."""

    def instances_for(self, user, action: str):
        """The rows `user` may do `action` on (a queryset; empty when the role may not)."""
        relation = relation_for(user, self.family, action)
        if relation is None:
            return self.model._default_manager.none()
        return self.for_relation(user, relation, self.base_queryset(user))

    def user_has_permission(self, user, action: str) -> bool:
        return permits(user, self.family, action)

    def allows(self, user, action: str, obj) -> bool:
        return obj is not None and obj.pk is not None and self.instances_for(user, action).filter(pk=obj.pk).exists()

    def check(self, user, action: str, obj):
        """`obj` if `user` may do `action` on it; else the same 404 as for a missing object."""
        if not self.allows(user, action, obj):
            raise Http404
        return obj

    def get(self, user, action: str, pk, queryset=None):
        """The object with primary key `pk` that `user` may do `action` on, or 404 (also for a
        malformed key)."""
        rows = self.instances_for(user, action)
        if queryset is not None:
            rows = queryset.filter(pk__in=rows.values("pk"))
        try:
            return rows.get(pk=pk)
        except (self.model.DoesNotExist, ValueError, TypeError):
            raise Http404 from None
