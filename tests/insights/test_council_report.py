"""Requirement (issue 15.3): the council report — the indicators of one municipality for one
ended quarter beside the quarter before, after suppression, as a page, a PDF and CSV/XLSX of
every table; only for the council (and the policy officer); never a person."""

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from maatpak.audit.models import AuditAction, AuditEvent
from maatpak.insights.council_pdf import council_pdf_blocks, council_pdf_bytes
from maatpak.insights.council_report import council_periods, council_report
from maatpak.insights.indicators import Period, all_indicators
from maatpak.insights.models import ChecklistQuestion
from maatpak.participants.models import BenefitEndReason
from tests.factories import BenefitFactory, ParticipantFactory, ProviderFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("insights:council_report")


def latest_ended() -> Period:
    return Period.last_ended(timezone.localdate())


def leavers(municipality, period: Period, reason: str, n: int, surname: str = "Leaver"):
    """`n` people whose benefit (since two years) ended mid-`period` with `reason`."""
    for _i in range(n):
        person = ParticipantFactory(municipality=municipality, last_name=f"{surname}{_i}")
        BenefitFactory(
            participant=person,
            municipality=municipality,
            start_date=period.start - dt.timedelta(days=730),
            end_date=period.start + dt.timedelta(days=20),
            end_reason=reason,
        )


@pytest.fixture
def council(municipality):
    return UserFactory(role="council_member", municipalities=[municipality], username="raad")


@pytest.fixture
def world(municipality, other_municipality):
    period = latest_ended()
    leavers(municipality, period, BenefitEndReason.WORK, 30)
    leavers(municipality, period, BenefitEndReason.OTHER, 11)
    leavers(municipality, period, BenefitEndReason.EDUCATION, 3)
    leavers(municipality, period.previous(), BenefitEndReason.WORK, 11)
    # Middelburg: 25 left for work; never in Smallingerland's figures.
    leavers(other_municipality, period, BenefitEndReason.WORK, 25, surname="Elders")
    return period


def outflow_line(html: str, label: str) -> list[str]:
    """The cells of the row `label` in the outflow-by-reason table."""
    table = html.split('id="indicator-outflow_by_reason"')[1].split("</table>")[0]
    row = re.search(rf"<th scope=\"row\">{re.escape(label)}</th>(.*?)</tr>", table, re.S).group(1)
    return re.findall(r"<td>(.*?)</td>", row)


# --- who may see it ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["council_member", "policy_officer"])
def test_council_and_policy_officer_see_the_report(client, world, municipality, role):
    client.force_login(UserFactory(role=role, municipalities=[municipality]))
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rapport voor de cliëntenraad" in html
    # Latest ended quarter: work 30 (shown), education 3 (< 10), other 11 (hidden as its complement:
    # else 44 - 30 - 11 would give the 3); previous quarter: 11 for work.
    assert outflow_line(html, "Werk")[:2] == ["30", "11"]
    assert outflow_line(html, "Opleiding")[0] == "&lt; 10" and outflow_line(html, "Anders")[0] == "×"


@pytest.mark.parametrize("role", ["consultant", "team_lead", "provider_staff", "analyst", "participant", "job_coach"])
def test_other_roles_are_refused_everywhere(client, world, municipality, role):
    provider = ProviderFactory(municipality=municipality) if role == "provider_staff" else None
    client.force_login(UserFactory(role=role, municipalities=[municipality], provider=provider))
    assert client.get(URL).status_code == 403
    assert client.get(reverse("insights:council_report_pdf")).status_code == 403
    assert client.get(reverse("insights:council_export", args=["csv"])).status_code == 403
    assert client.get(reverse("insights:council_export", args=["nonsense"])).status_code == 403


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_page_links_to_no_person_and_no_list(client, council, world):
    client.force_login(council)
    html = client.get(URL).content.decode()
    hrefs = re.findall(r'href="([^"]+)"', html.split('id="main"')[1])
    assert hrefs and all(not href.startswith(("/deelnemers", "/participants", "/api/", "/insights/indicatoren/")) for href in hrefs), hrefs
    assert not any(f">{surname}" in html for surname in ("Leaver0", "Elders0"))
    assert "Leaver" not in html and "Elders" not in html


# --- which quarter and which municipality ------------------------------------------------------


def test_only_the_last_eight_ended_quarters_are_offered():
    today = dt.date(2026, 5, 14)
    assert [p.code for p in council_periods(today=today)] == [
        "2026-Q1",
        "2025-Q4",
        "2025-Q3",
        "2025-Q2",
        "2025-Q1",
        "2024-Q4",
        "2024-Q3",
        "2024-Q2",
    ]
    # The first day of a quarter: the quarter before has just ended.
    assert council_periods(today=dt.date(2026, 4, 1))[0].code == "2026-Q1"


def test_default_is_the_latest_ended_quarter_and_an_older_one_can_be_chosen(client, council, world):
    client.force_login(council)
    html = client.get(URL).content.decode()
    assert f'<option value="{world.code}" selected>' in html
    older = client.get(URL, {"period": world.previous().code}).content.decode()
    # The previous quarter chosen: work 11 in it, and the quarter before that (nothing) beside it.
    assert outflow_line(older, "Werk")[:2] == ["11", "0"]


@pytest.mark.parametrize("code", ["current", "2026-Q7", "nonsense", "1999-Q1", "older"])
def test_a_quarter_not_offered_gives_a_message_and_the_default(client, council, world, code):
    today = timezone.localdate()
    code = {"current": Period.containing(today).code, "older": latest_ended().shifted(-8).code}.get(code, code)
    client.force_login(council)
    response = client.get(URL, {"period": code})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kies een van de kwartalen uit de lijst" in html
    assert outflow_line(html, "Werk")[0] == "30"  # the latest ended quarter is shown instead


def test_another_municipality_is_refused_with_a_message(client, council, world, other_municipality):
    client.force_login(council)
    response = client.get(URL, {"municipality": other_municipality.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert "alleen het rapport van uw eigen gemeente" in html
    assert "Middelburg" not in html and outflow_line(html, "Werk")[0] == "30"  # not Middelburg's 25
    # The downloads of a refused choice hold the own municipality, never the other.
    csv_text = client.get(reverse("insights:council_export", args=["csv"]), {"municipality": other_municipality.pk}).content.decode()
    assert "25" not in [line.split(";")[5] for line in csv_text.splitlines()[1:] if line.startswith("Uitstroom")]
    assert client.get(URL, {"municipality": "abc"}).status_code == 200


def test_a_member_of_two_municipalities_chooses_one_never_both(client, world, municipality, other_municipality):
    user = UserFactory(role="council_member", municipalities=[municipality, other_municipality])
    client.force_login(user)
    html = client.get(URL, {"municipality": other_municipality.pk}).content.decode()
    assert outflow_line(html, "Werk")[0] == "25"  # Middelburg alone
    assert '<select id="municipality" name="municipality">' in html
    options = re.findall(r'<option value="(\d+)"', html.split('id="municipality"')[1].split("</select>")[0])
    assert sorted(options) == sorted([str(municipality.pk), str(other_municipality.pk)])  # no "all together"
    # The default is the first by name: Middelburg.
    default = client.get(URL).content.decode()
    assert outflow_line(default, "Werk")[0] == "25"
    own = client.get(URL, {"municipality": municipality.pk}).content.decode()
    assert outflow_line(own, "Werk")[0] == "30"
    assert "55" not in outflow_line(default, "Werk") + outflow_line(own, "Werk")  # 30 + 25 is never published


def test_a_council_member_without_a_municipality_is_refused(client):
    client.force_login(UserFactory(role="council_member"))
    assert client.get(URL).status_code == 403


# --- the content ------------------------------------------------------------------------------


def test_every_indicator_is_on_the_page_with_its_definition_and_a_legend(client, council, world):
    client.force_login(council)
    html = client.get(URL).content.decode()
    for item in all_indicators():
        assert f'id="indicator-{item.code}"' in html, item.code
    assert html.count("<details>") == len(all_indicators())
    with translation.override("nl"):
        definition = str(all_indicators()[0].definition)
    assert definition.replace("'", "&#x27;").replace('"', "&quot;") in html
    assert "Minder dan 10 mensen" in html and "×" in html


def test_the_checklist_is_answered_under_the_tables(client, council, world, municipality):
    ChecklistQuestion.objects.create(
        municipality=municipality,
        text="Hoeveel mensen vinden werk?",
        source="Eigen vraag",
        indicator_codes=["outflow_by_reason"],
        position=1,
    )
    ChecklistQuestion.objects.create(
        municipality=municipality,
        text="Zijn deelnemers tevreden over de sfeer?",
        source="Eigen vraag",
        not_measurable_reason="Dit houden we niet bij.",
        position=2,
    )
    client.force_login(council)
    html = client.get(URL).content.decode()
    checklist = html.split('id="checklist-title"')[1]
    assert "Hoeveel mensen vinden werk?" in checklist and "44 mensen" in checklist  # 30 + 3 + 11 left the benefit
    assert "Niet meetbaar." in checklist and "Dit houden we niet bij." in checklist


def test_the_report_reads_one_municipality_and_protects_both_quarters_together(council, world):
    report = council_report(user=council)
    table = next(t for t in report["tables"] if t.indicator.code == "outflow_by_reason")
    assert table.current.period == world and table.previous.period == world.previous()
    line = next(line for line in table.grid if line.label == str(BenefitEndReason.EDUCATION.label))
    assert [cell.status for cell in line.cells] == ["small", "shown"]  # 3 now, 0 before (a 0 is shown)


# --- the downloads ----------------------------------------------------------------------------


def test_csv_holds_every_table_with_the_page_texts(client, council, world):
    client.force_login(council)
    response = client.get(reverse("insights:council_export", args=["csv"]))
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.csv"')
    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    assert rows[0][:5] == ["Thema", "Code indicator", "Indicator", "Kwartaal", "Rij"]
    codes = {row[1] for row in rows[1:]}
    assert codes == {item.code for item in all_indicators()}
    outflow = {(row[3], row[4]): row[5] for row in rows if row[1] == "outflow_by_reason"}
    assert outflow[(world.code, "Werk")] == "30" and outflow[(world.code, "Opleiding")] == "< 10"
    assert outflow[(world.previous().code, "Werk")] == "11"
    assert outflow[(world.code, "Anders")] == "×"
    assert not any(row[5] in ("3", "11") for row in rows if row[1] == "outflow_by_reason" and row[3] == world.code)


def test_xlsx_holds_the_same_rows_as_the_csv(client, council, world):
    client.force_login(council)
    csv_rows = list(csv.reader(io.StringIO(client.get(reverse("insights:council_export", args=["csv"])).content.decode()), delimiter=";"))
    response = client.get(reverse("insights:council_export", args=["xlsx"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    xlsx_rows = [[cell if cell is not None else "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert xlsx_rows == csv_rows


def test_unknown_format_is_404(client, council):
    client.force_login(council)
    assert client.get(reverse("insights:council_export", args=["json"])).status_code == 404


def test_pdf_has_the_same_figures_in_dutch(client, council, world):
    client.force_login(council)
    client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    response = client.get(reverse("insights:council_report_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and b"/FontFile2" in response.content
    with translation.override("nl"):
        report = council_report(user=council)
        blocks = council_pdf_blocks(report)
        assert council_pdf_bytes(report).startswith(b"%PDF")
    assert blocks[0].text == "Rapport voor de cliëntenraad"
    headings = [b.text for b in blocks if b.kind == "heading"]
    assert headings[0] == "Zo leest u de getallen" and headings[-1] == "De checklist"
    texts = " ".join(b.text for b in blocks)
    assert "Minder dan 10 mensen" in texts.replace("“< 10” betekent: minder", "Minder")
    outflow = next(b for b in blocks if b.kind == "table" and any(row[0] == "Opleiding" for row in b.rows))
    rows = {row[0]: row[1:] for row in outflow.rows}
    assert rows["Werk"] == ("30", "11") and rows["Opleiding"] == ("< 10", "0")
    assert outflow.rows[0][1].startswith("Aantal")


def test_each_view_and_download_is_logged_once_with_a_purpose(client, council, world, municipality):
    client.force_login(council)
    client.get(URL)
    client.get(reverse("insights:council_report_pdf"))
    client.get(reverse("insights:council_export", args=["csv"]))
    client.get(reverse("insights:council_export", args=["xlsx"]))
    events = list(
        AuditEvent.objects.filter(actor=council)
        .exclude(action=AuditAction.LOGIN)
        .order_by("pk")
        .values_list("action", "purpose", "municipality_id")
    )
    assert events == [
        (AuditAction.READ, "council report", municipality.pk),
        (AuditAction.EXPORT, "council report pdf", municipality.pk),
        (AuditAction.EXPORT, "council report csv", municipality.pk),
        (AuditAction.EXPORT, "council report xlsx", municipality.pk),
    ]
