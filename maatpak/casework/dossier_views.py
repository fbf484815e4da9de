"""Caseload, integral dossier and team view for consultants and team leads."""

from collections import defaultdict

from dateutil.relativedelta import relativedelta
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from maatpak.accounts.models import User
from maatpak.accounts.roles import Role
from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_read, audit_record
from maatpak.casework.alerts import SIGNALS, caseload_signals
from maatpak.casework.caseload_search import (
    bsn_digits,
    contains_bsn_like,
    recall_bsn_search,
    remember_bsn_search,
    remember_mixed_search,
)
from maatpak.casework.dossier_forms import (
    BenefitEndForm,
    BenefitForm,
    CaseloadFilterForm,
    CompetenceForm,
    ContactForm,
    DomainAssessmentForm,
    EducationForm,
    ExemptionForm,
    LadderAssessmentForm,
    PlacementForm,
    ReassignForm,
    SolAssessmentForm,
    WishForm,
    WorkExperienceForm,
    euros_to_cents,
)
from maatpak.casework.selectors import caseload_filter, caseload_queryset, participant_dossier
from maatpak.employers.selectors import employer_list
from maatpak.employers.services import placement_record
from maatpak.participants import services
from maatpak.participants.models import ConsultantAssignment
from maatpak.participants.policies import dossier_policy
from maatpak.participants.selectors import competence_list, running_benefit
from maatpak.providers.selectors import provider_list
from maatpak.trajectories.models import TrajectoryStatus

CASELOAD_ROLES = (Role.CONSULTANT, Role.TEAM_LEAD)
PAGE_SIZE = 25


def _require_caseload_role(user):
    if user.role not in CASELOAD_ROLES:
        raise PermissionDenied


def _team_consultants(user):
    if user.role == Role.TEAM_LEAD and user.team_id:
        return User.objects.filter(role=Role.CONSULTANT, team_id=user.team_id).order_by("last_name")
    return User.objects.none()


# The caseload form's fields that travel in the URL. `q` travels only when it is not a BSN.
FILTER_FIELDS = ("rung", "sol", "status", "provider", "consultant", "signal", "sort")


def _caseload_url(data, session) -> str:
    """The caseload URL for submitted search and filter values. A BSN is replaced by the
    opaque key of a search kept in the session, so it never appears in any URL or log."""
    params = QueryDict(mutable=True)
    for name in FILTER_FIELDS:
        value = (data.get(name) or "").strip()
        if value:
            params[name] = value
    query = (data.get("q") or "").strip()
    digits = bsn_digits(query)
    if digits:
        params["search"] = remember_bsn_search(session, digits)
    elif contains_bsn_like(query):
        params["search"] = remember_mixed_search(session)
    elif query:
        params["q"] = query
    elif data.get("search"):
        # Changing a filter or the sort keeps the BSN search that is on screen.
        params["search"] = data["search"]
    url = reverse("participants:caseload")
    return f"{url}?{params.urlencode()}" if params else url


def _caseload_filters(form, session):
    """The valid search, filter and sort values, and a Dutch message for each value that was
    not possible and is ignored (only that one: the others still apply)."""
    if not form.is_bound:
        return {}, []
    form.is_valid()
    filters = dict(form.cleaned_data)
    ignored = []
    for name in form.errors:
        if name in form.fields and form.fields[name].label:
            ignored.append(_("The chosen value for “%(field)s” is not possible and was ignored.") % {"field": form.fields[name].label})
        elif name == "search":
            # A mangled key: the same as one that expired.
            ignored.append(_("This BSN search has expired. Search again."))
    if filters.get("signal") and filters["signal"] not in SIGNALS:
        ignored.append(_("This signal does not exist and was ignored."))
        filters["signal"] = ""
    if filters.get("search"):
        filters["bsn_search"] = recall_bsn_search(session, filters["search"])
        if filters["bsn_search"] is None:
            ignored.append(_("This BSN search has expired. Search again."))
            filters["search"] = ""
    return filters, ignored


@require_http_methods(["GET", "POST"])
def caseload(request):
    """Start page for consultants: the caseload with signal counts, search, filters, sorting.

    The search form is POSTed and answered with a redirect (post/redirect/get): names and
    filters go into the URL as usual, a BSN only as an opaque session key."""
    if request.method == "GET" and contains_bsn_like(request.GET.get("q")):
        # A BSN typed into the address bar or an old bookmark is moved out of the URL at once,
        # before the login check: otherwise it would travel on in /login/?next=... (The key
        # survives logging in: Django keeps the session's data when it renews its id.)
        return redirect(_caseload_url(request.GET, request.session))
    return _caseload(request)


@login_required
def _caseload(request):
    _require_caseload_role(request.user)
    if request.method == "POST":
        return redirect(_caseload_url(request.POST, request.session))
    today = timezone.localdate()
    consultants = _team_consultants(request.user)
    providers = provider_list(user=request.user)
    bound = CaseloadFilterForm(request.GET or None, providers=providers, consultants=consultants)
    filters, ignored = _caseload_filters(bound, request.session)
    # Values that were not possible are left out of the form and of every link on the page.
    kept = request.GET.copy()
    for name in list(bound.errors) + [name for name in ("signal", "search") if request.GET.get(name) and not filters.get(name)]:
        kept.pop(name, None)
    form = CaseloadFilterForm(initial=kept.dict(), providers=providers, consultants=consultants) if ignored else bound
    rows = caseload_queryset(user=request.user, consultant_id=filters.get("consultant"))
    rows, search = caseload_filter(rows, filters)
    participants = list(rows)
    signals = caseload_signals(participants, today=today)
    counts = {code: sum(1 for codes in signals.values() if code in codes) for code in SIGNALS}
    chosen_signal = filters.get("signal") or ""
    if chosen_signal:
        participants = [p for p in participants if chosen_signal in signals[p.pk]]
    if filters.get("sort") == "signals":
        participants.sort(key=lambda p: -len(signals[p.pk]))
    page = Paginator(participants, PAGE_SIZE).get_page(request.GET.get("page"))
    for p in page:
        p.signal_codes = signals[p.pk]
        p.age = relativedelta(today, p.birth_date).years
    # One event per page view: the page shows rung, Sol group, status and signals per person.
    # The participants shown are listed by id; the search term itself never (it may be a BSN).
    detail = {"participants": [p.pk for p in page], "total": len(participants), "page": page.number}
    if search is not None:
        audit_record(actor=request.user, action=AuditAction.SEARCH, purpose=f"caseload {search.kind} search", detail=detail)
    else:
        audit_record(actor=request.user, action=AuditAction.READ, purpose="caseload", detail=detail)
    kept.pop("page", None)
    signal_params = kept.copy()
    signal_params.pop("signal", None)
    unsearched = kept.copy()
    unsearched.pop("search", None)
    stored = filters.get("bsn_search")
    return render(
        request,
        "participants/caseload.html",
        {
            "form": form,
            "page": page,
            "total": len(participants),
            "signal_counts": [(code, SIGNALS[code], counts[code]) for code in SIGNALS],
            "signal_labels": SIGNALS,
            "chosen_signal": chosen_signal,
            "query_string": kept.urlencode(),
            "signal_query": signal_params.urlencode(),
            "search_error": search.error if search is not None else "",
            "ignored": ignored,
            "bsn_search_last_digits": stored.get("last_digits", "") if stored else "",
            "unsearched_query": unsearched.urlencode(),
            "is_team_lead": request.user.role == Role.TEAM_LEAD,
            "status_labels": dict(TrajectoryStatus.choices),
        },
    )


@login_required
def team(request):
    """Team lead: caseload sizes, signals and consultant changes per consultant."""
    if request.user.role != Role.TEAM_LEAD:
        raise PermissionDenied
    today = timezone.localdate()
    participants = list(caseload_queryset(user=request.user))
    signals = caseload_signals(participants, today=today)
    since = today - relativedelta(months=24)
    # A change is every assignment after a participant's first one, counted when it started
    # within the window (continuity is a quality measure, DOMAIN §9).
    changes = defaultdict(int)
    seen = set()
    assignments = ConsultantAssignment.objects.filter(participant__in=[p.pk for p in participants]).order_by(
        "participant_id", "start_date", "id"
    )
    for participant_id, start_date in assignments.values_list("participant_id", "start_date"):
        if participant_id in seen and start_date >= since:
            changes[participant_id] += 1
        seen.add(participant_id)
    by_consultant = defaultdict(list)
    for p in participants:
        by_consultant[p.consultant_id].append(p)
    rows = []
    for consultant in _team_consultants(request.user):
        mine = by_consultant[consultant.pk]
        distribution = [0, 0, 0, 0]
        counts = dict.fromkeys(SIGNALS, 0)
        for p in mine:
            distribution[min(changes[p.pk], 3)] += 1
            for code in signals[p.pk]:
                counts[code] += 1
        rows.append({"consultant": consultant, "size": len(mine), "signals": list(counts.items()), "changes": distribution})
    audit_record(actor=request.user, action=AuditAction.READ, purpose="team overview")
    return render(request, "participants/team.html", {"rows": rows, "signal_labels": list(SIGNALS.values())})


def _section_forms(participant, user, data=None, only=None):
    """The small edit forms of the dossier, unbound, or one of them bound to `data`."""
    builders = {
        "benefit": lambda **kw: BenefitForm(**kw),
        "benefit_end": lambda **kw: BenefitEndForm(initial={"benefit": _running_benefit_id(participant)}, **kw),
        "exemptions": lambda **kw: ExemptionForm(**kw),
        "wishes": lambda **kw: WishForm(**kw),
        "domains": lambda **kw: DomainAssessmentForm(**kw),
        "ladder": lambda **kw: LadderAssessmentForm(**kw),
        "sol": lambda **kw: SolAssessmentForm(**kw),
        "contacts": lambda **kw: ContactForm(**kw),
        "competences": lambda **kw: CompetenceForm(catalogue=competence_list(user=user).exclude(holders__participant=participant), **kw),
        "educations": lambda **kw: EducationForm(**kw),
        "work": lambda **kw: WorkExperienceForm(**kw),
        "placements": lambda **kw: PlacementForm(employers=employer_list(user=user), **kw),
    }
    if user.role == Role.TEAM_LEAD:
        builders["consultants"] = lambda **kw: ReassignForm(
            consultants=_team_consultants(user).exclude(pk=participant.consultant_id), initial={"version": participant.version}, **kw
        )
    if only is not None:
        return builders[only](data=data, prefix=only) if only in builders else None
    return {name: build(prefix=name) for name, build in builders.items()}


def _running_benefit_id(participant):
    running = running_benefit(participant.benefits.filter(end_date__isnull=True).order_by("-start_date", "-id"))
    return running.pk if running else None


# Forms that re-render another section than their own name (the end form sits in the benefit section).
SECTION_OF_FORM = {"benefit_end": "benefit"}


def _save_section(section, *, user, participant, data):
    """Call the one service behind each form."""
    if section == "benefit":
        services.benefit_record(
            actor=user,
            participant=participant,
            type=data["type"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            monthly_amount_cents=euros_to_cents(data["monthly_amount"]),
            end_reason=data["end_reason"],
        )
    elif section == "benefit_end":
        services.benefit_end(
            actor=user, participant=participant, benefit_id=data["benefit"], end_date=data["end_date"], end_reason=data["end_reason"]
        )
    elif section == "exemptions":
        services.exemption_record(
            actor=user, participant=participant, reason=data["reason"], start_date=data["start_date"], end_date=data["end_date"]
        )
    elif section == "wishes":
        services.wish_add(actor=user, participant=participant, kind=data["kind"], text=data["text"])
    elif section == "domains":
        services.domain_assessment_add(actor=user, participant=participant, **data)
    elif section == "ladder":
        services.ladder_assessment_add(actor=user, participant=participant, **data)
    elif section == "sol":
        services.sol_assessment_add(actor=user, participant=participant, **data)
    elif section == "contacts":
        services.contact_record(actor=user, participant=participant, **data)
    elif section == "competences":
        services.competence_add(actor=user, participant=participant, **data)
    elif section == "educations":
        services.education_add(actor=user, participant=participant, **data)
    elif section == "work":
        services.work_experience_add(actor=user, participant=participant, **data)
    elif section == "placements":
        placement_record(actor=user, participant=participant, **data)
    elif section == "consultants":
        services.participant_reassign_consultant(
            actor=user, participant=participant, consultant=data["consultant"], reason=data["reason"], expected_version=data["version"]
        )


def _ladder_svg(ladder) -> str:
    """A small step chart of the ladder history as inline SVG (a table next to it is the
    text alternative)."""
    if not ladder:
        return ""
    width, height, pad = 320, 120, 24
    first, last = ladder[0].assessed_on, ladder[-1].assessed_on
    span = max(1, (last - first).days)
    points = []
    for row in ladder:
        x = pad + (width - 2 * pad) * ((row.assessed_on - first).days / span if len(ladder) > 1 else 0.5)
        y = height - pad - (height - 2 * pad) * (row.rung - 1) / 5
        points.append((x, y, row))
    path = " ".join(f"{x:.0f},{y:.0f}" for x, y, _row in points)
    dots = "".join(
        f'<circle cx="{x:.0f}" cy="{y:.0f}" r="4" fill="#0b4f8a"><title>{r.assessed_on:%d-%m-%Y}: {r.rung}</title></circle>'
        for x, y, r in points
    )
    grid = "".join(
        f'<text x="4" y="{height - pad - (height - 2 * pad) * (k - 1) / 5 + 4:.0f}" font-size="10" fill="#4a4a4a">{k}</text>'
        for k in range(1, 7)
    )
    return (
        f'<svg aria-hidden="true" focusable="false" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#f3f5f8"/>{grid}'
        f'<polyline points="{path}" fill="none" stroke="#0b4f8a" stroke-width="2"/>{dots}</svg>'
    )


@login_required
def dossier(request, pk):
    participant = dossier_policy.get(request.user, "view", pk)
    audit_read(actor=request.user, obj=participant, purpose="integral dossier")
    today = timezone.localdate()
    context = participant_dossier(participant, today=today)
    context["ladder_chart"] = _ladder_svg(context["ladder"])
    context["signals"] = [SIGNALS[code] for code in caseload_signals([participant], today=today)[participant.pk]]
    context["forms"] = _section_forms(participant, request.user)
    return render(request, "participants/dossier.html", context)


@login_required
@require_POST
def dossier_section(request, pk, section):
    """Save one small dossier form. With htmx the section is re-rendered in place (with errors
    or with the new row); without JavaScript the browser is sent back to the dossier."""
    participant = dossier_policy.get(request.user, "view", pk)
    form = _section_forms(participant, request.user, data=request.POST, only=section)
    if form is None:
        raise Http404
    saved = False
    if form.is_valid():
        try:
            _save_section(section, user=request.user, participant=participant, data=form.cleaned_data)
            saved = True
        except ValidationError as exc:
            _add_service_errors(form, exc)
    return _section_response(request, participant, section, form, saved)


@login_required
@require_POST
def competence_remove(request, pk, item_pk):
    participant = dossier_policy.get(request.user, "view", pk)
    form = _section_forms(participant, request.user, only="competences")
    saved = False
    try:
        services.competence_remove(actor=request.user, participant=participant, participant_competence_id=item_pk)
        saved = True
    except ValidationError as exc:
        _add_service_errors(form, exc)
    return _section_response(request, participant, "competences", form, saved)


def _add_service_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _section_response(request, participant, section, form, saved):
    shown = SECTION_OF_FORM.get(section, section)
    if saved and not request.htmx:
        return redirect(reverse("participants:dossier", args=[participant.pk]) + f"#{shown}")
    # Re-read: the section shows the new row (or the consultant change) straight away.
    participant.refresh_from_db()
    context = participant_dossier(participant, today=timezone.localdate())
    context["ladder_chart"] = _ladder_svg(context["ladder"])
    context["forms"] = _section_forms(participant, request.user)
    if not saved:
        context["forms"][section] = form
    context["saved"] = saved
    # What is rendered here is dossier data too (the whole dossier without htmx, one section
    # with it), so it is logged as a read like the dossier page itself.
    audit_read(actor=request.user, obj=participant, purpose=f"dossier section {shown}" if request.htmx else "integral dossier")
    template = f"participants/sections/{shown}.html" if request.htmx else "participants/dossier.html"
    # htmx swaps 200 responses only; without JavaScript a refused form is a 400 page.
    return render(request, template, context, status=200 if saved or request.htmx else 400)
