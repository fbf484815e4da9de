"""Indicators of the theme 'mutual obligations' (wederkerige verplichtingen), see base.py.

The plan is a contract with obligations on both sides: the participant's agreements and the
municipality's, sanctions when the participant does not keep theirs, a recorded default
(verzuim) when the municipality does not keep its own.
"""

from types import SimpleNamespace

import numpy as np
import pandas as pd
from django.utils.translation import gettext_lazy as _

from maatpak.insights.indicators.base import TOTAL_KEY, Facts, Period, Row, Table, Theme, Unit, indicator
from maatpak.insights.indicators.made_to_measure import people_of, share_total
from maatpak.insights.indicators.population import _frame, in_period, stamp
from maatpak.insights.indicators.services import plans_in_force
from maatpak.trajectories.models import (
    Agreement,
    AgreementStatus,
    MunicipalityDefault,
    ObjectionDecision,
    Party,
    Sanction,
    SanctionInitiator,
    SanctionStatus,
)
from maatpak.trajectories.services import sanction_proposed_on

# --- loaders ----------------------------------------------------------------------------------


def agreements(facts: Facts) -> pd.DataFrame:
    """The agreements (afspraken) of the plans in force: id, participant_id, party, deadline,
    status as known on the reference day (a status set later reads as open).

    A revision copies every agreement into the new version (trajectories.services.plan_revise),
    so reading only the version in force counts each agreement once, as it stands now."""
    frame = _frame(
        Agreement.objects.filter(municipality_id__in=facts.municipality_ids),
        ("id", "plan_id", "party", "deadline", "status", "status_changed_on"),
        dates=("deadline", "status_changed_on"),
    )
    # The participant comes with the plan in force (no join over every agreement).
    participant_of = facts.load(plans_in_force).set_index("plan_id")["participant_id"]
    frame = frame[frame["plan_id"].isin(participant_of.index)].copy()
    frame.insert(2, "participant_id", frame["plan_id"].map(participant_of).astype(np.int64))
    frame.loc[(frame["status_changed_on"] > stamp(facts.today)).to_numpy(), "status"] = AgreementStatus.OPEN
    return frame


def _agreements_not_cancelled(facts: Facts) -> pd.DataFrame:
    """`agreements` without the cancelled ones (never due), selected once for all periods."""
    frame = facts.load(agreements)
    return frame[(frame["status"] != AgreementStatus.CANCELLED).to_numpy()]


def municipality_defaults(facts: Facts) -> pd.DataFrame:
    """Defaults of the municipality (verzuim) recorded on or before the reference day, with
    where they stand on it: id, participant_id, recorded_on, stage (resolved / answered / open)."""
    frame = _frame(
        MunicipalityDefault.objects.filter(municipality_id__in=facts.municipality_ids, recorded_on__lte=facts.today),
        ("id", "participant_id", "recorded_on", "answered_on", "resolved_on"),
    )

    def known(day) -> bool:
        return day is not None and not pd.isna(day) and day <= facts.today

    frame["stage"] = [
        "resolved" if known(resolved) else "answered" if known(answered) else "open"
        for answered, resolved in zip(frame["answered_on"], frame["resolved_on"], strict=True)
    ]
    return frame


def sanction_standing(*, status: str, decided_on, objection_decision: str, objection_decided_on, today) -> str:
    """Where a sanction stands on `today`: "imposed", "withdrawn" (after the hearing, or revoked
    on objection: an upheld objection undoes it) or "open" (hearing or decision pending). A
    decision dated after `today` is not known on it."""

    def known(day) -> bool:
        return day is not None and day <= today

    if status == SanctionStatus.REVOKED and objection_decision == ObjectionDecision.UPHELD and known(objection_decided_on):
        return "withdrawn"
    if status in (SanctionStatus.IMPOSED, SanctionStatus.REVOKED) and known(decided_on):
        return "imposed"
    if status == SanctionStatus.WITHDRAWN and known(decided_on):
        return "withdrawn"
    return "open"


def sanctions(facts: Facts) -> pd.DataFrame:
    """Sanctions (maatregelen) proposed on or before the reference day: id, participant_id,
    initiated_by, proposed_on (trajectories.services: the day recorded, or the planned hearing
    if earlier), standing (see `sanction_standing`)."""
    rows = []
    columns = ("id", "participant_id", "initiated_by", "status", "hearing_on", "created_at", "decided_on")
    objection = ("objection_decision", "objection_decided_on")
    for values in Sanction.objects.filter(municipality_id__in=facts.municipality_ids).values_list(*columns, *objection):
        sanction = SimpleNamespace(**dict(zip((*columns, *objection), values, strict=True)))
        proposed_on = sanction_proposed_on(sanction)
        if proposed_on > facts.today:
            continue
        standing = sanction_standing(
            status=sanction.status,
            decided_on=sanction.decided_on,
            objection_decision=sanction.objection_decision,
            objection_decided_on=sanction.objection_decided_on,
            today=facts.today,
        )
        rows.append((sanction.id, sanction.participant_id, sanction.initiated_by, proposed_on, standing))
    return pd.DataFrame.from_records(rows, columns=["id", "participant_id", "initiated_by", "proposed_on", "standing"])


# --- indicators -------------------------------------------------------------------------------


@indicator(
    code="agreements_kept_by_party",
    theme=Theme.OBLIGATIONS,
    title=_("Agreements kept, by side"),
    definition=_(
        "Agreements in the plan in force with a deadline in the period, per side that made the promise (the participant or the "
        "municipality), and how many of them were kept. Each agreement counts once: the copies a new plan version makes are "
        "not counted again. Cancelled agreements are not due. A status set after the reference day is not known yet."
    ),
    numerator=_("Agreements marked as kept"),
    denominator=_("Agreements with a deadline in the period, not cancelled"),
    period_rule=_("The deadline of the agreement lies in the period."),
    reads=(
        "trajectories.Agreement.party",
        "trajectories.Agreement.deadline",
        "trajectories.Agreement.status",
        "trajectories.Agreement.status_changed_on",
        "trajectories.PlanVersion.agreed_on",
        "trajectories.Signature.party",
    ),
    sentence=_("Of the {base} agreements due in {period}, {count} ({share}) were kept."),
    unit=Unit.EVENTS,
    breakdown=_("Who promised"),
)
def agreements_kept_by_party(facts: Facts, period: Period) -> Table:
    frame = facts.load(_agreements_not_cancelled)
    due = frame[in_period(frame["deadline"], period.start, period.end)]
    rows = []
    for value, label in Party.choices:
        side = due[due["party"] == value]
        total = share_total(side, side["status"] == AgreementStatus.KEPT)
        rows.append(Row(str(value), str(label), total.count, base=total.base, people=total.people))
    return Table(rows=rows, total=share_total(due, due["status"] == AgreementStatus.KEPT))


DEFAULT_STAGES = (
    ("resolved", _("Put right")),
    ("answered", _("Answered, not yet put right")),
    ("open", _("Open")),
)


@indicator(
    code="municipality_defaults",
    theme=Theme.OBLIGATIONS,
    title=_("Defaults of the municipality"),
    definition=_(
        "Times the municipality did not keep an agreement in a plan (recorded by the consultant or reported by the participant), "
        "recorded in the period, by where they stand on the reference day: put right, answered but not yet put right, or open."
    ),
    numerator=_("Defaults of the municipality recorded in the period"),
    denominator="",
    period_rule=_("The day the default was recorded lies in the period; where it stands is as on the reference day."),
    reads=(
        "trajectories.MunicipalityDefault.recorded_on",
        "trajectories.MunicipalityDefault.answered_on",
        "trajectories.MunicipalityDefault.resolved_on",
    ),
    sentence=_("In {period} the municipality did not keep an agreement {count} times."),
    unit=Unit.EVENTS,
    breakdown=_("Where it stands"),
)
def municipality_defaults_by_stage(facts: Facts, period: Period) -> Table:
    frame = facts.load(municipality_defaults)
    recorded = frame[in_period(frame["recorded_on"], period.start, period.end)]
    rows = []
    for key, label in DEFAULT_STAGES:
        hits = recorded[recorded["stage"] == key]
        rows.append(Row(key, str(label), len(hits), people=people_of(hits)))
    return Table(rows=rows, total=Row(TOTAL_KEY, str(_("Total")), len(recorded), people=people_of(recorded)))


SANCTION_STANDINGS = (
    ("imposed", _("Imposed")),
    ("withdrawn", _("Withdrawn or revoked on objection")),
    ("open", _("Still open")),
)


@indicator(
    code="sanctions",
    theme=Theme.OBLIGATIONS,
    title=_("Sanctions proposed and imposed"),
    definition=_(
        "Sanctions (a cut of the benefit) proposed in the period, by where they stand on the reference day: imposed; withdrawn "
        "after the hearing or revoked on objection; or still open (hearing or decision pending)."
    ),
    numerator=_("Sanctions proposed in the period"),
    denominator="",
    period_rule=_("The day the sanction was proposed lies in the period; where it stands is as on the reference day."),
    reads=(
        "trajectories.Sanction.created_at",
        "trajectories.Sanction.hearing_on",
        "trajectories.Sanction.status",
        "trajectories.Sanction.decided_on",
        "trajectories.Sanction.objection_decision",
        "trajectories.Sanction.objection_decided_on",
    ),
    sentence=_("In {period} {count} sanctions were proposed."),
    unit=Unit.EVENTS,
    breakdown=_("Where it stands"),
)
def sanctions_by_standing(facts: Facts, period: Period) -> Table:
    frame = facts.load(sanctions)
    proposed = frame[in_period(frame["proposed_on"], period.start, period.end)]
    rows = []
    for key, label in SANCTION_STANDINGS:
        hits = proposed[proposed["standing"] == key]
        rows.append(Row(key, str(label), len(hits), people=people_of(hits)))
    return Table(rows=rows, total=Row(TOTAL_KEY, str(_("Total")), len(proposed), people=people_of(proposed)))


@indicator(
    code="sanctions_on_provider_word",
    theme=Theme.OBLIGATIONS,
    title=_("Sanctions started on a provider's signal"),
    definition=_(
        "Sanctions proposed in the period, and how many of them started on a signal from a provider rather than on the "
        "consultant's own finding."
    ),
    numerator=_("Sanctions started on a signal from a provider"),
    denominator=_("Sanctions proposed in the period"),
    period_rule=_("The day the sanction was proposed lies in the period."),
    reads=("trajectories.Sanction.created_at", "trajectories.Sanction.hearing_on", "trajectories.Sanction.initiated_by"),
    sentence=_("Of the {base} sanctions proposed in {period}, {count} ({share}) started on a provider's signal."),
    unit=Unit.EVENTS,
)
def sanctions_on_provider_word(facts: Facts, period: Period) -> Table:
    frame = facts.load(sanctions)
    proposed = frame[in_period(frame["proposed_on"], period.start, period.end)]
    return Table(rows=[], total=share_total(proposed, proposed["initiated_by"] == SanctionInitiator.PROVIDER))
