from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render

from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_record
from maatpak.core.errors import refusal_text
from maatpak.surveys.selectors import anonymous_feedback_summary


@login_required
def council_feedback(request):
    """Anonymous feedback for the client council, per ended quarter (see the selector's rules)."""
    period = request.GET.get("period", "")
    error = None
    try:
        summary = anonymous_feedback_summary(user=request.user, period=period)
    except ValidationError as exc:
        error = refusal_text(exc)
        summary = anonymous_feedback_summary(user=request.user)
    audit_record(actor=request.user, action=AuditAction.READ, purpose="council feedback summary", detail={"period": summary["period"].code})
    return render(request, "surveys/council_feedback.html", {"summary": summary, "period_error": error})
