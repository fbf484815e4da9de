"""Requirement (issue 6.6): history import — bad dates, unknown instruments and duplicate rows
are reported with line and column; one bad row among good ones imports nothing; re-importing
is idempotent; --create-missing-instruments adds unknown codes; --dry-run writes nothing."""

import io

import pytest
from django.core.management import CommandError, call_command

from maatpak.employers.models import Placement
from maatpak.insights.history_import import COLUMNS
from maatpak.insights.models import ImportedTrajectory
from maatpak.participants.models import Participant
from maatpak.trajectories.models import Instrument, Trajectory
from tests.factories import InstrumentFactory

pytestmark = pytest.mark.django_db

GOOD = [
    {"participant_ref": "OUD-1", "birth_year": "1980", "sex": "f", "months_on_benefit": "30", "ladder_rung": "2", "sol_group": "B1", "health_physical": "1", "health_mental": "0",
     "debts": "1", "housing": "0", "language": "0", "care_duties": "1", "education_level": "vmbo", "instrument": "SOLL", "provider": "Oud RIB", "start_date": "2019-03-01",
     "end_date": "2019-09-01", "work_start_date": "2019-10-01", "work_end_date": "", "work_type": "regular", "benefit_end_date": "2019-10-15", "monthly_benefit_cents": "130000", "cost_cents": "90000"},
    {"participant_ref": "OUD-2", "birth_year": "1995", "sex": "m", "months_on_benefit": "", "ladder_rung": "", "sol_group": "", "health_physical": "", "health_mental": "",
     "debts": "", "housing": "", "language": "", "care_duties": "", "education_level": "", "instrument": "SOLL", "provider": "", "start_date": "2020-01-10",
     "end_date": "", "work_start_date": "", "work_end_date": "", "work_type": "", "benefit_end_date": "", "monthly_benefit_cents": "", "cost_cents": ""},
]


def csv_file(tmp_path, rows, name="oud.csv"):
    buffer = io.StringIO()
    buffer.write(",".join(COLUMNS) + "\n")
    for row in rows:
        buffer.write(",".join(row.get(c, "") for c in COLUMNS) + "\n")
    path = tmp_path / name
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return str(path)


@pytest.fixture
def soll(municipality):
    return InstrumentFactory(municipality=municipality, code="SOLL", name="Sollicitatietraining")


def run(path, municipality, *extra):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_history", path, "--municipality", municipality.code, *extra, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_good_file_is_imported_into_the_native_model(tmp_path, municipality, soll):
    out, _ = run(csv_file(tmp_path, GOOD), municipality)
    assert "2 geïmporteerd" in out
    person = Participant.objects.get(reference="OUD-1")
    assert person.bsn_hash is None and person.birth_date.year == 1980
    trajectory = Trajectory.objects.get(participant=person)
    assert (trajectory.status, trajectory.consultant, trajectory.closing_report) == ("closed", None, None)
    assert Placement.objects.get(participant=person).kind == "regular"
    assert person.domain_assessments.get(domain="income_debts").score == 2
    assert trajectory.referrals.get().provider.name == "Oud RIB"
    ladder = person.ladder_assessments.get()
    assert ladder.rung == 2 and ladder.definition.code == "regioplan-2008" and ladder.definition.rungs[0]["label"] == "Geïsoleerd"


def test_reimport_is_idempotent(tmp_path, municipality, soll):
    path = csv_file(tmp_path, GOOD)
    run(path, municipality)
    out, _ = run(path, municipality)
    assert "0 geïmporteerd, 2 al aanwezig" in out
    assert Trajectory.objects.count() == 2 and ImportedTrajectory.objects.count() == 2


def test_one_bad_row_among_good_ones_imports_nothing_and_lists_every_error(tmp_path, municipality, soll):
    bad = dict(GOOD[1], participant_ref="OUD-3", start_date="2020-13-45", ladder_rung="9", instrument="ONBEKEND")
    with pytest.raises(CommandError) as exc:
        run(csv_file(tmp_path, [GOOD[0], bad, GOOD[1]]), municipality)
    assert "er is niets geïmporteerd" in str(exc.value)
    assert not Trajectory.objects.exists() and not Participant.objects.exists()
    from maatpak.insights.history_import import import_history

    with open(csv_file(tmp_path, [GOOD[0], bad, GOOD[1]]), "rb") as handle:
        result = import_history(municipality=municipality, file=handle, source_name="x")
    found = {(e.line, e.column) for e in result.errors}
    assert found == {(3, "start_date"), (3, "ladder_rung"), (3, "instrument")}
    assert any("JJJJ-MM-DD" in e.message for e in result.errors)


def test_duplicate_rows_are_reported(tmp_path, municipality, soll):
    from maatpak.insights.history_import import import_history

    with open(csv_file(tmp_path, [GOOD[0], GOOD[0]]), "rb") as handle:
        result = import_history(municipality=municipality, file=handle, source_name="x")
    assert [(e.line, e.column) for e in result.errors] == [(3, "participant_ref")] and "dubbele regel" in result.errors[0].message


def test_unknown_instrument_is_added_only_with_the_flag(tmp_path, municipality, soll):
    row = dict(GOOD[1], instrument="OUDCODE")
    with pytest.raises(CommandError):
        run(csv_file(tmp_path, [row]), municipality)
    out, _ = run(csv_file(tmp_path, [row]), municipality, "--create-missing-instruments")
    assert "OUDCODE" in out and Instrument.objects.filter(municipality=municipality, code="OUDCODE").exists()


def test_dry_run_writes_nothing(tmp_path, municipality, soll):
    out, _ = run(csv_file(tmp_path, GOOD), municipality, "--dry-run")
    assert "2 zou importeren" in out and not Trajectory.objects.exists()


def test_missing_columns_are_reported(tmp_path, municipality):
    path = tmp_path / "kapot.csv"
    path.write_text("participant_ref,start_date\nX,2020-01-01\n", encoding="utf-8")
    with pytest.raises(CommandError):
        run(str(path), municipality)
