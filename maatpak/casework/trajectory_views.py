"""The trajectory plan, written with the participant: one page, small forms, one service each.

Each form of the page has its own view (`PlanFormView` subclasses: form, service call, message);
`action` only routes the one URL pattern they share to them, so a POST builds only its own form.
The page's data comes from `casework.selectors.plan_page`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.http import require_POST

from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_read, audit_record
from maatpak.casework import trajectory_forms as f
from maatpak.casework.selectors import followed_up_plan, plan_page, plan_version_comparison, running_trajectory
from maatpak.core.concurrency import service_arguments
from maatpak.core.errors import add_service_errors, flash_outcome
from maatpak.core.views import form_router
from maatpak.participants.policies import dossier_policy, purpose_redirect
from maatpak.providers.models import Contract
from maatpak.providers.selectors import provider_list
from maatpak.trajectories import services
from maatpak.trajectories.models import (
    Agreement,
    AgreementStatus,
    Goal,
    Party,
    SanctionStatus,
    SignatureMethod,
    SignatureParty,
    TrajectoryStatus,
)
from maatpak.trajectories.pdf import plan_pdf_response
from maatpak.trajectories.referrals import plan_signed_by_both, referral_propose
from maatpak.trajectories.selectors import instrument_list, trajectory_get

# The choices the plan templates compare with (enums, not literal strings).
CHOICES = {"AgreementStatus": AgreementStatus, "Party": Party, "SanctionStatus": SanctionStatus, "TrajectoryStatus": TrajectoryStatus}

# Where keyboard focus lands after a form on the plan page was handled: the heading of the
# section that changed (htmx moves focus to [autofocus] after a swap; so does a full page load).
SECTION_HEADINGS = {
    "plan": "plan-title",
    "goal": "goals-title",
    "idea": "ideas-title",
    "instrument": "instruments-title",
    "agreement": "agreements-title",
    "agreement_status": "agreements-title",
    "agree": "signing-title",
    "agree_refused": "agree-title",
    "sign": "signing-title",
    "handover": "copy-title",
    "revise": "revise-title",
    "referral": "referral-title",
    "sanction": "sanction-title",
    "default": "sanction-title",
    "sanction_hearing": "sanction-title",
    "sanction_decision": "sanction-title",
    "sanction_objection": "sanction-title",
    "sanction_objection_decision": "sanction-title",
    "default_answer": "sanction-title",
    "default_resolve": "sanction-title",
    "close": "end-title",
    "item_goal": "goals-title",
    "item_idea": "ideas-title",
    "item_instrument": "instruments-title",
    "item_agreement": "agreements-title",
}


def _after(name, pk, anchor=None):
    """Back to the plan page, focused on the section just handled."""
    return redirect(reverse("trajectories:detail", args=[pk]) + f"?done={name}#{anchor or name}")


def _focus_first_error(form, name) -> str:
    """Autofocus the first field with an error; else the form's own error summary."""
    for field_name in form.errors:
        if field_name in form.fields:
            form.fields[field_name].widget.attrs["autofocus"] = True
            return ""
    return name


def _purpose_first(request, trajectory):
    """Break the glass: a trajectory outside the user's own caseload opens after they gave a
    purpose (participants.policies.purpose_needed); a form sent comes back to the plan page."""
    next_url = None if request.method == "GET" else reverse("trajectories:detail", args=[trajectory.pk])
    return purpose_redirect(request, trajectory.participant, next_url=next_url)


@login_required
def create(request, participant_pk):
    participant = dossier_policy.get(request.user, "view", participant_pk)
    if asked := purpose_redirect(request, participant, next_url=reverse("trajectories:create", args=[participant.pk])):
        return asked
    running = running_trajectory(participant)
    if running is not None:
        # One trajectory at a time (trajectory_create refuses too): go to the one that runs.
        messages.error(request, _("This participant already has a trajectory that is not closed. Close it first, or change its plan."))
        return redirect("trajectories:detail", pk=running.pk)
    previous = services.previous_trajectory_requiring_reason(participant=participant)
    form = f.CreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            trajectory = services.trajectory_create(actor=request.user, participant=participant, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The trajectory has been created. Now write the plan together with the participant."))
            return redirect("trajectories:detail", pk=trajectory.pk)
    # The page names the participant and shows the previous end report's conclusion, if any.
    audit_record(
        actor=request.user,
        action=AuditAction.READ,
        obj=(previous.closing_report or previous) if previous is not None else participant,
        participant_id=participant.pk,
        purpose="previous trajectory's conclusion (new trajectory)" if previous is not None else "new trajectory",
    )
    return render(
        request,
        "trajectories/create.html",
        {"participant": participant, "previous": previous, "form": form},
        status=400 if form.errors else 200,
    )


# --- the plan page's small forms, one view each ---------------------------------------------------


class PlanPage:
    """What the plan page's forms are built from, for one user and trajectory; each part is
    loaded only when a form asks for it (a POST builds one form)."""

    def __init__(self, user, trajectory):
        self.user, self.trajectory = user, trajectory

    @cached_property
    def plan(self):
        return self.trajectory.latest_plan()

    @cached_property
    def goals(self):
        """The goals an instrument of the latest version may serve: those of that version."""
        return self.plan.goals.all() if self.plan else Goal.objects.none()

    @cached_property
    def providers(self):
        return provider_list(user=self.user).filter(active=True)

    @cached_property
    def followed_up_agreements(self):
        plan = followed_up_plan(self.trajectory)
        return plan.agreements.all() if plan else Agreement.objects.none()

    def plan_initial(self) -> dict:
        """The plan form's values: the latest version's fields and the version of the page."""
        initial = {name: getattr(self.plan, name) for name in services.PLAN_FIELDS} if self.plan else {}
        return {**initial, "version": self.trajectory.version}


class PlanFormView(LoginRequiredMixin, View):
    """One small form of the plan page and the one service behind it. A subclass declares
    `name` (URL segment, form prefix and the section to focus), `form_class`, `success_message`
    and `service` (called with the trajectory and the form's fields), or `perform` when the call
    needs more; `form_kwargs` and `initial` when its form needs them.

    Saved: back to the page with the message, focused on the section. Refused: the whole page
    again with the errors at this form, 200 for htmx (it swaps 2xx only), else an honest 400."""

    http_method_names = ["post"]
    name: str
    form_class: type
    success_message = ""
    service = None  # the service, as a staticmethod

    @classmethod
    def form_kwargs(cls, page: PlanPage) -> dict:
        return {}

    @classmethod
    def initial(cls, page: PlanPage) -> dict:
        return {}

    @classmethod
    def blank_form(cls, page: PlanPage):
        return cls.form_class(prefix=cls.name, initial=cls.initial(page), **cls.form_kwargs(page))

    def perform(self, page: PlanPage, actor, data: dict) -> None:
        self.service(actor=actor, trajectory=page.trajectory, **service_arguments(data))

    def post(self, request, pk):
        page = PlanPage(request.user, trajectory_get(user=request.user, pk=pk))
        if asked := _purpose_first(request, page.trajectory):
            return asked
        form = self.form_class(request.POST, prefix=self.name, **self.form_kwargs(page))
        if form.is_valid():
            try:
                self.perform(page, request.user, dict(form.cleaned_data))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, self.success_message)
                return _after(self.name, pk)
        return _refused(request, page.trajectory, self.name, form)


class PlanSaveView(PlanFormView):
    name, form_class, success_message = "plan", f.PlanForm, gettext_lazy("The plan has been saved.")

    @classmethod
    def initial(cls, page):
        return page.plan_initial()

    service = staticmethod(services.plan_save_draft)


class GoalAddView(PlanFormView):
    name, form_class, success_message = "goal", f.GoalForm, gettext_lazy("The intermediate goal has been added.")

    service = staticmethod(services.goal_add)


class IdeaAddView(PlanFormView):
    name, form_class, success_message = "idea", f.IdeaForm, gettext_lazy("The idea and our answer have been added.")

    @classmethod
    def form_kwargs(cls, page):
        return {"wishes": page.trajectory.participant.wishes.order_by("-created_at")}

    service = staticmethod(services.idea_add)


class InstrumentAddView(PlanFormView):
    name, form_class, success_message = "instrument", f.InstrumentForm, gettext_lazy("The instrument has been added.")

    @classmethod
    def form_kwargs(cls, page):
        return {"instruments": instrument_list(user=page.user).filter(active=True), "providers": page.providers, "goals": page.goals}

    service = staticmethod(services.instrument_add)


class AgreementAddView(PlanFormView):
    name, form_class, success_message = "agreement", f.AgreementForm, gettext_lazy("The agreement has been added.")

    service = staticmethod(services.agreement_add)


class ReviseView(PlanFormView):
    name, form_class = "revise", f.ReviseForm
    success_message = gettext_lazy(
        "A new version of the plan has been made, with copies of everything in it. Change what needs changing, agree on it with the participant, then both sides sign it again."
    )

    @classmethod
    def initial(cls, page):
        return page.plan_initial()

    service = staticmethod(services.plan_revise)


class SignView(PlanFormView):
    """The consultant signs on screen; a participant's signature on paper is recorded here."""

    name, form_class, success_message = "sign", f.SignForm, gettext_lazy("The signature has been recorded.")

    @classmethod
    def initial(cls, page):
        return {"signer_name": page.user.get_full_name()}

    def perform(self, page, actor, data):
        method = SignatureMethod.IN_PERSON if data["party"] == SignatureParty.CONSULTANT else SignatureMethod.PAPER
        services.plan_sign(actor=actor, plan=page.plan, method=method, **data)


class HandoverView(PlanFormView):
    name, form_class, success_message = "handover", f.HandoverForm, gettext_lazy("The hand-over of the copy has been recorded.")

    def perform(self, page, actor, data):
        services.plan_handover_record(actor=actor, plan=page.plan, **data)


class ReferralProposeView(PlanFormView):
    name, form_class, success_message = "referral", f.ReferralForm, gettext_lazy("The referral has been proposed to the provider.")

    @classmethod
    def form_kwargs(cls, page):
        return {"providers": page.providers, "contracts": Contract.objects.filter(provider__in=page.providers).select_related("provider")}

    service = staticmethod(referral_propose)


class CloseView(PlanFormView):
    name, form_class, success_message = "close", f.CloseForm, gettext_lazy("The trajectory has been closed with its end report.")

    @classmethod
    def initial(cls, page):
        return {"version": page.trajectory.version}

    service = staticmethod(services.trajectory_close)


class SanctionView(PlanFormView):
    name, form_class = "sanction", f.SanctionForm
    success_message = gettext_lazy("The sanction has been recorded. Remember: the participant is heard first.")

    @classmethod
    def form_kwargs(cls, page):
        return {"agreements": page.followed_up_agreements.filter(party=Party.PARTICIPANT)}

    service = staticmethod(services.sanction_record)


class DefaultView(PlanFormView):
    name, form_class, success_message = "default", f.DefaultForm, gettext_lazy("The municipality's default has been recorded.")

    @classmethod
    def form_kwargs(cls, page):
        return {"agreements": page.followed_up_agreements.filter(party=Party.MUNICIPALITY)}

    service = staticmethod(services.municipality_default_record)


class RowStepView(PlanFormView):
    """A next step on one row of the trajectory (a sanction or a default): the form names the
    row in a hidden field, checked against this trajectory's rows (`rows`). Its blank form is
    attached to each row it applies to (`_attach_step_forms`), not to the page."""

    button = ""
    row_relation: str  # the trajectory's related rows this step acts on ("sanctions", ...)

    @classmethod
    def rows(cls, trajectory):
        return getattr(trajectory, cls.row_relation).all()

    @classmethod
    def form_kwargs(cls, page):
        return {"rows": cls.rows(page.trajectory)}

    @classmethod
    def row_form(cls, trajectory, row):
        # Ids carry the row, so two rows at the same step do not share ids on the page.
        return cls.form_class(
            prefix=cls.name, initial={cls.form_class.row_field: row.pk}, rows=cls.rows(trajectory), auto_id=f"id_{row.pk}_%s"
        )

    def perform(self, page, actor, data):
        row = data.pop(self.form_class.row_field)
        self.service(actor=actor, **{self.form_class.row_field: row}, **data)


class SanctionStepView(RowStepView):
    row_relation = "sanctions"


class SanctionHearingView(SanctionStepView):
    name, form_class = "sanction_hearing", f.SanctionHearingForm
    button = gettext_lazy("Record the hearing")
    success_message = gettext_lazy("The hearing has been recorded. Now decide: impose or withdraw.")
    service = staticmethod(services.sanction_hearing_record)


class SanctionDecisionView(SanctionStepView):
    name, form_class = "sanction_decision", f.SanctionDecisionForm
    button = gettext_lazy("Record the decision")
    success_message = gettext_lazy("The decision on the sanction has been recorded.")
    DECISIONS = {SanctionStatus.IMPOSED: services.sanction_impose, SanctionStatus.WITHDRAWN: services.sanction_withdraw}

    def perform(self, page, actor, data):
        self.DECISIONS[data.pop("decision")](actor=actor, sanction=data.pop("sanction"), **data)


class SanctionObjectionView(SanctionStepView):
    name, form_class = "sanction_objection", f.SanctionObjectionForm
    button = gettext_lazy("Record the objection")
    success_message = gettext_lazy("The objection has been recorded. The sanction stands until the decision on it.")
    service = staticmethod(services.sanction_objection_file)


class SanctionObjectionDecisionView(SanctionStepView):
    name, form_class = "sanction_objection_decision", f.SanctionObjectionDecisionForm
    button = gettext_lazy("Record the decision on the objection")
    success_message = gettext_lazy("The decision on the objection has been recorded.")
    service = staticmethod(services.sanction_objection_decide)


class DefaultStepView(RowStepView):
    row_relation = "municipality_defaults"


class DefaultAnswerView(DefaultStepView):
    name, form_class = "default_answer", f.DefaultAnswerForm
    button = gettext_lazy("Send the answer")
    success_message = gettext_lazy("Your answer has been saved and is visible to the participant.")
    service = staticmethod(services.municipality_default_answer)


class DefaultResolveView(DefaultStepView):
    name, form_class = "default_resolve", f.DefaultResolveForm
    button = gettext_lazy("Record the resolution")
    success_message = gettext_lazy("The resolution of the default has been recorded.")
    service = staticmethod(services.municipality_default_resolve)


# Which form takes a sanction's next step (services.SANCTION_STEPS): impose and withdraw share one.
SANCTION_STEP_VIEWS = {
    "hearing": SanctionHearingView,
    "impose": SanctionDecisionView,
    "withdraw": SanctionDecisionView,
    "objection": SanctionObjectionView,
    "objection_decision": SanctionObjectionDecisionView,
}


def default_next_step(default):
    """The consultant's next step on a municipality default: answer a participant's report,
    then put the default right; None when both are done."""
    if default.reported_by_participant and default.answered_on is None:
        return DefaultAnswerView
    return DefaultResolveView if default.resolved_on is None else None


# The route table: URL segment -> the form's view, in the order of the page.
PLAN_FORMS = {
    view.name: view
    for view in (
        PlanSaveView,
        GoalAddView,
        IdeaAddView,
        InstrumentAddView,
        AgreementAddView,
        SignView,
        HandoverView,
        ReviseView,
        ReferralProposeView,
        SanctionView,
        SanctionHearingView,
        SanctionDecisionView,
        SanctionObjectionView,
        SanctionObjectionDecisionView,
        DefaultView,
        DefaultAnswerView,
        DefaultResolveView,
        CloseView,
    )
}
action = form_router(PLAN_FORMS)


def _attach_edit_forms(trajectory, goals, ideas, instruments, agreements, plan_goals):
    """Each row of a draft version gets its own small change form, filled with its values."""
    version = trajectory.version
    for g in goals:
        g.edit_form = f.GoalEditForm(
            prefix=f"goal-{g.pk}",
            initial={"version": version, "kind": g.kind, "description": g.description, "measure": g.measure, "target_date": g.target_date},
        )
    for i in ideas:
        i.edit_form = f.IdeaEditForm(
            prefix=f"idea-{i.pk}",
            initial={"version": version, "idea": i.idea, "supported": "yes" if i.supported else "no", "response": i.response},
        )
    for i in instruments:
        i.edit_form = f.InstrumentEditForm(
            prefix=f"instrument-{i.pk}",
            goals=plan_goals,
            initial={
                "version": version,
                "start_date": i.start_date,
                "end_date": i.end_date,
                "cost_euros": i.cost_cents / 100,
                "serves_goal": i.serves_goal_id,
                "serves_barrier": i.serves_barrier,
            },
        )
    for a in agreements:
        a.edit_form = f.AgreementEditForm(
            prefix=f"agreement-{a.pk}", initial={"version": version, "party": a.party, "description": a.description, "deadline": a.deadline}
        )


def _bound_row_id(form) -> str:
    """The row a refused row form was about, as the page's rows compare it."""
    return str(form.data.get(form.add_prefix(form.row_field), ""))


def _attach_step_forms(trajectory, sanctions, defaults, bound: dict):
    """Each sanction and default gets the form of its next step (`step`: view name, form,
    button), blank, or the refused form `bound` when it was about this row."""

    def attach(row, view):
        refused = bound.get(view.name)
        form = refused if refused is not None and _bound_row_id(refused) == str(row.pk) else view.row_form(trajectory, row)
        return {"name": f"{view.name}-{row.pk}", "url_name": view.name, "form": form, "button": view.button}

    for s in sanctions:
        views = list(dict.fromkeys(SANCTION_STEP_VIEWS[step] for step in services.sanction_next_steps(s)))
        s.steps = [attach(s, view) for view in views]
    for d in defaults:
        view = default_next_step(d)
        d.steps = [attach(d, view)] if view else []


def _detail_context(request, trajectory, bound=None):
    """The plan page: its data (`plan_page`), a change form on each row of a draft, the next
    step's form on each sanction and default, and every other form of the page, unbound except
    `bound` (a refused form shown again)."""
    bound = bound or {}
    context = plan_page(trajectory)
    page = PlanPage(request.user, trajectory)
    if context["plan"] and context["plan_draft"]:
        _attach_edit_forms(trajectory, context["goals"], context["ideas"], context["instruments"], context["agreements"], page.goals)
    _attach_step_forms(trajectory, context["sanctions"], context["defaults"], bound)
    page_forms = {name: view for name, view in PLAN_FORMS.items() if not issubclass(view, RowStepView)}
    context["forms"] = {name: view.blank_form(page) for name, view in page_forms.items()} | {
        name: form for name, form in bound.items() if name in page_forms
    }
    context["can_refer"] = plan_signed_by_both(trajectory)
    context["status_choices"] = AgreementStatus.choices
    context["today"] = timezone.localdate()
    return context | CHOICES


def _refused(request, trajectory, name, form):
    """The whole plan page again, with the refused form `name` and its errors."""
    trajectory.refresh_from_db()
    # The refused form comes back inside the whole plan page: a read of the dossier too.
    audit_read(actor=request.user, obj=trajectory, purpose="trajectory plan (form refused)")
    context = _detail_context(request, trajectory, bound={name: form})
    context["error_section"] = name
    context["focus"] = _focus_first_error(form, name)
    # htmx swaps only 2xx responses; a full-page post keeps the honest 400.
    return render(request, "trajectories/detail.html", context, status=200 if request.htmx else 400)


@login_required
def detail(request, pk):
    trajectory = trajectory_get(user=request.user, pk=pk)
    if asked := _purpose_first(request, trajectory):
        return asked
    audit_read(actor=request.user, obj=trajectory, purpose="trajectory plan")
    context = _detail_context(request, trajectory)
    context["focus"] = SECTION_HEADINGS.get(request.GET.get("done", ""), "")
    return render(request, "trajectories/detail.html", context)


@login_required
@require_POST
def agree(request, pk):
    trajectory = trajectory_get(user=request.user, pk=pk)
    if asked := _purpose_first(request, trajectory):
        return asked
    agreed = flash_outcome(
        request,
        _("The plan has been agreed. Now both sides sign it."),
        services.plan_agree,
        actor=request.user,
        trajectory=trajectory,
        expected_version=int(request.POST.get("version", -1)),
    )
    return _after("agree" if agreed else "agree_refused", pk)


@login_required
@require_POST
def agreement_status(request, pk):
    trajectory = trajectory_get(user=request.user, pk=pk)
    if asked := _purpose_first(request, trajectory):
        return asked
    form = f.AgreementStatusForm(request.POST)
    if form.is_valid():
        agreement = Agreement.objects.filter(pk=form.cleaned_data["agreement"], plan__trajectory=trajectory).first()
        if agreement is None:
            raise Http404
        flash_outcome(
            request,
            _("The status of the agreement has been saved."),
            services.agreement_set_status,
            actor=request.user,
            agreement=agreement,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["version"],
        )
    return _after("agreement_status", pk)


def _draft_item_or_404(trajectory, kind, item_pk):
    model = services.PLAN_ITEM_MODELS.get(kind)
    item = model.objects.filter(pk=item_pk, plan__trajectory=trajectory).first() if model else None
    if item is None:
        raise Http404
    return item


@login_required
@require_POST
def item_edit(request, pk, kind, item_pk):
    """Change one goal, idea, instrument or agreement of the draft version."""
    trajectory = trajectory_get(user=request.user, pk=pk)
    if asked := _purpose_first(request, trajectory):
        return asked
    item = _draft_item_or_404(trajectory, kind, item_pk)
    # An instrument serves a goal of its own version.
    extra = {"goals": item.plan.goals.all()} if kind == "instrument" else {}
    form = f.EDIT_FORMS[kind](request.POST, prefix=f"{kind}-{item.pk}", **extra)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return _after(f"item_{kind}", pk, anchor=kind)
    flash_outcome(
        request,
        _("The change has been saved."),
        services.plan_item_update,
        actor=request.user,
        trajectory=trajectory,
        item=item,
        **service_arguments(form.cleaned_data),
    )
    return _after(f"item_{kind}", pk, anchor=kind)


@login_required
@require_POST
def item_remove(request, pk, kind, item_pk):
    trajectory = trajectory_get(user=request.user, pk=pk)
    if asked := _purpose_first(request, trajectory):
        return asked
    item = _draft_item_or_404(trajectory, kind, item_pk)
    form = f.RemoveForm(request.POST)
    if not form.is_valid():
        # A form without its version (not sent from the page): refused like a change, not a 404.
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return _after(f"item_{kind}", pk, anchor=kind)
    flash_outcome(
        request,
        _("It has been removed from this version of the plan."),
        services.plan_item_remove,
        actor=request.user,
        trajectory=trajectory,
        item=item,
        expected_version=form.cleaned_data["version"],
    )
    return _after(f"item_{kind}", pk, anchor=kind)


def _version_or_404(trajectory, number):
    plan = trajectory.plan_versions.filter(number=number).select_related("created_by").first()
    if plan is None:
        raise Http404
    return plan


@login_required
def version_detail(request, pk, number):
    """Any version of the plan in full, read-only: what was agreed then stays readable."""
    trajectory = trajectory_get(user=request.user, pk=pk)
    if asked := _purpose_first(request, trajectory):
        return asked
    plan = _version_or_404(trajectory, number)
    audit_record(actor=request.user, action=AuditAction.READ, obj=plan, participant_id=trajectory.participant_id, purpose="plan version")
    return render(
        request,
        "trajectories/version.html",
        {
            "trajectory": trajectory,
            "participant": trajectory.participant,
            "plan": plan,
            "is_draft": plan.is_draft,
            "is_current": plan.number == trajectory.latest_plan().number,
            "goals": list(plan.goals.all()),
            "ideas": list(plan.ideas.all()),
            "instruments": list(plan.instruments.select_related("instrument", "provider")),
            "agreements": list(plan.agreements.all()),
            "signatures": list(plan.signatures.all()),
            "handovers": list(plan.handovers.all()),
            **CHOICES,
        },
    )


@login_required
def plan_pdf(request, pk, number):
    trajectory = trajectory_get(user=request.user, pk=pk)
    if asked := _purpose_first(request, trajectory):
        return asked
    plan = trajectory.plan_versions.filter(number=number).first()
    if plan is None:
        raise Http404
    return plan_pdf_response(plan=plan, actor=request.user)


@login_required
def compare(request, pk, number):
    """Compare a plan version with the one before it, field by field and list by list."""
    trajectory = trajectory_get(user=request.user, pk=pk)
    if asked := _purpose_first(request, trajectory):
        return asked
    new = trajectory.plan_versions.filter(number=number).first()
    old = trajectory.plan_versions.filter(number=number - 1).first()
    if new is None or old is None:
        raise Http404
    rows, lists = plan_version_comparison(old, new)
    audit_record(
        actor=request.user, action=AuditAction.READ, obj=new, participant_id=trajectory.participant_id, purpose="compare plan versions"
    )
    return render(request, "trajectories/compare.html", {"trajectory": trajectory, "old": old, "new": new, "rows": rows, "lists": lists})
