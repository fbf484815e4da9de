"""Requirement (issue 4.4): contract-monitoring figures equal hand-computed values on a small
fixed data set — with a late report, a missing end report, and placements that lasted 4 and
14 months."""

import datetime as dt

import pytest

from maatpak.employers.models import Placement
from maatpak.insights.monitoring import contract_monitoring
from maatpak.providers.models import ProviderKind
from maatpak.trajectories.models import EndReport, ProgressReport, Referral, Trajectory
from tests.factories import ContractFactory, ParticipantFactory, ProviderFactory, UserFactory

D = dt.date


@pytest.fixture
def world(municipality):
    officer = UserFactory(role="policy_officer", municipalities=[municipality])
    author = UserFactory(municipalities=[municipality])
    contract = ContractFactory(
        provider__municipality=municipality,
        provider__name="Werkfit",
        reference="C-A",
        price_per_trajectory_cents=200_000,
        placement_target_percent=30,
        bonus_per_placement_cents=50_000,
        malus_per_placement_cents=30_000,
        reporting_interval_days=30,
        end_report_due_days=14,
    )
    inhouse = ProviderFactory(municipality=municipality, name="Werkplein", kind="in_house")

    def referral(provider, *, proposed, started, ended=None, status="ended", contract=None, previous=False):
        p = ParticipantFactory(municipality=municipality)
        prev = Trajectory.objects.create(municipality=municipality, participant=p, status="closed") if previous else None
        t = Trajectory.objects.create(municipality=municipality, participant=p, status="closed" if ended else "active", previous=prev)
        return Referral.objects.create(
            municipality=municipality,
            trajectory=t,
            provider=provider,
            contract=contract,
            status=status,
            proposed_on=proposed,
            started_on=started,
            ended_on=ended,
        )

    def end_report(r):
        EndReport.objects.create(
            municipality=municipality,
            trajectory=r.trajectory,
            referral=r,
            submitted_on=r.ended_on,
            conclusion="x",
            outcome="none",
            author=author,
        )

    werkfit = contract.provider
    r1 = referral(werkfit, proposed=D(2026, 1, 5), started=D(2026, 1, 10), ended=D(2026, 3, 31), contract=contract)
    end_report(r1)
    Placement.objects.create(
        municipality=municipality, participant=r1.trajectory.participant, kind="regular", start_date=D(2026, 4, 15), end_date=D(2026, 8, 15)
    )  # 4 months
    r2 = referral(werkfit, proposed=D(2025, 6, 1), started=D(2025, 6, 15), ended=D(2026, 1, 15), contract=contract)  # end report missing
    Placement.objects.create(
        municipality=municipality,
        participant=r2.trajectory.participant,
        kind="subsidised",
        start_date=D(2025, 9, 1),
        end_date=D(2026, 11, 1),
    )  # 14 months
    r3 = referral(werkfit, proposed=D(2026, 2, 20), started=D(2026, 3, 1), ended=D(2026, 9, 30), contract=contract, previous=True)
    end_report(r3)
    r4 = referral(werkfit, proposed=D(2026, 9, 20), started=D(2026, 10, 1), status="active", contract=contract)
    ProgressReport.objects.create(
        municipality=municipality,
        referral=r4,
        due_on=D(2026, 10, 31),
        submitted_on=D(2026, 11, 10),
        activities="a",
        attendance="good",
        barriers="b",
        next_steps="n",
        participant_view="v",
        participant_saw_report=True,
        author=author,
    )  # 10 days late, complete
    ProgressReport.objects.create(
        municipality=municipality,
        referral=r4,
        due_on=D(2026, 12, 10),
        submitted_on=D(2026, 12, 5),
        activities="a",
        attendance="good",
        barriers="b",
        next_steps="n",
        participant_view="",
        participant_saw_report=True,
        author=author,
    )  # on time, no participant view
    r5 = referral(inhouse, proposed=D(2026, 2, 1), started=D(2026, 2, 10), ended=D(2026, 6, 30))
    end_report(r5)
    return officer


@pytest.mark.django_db
def test_figures_match_the_hand_computation(world):
    result = contract_monitoring(user=world, period_start=D(2026, 1, 1), period_end=D(2026, 12, 31), today=D(2026, 12, 31))
    werkfit = next(f for f in result["providers"] if f.provider == "Werkfit")
    # Referrals in the period: r1–r4 (r2 ended inside it); active: r4; ended in period: r1, r2, r3.
    assert (werkfit.referrals, werkfit.active, werkfit.ended) == (4, 1, 3)
    # Placed: r1 (start 15-04, within its referral + 90 days) and r2 (start 01-09-2025): 2 of 3.
    assert werkfit.placed == 2 and werkfit.placement_rate == pytest.approx(2 / 3)
    # Wilson 95 %: centre (p + z²/2n)/(1 + z²/n) = 0.5731, half-width 0.3654.
    assert werkfit.ci_low == pytest.approx(0.2077, abs=1e-3) and werkfit.ci_high == pytest.approx(0.9385, abs=1e-3)
    # Days to placement: r1 10-01 → 15-04 = 95; r2 15-06-2025 → 01-09-2025 = 78; median 86.5.
    assert werkfit.median_days_to_placement == 86.5
    # 6 months: both started ≥ 6 months before 31-12; r1 ended after 4 months, r2 lasted 14 → 1/2.
    # 12 months: r2 is 12 months old and lasted; r1 is younger but already ended after 4 months,
    # a known failure at 12 months too (not censored) → 1/2.
    assert (werkfit.durable_6m, werkfit.durable_12m) == ("1/2", "1/2")
    # Reports due in the period: 2; on time 1 (50 %); the late one 10 days late; one lacks the view.
    assert (werkfit.reports_due, werkfit.on_time_percent, werkfit.median_days_late, werkfit.reports_missing_fields) == (2, 50.0, 10, 1)
    # r4's last report 05-12 + 30 days = 04-01-2027: not overdue on 31-12.
    assert werkfit.reports_overdue_now == 0
    # r2 ended 15-01, end report due 29-01 and never came.
    assert werkfit.missing_end_reports == 1
    # Repeat trajectories among the 4 referrals: r3 → 0.25.
    assert werkfit.repeat_share == 0.25
    # Cost: 3 ended × € 2.000 = € 6.000; per placement € 3.000.
    assert (werkfit.cost_cents, werkfit.cost_per_placement_cents) == (600_000, 300_000)
    # Target 30 % of 3 ended = 0.9 → 1 placement; 2 placed → 1 above target × € 500 bonus.
    assert (werkfit.target_placements, werkfit.bonus_malus_cents) == (1, 50_000)
    assert werkfit.small_n is True and werkfit.satisfaction is None


@pytest.mark.django_db
def test_in_house_team_is_measured_side_by_side(world):
    result = contract_monitoring(user=world, period_start=D(2026, 1, 1), period_end=D(2026, 12, 31), today=D(2026, 12, 31))
    inhouse = next(f for f in result["providers"] if f.provider == "Werkplein")
    assert (inhouse.ended, inhouse.placed, inhouse.placement_rate, inhouse.bonus_malus_cents) == (1, 0, 0.0, 0)
    assert [f.contract for f in result["contracts"]] == ["C-A"]
    # Taken together per kind: the in-house group is Werkplein alone, the external group Werkfit.
    external, in_house = result["kinds"]
    assert (external.kind, in_house.kind) == (str(ProviderKind.EXTERNAL.label), str(ProviderKind.IN_HOUSE.label))
    assert (external.ended, external.placed, external.bonus_malus_cents) == (3, 2, 50_000)
    assert (in_house.ended, in_house.placed, in_house.bonus_malus_cents) == (1, 0, 0)


@pytest.mark.django_db
def test_malus_when_below_target(world, municipality):
    result = contract_monitoring(user=world, period_start=D(2026, 4, 1), period_end=D(2026, 12, 31), today=D(2026, 12, 31))
    werkfit = next(f for f in result["providers"] if f.provider == "Werkfit")
    # Only r3 ended in this period, without placement: target ceil(0.3) = 1, 0 placed → −1 × € 300.
    assert (werkfit.ended, werkfit.placed, werkfit.target_placements, werkfit.bonus_malus_cents) == (1, 0, 1, -30_000)


@pytest.mark.django_db
def test_a_report_never_sent_counts_as_overdue_now(world):
    # On 10-01-2027 r4's report due 04-01-2027 has not come: one overdue, 6 days.
    result = contract_monitoring(user=world, period_start=D(2026, 1, 1), period_end=D(2027, 1, 10), today=D(2027, 1, 10))
    werkfit = next(f for f in result["providers"] if f.provider == "Werkfit")
    assert werkfit.reports_overdue_now == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, status", [("policy_officer", 200), ("team_lead", 200), ("consultant", 403), ("provider_staff", 403), ("council_member", 403)]
)
def test_monitoring_page_for_policy_officers_and_team_leads_only(client, world, municipality, role, status):
    extra = {"provider": ProviderFactory(municipality=municipality)} if role == "provider_staff" else {}
    client.force_login(world if role == "policy_officer" else UserFactory(role=role, municipalities=[municipality], **extra))
    response = client.get("/insights/monitoring/?period_start=2026-01-01&period_end=2026-12-31")
    assert response.status_code == status
    assert client.get("/insights/monitoring/export.csv").status_code == status
    if status == 200:
        html = response.content.decode()
        assert "Werkplein" in html and "Werkfit" in html and html.count("image/svg+xml") == 2 and "nog geen enquêtegegevens" in html.lower()


@pytest.mark.django_db
def test_exports_hold_the_table_and_are_audit_logged(client, world):
    import io

    from openpyxl import load_workbook

    from maatpak.audit.models import AuditEvent

    client.force_login(world)
    query = "?period_start=2026-01-01&period_end=2026-12-31"
    csv_text = client.get("/insights/monitoring/export.csv" + query).content.decode()
    header, *rows = [line.split(";") for line in csv_text.strip().splitlines()]
    assert header[:3] == ["Aanbieder", "Soort", "Contract"]
    werkfit = dict(zip(header, next(r for r in rows if r[0] == "Werkfit" and r[2] == ""), strict=False))
    assert (werkfit["Beëindigd"], werkfit["Geplaatst"], werkfit["Bonus/malus (centen)"]) == ("3", "2", "50000")
    book = load_workbook(io.BytesIO(client.get("/insights/monitoring/export.xlsx" + query).content))
    sheet = book["Contractmonitoring"]
    assert sheet.max_row == 1 + 2 + 1 + 2  # header, two providers, one contract, two kinds
    assert AuditEvent.objects.filter(actor=world, action="export").count() == 2


@pytest.mark.django_db
def test_provider_bonus_malus_is_the_sum_over_its_contracts(world, municipality):
    # A second Werkfit contract with a 50 % target and € 100 malus; one referral ended in 2026
    # without placement: target ceil(0.5) = 1, placed 0 → −€ 100. Contract C-A stays +€ 500.
    werkfit = Referral.objects.filter(contract__reference="C-A").first().provider
    second = ContractFactory(provider=werkfit, reference="C-B", placement_target_percent=50, malus_per_placement_cents=10_000)
    p = ParticipantFactory(municipality=municipality)
    t = Trajectory.objects.create(municipality=municipality, participant=p, status="closed")
    Referral.objects.create(
        municipality=municipality,
        trajectory=t,
        provider=werkfit,
        contract=second,
        status="ended",
        proposed_on=D(2026, 3, 1),
        started_on=D(2026, 3, 5),
        ended_on=D(2026, 5, 1),
    )
    result = contract_monitoring(user=world, period_start=D(2026, 1, 1), period_end=D(2026, 12, 31), today=D(2026, 12, 31))
    by_contract = {f.contract: f.bonus_malus_cents for f in result["contracts"]}
    assert by_contract == {"C-A": 50_000, "C-B": -10_000}
    total = next(f for f in result["providers"] if f.provider == "Werkfit")
    assert (total.target_placements, total.bonus_malus_cents) == (2, 40_000)


@pytest.mark.django_db
def test_satisfaction_averages_responses_about_the_provider_in_the_period(world, municipality):
    from maatpak.surveys.models import Survey, SurveyResponse

    survey = Survey.objects.create(municipality=municipality, title="Tevredenheid", kind="satisfaction")
    werkfit = Referral.objects.filter(contract__reference="C-A").first().provider
    for week, score in (("2026-W10", 4), ("2026-W20", 3), ("2025-W40", 1)):  # the 2025 one is outside the period
        SurveyResponse.objects.create(
            municipality=municipality, survey=survey, answers={"satisfaction": score}, week=week, provider=werkfit
        )
    SurveyResponse.objects.create(
        municipality=municipality, survey=survey, answers={"satisfaction": "goed"}, week="2026-W11", provider=werkfit
    )  # not a score
    result = contract_monitoring(user=world, period_start=D(2026, 1, 1), period_end=D(2026, 12, 31), today=D(2026, 12, 31))
    f = next(f for f in result["providers"] if f.provider == "Werkfit")
    assert (f.satisfaction, f.satisfaction_n) == (3.5, 2)
