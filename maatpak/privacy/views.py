from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_record
from maatpak.privacy.selectors import audit_event_list, audit_participant_list


class AuditFilterForm(forms.Form):
    participant_reference = forms.CharField(label=_("Participant reference"), required=False)
    actor = forms.CharField(label=_("User name"), required=False)
    action = forms.ChoiceField(label=_("Action"), required=False, choices=[("", _("All actions")), *list(AuditAction.choices)])
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data


@login_required
def audit_log(request):
    """Who looked at or changed which dossier. Reading the log is itself logged."""
    form = AuditFilterForm(request.GET or None)
    filters = {}
    participant = None
    if form.is_valid():
        reference = form.cleaned_data["participant_reference"].strip()
        if reference:
            participant = audit_participant_list(user=request.user).filter(reference=reference).first()
            # An unknown reference must give an empty list, not the whole log.
            filters["participant_id"] = participant.pk if participant else -1
        filters.update(
            actor=form.cleaned_data["actor"],
            action=form.cleaned_data["action"],
            date_from=form.cleaned_data["date_from"],
            date_to=form.cleaned_data["date_to"],
        )
    # Logged before the page is counted, so the listing includes this look itself.
    audit_record(
        actor=request.user,
        action=AuditAction.READ,
        obj=participant,
        purpose="audit log review",
        detail={"filters": {k: str(v) for k, v in filters.items() if v}},
    )
    events = audit_event_list(user=request.user, **filters)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/log.html", {"form": form, "page": page, "query": query.urlencode()})
