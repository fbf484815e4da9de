"""Requirement (issue 2.3): `manage.py demo` makes a deterministic synthetic municipality whose
headline distributions follow DOMAIN §3 and §7, with one working account per role, and
re-running it duplicates nothing."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count, Max

from maatpak.accounts.roles import Role
from maatpak.core.bsn import is_valid_bsn
from maatpak.demo.generator import DEMO_ACCOUNTS, DEMO_MUNICIPALITY_CODE, DEMO_PASSWORD, generate_demo
from maatpak.participants.models import DomainAssessment, Participant, SolAssessment
from maatpak.trajectories.models import ProgressReport, Trajectory

QUIET = {"log": lambda *a: None}


def _canonical_dump():
    """The logical content of the demo: names, dates, decrypted BSNs, assessments, trajectories."""
    participants = [
        (p.reference, p.first_name, p.last_name, p.birth_date, p.bsn, p.consultant.username, p.sex)
        for p in Participant.objects.filter(municipality__code=DEMO_MUNICIPALITY_CODE).select_related("consultant").order_by("reference")
    ]
    assessments = list(
        DomainAssessment.objects.order_by("participant__reference", "domain", "assessed_on").values_list(
            "participant__reference", "domain", "score", "assessed_on"
        )
    )
    trajectories = list(
        Trajectory.objects.order_by("participant__reference", "id").values_list(
            "participant__reference", "status", "started_on", "ended_on", "repeat_reason"
        )
    )
    reports = list(
        ProgressReport.objects.order_by("referral__trajectory__participant__reference", "due_on").values_list(
            "due_on", "submitted_on", "attendance"
        )
    )
    return participants, assessments, trajectories, reports


@pytest.mark.django_db
def test_same_seed_gives_the_same_data_and_another_seed_does_not():
    generate_demo(participants=40, seed=7, **QUIET)
    first = _canonical_dump()
    generate_demo(participants=40, seed=7, reset=True, **QUIET)
    assert _canonical_dump() == first
    generate_demo(participants=40, seed=8, **QUIET)
    assert _canonical_dump() != first


@pytest.mark.django_db
def test_rerun_duplicates_nothing_and_other_arguments_replace_the_data():
    generate_demo(participants=30, seed=1, **QUIET)
    counts = (Participant.objects.count(), Trajectory.objects.count(), ProgressReport.objects.count())
    summary = generate_demo(participants=30, seed=1, **QUIET)
    assert summary["already_present"] is True
    assert (Participant.objects.count(), Trajectory.objects.count(), ProgressReport.objects.count()) == counts
    generate_demo(participants=20, seed=1, **QUIET)
    assert Participant.objects.count() == 20


@pytest.fixture(scope="module")
def demo_500(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        generate_demo(participants=500, seed=2026, reset=True, **QUIET)
        yield
        from maatpak.accounts.models import Municipality
        from maatpak.demo.generator import demo_delete

        demo_delete(Municipality.objects.get(code=DEMO_MUNICIPALITY_CODE))


def _latest_scores(domain):
    rows = DomainAssessment.objects.filter(domain=domain).values("participant_id").annotate(last=Max("assessed_on"))
    latest = {(r["participant_id"], r["last"]) for r in rows}
    return {
        pid: score
        for pid, on, score in DomainAssessment.objects.filter(domain=domain).values_list("participant_id", "assessed_on", "score")
        if (pid, on) in latest
    }


@pytest.mark.django_db
def test_headline_distributions(demo_500):
    total = Participant.objects.count()
    far = SolAssessment.objects.filter(group__startswith="B").values("participant").distinct().count()
    assert 0.58 <= far / total <= 0.75  # about two thirds far from work
    physical, mental = _latest_scores("health_physical"), _latest_scores("health_mental")
    complaints = sum(1 for pid in physical if physical[pid] <= 3 or mental.get(pid, 5) <= 3)
    both = sum(1 for pid in physical if physical[pid] <= 3 and mental.get(pid, 5) <= 3)
    assert 0.62 <= complaints / total <= 0.80  # ~70 % health or psychosocial complaints
    assert 0.05 <= both / total <= 0.16  # ~10 % both


@pytest.mark.django_db
def test_the_seeds_failures_are_present(demo_500):
    late = [r for r in ProgressReport.objects.all() if r.submitted_on > r.due_on]
    assert late, "some progress reports must be late"
    assert Trajectory.objects.filter(status="closed", closing_report__isnull=True).exists()
    assert Trajectory.objects.filter(previous__isnull=False, repeat_reason="").exists()
    assert Trajectory.objects.filter(previous__isnull=False).exclude(repeat_reason="").exists()
    chains = Trajectory.objects.values("participant").annotate(n=Count("id")).filter(n__gte=4)
    assert chains.exists(), "some people must be on their fourth or fifth trajectory"
    assert Trajectory.objects.filter(status="active", plan_versions__handovers__isnull=True).exists()
    # Reports before Maatpak often never reached the participant; since then every one has a copy.
    from maatpak.demo.generator import DEMO_COPIES_SINCE

    old = ProgressReport.objects.filter(submitted_on__lt=DEMO_COPIES_SINCE)
    assert old.filter(copy__isnull=True).exists() and old.filter(copy__isnull=False).exists()
    assert not ProgressReport.objects.filter(submitted_on__gte=DEMO_COPIES_SINCE, copy__isnull=True).exists()


@pytest.mark.django_db
def test_bsns_are_valid_unique_and_not_in_plain_text(demo_500):
    bsns = [p.bsn for p in Participant.objects.all()]
    assert len(set(bsns)) == len(bsns) and all(is_valid_bsn(b) for b in bsns)
    stored = " ".join(Participant.objects.values_list("bsn_encrypted", flat=True)) + " ".join(
        Participant.objects.values_list("bsn_hash", flat=True)
    )
    assert not any(b in stored for b in bsns[:50])


@pytest.mark.django_db
@pytest.mark.parametrize("username,role,_description", DEMO_ACCOUNTS)
def test_every_demo_account_logs_in_with_the_printed_password(client, demo_500, username, role, _description):
    login_url = "/portal/login/" if role == Role.PARTICIPANT else "/login/"
    response = client.post(login_url, {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]


@pytest.mark.django_db
def test_demo_participant_has_an_active_signed_plan_with_werkfit_reports(demo_500):
    sanne = Participant.objects.get(user__username="deelnemer")
    trajectory = sanne.trajectories.get(status="active")
    plan = trajectory.plan_versions.order_by("-number").first()
    assert set(plan.signatures.values_list("party", flat=True)) == {"consultant", "participant"}
    assert set(plan.agreements.values_list("party", flat=True)) == {"participant", "municipality"}
    assert trajectory.referrals.filter(provider__name="Werkfit Re-integratie", progress_reports__isnull=False).exists()


@pytest.mark.django_db
def test_command_prints_the_accounts():
    out = io.StringIO()
    call_command("demo", "--participants", "15", "--seed", "3", stdout=out)
    text = out.getvalue()
    assert all(username in text for username, *_ in DEMO_ACCOUNTS) and DEMO_PASSWORD in text


@pytest.mark.django_db
def test_kim_de_vries_caseload_shows_every_signal(demo_500):
    """The demo consultant's caseload has at least one participant per caseload signal, both on the
    demo's own date and on the real today (screens use the real today)."""
    import datetime as dt

    from maatpak.casework.alerts import SIGNALS, caseload_signals
    from maatpak.demo.generator import DEMO_TODAY

    caseload = list(Participant.objects.filter(consultant__username="klantmanager"))
    assert len(caseload) >= 100
    for today in (DEMO_TODAY, max(DEMO_TODAY, dt.date.today())):
        shown = {code for codes in caseload_signals(caseload, today=today).values() for code in codes}
        assert shown == set(SIGNALS), set(SIGNALS) - shown


@pytest.mark.django_db
def test_benefit_outflow_is_about_a_quarter_per_year_and_work_exits_follow_placements(demo_500):
    """DOMAIN §7: Divosa-like outflow of roughly 23–26 % of the stock per year."""
    import datetime as dt

    from django.db.models import Q

    from maatpak.employers.models import Placement
    from maatpak.participants.models import Benefit

    benefits = Benefit.objects.exclude(type="none")
    rates = []
    for year in (2023, 2024, 2025):
        mid = dt.date(year, 7, 1)
        stock = benefits.filter(start_date__lte=mid).filter(Q(end_date__isnull=True) | Q(end_date__gte=mid)).count()
        exits = benefits.filter(end_date__year=year).count()
        rates.append(exits / stock)
    assert 0.17 <= sum(rates) / len(rates) <= 0.32, rates
    to_work = benefits.filter(end_reason="work")
    assert to_work.exists()
    assert not to_work.exclude(participant__placements__kind="regular").exists()
    assert Placement.objects.filter(kind="regular").exists()


def test_every_role_has_a_demo_account():
    assert {role for _username, role, _description in DEMO_ACCOUNTS} == set(Role.values)


@pytest.mark.django_db
def test_regenerating_after_use_keeps_the_audit_log(client):
    """Reset after people used the demo: their audit events stay (append-only), the data is replaced."""
    from maatpak.audit.models import AuditEvent

    generate_demo(participants=20, seed=1, **QUIET)
    assert client.post("/login/", {"username": "klantmanager", "password": DEMO_PASSWORD}).status_code == 302
    events = AuditEvent.objects.count()
    assert events > 0
    generate_demo(participants=20, seed=1, reset=True, **QUIET)
    assert AuditEvent.objects.count() == events
    assert Participant.objects.count() == 20
    assert client.post("/login/", {"username": "klantmanager", "password": DEMO_PASSWORD}).status_code == 302


# DOMAIN §7 quotes 30–50 % gross placement for re-integration trajectories in general. The demo's
# caseload is two thirds far from work (Sol B) with ~70 % health complaints, for whom IWI found
# almost no direct placements; 20–35 % of closed trajectories ending in paid work is what such
# a population plausibly reaches (docs/demo.md explains the band).
PAID_WORK_BAND = (0.20, 0.35)


@pytest.mark.django_db
def test_share_of_closed_trajectories_ending_in_paid_work_is_plausible(demo_500):
    from maatpak.employers.models import PAID_WORK_KINDS

    closed = Trajectory.objects.filter(status="closed")
    paid = closed.filter(placements__kind__in=PAID_WORK_KINDS).distinct().count()
    share = paid / closed.count()
    assert closed.count() >= 100
    assert PAID_WORK_BAND[0] <= share <= PAID_WORK_BAND[1], share


@pytest.mark.django_db
def test_self_employment_and_education_placements_exist_in_small_shares(demo_500):
    from maatpak.employers.models import Placement
    from maatpak.trajectories.models import EndReport

    placements = Placement.objects.all()
    total = placements.count()
    for kind, low, high in (("self_employment", 0.005, 0.08), ("education", 0.01, 0.12)):
        share = placements.filter(kind=kind).count() / total
        assert low <= share <= high, (kind, share)
    assert not placements.filter(kind="self_employment", employer__isnull=False).exists()
    # Every end report that says "education" or "self-employment" has the placement behind it.
    for outcome in ("education", "self_employment"):
        reports = EndReport.objects.filter(outcome=outcome)
        assert reports.exists(), outcome
        assert not reports.exclude(trajectory__placements__kind=outcome).exists(), outcome


def test_the_client_council_has_anonymous_reactions_to_read(demo_500):
    """The council's page shows whole quarters; the demo's year of reactions fills the quarter
    before the demo date with enough texts to pass the minimum count."""
    import datetime as dt

    from maatpak.accounts.models import User
    from maatpak.surveys.models import AnonymousFeedback
    from maatpak.surveys.selectors import anonymous_feedback_summary

    assert AnonymousFeedback.objects.filter(municipality__code=DEMO_MUNICIPALITY_CODE).count() >= 80
    council = User.objects.get(username="clientenraad")
    summary = anonymous_feedback_summary(user=council, period="2026-Q3", today=dt.date(2026, 11, 1))
    assert summary["texts_shown"] and len(summary["texts"]) >= 10
    assert summary["total"] >= summary["text_count"] >= 10
