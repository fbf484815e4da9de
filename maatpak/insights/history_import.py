"""Import of history from older systems (docs/import-format.md): validate every row first,
report every error with line, column and a clear message, and write nothing unless all rows are
good — then write everything in one transaction. Re-importing the same rows changes nothing.

Rows with the same participant_ref + start_date are one trajectory that used several
instruments: the person, benefit, assessments and job are written once, the instruments
become planned instruments of one plan. Such rows must agree on everything but the
instrument, its provider and its cost."""

import datetime as dt
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils.translation import gettext as _

from maatpak.core.text import CASE, date_problem, max_length, text_problem
from maatpak.employers.models import Placement
from maatpak.insights.models import BARRIER_DOMAINS, ImportedTrajectory
from maatpak.participants.caseload_import import import_account
from maatpak.participants.csv_import import ImportResult, RowError, cell_errors, length_errors, read_rows
from maatpak.participants.ladder import standard_ladder
from maatpak.participants.models import (
    Benefit,
    BenefitEndReason,
    BenefitType,
    DomainAssessment,
    LadderAssessment,
    Participant,
    SolAssessment,
    SolGroup,
)
from maatpak.providers.models import Provider, ProviderKind
from maatpak.trajectories.models import (
    GoalKind,
    Instrument,
    InstrumentCluster,
    PlannedInstrument,
    PlanVersion,
    Referral,
    ReferralStatus,
    Trajectory,
    TrajectoryStatus,
)

COLUMNS = [
    "participant_ref",
    "birth_year",
    "sex",
    "months_on_benefit",
    "ladder_rung",
    "sol_group",
    "health_physical",
    "health_mental",
    "debts",
    "housing",
    "language",
    "care_duties",
    "education_level",
    "instrument",
    "provider",
    "start_date",
    "end_date",
    "work_start_date",
    "work_end_date",
    "work_type",
    "benefit_end_date",
    "monthly_benefit_cents",
    "cost_cents",
]
REQUIRED = {"participant_ref", "birth_year", "instrument", "start_date"}
# Facts about the person: the same in every row of that participant_ref.
PERSON_COLUMNS = ("birth_year", "sex", "education_level")
# What may differ between the rows of one trajectory (one participant_ref + start_date).
PER_INSTRUMENT_COLUMNS = ("instrument", "provider", "cost_cents")
# Facts about the trajectory and the situation at its start: every other column, the same in
# every row of one participant_ref + start_date.
TRAJECTORY_COLUMNS = tuple(
    column for column in COLUMNS if column not in ("participant_ref", "start_date", *PERSON_COLUMNS, *PER_INSTRUMENT_COLUMNS)
)
DATE_COLUMNS = ("start_date", "end_date", "work_start_date", "work_end_date", "benefit_end_date")
NUMBER_COLUMNS = ("birth_year", "months_on_benefit", "ladder_rung", "monthly_benefit_cents", "cost_cents")
MIN_AGE, MAX_AGE = 15, 100
WORK_TYPES = {
    "regular": "regular",
    "subsidised": "subsidised",
    "self_employment": "self_employment",
    "education": "education",
    "volunteer": "volunteer",
}
EDUCATION = {"none", "vmbo", "mbo", "hbo", "unknown"}
SEX = {"f": "f", "m": "m", "x": "x", "v": "f"}
# The text columns and the most characters the fields they are written to hold.
TEXT_LIMITS = {
    "participant_ref": min(max_length(Participant, "reference"), max_length(ImportedTrajectory, "participant_ref")),
    "instrument": min(max_length(Instrument, "code"), max_length(ImportedTrajectory, "instrument_code")),
    "provider": max_length(Provider, "name"),
}


@dataclass
class HistoryImportResult(ImportResult):
    new_trajectories: int = 0
    created_instruments: list = field(default_factory=list)


def benefit_start(start: dt.date, months: int) -> dt.date:
    """The benefit's start: `months` calendar months before the trajectory's start, so the
    analyses (which count calendar months with relativedelta) read the same number back."""
    return start - relativedelta(months=months)


def _canonical(column, text):
    """A cell's value for comparing rows (“v” and “f” are the same sex, “05” and “5” the same
    number); None when the cell is invalid — that error is reported on its own."""
    if text == "":
        return ""
    try:
        if column in DATE_COLUMNS:
            return dt.date.fromisoformat(text)
        if column in NUMBER_COLUMNS:
            return int(text)
    except ValueError:
        return None
    if column == "sex":
        return SEX.get(text.lower())
    return text


def _check_row(line, row, known_instruments, create_missing, error):
    """Checks within one row; returns the parsed values."""
    values = {}
    for column in REQUIRED:
        if not row[column]:
            error(column, _("is required and missing"))
    for problem in length_errors(line, row, TEXT_LIMITS):
        error(problem.column, problem.message)
    for column in DATE_COLUMNS:
        values[column] = None
        if row[column]:
            try:
                values[column] = dt.date.fromisoformat(row[column])
            except ValueError:
                error(column, _("“%(value)s” is not a valid date; use YYYY-MM-DD, for example 2021-03-15") % {"value": row[column][:40]})
                continue
            problem = date_problem(values[column], CASE)
            if problem:
                error(column, problem)
                values[column] = None
    for column, low, high in (
        ("birth_year", 1900, dt.date.today().year),
        ("months_on_benefit", 0, 1200),
        ("ladder_rung", 1, 6),
        ("monthly_benefit_cents", 0, 10_000_000),
        ("cost_cents", 0, 100_000_000),
    ):
        values[column] = None
        if row[column]:
            try:
                number = int(row[column])
                if not low <= number <= high:
                    raise ValueError
                values[column] = number
            except ValueError:
                error(
                    column,
                    _("“%(value)s” must be a whole number from %(low)s to %(high)s")
                    % {"value": row[column][:40], "low": low, "high": high},
                )
    for column in BARRIER_DOMAINS:
        if row[column] not in ("", "0", "1"):
            error(column, _("“%(value)s” must be 0, 1 or empty") % {"value": row[column][:40]})
        values[column] = None if row[column] == "" else row[column] == "1"
    if row["sol_group"] and row["sol_group"] not in SolGroup.values:
        error("sol_group", _("“%(value)s” is not a Sol group (A1, A2, A3, B1, B2 or B3)") % {"value": row["sol_group"][:40]})
    if row["sex"] and row["sex"].lower() not in SEX:
        error("sex", _("“%(value)s” must be f, m or x") % {"value": row["sex"][:40]})
    if row["education_level"] and row["education_level"] not in EDUCATION:
        error(
            "education_level",
            _("“%(value)s” must be one of: %(choices)s") % {"value": row["education_level"][:40], "choices": ", ".join(sorted(EDUCATION))},
        )
    if row["work_type"] and row["work_type"] not in WORK_TYPES:
        error(
            "work_type", _("“%(value)s” must be one of: %(choices)s") % {"value": row["work_type"][:40], "choices": ", ".join(WORK_TYPES)}
        )
    if row["work_start_date"] and not row["work_type"]:
        error("work_type", _("is required when work_start_date is filled in"))
    for column in ("work_end_date", "work_type"):
        if row[column] and not row["work_start_date"]:
            error(column, _("is filled in but work_start_date is empty; give the job's start date or leave the work columns empty"))
    if row["instrument"] and row["instrument"] not in known_instruments and not create_missing:
        error(
            "instrument",
            _("unknown instrument code “%(value)s”; add it to the catalogue or use --create-missing-instruments")
            % {"value": row["instrument"][:40]},
        )
    start = values["start_date"]
    if start and values["end_date"] and values["end_date"] < start:
        error("end_date", _("is before start_date"))
    if start and values["work_start_date"] and values["work_start_date"] < start:
        error("work_start_date", _("is before start_date; the work columns describe the job that followed the trajectory's start"))
    if values["work_start_date"] and values["work_end_date"] and values["work_end_date"] < values["work_start_date"]:
        error("work_end_date", _("is before work_start_date"))
    if start and values["birth_year"] is not None:
        # Born on 1 July of the birth year (see _write): the age at the start, give or take half a year.
        age = relativedelta(start, dt.date(values["birth_year"], 7, 1)).years
        if not MIN_AGE <= age <= MAX_AGE:
            error(
                "birth_year",
                _("makes the participant %(age)s years old at the start; that must be from %(low)s to %(high)s")
                % {"age": age, "low": MIN_AGE, "high": MAX_AGE},
            )
    if values["months_on_benefit"] is None:
        # Without months on benefit the benefit's start is unknown, so no benefit is created:
        # its end and amount would be silently lost. Refuse them instead.
        for column in ("benefit_end_date", "monthly_benefit_cents"):
            if row[column]:
                error(
                    column,
                    _(
                        "is filled in but months_on_benefit is empty; without it the benefit's start is unknown. Fill in months_on_benefit or leave this column empty"
                    ),
                )
    elif start and values["benefit_end_date"]:
        began = benefit_start(start, values["months_on_benefit"])
        if values["benefit_end_date"] < began:
            error(
                "benefit_end_date",
                _("is before the benefit's start (%(date)s: start_date minus months_on_benefit)") % {"date": began.isoformat()},
            )
        elif values["benefit_end_date"] < start:
            error(
                "benefit_end_date",
                _(
                    "is before start_date, so there was no benefit at the start; then leave months_on_benefit, benefit_end_date and monthly_benefit_cents empty"
                ),
            )
    return values


def _parse(rows, known_instruments, create_missing, earlier=None):
    """Check every row, then the rows against each other: rows of one trajectory
    (participant_ref + start_date) and rows of one person must agree, also with rows imported
    before (`earlier`: {(participant_ref, start_date): (row, source file)})."""
    errors, parsed = [], []
    seen = set()
    trajectories, persons, benefits = {}, {}, {}
    earlier = earlier or {}
    earlier_persons = {}
    for (ref, _start), stored in earlier.items():
        earlier_persons.setdefault(ref, stored)
    for line, raw in rows:
        row = {k: (raw.get(k) or "").strip() for k in COLUMNS}
        invisible = cell_errors(line, row)
        if invisible:
            # Checked no further: the other messages would quote the invisible characters.
            errors.extend(invisible)
            continue

        def error(column, message, line=line):
            errors.append(RowError(line, column, message))

        values = _check_row(line, row, known_instruments, create_missing, error)
        key = (row["participant_ref"], row["start_date"], row["instrument"])
        if all(key) and key in seen:
            error("participant_ref", _("duplicate row: this participant, start date and instrument already appear earlier in the file"))
        seen.add(key)
        ref, start = row["participant_ref"], values["start_date"]
        if ref and start:
            _compare(
                row,
                TRAJECTORY_COLUMNS,
                trajectories.setdefault((ref, start), (line, row)),
                error,
                _("differs from line %(line)s, which has the same participant_ref and start_date (one trajectory): “%(value)s” there"),
            )
            if (ref, start) in earlier:
                stored, source = earlier[(ref, start)]
                _compare(
                    row,
                    TRAJECTORY_COLUMNS,
                    (None, stored),
                    error,
                    _("differs from the earlier import of this trajectory (file %(source)s): “%(value)s” there"),
                    source=source,
                )
        if ref:
            _compare(
                row,
                PERSON_COLUMNS,
                persons.setdefault(ref, (line, row)),
                error,
                _("differs from line %(line)s for the same participant_ref: “%(value)s” there"),
            )
            if ref in earlier_persons:
                stored, source = earlier_persons[ref]
                _compare(
                    row,
                    PERSON_COLUMNS,
                    (None, stored),
                    error,
                    _("differs from the earlier import of this participant (file %(source)s): “%(value)s” there"),
                    source=source,
                )
        if ref and start and values["months_on_benefit"] is not None and trajectories[(ref, start)][1] is row:
            # Two trajectories in one benefit spell describe the same benefit: one end, one amount.
            # (Rows of one trajectory are already compared above.)
            began = benefit_start(start, values["months_on_benefit"])
            _compare(
                row,
                ("benefit_end_date", "monthly_benefit_cents"),
                benefits.setdefault((ref, began), (line, row)),
                error,
                _("differs from line %(line)s, which describes the same benefit (same participant and benefit start): “%(value)s” there"),
            )
        parsed.append((line, row, values))
    return errors, parsed


def _compare(row, columns, first, error, message, source=""):
    first_line, first_row = first
    if first_row is row:
        return
    for column in columns:
        mine, theirs = _canonical(column, row[column]), _canonical(column, first_row.get(column, ""))
        if mine is not None and theirs is not None and mine != theirs:
            error(column, message % {"line": first_line, "value": first_row.get(column, ""), "source": source})


def _live_person_errors(municipality, parsed) -> list[RowError]:
    """A row whose participant_ref is a participant already in Maatpak (registered at intake,
    imported with the caseload, or by an earlier history import) must have their birth year:
    otherwise the reference points at someone else, and the row is an error — never a merge."""
    refs = {row["participant_ref"] for _line, row, _values in parsed if row["participant_ref"]}
    born = dict(Participant.objects.filter(municipality=municipality, reference__in=refs).values_list("reference", "birth_date"))
    errors = []
    for line, row, values in parsed:
        birth_date = born.get(row["participant_ref"])
        if birth_date is not None and values["birth_year"] is not None and birth_date.year != values["birth_year"]:
            errors.append(
                RowError(
                    line,
                    "birth_year",
                    _(
                        "does not match the participant already registered under this participant_ref; a row is never merged into another person. Check participant_ref and birth_year"
                    ),
                )
            )
    return errors


def import_history(
    *, municipality, file, source_name: str, dry_run: bool = False, create_missing_instruments: bool = False
) -> HistoryImportResult:
    text = file.read()
    result = HistoryImportResult(dry_run=dry_run)
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            result.errors.append(RowError(1, "-", _("The file is not UTF-8. Save it again as CSV (UTF-8).")))
            return result
    rows, header_error = read_rows(text, COLUMNS)
    if header_error:
        result.errors.append(header_error)
        return result
    result.rows = len(rows)
    known = set(Instrument.objects.filter(municipality=municipality).values_list("code", flat=True))
    # A reference the text rule refuses (a NUL byte, say) is reported as a row error; the
    # database is never asked about it.
    refs = {ref for ref in ((raw.get("participant_ref") or "").strip() for _line, raw in rows) if not text_problem(ref)}
    records = ImportedTrajectory.objects.filter(municipality=municipality, participant_ref__in=refs).order_by("id")
    existing, earlier = set(), {}
    for record in records:
        existing.add((record.participant_ref, record.start_date, record.instrument_code))
        if record.row:
            earlier.setdefault((record.participant_ref, record.start_date), (record.row, record.source_file))
    result.errors, parsed = _parse(rows, known, create_missing_instruments, earlier)
    result.errors += _live_person_errors(municipality, parsed)
    result.errors.sort(key=lambda error: error.line)
    if result.errors:
        return result
    new = [
        (line, row, values)
        for line, row, values in parsed
        if (row["participant_ref"], values["start_date"], row["instrument"]) not in existing
    ]
    result.already_present = len(parsed) - len(new)
    result.created_instruments = sorted({row["instrument"] for _line, row, _values in new} - known)
    result.created = len(new)
    imported_trajectories = {(ref, start) for ref, start, _code in existing}
    result.new_trajectories = len({(row["participant_ref"], values["start_date"]) for _line, row, values in new} - imported_trajectories)
    if dry_run or not new:
        return result
    with transaction.atomic():
        _write(municipality, new, source_name)
    return result


def _write(municipality, rows, source_name):
    importer = import_account(municipality)
    ladder, _created = standard_ladder()
    instruments = {i.code: i for i in Instrument.objects.filter(municipality=municipality)}
    providers = {p.name: p for p in Provider.objects.filter(municipality=municipality)}
    refs = {r["participant_ref"] for _line, r, _values in rows}
    people = {p.reference: p for p in Participant.objects.filter(municipality=municipality, reference__in=refs)}
    imported = {}
    for record in ImportedTrajectory.objects.filter(municipality=municipality, participant_ref__in=refs).select_related("trajectory"):
        imported[(record.participant_ref, record.start_date)] = record.trajectory
    groups = {}
    for line, row, values in rows:
        groups.setdefault((row["participant_ref"], values["start_date"]), []).append((line, row, values))
    for (ref, start), group in groups.items():
        trajectory = imported.get((ref, start))
        if trajectory is None:
            # The first row speaks for the trajectory: _parse made sure the others agree.
            trajectory = _write_trajectory(municipality, people, importer, ladder, group[0][1], group[0][2])
        plan = trajectory.plan_versions.order_by("-number").first()
        referred = set(trajectory.referrals.values_list("provider__name", flat=True))
        for _line, row, values in group:
            code = row["instrument"]
            if code not in instruments:
                instruments[code] = Instrument.objects.create(
                    municipality=municipality, code=code, name=f"{code} (geïmporteerd)", cluster=InstrumentCluster.SUPPORT
                )
            provider = None
            if row["provider"]:
                provider = providers.get(row["provider"])
                if provider is None:
                    provider = providers[row["provider"]] = Provider.objects.create(
                        municipality=municipality, name=row["provider"], kind=ProviderKind.EXTERNAL
                    )
                if provider.name not in referred:
                    referred.add(provider.name)
                    end = trajectory.ended_on
                    Referral.objects.create(
                        municipality=municipality,
                        trajectory=trajectory,
                        provider=provider,
                        status=ReferralStatus.ENDED if end else ReferralStatus.ACTIVE,
                        proposed_on=start,
                        started_on=start,
                        ended_on=end,
                    )
            # An empty cost stays unknown (cost_unknown below): the catalogue's default price is
            # today's, not what the older system paid.
            PlannedInstrument.objects.create(
                municipality=municipality,
                plan=plan,
                instrument=instruments[code],
                provider=provider,
                start_date=start,
                end_date=trajectory.ended_on or start,
                cost_cents=values["cost_cents"] or 0,
            )
            ImportedTrajectory.objects.create(
                municipality=municipality,
                participant_ref=ref,
                start_date=start,
                instrument_code=code,
                trajectory=trajectory,
                source_file=source_name[:255],
                row=row,
                cost_unknown=values["cost_cents"] is None,
            )


def _write_trajectory(municipality, people, importer, ladder, row, values):
    """The person (when new), the benefit, the assessments at the start, the trajectory with
    its plan, and the job that followed — once per trajectory, whatever its instrument count."""
    start = values["start_date"]
    person = people.get(row["participant_ref"])
    if person is None:
        # The birth year is all older systems give: 1 July is the year's middle, so age is off by at most half a year.
        person = Participant.objects.create(
            municipality=municipality,
            reference=row["participant_ref"],
            first_name="(geïmporteerd)",
            last_name=row["participant_ref"],
            birth_date=dt.date(values["birth_year"], 7, 1),
            sex=SEX.get(row["sex"].lower(), "x"),
            education_level=row["education_level"] or "unknown",
            registered_on=start,
        )
        people[person.reference] = person
    if values["months_on_benefit"] is not None:
        ended = values["benefit_end_date"]
        Benefit.objects.get_or_create(
            municipality=municipality,
            participant=person,
            type=BenefitType.PARTICIPATIEWET,
            start_date=benefit_start(start, values["months_on_benefit"]),
            defaults={
                "end_date": ended,
                "end_reason": BenefitEndReason.WORK if ended and values["work_start_date"] else (BenefitEndReason.OTHER if ended else ""),
                "monthly_amount_cents": values["monthly_benefit_cents"] or 0,
            },
        )
    for column, domain in BARRIER_DOMAINS.items():
        if values[column] is not None:
            DomainAssessment.objects.create(
                municipality=municipality,
                participant=person,
                domain=domain,
                score=2 if values[column] else 4,
                note="Geïmporteerd: 1 = belemmering",
                assessed_on=start,
                author=importer,
            )
    if values["ladder_rung"] is not None:
        LadderAssessment.objects.create(
            municipality=municipality, participant=person, definition=ladder, rung=values["ladder_rung"], assessed_on=start, author=importer
        )
    if row["sol_group"]:
        SolAssessment.objects.create(
            municipality=municipality, participant=person, group=row["sol_group"], assessed_on=start, author=importer
        )
    end = values["end_date"]
    trajectory = Trajectory.objects.create(
        municipality=municipality,
        participant=person,
        consultant=None,
        status=TrajectoryStatus.CLOSED if end else TrajectoryStatus.ACTIVE,
        started_on=start,
        ended_on=end,
    )
    PlanVersion.objects.create(
        municipality=municipality,
        trajectory=trajectory,
        number=1,
        end_goal_kind=GoalKind.REGULAR_WORK,
        end_goal="Geïmporteerd uit een eerder systeem",
        planned_start=start,
        planned_end=end or start,
        agreed_on=start,
        created_by=importer,
    )
    if values["work_start_date"]:
        # Two trajectories of one person may name the same job: record it once.
        Placement.objects.get_or_create(
            municipality=municipality,
            participant=person,
            kind=WORK_TYPES[row["work_type"]],
            start_date=values["work_start_date"],
            defaults={"trajectory": trajectory, "end_date": values["work_end_date"]},
        )
    return trajectory
