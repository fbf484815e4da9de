"""The trajectory plan, written with the participant: one page, small forms, one service each."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_read, audit_record
from maatpak.casework import trajectory_forms as f
from maatpak.core.templatetags.maatpak_tags import euros
from maatpak.participants.policies import dossier_policy
from maatpak.providers.models import Contract
from maatpak.providers.selectors import provider_list
from maatpak.trajectories import services
from maatpak.trajectories.models import Agreement, AgreementStatus, TrajectoryStatus
from maatpak.trajectories.pdf import plan_pdf_response
from maatpak.trajectories.selectors import instrument_list, trajectory_get

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


def _apply_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def create(request, participant_pk):
    participant = dossier_policy.get(request.user, "view", participant_pk)
    previous = services.previous_trajectory_requiring_reason(participant=participant)
    if previous is not None:
        # The page shows the previous end report's conclusion: that is a read of the dossier.
        audit_record(
            actor=request.user,
            action=AuditAction.READ,
            obj=previous.closing_report or previous,
            participant_id=participant.pk,
            purpose="previous trajectory's conclusion (new trajectory)",
        )
    form = f.CreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            trajectory = services.trajectory_create(actor=request.user, participant=participant, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The trajectory has been created. Now write the plan together with the participant."))
            return redirect("trajectories:detail", pk=trajectory.pk)
    return render(
        request,
        "trajectories/create.html",
        {"participant": participant, "previous": previous, "form": form},
        status=400 if form.errors else 200,
    )


def _follow_up_plan(trajectory, plan):
    """The version whose agreements are followed up (sanctions, defaults): the newest one both
    sides signed; before any signature, the agreed current version; never a draft."""
    if plan is None:
        return None
    in_force = services.plan_in_force(trajectory) if plan.number > 1 else None
    if in_force is not None:
        return in_force
    return None if services.plan_is_draft(plan, trajectory) else plan


def _forms(request, trajectory, plan, bound=None):
    instruments = instrument_list(user=request.user).filter(active=True)
    providers = provider_list(user=request.user).filter(active=True)
    follow_up = _follow_up_plan(trajectory, plan)
    agreements = follow_up.agreements.all() if follow_up else Agreement.objects.none()
    initial_plan = {name: getattr(plan, name) for name in services.PLAN_FIELDS} if plan else {}
    initial_plan["version"] = trajectory.version
    forms = {
        "plan": f.PlanForm(initial=initial_plan, prefix="plan"),
        "revise": f.ReviseForm(initial=initial_plan, prefix="revise"),
        "goal": f.GoalForm(prefix="goal"),
        "idea": f.IdeaForm(prefix="idea", wishes=trajectory.participant.wishes.order_by("-created_at")),
        "instrument": f.InstrumentForm(prefix="instrument", instruments=instruments, providers=providers),
        "agreement": f.AgreementForm(prefix="agreement"),
        "sign": f.SignForm(prefix="sign", initial={"signer_name": request.user.get_full_name()}),
        "handover": f.HandoverForm(prefix="handover"),
        "referral": f.ReferralForm(
            prefix="referral", providers=providers, contracts=Contract.objects.filter(provider__in=providers).select_related("provider")
        ),
        "close": f.CloseForm(prefix="close", initial={"version": trajectory.version}),
        "sanction": f.SanctionForm(prefix="sanction", agreements=agreements.filter(party="participant")),
        "default": f.DefaultForm(prefix="default", agreements=agreements.filter(party="municipality")),
    }
    if bound:
        forms.update(bound)
    return forms


def _attach_edit_forms(trajectory, goals, ideas, instruments, agreements):
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
            initial={"version": version, "start_date": i.start_date, "end_date": i.end_date, "cost_euros": i.cost_cents / 100},
        )
    for a in agreements:
        a.edit_form = f.AgreementEditForm(
            prefix=f"agreement-{a.pk}", initial={"version": version, "party": a.party, "description": a.description, "deadline": a.deadline}
        )


def _detail_context(request, trajectory, bound=None):
    plan = services.current_plan(trajectory)
    versions = list(trajectory.plan_versions.order_by("number"))
    plan_draft = services.plan_is_draft(plan, trajectory) if plan else trajectory.status == TrajectoryStatus.DRAFT
    goals = list(plan.goals.all()) if plan else []
    ideas = list(plan.ideas.all()) if plan else []
    instruments = list(plan.instruments.select_related("instrument", "provider")) if plan else []
    agreements = list(plan.agreements.all()) if plan else []
    if plan and plan_draft:
        _attach_edit_forms(trajectory, goals, ideas, instruments, agreements)
    context = {
        "trajectory": trajectory,
        "participant": trajectory.participant,
        "plan": plan,
        "versions": versions,
        "plan_draft": plan_draft,
        # While a revision is written, agreed and signed, the earlier version stays in force.
        "in_force": services.plan_in_force(trajectory) if plan and plan.number > 1 else None,
        "goals": goals,
        "ideas": ideas,
        "instruments": instruments,
        "agreements": agreements,
        "signatures": {s.party: s for s in plan.signatures.all()} if plan else {},
        "handovers": list(plan.handovers.all()) if plan else [],
        "problems": services.plan_problems(plan) if plan and plan_draft else [],
        "referrals": list(trajectory.referrals.select_related("provider", "end_report").prefetch_related("progress_reports")),
        "wishes": list(trajectory.participant.wishes.order_by("-created_at")[:10]),
        "forms": _forms(request, trajectory, plan, bound),
        "status_choices": AgreementStatus.choices,
        "today": timezone.localdate(),
    }
    return context


@login_required
def detail(request, pk):
    trajectory = trajectory_get(user=request.user, pk=pk)
    audit_read(actor=request.user, obj=trajectory, purpose="trajectory plan")
    context = _detail_context(request, trajectory)
    context["focus"] = SECTION_HEADINGS.get(request.GET.get("done", ""), "")
    return render(request, "trajectories/detail.html", context)


@login_required
@require_POST
def action(request, pk, name):
    """Handle one of the page's small forms through its service."""
    trajectory = trajectory_get(user=request.user, pk=pk)
    plan = services.current_plan(trajectory)
    blank = _forms(request, trajectory, plan)
    if name not in blank:
        raise Http404
    form = blank[name].__class__(request.POST, prefix=name, **_form_kwargs(blank[name]))
    done_message = ""
    try:
        if not form.is_valid():
            raise ValidationError("")
        data = form.cleaned_data
        actor = request.user
        if name == "plan":
            version = data.pop("version")
            services.plan_save_draft(actor=actor, trajectory=trajectory, expected_version=version, **data)
            done_message = _("The plan has been saved.")
        elif name == "goal":
            services.goal_add(actor=actor, trajectory=trajectory, **data)
            done_message = _("The intermediate goal has been added.")
        elif name == "idea":
            services.idea_add(actor=actor, trajectory=trajectory, **data)
            done_message = _("The idea and our answer have been added.")
        elif name == "instrument":
            services.instrument_add(actor=actor, trajectory=trajectory, **data)
            done_message = _("The instrument has been added.")
        elif name == "agreement":
            services.agreement_add(actor=actor, trajectory=trajectory, **data)
            done_message = _("The agreement has been added.")
        elif name == "revise":
            version, reason = data.pop("version"), data.pop("reason")
            services.plan_revise(actor=actor, trajectory=trajectory, reason=reason, expected_version=version, **data)
            done_message = _(
                "A new version of the plan has been made, with copies of everything in it. Change what needs changing, agree on it with the participant, then both sides sign it again."
            )
        elif name == "sign":
            method = "in_person" if data["party"] == "consultant" else "paper"
            services.plan_sign(actor=actor, plan=plan, method=method, **data)
            done_message = _("The signature has been recorded.")
        elif name == "handover":
            services.plan_handover_record(actor=actor, plan=plan, **data)
            done_message = _("The hand-over of the copy has been recorded.")
        elif name == "referral":
            services.referral_propose(actor=actor, trajectory=trajectory, **data)
            done_message = _("The referral has been proposed to the provider.")
        elif name == "close":
            version = data.pop("version")
            services.trajectory_close(actor=actor, trajectory=trajectory, expected_version=version, **data)
            done_message = _("The trajectory has been closed with its end report.")
        elif name == "sanction":
            services.sanction_record(actor=actor, trajectory=trajectory, **data)
            done_message = _("The sanction has been recorded. Remember: the participant is heard first.")
        elif name == "default":
            services.municipality_default_record(actor=actor, trajectory=trajectory, **data)
            done_message = _("The municipality's default has been recorded.")
    except ValidationError as exc:
        if exc.messages != [""]:
            _apply_errors(form, exc)
        trajectory.refresh_from_db()
        # The refused form comes back inside the whole plan page: a read of the dossier too.
        audit_read(actor=request.user, obj=trajectory, purpose="trajectory plan (form refused)")
        context = _detail_context(request, trajectory, bound={name: form})
        context["error_section"] = name
        context["focus"] = _focus_first_error(form, name)
        # htmx swaps only 2xx responses; a full-page post keeps the honest 400.
        return render(request, "trajectories/detail.html", context, status=200 if request.htmx else 400)
    messages.success(request, done_message)
    return _after(name, pk)


def _form_kwargs(form):
    """Re-create a page form with the same querysets as the blank one."""
    kwargs = {}
    if isinstance(form, f.InstrumentForm):
        kwargs = {"instruments": form.fields["instrument"].queryset, "providers": form.fields["provider"].queryset}
    elif isinstance(form, f.IdeaForm):
        kwargs = {"wishes": form.fields["wish"].queryset}
    elif isinstance(form, f.ReferralForm):
        kwargs = {"providers": form.fields["provider"].queryset, "contracts": form.fields["contract"].queryset}
    elif isinstance(form, (f.SanctionForm, f.DefaultForm)):
        kwargs = {"agreements": form.fields["agreement"].queryset}
    return kwargs


@login_required
@require_POST
def agree(request, pk):
    trajectory = trajectory_get(user=request.user, pk=pk)
    try:
        services.plan_agree(actor=request.user, trajectory=trajectory, expected_version=int(request.POST.get("version", -1)))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The plan has been agreed. Now both sides sign it."))
        return _after("agree", pk)
    return _after("agree_refused", pk)


@login_required
@require_POST
def agreement_status(request, pk):
    trajectory = trajectory_get(user=request.user, pk=pk)
    form = f.AgreementStatusForm(request.POST)
    if form.is_valid():
        agreement = Agreement.objects.filter(pk=form.cleaned_data["agreement"], plan__trajectory=trajectory).first()
        if agreement is None:
            raise Http404
        try:
            services.agreement_set_status(
                actor=request.user,
                agreement=agreement,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The status of the agreement has been saved."))
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
    item = _draft_item_or_404(trajectory, kind, item_pk)
    form = f.EDIT_FORMS[kind](request.POST, prefix=f"{kind}-{item.pk}")
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return _after(f"item_{kind}", pk, anchor=kind)
    data = dict(form.cleaned_data)
    version = data.pop("version")
    try:
        services.plan_item_update(actor=request.user, trajectory=trajectory, item=item, expected_version=version, **data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The change has been saved."))
    return _after(f"item_{kind}", pk, anchor=kind)


@login_required
@require_POST
def item_remove(request, pk, kind, item_pk):
    trajectory = trajectory_get(user=request.user, pk=pk)
    item = _draft_item_or_404(trajectory, kind, item_pk)
    form = f.RemoveForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        services.plan_item_remove(actor=request.user, trajectory=trajectory, item=item, expected_version=form.cleaned_data["version"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("It has been removed from this version of the plan."))
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
    plan = _version_or_404(trajectory, number)
    audit_record(actor=request.user, action=AuditAction.READ, obj=plan, participant_id=trajectory.participant_id, purpose="plan version")
    return render(
        request,
        "trajectories/version.html",
        {
            "trajectory": trajectory,
            "participant": trajectory.participant,
            "plan": plan,
            "is_draft": services.plan_is_draft(plan, trajectory),
            "is_current": plan.number == services.current_plan(trajectory).number,
            "goals": list(plan.goals.all()),
            "ideas": list(plan.ideas.all()),
            "instruments": list(plan.instruments.select_related("instrument", "provider")),
            "agreements": list(plan.agreements.all()),
            "signatures": list(plan.signatures.all()),
            "handovers": list(plan.handovers.all()),
        },
    )


@login_required
def plan_pdf(request, pk, number):
    trajectory = trajectory_get(user=request.user, pk=pk)
    plan = trajectory.plan_versions.filter(number=number).first()
    if plan is None:
        raise Http404
    return plan_pdf_response(plan=plan, actor=request.user)


@login_required
def compare(request, pk, number):
    """Compare a plan version with the one before it, field by field and list by list."""
    trajectory = trajectory_get(user=request.user, pk=pk)
    new = trajectory.plan_versions.filter(number=number).first()
    old = trajectory.plan_versions.filter(number=number - 1).first()
    if new is None or old is None:
        raise Http404
    rows = []
    for name in services.PLAN_FIELDS:
        field = new._meta.get_field(name)
        before, after = getattr(old, name), getattr(new, name)
        if hasattr(old, f"get_{name}_display"):
            before, after = getattr(old, f"get_{name}_display")(), getattr(new, f"get_{name}_display")()
        if hasattr(before, "strftime"):
            before, after = before.strftime("%d-%m-%Y"), after.strftime("%d-%m-%Y")
        rows.append({"label": field.verbose_name, "before": before, "after": after, "changed": before != after})
    lists = []
    supported = {True: _("supported"), False: _("not now")}
    for label, attr, text in (
        (_("Intermediate goals"), "goals", lambda g: f"{g.description} ({g.measure}, {g.target_date:%d-%m-%Y})"),
        (_("The participant's own ideas"), "ideas", lambda i: f"“{i.idea}” – {supported[i.supported]}: {i.response}"),
        (
            _("Instruments"),
            "instruments",
            lambda i: (
                f"{i.instrument.name}"
                + (f" – {i.provider.name}" if i.provider else "")
                + f" ({i.start_date:%d-%m-%Y} – {i.end_date:%d-%m-%Y}, {euros(i.cost_cents)})"
            ),
        ),
        (_("Agreements"), "agreements", lambda a: f"{a.get_party_display()}: {a.description} ({a.deadline:%d-%m-%Y})"),
    ):
        before = [text(x) for x in getattr(old, attr).all()]
        after = [text(x) for x in getattr(new, attr).all()]
        lists.append({"label": label, "removed": [x for x in before if x not in after], "added": [x for x in after if x not in before]})
    audit_record(
        actor=request.user, action=AuditAction.READ, obj=new, participant_id=trajectory.participant_id, purpose="compare plan versions"
    )
    return render(request, "trajectories/compare.html", {"trajectory": trajectory, "old": old, "new": new, "rows": rows, "lists": lists})
