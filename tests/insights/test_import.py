"""Requirement (issue 6.6): history import — bad dates, unknown instruments and duplicate rows
are reported with line and column; one bad row among good ones imports nothing; re-importing
is idempotent; --create-missing-instruments adds unknown codes; --dry-run writes nothing."""

import datetime as dt
import io
import math

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
    {
        "participant_ref": "OUD-1",
        "birth_year": "1980",
        "sex": "f",
        "months_on_benefit": "30",
        "ladder_rung": "2",
        "sol_group": "B1",
        "health_physical": "1",
        "health_mental": "0",
        "debts": "1",
        "housing": "0",
        "language": "0",
        "care_duties": "1",
        "education_level": "vmbo",
        "instrument": "SOLL",
        "provider": "Oud RIB",
        "start_date": "2019-03-01",
        "end_date": "2019-09-01",
        "work_start_date": "2019-10-01",
        "work_end_date": "",
        "work_type": "regular",
        "benefit_end_date": "2019-10-15",
        "monthly_benefit_cents": "130000",
        "cost_cents": "90000",
    },
    {
        "participant_ref": "OUD-2",
        "birth_year": "1995",
        "sex": "m",
        "months_on_benefit": "",
        "ladder_rung": "",
        "sol_group": "",
        "health_physical": "",
        "health_mental": "",
        "debts": "",
        "housing": "",
        "language": "",
        "care_duties": "",
        "education_level": "",
        "instrument": "SOLL",
        "provider": "",
        "start_date": "2020-01-10",
        "end_date": "",
        "work_start_date": "",
        "work_end_date": "",
        "work_type": "",
        "benefit_end_date": "",
        "monthly_benefit_cents": "",
        "cost_cents": "",
    },
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


# Issue 6 gaps: rows of one trajectory (participant_ref + start_date) that used several instruments.


def _import(tmp_path, municipality, rows, name="oud.csv", **options):
    from maatpak.insights.history_import import import_history

    with open(csv_file(tmp_path, rows, name), "rb") as handle:
        return import_history(municipality=municipality, file=handle, source_name=name, **options)


@pytest.fixture
def catalogue(municipality, soll):
    from maatpak.trajectories.models import InstrumentCluster

    return {
        "SOLL": soll,
        "SHV": InstrumentFactory(municipality=municipality, code="SHV", name="Schuldhulp", cluster=InstrumentCluster.SUPPORT),
        "BEM": InstrumentFactory(municipality=municipality, code="BEM", name="Bemiddeling", cluster=InstrumentCluster.MEDIATION),
    }


def test_rows_with_the_same_participant_and_start_are_one_trajectory(tmp_path, municipality, catalogue):
    from maatpak.insights.analysis.dataset import build_dataset
    from maatpak.participants.models import Benefit, DomainAssessment, LadderAssessment, SolAssessment
    from maatpak.trajectories.models import PlannedInstrument

    rows = [
        GOOD[0],
        dict(GOOD[0], instrument="SHV", provider="Schuldhulp Noord", cost_cents="40000"),
        dict(GOOD[0], instrument="BEM", cost_cents="25000"),
    ]
    result = _import(tmp_path, municipality, rows)
    assert result.errors == [] and result.created == 3 and result.new_trajectories == 1
    trajectory = Trajectory.objects.get()
    plan = trajectory.plan_versions.get()
    assert sorted(PlannedInstrument.objects.filter(plan=plan).values_list("instrument__code", flat=True)) == ["BEM", "SHV", "SOLL"]
    # The person's facts are written once, not once per instrument.
    assert Participant.objects.count() == 1 and Benefit.objects.count() == 1 and Placement.objects.count() == 1
    assert DomainAssessment.objects.count() == 6 and LadderAssessment.objects.count() == 1 and SolAssessment.objects.count() == 1
    assert sorted(trajectory.referrals.values_list("provider__name", flat=True)) == ["Oud RIB", "Schuldhulp Noord"]
    frame = build_dataset(municipality_ids=[municipality.pk])
    assert len(frame) == 1
    row = frame.iloc[0]
    # Support + mediation: two clusters, so the integral approach; the cost is the sum.
    assert row["instruments"] == ["BEM", "SHV", "SOLL"] and row["integral"] == 1.0 and row["cost_cents"] == 155000


def test_a_trajectory_that_used_an_instrument_is_never_its_control(tmp_path, municipality, catalogue):
    from maatpak.insights.analysis.dataset import build_dataset, treatment_column

    rows = [GOOD[0], dict(GOOD[0], instrument="SHV"), dict(GOOD[1], instrument="SHV")]
    _import(tmp_path, municipality, rows)
    frame = build_dataset(municipality_ids=[municipality.pk])
    column = treatment_column(frame, "SOLL")
    by_ref = dict(zip(frame["participant_id"].map(dict(Participant.objects.values_list("id", "reference"))), frame[column], strict=False))
    assert by_ref == {"OUD-1": 1.0, "OUD-2": 0.0}
    shv = treatment_column(frame, "SHV")
    assert frame[shv].tolist() == [1.0, 1.0]


def test_rows_of_one_trajectory_that_disagree_are_errors_with_line_and_column(tmp_path, municipality, catalogue):
    rows = [GOOD[0], dict(GOOD[0], instrument="SHV", end_date="2019-12-01", benefit_end_date="2019-11-01", ladder_rung="3")]
    result = _import(tmp_path, municipality, rows)
    assert {(e.line, e.column) for e in result.errors} == {(3, "end_date"), (3, "benefit_end_date"), (3, "ladder_rung")}
    assert "regel 2" in result.errors[0].message and "2019-09-01" in next(e for e in result.errors if e.column == "end_date").message
    assert not Trajectory.objects.exists()


def test_person_facts_must_agree_across_trajectories(tmp_path, municipality, catalogue):
    later = dict(
        GOOD[0],
        start_date="2021-01-04",
        end_date="",
        work_start_date="",
        work_type="",
        benefit_end_date="",
        months_on_benefit="",
        monthly_benefit_cents="",
        birth_year="1981",
    )
    result = _import(tmp_path, municipality, [GOOD[0], later])
    assert [(e.line, e.column) for e in result.errors] == [(3, "birth_year")]
    ok = _import(tmp_path, municipality, [GOOD[0], dict(later, birth_year="1980")])
    assert ok.errors == [] and Trajectory.objects.count() == 2 and Participant.objects.count() == 1


def test_a_new_instrument_row_joins_the_imported_trajectory_and_reimport_adds_nothing(tmp_path, municipality, catalogue):
    from maatpak.participants.models import Benefit, DomainAssessment
    from maatpak.trajectories.models import PlannedInstrument

    _import(tmp_path, municipality, [GOOD[0]], name="deel1.csv")
    second = _import(tmp_path, municipality, [GOOD[0], dict(GOOD[0], instrument="SHV")], name="deel2.csv")
    assert second.errors == [] and (second.created, second.already_present, second.new_trajectories) == (1, 1, 0)
    assert Trajectory.objects.count() == 1 and PlannedInstrument.objects.count() == 2 and ImportedTrajectory.objects.count() == 2
    assert Benefit.objects.count() == 1 and DomainAssessment.objects.count() == 6 and Placement.objects.count() == 1
    again = _import(tmp_path, municipality, [GOOD[0], dict(GOOD[0], instrument="SHV")], name="deel2.csv")
    assert (again.created, again.already_present) == (0, 2) and PlannedInstrument.objects.count() == 2
    # A later file must agree with what was imported before.
    clash = _import(tmp_path, municipality, [dict(GOOD[0], instrument="BEM", end_date="2019-12-31")], name="deel3.csv")
    assert [(e.line, e.column) for e in clash.errors] == [(2, "end_date")] and "deel1.csv" in clash.errors[0].message
    assert PlannedInstrument.objects.count() == 2


# Issue 6 gaps: bad rows that passed the checks before.


@pytest.mark.parametrize(
    ("changes", "column"),
    [
        ({"months_on_benefit": "2", "benefit_end_date": "2018-12-01"}, "benefit_end_date"),  # before the benefit began (2019-01-01)
        (
            {"months_on_benefit": "30", "benefit_end_date": "2019-02-01"},
            "benefit_end_date",
        ),  # before the trajectory: no benefit at the start
        ({"work_start_date": "2019-02-01"}, "work_start_date"),
        ({"birth_year": "2010"}, "birth_year"),
        ({"birth_year": "1910"}, "birth_year"),
        ({"end_date": "2019-02-01", "work_start_date": "", "work_type": "", "benefit_end_date": ""}, "end_date"),
    ],
)
def test_impossible_rows_are_refused_with_line_and_column(tmp_path, municipality, soll, changes, column):
    result = _import(tmp_path, municipality, [GOOD[1], dict(GOOD[0], **changes)])
    assert [(e.line, e.column) for e in result.errors] == [(3, column)]
    assert not Trajectory.objects.exists()


def test_work_columns_without_a_work_start_are_refused(tmp_path, municipality, soll):
    result = _import(tmp_path, municipality, [dict(GOOD[0], work_start_date="", work_end_date="2020-01-01", benefit_end_date="")])
    assert {(e.line, e.column) for e in result.errors} == {(2, "work_end_date"), (2, "work_type")}


def test_benefit_columns_without_months_on_benefit_are_refused(tmp_path, municipality, soll):
    result = _import(tmp_path, municipality, [dict(GOOD[0], months_on_benefit="")])
    assert {(e.line, e.column) for e in result.errors} == {(2, "benefit_end_date"), (2, "monthly_benefit_cents")}
    assert "months_on_benefit" in result.errors[0].message


def test_benefit_end_before_its_start_gives_an_error_not_a_crash(tmp_path, municipality, soll):
    path = csv_file(tmp_path, [dict(GOOD[0], months_on_benefit="2", benefit_end_date="2018-12-01")])
    with pytest.raises(CommandError):
        run(path, municipality)
    with pytest.raises(CommandError):
        run(path, municipality, "--dry-run")
    assert not Trajectory.objects.exists()


def test_empty_cost_stays_unknown_and_months_on_benefit_round_trip(tmp_path, municipality, soll):
    from maatpak.insights.analysis.costbenefit import cost_benefit
    from maatpak.insights.analysis.dataset import build_dataset

    soll.default_cost_cents = 123400
    soll.save()
    rows = [dict(GOOD[1], months_on_benefit="5", start_date="2020-03-31"), dict(GOOD[0], months_on_benefit="1", participant_ref="OUD-5")]
    assert _import(tmp_path, municipality, rows).errors == []
    frame = build_dataset(municipality_ids=[municipality.pk])
    indexed = frame.set_index("participant_id")
    refs = dict(Participant.objects.values_list("reference", "id"))
    assert indexed.loc[refs["OUD-2"], "months_on_benefit"] == 5 and indexed.loc[refs["OUD-5"], "months_on_benefit"] == 1
    # Not the catalogue's 1,234 euros: the older system did not say what it cost.
    assert math.isnan(indexed.loc[refs["OUD-2"], "cost_cents"]) and indexed.loc[refs["OUD-5"], "cost_cents"] == 90000
    assert ImportedTrajectory.objects.get(participant_ref="OUD-2").cost_unknown
    table = cost_benefit(frame, group="instrument").set_index("instrument")
    assert table.loc["SOLL", "average_cost_cents"] == 90000 and table.loc["SOLL", "n_cost_known"] == 1


# --- Issue 13.2: a history row attached to a live person must have that person's birth year. ---


def test_a_history_row_whose_birth_year_disagrees_with_the_live_person_is_an_error(tmp_path, municipality, soll):
    from tests.factories import ParticipantFactory

    live = ParticipantFactory(municipality=municipality, reference="OUD-2", birth_date=dt.date(1990, 2, 3))
    with pytest.raises(CommandError):
        run(csv_file(tmp_path, GOOD), municipality)
    from maatpak.insights.history_import import import_history

    with open(csv_file(tmp_path, GOOD), "rb") as handle:
        result = import_history(municipality=municipality, file=handle, source_name="x", dry_run=True)
    assert [(e.line, e.column) for e in result.errors] == [(3, "birth_year")]
    assert "nooit samengevoegd" in str(result.errors[0])
    assert not Trajectory.objects.exists() and list(Participant.objects.all()) == [live]


def test_a_history_row_with_the_live_persons_birth_year_joins_them(tmp_path, municipality, soll):
    from tests.factories import ParticipantFactory

    live = ParticipantFactory(municipality=municipality, reference="OUD-2", birth_date=dt.date(1995, 11, 30))
    run(csv_file(tmp_path, GOOD), municipality)
    assert Trajectory.objects.get(participant__reference="OUD-2").participant == live
