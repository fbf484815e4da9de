"""The participant's own pages (Mijn Maatpak) plus the two staff screens that answer them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.http import require_POST

from maatpak.accounts.models import User
from maatpak.accounts.policy import DOSSIER, PORTAL, require, roles_for
from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_read, audit_read_participants, audit_record
from maatpak.core.errors import add_service_errors, flash_outcome, flash_service_errors
from maatpak.participants.models import WishSource
from maatpak.participants.services import wish_add
from maatpak.portal import selectors, services
from maatpak.portal.access import portal_participant
from maatpak.portal.forms import (
    ChangeRequestAnswerForm,
    ChangeRequestForm,
    DefaultReportForm,
    FeedbackForm,
    MessageForm,
    PortalLoginForm,
    ReactionForm,
    WishForm,
)
from maatpak.portal.models import ChangeRequestStatus, MessageDirection
from maatpak.portal.policies import message_policy
from maatpak.trajectories.models import Agreement, HandoverChannel, Party, SignatureMethod, SignatureParty
from maatpak.trajectories.pdf import plan_pdf_response
from maatpak.trajectories.referrals import report_copies_mark_viewed
from maatpak.trajectories.services import municipality_default_report, plan_handover_record
from maatpak.trajectories.services import plan_sign as trajectory_plan_sign


class PortalLoginView(LoginView):
    template_name = "portal/login.html"
    authentication_form = PortalLoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return "/portal/"


def _me(request):
    return portal_participant(request.user)


@login_required(login_url="portal:login")
def home(request):
    participant = _me(request)
    trajectory = selectors.portal_trajectory_current(participant=participant)
    versions = list(selectors.portal_plan_versions(trajectory=trajectory)) if trajectory else []
    audit_read(actor=request.user, obj=participant, purpose="portal home")
    return render(
        request,
        "portal/home.html",
        {
            "participant": participant,
            "trajectory": trajectory,
            "plan": versions[-1] if versions else None,
            "has_draft": selectors.portal_has_draft(participant=participant),
            "unread": selectors.portal_messages(participant=participant)
            .filter(direction=MessageDirection.TO_PARTICIPANT, read_on__isnull=True)
            .count(),
            "open_request": selectors.portal_change_requests(participant=participant).filter(status=ChangeRequestStatus.OPEN).first(),
        },
    )


def _plan_context(participant, number=None):
    trajectory = selectors.portal_trajectory_current(participant=participant)
    if trajectory is None:
        return {"trajectory": None, "plan": None, "versions": []}
    versions = list(selectors.portal_plan_versions(trajectory=trajectory))
    plan = versions[-1] if number is None else next((v for v in versions if v.number == number), None)
    if plan is None:
        raise Http404
    signed_parties = {s.party for s in plan.signatures.all()}
    return {
        "trajectory": trajectory,
        "plan": plan,
        "versions": versions,
        "is_current": plan.number == versions[-1].number,
        "participant_signed": SignatureParty.PARTICIPANT in signed_parties,
        "consultant_signed": SignatureParty.CONSULTANT in signed_parties,
        "my_agreements": [a for a in plan.agreements.all() if a.party == Party.PARTICIPANT],
        "municipality_agreements": [a for a in plan.agreements.all() if a.party == Party.MUNICIPALITY],
        "today": timezone.localdate(),
        **_default_context(trajectory),
    }


def _reportable_agreements(trajectory):
    """The municipality's promises the participant can report as not kept: those of the plan in
    force (the service checks the same)."""
    in_force = trajectory.plan_in_force()
    if in_force is None or in_force.is_draft:
        return Agreement.objects.none()
    return in_force.agreements.filter(party=Party.MUNICIPALITY)


def _default_context(trajectory, form=None):
    """My reports of a municipality default, with the consultant's answer, and the form to make one."""
    agreements = _reportable_agreements(trajectory)
    return {
        "default_form": form or DefaultReportForm(prefix="default", agreements=agreements),
        "can_report_default": agreements.exists(),
        "reported_defaults": list(
            trajectory.municipality_defaults.filter(reported_by_participant=True)
            .select_related("agreement")
            .order_by("-recorded_on", "-id")
        ),
    }


@login_required(login_url="portal:login")
def plan(request, number=None):
    participant = _me(request)
    context = _plan_context(participant, number)
    if context["plan"] is not None:
        audit_read(actor=request.user, obj=context["plan"], purpose="portal plan")
    return render(request, "portal/plan.html", {"participant": participant, **context})


@login_required(login_url="portal:login")
@require_POST
def plan_sign(request):
    participant = _me(request)
    context = _plan_context(participant)
    if context["plan"] is None or not context["is_current"]:
        raise Http404
    if not request.POST.get("confirm"):
        messages.error(request, _("Tick the box to confirm you have read the plan and agree with it."))
        return redirect("portal:plan")
    flash_outcome(
        request,
        _("Thank you. You have signed your plan."),
        trajectory_plan_sign,
        actor=request.user,
        plan=context["plan"],
        party=SignatureParty.PARTICIPANT,
        method=SignatureMethod.PORTAL,
        signed_on=timezone.localdate(),
        signer_name=participant.full_name,
    )
    return redirect("portal:plan")


@login_required(login_url="portal:login")
@require_POST
def default_report(request):
    """Report that the municipality did not keep a promise in my plan; my consultant must answer."""
    participant = _me(request)
    context = _plan_context(participant)
    if context["trajectory"] is None:
        raise Http404
    trajectory = context["trajectory"]
    form = DefaultReportForm(request.POST, prefix="default", agreements=_reportable_agreements(trajectory))
    if form.is_valid():
        try:
            municipality_default_report(actor=request.user, trajectory=trajectory, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your report has been sent. Your consultant must answer it; you will see the answer here."))
            return redirect(reverse("portal:plan") + "#defaults")
    audit_read(actor=request.user, obj=context["plan"], purpose="portal plan (report refused)")
    context.update(_default_context(trajectory, form))
    return render(request, "portal/plan.html", {"participant": participant, **context}, status=400)


@login_required(login_url="portal:login")
@require_POST
def plan_pdf(request, number):
    """Download the plan: the participant takes their copy (a button, so a POST), which is
    recorded as the copy handed over via the portal, and gets the PDF in answer."""
    participant = _me(request)
    context = _plan_context(participant, number)
    if context["plan"] is None:  # no trajectory (yet): nothing to download
        raise Http404
    try:
        plan_handover_record(actor=request.user, plan=context["plan"], channel=HandoverChannel.PORTAL, handed_over_on=timezone.localdate())
    except ValidationError as exc:
        flash_service_errors(request, exc)
        return redirect("portal:plan_version", number=number)
    return plan_pdf_response(plan=context["plan"], actor=request.user)


@login_required(login_url="portal:login")
def reports(request):
    participant = _me(request)
    report_copies_mark_viewed(participant=participant)
    audit_read(actor=request.user, obj=participant, purpose="portal reports")
    return render(
        request,
        "portal/reports.html",
        {
            "participant": participant,
            "progress_reports": selectors.portal_progress_reports(participant=participant),
            "end_reports": selectors.portal_end_reports(participant=participant),
            "form": ReactionForm(),
        },
    )


@login_required(login_url="portal:login")
@require_POST
def report_react(request, kind, pk):
    participant = _me(request)
    report = selectors.portal_report_get(participant=participant, kind=kind, pk=pk)
    form = ReactionForm(request.POST)
    if form.is_valid():
        flash_outcome(
            request,
            _("Your reaction has been added. Your consultant can read it."),
            services.report_reaction_add,
            actor=request.user,
            participant=participant,
            report=report,
            text=form.cleaned_data["text"],
        )
    else:
        messages.error(request, _("Write your reaction first."))
    return redirect(reverse("portal:reports") + f"#{kind}-{pk}")


def _say_page(request, participant, bound=None):
    """My say: my own ideas and wishes, messages with my consultant, a request for another
    consultant. `bound` holds a refused form, shown again with its errors."""
    forms = {"wish": WishForm(prefix="wish"), "message": MessageForm(prefix="message"), "change": ChangeRequestForm(prefix="change")}
    forms.update(bound or {})
    inbox = list(selectors.portal_messages(participant=participant)[:50])
    services.messages_mark_read(actor=request.user, participant=participant, messages=inbox)
    audit_read(actor=request.user, obj=participant, purpose="portal my say")
    return render(
        request,
        "portal/say.html",
        {
            "participant": participant,
            "wish_form": forms["wish"],
            "change_form": forms["change"],
            "message_form": forms["message"],
            "wishes": participant.wishes.order_by("-created_at"),
            "messages_list": inbox,
            "change_requests": selectors.portal_change_requests(participant=participant),
            "from_participant": MessageDirection.TO_CONSULTANT,
            "written_by_participant": WishSource.PARTICIPANT,
        },
    )


@login_required(login_url="portal:login")
def say(request):
    return _say_page(request, _me(request))


@method_decorator(login_required(login_url="portal:login"), name="dispatch")
class SayFormView(View):
    """One form of "My say": it posts to its own URL and builds only its own form."""

    http_method_names = ["post"]
    prefix: str
    form_class: type
    success_message: str
    service = None  # called with the form's fields as keywords, like PlanFormView's services

    def post(self, request):
        participant = _me(request)
        form = self.form_class(request.POST, prefix=self.prefix)
        if form.is_valid():
            try:
                self.service(actor=request.user, participant=participant, **form.cleaned_data)
            except ValidationError as exc:
                flash_service_errors(request, exc)
            else:
                messages.success(request, self.success_message)
                return redirect("portal:say")
        return _say_page(request, participant, bound={self.prefix: form})


class WishAddView(SayFormView):
    prefix, form_class = "wish", WishForm
    success_message = gettext_lazy("Saved. Your consultant sees this in your file, as written by you.")
    service = staticmethod(wish_add)


class MessageSendView(SayFormView):
    prefix, form_class = "message", MessageForm
    success_message = gettext_lazy("Your message has been sent to your consultant.")
    service = staticmethod(services.message_send_to_consultant)


class ChangeRequestView(SayFormView):
    prefix, form_class = "change", ChangeRequestForm
    success_message = gettext_lazy("Your request has been sent to the team lead, who must answer it.")
    service = staticmethod(services.consultant_change_request)


@login_required(login_url="portal:login")
def feedback(request):
    """Anonymous feedback to the client council. The participant is logged in (so only
    participants send feedback and the limits can be counted per participant), but the stored
    reaction holds nothing about them, and no audit event is written."""
    participant = _me(request)
    municipality = participant.municipality
    today = timezone.localdate()
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.anonymous_feedback_send(actor=request.user, participant=participant, today=today, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return render(request, "portal/feedback_thanks.html", {"municipality": municipality})
    return render(
        request,
        "portal/feedback.html",
        {
            "form": form,
            "municipality": municipality,
            "limit": services.FEEDBACK_LIMIT_PER_WEEK,
            "quarter_limit": services.FEEDBACK_LIMIT_PER_QUARTER,
            # Said before the participant writes anything, not only after they tried to send.
            "limit_reached": "" if form.is_bound else services.feedback_limit_message(participant=participant, today=today),
        },
    )


def help_page(request):
    """How the portal works, in plain words (the same text as docs/guide-participant.md).
    Open without logging in, so it also helps someone who cannot log in yet."""
    return render(
        request, "portal/help.html", {"limit": services.FEEDBACK_LIMIT_PER_WEEK, "quarter_limit": services.FEEDBACK_LIMIT_PER_QUARTER}
    )


# --- staff side -------------------------------------------------------------------------------


@login_required
def change_requests(request):
    """Team lead: requests for another consultant in their team (and of participants without a
    consultant), open ones first, the longest-waiting on top."""
    rows, open_count = services.change_request_rows_for_team_lead(user=request.user)
    # Each request names its participant (and their reason): one read per participant shown.
    audit_read_participants(actor=request.user, participants=[row.participant for row in rows], purpose="consultant change requests")
    return render(request, "portal/change_requests.html", {"requests": rows, "open_count": open_count})


@login_required
def change_request_answer(request, pk):
    queryset = services.change_request_list_for_team_lead(user=request.user)
    change = get_object_or_404(queryset, pk=pk)
    consultants = (
        User.objects.filter(role__in=roles_for(DOSSIER, "hold_caseload"), team_id=request.user.team_id, is_active=True)
        .people()
        .exclude(pk=change.participant.consultant_id)
    )
    form = ChangeRequestAnswerForm(request.POST or None, consultants=consultants)
    audit_read(actor=request.user, obj=change, purpose="answer consultant change request")
    if request.method == "POST" and form.is_valid():
        try:
            services.consultant_change_answer(
                actor=request.user,
                request=change,
                status=form.cleaned_data["status"],
                answer=form.cleaned_data["answer"],
                new_consultant=form.cleaned_data["new_consultant"],
                expected_version=_posted_version(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your answer has been saved and is visible to the participant."))
            return redirect("portal:change_requests")
    return render(request, "portal/change_request_answer.html", {"change": change, "form": form})


def _posted_version(request) -> int:
    """The version of the row the user saw (the form's hidden `version`); anything that is not
    a number counts as no version, so the service refuses it as a stale edit."""
    value = request.POST.get("version", "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else -1


@login_required
def inbox(request):
    """Consultant: messages from participants in their caseload, with a reply form."""
    require(request.user, PORTAL, "read_inbox")
    rows = message_policy.instances_for(request.user, "read_inbox").select_related("participant", "sender").order_by("-created_at")[:100]
    audit_record(actor=request.user, action=AuditAction.READ, purpose="consultant inbox", detail={"messages": len(rows)})
    return render(request, "portal/inbox.html", {"rows": rows, "form": MessageForm()})


@login_required
@require_POST
def inbox_reply(request, pk):
    """Answer a participant's message: whoever may act on their dossier (a colleague covering the
    caseload too), so the message may come from outside the user's own inbox."""
    original = message_policy.get(request.user, "answer_message", pk)
    form = MessageForm(request.POST)
    if form.is_valid():
        flash_outcome(
            request,
            _("Your reply has been sent."),
            services.message_send_to_participant,
            actor=request.user,
            participant=original.participant,
            in_reply_to=original,
            **form.cleaned_data,
        )
    else:
        messages.error(request, _("Write a subject and a message."))
    return redirect("portal:inbox")
