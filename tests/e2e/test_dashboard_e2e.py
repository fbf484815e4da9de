"""Issue 15, item 2 in real Chromium: a team lead opens the indicators from the menu, reads a
figure with the quarter before it, opens the people behind it (only their team's) and both
pages pass the WCAG check."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from maatpak.accounts.models import User
from maatpak.demo.generator import DEMO_PASSWORD, generate_demo
from maatpak.insights.indicators.base import Facts, Period, get_indicator
from maatpak.participants.policies import dossier_policy


@pytest.fixture
def demo(transactional_db):
    generate_demo(participants=150, seed=4, log=lambda *a: None)


def test_team_lead_reads_a_figure_and_opens_the_people_behind_it(page, live_server, login, demo, assert_accessible):
    lead = User.objects.get(username="teamleider")
    today = timezone.localdate()
    quarter = Period.last_ended(today)
    # The figure the test reads, worked out from the registry for the lead's municipality.
    total = get_indicator("outflow_by_reason").evaluate(Facts(municipality_ids=[lead.municipalities.get().pk], today=today), quarter).total
    assert total.count > 0, "the demo should have outflow in the last quarter"
    team = set(dossier_policy.instances_for(lead, "view").values_list("pk", flat=True))

    login(page, "teamleider", DEMO_PASSWORD)
    page.get_by_role("navigation").get_by_role("link", name="Indicatoren").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Indicatoren")
    table = page.get_by_role("table", name=f"Uitstroom uit de uitkering, naar reden: {quarter.label} en {quarter.previous().label}")
    expect(table).to_be_visible()
    total_row = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Totaal"))
    expect(total_row.get_by_role("cell").first).to_contain_text(str(total.count))
    page.get_by_role("group").filter(has_text="Uitstroom uit de uitkering").get_by_text("Hoe berekend?").first.click()
    expect(page.get_by_text("De einddatum van de uitkering valt in de periode.").first).to_be_visible()
    assert_accessible(page)

    total_row.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mensen achter een cijfer")
    expect(page.get_by_text(f"Dit cijfer gaat over {len(total.people)}")).to_be_visible()
    listed = page.get_by_role("table").get_by_role("rowheader").get_by_role("link")
    expect(listed).to_have_count(len(total.people & team))
    hidden = len(total.people - team)
    if hidden:
        expect(page.get_by_role("status")).to_contain_text("niet getoond")
    assert_accessible(page)
