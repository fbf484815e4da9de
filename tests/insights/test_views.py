"""Requirement (issue 6.8): analysts and policy officers see the tables, curves and net
effects — aggregates only — and can export CSV; other roles cannot; other municipalities'
history never enters the figures."""

import base64

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
    assert "Kaplan" in content and "Wilson" in content and '<img src="data:image/svg+xml;base64,' in content
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


# Issue 6 gaps: unknown treatment, the Kaplan–Meier display, CSV of the net effect and the
# curves, the policy officer, and the cautions about how the treatment is read.


def test_unknown_treatment_on_the_page_is_an_error_not_too_few_people(client, demo):
    client.force_login(demo)
    content = client.get(reverse("insights:effectiveness"), {"treatment": "NOPE"}).content.decode()
    assert "Onbekende behandeling “NOPE”" in content and "SOLL" in content
    assert "Te weinig mensen" not in content and "Netto-effect met een vergelijkingsgroep" not in content


def test_kaplan_meier_keeps_people_without_a_provider_shows_numbers_at_risk_and_names_groups_left_out(client, demo):
    client.force_login(demo)
    frame = analysis_dataset(user=demo)
    without = int(frame["provider"].isna().sum())
    assert without > 0
    content = client.get(reverse("insights:effectiveness"), {"curves": "provider"}).content.decode()
    assert f"<!-- (geen aanbieder) (N={without}) -->" in _chart_svg(content)  # in the chart's legend, not vanished
    assert "Aantal nog in beeld per Aanbieder" in content
    for day in (0, 90, 180, 365, 730):
        assert f"Dag {day}</th>" in content
    content = client.get(reverse("insights:effectiveness"), {"curves": "instrument"}).content.decode()
    # 29 instruments: the chart shows the six largest and says which others are only in the tables.
    assert "De grafiek toont alleen de 6 grootste groepen." in content and "Niet in de grafiek" in content and "STAGE (N=4)" in content
    km_section = content[content.index('id="km-title"') : content.index("</section>", content.index('id="km-title"'))]
    assert "kleine groep" in km_section


def _chart_svg(page: str) -> str:
    """The chart's SVG: an <img> with a data: URL (the CSP forbids inline SVG's styles); its
    text labels are in the SVG as comments next to their drawn glyphs."""
    return base64.b64decode(page.split('<img src="data:image/svg+xml;base64,', 1)[1].split('"', 1)[0]).decode()


def test_survival_table_counts_at_risk_on_fixed_days_and_flags_small_groups(demo):
    from maatpak.insights.selectors import AT_RISK_DAYS, survival_table

    frame = analysis_dataset(user=demo)
    rows = survival_table(frame, group="sol_group")
    assert sum(r["n"] for r in rows) == len(frame)
    for row in rows:
        durations = frame.loc[frame["sol_group"] == row["group"], "days_to_work_or_censor"]
        assert row["at_risk"] == [int((durations >= day).sum()) for day in AT_RISK_DAYS] and row["at_risk"][0] == row["n"]
        assert row["small"] == (row["n"] < 10)
    instruments = {r["group"]: r for r in survival_table(frame, group="instrument")}
    assert instruments["STAGE"]["small"] and not instruments["PART"]["small"]


def test_net_effect_and_kaplan_meier_csv_exports_are_audited(client, demo):
    from maatpak.audit.models import AuditEvent

    client.force_login(demo)
    response = client.get(
        reverse("insights:export", args=["effect"]), {"outcome": "work_24m", "treatment": "integral", "segment": "sol_group"}
    )
    assert response.status_code == 200
    lines = response.content.decode().splitlines()
    assert lines[0] == "section;name;treated_n;control_n;gross_treated;gross_control;effect;ci_low;ci_high;smd_before;smd_after;notes"
    sections = [line.split(";")[0] for line in lines[1:]]
    assert sections[0] == "effect" and "balance" in sections and "segment" in sections
    assert any(line.startswith("balance;Leeftijd;") for line in lines)  # plain names, not column names
    assert any(line.startswith("segment;B1;") for line in lines)
    response = client.get(reverse("insights:export", args=["survival"]), {"curves": "provider"})
    assert response.status_code == 200
    lines = response.content.decode().splitlines()
    assert (
        lines[0]
        == "provider;n;small_group;median_days;share_in_work_180;share_in_work_365;share_in_work_730;at_risk_0;at_risk_90;at_risk_180;at_risk_365;at_risk_730"
    )
    assert any(line.startswith("(geen aanbieder);") for line in lines)
    purposes = set(AuditEvent.objects.filter(actor=demo, action="export").values_list("purpose", flat=True))
    assert {"effectiveness effect CSV", "effectiveness survival CSV"} <= purposes
    assert client.get(reverse("insights:export", args=["effect"]), {"treatment": "NOPE"}).status_code == 404
    assert client.get(reverse("insights:export", args=["survival"]), {"curves": "bsn"}).status_code == 404


def test_policy_officer_sees_the_page_and_downloads_a_csv(client, demo):
    from maatpak.accounts.models import User
    from maatpak.audit.models import AuditEvent

    officer = User.objects.get(username="beleidsmedewerker")
    assert officer.role == "policy_officer"
    client.force_login(officer)
    page = client.get(reverse("insights:effectiveness"), {"treatment": "SOLL"})
    assert page.status_code == 200 and "Netto-effect met een vergelijkingsgroep" in page.content.decode()
    response = client.get(reverse("insights:export", args=["instrument"]), {"outcome": "work_12m"})
    assert response.status_code == 200 and response.content.decode().startswith("instrument;n;successes;rate")
    assert AuditEvent.objects.filter(actor=officer, action="export").exists()


def test_page_cautions_that_instruments_count_from_the_start_and_counts_people_left_out_per_group(client, demo):
    client.force_login(demo)
    content = client.get(reverse("insights:effectiveness"), {"treatment": "SOLL", "segment": "ladder_rung"}).content.decode()
    assert "laatste versie van het plan" in content
    frame = analysis_dataset(user=demo)
    unknown = int(frame["ladder_rung"].isna().sum())
    assert f"Niet meegeteld in het effect per groep: {unknown} perso" in content
    assert '<th scope="row">2</th>' in content and '<th scope="row">2.0</th>' not in content  # rungs as whole numbers
    content = client.get(reverse("insights:effectiveness"), {"treatment": "sanction"}).content.decode()
    assert "laatste versie van het plan" not in content
