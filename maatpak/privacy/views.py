from datetime import timedelta

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from maatpak.accounts.roles import Role
from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_record
from maatpak.casework.break_glass import BreakGlassReason
from maatpak.privacy.selectors import audit_event_list, audit_participant_list, break_glass_event_list, participant_references

PAGE_SIZE = 50


class PeriodFilterForm(forms.Form):
    """Filter by person (the staff member's user name) and by period."""

    actor = forms.CharField(label=_("User name"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

    def filters(self) -> dict:
        """The valid filters (none when the form is not valid)."""
        if not self.is_valid():
            return {}
        return {name: self.cleaned_data[name] for name in ("actor", "date_from", "date_to")}


class AuditFilterForm(PeriodFilterForm):
    participant_reference = forms.CharField(label=_("Participant reference"), required=False)
    action = forms.ChoiceField(label=_("Action"), required=False, choices=[("", _("All actions")), *list(AuditAction.choices)])

    field_order = ["participant_reference", "actor", "action", "date_from", "date_to"]


def _page(request, events):
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


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
        filters.update(form.filters(), action=form.cleaned_data["action"])
    # Logged before the page is counted, so the listing includes this look itself.
    audit_record(
        actor=request.user,
        action=AuditAction.READ,
        obj=participant,
        purpose="audit log review",
        detail={"filters": {k: str(v) for k, v in filters.items() if v}},
    )
    events = audit_event_list(user=request.user, **filters)
    page, query = _page(request, events)
    return render(request, "audit/log.html", {"form": form, "page": page, "query": query})


@login_required
def break_glass_list(request):
    """The dossiers staff opened outside their own caseload, each with the purpose they gave
    (break the glass), filtered by person and period. Reading this list is logged too."""
    form = PeriodFilterForm(request.GET or None)
    filters = form.filters()
    events = break_glass_event_list(user=request.user, **filters)
    audit_record(
        actor=request.user,
        action=AuditAction.READ,
        purpose="break the glass review",
        detail={"filters": {k: str(v) for k, v in filters.items() if v}},
    )
    page, query = _page(request, events)
    references = participant_references(user=request.user, participant_ids=[e.participant_id for e in page])
    reasons, roles = dict(BreakGlassReason.choices), dict(Role.choices)
    rows = [
        {
            "event": event,
            "role": roles.get(event.actor_role, event.actor_role),
            "participant": references.get(event.participant_id, event.participant_id),
            "reason": reasons.get(event.detail.get("reason"), event.detail.get("reason", "")),
            "explanation": event.detail.get("explanation", ""),
            # Open for that many hours at most: a new log-in closes it earlier.
            "until": event.at + timedelta(hours=event.detail.get("hours", 0)),
        }
        for event in page
    ]
    return render(request, "audit/break_glass.html", {"form": form, "page": page, "rows": rows, "query": query})
