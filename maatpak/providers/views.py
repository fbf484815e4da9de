"""Provider portal and the report view for everyone who may read a report.

Each step in a referral's life has its own view (accept, decline, intake, start, progress
report, end report); each binds only its own form and calls its own service in
`trajectories.referrals`. A refusal re-renders the referral page with that form and its errors.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maatpak.accounts.policy import REFERRAL, is_provider_staff, require
from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_read, audit_record
from maatpak.core.errors import add_service_errors
from maatpak.providers.access import referral_view
from maatpak.providers.forms import DeclineForm, EndReportForm, IntakeForm, ProgressReportForm, StartForm, VersionForm
from maatpak.providers.pdf import report_pdf_response
from maatpak.providers.selectors import provider_overdue
from maatpak.trajectories import referrals
from maatpak.trajectories.models import EndReport, ReportCopy, ReportKind
from maatpak.trajectories.policies import provider_visible_goal_progress
from maatpak.trajectories.reporting import owes_end_report_after_close
from maatpak.trajectories.selectors import provider_referrals, referral_get, report_get


@login_required
def portal(request):
    """Provider staff: their referrals and their own overdue list."""
    require(request.user, REFERRAL, "work_on")
    rows = list(
        provider_referrals(user=request.user)
        .select_related("end_report")
        .prefetch_related("progress_reports")
        .order_by("status", "-proposed_on")
    )
    overdue = provider_overdue(rows, today=timezone.localdate())
    audit_record(actor=request.user, action=AuditAction.READ, purpose="provider referral list", detail={"referrals": len(rows)})
    return render(request, "providers/portal.html", {"referrals": rows, "overdue": overdue, "provider": request.user.provider})


def _blank_forms(referral, goals) -> dict:
    """The page's forms, one per step, unbound."""
    initial = {"version": referral.version}
    return {
        "accept": VersionForm(initial=initial, prefix="accept"),
        "decline": DeclineForm(initial=initial, prefix="decline"),
        "intake": IntakeForm(initial=initial, prefix="intake"),
        "start": StartForm(initial=initial, prefix="start"),
        "progress": ProgressReportForm(prefix="progress", goals=goals),
        # After the trajectory closed, the end date is the closing date (referrals.end_report_submit).
        "end": EndReportForm(initial={**initial, **({"ended_on": referral.ended_on} if referral.ended_on else {})}, prefix="end"),
    }


def _referral_page(request, ref, *, bound=None, error_section=None, status=200):
    view = referral_view(ref)
    forms = _blank_forms(ref, view["goals"])
    if bound is not None:
        forms[error_section] = bound
    context = {
        "ref": ref,
        "view": view,
        "forms": forms,
        "reports": ref.progress_reports.order_by("-submitted_on"),
        "end_report": EndReport.objects.filter(referral=ref).first(),
        "owes_end_report": owes_end_report_after_close(ref),
        "error_section": error_section,
    }
    return render(request, "providers/referral.html", context, status=status)


@login_required
def referral(request, pk):
    require(request.user, REFERRAL, "work_on")
    ref = referral_get(user=request.user, pk=pk)
    audit_read(actor=request.user, obj=ref, purpose="provider referral")
    return _referral_page(request, ref)


def _step(request, pk, name: str, make_form, run, message: str):
    """One step on a referral: bind the step's form, call its service, and either go back to
    the referral page with `message` or show the page again with the form's errors (400)."""
    require(request.user, REFERRAL, "work_on")
    ref = referral_get(user=request.user, pk=pk)
    form = make_form(ref, request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("")
        run(request.user, ref, form)
    except ValidationError as exc:
        add_service_errors(form, exc)
        ref.refresh_from_db()
        return _referral_page(request, ref, bound=form, error_section=name, status=400)
    messages.success(request, message)
    return redirect("providers:referral", pk=pk)


def _form(form_class, prefix):
    """The step's form, bound to the POST under its prefix (as the page renders it)."""
    return lambda ref, data: form_class(data, prefix=prefix)


@login_required
@require_POST
def referral_accept(request, pk, name="accept"):
    return _step(
        request,
        pk,
        "accept",
        _form(VersionForm, "accept"),
        lambda actor, ref, form: referrals.referral_accept(actor=actor, referral=ref, expected_version=form.cleaned_data["version"]),
        _("You have accepted the referral. Plan the intake."),
    )


@login_required
@require_POST
def referral_decline(request, pk, name="decline"):
    return _step(
        request,
        pk,
        "decline",
        _form(DeclineForm, "decline"),
        lambda actor, ref, form: referrals.referral_decline(
            actor=actor, referral=ref, reason=form.cleaned_data["reason"], expected_version=form.cleaned_data["version"]
        ),
        _("You have declined the referral. The consultant sees your reason."),
    )


@login_required
@require_POST
def referral_intake(request, pk, name="intake"):
    return _step(
        request,
        pk,
        "intake",
        _form(IntakeForm, "intake"),
        lambda actor, ref, form: referrals.referral_record_intake(
            actor=actor, referral=ref, intake_on=form.cleaned_data["intake_on"], expected_version=form.cleaned_data["version"]
        ),
        _("The intake has been recorded."),
    )


@login_required
@require_POST
def referral_start(request, pk, name="start"):
    return _step(
        request,
        pk,
        "start",
        _form(StartForm, "start"),
        lambda actor, ref, form: referrals.referral_start(
            actor=actor, referral=ref, started_on=form.cleaned_data["started_on"], expected_version=form.cleaned_data["version"]
        ),
        _("The start has been recorded."),
    )


def _submit_progress(actor, ref, form):
    data = {key: value for key, value in form.cleaned_data.items() if key not in form.goal_fields}
    referrals.progress_report_submit(actor=actor, referral=ref, goal_progress=form.goal_progress(), **data)


@login_required
@require_POST
def referral_progress_report(request, pk, name="progress"):
    return _step(
        request,
        pk,
        "progress",
        lambda ref, data: ProgressReportForm(data, prefix="progress", goals=referral_view(ref)["goals"]),
        _submit_progress,
        _("The progress report has been sent. The consultant sees it now, and the participant gets a copy in the portal."),
    )


def _submit_end_report(actor, ref, form):
    data = dict(form.cleaned_data)
    referrals.end_report_submit(actor=actor, referral=ref, expected_version=data.pop("version"), **data)


@login_required
@require_POST
def referral_end_report(request, pk, name="end"):
    return _step(
        request,
        pk,
        "end",
        _form(EndReportForm, "end"),
        _submit_end_report,
        _("The end report has been sent and the referral has ended. The participant gets a copy in the portal."),
    )


@login_required
def report_detail(request, kind, pk):
    """A provider's report, for the participant's consultant or team lead (and its author's provider)."""
    report = report_get(user=request.user, kind=kind, pk=pk)
    audit_read(actor=request.user, obj=report, purpose="report")
    for_provider = is_provider_staff(request.user)
    goal_progress = []
    if kind == ReportKind.PROGRESS:
        goal_progress = provider_visible_goal_progress(report) if for_provider else list(report.goal_progress.all())
    # The participant's reactions are meant for the municipality: the provider never sees them.
    reactions = [] if for_provider else list(report.reactions.all())
    context = {
        "report": report,
        "kind": kind,
        "referral": report.referral,
        "goal_progress": goal_progress,
        "reactions": reactions,
        "copy": ReportCopy.objects.filter(**{f"{kind}_report": report}).first(),
    }
    return render(request, "providers/report_detail.html", context)


@login_required
def report_pdf(request, kind, pk):
    """The report as the participant's PDF copy. When the participant downloads it, that is
    recorded on the copy (first download date)."""
    report = report_get(user=request.user, kind=kind, pk=pk)
    referrals.report_copy_record_download(actor=request.user, report=report, kind=kind)
    return report_pdf_response(report=report, kind=kind, actor=request.user)
