"""Shared facts about people, read by several themes: who was on benefit in a period and how
they are classified then (Sol group, ladder rung, age band, sex, months on benefit).

A person's Sol group and ladder rung in a period are those of their latest assessment on or
before the last day of the period ("unknown" without one); age and months on benefit are
reckoned on that day too, or on the day their benefit ended if that came first.

Performance: the dashboard evaluates every indicator for ten quarters over tens of thousands of
people. Loaders therefore hold dates as datetime64 columns (NaT for none), so a period is one
vectorised comparison, and nothing here runs Python code per row and per period.
"""

import datetime as dt

import numpy as np
import pandas as pd
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from maatpak.insights.bands import AGE_BANDS, MONTHS_ON_BENEFIT_BANDS, age_band, months_on_benefit_band
from maatpak.insights.indicators.base import Facts, Period
from maatpak.participants.models import Benefit, BenefitType, LadderAssessment, Participant, Sex, SolAssessment, SolGroup

UNKNOWN = "unknown"


def _frame(queryset, columns, dates=()) -> pd.DataFrame:
    """One `.values_list()` query as a frame; the `dates` columns become datetime64 (NaT for none).

    The rows are fetched from the database cursor as they come: the ORM's per-value
    conversions cost more than the query on hundreds of thousands of rows, and for the ids,
    texts and dates read here the database driver already returns Python values. Not for
    booleans, decimals or JSON, which only the ORM converts."""
    fields = list(columns)
    if dates and connections[queryset.db].vendor == "sqlite":
        # SQLite's driver makes every date a Python date with a Python call (Django's
        # converter); read as text, pandas parses a whole column at once.
        texts = {f"{column}__as_text": Cast(column, output_field=TextField()) for column in dates}
        queryset = queryset.annotate(**texts)
        fields = [f"{column}__as_text" if column in dates else column for column in fields]
    query = queryset.values_list(*fields)
    compiler = query.query.get_compiler(using=query.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:  # e.g. no municipalities: nothing to read
        rows = []
    else:
        with connections[query.db].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
    # The columns come in the order asked for, possibly followed by what the ordering needs.
    frame = pd.DataFrame.from_records(rows, columns=range(len(rows[0])) if rows else range(len(fields)))
    frame = frame.iloc[:, : len(fields)].set_axis(list(columns), axis=1)
    for column in dates:
        frame[column] = as_days(frame[column])
    return frame


def as_days(values) -> pd.Series:
    """Dates (None for none) as a datetime64 column; a column that already is one stays as it is."""
    series = values if isinstance(values, pd.Series) else pd.Series(values, dtype=object)
    if pd.api.types.is_datetime64_dtype(series.dtype):
        return series
    return pd.to_datetime(series.astype(object), errors="coerce")


# pandas' timestamps end in April 2262; a later day (a far "today" in a test) is read as that.
LAST_DAY = dt.date(2262, 4, 1)


def stamp(day: dt.date) -> pd.Timestamp:
    return pd.Timestamp(min(day, LAST_DAY))


def in_period(days, start: dt.date, end: dt.date) -> pd.Series:
    """Which `days` lie from `start` to `end` (inclusive); an empty date never does (as
    `Period.contains`, vectorised: every indicator runs for ten quarters over many rows)."""
    days = as_days(days)
    return ((days >= stamp(start)) & (days <= stamp(end))).astype(bool)


def id_set(values) -> frozenset[int]:
    """Participant (or other) ids as a frozenset of Python ints, without a Python call per id."""
    array = np.asarray(values)
    return frozenset(array.astype(np.int64).tolist() if len(array) else ())


def whole_months(later: pd.Series, earlier: pd.Series) -> np.ndarray:
    """`relativedelta(later, earlier)` in whole months (years × 12 + months), per row, exactly:
    `earlier` plus the difference in calendar months lands on its day clipped to the end of
    that month (31 January + 1 month = 28/29 February); when that passes `later`, one month less
    (for a negative difference: one more). So someone born on 29 February turns a year older
    on 28 February."""
    months = (later.dt.year - earlier.dt.year).to_numpy() * 12 + (later.dt.month - earlier.dt.month).to_numpy()
    landed = np.minimum(earlier.dt.day.to_numpy(), later.dt.days_in_month.to_numpy())
    day = later.dt.day.to_numpy()
    forward = (later >= earlier).to_numpy()
    return np.where(forward, months - (landed > day), months + (landed < day)).astype(np.int64)


def whole_years(months: np.ndarray) -> np.ndarray:
    """The `years` of a relativedelta of `months` months: rounded towards zero."""
    return np.sign(months) * (np.abs(months) // 12)


def _classify(values: np.ndarray, rule) -> np.ndarray:
    """`rule` applied to every value, called once per distinct value (the rule stays in one place)."""
    distinct = pd.unique(values)
    return pd.Series(values).map({value: rule(int(value)) for value in distinct}).to_numpy(dtype=object)


def participants(facts: Facts) -> pd.DataFrame:
    """One row per participant: id, birth_date, sex, registered_on, moved_away_on (datetime64,
    NaT for none), consultant_id."""
    return _frame(
        Participant.objects.filter(municipality_id__in=facts.municipality_ids, registered_on__lte=facts.today),
        ("id", "municipality_id", "birth_date", "sex", "registered_on", "moved_away_on", "consultant_id"),
        dates=("birth_date", "registered_on", "moved_away_on"),
    )


def _participants_by_id(facts: Facts) -> pd.DataFrame:
    return facts.load(participants).set_index("id")


def benefits(facts: Facts) -> pd.DataFrame:
    """Benefit periods (uitkeringen), without the 'no benefit' registrations: participant_id,
    type, start_date, end_date (datetime64; NaT while running), end_reason; sorted by start."""
    frame = _frame(
        Benefit.objects.filter(municipality_id__in=facts.municipality_ids, start_date__lte=facts.today)
        .exclude(type=BenefitType.NONE)
        .order_by("start_date", "id"),
        ("id", "participant_id", "type", "start_date", "end_date", "end_reason"),
        dates=("start_date", "end_date"),
    )
    # An end recorded after the reference day is not known on it: the benefit still runs then.
    later = (frame["end_date"] > stamp(facts.today)).to_numpy()
    frame.loc[later, "end_date"] = pd.NaT
    frame.loc[later, "end_reason"] = ""
    return frame


def benefit_spells(facts: Facts) -> pd.DataFrame:
    """Continuous periods on benefit: benefits that follow each other without a day between
    (IOAW straight into Participatiewet) are one spell. participant_id, start_date, end_date
    (NaT while running), end_reason (of the benefit that ended the spell)."""
    frame = facts.load(benefits).sort_values(["participant_id", "start_date", "id"])
    columns = ["participant_id", "start_date", "end_date", "end_reason"]
    if not len(frame):
        return pd.DataFrame({column: frame[column] for column in columns}).reset_index(drop=True)
    if (frame["end_date"] < frame["start_date"]).any():
        return _benefit_spells_by_row(frame, columns)
    # Day numbers, a running benefit ending "never". A benefit joins the spell before it when it
    # starts at most a day after the latest end so far of that person's benefits (the spell's
    # end, as no benefit ends before it starts); the spell ends on its latest end, with the
    # reason of the first benefit that ended then.
    never = 2**40  # exact as a float too (the shift below gives floats)
    starts = frame["start_date"].to_numpy().astype("datetime64[D]").astype(np.int64)
    ends_raw = frame["end_date"].to_numpy().astype("datetime64[D]")
    ends = np.where(np.isnat(ends_raw), never, ends_raw.astype(np.int64))
    person = frame["participant_id"].to_numpy()
    latest_before = pd.Series(ends).groupby(person).cummax().groupby(person).shift(1).to_numpy()
    first = pd.isna(latest_before)
    reach = np.where(first, 0, latest_before).astype(np.int64)
    new_spell = first | ((reach != never) & (starts > reach + 1))
    spell = np.cumsum(new_spell)
    spell_end = pd.Series(ends).groupby(spell).transform("max").to_numpy()
    closing = pd.Series(np.arange(len(frame)))[ends == spell_end].groupby(spell[ends == spell_end]).first().to_numpy()
    opening = np.flatnonzero(new_spell)
    result = pd.DataFrame(
        {
            "participant_id": person[opening],
            "start_date": frame["start_date"].to_numpy()[opening],
            "end_date": frame["end_date"].to_numpy()[closing],
            "end_reason": frame["end_reason"].to_numpy()[closing],
        }
    )
    return result[columns]


def _benefit_spells_by_row(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """`benefit_spells` one benefit at a time, for data where a benefit ends before it starts."""
    spells = []
    for row in frame.itertuples():
        last = spells[-1] if spells and spells[-1][0] == row.participant_id else None
        if last is not None and (pd.isna(last[2]) or row.start_date <= last[2] + pd.Timedelta(days=1)):
            if not pd.isna(last[2]) and (pd.isna(row.end_date) or row.end_date > last[2]):
                last[2], last[3] = row.end_date, row.end_reason
            continue
        spells.append([row.participant_id, row.start_date, row.end_date, row.end_reason])
    result = pd.DataFrame.from_records(spells, columns=columns)
    for column in ("start_date", "end_date"):
        result[column] = as_days(result[column])
    return result


def _latest_on(assessments: pd.DataFrame, people: pd.DataFrame, day, column: str) -> pd.Series:
    """Per person in `people` the `column` of their latest assessment on or before `day`
    (`assessments` sorted by assessed_on, id; see `assessments_by_day`)."""
    known = assessments[assessments["assessed_on"] <= stamp(day)]
    latest = known.drop_duplicates("participant_id", keep="last").set_index("participant_id")[column]
    return people["participant_id"].map(latest)


def sol_assessments(facts: Facts) -> pd.DataFrame:
    """Sol assessments: id, participant_id, assessed_on (datetime64), group."""
    return _frame(
        SolAssessment.objects.filter(municipality_id__in=facts.municipality_ids),
        ("id", "participant_id", "assessed_on", "group"),
        dates=("assessed_on",),
    )


def ladder_assessments(facts: Facts) -> pd.DataFrame:
    """Ladder assessments: id, participant_id, assessed_on (datetime64), rung."""
    return _frame(
        LadderAssessment.objects.filter(municipality_id__in=facts.municipality_ids),
        ("id", "participant_id", "assessed_on", "rung"),
        dates=("assessed_on",),
    )


def assessments_by_day(facts: Facts, loader) -> pd.DataFrame:
    """The assessments of `loader` by assessed_on, then id: sorted once for all periods."""
    return facts.load(loader).sort_values(["assessed_on", "id"])


def on_benefit(facts: Facts, period: Period) -> pd.DataFrame:
    """People on benefit (in de uitkering) at some day of `period`, one row each, with their
    classification: participant_id, benefit_start, sol_group, ladder_rung, age_band, sex,
    months_band. A person with two benefits in the period counts once (the latest)."""
    frame = facts.load(benefits)
    end = min(period.end, facts.today)
    in_period = (frame["start_date"] <= stamp(end)) & (frame["end_date"].isna() | (frame["end_date"] >= stamp(period.start)))
    running = frame[in_period].drop_duplicates("participant_id", keep="last")
    people = facts.load(_participants_by_id)
    result = pd.DataFrame({"participant_id": running["participant_id"].to_numpy(), "benefit_start": running["start_date"].to_numpy()})
    if not len(result):
        return result.assign(sol_group=[], ladder_rung=[], age_band=[], sex=[], months_band=[])
    ends = running["end_date"].clip(upper=stamp(end)).fillna(stamp(end)).reset_index(drop=True)
    birth = result["participant_id"].map(people["birth_date"])
    result["age_band"] = _classify(whole_years(whole_months(ends, birth)), age_band)
    # A value outside the choices (an old import) counts as "other", so the rows still add up.
    sex = result["participant_id"].map(people["sex"]).astype(object)
    result["sex"] = sex.where(sex.isin(Sex.values), Sex.OTHER)
    result["months_band"] = _classify(whole_months(ends, result["benefit_start"]), months_on_benefit_band)
    result["sol_group"] = _latest_on(facts.load(assessments_by_day, sol_assessments), result, end, "group").astype(object).fillna(UNKNOWN)
    rungs = _latest_on(facts.load(assessments_by_day, ladder_assessments), result, end, "rung")
    result["ladder_rung"] = rungs.map({rung: str(int(rung)) for rung in rungs.dropna().unique()}).astype(object).fillna(UNKNOWN)
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
