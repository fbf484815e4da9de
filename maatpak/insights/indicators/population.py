"""Shared facts about people, read by several themes: who was on benefit in a period and how
they are classified then (Sol group, ladder rung, age band, sex, months on benefit).

A person's Sol group and ladder rung in a period are those of their latest assessment on or
before the last day of the period ("unknown" without one); age and months on benefit are
reckoned on that day too, or on the day their benefit ended if that came first.
"""

import pandas as pd
from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _

from maatpak.insights.bands import AGE_BANDS, MONTHS_ON_BENEFIT_BANDS, age_band, months_on_benefit_band
from maatpak.insights.indicators.base import Facts, Period
from maatpak.participants.models import Benefit, BenefitType, LadderAssessment, Participant, Sex, SolAssessment, SolGroup

UNKNOWN = "unknown"


def _frame(queryset, columns) -> pd.DataFrame:
    return pd.DataFrame.from_records(list(queryset.values_list(*columns)), columns=list(columns))


def participants(facts: Facts) -> pd.DataFrame:
    """One row per participant: id, birth_date, sex, registered_on, moved_away_on, consultant_id."""
    return _frame(
        Participant.objects.filter(municipality_id__in=facts.municipality_ids, registered_on__lte=facts.today),
        ("id", "municipality_id", "birth_date", "sex", "registered_on", "moved_away_on", "consultant_id"),
    )


def benefits(facts: Facts) -> pd.DataFrame:
    """Benefit periods (uitkeringen), without the 'no benefit' registrations: participant_id,
    type, start_date, end_date (None while running), end_reason; sorted by start."""
    frame = _frame(
        Benefit.objects.filter(municipality_id__in=facts.municipality_ids, start_date__lte=facts.today)
        .exclude(type=BenefitType.NONE)
        .order_by("start_date", "id"),
        ("id", "participant_id", "type", "start_date", "end_date", "end_reason"),
    )
    # An end recorded after the reference day is not known on it: the benefit still runs then.
    if len(frame):
        later = frame["end_date"].map(lambda day: day is not None and day > facts.today).astype(bool)
        frame.loc[later, "end_date"] = None
        frame.loc[later, "end_reason"] = ""
    return frame


def benefit_spells(facts: Facts) -> pd.DataFrame:
    """Continuous periods on benefit: benefits that follow each other without a day between
    (IOAW straight into Participatiewet) are one spell. participant_id, start_date, end_date
    (None while running), end_reason (of the benefit that ended the spell)."""
    spells = []
    for row in facts.load(benefits).sort_values(["participant_id", "start_date", "id"]).itertuples():
        last = spells[-1] if spells and spells[-1][0] == row.participant_id else None
        if last is not None and (last[2] is None or row.start_date.toordinal() <= last[2].toordinal() + 1):
            if last[2] is not None and (row.end_date is None or row.end_date > last[2]):
                last[2], last[3] = row.end_date, row.end_reason
            continue
        spells.append([row.participant_id, row.start_date, row.end_date, row.end_reason])
    return pd.DataFrame.from_records(spells, columns=["participant_id", "start_date", "end_date", "end_reason"])


def _latest_on(assessments: pd.DataFrame, people: pd.DataFrame, day, column: str) -> pd.Series:
    """Per person in `people` the `column` of their latest assessment on or before `day`."""
    known = assessments[assessments["assessed_on"] <= day]
    latest = known.sort_values(["assessed_on", "id"]).drop_duplicates("participant_id", keep="last").set_index("participant_id")[column]
    return people["participant_id"].map(latest)


def sol_assessments(facts: Facts) -> pd.DataFrame:
    return _frame(
        SolAssessment.objects.filter(municipality_id__in=facts.municipality_ids), ("id", "participant_id", "assessed_on", "group")
    )


def ladder_assessments(facts: Facts) -> pd.DataFrame:
    return _frame(
        LadderAssessment.objects.filter(municipality_id__in=facts.municipality_ids), ("id", "participant_id", "assessed_on", "rung")
    )


def on_benefit(facts: Facts, period: Period) -> pd.DataFrame:
    """People on benefit (in de uitkering) at some day of `period`, one row each, with their
    classification: participant_id, benefit_start, sol_group, ladder_rung, age_band, sex,
    months_band. A person with two benefits in the period counts once (the latest)."""
    frame = facts.load(benefits)
    end = min(period.end, facts.today)
    running = frame[(frame["start_date"] <= end) & frame["end_date"].map(lambda day: day is None or day >= period.start)].drop_duplicates(
        "participant_id", keep="last"
    )
    people = facts.load(participants).set_index("id")
    result = pd.DataFrame({"participant_id": running["participant_id"].to_numpy(), "benefit_start": running["start_date"].to_numpy()})
    if not len(result):
        return result.assign(sol_group=[], ladder_rung=[], age_band=[], sex=[], months_band=[])
    ends = running["end_date"].map(lambda day: end if day is None else min(day, end)).to_numpy()
    birth = result["participant_id"].map(people["birth_date"])
    result["age_band"] = [age_band(relativedelta(day, born).years) for day, born in zip(ends, birth, strict=True)]
    result["sex"] = result["participant_id"].map(people["sex"]).fillna(Sex.OTHER)
    result["months_band"] = [
        months_on_benefit_band((lambda d: d.years * 12 + d.months)(relativedelta(day, start)))
        for day, start in zip(ends, result["benefit_start"], strict=True)
    ]
    result["sol_group"] = _latest_on(facts.load(sol_assessments), result, end, "group").fillna(UNKNOWN)
    result["ladder_rung"] = _latest_on(facts.load(ladder_assessments), result, end, "rung").map(
        lambda rung: UNKNOWN if pd.isna(rung) else str(int(rung))
    )
    return result


# The breakdowns of the selection indicators: column in `on_benefit`, its values in order, labels.
def breakdown_values(column: str) -> list[tuple[str, str]]:
    if column == "sol_group":
        return [*((value, label) for value, label in SolGroup.choices), (UNKNOWN, _("No Sol assessment"))]
    if column == "ladder_rung":
        return [*((str(rung), _("Rung %(rung)s") % {"rung": rung}) for rung in range(1, 7)), (UNKNOWN, _("No ladder assessment"))]
    if column == "age_band":
        return [(band, band) for band in AGE_BANDS]
    if column == "sex":
        return [(str(value), str(label)) for value, label in Sex.choices]
    if column == "months_band":
        return [(band, _("%(band)s months") % {"band": band}) for band in MONTHS_ON_BENEFIT_BANDS]
    raise ValueError(column)
