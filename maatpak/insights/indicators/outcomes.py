"""Indicators of the theme 'outflow and results' (uitstroom en resultaat), see base.py."""

import datetime as dt

import pandas as pd
from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext_lazy as _

from maatpak.employers.models import PAID_WORK_KINDS, Placement, PlacementFollowUp
from maatpak.employers.selectors import placement_lasted
from maatpak.insights.indicators.base import TOTAL_KEY, Facts, Period, Row, Table, Theme, Unit, indicator
from maatpak.insights.indicators.population import benefit_spells, ladder_assessments
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
    people = frozenset(int(pid) for pid in spells.loc[spells["start_date"].map(period.contains), "participant_id"])
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
    by_reason: dict[str, set[int]] = {}
    for row in spells[spells["end_date"].map(period.contains)].itertuples():
        by_reason.setdefault(row.end_reason or BenefitEndReason.OTHER, set()).add(int(row.participant_id))
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
RETURN_WINDOW = relativedelta(months=12)


def spell_ends(facts: Facts) -> pd.DataFrame:
    """Ended benefit spells with the start of the person's next spell (None if none yet):
    participant_id, end_date, end_reason, next_start. Spells never overlap, so the next spell
    in start order is the first return."""
    spells = facts.load(benefit_spells)
    if not len(spells):
        return pd.DataFrame(columns=["participant_id", "end_date", "end_reason", "next_start"])
    spells = spells.sort_values(["participant_id", "start_date"], kind="stable").reset_index(drop=True)
    following = spells["start_date"].shift(-1)
    same_person = spells["participant_id"].shift(-1) == spells["participant_id"]
    spells["next_start"] = [
        start if same and isinstance(start, dt.date) else None for start, same in zip(following, same_person, strict=True)
    ]
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
    ends = ends[ends["end_date"].map(left.contains).astype(bool)] if len(ends) else ends
    groups = {"work": (set(), set()), "other": (set(), set())}  # key: (base, returned)
    for row in ends.sort_values(["end_date"], kind="stable").drop_duplicates("participant_id").itertuples():
        if row.end_reason in UNOBSERVABLE_ENDS or row.end_date + RETURN_WINDOW > facts.today:
            continue
        base, returned = groups["work" if row.end_reason in WORK_ENDS else "other"]
        base.add(int(row.participant_id))
        if row.next_start is not None and row.next_start <= row.end_date + RETURN_WINDOW:
            returned.add(int(row.participant_id))
    labels = {"work": _("Left for work"), "other": _("Left for another reason")}
    rows = [
        Row(key, str(labels[key]), len(returned), base=len(base), people=frozenset(returned)) for key, (base, returned) in groups.items()
    ]
    return Table(rows=rows, total=_sum_rows(rows))


# --- work durability (duurzaamheid) -----------------------------------------------------------

DURABILITY_MONTHS = (6, 12, 24)


def durability_answers(facts: Facts) -> pd.DataFrame:
    """Per placement in paid work and per mark (6, 12, 24 months after its start): the day of
    the mark and whether it lasted that long on `facts.today` (True, False, None = not known),
    by `employers.selectors.placement_lasted`. A check recorded after the reference day is not
    known on it: it counts as not done yet."""
    placements = Placement.objects.filter(municipality_id__in=facts.municipality_ids, kind__in=PAID_WORK_KINDS, start_date__lte=facts.today)
    checks: dict[int, list] = {}
    for placement_id, checked_on, still_working in PlacementFollowUp.objects.filter(
        municipality_id__in=facts.municipality_ids, placement__kind__in=PAID_WORK_KINDS
    ).values_list("placement_id", "checked_on", "still_working"):
        known = checked_on is not None and checked_on <= facts.today
        checks.setdefault(placement_id, []).append((checked_on, still_working) if known else (None, None))
    records = []
    for placement_id, participant_id, start, end in placements.values_list("id", "participant_id", "start_date", "end_date"):
        for months in DURABILITY_MONTHS:
            lasted = placement_lasted(start_date=start, end_date=end, checks=checks.get(placement_id, ()), months=months, today=facts.today)
            records.append((placement_id, participant_id, months, start + relativedelta(months=months), lasted))
    return pd.DataFrame.from_records(records, columns=["placement_id", "participant_id", "months", "moment", "lasted"])


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
    answers = facts.load(durability_answers)
    moment = pd.to_datetime(answers["moment"])
    answers = answers[(moment >= _stamp(period.start)) & (moment <= _stamp(period.end)) & answers["lasted"].notna()]
    rows = []
    for months in DURABILITY_MONTHS:
        mine = answers[answers["months"] == months]
        lasted = mine[mine["lasted"].astype(bool)]
        people = frozenset(int(pid) for pid in lasted["participant_id"])
        rows.append(Row(str(months), str(_("%(months)s months") % {"months": months}), len(lasted), base=len(mine), people=people))
    return Table(rows=rows, total=_sum_rows(rows))


# --- ladder movement (beweging op de participatieladder) --------------------------------------


def known_ladder_assessments(facts: Facts) -> pd.DataFrame:
    """Ladder assessments dated up to the reference day, oldest first, with `day` as a timestamp
    so a period is selected without a Python call per row."""
    frame = facts.load(ladder_assessments)
    frame = frame.assign(day=pd.to_datetime(frame["assessed_on"]))
    return frame[frame["day"] <= _stamp(facts.today)].sort_values(["day", "id"], kind="stable")


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
    moved: dict[str, set[int]] = {key: set() for key, _label in LADDER_MOVES}
    start, end = _stamp(period.start), _stamp(period.end)
    during = frame[(frame["day"] >= start) & (frame["day"] <= end)].drop_duplicates("participant_id", keep="last")
    earlier = frame[frame["day"] < start].drop_duplicates("participant_id", keep="last").set_index("participant_id")["rung"]
    for pid, rung in zip(during["participant_id"], during["rung"], strict=True):
        if pid in earlier.index:
            previous = earlier[pid]
            moved["up" if rung > previous else "down" if rung < previous else "same"].add(int(pid))
    rows = [Row(key, str(label), len(moved[key]), people=frozenset(moved[key])) for key, label in LADDER_MOVES]
    return Table(rows=rows, total=_sum_rows(rows))


# --- intermediate goals (tussendoelen) --------------------------------------------------------

CONFIRMED_STATUSES = (GoalStatus.REACHED, GoalStatus.PARTLY_REACHED, GoalStatus.NOT_REACHED)


def confirmed_goals(facts: Facts) -> pd.DataFrame:
    """Goal statuses confirmed by a consultant (trajectories.goals.goal_status_confirm), one row
    per goal: root (the first version of the goal, so a goal and its copies in later plan
    versions are one goal), participant_id, status, reached_on (the date the status applies
    from), plan_number. A status dated after the reference day is not known on it."""
    rows = list(
        Goal.objects.filter(municipality_id__in=facts.municipality_ids).values_list(
            "id", "copied_from_id", "plan__trajectory__participant_id", "status", "reached_on", "status_set_by_id", "plan__number"
        )
    )
    parent = {goal_id: copied_from for goal_id, copied_from, *_rest in rows}
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

    confirmed = [
        (root(goal_id), participant_id, status, reached_on, number)
        for goal_id, _copied, participant_id, status, reached_on, set_by, number in rows
        # A provider's proposal (GoalProgress) is no status: only what a consultant confirmed.
        if status in CONFIRMED_STATUSES and set_by is not None and reached_on is not None and reached_on <= facts.today
    ]
    return pd.DataFrame.from_records(confirmed, columns=["root", "participant_id", "status", "reached_on", "plan_number"])


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
    day = pd.to_datetime(goals["reached_on"])
    goals = goals[(day >= _stamp(period.start)) & (day <= _stamp(period.end))]
    # The same goal in several plan versions: its latest confirmation in the period counts.
    goals = goals.sort_values(["reached_on", "plan_number"]).drop_duplicates("root", keep="last")
    rows = []
    for status in CONFIRMED_STATUSES:
        mine = goals[goals["status"] == status]
        rows.append(Row(str(status), str(status.label), len(mine), people=frozenset(int(pid) for pid in mine["participant_id"])))
    return Table(rows=rows, total=_sum_rows(rows))


# --- exemptions (ontheffingen) ----------------------------------------------------------------


def exemptions(facts: Facts) -> pd.DataFrame:
    """Exemptions (ontheffingen) known on the reference day: participant_id, start_date, end_date."""
    return pd.DataFrame.from_records(
        list(
            Exemption.objects.filter(municipality_id__in=facts.municipality_ids, start_date__lte=facts.today).values_list(
                "participant_id", "start_date", "end_date"
            )
        ),
        columns=["participant_id", "start_date", "end_date"],
    )


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
    new: set[int] = set()
    running: set[int] = set()
    for pid, start, end in frame.itertuples(index=False):
        if start <= last and end >= period.start:
            running.add(int(pid))
            if start >= period.start:
                new.add(int(pid))
    rows = [
        Row("new", str(_("Started in the period")), len(new), people=frozenset(new)),
        Row("continued", str(_("Started before the period")), len(running - new), people=frozenset(running - new)),
    ]
    return Table(rows=rows, total=_sum_rows(rows))


def _stamp(day: dt.date) -> pd.Timestamp:
    return pd.Timestamp(day)


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
