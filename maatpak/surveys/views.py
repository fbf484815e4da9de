import re

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_record
from maatpak.surveys.selectors import anonymous_feedback_summary

WEEK = re.compile(r"^\d{4}-W\d{2}$")


@login_required
def council_feedback(request):
    """Anonymous feedback for the client council: totals per topic; texts only above the minimum."""
    week_from = request.GET.get("from", "")
    week_to = request.GET.get("to", "")
    errors = [value for value in (week_from, week_to) if value and not WEEK.match(value)]
    summary = anonymous_feedback_summary(user=request.user, week_from="" if errors else week_from, week_to="" if errors else week_to)
    audit_record(actor=request.user, action=AuditAction.READ, purpose="council feedback summary")
    return render(request, "surveys/council_feedback.html", {"summary": summary, "week_from": week_from, "week_to": week_to, "week_errors": errors})
