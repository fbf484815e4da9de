"""Import of history from older systems (docs/import-format.md): validate every row first,
report every error with line, column and a clear message, and write nothing unless all rows are
good — then write everything in one transaction. Re-importing the same rows changes nothing."""

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext as _

from maatpak.accounts.models import User
from maatpak.accounts.roles import Role
from maatpak.employers.models import Placement
from maatpak.insights.models import ImportedTrajectory
from maatpak.participants.models import Benefit, DomainAssessment, LadderAssessment, LadderDefinition, Participant, SolAssessment, SolGroup
from maatpak.providers.models import Provider, ProviderKind
from maatpak.trajectories.models import Instrument, InstrumentCluster, PlannedInstrument, PlanVersion, Referral, Trajectory

COLUMNS = [
    "participant_ref", "birth_year", "sex", "months_on_benefit", "ladder_rung", "sol_group", "health_physical", "health_mental", "debts", "housing", "language",
    "care_duties", "education_level", "instrument", "provider", "start_date", "end_date", "work_start_date", "work_end_date", "work_type", "benefit_end_date",
    "monthly_benefit_cents", "cost_cents",
]
REQUIRED = {"participant_ref", "birth_year", "instrument", "start_date"}
FLAG_DOMAINS = {"health_physical": "health_physical", "health_mental": "health_mental", "debts": "income_debts", "housing": "housing", "language": "language", "care_duties": "caring_duties"}
WORK_TYPES = {"regular": "regular", "subsidised": "subsidised", "self_employment": "self_employment", "education": "education", "volunteer": "volunteer"}
EDUCATION = {"none", "vmbo", "mbo", "hbo", "unknown"}
SEX = {"f": "f", "m": "m", "x": "x", "v": "f"}
# The participation ladder of Regioplan (2008), created for imports when the municipality has none.
REGIOPLAN_RUNGS = [
    {"rung": 1, "label": "Geïsoleerd", "description": "Geen contacten buiten de huisgenoten, behalve functionele contacten."},
    {"rung": 2, "label": "Sociale contacten buiten de deur", "description": "Contacten met familie, vrienden en buren buiten huis."},
    {"rung": 3, "label": "Deelname georganiseerde activiteiten", "description": "Deelname aan activiteiten zoals een club, cursus of dagbesteding."},
    {"rung": 4, "label": "Onbetaald werk", "description": "Vrijwilligerswerk, mantelzorg of werkervaring met behoud van uitkering."},
    {"rung": 5, "label": "Betaald werk met ondersteuning", "description": "Betaald werk met instrumenten of aanvullende uitkering."},
    {"rung": 6, "label": "Betaald werk", "description": "Betaald werk zonder ondersteuning."},
]


@dataclass
class RowError:
    line: int
    column: str
    message: str

    def __str__(self):
        return _("line %(line)s, column %(column)s: %(message)s") % {"line": self.line, "column": self.column, "message": self.message}


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    already_present: int = 0
    created_instruments: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    dry_run: bool = False


def _parse(rows, known_instruments, create_missing):
    errors, parsed = [], []
    seen = set()
    for line, raw in rows:
        row = {k: (raw.get(k) or "").strip() for k in COLUMNS}
        values = {}

        def error(column, message):
            errors.append(RowError(line, column, message))

        for column in REQUIRED:
            if not row[column]:
                error(column, _("is required and missing"))
        for column in ("start_date", "end_date", "work_start_date", "work_end_date", "benefit_end_date"):
            if row[column]:
                try:
                    values[column] = dt.date.fromisoformat(row[column])
                except ValueError:
                    error(column, _("“%(value)s” is not a valid date; use YYYY-MM-DD, for example 2021-03-15") % {"value": row[column]})
            else:
                values[column] = None
        for column, low, high in (("birth_year", 1900, dt.date.today().year), ("months_on_benefit", 0, 1200), ("ladder_rung", 1, 6), ("monthly_benefit_cents", 0, 10_000_000), ("cost_cents", 0, 100_000_000)):
            if row[column]:
                try:
                    number = int(row[column])
                    if not low <= number <= high:
                        raise ValueError
                    values[column] = number
                except ValueError:
                    error(column, _("“%(value)s” must be a whole number from %(low)s to %(high)s") % {"value": row[column], "low": low, "high": high})
            else:
                values[column] = None
        for column in FLAG_DOMAINS:
            if row[column] not in ("", "0", "1"):
                error(column, _("“%(value)s” must be 0, 1 or empty") % {"value": row[column]})
            values[column] = None if row[column] == "" else row[column] == "1"
        if row["sol_group"] and row["sol_group"] not in SolGroup.values:
            error("sol_group", _("“%(value)s” is not a Sol group (A1, A2, A3, B1, B2 or B3)") % {"value": row["sol_group"]})
        if row["sex"] and row["sex"].lower() not in SEX:
            error("sex", _("“%(value)s” must be f, m or x") % {"value": row["sex"]})
        if row["education_level"] and row["education_level"] not in EDUCATION:
            error("education_level", _("“%(value)s” must be one of: %(choices)s") % {"value": row["education_level"], "choices": ", ".join(sorted(EDUCATION))})
        if row["work_type"] and row["work_type"] not in WORK_TYPES:
            error("work_type", _("“%(value)s” must be one of: %(choices)s") % {"value": row["work_type"], "choices": ", ".join(WORK_TYPES)})
        if row["work_start_date"] and not row["work_type"]:
            error("work_type", _("is required when work_start_date is filled in"))
        if row["instrument"] and row["instrument"] not in known_instruments and not create_missing:
            error("instrument", _("unknown instrument code “%(value)s”; add it to the catalogue or use --create-missing-instruments") % {"value": row["instrument"]})
        dates = values
        if dates.get("start_date") and dates.get("end_date") and dates["end_date"] < dates["start_date"]:
            error("end_date", _("is before start_date"))
        if dates.get("work_start_date") and dates.get("work_end_date") and dates["work_end_date"] < dates["work_start_date"]:
            error("work_end_date", _("is before work_start_date"))
        key = (row["participant_ref"], row["start_date"], row["instrument"])
        if all(key) and key in seen:
            error("participant_ref", _("duplicate row: this participant, start date and instrument already appear earlier in the file"))
        seen.add(key)
        parsed.append((line, row, values))
    return errors, parsed


def import_history(*, municipality, file, source_name: str, dry_run: bool = False, create_missing_instruments: bool = False) -> ImportResult:
    text = file.read()
    if isinstance(text, bytes):
        text = text.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    result = ImportResult(dry_run=dry_run)
    missing_columns = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing_columns:
        result.errors.append(RowError(1, ", ".join(missing_columns), _("these columns are missing from the header row")))
        return result
    rows = list(enumerate(reader, start=2))
    result.rows = len(rows)
    known = set(Instrument.objects.filter(municipality=municipality).values_list("code", flat=True))
    result.errors, parsed = _parse(rows, known, create_missing_instruments)
    if result.errors:
        return result
    existing = set(ImportedTrajectory.objects.filter(municipality=municipality).values_list("participant_ref", "start_date", "instrument_code"))
    new = [(line, row, values) for line, row, values in parsed if (row["participant_ref"], values["start_date"], row["instrument"]) not in existing]
    result.already_present = len(parsed) - len(new)
    result.created_instruments = sorted({row["instrument"] for _line, row, _values in new} - known)
    result.created = len(new)
    if dry_run or not new:
        return result
    with transaction.atomic():
        _write(municipality, new, source_name)
    return result


def _write(municipality, rows, source_name):
    importer, _created = User.objects.get_or_create(
        username=f"import-{municipality.code.lower()}",
        defaults={"role": Role.ANALYST, "is_active": False, "password": make_password(None), "first_name": "Import", "last_name": "oude systemen"},
    )
    importer.municipalities.add(municipality)
    ladder, _created = LadderDefinition.objects.get_or_create(code="regioplan-2008", version=1, defaults={"name": "Participatieladder (Regioplan 2008)", "rungs": REGIOPLAN_RUNGS})
    instruments = {i.code: i for i in Instrument.objects.filter(municipality=municipality)}
    providers = {p.name: p for p in Provider.objects.filter(municipality=municipality)}
    people = {p.reference: p for p in Participant.objects.filter(municipality=municipality, reference__in={r["participant_ref"] for _line, r, _values in rows})}
    for _line, row, values in rows:
        code = row["instrument"]
        if code not in instruments:
            instruments[code] = Instrument.objects.create(municipality=municipality, code=code, name=f"{code} (geïmporteerd)", cluster=InstrumentCluster.SUPPORT)
        person = people.get(row["participant_ref"])
        start = values["start_date"]
        if person is None:
            # The birth year is all older systems give: 1 July is the year's middle, so age is off by at most half a year.
            person = Participant.objects.create(
                municipality=municipality, reference=row["participant_ref"], first_name="(geïmporteerd)", last_name=row["participant_ref"],
                birth_date=dt.date(values["birth_year"], 7, 1), sex=SEX.get(row["sex"].lower(), "x"), education_level=row["education_level"] or "unknown",
                registered_on=start,
            )
            people[person.reference] = person
        if values["months_on_benefit"] is not None:
            benefit_start = start - dt.timedelta(days=round(values["months_on_benefit"] * 30.44))
            Benefit.objects.get_or_create(
                municipality=municipality, participant=person, type="pw", start_date=benefit_start,
                defaults={"end_date": values["benefit_end_date"], "end_reason": "work" if values["benefit_end_date"] and values["work_start_date"] else ("other" if values["benefit_end_date"] else ""), "monthly_amount_cents": values["monthly_benefit_cents"] or 0},
            )
        for column, domain in FLAG_DOMAINS.items():
            if values[column] is not None:
                DomainAssessment.objects.create(municipality=municipality, participant=person, domain=domain, score=2 if values[column] else 4, note="Geïmporteerd: 1 = belemmering", assessed_on=start, author=importer)
        if values["ladder_rung"] is not None:
            LadderAssessment.objects.create(municipality=municipality, participant=person, definition=ladder, rung=values["ladder_rung"], assessed_on=start, author=importer)
        if row["sol_group"]:
            SolAssessment.objects.create(municipality=municipality, participant=person, group=row["sol_group"], assessed_on=start, author=importer)
        end = values["end_date"]
        trajectory = Trajectory.objects.create(municipality=municipality, participant=person, consultant=None, status="closed" if end else "active", started_on=start, ended_on=end)
        plan = PlanVersion.objects.create(municipality=municipality, trajectory=trajectory, number=1, end_goal_kind="regular_work", end_goal="Geïmporteerd uit een eerder systeem",
                                          planned_start=start, planned_end=end or start, agreed_on=start, created_by=importer)
        provider = None
        if row["provider"]:
            provider = providers.get(row["provider"])
            if provider is None:
                provider = providers[row["provider"]] = Provider.objects.create(municipality=municipality, name=row["provider"], kind=ProviderKind.EXTERNAL)
            Referral.objects.create(municipality=municipality, trajectory=trajectory, provider=provider, status="ended" if end else "active", proposed_on=start, started_on=start, ended_on=end)
        PlannedInstrument.objects.create(municipality=municipality, plan=plan, instrument=instruments[code], provider=provider, start_date=start, end_date=end or start,
                                         cost_cents=values["cost_cents"] if values["cost_cents"] is not None else instruments[code].default_cost_cents)
        if values["work_start_date"]:
            Placement.objects.create(municipality=municipality, participant=person, trajectory=trajectory, kind=WORK_TYPES[row["work_type"]], start_date=values["work_start_date"], end_date=values["work_end_date"])
        ImportedTrajectory.objects.create(municipality=municipality, participant_ref=row["participant_ref"], start_date=start, instrument_code=code, trajectory=trajectory, source_file=source_name[:255])
