"""Requirement (issue 15, "must show"): a cell of 7 shows "< 10", and an attacker who collects
every number the council can see — the report page for both quarters, the CSV and the XLSX, and
the council's anonymous-feedback page — and tries every combination of published totals and
parts cannot recover it, also not through the previous quarter.

The attacker here is written independently of `core.disclosure` (no integer programme): plain
brute force over integer values, with what any reader knows: a table's rows add up to its total;
every figure is a whole number >= 0; "< 10" is 1..9; "×" is 0 or at least 10 (a hidden 1..9
would have been "< 10"); and the same figure is the same wherever it is published.
"""

import csv
import datetime as dt
import io
import itertools
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from maatpak.insights.council_report import COLUMNS, column_label
from maatpak.insights.indicators import Facts, Period, get_indicator
from maatpak.participants.models import BenefitEndReason
from maatpak.surveys.models import AnonymousFeedback, FeedbackTopic
from maatpak.surveys.selectors import Quarter
from tests.factories import BenefitFactory, ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db

THRESHOLD = 10
OUTFLOW = "outflow_by_reason"
FEEDBACK = "anonymous_feedback"
R = BenefitEndReason


def people_on_benefit(municipality, start: dt.date, end: dt.date | None, reason: str = "", n: int = 1):
    for _i in range(n):
        person = ParticipantFactory(municipality=municipality, birth_date=dt.date(1980, 1, 1), sex="f")
        BenefitFactory(participant=person, municipality=municipality, start_date=start, end_date=end, end_reason=reason)


@pytest.fixture
def world(municipality):
    """The chosen quarter P (latest ended) and the one before, Q. The numbers are chosen so no
    sum of shown figures happens to equal another published figure by coincidence."""
    period = Period.last_ended(timezone.localdate())
    previous = period.previous()
    long_ago = previous.start - dt.timedelta(days=730)
    mid_p, mid_q = period.start + dt.timedelta(days=30), previous.start + dt.timedelta(days=30)
    # P: 31 left for work, 7 for education (the cell to protect), 14 for another reason.
    people_on_benefit(municipality, long_ago, mid_p, R.WORK, 31)
    people_on_benefit(municipality, long_ago, mid_p, R.EDUCATION, 7)
    people_on_benefit(municipality, long_ago, mid_p, R.OTHER, 14)
    # Q: 17 for work, 4 moved away (small as well), 11 for another reason.
    people_on_benefit(municipality, long_ago, mid_q, R.WORK, 17)
    people_on_benefit(municipality, long_ago, mid_q, R.MOVED, 4)
    people_on_benefit(municipality, long_ago, mid_q, R.OTHER, 11)
    # 20 stay on benefit throughout; 12 start in P (so on-benefit and inflow figures move
    # between the quarters: the stock-flow route through the previous quarter).
    people_on_benefit(municipality, long_ago, None, n=20)
    people_on_benefit(municipality, period.start + dt.timedelta(days=5), None, n=12)
    # Anonymous reactions in P: 12 about the plan, 3 about the consultant.
    week = dict(zip(["year", "week"], Quarter(period.year, period.number).iso_weeks()[2].split("-W"), strict=True))
    for index in range(15):
        AnonymousFeedback.objects.create(
            id=f"00000000-0000-4000-8000-{index:012d}",
            municipality=municipality,
            week=f"{week['year']}-W{week['week']}",
            topic=FeedbackTopic.PLAN if index < 12 else FeedbackTopic.CONSULTANT,
            rating=4,
        )
    return {"period": period, "previous": previous}


# --- what the attacker collects ---------------------------------------------------------------


class _Tables(HTMLParser):
    """The tables under each indicator heading: {code: {"head": [[...], [...]], "body": [[...]]}}
    (a cell with colspan is repeated, so every column has its period and its heading)."""

    def __init__(self):
        super().__init__()
        self.tables, self.code, self.table, self.section, self.row, self.cell, self.span = {}, None, None, "body", None, None, 1

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "h3" and (attrs.get("id") or "").startswith("indicator-"):
            self.code = attrs["id"].removeprefix("indicator-")
        elif tag == "table" and self.code:
            self.table = {"head": [], "body": []}
        elif tag in ("thead", "tbody"):
            self.section = "head" if tag == "thead" else "body"
        elif tag == "tr" and self.table is not None:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell, self.span = "", int(attrs.get("colspan") or 1)

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.row.extend([self.cell.strip()] * self.span)
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.table[self.section].append(self.row)
            self.row = None
        elif tag == "table" and self.table is not None:
            self.tables[self.code], self.table, self.code = self.table, None, None


def _column_names(code: str) -> dict[str, str]:
    indicator = get_indicator(code)
    return {column_label(name, indicator): name for name in COLUMNS}


def cells_from_html(html: str) -> dict[tuple, str]:
    """{(indicator, period code, row label, column): text} of every table on the page."""
    codes = {label: code for code, label in re.findall(r'<option value="(\d{4}-Q\d)"[^>]*>([^<]+)</option>', html)}
    parser = _Tables()
    parser.feed(html)
    cells = {}
    for code, table in parser.tables.items():
        periods, headings = table["head"]
        names = _column_names(code)
        for row in table["body"]:
            for index in range(1, len(row)):
                cells[(code, codes[periods[index]], row[0], names[headings[index]])] = row[index]
    return cells


def cells_from_rows(rows: list[list[str]]) -> dict[tuple, str]:
    """The same from the CSV or XLSX lines (theme, code, title, quarter, row, figures...)."""
    header = rows[0]
    names = {column_label(name): name for name in COLUMNS}
    cells = {}
    for row in rows[1:]:
        for index in range(5, len(header)):
            if row[index] != "":
                cells[(row[1], row[3], row[4], names[header[index]])] = row[index]
    return cells


def cells_from_feedback(html: str, period: Period) -> dict[tuple, str]:
    """The reactions per topic (and their total) on the council's feedback page, as figures of
    the report's `anonymous_feedback` indicator: they count the same reactions."""
    table = html.split("<caption>", 1)[1].split("</table>", 1)[0]
    cells = {}
    total = re.search(r"\(N = ([\d.]+)\)", table.split("</caption>")[0])
    cells[(FEEDBACK, period.code, "Totaal", "count")] = total.group(1) if total else f"< {THRESHOLD}"
    for topic, text in re.findall(r'<th scope="row">([^<]+)</th>\s*<td[^>]*>([^<]+)</td>', table):
        text = text.strip()
        cells[(FEEDBACK, period.code, topic.strip(), "count")] = (
            text if text.isdigit() else "×" if text.startswith("×") else f"< {THRESHOLD}"
        )
    return cells


def every_number(text: str) -> set[int]:
    """Every whole number in a text (Dutch grouping: 1.234 is 1234; 25,0% counts as 25)."""
    return {int(token.replace(".", "")) for token in re.findall(r"\d{1,3}(?:\.\d{3})+|\d+", text)}


def visible_text(html: str) -> str:
    main = html.split('id="main"', 1)[1]
    return re.sub(r"<[^>]+>", " ", main).replace("&lt;", "<").replace("&gt;", ">")


@pytest.fixture
def published(client, municipality, world):
    """Everything the council member can read about the two quarters (and the quarter before Q,
    which the page of Q shows beside it)."""
    council = UserFactory(role="council_member", municipalities=[municipality])
    client.force_login(council)
    cells: dict[tuple, set[str]] = {}
    numbers: set[int] = set()
    sources = []
    for period in (world["period"], world["previous"]):
        query = {"period": period.code}
        html = client.get(reverse("insights:council_report"), query).content.decode()
        csv_text = client.get(reverse("insights:council_export", args=["csv"]), query).content.decode()
        csv_rows = list(csv.reader(io.StringIO(csv_text), delimiter=";"))
        book = load_workbook(io.BytesIO(client.get(reverse("insights:council_export", args=["xlsx"]), query).content))
        xlsx_rows = [["" if value is None else str(value) for value in row] for row in book.active.iter_rows(values_only=True)]
        feedback = client.get(reverse("surveys:council_feedback"), query).content.decode()
        sources += [
            ("page " + period.code, cells_from_html(html)),
            ("csv", cells_from_rows(csv_rows)),
            ("xlsx", cells_from_rows(xlsx_rows)),
            ("feedback page", cells_from_feedback(feedback, period)),
        ]
        numbers |= every_number(visible_text(html)) | every_number(csv_text) | every_number(visible_text(feedback))
        numbers |= every_number(" ".join(" ".join(row) for row in xlsx_rows))
    for _name, found in sources:
        for key, text in found.items():
            cells.setdefault(key, set()).add(text)
    return {"cells": cells, "numbers": numbers, "period": world["period"]}


# --- the attack -------------------------------------------------------------------------------


def _domain(texts: set[str], bound: int) -> list[int]:
    """The values the attacker still considers possible for one figure, from everything
    published about it (a number anywhere settles it)."""
    shown = {int(text.replace(".", "")) for text in texts if re.fullmatch(r"[\d.]+", text)}
    if shown:
        assert len(shown) == 1, texts
        return sorted(shown)
    possible = set(range(bound + 1))
    for text in texts:
        possible &= {f"< {THRESHOLD}": set(range(1, THRESHOLD)), "×": {0, *range(THRESHOLD, bound + 1)}, "0..9": set(range(THRESHOLD))}[
            text
        ]
    return sorted(possible)


def solutions(domains: dict[str, list[int]], equations: list[tuple[dict[str, int], int]], target: str) -> set[int]:
    """Brute force: every assignment of the figures (each in its domain) that satisfies every
    equation sum(coefficient * figure) == value; returns the values the target takes in them.
    One unknown of the first equation is solved from it rather than enumerated (same result)."""
    unknown = [name for name, domain in domains.items() if len(domain) > 1]
    solved, first = None, None
    for coefficients, value in equations:
        solved = next((name for name in reversed(list(coefficients)) if name in unknown and name != target), None)
        if solved is not None:
            first = (coefficients, value)
            break
    allowed = {name: set(domain) for name, domain in domains.items()}
    enumerate_over = [name for name in unknown if name != solved]
    fixed = {name: domain[0] for name, domain in domains.items() if len(domain) == 1}
    values = set()
    for combination in itertools.product(*(domains[name] for name in enumerate_over)):
        assignment = {**fixed, **dict(zip(enumerate_over, combination, strict=True))}
        if solved is not None:
            coefficients, value = first
            rest = value - sum(c * assignment[name] for name, c in coefficients.items() if name != solved)
            if rest % coefficients[solved] or rest // coefficients[solved] not in allowed[solved]:
                continue
            assignment[solved] = rest // coefficients[solved]
        if all(sum(c * assignment[name] for name, c in coefficients.items()) == value for coefficients, value in equations):
            values.add(assignment[target])
    return values


def true_counts(municipality, period: Period, code: str = OUTFLOW) -> dict[str, int]:
    """The real counts per row (and the total), straight from the indicator: what the attacker
    is after. Used only to keep the attacker's guesses that happen to be right."""
    with translation.override("nl"):
        table = get_indicator(code).evaluate(Facts(municipality_ids=[municipality.pk], today=timezone.localdate()), period).table
        return {**{row.label: row.count for row in table.rows}, "Totaal": table.total.count}


def attack(cells, numbers, code: str, period_code: str, target: str, truth: dict[str, int]) -> dict:
    """Try to recover the count in row `target` of indicator `code` in `period_code`. Returns the values
    still possible under the table's own sum ("table") and under that sum plus every relation
    "a published number N is the sum of the target and these other rows" that is TRUE for some
    N the attacker collected ("with every true guess"): a guess that happens to be right is as
    good as knowledge, and keeping only right ones means no wrong guess weakens the attack."""
    rows = sorted({key[2] for key in cells if key[0] == code and key[1] == period_code and key[3] == "count"})
    domains = {row: _domain(cells[(code, period_code, row, "count")], max(numbers)) for row in rows}
    parts = [row for row in rows if row != "Totaal"]
    table_sum = ({**dict.fromkeys(parts, 1), "Totaal": -1}, 0)
    result = {"table": solutions(domains, [table_sum], target)}
    others = [row for row in parts if row != target]
    # A published figure is 0 or at least the threshold (1..9 is always "< 10"): a 4 on a page
    # is a date, a rating or a quarter, never a number of people, so it is no sum to guess.
    figures = {number for number in numbers if number == 0 or number >= THRESHOLD}
    guesses = []
    for size in range(len(others) + 1):
        for subset in itertools.combinations(others, size):
            value = truth[target] + sum(truth[row] for row in subset)
            if value in figures:
                guesses.append((dict.fromkeys((target, *subset), 1), value))
    result["guesses"] = guesses
    result["with every true guess"] = solutions(domains, [table_sum, *guesses], target)
    return result


def test_a_cell_of_seven_shows_less_than_ten_everywhere(published, world):
    with translation.override("nl"):
        education = str(R.EDUCATION.label)
    assert published["cells"][(OUTFLOW, world["period"].code, education, "count")] == {"< 10"}
    assert "7" not in {text for key, texts in published["cells"].items() if key[0] == OUTFLOW for text in texts}


def test_every_source_publishes_the_same_text_for_the_same_figure(published):
    """A figure shown in one place and hidden in another would undo the suppression: the
    report of either quarter, its CSV and XLSX, and the feedback page agree on every figure."""
    differing = {key: texts for key, texts in published["cells"].items() if len(texts) > 1}
    assert differing == {}
    assert published["cells"][(FEEDBACK, published["period"].code, "Mijn klantmanager", "count")] == {f"< {THRESHOLD}"}


@pytest.mark.parametrize("which", ["period", "previous"])
def test_the_small_cells_cannot_be_recovered_from_every_published_number(published, world, municipality, which):
    period = world[which]
    truth = true_counts(municipality, period)
    target = {"period": "Opleiding", "previous": "Verhuisd naar andere gemeente"}[which]
    true_value = {"period": 7, "previous": 4}[which]
    assert truth[target] == true_value
    result = attack(published["cells"], published["numbers"], OUTFLOW, period.code, target, truth)
    # The true value is among the possibilities (the attacker's model is right) ...
    assert true_value in result["table"] and true_value in result["with every true guess"]
    # ... and never the only one: at least two values fit everything that is published.
    assert len(result["table"]) >= 2, result
    assert len(result["with every true guess"]) >= 2, result


def test_the_attack_would_recover_the_cell_without_complementary_suppression(published, world, municipality):
    """The attack is not toothless: had the other cells all been shown, the total minus them
    gives the 7 back at once."""
    cells = {key: set(texts) for key, texts in published["cells"].items()}
    code = world["period"].code
    with translation.override("nl"):
        other = str(R.OTHER.label)
    cells[(OUTFLOW, code, other, "count")] = {"14"}
    result = attack(cells, published["numbers"] | {14}, OUTFLOW, code, "Opleiding", true_counts(municipality, world["period"]))
    assert result["table"] == {7}


def test_a_small_number_of_reactions_cannot_be_recovered_with_the_feedback_page(published, world, municipality):
    """The 3 reactions about the consultant: the feedback page and the report hide the same
    figures, so together they give no more away than either alone."""
    period = world["period"]
    truth = true_counts(municipality, period, FEEDBACK)
    assert truth["Mijn klantmanager"] == 3
    result = attack(published["cells"], published["numbers"], FEEDBACK, period.code, "Mijn klantmanager", truth)
    assert 3 in result["with every true guess"]
    assert len(result["with every true guess"]) >= 2, result
