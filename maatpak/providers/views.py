"""Provider portal and the report view for everyone who may read a report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maatpak.accounts.roles import Role
from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_read, audit_record
from maatpak.providers import services
from maatpak.providers.access import provider_referral_get, provider_referral_queryset, referral_view, report_get, visible_goal_progress
from maatpak.providers.forms import DeclineForm, EndReportForm, IntakeForm, ProgressReportForm, StartForm, VersionForm
from maatpak.providers.models import ReportCopy
from maatpak.providers.pdf import report_pdf_response
from maatpak.providers.reporting import end_report_due, end_report_due_open, intake_due, next_progress_report_due
from maatpak.trajectories.models import EndReport, PlannedInstrument, ReferralStatus


def _require_provider(user):
    if user.role != Role.PROVIDER_STAFF:
        raise PermissionDenied


def _planned_ends(referrals) -> dict:
    """{referral pk: last planned end date of its provider's instruments in the current plan}."""
    rows = PlannedInstrument.objects.filter(plan__trajectory__in={r.trajectory_id for r in referrals}).values_list(
        "plan__trajectory_id", "plan__number", "provider_id", "end_date"
    )
    latest, ends = {}, {}
    for trajectory_id, number, _provider, _end in rows:
        latest[trajectory_id] = max(latest.get(trajectory_id, 0), number)
    for trajectory_id, number, provider_id, end in rows:
        if number == latest[trajectory_id]:
            key = (trajectory_id, provider_id)
            ends[key] = max(ends.get(key, end), end)
    return {r.pk: ends.get((r.trajectory_id, r.provider_id)) for r in referrals}


def provider_overdue(referrals, today) -> list[dict]:
    """The provider's own overdue list: intakes, progress reports and end reports past their
    due date (providers.reporting), most days late first."""
    planned_ends = _planned_ends(referrals)
    overdue = []
    for r in referrals:
        last = max((p.submitted_on for p in r.progress_reports.all()), default=None)
        # Ended without an end report: the trajectory was closed while the referral ran (or older,
        # imported data); the report is still owed — unless the provider never accepted it.
        legacy_end = (
            end_report_due(r)
            if r.status == ReferralStatus.ENDED and not hasattr(r, "end_report") and not services.never_accepted(r)
            else None
        )
        dues = (
            (_("Intake"), intake_due(r)),
            (_("Progress report"), next_progress_report_due(r, last)),
            (_("End report"), end_report_due_open(r, planned_ends[r.pk]) or legacy_end),
        )
        for what, due in dues:
            if due is not None and due < today:
                overdue.append({"referral": r, "what": what, "due": due, "days": (today - due).days})
    return sorted(overdue, key=lambda o: -o["days"])


@login_required
def portal(request):
    """Provider staff: their referrals and their own overdue list."""
    _require_provider(request.user)
    referrals = list(
        provider_referral_queryset(request.user)
        .select_related("end_report")
        .prefetch_related("progress_reports")
        .order_by("status", "-proposed_on")
    )
    overdue = provider_overdue(referrals, timezone.localdate())
    audit_record(actor=request.user, action=AuditAction.READ, purpose="provider referral list", detail={"referrals": len(referrals)})
    return render(request, "providers/portal.html", {"referrals": referrals, "overdue": overdue, "provider": request.user.provider})


def _referral_forms(referral, goals, bound=None):
    initial = {"version": referral.version}
    forms = {
        "accept": VersionForm(initial=initial, prefix="accept"),
        "decline": DeclineForm(initial=initial, prefix="decline"),
        "intake": IntakeForm(initial=initial, prefix="intake"),
        "start": StartForm(initial=initial, prefix="start"),
        "progress": ProgressReportForm(prefix="progress", goals=goals),
        # After the trajectory closed, the end date is the closing date (services.end_report_submit).
        "end": EndReportForm(initial={**initial, **({"ended_on": referral.ended_on} if referral.ended_on else {})}, prefix="end"),
    }
    forms.update(bound or {})
    return forms


@login_required
def referral(request, pk):
    _require_provider(request.user)
    ref = provider_referral_get(user=request.user, pk=pk)
    view = referral_view(ref)
    audit_read(actor=request.user, obj=ref, purpose="provider referral")
    return render(request, "providers/referral.html", _referral_context(ref, view, _referral_forms(ref, view["goals"])))


def _referral_context(ref, view, forms, **extra) -> dict:
    return {
        "ref": ref,
        "view": view,
        "forms": forms,
        "reports": ref.progress_reports.order_by("-submitted_on"),
        "end_report": EndReport.objects.filter(referral=ref).first(),
        "owes_end_report": services.ended_with_trajectory_awaiting_report(ref),
        **extra,
    }


@login_required
@require_POST
def referral_action(request, pk, name):
    _require_provider(request.user)
    ref = provider_referral_get(user=request.user, pk=pk)
    view = referral_view(ref)
    blank = _referral_forms(ref, view["goals"])
    if name not in blank:
        raise Http404
    form = blank[name].__class__(request.POST, prefix=name, **({"goals": view["goals"]} if name == "progress" else {}))
    try:
        if not form.is_valid():
            raise ValidationError("")
        data = dict(form.cleaned_data)
        actor = request.user
        if name == "accept":
            services.referral_accept(actor=actor, referral=ref, expected_version=data["version"])
            message = _("You have accepted the referral. Plan the intake.")
        elif name == "decline":
            services.referral_decline(actor=actor, referral=ref, reason=data["reason"], expected_version=data["version"])
            message = _("You have declined the referral. The consultant sees your reason.")
        elif name == "intake":
            services.referral_record_intake(actor=actor, referral=ref, intake_on=data["intake_on"], expected_version=data["version"])
            message = _("The intake has been recorded.")
        elif name == "start":
            services.referral_start(actor=actor, referral=ref, started_on=data["started_on"], expected_version=data["version"])
            message = _("The start has been recorded.")
        elif name == "progress":
            goal_progress = form.goal_progress()
            for key in form.goal_fields:
                data.pop(key)
            services.progress_report_submit(actor=actor, referral=ref, goal_progress=goal_progress, **data)
            message = _("The progress report has been sent. The consultant sees it now, and the participant gets a copy in the portal.")
        else:
            version = data.pop("version")
            services.end_report_submit(actor=actor, referral=ref, expected_version=version, **data)
            message = _("The end report has been sent and the referral has ended. The participant gets a copy in the portal.")
    except ValidationError as exc:
        if exc.messages != [""]:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        ref.refresh_from_db()
        context = _referral_context(ref, referral_view(ref), _referral_forms(ref, view["goals"], {name: form}), error_section=name)
        return render(request, "providers/referral.html", context, status=400)
    messages.success(request, message)
    return redirect("providers:referral", pk=pk)


@login_required
def report_detail(request, kind, pk):
    """A provider's report, for the participant's consultant or team lead (and its author's provider)."""
    report = report_get(user=request.user, kind=kind, pk=pk)
    audit_read(actor=request.user, obj=report, purpose="report")
    for_provider = request.user.role == Role.PROVIDER_STAFF
    goal_progress = []
    if kind == "progress":
        goal_progress = visible_goal_progress(report) if for_provider else list(report.goal_progress.all())
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
    if request.user.role == Role.PARTICIPANT:
        ReportCopy.objects.filter(**{f"{kind}_report": report}, downloaded_on__isnull=True).update(downloaded_on=timezone.localdate())
    return report_pdf_response(report=report, kind=kind, actor=request.user)
