"""Caseload, integral dossier and team view for consultants and team leads.

Each small form of the dossier has its own view (`DossierSectionView` subclasses: form, service
call); `dossier_section` only routes the one URL pattern all sections share to them."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_http_methods, require_POST

from maatpak.accounts.policy import DOSSIER, PORTAL, Relation, permits, relation_for, require
from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_read, audit_read_participants, audit_record
from maatpak.casework.alerts import SIGNALS, caseload_signals
from maatpak.casework.caseload_search import (
    bsn_digits,
    contains_bsn_like,
    recall_bsn_search,
    remember_bsn_search,
    remember_mixed_search,
)
from maatpak.casework.charts import ladder_svg
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
    ReassignForm,
    SolAssessmentForm,
    WishForm,
    WorkExperienceForm,
    euros_to_cents,
)
from maatpak.casework.placement_forms import FollowUpForm, PlacementEndForm, PlacementHoursForm, PlacementRecordForm
from maatpak.casework.selectors import (
    caseload_filter,
    caseload_queryset,
    caseload_with_signals,
    participant_dossier,
    team_consultants,
    team_overview,
)
from maatpak.core.concurrency import service_arguments
from maatpak.core.errors import add_service_errors
from maatpak.core.views import form_router
from maatpak.employers.models import PlacementFollowUp
from maatpak.employers.selectors import employer_list, participant_placements
from maatpak.employers.services import follow_up_record, placement_change_hours, placement_end, placement_record
from maatpak.participants import services
from maatpak.participants.models import WishSource
from maatpak.participants.policies import dossier_policy, purpose_redirect
from maatpak.participants.selectors import competence_list, running_benefit
from maatpak.providers.selectors import provider_list
from maatpak.trajectories.models import TrajectoryStatus

PAGE_SIZE = 25


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
    require(request.user, DOSSIER, "list_caseload")
    if request.method == "POST":
        return redirect(_caseload_url(request.POST, request.session))
    today = timezone.localdate()
    consultants = team_consultants(user=request.user)
    providers = provider_list(user=request.user)
    bound = CaseloadFilterForm(request.GET or None, providers=providers, consultants=consultants)
    filters, ignored = _caseload_filters(bound, request.session)
    # Values that were not possible are left out of the form and of every link on the page.
    kept = request.GET.copy()
    for name in list(bound.errors) + [name for name in ("signal", "search") if request.GET.get(name) and not filters.get(name)]:
        kept.pop(name, None)
    form = CaseloadFilterForm(initial=kept.dict(), providers=providers, consultants=consultants) if ignored else bound
    rows, search = caseload_filter(caseload_queryset(user=request.user, consultant_id=filters.get("consultant")), filters)
    chosen_signal = filters.get("signal") or ""
    participants, counts = caseload_with_signals(rows, today=today, signal=chosen_signal, sort=filters.get("sort") or "")
    page = Paginator(participants, PAGE_SIZE).get_page(request.GET.get("page"))
    # The page shows rung, Sol group, status and signals per person: one read per participant
    # shown, linked to them; a search is also logged as such, with the participants it found by
    # id and never the search term itself (it may be a BSN).
    detail = {"total": len(participants), "page": page.number}
    purpose = "caseload"
    if search is not None:
        purpose = f"caseload {search.kind} search"
        audit_record(
            actor=request.user, action=AuditAction.SEARCH, purpose=purpose, detail={"participants": [p.pk for p in page], **detail}
        )
    audit_read_participants(actor=request.user, participants=page, purpose=purpose, detail=detail)
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
            # A team's caseload (a team lead's) shows and filters by consultant.
            "team_caseload": relation_for(request.user, DOSSIER, "list_caseload") == Relation.TEAM,
            "status_labels": dict(TrajectoryStatus.choices),
            "may_register": permits(request.user, DOSSIER, "register"),
        },
    )


@login_required
def team(request):
    """Team lead: caseload sizes, signals and consultant changes per consultant."""
    require(request.user, DOSSIER, "view_team_overview")
    rows = team_overview(user=request.user, today=timezone.localdate())
    audit_record(actor=request.user, action=AuditAction.READ, purpose="team overview")
    return render(request, "participants/team.html", {"rows": rows, "signal_labels": list(SIGNALS.values())})


# --- the integral dossier and its small forms ---------------------------------------------------


class DossierSectionView(LoginRequiredMixin, View):
    """One small form of the dossier and the one service behind it. With htmx the section is
    re-rendered in place (with errors or with the new row); without JavaScript the browser is
    sent back to the dossier, or gets the whole dossier with the refused form as a 400.

    A subclass declares `name` (URL segment and form prefix), `form_class` and either
    `service` (called with the form's data, its `version` as `expected_version`) or its own `save`."""

    http_method_names = ["post"]
    name: str
    form_class: type
    service = None
    # The section re-rendered after the form, when it is not the form's own (`name`).
    section = ""
    # The dossier action the user must be allowed on this participant (accounts.policy).
    policy_action = "change"

    @classmethod
    def shown_to(cls, user) -> bool:
        """Whether the dossier page shows this form to `user` at all."""
        return permits(user, DOSSIER, cls.policy_action)

    @classmethod
    def form_kwargs(cls, participant, user) -> dict:
        return {}

    @classmethod
    def build_form(cls, participant, user, data=None):
        return cls.form_class(data=data, prefix=cls.name, **cls.form_kwargs(participant, user))

    def save(self, *, actor, participant, data) -> None:
        type(self).service(actor=actor, participant=participant, **service_arguments(data))

    def post(self, request, pk):
        participant = dossier_policy.get(request.user, self.policy_action, pk)
        if asked := purpose_redirect(request, participant):
            return asked
        form = self.build_form(participant, request.user, data=request.POST)
        saved = False
        if form.is_valid():
            try:
                self.save(actor=request.user, participant=participant, data=form.cleaned_data)
                saved = True
            except ValidationError as exc:
                add_service_errors(form, exc)
        return _section_response(request, participant, self.name, form, saved)


class BenefitSection(DossierSectionView):
    name, form_class = "benefit", BenefitForm

    def save(self, *, actor, participant, data):
        services.benefit_record(
            actor=actor,
            participant=participant,
            type=data["type"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            monthly_amount_cents=euros_to_cents(data["monthly_amount"]),
            end_reason=data["end_reason"],
        )


class BenefitEndSection(DossierSectionView):
    # The end form sits in the benefit section.
    name, form_class, section = "benefit_end", BenefitEndForm, "benefit"

    @classmethod
    def form_kwargs(cls, participant, user):
        running = running_benefit(participant.benefits.filter(end_date__isnull=True).order_by("-start_date", "-id"))
        return {"initial": {"benefit": running.pk if running else None}}

    def save(self, *, actor, participant, data):
        services.benefit_end(
            actor=actor, participant=participant, benefit_id=data["benefit"], end_date=data["end_date"], end_reason=data["end_reason"]
        )


class ExemptionSection(DossierSectionView):
    name, form_class, service = "exemptions", ExemptionForm, services.exemption_record


class WishSection(DossierSectionView):
    name, form_class, service = "wishes", WishForm, services.wish_add


class DomainSection(DossierSectionView):
    name, form_class, service = "domains", DomainAssessmentForm, services.domain_assessment_add


class LadderSection(DossierSectionView):
    name, form_class, service = "ladder", LadderAssessmentForm, services.ladder_assessment_add


class SolSection(DossierSectionView):
    name, form_class, service = "sol", SolAssessmentForm, services.sol_assessment_add


class ContactSection(DossierSectionView):
    name, form_class, service = "contacts", ContactForm, services.contact_record


class CompetenceSection(DossierSectionView):
    name, form_class, service = "competences", CompetenceForm, services.competence_add

    @classmethod
    def form_kwargs(cls, participant, user):
        return {"catalogue": competence_list(user=user).exclude(holders__participant=participant)}


class EducationSection(DossierSectionView):
    name, form_class, service = "educations", EducationForm, services.education_add


class WorkSection(DossierSectionView):
    name, form_class, service = "work", WorkExperienceForm, services.work_experience_add


class PlacementSection(DossierSectionView):
    name, form_class, service = "placements", PlacementRecordForm, placement_record

    @classmethod
    def form_kwargs(cls, participant, user):
        return {"employers": employer_list(user=user)}


def _running_placements(participant):
    return participant.placements.filter(end_date__isnull=True).select_related("employer").order_by("-start_date", "-id")


class PlacementHoursSection(DossierSectionView):
    # The placement forms sit in the placements section.
    name, form_class, section = "placement_hours", PlacementHoursForm, "placements"

    @classmethod
    def form_kwargs(cls, participant, user):
        return {"placements": _running_placements(participant)}

    def save(self, *, actor, participant, data):
        placement = _running_placements(participant).get(pk=data["placement"])
        placement_change_hours(actor=actor, placement=placement, hours_per_week=data["hours_per_week"])


class PlacementEndSection(DossierSectionView):
    name, form_class, section = "placement_end", PlacementEndForm, "placements"

    @classmethod
    def form_kwargs(cls, participant, user):
        return {"placements": _running_placements(participant)}

    def save(self, *, actor, participant, data):
        placement = _running_placements(participant).get(pk=data["placement"])
        placement_end(actor=actor, placement=placement, end_date=data["end_date"], end_reason=data["end_reason"])


def _due_follow_ups(participant):
    """The participant's follow-up checks that are due and not recorded yet (work to do)."""
    return (
        PlacementFollowUp.objects.filter(
            placement__participant=participant, placement__end_date__isnull=True, checked_on__isnull=True, due_on__lte=timezone.localdate()
        )
        .select_related("placement__employer")
        .order_by("due_on", "id")
    )


class FollowUpSection(DossierSectionView):
    name, form_class, section = "follow_up", FollowUpForm, "placements"

    @classmethod
    def form_kwargs(cls, participant, user):
        return {"follow_ups": _due_follow_ups(participant)}

    def save(self, *, actor, participant, data):
        follow_up = _due_follow_ups(participant).select_related("placement__participant").get(pk=data.pop("follow_up"))
        follow_up_record(actor=actor, follow_up=follow_up, **data)


class ConsultantSection(DossierSectionView):
    """Another consultant for the participant (team lead); `version` guards against a change
    someone else saved meanwhile."""

    name, form_class, policy_action = "consultants", ReassignForm, "assign_consultant"
    service = services.participant_reassign_consultant

    @classmethod
    def form_kwargs(cls, participant, user):
        return {
            "consultants": team_consultants(user=user).exclude(pk=participant.consultant_id),
            "initial": {"version": participant.version},
        }


# The route table: URL segment -> the section's view.
SECTIONS = {
    view.name: view
    for view in (
        BenefitSection,
        BenefitEndSection,
        ExemptionSection,
        WishSection,
        DomainSection,
        LadderSection,
        SolSection,
        ContactSection,
        CompetenceSection,
        EducationSection,
        WorkSection,
        PlacementSection,
        PlacementHoursSection,
        PlacementEndSection,
        FollowUpSection,
        ConsultantSection,
    )
}
dossier_section = form_router(SECTIONS)


def _section_forms(participant, user) -> dict:
    """The dossier's small forms, unbound, for the sections the user may fill in."""
    return {name: view.build_form(participant, user) for name, view in SECTIONS.items() if view.shown_to(user)}


def _dossier_context(participant, user, today) -> dict:
    context = participant_dossier(participant, today=today)
    context["ladder_chart"] = ladder_svg(context["ladder"])
    context["forms"] = _section_forms(participant, user)
    # With their follow-up checks, so the placements section costs no query per placement.
    context["placements"] = participant_placements(participant)
    # The choices the dossier templates compare with (enums, not literal strings).
    context.update(TrajectoryStatus=TrajectoryStatus, WishSource=WishSource)
    # The portal-account part: whether this user may make an activation code (portal:activation_new).
    context["may_open_portal_account"] = permits(user, PORTAL, "open_account")
    return context


@login_required
def dossier(request, pk):
    participant = dossier_policy.get(request.user, "view", pk)
    if asked := purpose_redirect(request, participant):
        return asked
    audit_read(actor=request.user, obj=participant, purpose="integral dossier")
    today = timezone.localdate()
    context = _dossier_context(participant, request.user, today)
    context["signals"] = [SIGNALS[code] for code in caseload_signals([participant], today=today)[participant.pk]]
    return render(request, "participants/dossier.html", context)


@login_required
@require_POST
def competence_remove(request, pk, item_pk):
    participant = dossier_policy.get(request.user, "change", pk)
    if asked := purpose_redirect(request, participant):
        return asked
    # The removal has no fields of its own; its refusal ("no longer recorded") is shown at the
    # competence form, bound but empty so it can carry the error (an unbound form cannot).
    form = CompetenceSection.form_class(
        data={},
        prefix=CompetenceSection.name,
        empty_permitted=True,
        use_required_attribute=False,
        **CompetenceSection.form_kwargs(participant, request.user),
    )
    saved = False
    try:
        services.competence_remove(actor=request.user, participant=participant, participant_competence_id=item_pk)
        saved = True
    except ValidationError as exc:
        add_service_errors(form, exc)
    return _section_response(request, participant, CompetenceSection.name, form, saved)


def _section_response(request, participant, name, form, saved):
    """After form `name`: back to the dossier, or its section (htmx) or whole page re-rendered."""
    shown = SECTIONS[name].section or name
    if saved and not request.htmx:
        return redirect(reverse("participants:dossier", args=[participant.pk]) + f"#{shown}")
    # Re-read: the section shows the new row (or the consultant change) straight away.
    participant.refresh_from_db()
    context = _dossier_context(participant, request.user, timezone.localdate())
    if not saved:
        context["forms"][name] = form
    context["saved"] = saved
    # What is rendered here is dossier data too (the whole dossier without htmx, one section
    # with it), so it is logged as a read like the dossier page itself.
    audit_read(actor=request.user, obj=participant, purpose=f"dossier section {shown}" if request.htmx else "integral dossier")
    template = f"participants/sections/{shown}.html" if request.htmx else "participants/dossier.html"
    # htmx swaps 200 responses only; without JavaScript a refused form is a 400 page.
    return render(request, template, context, status=200 if saved or request.htmx else 400)
