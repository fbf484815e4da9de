"""Import of today's caseload (docs/caseload-import-format.md): the participants a municipality
already supports when it starts with Maatpak, with BSN, benefit, consultant and current ladder
rung. Every row is checked first with the intake's field rules (`participants.intake`); every
error is reported as "regel N, kolom X: …"; nothing is written unless every row is good, and
then everything in one transaction. Idempotent on the municipality's client number: a row whose
client number is already there with the same date of birth (and BSN) is skipped; with another
date of birth or BSN it is an error — a row is never merged into another person.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maatpak.accounts.models import User
from maatpak.accounts.policy import is_consultant
from maatpak.accounts.roles import Role
from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_record
from maatpak.core.text import CASE, date_problem
from maatpak.participants.csv_import import ImportResult, RowError, cell_errors, read_rows
from maatpak.participants.intake import benefit_errors, clean_person, euros_to_cents
from maatpak.participants.ladder import ladder_definition_for, standard_ladder
from maatpak.participants.models import Benefit, ConsultantAssignment, LadderAssessment, Participant, Sex
from maatpak.participants.services import dossier_row_add

COLUMNS = [
    "client_number",
    "bsn",
    "first_name",
    "name_prefix",
    "last_name",
    "birth_date",
    "sex",
    "street",
    "postal_code",
    "city",
    "email",
    "phone",
    "benefit_type",
    "benefit_start",
    "benefit_amount",
    "consultant",
    "ladder_rung",
    "registered_on",
]
REQUIRED_COLUMNS = ("client_number", "bsn", "first_name", "last_name", "birth_date", "consultant")
# The intake's field names → the file's columns, so an intake rule's message lands on its column.
FIELD_COLUMNS = {"reference": "client_number"}
SEX = {"f": Sex.FEMALE, "v": Sex.FEMALE, "m": Sex.MALE, "x": Sex.OTHER, "": Sex.OTHER}
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")


@dataclass
class CaseloadImportResult(ImportResult):
    encoding: str = ""


def decode(data: bytes) -> tuple[str, str]:
    """The file's text and the encoding it was in: UTF-8 (with or without the BOM Excel writes)
    or else Windows-1252 (Excel's "CSV" on Dutch Windows)."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        raise ValueError(_("The file is neither UTF-8 nor Windows-1252. Save it again as CSV (UTF-8).")) from None


def separator(header_line: str) -> str:
    """ ";" (Dutch Excel) or "," — whichever the header row uses more."""
    return ";" if header_line.count(";") > header_line.count(",") else ","


def parse_date(text: str) -> dt.date:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def import_account(municipality) -> User:
    """The inactive account imports of `municipality` are recorded under (it cannot log in); the
    history import uses the same one."""
    account, _created = User.objects.get_or_create(
        username=f"import-{municipality.code.lower()}",
        defaults={
            "role": Role.ANALYST,
            "is_active": False,
            "password": make_password(None),
            "first_name": "Import",
            "last_name": "oude systemen",
        },
    )
    account.municipalities.add(municipality)
    return account


@dataclass
class _Row:
    line: int
    values: dict
    consultant: User
    benefit_type: str
    benefit_start: dt.date | None
    benefit_amount_cents: int | None
    ladder_rung: int | None
    registered_on: dt.date


def _dates(row, error, today):
    dates = {}
    for column in ("birth_date", "benefit_start", "registered_on"):
        dates[column] = None
        if row[column]:
            try:
                dates[column] = parse_date(row[column])
            except ValueError:
                error(
                    column,
                    _("“%(value)s” is not a date; use DD-MM-YYYY or YYYY-MM-DD, for example 15-03-2021") % {"value": row[column][:40]},
                )
    if dates["registered_on"] and dates["registered_on"] > today:
        error("registered_on", _("The date cannot be in the future."))
    elif dates["registered_on"] and date_problem(dates["registered_on"], CASE, today=today):
        error("registered_on", date_problem(dates["registered_on"], CASE, today=today))
    return dates


def _check_row(line, row, *, consultants, today, error):
    """One row on its own: the intake's field rules, the benefit, the consultant and the rung."""
    for column in REQUIRED_COLUMNS:
        if not row[column]:
            error(column, _("is required and missing"))
    dates = _dates(row, error, today)
    sex = SEX.get(row["sex"].lower())
    if sex is None:
        error("sex", _("“%(value)s” must be f, m or x") % {"value": row["sex"][:10]})
    values, errors = clean_person(
        {
            "bsn": row["bsn"],
            "reference": row["client_number"],
            "first_name": row["first_name"],
            "name_prefix": row["name_prefix"],
            "last_name": row["last_name"],
            "birth_date": dates["birth_date"],
            "sex": sex or Sex.OTHER,
            "street": row["street"],
            "postal_code": row["postal_code"],
            "city": row["city"],
            "email": row["email"],
            "phone": row["phone"],
        },
        today=today,
    )
    for name, message in errors.items():
        column = FIELD_COLUMNS.get(name, name)
        if column in REQUIRED_COLUMNS and not row[column]:
            continue  # reported as missing above
        if column == "birth_date" and row["birth_date"] and dates["birth_date"] is None:
            continue  # reported as not a date above
        error(column, message)
    amount = None
    try:
        amount = euros_to_cents(row["benefit_amount"])
    except ValueError:
        error("benefit_amount", _("“%(value)s” is not an amount; write euros like 1250,00") % {"value": row["benefit_amount"][:20]})
    benefit_type = row["benefit_type"].lower()
    if benefit_type:
        for name, message in benefit_errors(
            benefit_type=benefit_type, start_date=dates["benefit_start"], amount_cents=amount, birth_date=dates["birth_date"], today=today
        ).items():
            error(name, message)
    elif row["benefit_start"] or row["benefit_amount"]:
        error("benefit_type", _("is required when benefit_start or benefit_amount is filled in"))
    rung = None
    if row["ladder_rung"]:
        if row["ladder_rung"] in {str(n) for n in range(1, 7)}:
            rung = int(row["ladder_rung"])
        else:
            error("ladder_rung", _("“%(value)s” must be a whole number from 1 to 6") % {"value": row["ladder_rung"][:10]})
    consultant = consultants.get(row["consultant"])
    if row["consultant"] and consultant is None:
        error("consultant", _("“%(value)s” is not a consultant of this municipality") % {"value": row["consultant"][:150]})
    return _Row(
        line=line,
        values=values,
        consultant=consultant,
        benefit_type=benefit_type,
        benefit_start=dates["benefit_start"],
        benefit_amount_cents=amount,
        ladder_rung=rung,
        registered_on=dates["registered_on"] or today,
    )


def _check_against_others(parsed: list[_Row], municipality, error_at) -> list[_Row]:
    """Rows against each other and against the participants already there; returns the new rows."""
    by_reference = {
        p.reference: p for p in Participant.objects.filter(municipality=municipality, reference__in=[r.values["reference"] for r in parsed])
    }
    hashes = [Participant.hash_for_lookup(r.values["bsn"]) for r in parsed]
    by_hash = {p.bsn_hash: p for p in Participant.objects.filter(municipality=municipality, bsn_hash__in=hashes)}
    seen_reference, seen_bsn, new = {}, {}, []
    for row, bsn_hash in zip(parsed, hashes, strict=True):
        reference = row.values["reference"]
        if reference in seen_reference:
            error_at(
                row.line,
                "client_number",
                _("appears before on line %(line)s; every client number once") % {"line": seen_reference[reference]},
            )
            continue
        seen_reference[reference] = row.line
        if bsn_hash in seen_bsn:
            error_at(row.line, "bsn", _("the same BSN appears before on line %(line)s") % {"line": seen_bsn[bsn_hash]})
            continue
        seen_bsn[bsn_hash] = row.line
        existing = by_reference.get(reference)
        if existing is not None:
            if existing.birth_date != row.values["birth_date"]:
                error_at(
                    row.line,
                    "birth_date",
                    _(
                        "client number %(reference)s is already registered with another date of birth; a row is never merged into another person. Check the client number and the date"
                    )
                    % {"reference": reference},
                )
            elif existing.bsn_hash != bsn_hash:
                error_at(
                    row.line,
                    "bsn",
                    _("client number %(reference)s is already registered with another BSN; a row is never merged into another person")
                    % {"reference": reference},
                )
            continue  # already present: idempotent
        other = by_hash.get(bsn_hash)
        if other is not None:
            error_at(
                row.line, "bsn", _("this BSN is already registered under client number %(reference)s") % {"reference": other.reference}
            )
            continue
        new.append(row)
    return new


def import_caseload(
    *, municipality, data: bytes, dry_run: bool = False, progress: Callable[[int, int], None] | None = None
) -> CaseloadImportResult:
    """Check the whole file, then (unless `dry_run` or an error) write every new row in one
    transaction. `progress(done, total)` is called while checking and writing."""
    result = CaseloadImportResult(dry_run=dry_run)
    try:
        text, result.encoding = decode(data)
    except ValueError as exc:
        result.errors.append(RowError(1, "-", str(exc)))
        return result
    first_line = text.split("\n", 1)[0]
    rows, header_error = read_rows(text, COLUMNS, delimiter=separator(first_line), fold_header=True)
    if header_error:
        result.errors.append(header_error)
        return result
    result.rows = len(rows)
    today = timezone.localdate()
    consultants = {
        user.username: user for user in User.objects.filter(municipalities=municipality, is_active=True).people() if is_consultant(user)
    }
    parsed = []
    for done, (line, raw) in enumerate(rows, start=1):
        row = {column: (raw.get(column) or "").strip() for column in COLUMNS}

        def error(column, message, line=line):
            result.errors.append(RowError(line, column, message))

        invisible = cell_errors(line, row)
        if invisible:
            # Checked no further: the other messages would quote the invisible characters.
            result.errors.extend(invisible)
        else:
            before = len(result.errors)
            checked = _check_row(line, row, consultants=consultants, today=today, error=error)
            if len(result.errors) == before:
                parsed.append(checked)
        if progress:
            progress(done, len(rows) * (1 if dry_run else 2))
    new = _check_against_others(parsed, municipality, lambda line, column, message: result.errors.append(RowError(line, column, message)))
    result.errors.sort(key=lambda e: e.line)
    result.already_present = len(parsed) - len(new) if not result.errors else 0
    result.created = len(new)
    if result.errors or dry_run or not new:
        return result
    with transaction.atomic():
        _write(municipality, new, progress=progress, offset=len(rows), total=len(rows) * 2)
    return result


def _write(municipality, rows: list[_Row], *, progress, offset: int, total: int) -> None:
    importer = import_account(municipality)
    ladder = ladder_definition_for(municipality) or standard_ladder()[0]
    for done, row in enumerate(rows, start=1):
        values = row.values
        participant = Participant(
            municipality=municipality,
            consultant=row.consultant,
            registered_on=row.registered_on,
            **{k: v for k, v in values.items() if k != "bsn"},
        )
        participant.set_bsn(values["bsn"])
        participant.save()
        audit_record(actor=importer, action=AuditAction.CREATE, obj=participant, purpose="caseload import")
        dossier_row_add(
            ConsultantAssignment,
            actor=importer,
            participant=participant,
            consultant=row.consultant,
            start_date=row.registered_on,
            reason="Import",
        )
        if row.benefit_type:
            dossier_row_add(
                Benefit,
                actor=importer,
                participant=participant,
                type=row.benefit_type,
                start_date=row.benefit_start,
                monthly_amount_cents=row.benefit_amount_cents or 0,
            )
        if row.ladder_rung is not None:
            dossier_row_add(
                LadderAssessment,
                actor=importer,
                participant=participant,
                definition=ladder,
                rung=row.ladder_rung,
                note="Geïmporteerd: trede bij de start met Maatpak",
                assessed_on=row.registered_on,
                author=importer,
            )
        if progress:
            progress(offset + done, total)
