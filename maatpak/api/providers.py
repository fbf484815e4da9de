"""API routes for provider staff. Access and fields are exactly those of the pages: the same
policy (trajectories.policies.referral_policy), the same services (trajectories.referrals) and
the same allow-list (`referral_view`). A service's refusal becomes a 400 through the project's
exception handler (core.errors)."""

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from maatpak.accounts.policy import REFERRAL, require
from maatpak.api.input import date_field, service_arguments, text_field, version_field
from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_read_participants, audit_record
from maatpak.providers.access import referral_view, with_view_data
from maatpak.trajectories import referrals
from maatpak.trajectories.models import Attendance, EndReport, GoalProgressLevel, Outcome, ProgressReport, Referral
from maatpak.trajectories.selectors import provider_referrals, referral_get


class ReferralOut(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    version = serializers.IntegerField()
    participant_name = serializers.CharField()
    participant_reference = serializers.CharField()
    shared_information = serializers.CharField()
    proposed_on = serializers.DateField()
    intake_on = serializers.DateField(allow_null=True)
    started_on = serializers.DateField(allow_null=True)
    ended_on = serializers.DateField(allow_null=True)
    goals = serializers.ListField(child=serializers.DictField())
    instruments = serializers.ListField(child=serializers.CharField())
    participant_agreements = serializers.ListField(child=serializers.DictField())


class ProgressReportIn(serializers.Serializer):
    activities = text_field(ProgressReport, "activities", allow_blank=True)
    attendance = serializers.ChoiceField(choices=Attendance.choices)
    next_steps = text_field(ProgressReport, "next_steps", allow_blank=True)
    goal_progress = serializers.DictField(
        child=serializers.ChoiceField(choices=GoalProgressLevel.choices),
        required=False,
        default=dict,
        help_text="{goal id: level} with a level for every goal in the referral's `goals`, and for no other goal.",
    )
    proposed_rung = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=6)
    barriers = text_field(ProgressReport, "barriers", required=False, allow_blank=True, default="")
    participant_view = text_field(ProgressReport, "participant_view", required=False, allow_blank=True, default="")
    participant_saw_report = serializers.BooleanField(required=False, default=False)


class EndReportIn(serializers.Serializer):
    conclusion = text_field(EndReport, "conclusion", allow_blank=True)
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    recommendation = text_field(EndReport, "recommendation", allow_blank=True)
    ended_on = date_field()
    version = version_field(help_text="The referral's version you based this on; a stale one is refused.")


class VersionIn(serializers.Serializer):
    version = version_field(help_text="The referral's version you based this on; a stale one is refused.")


class DeclineIn(VersionIn):
    reason = text_field(Referral, "decline_reason", allow_blank=True)


class IntakeIn(VersionIn):
    intake_on = date_field(allow_null=True)


class StartIn(VersionIn):
    started_on = date_field(allow_null=True)


class ReportCreatedOut(serializers.Serializer):
    id = serializers.IntegerField()
    due_on = serializers.DateField(allow_null=True, help_text="When the report was due.")


class _ReferralStepView(APIView):
    """One step in the referral's life (accept, decline, intake, start). It calls the same
    service as the button on the referral page, so the same checks apply (state, dates, stale
    version); the answer is the referral as the provider now sees it."""

    input_serializer = VersionIn
    step = None  # the service, as a staticmethod

    def post(self, request, pk):
        referral = referral_get(user=request.user, pk=pk)
        self.step(actor=request.user, referral=referral, **service_arguments(self.input_serializer, request))
        referral.refresh_from_db()
        return Response(ReferralOut(referral_view(referral)).data)


@extend_schema_view(post=extend_schema(request=VersionIn, responses=ReferralOut, summary="Accept a proposed referral"))
class AcceptView(_ReferralStepView):
    step = staticmethod(referrals.referral_accept)


@extend_schema_view(post=extend_schema(request=DeclineIn, responses=ReferralOut, summary="Decline a proposed referral, with the reason"))
class DeclineView(_ReferralStepView):
    input_serializer = DeclineIn
    step = staticmethod(referrals.referral_decline)


@extend_schema_view(post=extend_schema(request=IntakeIn, responses=ReferralOut, summary="Record the intake date of an accepted referral"))
class IntakeView(_ReferralStepView):
    input_serializer = IntakeIn
    step = staticmethod(referrals.referral_record_intake)


@extend_schema_view(post=extend_schema(request=StartIn, responses=ReferralOut, summary="Record the start date after the intake"))
class StartView(_ReferralStepView):
    input_serializer = StartIn
    step = staticmethod(referrals.referral_start)


class ReferralListView(APIView):
    @extend_schema(responses=ReferralOut(many=True), summary="Referrals to my provider (provider staff only)")
    def get(self, request):
        require(request.user, REFERRAL, "work_on")
        referrals_shown = list(with_view_data(provider_referrals(user=request.user)))
        # One read event per participant shown, linked to them ("who saw my data?"), one INSERT.
        audit_read_participants(
            actor=request.user, participants=[r.trajectory.participant for r in referrals_shown], purpose="provider api referral list"
        )
        return Response(ReferralOut([referral_view(r) for r in referrals_shown], many=True).data)


class ReferralDetailView(APIView):
    @extend_schema(responses=ReferralOut, summary="One referral to my provider; 404 for any other")
    def get(self, request, pk):
        referral = referral_get(user=request.user, pk=pk)
        audit_record(
            actor=request.user,
            action=AuditAction.READ,
            obj=referral,
            participant_id=referral.trajectory.participant_id,
            purpose="provider api referral",
        )
        return Response(ReferralOut(referral_view(referral)).data)


class ProgressReportView(APIView):
    @extend_schema(request=ProgressReportIn, responses={201: ReportCreatedOut}, summary="Submit a progress report")
    def post(self, request, pk):
        referral = referral_get(user=request.user, pk=pk)
        values = service_arguments(ProgressReportIn, request)
        if not all((str(k).isascii() and str(k).isdigit()) for k in values["goal_progress"]):
            raise ValidationError({"goal_progress": [_("Give the progress for the goals of this participant's plan only.")]})
        # One level per visible goal, none for others: checked in the service, as for the web form.
        values["goal_progress"] = {int(k): v for k, v in values["goal_progress"].items()}
        report = referrals.progress_report_submit(actor=request.user, referral=referral, **values)
        return Response({"id": report.pk, "due_on": report.due_on}, status=status.HTTP_201_CREATED)


class EndReportView(APIView):
    @extend_schema(request=EndReportIn, responses={201: ReportCreatedOut}, summary="Submit the end report; this ends the referral")
    def post(self, request, pk):
        referral = referral_get(user=request.user, pk=pk)
        report = referrals.end_report_submit(actor=request.user, referral=referral, **service_arguments(EndReportIn, request))
        return Response({"id": report.pk, "due_on": report.due_on}, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("providers/referrals/", ReferralListView.as_view(), name="provider-referrals"),
    path("providers/referrals/<int:pk>/", ReferralDetailView.as_view(), name="provider-referral"),
    path("providers/referrals/<int:pk>/accept/", AcceptView.as_view(), name="provider-referral-accept"),
    path("providers/referrals/<int:pk>/decline/", DeclineView.as_view(), name="provider-referral-decline"),
    path("providers/referrals/<int:pk>/intake/", IntakeView.as_view(), name="provider-referral-intake"),
    path("providers/referrals/<int:pk>/start/", StartView.as_view(), name="provider-referral-start"),
    path("providers/referrals/<int:pk>/progress-reports/", ProgressReportView.as_view(), name="provider-progress-report"),
    path("providers/referrals/<int:pk>/end-report/", EndReportView.as_view(), name="provider-end-report"),
]
