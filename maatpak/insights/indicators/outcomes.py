"""Indicators of the theme 'outflow and results' (uitstroom en resultaat), see base.py."""

import numpy as np
import pandas as pd
from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext_lazy as _

from maatpak.employers.models import PAID_WORK_KINDS, Placement, PlacementFollowUp
from maatpak.employers.selectors import placement_lasted
from maatpak.insights.indicators.base import TOTAL_KEY, Facts, Period, Row, Table, Theme, Unit, indicator
from maatpak.insights.indicators.population import _frame, as_days, benefit_spells, id_set, in_period, ladder_assessments, stamp
from maatpak.participants.models import BenefitEndReason, Exemption
from maatpak.trajectories.models import Goal, GoalStatus


@indicator(
    code="inflow",
    theme=Theme.OUTCOMES,
    title=_("Inflow into benefit"),
    definition=_(
        "People whose benefit started in the period. A person who had no benefit on the day before counts; "
        "moving from one benefit straight to another (e.g. IOAW to Participatiewet) is no inflow."
    ),
    numerator=_("People with a benefit that started in the period"),
    denominator="",
    period_rule=_("The start date of the benefit lies in the period."),
    reads=("participants.Benefit.start_date", "participants.Benefit.end_date"),
    sentence=_("In {period} {count} people started on benefit."),
)
def inflow(facts: Facts, period: Period) -> Table:
    spells = facts.load(benefit_spells)
    people = id_set(spells.loc[in_period(spells["start_date"], period.start, period.end), "participant_id"].unique())
    return Table(rows=[], total=Row(TOTAL_KEY, str(_("Total")), len(people), people=people))


@indicator(
    code="outflow_by_reason",
    theme=Theme.OUTCOMES,
    title=_("Outflow from benefit by reason"),
    definition=_(
        "Benefits that ended in the period, by the reason recorded when the benefit was ended, in Divosa's benchmark categories. "
        "A benefit followed straight away by another benefit is no outflow."
    ),
    numerator=_("Benefits ended in the period, per reason"),
    denominator="",
    period_rule=_("The end date of the benefit lies in the period."),
    reads=("participants.Benefit.end_date", "participants.Benefit.end_reason"),
    sentence=_("In {period} {count} people left the benefit."),
    breakdown=_("Reason"),
    unit=Unit.PEOPLE,
)
def outflow_by_reason(facts: Facts, period: Period) -> Table:
    spells = facts.load(benefit_spells)
    ended = spells[in_period(spells["end_date"], period.start, period.end)]
    # A benefit ended without a reason counts as "other".
    reasons = ended["end_reason"].where(ended["end_reason"].astype(bool), BenefitEndReason.OTHER).astype(str)
    by_reason = {reason: set(people) for reason, people in ended["participant_id"].groupby(reasons.to_numpy()).unique().items()}
    rows = [
        Row(str(value), str(label), len(by_reason.get(value, ())), people=frozenset(by_reason.get(value, ())))
        for value, label in BenefitEndReason.choices
    ]
    everyone = frozenset().union(*(row.people for row in rows))
    return Table(rows=rows, total=Row(TOTAL_KEY, str(_("Total")), sum(row.count for row in rows), people=everyone))


# --- return onto benefit (herinstroom) --------------------------------------------------------

# Ends after which a return onto benefit here cannot be seen: left out of the base.
UNOBSERVABLE_ENDS = frozenset({BenefitEndReason.DECEASED, BenefitEndReason.MOVED})
# The rows of herinstroom: left for work (employment or own business), or for another reason.
WORK_ENDS = frozenset({BenefitEndReason.WORK, BenefitEndReason.SELF_EMPLOYMENT})
RETURN_MONTHS = 12
RETURN_WINDOW = relativedelta(months=RETURN_MONTHS)


def spell_ends(facts: Facts) -> pd.DataFrame:
    """Ended benefit spells with the start of the person's next spell (NaT if none yet):
    participant_id, end_date, end_reason, next_start. Spells never overlap, so the next spell
    in start order is the first return."""
    spells = facts.load(benefit_spells)
    if not len(spells):
        return spells.assign(next_start=spells["start_date"])[["participant_id", "end_date", "end_reason", "next_start"]]
    spells = spells.sort_values(["participant_id", "start_date"], kind="stable").reset_index(drop=True)
    following = spells["start_date"].shift(-1)
    same_person = spells["participant_id"].shift(-1) == spells["participant_id"]
    spells["next_start"] = following.where(same_person)
    ended = spells[spells["end_date"].notna()]
    return ended[["participant_id", "end_date", "end_reason", "next_start"]].reset_index(drop=True)


@indicator(
    code="return_to_benefit_12m",
    theme=Theme.OUTCOMES,
    title=_("Return onto benefit within 12 months"),
    definition=_(
        "Of the people who left the benefit in the same quarter one year before the period, the share who started on benefit "
        "again within 12 months after the day it ended. A move from one benefit straight to another is no leaving. "
        "A person who left twice in that quarter counts once, with the first time. "
        "Only people whose 12 months have fully passed on the reference day are counted, so a figure never changes later. "
        "People who died or moved to another municipality are left out: a return cannot be seen here. "
        "Rows: left for work (a job or an own business) or for another reason."
    ),
    numerator=_("People back on benefit within 12 months after leaving"),
    denominator=_("People who left the benefit in the same quarter a year before, whose 12 months have passed"),
    period_rule=_(
        "The benefit ended in the same quarter one year before the period; the new benefit started at most 12 months after that."
    ),
    reads=("participants.Benefit.start_date", "participants.Benefit.end_date", "participants.Benefit.end_reason"),
    sentence=_(
        "Of the {base} people who left the benefit a year before {period}, {count} were back on benefit within 12 months ({share})."
    ),
    unit=Unit.PEOPLE,
    breakdown=_("Reason for leaving"),
)
def return_to_benefit_12m(facts: Facts, period: Period) -> Table:
    ends = facts.load(spell_ends)
    left = period.shifted(-4)
    ends = (
        ends[in_period(ends["end_date"], left.start, left.end)].sort_values(["end_date"], kind="stable").drop_duplicates("participant_id")
    )
    window_end = ends["end_date"] + pd.DateOffset(months=RETURN_MONTHS)  # end_date + RETURN_WINDOW, vectorised
    ends = ends[~ends["end_reason"].isin(UNOBSERVABLE_ENDS) & (window_end <= stamp(facts.today))]
    returned = (ends["next_start"] <= window_end.reindex(ends.index)).to_numpy()
    work = ends["end_reason"].isin(WORK_ENDS).to_numpy()
    ids = ends["participant_id"].to_numpy()
    labels = {"work": _("Left for work"), "other": _("Left for another reason")}
    rows = []
    for key, mine in (("work", work), ("other", ~work)):
        base, back = id_set(ids[mine]), id_set(ids[mine & returned])
        rows.append(Row(key, str(labels[key]), len(back), base=len(base), people=back))
    return Table(rows=rows, total=_sum_rows(rows))


# --- work durability (duurzaamheid) -----------------------------------------------------------

DURABILITY_MONTHS = (6, 12, 24)


def _durability_marks(facts: Facts) -> pd.DataFrame:
    """Per placement in paid work and per mark (6, 12, 24 months after its start): placement_id,
    participant_id, months, moment (datetime64), and what `placement_lasted` reads: start, end,
    checks. A check recorded after the reference day is not known on it: it counts as not done yet."""
    placements = Placement.objects.filter(municipality_id__in=facts.municipality_ids, kind__in=PAID_WORK_KINDS, start_date__lte=facts.today)
    checks: dict[int, list] = {}
    for placement_id, checked_on, still_working in PlacementFollowUp.objects.filter(
        municipality_id__in=facts.municipality_ids, placement__kind__in=PAID_WORK_KINDS
    ).values_list("placement_id", "checked_on", "still_working"):
        known = checked_on is not None and checked_on <= facts.today
        checks.setdefault(placement_id, []).append((checked_on, still_working) if known else (None, None))
    records = [
        (placement_id, participant_id, months, start, end, checks.get(placement_id, ()))
        for placement_id, participant_id, start, end in placements.values_list("id", "participant_id", "start_date", "end_date")
        for months in DURABILITY_MONTHS
    ]
    frame = pd.DataFrame.from_records(records, columns=["placement_id", "participant_id", "months", "start", "end", "checks"])
    # The moment is start + months (relativedelta semantics), computed per column rather than per row.
    starts = as_days(frame["start"])
    moment = starts.copy()
    for months in DURABILITY_MONTHS:
        mine = (frame["months"] == months).to_numpy()
        moment[mine] = starts[mine] + pd.DateOffset(months=months)
    frame.insert(3, "moment", moment)
    return frame


def _answers(facts: Facts, marks: pd.DataFrame) -> pd.DataFrame:
    lasted = [
        placement_lasted(start_date=start, end_date=end, checks=checks, months=months, today=facts.today)
        for start, end, checks, months in zip(marks["start"], marks["end"], marks["checks"], marks["months"], strict=True)
    ]
    return marks[["placement_id", "participant_id", "months", "moment"]].assign(lasted=pd.Series(lasted, index=marks.index, dtype=object))


def durability_answers(facts: Facts) -> pd.DataFrame:
    """Per placement in paid work and per mark (6, 12, 24 months after its start): the day of
    the mark and whether it lasted that long on `facts.today` (True, False, None = not known),
    by `employers.selectors.placement_lasted`. A check recorded after the reference day is not
    known on it: it counts as not done yet."""
    return _answers(facts, facts.load(_durability_marks))


def durability_answers_in(facts: Facts, period: Period) -> pd.DataFrame:
    """`durability_answers` of the marks that lie in `period` (load with `facts.load(durability_answers_in, period)`):
    the rule is applied only where a quarter asks for it."""
    marks = facts.load(_durability_marks)
    return _answers(facts, marks[in_period(marks["moment"], period.start, period.end)])


@indicator(
    code="work_durability",
    theme=Theme.OUTCOMES,
    title=_("Work that lasts: 6, 12 and 24 months"),
    definition=_(
        "Placements in paid work (regular, subsidised or an own business) that reach 6, 12 or 24 months after their start "
        "in the period: the share that lasted that long. A placement lasted when it had not ended (by its end date or a follow-up "
        "check that found the person no longer working) before that moment. If it still runs, a follow-up check on or after the "
        "moment must have found the person still working; while that check is due but not recorded, the answer is not known "
        "and the placement is left out. Only answers known on the reference day count. "
        "A placement reaches at most one of these moments in a quarter, so the rows add up: the total holds all known answers."
    ),
    numerator=_("Placements that lasted until the moment"),
    denominator=_("Placements whose moment lies in the period and whose answer is known"),
    period_rule=_("The start date plus 6, 12 or 24 months lies in the period."),
    reads=(
        "employers.Placement.kind",
        "employers.Placement.start_date",
        "employers.Placement.end_date",
        "employers.PlacementFollowUp.checked_on",
        "employers.PlacementFollowUp.still_working",
    ),
    sentence=_("Of the {base} placements in paid work that reached 6, 12 or 24 months in {period}, {count} lasted that long ({share})."),
    unit=Unit.EVENTS,
    breakdown=_("Months after the start"),
)
def work_durability(facts: Facts, period: Period) -> Table:
    answers = facts.load(durability_answers_in, period)
    answers = answers[answers["lasted"].notna()]
    rows = []
    for months in DURABILITY_MONTHS:
        mine = answers[answers["months"] == months]
        lasted = mine[mine["lasted"].astype(bool)]
        people = id_set(lasted["participant_id"])
        rows.append(Row(str(months), str(_("%(months)s months") % {"months": months}), len(lasted), base=len(mine), people=people))
    return Table(rows=rows, total=_sum_rows(rows))


# --- ladder movement (beweging op de participatieladder) --------------------------------------


def known_ladder_assessments(facts: Facts) -> pd.DataFrame:
    """Ladder assessments dated up to the reference day, oldest first, with `day` as a timestamp
    so a period is selected without a Python call per row."""
    frame = facts.load(ladder_assessments)
    frame = frame.assign(day=as_days(frame["assessed_on"]))
    return frame[frame["day"] <= stamp(facts.today)].sort_values(["day", "id"], kind="stable")


LADDER_MOVES = (("up", _("Higher rung")), ("same", _("Same rung")), ("down", _("Lower rung")))


@indicator(
    code="ladder_movement",
    theme=Theme.OUTCOMES,
    title=_("Movement on the participation ladder"),
    definition=_(
        "People assessed on the participation ladder in the period who also had an assessment before the period: "
        "their latest rung in the period compared with their latest rung before the period started. "
        "People assessed for the first time in the period are not counted. Assessments dated after the reference day are not known."
    ),
    numerator=_("People per direction: a higher, the same or a lower rung"),
    denominator="",
    period_rule=_("An assessment dated in the period, and an earlier one dated before the period."),
    reads=("participants.LadderAssessment.assessed_on", "participants.LadderAssessment.rung"),
    sentence=_("In {period} {count} people were assessed on the participation ladder again."),
    unit=Unit.PEOPLE,
    breakdown=_("Direction"),
)
def ladder_movement(facts: Facts, period: Period) -> Table:
    frame = facts.load(known_ladder_assessments)
    start, end = stamp(period.start), stamp(period.end)
    during = frame[(frame["day"] >= start) & (frame["day"] <= end)].drop_duplicates("participant_id", keep="last")
    earlier = frame[frame["day"] < start].drop_duplicates("participant_id", keep="last").set_index("participant_id")["rung"]
    during = during[during["participant_id"].isin(earlier.index)]
    rung, previous = during["rung"].to_numpy(), during["participant_id"].map(earlier).to_numpy()
    direction = np.where(rung > previous, "up", np.where(rung < previous, "down", "same"))
    ids = during["participant_id"].to_numpy()
    rows = []
    for key, label in LADDER_MOVES:
        people = id_set(ids[direction == key])
        rows.append(Row(key, str(label), len(people), people=people))
    return Table(rows=rows, total=_sum_rows(rows))


# --- intermediate goals (tussendoelen) --------------------------------------------------------

CONFIRMED_STATUSES = (GoalStatus.REACHED, GoalStatus.PARTLY_REACHED, GoalStatus.NOT_REACHED)
# Plan versions seldom copy a goal more than a few times; a longer chain is followed by hand.
MAX_COPIES = 64


def confirmed_goals(facts: Facts) -> pd.DataFrame:
    """Goal statuses confirmed by a consultant (trajectories.goals.goal_status_confirm), one row
    per goal: root (the first version of the goal, so a goal and its copies in later plan
    versions are one goal), participant_id, status, reached_on (the date the status applies
    from), plan_number. A status dated after the reference day is not known on it."""
    frame = _frame(
        Goal.objects.filter(municipality_id__in=facts.municipality_ids),
        ("id", "copied_from_id", "plan__trajectory__participant_id", "status", "reached_on", "status_set_by_id", "plan__number"),
        dates=("reached_on",),
    )
    # A provider's proposal (GoalProgress) is no status: only what a consultant confirmed.
    confirmed = frame[
        frame["status"].isin(CONFIRMED_STATUSES) & frame["status_set_by_id"].notna() & (frame["reached_on"] <= stamp(facts.today))
    ]
    return pd.DataFrame(
        {
            "root": _goal_roots(frame, confirmed["id"].to_numpy()),
            "participant_id": confirmed["plan__trajectory__participant_id"].to_numpy(),
            "status": confirmed["status"].to_numpy(),
            "reached_on": confirmed["reached_on"].to_numpy(),
            "plan_number": confirmed["plan__number"].to_numpy(),
        }
    )


def _goal_roots(goals: pd.DataFrame, wanted) -> np.ndarray:
    """Per goal id in `wanted` the first version of the goal: follow `copied_from_id` (within
    `goals`) up, for all goals at once; a chain longer than `MAX_COPIES` (or a loop) is followed
    one goal at a time."""
    parent = pd.Series(goals["copied_from_id"].to_numpy(), index=goals["id"].to_numpy()).dropna()
    current = pd.Series(np.asarray(wanted, dtype=np.int64))
    for _step in range(MAX_COPIES):
        up = current.map(parent)
        if up.isna().all():
            return current.to_numpy()
        current = up.fillna(current).astype(np.int64)
    rows = list(zip(goals["id"].tolist(), goals["copied_from_id"].tolist(), strict=True))
    parent = {goal_id: None if pd.isna(copied_from) else int(copied_from) for goal_id, copied_from in rows}
    roots: dict[int, int] = {}

    def root(goal_id: int) -> int:
        chain = []
        while goal_id not in roots and parent.get(goal_id) is not None and len(chain) < len(parent):
            chain.append(goal_id)
            goal_id = parent[goal_id]
        found = roots.get(goal_id, goal_id)
        for item in chain:
            roots[item] = found
        return found

    return np.array([root(int(goal_id)) for goal_id in wanted], dtype=np.int64)


@indicator(
    code="goals_reached",
    theme=Theme.OUTCOMES,
    title=_("Intermediate goals with a confirmed status"),
    definition=_(
        "Intermediate goals of a plan whose status the consultant confirmed with a date in the period: reached, partly reached or "
        "not reached. A provider's proposal in a progress report counts only once the consultant has confirmed it. "
        "A goal counts once, also when a new version of the plan holds a copy of it; if its status changed more than once in "
        "the period, the latest status counts."
    ),
    numerator=_("Goals per confirmed status"),
    denominator="",
    period_rule=_("The date from which the confirmed status applies lies in the period."),
    reads=(
        "trajectories.Goal.status",
        "trajectories.Goal.reached_on",
        "trajectories.Goal.status_set_by",
        "trajectories.Goal.copied_from",
        "trajectories.PlanVersion.number",
    ),
    sentence=_("In {period} the status of {count} intermediate goals was confirmed."),
    unit=Unit.EVENTS,
    breakdown=_("Status"),
)
def goals_reached(facts: Facts, period: Period) -> Table:
    goals = facts.load(confirmed_goals)
    goals = goals[in_period(goals["reached_on"], period.start, period.end)]
    # The same goal in several plan versions: its latest confirmation in the period counts.
    goals = goals.sort_values(["reached_on", "plan_number"]).drop_duplicates("root", keep="last")
    rows = []
    for status in CONFIRMED_STATUSES:
        mine = goals[goals["status"] == status]
        rows.append(Row(str(status), str(status.label), len(mine), people=id_set(mine["participant_id"])))
    return Table(rows=rows, total=_sum_rows(rows))


# --- exemptions (ontheffingen) ----------------------------------------------------------------


def exemptions(facts: Facts) -> pd.DataFrame:
    """Exemptions (ontheffingen) known on the reference day: participant_id, start_date, end_date (datetime64)."""
    frame = pd.DataFrame.from_records(
        list(
            Exemption.objects.filter(municipality_id__in=facts.municipality_ids, start_date__lte=facts.today).values_list(
                "participant_id", "start_date", "end_date"
            )
        ),
        columns=["participant_id", "start_date", "end_date"],
    )
    return frame.assign(start_date=as_days(frame["start_date"]), end_date=as_days(frame["end_date"]))


@indicator(
    code="exemptions",
    theme=Theme.OUTCOMES,
    title=_("People with an exemption"),
    definition=_(
        "People with an exemption from the obligations (ontheffing, Participatiewet article 9) that applied on at least one day of "
        "the period, up to the reference day. Rows: people with an exemption that started in the period (new), and the others, "
        "whose exemption started earlier (continued). A person with both counts as new."
    ),
    numerator=_("People with an exemption in the period"),
    denominator="",
    period_rule=_("The exemption runs from its start date to its end date; that time overlaps the period."),
    reads=("participants.Exemption.start_date", "participants.Exemption.end_date"),
    sentence=_("In {period} {count} people had an exemption from the obligations."),
    unit=Unit.PEOPLE,
    breakdown=_("Exemption"),
)
def exemptions_running(facts: Facts, period: Period) -> Table:
    frame = facts.load(exemptions)
    last = min(period.end, facts.today)
    applied = frame[(frame["start_date"] <= stamp(last)) & (frame["end_date"] >= stamp(period.start))]
    running = set(id_set(applied["participant_id"]))
    new = set(id_set(applied.loc[applied["start_date"] >= stamp(period.start), "participant_id"]))
    rows = [
        Row("new", str(_("Started in the period")), len(new), people=frozenset(new)),
        Row("continued", str(_("Started before the period")), len(running - new), people=frozenset(running - new)),
    ]
    return Table(rows=rows, total=_sum_rows(rows))


def _sum_rows(rows: list[Row]) -> Row:
    """The total of rows that split it: counts (and bases) added, people joined."""
    bases = [row.base for row in rows if row.base is not None]
    return Row(
        TOTAL_KEY,
        str(_("Total")),
        sum(row.count for row in rows),
        base=sum(bases) if bases else None,
        people=frozenset().union(*(row.people for row in rows)),
    )
