"""Statistics deliveries: the CBS SRG provisions file and the Divosa benchmark file, on hand-made data."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from maatpak.audit.models import AuditEvent
from maatpak.insights import statistics
from maatpak.insights.indicators import Facts, Period, get_indicator
from maatpak.insights.statistics import SRG_CATEGORIES, srg_file, srg_provisions, srg_pseudonym
from maatpak.participants.models import BenefitEndReason, Exemption
from maatpak.trajectories.models import PlannedInstrument, Signature, SrgType, TrajectoryStatus
from tests.factories import BenefitFactory, InstrumentFactory, ParticipantFactory, PlanVersionFactory, TrajectoryFactory, UserFactory

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2026, 6, 1)


@pytest.fixture(autouse=True)
def _divosa_indicators_present(monkeypatch):
    # Only while an indicator of the Divosa set is still being written: the file is tested on
    # those the registry holds. Production code refuses a missing one (divosa_indicators).
    present = tuple(code for code in statistics.DIVOSA_INDICATORS if get_indicator(code) is not None)
    monkeypatch.setattr(statistics, "DIVOSA_INDICATORS", present)


def _plan(trajectory, *, number, signed_on=None, agreed_on=None):
    plan = PlanVersionFactory(trajectory=trajectory, municipality=trajectory.municipality, number=number, agreed_on=agreed_on)
    if signed_on:
        for party in ("consultant", "participant"):
            Signature.objects.create(
                municipality=trajectory.municipality,
                plan=plan,
                party=party,
                signer_name="x",
                signed_on=signed_on,
                method="paper",
                recorded_by=plan.created_by,
            )
    return plan


def _provide(plan, instrument, start, end):
    return PlannedInstrument.objects.create(
        municipality=plan.municipality, plan=plan, instrument=instrument, start_date=start, end_date=end
    )


@pytest.fixture
def world(municipality, other_municipality):
    """Anna: wage-cost subsidy and job coach on v1 (in force) and both repeated on a draft
    revision v2 with a training added; a training in 2024 (outside 2025). Bert: trajectory closed
    on 30 Sep 2025 before his guidance's planned end; a guidance that would start after the
    close. Carla: a draft trajectory (nothing started). Dirk lives in another municipality."""
    lks = InstrumentFactory(municipality=municipality, srg_type=SrgType.WAGE_COST_SUBSIDY)
    coach = InstrumentFactory(municipality=municipality, srg_type=SrgType.JOB_COACH)
    training = InstrumentFactory(municipality=municipality, srg_type=SrgType.TRAINING)
    guidance = InstrumentFactory(municipality=municipality, srg_type=SrgType.GUIDANCE)

    anna = ParticipantFactory(municipality=municipality)
    trajectory = TrajectoryFactory(participant=anna, municipality=municipality, status=TrajectoryStatus.ACTIVE, started_on=D(2024, 1, 1))
    v1 = _plan(trajectory, number=1, signed_on=D(2024, 1, 1), agreed_on=D(2024, 1, 1))
    _provide(v1, training, D(2024, 1, 1), D(2024, 6, 30))
    _provide(v1, lks, D(2025, 3, 1), D(2025, 8, 31))
    _provide(v1, coach, D(2025, 3, 1), D(2030, 12, 31))
    v2 = _plan(trajectory, number=2)
    _provide(v2, lks, D(2025, 3, 1), D(2025, 8, 31))
    _provide(v2, coach, D(2025, 3, 1), D(2030, 12, 31))
    _provide(v2, training, D(2025, 9, 1), D(2025, 11, 30))

    bert = ParticipantFactory(municipality=municipality)
    closed = TrajectoryFactory(
        participant=bert, municipality=municipality, status=TrajectoryStatus.CLOSED, started_on=D(2025, 1, 1), ended_on=D(2025, 9, 30)
    )
    plan = _plan(closed, number=1, signed_on=D(2025, 1, 1), agreed_on=D(2025, 1, 1))
    _provide(plan, guidance, D(2025, 1, 1), D(2025, 12, 31))
    _provide(plan, training, D(2025, 10, 15), D(2025, 12, 31))

    carla = ParticipantFactory(municipality=municipality)
    draft = TrajectoryFactory(participant=carla, municipality=municipality, status=TrajectoryStatus.DRAFT)
    _provide(_plan(draft, number=1), lks, D(2025, 2, 1), D(2025, 5, 1))

    dirk = ParticipantFactory(municipality=other_municipality)
    elsewhere = TrajectoryFactory(participant=dirk, municipality=other_municipality, status=TrajectoryStatus.ACTIVE)
    _provide(
        _plan(elsewhere, number=1, signed_on=D(2025, 1, 1), agreed_on=D(2025, 1, 1)),
        InstrumentFactory(municipality=other_municipality, srg_type=SrgType.TRAINING),
        D(2025, 2, 1),
        D(2025, 5, 1),
    )
    return {"anna": anna, "bert": bert, "carla": carla, "dirk": dirk}


# --- SRG -------------------------------------------------------------------------------------------


def test_provisions_are_those_on_the_plan_in_force_each_once_within_the_period(municipality, world):
    provisions = srg_provisions(municipality=municipality, period_start=D(2025, 1, 1), period_end=D(2025, 12, 31), today=TODAY)
    got = sorted((p.participant_id, p.srg_type, p.start, p.end) for p in provisions)
    anna, bert = world["anna"].pk, world["bert"].pk
    assert got == sorted(
        [
            # v1 in force: lks and the job coach once each (not again from the draft revision), the
            # coach still running on TODAY (planned end later: empty). The 2024 training is outside.
            (anna, SrgType.WAGE_COST_SUBSIDY, D(2025, 3, 1), D(2025, 8, 31)),
            (anna, SrgType.JOB_COACH, D(2025, 3, 1), None),
            # Bert's guidance ends when his trajectory closed; the training after the close never ran.
            (bert, SrgType.GUIDANCE, D(2025, 1, 1), D(2025, 9, 30)),
        ]
    )
    # The period is respected on both sides: only Anna's 2024 training ran in the first half of 2024.
    early = srg_provisions(municipality=municipality, period_start=D(2024, 1, 1), period_end=D(2024, 6, 30), today=TODAY)
    assert [(p.srg_type, p.end) for p in early] == [(SrgType.TRAINING, D(2024, 6, 30))]


def test_a_signed_revision_replaces_the_version_before_it(municipality, world):
    anna_trajectory = world["anna"].trajectories.get()
    revision = anna_trajectory.plan_versions.get(number=2)
    revision.agreed_on = D(2025, 8, 1)
    revision.save()
    for party in ("consultant", "participant"):
        Signature.objects.create(
            municipality=municipality,
            plan=revision,
            party=party,
            signer_name="x",
            signed_on=D(2025, 8, 1),
            method="paper",
            recorded_by=revision.created_by,
        )
    provisions = srg_provisions(municipality=municipality, period_start=D(2025, 1, 1), period_end=D(2025, 12, 31), today=TODAY)
    anna = sorted((p.srg_type, p.start) for p in provisions if p.participant_id == world["anna"].pk)
    assert anna == [(SrgType.JOB_COACH, D(2025, 3, 1)), (SrgType.WAGE_COST_SUBSIDY, D(2025, 3, 1)), (SrgType.TRAINING, D(2025, 9, 1))]


def _read(path):
    with open(path, encoding="utf-8", newline="") as stream:
        return list(csv.reader(stream, delimiter=";"))


def test_export_srg_writes_cbs_fields_with_a_stable_pseudonym_that_is_not_the_bsn(tmp_path, municipality, world):
    out = tmp_path / "srg.csv"
    call_command("export_srg", "--municipality", "GM0090", "--year", "2025", "--output", str(out), stdout=io.StringIO())
    header, *rows = _read(out)
    assert header == ["Gemeentecode", "Type voorziening", "Begindatum voorziening", "Einddatum voorziening", "Persoonssleutel"]
    assert sorted(row[:4] for row in rows) == [
        ["GM0090", "begeleiding", "20250101", "20250930"],
        ["GM0090", "jobcoach", "20250301", ""],
        ["GM0090", "loonkostensubsidie", "20250301", "20250831"],
    ]
    anna = world["anna"]
    anna_keys = {row[4] for row in rows if row[1] in ("jobcoach", "loonkostensubsidie")}
    assert len(anna_keys) == 1  # stable within the delivery: one person, one key
    key = anna_keys.pop()
    assert key == srg_pseudonym(bsn_hash=anna.bsn_hash, participant_id=anna.pk, municipality_code="GM0090", year=2025)
    assert len(key) == 20 and anna.bsn not in key and key not in anna.bsn_hash and anna.bsn_hash[:20] != key
    # Stable over runs, different per year and per municipality, so deliveries cannot be linked.
    call_command("export_srg", "--municipality", "GM0090", "--year", "2025", "--output", str(out), stdout=io.StringIO())
    assert key in {row[4] for row in _read(out)[1:]}
    assert key != srg_pseudonym(bsn_hash=anna.bsn_hash, participant_id=anna.pk, municipality_code="GM0090", year=2026)
    assert key != srg_pseudonym(bsn_hash=anna.bsn_hash, participant_id=anna.pk, municipality_code="GM0687", year=2025)
    assert world["anna"].bsn not in out.read_text(encoding="utf-8")
    event = AuditEvent.objects.filter(action="export", purpose="CBS SRG delivery").first()
    assert event.actor is None and event.actor_label == "system" and event.municipality == municipality
    assert event.detail["rows"] == 3 and event.detail["person_key"] == "pseudonym"


def test_bsn_is_refused_without_the_deliberate_flag(tmp_path, municipality, world):
    out = tmp_path / "srg.csv"
    with pytest.raises(CommandError, match="--i-am-delivering-to-cbs"):
        call_command("export_srg", "--municipality", "GM0090", "--year", "2025", "--output", str(out), "--person-key=bsn")
    assert not out.exists() and not AuditEvent.objects.filter(action="export").exists()


def test_bsn_delivery_writes_the_bsn_and_logs_the_count_but_no_bsn(tmp_path, municipality, world):
    out = tmp_path / "srg.csv"
    nameless = ParticipantFactory(municipality=municipality)
    Participant = type(nameless)
    Participant.objects.filter(pk=nameless.pk).update(bsn_encrypted="", bsn_hash=None)  # imported without a BSN
    trajectory = TrajectoryFactory(participant=nameless, municipality=municipality, status=TrajectoryStatus.ACTIVE)
    plan = _plan(trajectory, number=1, signed_on=D(2025, 1, 1), agreed_on=D(2025, 1, 1))
    _provide(plan, InstrumentFactory(municipality=municipality, srg_type=SrgType.OTHER), D(2025, 2, 1), D(2025, 3, 1))

    call_command(
        "export_srg",
        "--municipality=GM0090",
        "--year=2025",
        f"--output={out}",
        "--person-key=bsn",
        "--i-am-delivering-to-cbs",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    header, *rows = _read(out)
    assert header[-1] == "BSN"
    assert sorted({row[4] for row in rows}) == sorted({world["anna"].bsn, world["bert"].bsn})
    assert len(rows) == 3  # the provision of the person without a BSN cannot be delivered
    event = AuditEvent.objects.get(action="export")
    assert event.detail["rows"] == 3 and event.detail["left_out_without_bsn"] == 1 and event.detail["person_key"] == "bsn"
    logged = str(event.detail) + event.purpose + event.object_id
    assert world["anna"].bsn not in logged and world["bert"].bsn not in logged and world["anna"].bsn_hash not in logged


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        # Not the demo's GM9999: the demo tests leave their municipality in the database.
        (["--municipality", "GM0000", "--year", "2025"], "Unknown municipality"),
        (["--municipality", "GM0090", "--year", "2025", "--period-start", "2025-13-01"], "not a date"),
        (["--municipality", "GM0090", "--year", "2025", "--period-start", "2025-06-01", "--period-end", "2025-05-01"], "after"),
        (["--municipality", "GM0090", "--year", "2025", "--period-start", "2024-06-01"], "within the delivery year"),
        (["--municipality", "GM0090", "--year", "twenty"], "invalid int"),
    ],
)
def test_export_srg_bad_input_is_a_clear_error(tmp_path, municipality, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_srg", *arguments, "--output", str(tmp_path / "x.csv"))


def test_every_srg_type_has_one_cbs_category_and_the_doc_lists_them():
    from pathlib import Path

    assert set(SRG_CATEGORIES) == set(SrgType.values)
    doc = (Path(__file__).resolve().parents[2] / "docs" / "statistics-deliveries.md").read_text(encoding="utf-8")
    for value, category in SRG_CATEGORIES.items():
        assert f"`{value}`" in doc and category.name in doc


def test_srg_file_rows_follow_the_header(municipality, world):
    delivery = srg_file(municipality=municipality, year=2025, period_start=D(2025, 1, 1), period_end=D(2025, 12, 31), today=TODAY)
    assert all(len(row) == len(delivery.header) for row in delivery.rows) and len(delivery.rows) == 3


# --- Divosa ----------------------------------------------------------------------------------------


@pytest.fixture
def benefits(municipality, other_municipality):
    """GM0090: one inflow in 2026-Q1; one outflow to work in 2026-Q2; one exemption in Q1.
    GM0687: one inflow in 2026-Q1 (never in GM0090's block)."""
    officer = UserFactory(role="policy_officer", municipalities=[municipality])
    new = ParticipantFactory(municipality=municipality)
    BenefitFactory(participant=new, municipality=municipality, start_date=D(2026, 2, 1))
    leaver = ParticipantFactory(municipality=municipality)
    BenefitFactory(
        participant=leaver, municipality=municipality, start_date=D(2024, 1, 1), end_date=D(2026, 5, 15), end_reason=BenefitEndReason.WORK
    )
    Exemption.objects.create(
        municipality=municipality,
        participant=leaver,
        reason="Mantelzorg",
        start_date=D(2026, 1, 10),
        end_date=D(2026, 3, 10),
        decided_by=officer,
    )
    elsewhere = ParticipantFactory(municipality=other_municipality)
    BenefitFactory(participant=elsewhere, municipality=other_municipality, start_date=D(2026, 1, 5))
    return officer


def _registry_lines(municipality, quarters):
    facts = Facts(municipality_ids=[municipality.pk], today=timezone.localdate())
    lines = []
    for period in quarters:
        for code in statistics.DIVOSA_INDICATORS:
            table = get_indicator(code).evaluate(facts, period).table
            lines += [[municipality.code, period.code, code, row.key, str(row.count)] for row in [*table.rows, table.total]]
    return lines


def test_divosa_file_holds_the_registry_numbers(tmp_path, municipality, other_municipality, benefits):
    out = tmp_path / "divosa.csv"
    call_command(
        "export_divosa", "--municipality", "GM0090", "--from", "2026-Q1", "--to", "2026-Q2", "--output", str(out), stdout=io.StringIO()
    )
    header, *rows = _read(out)
    assert header == ["gemeentecode", "kwartaal", "indicator", "categorie", "waarde"]
    assert rows == _registry_lines(municipality, [Period(2026, 1), Period(2026, 2)])
    figures = {(q, code, cat): int(value) for _gm, q, code, cat, value in rows}
    # Worked out by hand: one inflow in Q1 (GM0687's is not ours), one outflow to work in Q2.
    assert figures[("2026-Q1", "inflow", "total")] == 1 and figures[("2026-Q2", "inflow", "total")] == 0
    assert figures[("2026-Q2", "outflow_by_reason", "work")] == 1 and figures[("2026-Q1", "outflow_by_reason", "total")] == 0
    if "exemptions" in statistics.DIVOSA_INDICATORS:
        assert figures[("2026-Q1", "exemptions", "total")] == 1 and figures[("2026-Q2", "exemptions", "total")] == 0
    assert {row[0] for row in rows} == {"GM0090"}
    assert AuditEvent.objects.filter(action="export", purpose="Divosa benchmark delivery", municipality=municipality).count() == 1


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--municipality", "GM0000"], "Unknown municipality"),
        (["--municipality", "GM0090", "--from", "2026-Q5"], "2026-Q5"),
        (["--municipality", "GM0090", "--from", "2026-Q3", "--to", "2026-Q1"], "2026-Q3"),
        (["--municipality", "GM0090", "--from", "2000-Q1", "--to", "2026-Q1"], "40"),
    ],
)
def test_export_divosa_bad_input_is_a_clear_error(tmp_path, municipality, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_divosa", *arguments, "--output", str(tmp_path / "x.csv"))


def test_policy_officer_downloads_csv_and_xlsx_for_each_of_their_municipalities(client, municipality, other_municipality, benefits):
    officer = UserFactory(role="policy_officer", municipalities=[municipality, other_municipality])
    client.force_login(officer)
    response = client.get(reverse("insights:divosa_export", args=["csv"]), {"from": "2026-Q1", "to": "2026-Q1"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="divosa-2026-Q1-2026-Q1.csv"' in response["Content-Disposition"]
    header, *rows = list(csv.reader(io.StringIO(response.content.decode("utf-8")), delimiter=";"))
    assert header == list(statistics.DIVOSA_HEADER)
    quarter = [Period(2026, 1)]
    assert rows == _registry_lines(municipality, quarter) + _registry_lines(other_municipality, quarter)  # blocks ordered by code
    assert ["GM0687", "2026-Q1", "inflow", "total", "1"] in rows and ["GM0090", "2026-Q1", "inflow", "total", "1"] in rows
    event = AuditEvent.objects.get(actor=officer, action="export")
    assert event.detail["municipalities"] == ["GM0090", "GM0687"] and event.detail["from"] == "2026-Q1"

    response = client.get(reverse("insights:divosa_export", args=["xlsx"]), {"from": "2026-Q1", "to": "2026-Q1"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert values[0] == list(statistics.DIVOSA_HEADER) and values[1:] == rows


def test_download_defaults_to_the_last_four_ended_quarters(client, municipality, benefits):
    client.force_login(benefits)
    response = client.get(reverse("insights:divosa_export", args=["csv"]))
    assert response.status_code == 200
    last = Period.last_ended(timezone.localdate())
    quarters = {row[1] for row in list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))[1:]}
    assert quarters == {last.shifted(-offset).code for offset in range(4)}


@pytest.mark.parametrize("role", ["council_member", "team_lead", "consultant", "analyst"])
def test_other_roles_may_not_download(client, municipality, role):
    client.force_login(UserFactory(role=role, municipalities=[municipality]))
    assert client.get(reverse("insights:divosa_export", args=["csv"])).status_code == 403
    assert not AuditEvent.objects.filter(action="export").exists()


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(reverse("insights:divosa_export", args=["csv"]))
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ({"from": "2026-Q7"}, "is geen kwartaal"),
        ({"from": "kwartaal een", "to": "2026-Q1"}, "is geen kwartaal"),
        ({"from": "2026-Q3", "to": "2026-Q1"}, "komt na het laatste kwartaal"),
        ({"from": "1990-Q1", "to": "2026-Q1"}, "is geen kwartaal"),
        ({"from": "2010-Q1", "to": "2026-Q1"}, "kwartalen tegelijk"),
    ],
)
def test_bad_quarters_are_a_400_with_a_dutch_message(client, benefits, query, fragment):
    client.force_login(benefits)
    response = client.get(reverse("insights:divosa_export", args=["csv"]), query)
    assert response.status_code == 400 and fragment in response.content.decode("utf-8")
    assert not AuditEvent.objects.filter(action="export").exists()


def test_unknown_format_is_404(client, benefits):
    client.force_login(benefits)
    assert client.get(reverse("insights:divosa_export", args=["pdf"])).status_code == 404
