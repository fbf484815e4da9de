"""Issue 15, item 2: the municipal dashboard (indicators with the previous quarter beside them and
an eight-quarter trend) for policy officers and team leads; the people behind a figure only for
a team lead, only of their team, each read logged."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from maatpak.audit.models import AuditEvent
from maatpak.insights.dashboard_views import dashboard_sections, offered_periods
from maatpak.insights.indicators.base import Facts, Period, get_indicator
from maatpak.participants.models import BenefitEndReason
from tests.factories import BenefitFactory, MunicipalityFactory, ParticipantFactory, ProviderFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("insights:dashboard")


def _ended(period: Period, *, day: int = 10) -> dt.date:
    return period.start + dt.timedelta(days=day)


@pytest.fixture
def quarter():
    """The quarter the dashboard shows by default: the last one that has ended."""
    return Period.last_ended(timezone.localdate())


@pytest.fixture
def world(municipality, quarter):
    """Team Noord (lead Tineke, consultant Kim) and Team Zuid (consultant Bas).

    Benefits that ended for work in the chosen quarter: Kim's Anna and Bert, Bas's Carla (3).
    Ended for work in the quarter before: Kim's Dirk (1). Still running: Kim's Eva (no outflow)."""
    north, south = TeamFactory(municipality=municipality, name="Noord"), TeamFactory(municipality=municipality, name="Zuid")
    lead = UserFactory(role="team_lead", municipalities=[municipality], team=north)
    kim = UserFactory(role="consultant", municipalities=[municipality], team=north)
    bas = UserFactory(role="consultant", municipalities=[municipality], team=south)
    people = {}
    for name, consultant, ended in [
        ("Anna", kim, _ended(quarter)),
        ("Bert", kim, quarter.end),  # last day of the quarter still counts
        ("Carla", bas, _ended(quarter, day=40)),
        ("Dirk", kim, _ended(quarter.previous())),
        ("Eva", kim, None),
    ]:
        person = ParticipantFactory(municipality=municipality, first_name=name, last_name=f"{name}sen", consultant=consultant)
        BenefitFactory(participant=person, end_date=ended, end_reason=BenefitEndReason.WORK if ended else "")
        people[name] = person
    return {"lead": lead, "kim": kim, "bas": bas, "people": people}


def _panel(response, code):
    return next(panel for section in response.context["sections"] for panel in section.panels if panel.indicator.code == code)


@pytest.mark.parametrize(("role", "status"), [("policy_officer", 200), ("team_lead", 200), ("consultant", 403), ("council_member", 403)])
def test_who_may_open_the_dashboard(client, municipality, role, status):
    client.force_login(UserFactory(role=role, municipalities=[municipality]))
    assert client.get(DASHBOARD).status_code == status


def test_provider_staff_is_refused(client, municipality):
    client.force_login(
        UserFactory(role="provider_staff", municipalities=[municipality], provider=ProviderFactory(municipality=municipality))
    )
    assert client.get(DASHBOARD).status_code == 403


def test_figures_of_the_quarter_with_the_previous_quarter_beside_them(client, world, quarter):
    client.force_login(world["lead"])
    response = client.get(DASHBOARD)
    assert response.status_code == 200 and response.context["period"] == quarter
    panel = _panel(response, "outflow_by_reason")
    work = next(row for row in panel.rows if row.key == BenefitEndReason.WORK)
    # cells: [count this quarter, count previous quarter] (a count indicator without base or amount)
    assert [cell.value for cell in work.cells] == [3, 1]  # Anna, Bert, Carla now; Dirk before
    total = panel.rows[-1]
    assert total.is_total and [cell.value for cell in total.cells] == [3, 1]
    assert quarter.label in panel.headers[0] and quarter.previous().label in panel.headers[1]
    # the trend: eight quarters, oldest first, the last two being the previous and chosen quarter
    assert [point.value for point in panel.trend][-2:] == [1, 3] and len(panel.trend) == 8
    content = response.content.decode()
    assert "Hoe berekend?" in content and '<img src="data:image/svg+xml;base64,' in content
    assert quarter.previous().label in content


def test_the_page_read_is_logged_once(client, world):
    client.force_login(world["lead"])
    client.get(DASHBOARD)
    events = AuditEvent.objects.filter(actor=world["lead"], purpose="indicator dashboard")
    assert events.count() == 1 and events.get().action == "read"


def test_a_quarter_not_on_offer_gives_a_message_and_the_default(client, world, quarter):
    client.force_login(world["lead"])
    for bad in ["2026-Q9", "gisteren", Period.containing(timezone.localdate()).code, quarter.shifted(-8).code]:
        response = client.get(DASHBOARD, {"period": bad})
        assert response.status_code == 200
        assert response.context["period"] == quarter
        assert "Dit kwartaal kunt u niet kiezen" in response.content.decode()


def test_an_older_quarter_can_be_chosen(client, world, quarter):
    client.force_login(world["lead"])
    older = quarter.previous()
    response = client.get(DASHBOARD, {"period": older.code})
    assert response.context["period"] == older
    work = next(row for row in _panel(response, "outflow_by_reason").rows if row.key == BenefitEndReason.WORK)
    assert work.cells[0].value == 1  # Dirk
    assert offered_periods(today=timezone.localdate())[-1] == quarter.shifted(-7)


def test_municipality_parameter_for_a_shared_service_organisation(client, quarter):
    """Orionis Walcheren works for Middelburg and Vlissingen: together, or one of them; never Veere."""
    middelburg, vlissingen, veere = (MunicipalityFactory(name=name) for name in ("Middelburg", "Vlissingen", "Veere"))
    officer = UserFactory(role="policy_officer", municipalities=[middelburg, vlissingen])
    for town, count in [(middelburg, 2), (vlissingen, 1), (veere, 5)]:
        for _ in range(count):
            BenefitFactory(participant=ParticipantFactory(municipality=town), end_date=_ended(quarter), end_reason=BenefitEndReason.WORK)
    client.force_login(officer)

    def total(**params):
        response = client.get(DASHBOARD, params)
        assert response.status_code == 200
        return response, _panel(response, "outflow_by_reason").rows[-1].cells[0].value

    assert total()[1] == 3  # together, without Veere
    assert total(municipality=middelburg.pk)[1] == 2
    assert total(municipality=vlissingen.pk)[1] == 1
    for refused in [veere.pk, "abc", 999999]:
        response, count = total(municipality=refused)
        assert count == 3  # the default: all the officer's municipalities, never Veere's
        assert "U werkt niet voor deze gemeente" in response.content.decode()


def test_policy_officer_gets_no_links_and_no_list(client, world, municipality, quarter):
    officer = UserFactory(role="policy_officer", municipalities=[municipality])
    client.force_login(officer)
    content = client.get(DASHBOARD).content.decode()
    assert reverse("insights:figure_people", args=["outflow_by_reason", quarter.code, "work"]) not in content
    assert "/insights/indicatoren/outflow_by_reason/" not in content
    assert client.get(reverse("insights:figure_people", args=["outflow_by_reason", quarter.code, "work"])).status_code == 403


def test_team_lead_gets_links_to_the_people_behind_counts(client, world, quarter):
    client.force_login(world["lead"])
    content = client.get(DASHBOARD).content.decode()
    assert reverse("insights:figure_people", args=["outflow_by_reason", quarter.code, "work"]) in content
    assert reverse("insights:figure_people", args=["outflow_by_reason", quarter.previous().code, "total"]) in content
    # a count of 0 opens nothing
    assert reverse("insights:figure_people", args=["outflow_by_reason", quarter.code, "education"]) not in content


def test_people_behind_a_figure_only_of_the_team_and_each_read_logged(client, world, quarter):
    lead, people = world["lead"], world["people"]
    client.force_login(lead)
    response = client.get(reverse("insights:figure_people", args=["outflow_by_reason", quarter.code, "work"]))
    assert response.status_code == 200
    listed = [p.first_name for p in response.context["participants"]]
    assert listed == ["Anna", "Bert"]  # Carla is Bas's (Team Zuid): behind the figure, not shown
    assert response.context["hidden"] == 1
    content = response.content.decode()
    assert reverse("participants:dossier", args=[people["Anna"].pk]) in content
    assert "Carla" not in content and "1 persoon wordt niet getoond" in content
    reads = AuditEvent.objects.filter(actor=lead, purpose="indicator figure", action="read")
    assert sorted(reads.values_list("participant_id", flat=True)) == sorted([people["Anna"].pk, people["Bert"].pk])
    assert reads.first().detail["indicator"] == "outflow_by_reason"


def test_the_total_and_the_previous_quarter_open_too(client, world, quarter):
    client.force_login(world["lead"])
    response = client.get(reverse("insights:figure_people", args=["outflow_by_reason", quarter.previous().code, "total"]))
    assert [p.first_name for p in response.context["participants"]] == ["Dirk"]
    response = client.get(reverse("insights:figure_people", args=["inflow", quarter.code, "total"]))
    assert response.status_code == 200 and list(response.context["participants"]) == []


@pytest.mark.parametrize(
    ("code", "period", "row"),
    [
        ("no_such_indicator", None, "total"),
        ("outflow_by_reason", None, "no_such_row"),
        ("outflow_by_reason", "2026-Q7", "total"),
        ("outflow_by_reason", "now", "total"),
    ],
)
def test_unknown_figures_are_not_found(client, world, quarter, code, period, row):
    client.force_login(world["lead"])
    assert client.get(reverse("insights:figure_people", args=[code, period or quarter.code, row])).status_code == 404


def test_a_quarter_that_has_not_ended_is_not_found(client, world):
    client.force_login(world["lead"])
    running = Period.containing(timezone.localdate())
    assert client.get(reverse("insights:figure_people", args=["outflow_by_reason", running.code, "total"])).status_code == 404


def test_the_list_refuses_another_municipality(client, world, quarter, other_municipality):
    client.force_login(world["lead"])
    url = reverse("insights:figure_people", args=["outflow_by_reason", quarter.code, "work"])
    assert client.get(url, {"municipality": other_municipality.pk}).status_code == 404


def test_consultant_may_not_open_the_list(client, world, quarter):
    client.force_login(world["kim"])
    assert client.get(reverse("insights:figure_people", args=["outflow_by_reason", quarter.code, "work"])).status_code == 403


def test_every_indicator_is_evaluated_once_per_trend_quarter(world, municipality, quarter, monkeypatch):
    """The chosen quarter and the one before it reuse the trend's results."""
    item = get_indicator("outflow_by_reason")
    calls = []
    original = type(item).evaluate

    def counting(self, facts, period):
        calls.append((self.code, period))
        return original(self, facts, period)

    monkeypatch.setattr(type(item), "evaluate", counting)
    facts = Facts(municipality_ids=[municipality.pk], today=timezone.localdate())
    dashboard_sections(facts=facts, period=quarter, indicators=[item])
    assert sorted(period for _code, period in calls) == quarter.trend(8)


def test_one_municipality_user_asking_for_another_gets_the_message_and_own_figures(client, world, other_municipality, quarter):
    BenefitFactory(participant=ParticipantFactory(municipality=other_municipality), end_date=_ended(quarter), end_reason="work")
    client.force_login(world["lead"])
    response = client.get(DASHBOARD, {"municipality": other_municipality.pk})
    assert response.status_code == 200
    assert "U werkt niet voor deze gemeente" in response.content.decode()
    assert _panel(response, "outflow_by_reason").rows[-1].cells[0].value == 3  # own municipality's only
