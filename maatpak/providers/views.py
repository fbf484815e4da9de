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
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from maatpak.accounts.policy import REFERRAL, TRAJECTORY, is_provider_staff, permits, require
from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_read_participants, audit_record
from maatpak.core.errors import add_service_errors
from maatpak.participants.policies import purpose_redirect
from maatpak.providers.access import referral_view
from maatpak.providers.forms import DeclineForm, EndReportForm, IntakeForm, ProgressReportForm, StartForm, VersionForm
from maatpak.providers.goal_forms import GoalStatusForm
from maatpak.providers.pdf import report_pdf_response
from maatpak.providers.selectors import provider_overdue
from maatpak.trajectories import referrals
from maatpak.trajectories.goals import goal_in_force
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
    # The list names each referred participant: one read per participant shown.
    audit_read_participants(actor=request.user, participants=[r.trajectory.participant for r in rows], purpose="provider referral list")
    return render(request, "providers/portal.html", {"referrals": rows, "overdue": overdue, "provider": request.user.provider})


# Each step's form, under the step's name (the URL's and the page's).
STEP_FORMS = {
    "accept": VersionForm,
    "decline": DeclineForm,
    "intake": IntakeForm,
    "start": StartForm,
    "progress": ProgressReportForm,
    "end": EndReportForm,
}


def _step_form(name, referral, data=None, *, goals=None):
    """The form of one step, as the page renders it (unbound) or bound to the POST. The progress
    report asks one level per goal the provider sees (the page passes the goals it has read)."""
    if name == "progress":
        return ProgressReportForm(data, prefix=name, goals=referral_view(referral)["goals"] if goals is None else goals)
    initial = {"version": referral.version}
    if name == "end" and referral.ended_on:
        # After the trajectory closed, the end date is the closing date (referrals.end_report_submit).
        initial["ended_on"] = referral.ended_on
    return STEP_FORMS[name](data, initial=initial, prefix=name)


def _referral_page(request, ref, *, bound=None, error_section=None, status=200):
    # What the provider sees of the participant (also with a refused form): a read of their data.
    audit_record(
        actor=request.user,
        action=AuditAction.READ,
        obj=ref,
        participant_id=ref.trajectory.participant_id,
        purpose="provider referral" if bound is None else "provider referral (form refused)",
    )
    view = referral_view(ref)
    forms = {name: _step_form(name, ref, goals=view["goals"]) for name in STEP_FORMS}
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
    return _referral_page(request, ref)


def _step_view(service, message):
    """The view of one step on a referral: bind the step's form, call the step's service with
    what the form holds, and either go back to the referral page with `message` or show the
    page again with the form's errors (400)."""

    @login_required
    @require_POST
    def step_view(request, pk, name):
        require(request.user, REFERRAL, "work_on")
        ref = referral_get(user=request.user, pk=pk)
        form = _step_form(name, ref, request.POST)
        try:
            if not form.is_valid():
                raise ValidationError("")
            service(actor=request.user, referral=ref, **form.service_arguments())
        except ValidationError as exc:
            add_service_errors(form, exc)
            ref.refresh_from_db()
            return _referral_page(request, ref, bound=form, error_section=name, status=400)
        messages.success(request, message)
        return redirect("providers:referral", pk=pk)

    return step_view


referral_accept = _step_view(referrals.referral_accept, _("You have accepted the referral. Plan the intake."))
referral_decline = _step_view(referrals.referral_decline, _("You have declined the referral. The consultant sees your reason."))
referral_intake = _step_view(referrals.referral_record_intake, _("The intake has been recorded."))
referral_start = _step_view(referrals.referral_start, _("The start has been recorded."))
referral_progress_report = _step_view(
    referrals.progress_report_submit,
    _("The progress report has been sent. The consultant sees it now, and the participant gets a copy in the portal."),
)
referral_end_report = _step_view(
    referrals.end_report_submit,
    _("The end report has been sent and the referral has ended. The participant gets a copy in the portal."),
)


def _confirm_forms(request, goal_progress) -> list:
    """Per proposal, the consultant's "bevestigen / aanpassen" form, prefilled from it (None where
    the user may not confirm goals, or the goal is not in the plan in force any more)."""
    if not permits(request.user, TRAJECTORY, "confirm_goal"):
        return [(gp, None) for gp in goal_progress]
    here = request.get_full_path()
    return [(gp, GoalStatusForm.for_proposal(gp, next_url=here) if goal_in_force(gp.goal) else None) for gp in goal_progress]


def _participant_of(report):
    """The participant a progress report (through its referral) or an end report is about."""
    trajectory = report.trajectory if isinstance(report, EndReport) else report.referral.trajectory
    return trajectory.participant


@login_required
def report_detail(request, kind, pk):
    """A provider's report, for the participant's consultant or team lead (and its author's provider)."""
    report = report_get(user=request.user, kind=kind, pk=pk)
    participant = _participant_of(report)
    if asked := purpose_redirect(request, participant):
        return asked
    # The report is read as itself (the work list's read receipt), linked to its participant.
    audit_record(actor=request.user, action=AuditAction.READ, obj=report, participant_id=participant.pk, purpose="report")
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
        "goal_progress": _confirm_forms(request, goal_progress),
        "reactions": reactions,
        "copy": ReportCopy.objects.filter(**{f"{kind}_report": report}).first(),
    }
    return render(request, "providers/report_detail.html", context)


@login_required
def report_pdf(request, kind, pk):
    """The report as the participant's PDF copy. When the participant downloads it, that is
    recorded on the copy (first download date)."""
    report = report_get(user=request.user, kind=kind, pk=pk)
    if asked := purpose_redirect(request, _participant_of(report)):
        return asked
    referrals.report_copy_record_download(actor=request.user, report=report, kind=kind)
    return report_pdf_response(report=report, kind=kind, actor=request.user)
