"""Break the glass (doel opgeven): a dossier outside one's own caseload — a team colleague's, or
any dossier for a team lead — opens only after the user says why (Suwinet's practice: every
look-up has a purpose). The rule of who must, and how long a purpose holds, is
`participants.policies.purpose_needed`; this module is the page that asks and the service that
records the answer as an audit event marked `BREAK_GLASS` (the privacy officer's list of these
accesses reads those events: `privacy.views.break_glass_list`)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from maatpak.audit.models import AuditAction, AuditEvent
from maatpak.audit.services import audit_read, audit_record
from maatpak.core.errors import add_service_errors
from maatpak.participants.policies import BREAK_GLASS, break_glass_hours, dossier_policy, outside_own_caseload, purpose_needed

EXPLANATION_MAX_LENGTH = 300


class BreakGlassReason(models.TextChoices):
    """Why a dossier outside one's own caseload is opened (reden voor inzage)."""

    COVERING_COLLEAGUE = "covering_colleague", gettext_lazy("Covering for a colleague")
    PARTICIPANT_QUESTION = "participant_question", gettext_lazy("A question from the participant")
    TEAM_CONSULTATION = "team_consultation", gettext_lazy("Consultation in the team")
    TEAM_LEAD_TASK = "team_lead_task", gettext_lazy("A task as team lead (complaint, another consultant, quality check)")
    OTHER = "other", gettext_lazy("Something else")


class PurposeForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("Why do you open this dossier?"),
        choices=BreakGlassReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose why you open this dossier.")},
    )
    explanation = forms.CharField(
        label=gettext_lazy("Explain in a few words"),
        help_text=gettext_lazy("For example: which colleague you stand in for, or what the participant asked."),
        max_length=EXPLANATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Write in a few words why you need this dossier.")},
    )


@transaction.atomic
def dossier_open_with_purpose(*, actor, participant, reason: str, explanation: str) -> AuditEvent:
    """Record why `actor` opens `participant`'s dossier outside their own caseload: one audit
    event, linked to the participant and marked BREAK_GLASS, which opens the dossier for
    `break_glass_hours()` within the actor's current log-in. 404 for a dossier the actor may
    not view at all; refused when the dossier is the actor's own (nothing to open)."""
    dossier_policy.check(actor, "view", participant)
    if not outside_own_caseload(actor, participant):
        raise ValidationError(_("This participant is on your own caseload: you do not need to give a reason."))
    if reason not in BreakGlassReason.values:
        raise ValidationError({"reason": _("Choose why you open this dossier.")})
    explanation = (explanation or "").strip()
    if not explanation:
        raise ValidationError({"explanation": _("Write in a few words why you need this dossier.")})
    if len(explanation) > EXPLANATION_MAX_LENGTH:
        raise ValidationError(
            {
                "explanation": _("Write at most %(limit)s characters. You wrote %(count)s.")
                % {"limit": EXPLANATION_MAX_LENGTH, "count": len(explanation)}
            }
        )
    return audit_record(
        actor=actor,
        action=AuditAction.READ,
        obj=participant,
        purpose=f"break the glass: {reason}",
        detail={BREAK_GLASS: True, "reason": reason, "explanation": explanation, "hours": break_glass_hours()},
    )


def _next_url(request, participant) -> str:
    """Where to go once the purpose is given: the page the user asked for, if it is ours."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return wanted
    return reverse("participants:dossier", args=[participant.pk])


@login_required
@require_http_methods(["GET", "POST"])
def purpose(request, pk):
    """Ask why the user opens a dossier outside their own caseload; then on to the page asked
    for. Whoever needs no purpose (their own caseload, or a purpose still holds) goes straight on."""
    participant = dossier_policy.get(request.user, "view", pk)
    next_url = _next_url(request, participant)
    if not purpose_needed(request.user, participant):
        return redirect(next_url)
    form = PurposeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            dossier_open_with_purpose(actor=request.user, participant=participant, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(next_url)
    # The page names the participant: a read, though not yet of the dossier.
    audit_read(actor=request.user, obj=participant, purpose="break the glass: purpose asked")
    context = {"participant": participant, "form": form, "next": next_url, "hours": break_glass_hours()}
    return render(request, "participants/purpose.html", context, status=400 if form.errors else 200)
