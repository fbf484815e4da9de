"""Requirement (issue 6.8): analysts and policy officers see the tables, curves and net
effects — aggregates only — and can export CSV; other roles cannot; other municipalities'
history never enters the figures."""

import pytest
from django.urls import reverse

from maatpak.demo.generator import generate_demo
from maatpak.insights.selectors import analysis_dataset
from maatpak.participants.models import Participant
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    generate_demo(participants=150, seed=4, log=lambda *a: None)
    from maatpak.accounts.models import User

    return User.objects.get(username="analist")


def test_analyst_sees_rates_curves_and_a_net_effect_without_names(client, demo):
    client.force_login(demo)
    response = client.get(reverse("insights:effectiveness"), {"outcome": "work_12m", "treatment": "integral", "segment": "sol_group"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Kaplan" in content and "Wilson" in content and "<svg" in content
    assert "vergelijkingsgroep" in content
    assert "Netto-effect:" in content and "95%-interval" in content
    assert "Belemmering psychische gezondheid" in content  # the balance table names characteristics in plain words
    for name in Participant.objects.values_list("last_name", flat=True)[:30]:
        assert f">{name}<" not in content


def test_csv_export_is_audited(client, demo):
    from maatpak.audit.models import AuditEvent

    client.force_login(demo)
    response = client.get(reverse("insights:export", args=["provider"]), {"outcome": "work_24m"})
    assert response.status_code == 200 and response.content.decode().startswith("provider;n;successes;rate")
    assert AuditEvent.objects.filter(actor=demo, action="export").exists()


@pytest.mark.parametrize("role", ["consultant", "council_member", "team_lead", "provider_staff", "participant"])
def test_other_roles_are_refused(client, demo, municipality, role):
    from tests.factories import ProviderFactory

    provider = ProviderFactory(municipality=municipality) if role == "provider_staff" else None
    client.force_login(UserFactory(role=role, municipalities=[municipality], provider=provider))
    assert client.get(reverse("insights:effectiveness")).status_code == 403


def test_dataset_is_scoped_to_the_users_municipalities(demo, municipality):
    outsider = UserFactory(role="analyst", municipalities=[municipality])
    assert len(analysis_dataset(user=outsider)) == 0
    assert len(analysis_dataset(user=demo)) > 50


def test_cost_benefit_per_instrument_and_provider_on_the_page_and_in_csv(client, demo):
    client.force_login(demo)
    page = client.get(reverse("insights:effectiveness")).content.decode()
    assert "Kosten en baten per Instrument" in page and "Kosten en baten per Aanbieder" in page and "Terugverdienpunt" in page
    response = client.get(reverse("insights:export", args=["cost_benefit"]), {"group": "provider"})
    assert response.status_code == 200 and response.content.decode().startswith("provider;n;n_known;average_cost_cents")
    assert client.get(reverse("insights:export", args=["cost_benefit"]), {"group": "bsn"}).status_code == 404


def test_goal_outcomes_can_be_chosen(client, demo):
    client.force_login(demo)
    response = client.get(reverse("insights:effectiveness"), {"outcome": "goal_health"})
    assert response.status_code == 200 and "Tussendoel bereikt: " in response.content.decode()
