"""The right of access (inzage, AVG art. 15): the participant's page "What does the municipality
know about me?" with its downloads, and the privacy officer's screens for a written request.

Both read the same file (`privacy.subject_access`). Every look and every download is
audit-logged against the participant: a download as an EXPORT, the privacy officer's with the
purpose "inzageverzoek" and the request's date and reference. Downloads are reads, so they are
GET links; they change nothing.
"""

import calendar
import datetime as dt
import json
import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from maatpak.accounts.policy import SUBJECT_ACCESS, require
from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_record
from maatpak.core.bsn import normalise_bsn
from maatpak.core.errors import add_service_errors
from maatpak.privacy.subject_access import (
    AccessRequest,
    subject_access_own_participant,
    subject_access_participant_find,
    subject_access_participant_get,
    subject_access_report,
)
from maatpak.privacy.subject_access_pdf import subject_access_pdf_bytes

# The purpose written in the audit log for the privacy officer's work on a written request.
REQUEST_PURPOSE = "inzageverzoek"
OWN_PURPOSE = "right of access"
# The AVG applies from this day; a request cannot be older.
AVG_IN_FORCE = dt.date(2018, 5, 25)
FORMATS = ("pdf", "json")


def _filename(participant, extension: str) -> str:
    reference = re.sub(r"[^A-Za-z0-9_-]", "", participant.reference) or str(participant.pk)
    return f"inzage-{reference}-{timezone.localdate():%Y%m%d}.{extension}"


def _download(*, actor, participant, fmt: str, purpose: str, request_info: AccessRequest | None = None) -> HttpResponse:
    """The whole file as a PDF or JSON attachment, always in Dutch; logged as an export."""
    detail = {"format": fmt}
    if request_info is not None:
        detail.update({"request_received_on": str(request_info.received_on or ""), "request_reference": request_info.reference})
    audit_record(actor=actor, action=AuditAction.EXPORT, obj=participant, purpose=purpose, detail=detail)
    with translation.override("nl"):
        report = subject_access_report(participant=participant, request=request_info)
        if fmt == "pdf":
            response = HttpResponse(subject_access_pdf_bytes(report), content_type="application/pdf")
        else:
            body = json.dumps(report.to_json(), ensure_ascii=False, indent=2)
            response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(participant, fmt)}"'
    return response


# --- the participant ------------------------------------------------------------------------------


@login_required(login_url="portal:login")
@require_GET
def my_data(request):
    """Wat weet de gemeente over mij? Everything held about the logged-in participant, and who
    looked at their file. Anyone but a participant gets a 404, like every portal page."""
    participant = subject_access_own_participant(user=request.user)
    audit_record(actor=request.user, action=AuditAction.READ, obj=participant, purpose=OWN_PURPOSE)
    report = subject_access_report(participant=participant)
    return render(request, "privacy/my_data.html", {"participant": participant, "report": report})


@login_required(login_url="portal:login")
@require_GET
def my_data_download(request, fmt: str):
    participant = subject_access_own_participant(user=request.user)
    return _download(actor=request.user, participant=participant, fmt=fmt, purpose=f"{OWN_PURPOSE} ({fmt.upper()})")


# --- the privacy officer --------------------------------------------------------------------------


def one_month_after(day: dt.date) -> dt.date:
    """The AVG's answer deadline: one month after receipt (the 31st becomes the month's last day)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class AccessRequestForm(forms.Form):
    """The written request: when it was received and the municipality's reference."""

    received_on = forms.DateField(label=_("Request received on"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(
        label=_("Reference of the request"), required=False, max_length=60, help_text=_("For example the number of the letter.")
    )

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise ValidationError(_("The date the request was received cannot be in the future."), code="future")
        if day < AVG_IN_FORCE:
            raise ValidationError(_("A request under the AVG cannot be from before 25 May 2018."), code="before_avg")
        return day

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip()
        if any(not character.isprintable() for character in reference):
            raise ValidationError(_("The reference may only contain letters, digits and punctuation."), code="unprintable")
        return reference

    def access_request(self) -> AccessRequest:
        return AccessRequest(received_on=self.cleaned_data["received_on"], reference=self.cleaned_data["reference"])


class LookupForm(AccessRequestForm):
    """Find the participant: by BSN or by client number (one of the two)."""

    bsn = forms.CharField(label=_("BSN"), required=False, max_length=20)
    client_number = forms.CharField(label=_("Client number"), required=False, max_length=32)

    field_order = ["bsn", "client_number", "received_on", "reference"]

    def clean_bsn(self):
        raw = self.cleaned_data["bsn"].strip()
        return normalise_bsn(raw) if raw else ""

    def clean(self):
        data = super().clean()
        if not data.get("bsn") and not data.get("client_number", "").strip() and "bsn" not in self.errors:
            raise ValidationError(_("Enter a BSN or a client number."), code="no_identifier")
        if data.get("bsn") and data.get("client_number", "").strip():
            raise ValidationError(_("Enter a BSN or a client number, not both."), code="both_identifiers")
        return data


@login_required
@require_http_methods(["GET", "POST"])
def request_lookup(request):
    """Step 1 of a written request: find the participant. A POST, so the BSN never appears in a
    URL (and so never in a server's access log)."""
    require(request.user, SUBJECT_ACCESS, "handle_request")
    form = LookupForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            by = "bsn" if form.cleaned_data["bsn"] else "client_number"
            try:
                participant = subject_access_participant_find(
                    user=request.user, bsn=form.cleaned_data["bsn"], client_number=form.cleaned_data["client_number"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
                participant = None
            else:
                # Logged found or not, never with the BSN itself.
                audit_record(
                    actor=request.user,
                    action=AuditAction.SEARCH,
                    obj=participant,
                    purpose=REQUEST_PURPOSE,
                    detail={"by": by, "found": participant is not None},
                )
                if participant is None:
                    form.add_error(None, _("There is no participant with this BSN or client number in your municipality."))
            if participant is not None:
                query = urlencode(
                    {"received_on": form.cleaned_data["received_on"].isoformat(), "reference": form.cleaned_data["reference"]}
                )
                return redirect(reverse("privacy:subject_access_request", args=[participant.pk]) + "?" + query)
    return render(request, "privacy/request_lookup.html", {"form": form}, status=status)


def _request_from_query(request):
    """The request details carried in the query string, or None (with a message) when invalid."""
    form = AccessRequestForm(request.GET)
    if form.is_valid():
        return form.access_request()
    messages.error(request, _("Enter the date the request was received again; it was missing or not valid."))
    return None


@login_required
@require_GET
def request_detail(request, pk: int):
    """Step 2: the participant found, what their file holds (counts only) and the downloads."""
    require(request.user, SUBJECT_ACCESS, "handle_request")
    participant = subject_access_participant_get(user=request.user, pk=pk)
    request_info = _request_from_query(request)
    if request_info is None:
        return redirect("privacy:subject_access_lookup")
    audit_record(
        actor=request.user,
        action=AuditAction.READ,
        obj=participant,
        purpose=REQUEST_PURPOSE,
        detail={"request_received_on": str(request_info.received_on), "request_reference": request_info.reference},
    )
    report = subject_access_report(participant=participant, request=request_info)
    return render(
        request,
        "privacy/request_detail.html",
        {
            "participant": participant,
            "report": report,
            "request_info": request_info,
            "deadline": one_month_after(request_info.received_on),
            "query": request.GET.urlencode(),
        },
    )


@login_required
@require_GET
def request_download(request, pk: int, fmt: str):
    require(request.user, SUBJECT_ACCESS, "handle_request")
    participant = subject_access_participant_get(user=request.user, pk=pk)
    request_info = _request_from_query(request)
    if request_info is None:
        return redirect("privacy:subject_access_lookup")
    return _download(actor=request.user, participant=participant, fmt=fmt, purpose=REQUEST_PURPOSE, request_info=request_info)
