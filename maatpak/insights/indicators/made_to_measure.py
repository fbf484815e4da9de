"""Indicators of the theme 'made to measure' (maatwerk), see base.py.

Seed 000's complaints, each made countable: plans without the participant's own ideas, plans
and reports never handed over, trajectories closed without an end report, people on their
fifth trajectory without anyone knowing why, late reports, and a new consultant every few
months on caseloads that are too high.
"""

import pandas as pd
from django.utils.translation import gettext_lazy as _

from maatpak.insights.indicators.base import TOTAL_KEY, AmountKind, Facts, Period, Row, Table, Theme, Unit, indicator
from maatpak.insights.indicators.population import _frame, as_days, id_set, in_period, participants, stamp
from maatpak.participants.models import ConsultantAssignment
from maatpak.trajectories.models import EndReport, PlanHandover, PlanIdea, PlanVersion, ProgressReport, ReportCopy, Trajectory
from maatpak.trajectories.reporting import report_on_time

# consultant_changes reports a rate per participant per year; a period is a quarter.
PERIODS_PER_YEAR = 4


# --- helpers ----------------------------------------------------------------------------------


def people_of(frame: pd.DataFrame) -> frozenset[int]:
    return id_set(frame["participant_id"])


def share_total(frame: pd.DataFrame, counted: pd.Series) -> Row:
    """The total row of a share: `frame` is the base, the rows where `counted` holds the count."""
    hits = frame[counted]
    return Row(TOTAL_KEY, str(_("Total")), len(hits), base=len(frame), people=people_of(hits))


# --- loaders ----------------------------------------------------------------------------------


def agreed_plans(facts: Facts) -> pd.DataFrame:
    """Plan versions agreed with the participant on or before the reference day: id,
    participant_id, agreed_on. After agreement a version is never edited in place, so what
    it holds on the reference day is what it held when agreed."""
    return _frame(
        PlanVersion.objects.filter(municipality_id__in=facts.municipality_ids, agreed_on__isnull=False, agreed_on__lte=facts.today),
        ("id", "trajectory__participant_id", "agreed_on"),
        dates=("agreed_on",),
    ).rename(columns={"trajectory__participant_id": "participant_id"})


def plans_with_answered_ideas(facts: Facts) -> frozenset[int]:
    """Ids of plan versions holding at least one of the participant's own ideas with the answer
    to it (how it is supported, or why not)."""
    ideas = PlanIdea.objects.filter(municipality_id__in=facts.municipality_ids).exclude(response="")
    return frozenset(ideas.order_by().values_list("plan_id", flat=True).distinct())


def plans_handed_over(facts: Facts) -> frozenset[int]:
    """Ids of plan versions of which the participant received a copy on or before the reference day."""
    handovers = PlanHandover.objects.filter(municipality_id__in=facts.municipality_ids, handed_over_on__lte=facts.today)
    return frozenset(handovers.order_by().values_list("plan_id", flat=True).distinct())


def progress_reports(facts: Facts) -> pd.DataFrame:
    """Providers' progress reports submitted on or before the reference day: id, participant_id, due_on, submitted_on."""
    return _frame(
        ProgressReport.objects.filter(municipality_id__in=facts.municipality_ids, submitted_on__lte=facts.today),
        ("id", "referral__trajectory__participant_id", "due_on", "submitted_on"),
        dates=("due_on", "submitted_on"),
    ).rename(columns={"referral__trajectory__participant_id": "participant_id"})


def provider_end_reports(facts: Facts) -> pd.DataFrame:
    """Providers' end reports (on a referral) submitted on or before the reference day: id,
    participant_id, submitted_on. The consultant's closing report has no referral."""
    return _frame(
        EndReport.objects.filter(municipality_id__in=facts.municipality_ids, referral__isnull=False, submitted_on__lte=facts.today),
        ("id", "trajectory__participant_id", "submitted_on"),
        dates=("submitted_on",),
    ).rename(columns={"trajectory__participant_id": "participant_id"})


def report_copies(facts: Facts) -> dict[str, frozenset[int]]:
    """{"progress": report ids, "end": report ids} of reports made available to the participant
    (afschrift) on or before the reference day."""
    copies = ReportCopy.objects.filter(municipality_id__in=facts.municipality_ids, made_available_on__lte=facts.today)
    rows = list(copies.values_list("progress_report_id", "end_report_id"))
    return {
        "progress": frozenset(progress for progress, _end in rows if progress is not None),
        "end": frozenset(end for _progress, end in rows if end is not None),
    }


def trajectories(facts: Facts) -> pd.DataFrame:
    """Trajectories: id, participant_id, started_on, ended_on, previous_id, repeat_reason,
    closing_report_id. A start or end after the reference day is not known on it."""
    frame = _frame(
        Trajectory.objects.filter(municipality_id__in=facts.municipality_ids),
        ("id", "participant_id", "started_on", "ended_on", "previous_id", "repeat_reason", "closing_report_id"),
        dates=("started_on", "ended_on"),
    )
    for column in ("started_on", "ended_on"):
        frame.loc[(frame[column] > stamp(facts.today)).to_numpy(), column] = pd.NaT
    return frame


def consultant_assignments(facts: Facts) -> pd.DataFrame:
    """Who held each case when (toewijzing aan een klantmanager), started on or before the
    reference day, sorted per participant by start: id, participant_id, consultant_id,
    start_date, end_date (None while running, also when the end lies after the reference day)."""
    frame = _frame(
        ConsultantAssignment.objects.filter(municipality_id__in=facts.municipality_ids, start_date__lte=facts.today).order_by(
            "participant_id", "start_date", "id"
        ),
        ("id", "participant_id", "consultant_id", "start_date", "end_date"),
        dates=("start_date", "end_date"),
    )
    frame.loc[(frame["end_date"] > stamp(facts.today)).to_numpy(), "end_date"] = pd.NaT
    # Every assignment after a participant's first is a change (see consultant_changes).
    frame["later"] = frame["participant_id"].duplicated(keep="first")
    return frame


def _moved_away(facts: Facts) -> pd.Series:
    """The day each participant moved away (datetime64, indexed by participant id), for moves known on the reference day."""
    people = facts.load(participants)
    moved = people[(people["moved_away_on"] <= stamp(facts.today)).to_numpy()]
    return pd.Series(moved["moved_away_on"].to_numpy(), index=moved["id"].astype(int).to_numpy())


# --- indicators -------------------------------------------------------------------------------


@indicator(
    code="plans_with_own_ideas",
    theme=Theme.MADE_TO_MEASURE,
    title=_("Plans with the participant's own ideas"),
    definition=_(
        "Plan versions agreed with the participant in the period, and how many of them hold at least one of the participant's own "
        "ideas with the answer to it (how it is supported, or why not). A new version of a plan counts again when it is agreed."
    ),
    numerator=_("Agreed plan versions with at least one answered idea of the participant"),
    denominator=_("Plan versions agreed in the period"),
    period_rule=_("The day the version was agreed lies in the period."),
    reads=("trajectories.PlanVersion.agreed_on", "trajectories.PlanIdea.plan", "trajectories.PlanIdea.response"),
    sentence=_("In {period} {count} of the {base} agreed plans ({share}) held the participant's own ideas."),
    unit=Unit.EVENTS,
)
def plans_with_own_ideas(facts: Facts, period: Period) -> Table:
    plans = facts.load(agreed_plans)
    agreed = plans[in_period(plans["agreed_on"], period.start, period.end)]
    return Table(rows=[], total=share_total(agreed, agreed["id"].isin(facts.load(plans_with_answered_ideas))))


@indicator(
    code="plans_handed_over",
    theme=Theme.MADE_TO_MEASURE,
    title=_("Plans handed over to the participant"),
    definition=_(
        "Plan versions agreed in the period, and how many of them the participant received a copy of (a recorded hand-over, "
        "in the portal, on paper, by post or by email). A hand-over recorded after the reference day does not count yet."
    ),
    numerator=_("Agreed plan versions with a recorded hand-over of the copy"),
    denominator=_("Plan versions agreed in the period"),
    period_rule=_("The day the version was agreed lies in the period; the hand-over may come later."),
    reads=("trajectories.PlanVersion.agreed_on", "trajectories.PlanHandover.plan", "trajectories.PlanHandover.handed_over_on"),
    sentence=_("Of the {base} plans agreed in {period}, the participant received a copy of {count} ({share})."),
    unit=Unit.EVENTS,
)
def plans_handed_over_share(facts: Facts, period: Period) -> Table:
    plans = facts.load(agreed_plans)
    agreed = plans[in_period(plans["agreed_on"], period.start, period.end)]
    return Table(rows=[], total=share_total(agreed, agreed["id"].isin(facts.load(plans_handed_over))))


@indicator(
    code="reports_handed_over",
    theme=Theme.MADE_TO_MEASURE,
    title=_("Reports handed over to the participant"),
    definition=_(
        "Progress reports and end reports of providers submitted in the period, and how many of them were made available to the "
        "participant as a copy (afschrift). The consultant's own closing report is not a provider's report and is left out."
    ),
    numerator=_("Reports with a copy made available to the participant"),
    denominator=_("Provider reports submitted in the period"),
    period_rule=_("The day the report was submitted lies in the period."),
    reads=(
        "trajectories.ProgressReport.submitted_on",
        "trajectories.EndReport.submitted_on",
        "trajectories.EndReport.referral",
        "trajectories.ReportCopy.made_available_on",
    ),
    sentence=_("Of the {base} reports providers wrote in {period}, {count} ({share}) were handed over to the participant."),
    unit=Unit.EVENTS,
    breakdown=_("Kind of report"),
)
def reports_handed_over(facts: Facts, period: Period) -> Table:
    copies = facts.load(report_copies)
    rows = []
    for key, label, loader in (("progress", _("Progress reports"), progress_reports), ("end", _("End reports"), provider_end_reports)):
        reports = facts.load(loader)
        submitted = reports[in_period(reports["submitted_on"], period.start, period.end)]
        hits = submitted[submitted["id"].isin(copies[key])]
        rows.append(Row(key, str(label), len(hits), base=len(submitted), people=people_of(hits)))
    total = Row(
        TOTAL_KEY,
        str(_("Total")),
        sum(row.count for row in rows),
        base=sum(row.base for row in rows),
        people=frozenset().union(*(row.people for row in rows)),
    )
    return Table(rows=rows, total=total)


@indicator(
    code="closed_with_end_report",
    theme=Theme.MADE_TO_MEASURE,
    title=_("Trajectories closed with an end report"),
    definition=_(
        "Trajectories closed in the period, and how many of them were closed with an end report with a conclusion (the "
        "trajectory's closing report). Maatpak closes a trajectory only with one; trajectories taken over from older systems "
        "may lack it."
    ),
    numerator=_("Closed trajectories with a closing end report"),
    denominator=_("Trajectories closed in the period"),
    period_rule=_("The end date of the trajectory lies in the period."),
    reads=("trajectories.Trajectory.ended_on", "trajectories.Trajectory.closing_report"),
    sentence=_("Of the {base} trajectories closed in {period}, {count} ({share}) had an end report."),
)
def closed_with_end_report(facts: Facts, period: Period) -> Table:
    # The same test as the consultant's signal "closed without end report" (casework.alerts).
    rows = facts.load(trajectories)
    closed = rows[in_period(rows["ended_on"], period.start, period.end)]
    return Table(rows=[], total=share_total(closed, closed["closing_report_id"].notna()))


@indicator(
    code="repeat_with_reason",
    theme=Theme.MADE_TO_MEASURE,
    title=_("Repeat trajectories with a reason"),
    definition=_(
        "Trajectories started in the period that follow an earlier trajectory of the same participant (linked as its previous "
        "trajectory), and how many of them record why a new trajectory was needed."
    ),
    numerator=_("Repeat trajectories with the reason written down"),
    denominator=_("Repeat trajectories started in the period"),
    period_rule=_("The start date of the trajectory lies in the period."),
    reads=("trajectories.Trajectory.started_on", "trajectories.Trajectory.previous", "trajectories.Trajectory.repeat_reason"),
    sentence=_("Of the {base} repeat trajectories started in {period}, {count} ({share}) say why."),
)
def repeat_with_reason(facts: Facts, period: Period) -> Table:
    rows = facts.load(trajectories)
    repeats = rows[in_period(rows["started_on"], period.start, period.end) & rows["previous_id"].notna()]
    return Table(rows=[], total=share_total(repeats, repeats["repeat_reason"].map(lambda text: bool((text or "").strip())).astype(bool)))


@indicator(
    code="reports_on_time",
    theme=Theme.MADE_TO_MEASURE,
    title=_("Progress reports on time"),
    definition=_(
        "Progress reports due in the period that providers submitted, and how many of them were submitted on or before the due "
        "date. The same rule as contract monitoring: a report not submitted yet has no submission date and is not in this figure."
    ),
    numerator=_("Progress reports submitted on or before the due date"),
    denominator=_("Progress reports due in the period and submitted"),
    period_rule=_("The due date of the report lies in the period."),
    reads=("trajectories.ProgressReport.due_on", "trajectories.ProgressReport.submitted_on"),
    sentence=_("Of the {base} progress reports due in {period}, {count} ({share}) came on time."),
    unit=Unit.EVENTS,
)
def reports_on_time(facts: Facts, period: Period) -> Table:
    reports = facts.load(progress_reports)
    due = reports[in_period(reports["due_on"], period.start, period.end)]
    # The rule compares two days; applied to the two columns at once it answers per report.
    on_time = report_on_time(due_on=as_days(due["due_on"]), submitted_on=as_days(due["submitted_on"]))
    return Table(rows=[], total=share_total(due, on_time.astype(bool)))


@indicator(
    code="consultant_changes",
    theme=Theme.MADE_TO_MEASURE,
    title=_("Consultant changes per participant per year"),
    definition=_(
        "How often participants got another consultant: assignments to a consultant that started in the period after an earlier "
        "assignment of the same participant (the first assignment is the start, not a change), against the participants who "
        "had a consultant at some day of the period. The average is the number of changes per participant per year "
        "(changes ÷ participants × 4); for a quarter still running it counts the changes so far."
    ),
    numerator=_("Changes of consultant in the period"),
    denominator=_("Participants with a consultant in the period"),
    period_rule=_("The new assignment starts in the period; the participant had an assignment running at some day of it."),
    reads=(
        "participants.ConsultantAssignment.start_date",
        "participants.ConsultantAssignment.end_date",
        "participants.Participant.moved_away_on",
    ),
    sentence=_("In {period} participants got another consultant {count} times: {amount} changes per participant per year."),
    unit=Unit.EVENTS,
    amount_kind=AmountKind.AVERAGE,
    amount_label=_("Changes per participant per year"),
)
def consultant_changes(facts: Facts, period: Period) -> Table:
    assignments = facts.load(consultant_assignments)
    end = min(period.end, facts.today)
    moved = facts.load(_moved_away)
    ends = as_days(assignments["end_date"])
    running = assignments[(as_days(assignments["start_date"]) <= stamp(end)) & (ends.isna() | (ends >= stamp(period.start)))]
    # Someone who moved away before the period is no longer anyone's case, even if the
    # assignment was never closed.
    base = set(id_set(running["participant_id"])) - set(moved.index[(moved < stamp(period.start)).to_numpy()].tolist())
    # Sorted per participant by start: every assignment after a participant's first is a change
    # (the rule of casework.selectors.consultant_changes, the team overview's continuity).
    changes = assignments[
        assignments["later"] & in_period(assignments["start_date"], period.start, end) & assignments["participant_id"].isin(base)
    ]
    amount = len(changes) / len(base) * PERIODS_PER_YEAR if base else None
    return Table(rows=[], total=Row(TOTAL_KEY, str(_("Total")), len(changes), base=len(base), amount=amount, people=people_of(changes)))


@indicator(
    code="caseload_per_consultant",
    theme=Theme.MADE_TO_MEASURE,
    title=_("Caseload per consultant"),
    definition=_(
        "On the last day of the period (or the reference day, if that comes first): the participants on a consultant's caseload "
        "(an assignment to a consultant running that day; people who moved away are off the caseload), the consultants holding "
        "at least one of them, and the average caseload."
    ),
    numerator=_("Participants on a caseload on the last day of the period"),
    denominator=_("Consultants with a caseload on that day"),
    period_rule=_("The situation on the last day of the period, or on the reference day if that comes first."),
    reads=(
        "participants.ConsultantAssignment.consultant",
        "participants.ConsultantAssignment.start_date",
        "participants.ConsultantAssignment.end_date",
        "participants.Participant.moved_away_on",
    ),
    sentence=_("At the end of {period} {base} consultants held {count} participants: {amount} each on average."),
    amount_kind=AmountKind.AVERAGE,
    amount_label=_("Average caseload"),
)
def caseload_per_consultant(facts: Facts, period: Period) -> Table:
    day = min(period.end, facts.today)
    assignments = facts.load(consultant_assignments)
    moved = facts.load(_moved_away)
    ends = as_days(assignments["end_date"])
    gone = moved.index[(moved <= stamp(day)).to_numpy()]
    running = assignments[
        (as_days(assignments["start_date"]) <= stamp(day))
        & (ends.isna() | (ends >= stamp(day)))
        & ~assignments["participant_id"].isin(gone)
    ]
    # One consultant per person: should two assignments overlap, the latest one holds the case
    # (as Participant.consultant, which the consultant's caseload page reads, would).
    running = running.drop_duplicates("participant_id", keep="last") if day >= period.start else running.iloc[0:0]
    consultants = running["consultant_id"].nunique()
    amount = len(running) / consultants if consultants else None
    return Table(rows=[], total=Row(TOTAL_KEY, str(_("Total")), len(running), base=consultants, amount=amount, people=people_of(running)))
