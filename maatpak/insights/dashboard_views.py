"""The municipal dashboard (gemeentelijk dashboard): every registered indicator for a quarter,
with the quarter before it beside it and a trend over eight quarters, for policy officers and
team leads; and the list of people behind one figure (for roles that may see people).

The figures come from the indicator registry only (`insights.indicators`); this module chooses
the quarter and the municipalities, arranges the results and draws the trends. The dashboard
shows the whole municipality; the list behind a figure shows only the people the user may open
(a team lead: their team) and says how many others there are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from maatpak.accounts.policy import AGGREGATES, permits, require
from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_read_participants, audit_record
from maatpak.insights.dashboard_charts import TrendPoint, trend_chart
from maatpak.insights.indicators.base import (
    TOTAL_KEY,
    AmountKind,
    Facts,
    Indicator,
    Period,
    Result,
    Row,
    Theme,
    all_indicators,
    get_indicator,
)
from maatpak.participants.policies import dossier_policy

TREND_LENGTH = 8  # quarters in a trend, and quarters offered in the form
PEOPLE_PAGE_SIZE = 100


# --- choosing the quarter and the municipalities ----------------------------------------------


def offered_periods(*, today) -> list[Period]:
    """The last eight quarters that have ended on `today`, newest first (kwartalen)."""
    return Period.ended(today, TREND_LENGTH)


class DashboardForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Quarter"),
        required=False,
        error_messages={"invalid_choice": _("This quarter cannot be chosen. You now see the last quarter that has ended.")},
    )
    municipality = forms.ChoiceField(
        label=_("Municipality"),
        required=False,
        error_messages={
            "invalid_choice": _("You do not work for this municipality. You now see the figures of all your municipalities together.")
        },
    )

    def __init__(self, *args, periods, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(p.code, p.label) for p in periods]
        self.fields["municipality"].choices = [("", _("All together"))] + [(str(m.pk), m.name) for m in municipalities]


@dataclass
class Choice:
    """What the user chose, after checking: the quarter, the municipalities whose figures are
    shown, and the one municipality chosen (None: all of the user's together)."""

    form: DashboardForm
    period: Period
    municipality_ids: list[int]
    municipality: object | None
    show_municipality: bool


def dashboard_choice(*, user, params, today) -> Choice:
    """The quarter and municipalities from the GET parameters `period` and `municipality`; a
    value that is not on offer gives a form error and the default (the latest ended quarter,
    all the user's municipalities together) — never another municipality's figures."""
    periods = offered_periods(today=today)
    municipalities = list(user.municipalities.order_by("name", "pk"))
    data = {key: params[key] for key in ("period", "municipality") if key in params}
    form = DashboardForm(data or None, periods=periods, municipalities=municipalities, initial={"period": periods[0].code})
    cleaned = {}
    if form.is_bound:
        form.is_valid()  # cleaned_data then holds the valid fields only: a bad quarter keeps a good municipality
        cleaned = form.cleaned_data
    period = Period.parse(cleaned.get("period") or "") or periods[0]
    chosen = next((m for m in municipalities if str(m.pk) == cleaned.get("municipality")), None)
    ids = [chosen.pk] if chosen else [m.pk for m in municipalities]
    return Choice(form=form, period=period, municipality_ids=ids, municipality=chosen, show_municipality=len(municipalities) > 1)


# --- arranging the results --------------------------------------------------------------------


@dataclass
class Cell:
    """One figure in the table: `kind` is count, share or amount; `url` the people behind a
    count (only for roles that may see them)."""

    kind: str
    value: object = None
    base: int | None = None
    url: str = ""


@dataclass
class TableRow:
    key: str
    label: str
    cells: list[Cell]
    is_total: bool = False


@dataclass
class IndicatorPanel:
    """One indicator on the dashboard: its definition, the table (this quarter and the one
    before, per breakdown row), and the trend of the total over eight quarters."""

    indicator: Indicator
    result: Result
    previous: Result
    headers: list[str]
    rows: list[TableRow]
    has_share: bool
    trend: list[TrendPoint]
    chart: str
    trend_heading: str = ""


@dataclass
class ThemeSection:
    value: str
    label: str
    panels: list[IndicatorPanel] = field(default_factory=list)


def share_percent(share: float | None) -> int | None:
    """A share as a whole percentage, rounded half up (0.125 → 13)."""
    return None if share is None else int(share * 100 + 0.5)


def short_label(period: Period) -> str:
    return pgettext("short period", "Q%(number)s '%(year)s") % {"number": period.number, "year": f"{period.year % 100:02d}"}


def trend_points(results: list[Result]) -> list[TrendPoint]:
    """The total row per quarter: its share when the indicator has a base, else its count."""
    points = []
    for result in results:
        total = result.total
        if total.base is not None:
            percent = share_percent(total.share)
            points.append(TrendPoint(short_label(result.period), total.share, "–" if percent is None else f"{percent} %"))
        else:
            points.append(TrendPoint(short_label(result.period), total.count, str(total.count)))
    return points


def _cells(item: Indicator, row: Row | None, *, has_share: bool, url: str) -> list[Cell]:
    if row is None:  # a category the other quarter did not have (indicators should list them all)
        row = Row("", "", 0)
    cells = [Cell("count", row.count, url=url if row.count else "")]
    if has_share:
        cells.append(Cell("share", share_percent(row.share), base=row.base))
    if item.amount_kind != AmountKind.NONE:
        cells.append(Cell(str(item.amount_kind), row.amount))
    return cells


def indicator_panel(*, item: Indicator, results: list[Result], people_url=None) -> IndicatorPanel:
    """The panel of one indicator from its results over the trend quarters (oldest first; the
    last is the chosen quarter). `people_url(code, period_code, row_key)` links a count to
    the people behind it; None for users who may not see people."""
    result, previous = results[-1], results[-2]
    current_rows = [*result.rows, result.total]
    has_share = any(row.base is not None for row in [*current_rows, *previous.rows, previous.total])
    headers = []
    for period in (result.period, previous.period):
        headers.append(_t("Number %(period)s") % {"period": period.label})
        if has_share:
            headers.append(_t("Share %(period)s") % {"period": period.label})
        if item.amount_kind != AmountKind.NONE:
            headers.append(f"{item.amount_label or AmountKind(item.amount_kind).label} {period.label}")

    def link(period, key):
        return people_url(item.code, period.code, key) if people_url and item.drill_down else ""

    before = {row.key: row for row in previous.rows}
    rows = []
    for row in current_rows:
        is_total = row is result.total
        other = previous.total if is_total else before.get(row.key)
        cells = _cells(item, row, has_share=has_share, url=link(result.period, row.key))
        cells += _cells(item, other, has_share=has_share, url=link(previous.period, row.key))
        rows.append(TableRow(key=row.key, label=row.label, cells=cells, is_total=is_total))
    points = trend_points(results)
    share = result.total.base is not None
    alt = (
        _t("Trend of the share over eight quarters: %(title)s") if share else _t("Trend of the number over eight quarters: %(title)s")
    ) % {"title": item.title}
    return IndicatorPanel(
        indicator=item,
        result=result,
        previous=previous,
        headers=headers,
        rows=rows,
        has_share=has_share,
        trend=points,
        chart=trend_chart(points, label=alt, share=share),
        trend_heading=_t("Share") if share else _t("Number"),
    )


def dashboard_sections(*, facts: Facts, period: Period, people_url=None, indicators=None) -> list[ThemeSection]:
    """Every indicator, by theme, evaluated once per trend quarter; the quarter itself and the
    one before are the last two of the trend, so nothing is computed twice."""
    quarters = period.trend(TREND_LENGTH)
    sections = {value: ThemeSection(value, str(label)) for value, label in Theme.choices}
    for item in indicators or all_indicators():
        results = [item.evaluate(facts, quarter) for quarter in quarters]
        sections[item.theme].panels.append(indicator_panel(item=item, results=results, people_url=people_url))
    return [section for section in sections.values() if section.panels]


# --- the views --------------------------------------------------------------------------------


def _query(choice: Choice) -> str:
    return "?" + urlencode({"municipality": choice.municipality.pk}) if choice.municipality else ""


@login_required
def dashboard(request):
    require(request.user, AGGREGATES, "view_indicators")
    today = timezone.localdate()
    choice = dashboard_choice(user=request.user, params=request.GET, today=today)
    people_url = None
    if permits(request.user, AGGREGATES, "view_people_behind_figures"):
        suffix = _query(choice)

        def people_url(code, period_code, key):
            return reverse("insights:figure_people", args=[code, period_code, key]) + suffix

    facts = Facts(municipality_ids=choice.municipality_ids, today=today)
    sections = dashboard_sections(facts=facts, period=choice.period, people_url=people_url)
    audit_record(
        actor=request.user,
        action=AuditAction.READ,
        purpose="indicator dashboard",
        municipality_id=choice.municipality.pk if choice.municipality else None,
        detail={"period": choice.period.code, "municipalities": choice.municipality_ids},
    )
    return render(
        request,
        "insights/dashboard.html",
        {
            "choice": choice,
            "form": choice.form,
            "sections": sections,
            "period": choice.period,
            "previous": choice.period.previous(),
            "can_see_people": people_url is not None,
            "can_export_statistics": permits(request.user, AGGREGATES, "export_statistics"),
            "can_open_council_report": permits(request.user, AGGREGATES, "view_council_report"),
        },
    )


def figure_row(*, item: Indicator, facts: Facts, period: Period, key: str) -> Row | None:
    """The row `key` (or the total) of `item` for `period`, recomputed; None if there is none."""
    result = item.evaluate(facts, period)
    if key == TOTAL_KEY:
        return result.total
    return next((row for row in result.rows if row.key == key), None)


def visible_people(*, user, people: frozenset[int]) -> list[tuple[int, str, str]]:
    """The ids of `people` the user may open (the dossier policy: a team lead's team), with
    their names for sorting. The team's ids are read and intersected here rather than sending
    thousands of ids to the database."""
    reachable = dossier_policy.instances_for(user, "view").values_list("pk", "last_name", "first_name")
    return sorted((row for row in reachable if row[0] in people), key=lambda row: (row[1].lower(), row[2].lower(), row[0]))


def _dashboard_url(choice: Choice, period: Period, *, today) -> str:
    params = {"period": period.code} if period in offered_periods(today=today) else {}
    if choice.municipality:
        params["municipality"] = choice.municipality.pk
    return reverse("insights:dashboard") + ("?" + urlencode(params) if params else "")


@login_required
def figure_people(request, code, period, row):
    require(request.user, AGGREGATES, "view_indicators")
    # The row says who may see people behind a figure; which people is the dossier policy's.
    require(request.user, AGGREGATES, "view_people_behind_figures")
    today = timezone.localdate()
    item = get_indicator(code)
    quarter = Period.parse(period)
    if item is None or not item.drill_down or quarter is None or quarter > Period.last_ended(today):
        raise Http404
    choice = dashboard_choice(user=request.user, params=request.GET, today=today)
    if choice.form.is_bound and "municipality" in choice.form.errors:
        raise Http404
    facts = Facts(municipality_ids=choice.municipality_ids, today=today)
    figure = figure_row(item=item, facts=facts, period=quarter, key=row)
    if figure is None:
        raise Http404
    shown = visible_people(user=request.user, people=figure.people)
    page = Paginator(shown, PEOPLE_PAGE_SIZE).get_page(request.GET.get("page"))
    participants = list(
        dossier_policy.instances_for(request.user, "view").filter(pk__in=[pk for pk, *_names in page]).select_related("consultant")
    )
    order = {pk: index for index, (pk, *_names) in enumerate(page)}
    participants.sort(key=lambda p: order[p.pk])
    audit_read_participants(
        actor=request.user,
        participants=participants,
        purpose="indicator figure",
        detail={"indicator": item.code, "period": quarter.code, "row": row, "page": page.number, "total": len(shown)},
    )
    return render(
        request,
        "insights/figure_people.html",
        {
            "indicator": item,
            "period": quarter,
            "figure": figure,
            "is_total": row == TOTAL_KEY,
            "participants": participants,
            "page": page,
            "shown": len(shown),
            "hidden": len(figure.people) - len(shown),
            "municipality": choice.municipality,
            "dashboard_url": _dashboard_url(choice, quarter, today=today),
            "query": urlencode({"municipality": choice.municipality.pk}) if choice.municipality else "",
        },
    )
