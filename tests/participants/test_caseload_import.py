"""Requirement (issue 13.2): import of today's caseload — atomic, idempotent on the client number,
--dry-run, every bad row as "regel N, kolom X", a known client number with another birth date is
an error (never a merge), UTF-8 with or without BOM and Windows-1252, ";" or "," separated."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from maatpak.accounts.roles import Role
from maatpak.audit.models import AuditEvent
from maatpak.participants.caseload_import import COLUMNS, import_caseload
from maatpak.participants.models import Benefit, ConsultantAssignment, LadderAssessment, Participant
from tests.factories import ParticipantFactory, UserFactory, valid_bsn

pytestmark = pytest.mark.django_db


def row(n, **overrides):
    values = {
        "client_number": f"K-{n}",
        "bsn": valid_bsn(8000 + n),
        "first_name": "Jörg",
        "name_prefix": "",
        "last_name": f"Müller{n}",
        "birth_date": "17-05-1985",
        "sex": "v",
        "street": "Dorpsstraat 1",
        "postal_code": "9201ab",
        "city": "Drachten",
        "email": "",
        "phone": "",
        "benefit_type": "pw",
        "benefit_start": "2023-01-01",
        "benefit_amount": "1.250,50",
        "consultant": "km-test",
        "ladder_rung": "2",
        "registered_on": "",
    }
    values.update(overrides)
    return values


def csv_bytes(rows, *, sep=";", encoding="utf-8-sig"):
    """As Excel saves it: CRLF, quotes only where a cell holds the separator."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows([[r[c] for c in COLUMNS] for r in rows])
    return buffer.getvalue().encode(encoding)


def run(tmp_path, municipality, data, *extra):
    path = tmp_path / "caseload.csv"
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    call_command("import_caseload", str(path), "--municipality", municipality.code, *extra, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize(("sep", "encoding"), [(";", "utf-8-sig"), (",", "utf-8"), (";", "cp1252")])
def test_a_good_file_is_imported_in_the_encodings_dutch_spreadsheets_write(tmp_path, municipality, consultant, sep, encoding):
    out, _err = run(tmp_path, municipality, csv_bytes([row(1), row(2, benefit_amount="980")], sep=sep, encoding=encoding))
    assert "2 geïmporteerd, 0 al aanwezig" in out
    p = Participant.objects.get(reference="K-1")
    assert (p.last_name, p.first_name, p.sex, p.postal_code, p.consultant) == ("Müller1", "Jörg", "f", "9201 AB", consultant)
    assert p.bsn == valid_bsn(8001) and p.birth_date.isoformat() == "1985-05-17"
    assert Benefit.objects.get(participant=p).monthly_amount_cents == 125050
    assert LadderAssessment.objects.get(participant=p).rung == 2
    assert ConsultantAssignment.objects.get(participant=p).consultant == consultant
    assert AuditEvent.objects.filter(action="create", participant_id=p.pk, object_type="Participant").exists()


def test_running_twice_changes_nothing(tmp_path, municipality, consultant):
    data = csv_bytes([row(1), row(2)])
    run(tmp_path, municipality, data)
    out, _err = run(tmp_path, municipality, data)
    assert "0 geïmporteerd, 2 al aanwezig" in out
    assert Participant.objects.count() == 2 and Benefit.objects.count() == 2 and LadderAssessment.objects.count() == 2


def test_dry_run_writes_nothing(tmp_path, municipality, consultant):
    out, _err = run(tmp_path, municipality, csv_bytes([row(1)]), "--dry-run")
    assert "1 regels: 1 zou importeren, 0 al aanwezig" in out
    assert not Participant.objects.exists()


def test_one_bad_row_imports_nothing_and_every_error_names_line_and_column(tmp_path, municipality, consultant):
    bad = row(
        3,
        bsn="123456789",
        birth_date="31-02-1985",
        postal_code="12345",
        consultant="niemand",
        ladder_rung="7",
        benefit_amount="veel",
        last_name="",
    )
    result = import_caseload(municipality=municipality, data=csv_bytes([row(1), bad, row(2)]))
    found = {(e.line, e.column) for e in result.errors}
    assert found == {
        (3, "bsn"),
        (3, "birth_date"),
        (3, "postal_code"),
        (3, "consultant"),
        (3, "ladder_rung"),
        (3, "benefit_amount"),
        (3, "last_name"),
    }
    assert all(str(e).startswith("regel 3, kolom ") for e in result.errors)
    with pytest.raises(CommandError) as refused:
        run(tmp_path, municipality, csv_bytes([row(1), bad, row(2)]))
    assert "er is niets geïmporteerd" in str(refused.value)
    assert not Participant.objects.exists()


def test_a_known_client_number_with_another_birth_date_is_an_error_never_a_merge(tmp_path, municipality, consultant):
    live = ParticipantFactory(municipality=municipality, reference="K-1", bsn=valid_bsn(8001), last_name="Echt")
    result = import_caseload(municipality=municipality, data=csv_bytes([row(1, birth_date="1985-05-18")]))
    assert [(e.line, e.column) for e in result.errors] == [(2, "birth_date")]
    assert "nooit samengevoegd" in str(result.errors[0])
    live.refresh_from_db()
    assert live.last_name == "Echt" and Participant.objects.count() == 1


def test_a_known_client_number_with_another_bsn_is_an_error(tmp_path, municipality, consultant):
    ParticipantFactory(municipality=municipality, reference="K-1", bsn=valid_bsn(9999))
    result = import_caseload(municipality=municipality, data=csv_bytes([row(1)]))
    assert [(e.line, e.column) for e in result.errors] == [(2, "bsn")]


def test_a_bsn_registered_under_another_client_number_is_an_error(tmp_path, municipality, consultant):
    ParticipantFactory(municipality=municipality, reference="ANDER", bsn=valid_bsn(8001))
    result = import_caseload(municipality=municipality, data=csv_bytes([row(1)]))
    assert [(e.line, e.column) for e in result.errors] == [(2, "bsn")] and "ANDER" in str(result.errors[0])


def test_another_municipalitys_person_is_no_concern(tmp_path, municipality, other_municipality, consultant):
    ParticipantFactory(municipality=other_municipality, reference="K-1", bsn=valid_bsn(8001))
    assert import_caseload(municipality=municipality, data=csv_bytes([row(1)])).errors == []


def test_duplicates_within_the_file(tmp_path, municipality, consultant):
    result = import_caseload(municipality=municipality, data=csv_bytes([row(1), row(1, bsn=valid_bsn(8555)), row(2, bsn=valid_bsn(8001))]))
    assert [(e.line, e.column) for e in result.errors] == [(3, "client_number"), (4, "bsn")]


def test_the_consultant_must_be_a_consultant_of_this_municipality(tmp_path, municipality, other_municipality, consultant):
    UserFactory(role=Role.ANALYST, municipalities=[municipality], username="analist")
    UserFactory(role=Role.CONSULTANT, municipalities=[other_municipality], username="elders")
    result = import_caseload(municipality=municipality, data=csv_bytes([row(1, consultant="analist"), row(2, consultant="elders")]))
    assert [(e.line, e.column) for e in result.errors] == [(2, "consultant"), (3, "consultant")]


def test_missing_columns_and_undecodable_files(tmp_path, municipality, consultant):
    result = import_caseload(municipality=municipality, data=b"client_number;bsn\r\nK-1;123\r\n")
    assert result.errors and result.errors[0].line == 1 and "first_name" in result.errors[0].column
    result = import_caseload(municipality=municipality, data=csv_bytes([row(1)], encoding="utf-16"))
    assert result.errors and result.errors[0].line == 1


def test_the_progress_bar_is_told_about_every_row(tmp_path, municipality, consultant):
    calls = []
    import_caseload(municipality=municipality, data=csv_bytes([row(1), row(2)]), progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (4, 4)


def test_the_progress_bar_draws_on_a_terminal():
    from maatpak.participants.management.commands.import_caseload import ProgressBar

    stream = io.StringIO()
    bar = ProgressBar(stream, enabled=True)
    for done in range(1, 401):
        bar(done, 400)
    assert stream.getvalue().endswith("] 400/400\n") and "#" * 30 in stream.getvalue()
