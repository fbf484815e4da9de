"""Requirement (DESIGN: selectors are query-counted): the provider portal, the provider API list
and contract monitoring take the same number of queries for 2 referrals as for 8 — no query per referral."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maatpak.insights.monitoring import contract_monitoring
from maatpak.trajectories.models import Agreement, Goal, PlannedInstrument, PlanVersion, ProgressReport, Referral
from tests.factories import ContractFactory, InstrumentFactory, ParticipantFactory, TrajectoryFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _add_referrals(contract, coach, n):
    for _ in range(n):
        t = TrajectoryFactory(participant=ParticipantFactory(municipality=contract.municipality), consultant=coach, status="active")
        r = Referral.objects.create(
            municipality=contract.municipality,
            trajectory=t,
            provider=contract.provider,
            contract=contract,
            status="active",
            proposed_on=TODAY - dt.timedelta(days=100),
            started_on=TODAY - dt.timedelta(days=90),
        )
        plan = PlanVersion.objects.create(
            municipality=t.municipality,
            trajectory=t,
            number=1,
            end_goal_kind="regular_work",
            end_goal="Werk",
            planned_start=TODAY,
            planned_end=TODAY,
            created_by=coach,
        )
        Goal.objects.create(municipality=t.municipality, plan=plan, kind="other", description="Doel", measure="m", target_date=TODAY)
        Agreement.objects.create(municipality=t.municipality, plan=plan, party="participant", description="Afspraak", deadline=TODAY)
        PlannedInstrument.objects.create(
            municipality=t.municipality,
            plan=plan,
            instrument=InstrumentFactory(municipality=t.municipality),
            provider=contract.provider,
            start_date=TODAY,
            end_date=TODAY + dt.timedelta(days=9),
        )
        ProgressReport.objects.create(
            municipality=contract.municipality,
            referral=r,
            due_on=TODAY - dt.timedelta(days=48),
            submitted_on=TODAY - dt.timedelta(days=50),
            activities="a",
            attendance="good",
            next_steps="n",
            author=coach,
        )


def _count(fn):
    with CaptureQueriesContext(connection) as queries:
        fn()
    return len(queries)


def test_portal_and_monitoring_queries_do_not_grow_with_referrals(client, municipality):
    contract = ContractFactory(provider__municipality=municipality)
    coach = UserFactory(role="provider_staff", municipalities=[municipality], provider=contract.provider)
    officer = UserFactory(role="policy_officer", municipalities=[municipality])
    client.force_login(coach)
    _add_referrals(contract, coach, 2)
    # Warm up once: first calls fill per-process caches (content types, session).
    client.get(reverse("providers:portal"))
    contract_monitoring(user=officer, period_start=TODAY, period_end=TODAY)
    portal_small = _count(lambda: client.get(reverse("providers:portal")))
    api_small = _count(lambda: client.get("/api/v1/providers/referrals/"))
    monitoring_small = _count(lambda: contract_monitoring(user=officer, period_start=TODAY - dt.timedelta(days=365), period_end=TODAY))
    _add_referrals(contract, coach, 6)
    response = client.get(reverse("providers:portal"))
    assert len(response.context["referrals"]) == 8 and len(response.context["overdue"]) == 8
    assert _count(lambda: client.get(reverse("providers:portal"))) == portal_small
    rows = client.get("/api/v1/providers/referrals/").json()
    assert len(rows) == 8 and all(r["goals"] and r["instruments"] for r in rows)
    assert _count(lambda: client.get("/api/v1/providers/referrals/")) == api_small
    assert (
        _count(lambda: contract_monitoring(user=officer, period_start=TODAY - dt.timedelta(days=365), period_end=TODAY)) == monitoring_small
    )
