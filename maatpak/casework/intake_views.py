"""The intake screen (aanmelding): a new participant, reached from the caseload. The rules are
in `participants.intake.participant_register`; after saving, the new dossier (or, when asked,
the page that makes the participant's activation code for My Maatpak)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from maatpak.accounts.models import Municipality
from maatpak.accounts.policy import DOSSIER, require
from maatpak.casework.intake_forms import IntakeForm
from maatpak.core.errors import add_service_errors
from maatpak.participants.intake import DuplicateParticipantError, participant_register
from maatpak.participants.policies import dossier_policy, purpose_needed


@login_required
@require_http_methods(["GET", "POST"])
def intake(request):
    require(request.user, DOSSIER, "register")
    municipalities = Municipality.objects.filter(users=request.user).order_by("name")
    form = IntakeForm(
        request.POST if request.method == "POST" else None, municipalities=municipalities, initial={"consultant": request.user.pk}
    )
    existing = None
    if request.method == "POST" and form.is_valid():
        try:
            participant = participant_register(actor=request.user, **form.service_arguments())
        except DuplicateParticipantError as exc:
            add_service_errors(form, exc)
            existing = exc.existing
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s is registered.") % {"name": participant.full_name})
            if form.cleaned_data["open_portal_account"]:
                return redirect("portal:activation_new", participant.pk)
            if dossier_policy.allows(request.user, "view", participant) and not purpose_needed(request.user, participant):
                return redirect("participants:dossier", participant.pk)
            # A team lead who gave the case to a consultant outside their team cannot open it,
            # and one who gave it to a team consultant opens it only for a purpose (break the glass).
            return redirect(reverse("participants:caseload"))
    status = 400 if request.method == "POST" else 200
    return render(request, "participants/intake.html", {"form": form, "existing": existing}, status=status)
