"""API routes for the participant portal. Like the pages, they never take a participant id:
everything starts from the logged-in participant, and report ids are looked up within their
own reports, so another participant's id gives 404 (the portal policy, `portal.policies`). A
service's ValidationError answers as a 400 through `core.errors.api_exception_handler`."""

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from maatpak.api.input import checked_text, service_arguments
from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_read, audit_record
from maatpak.core.text import NOTE_MAX_LENGTH
from maatpak.portal import selectors, services
from maatpak.portal.access import portal_participant
from maatpak.trajectories.models import ReportKind
from maatpak.trajectories.referrals import report_copies_mark_viewed


class AgreementOut(serializers.Serializer):
    party = serializers.CharField()
    description = serializers.CharField()
    deadline = serializers.DateField()
    status = serializers.CharField()


class GoalOut(serializers.Serializer):
    description = serializers.CharField()
    measure = serializers.CharField()
    target_date = serializers.DateField()
    status = serializers.CharField()


class PlanOut(serializers.Serializer):
    number = serializers.IntegerField()
    status = serializers.CharField(source="trajectory.status")
    end_goal_kind = serializers.CharField()
    end_goal = serializers.CharField()
    planned_start = serializers.DateField()
    planned_end = serializers.DateField()
    fallback_if_no_job = serializers.CharField()
    goals = GoalOut(many=True, source="goals.all")
    agreements = AgreementOut(many=True, source="agreements.all")
    signed_by = serializers.SerializerMethodField()

    def get_signed_by(self, plan) -> list[str]:
        return sorted(s.party for s in plan.signatures.all())


class ReportOut(serializers.Serializer):
    kind = serializers.CharField()
    id = serializers.IntegerField()
    submitted_on = serializers.DateField()
    author = serializers.CharField()
    provider = serializers.CharField(allow_null=True)
    summary = serializers.CharField()
    reactions = serializers.ListField(child=serializers.CharField())


class ReactionIn(serializers.Serializer):
    text = checked_text(NOTE_MAX_LENGTH, multiline=True)


def _report_row(kind, report):
    referral = report.referral
    return {
        "kind": kind,
        "id": report.pk,
        "submitted_on": report.submitted_on,
        "author": report.author.get_full_name() or report.author.username,
        "provider": referral.provider.name if referral else None,
        "summary": report.conclusion if kind == ReportKind.END else report.next_steps,
        "reactions": [r.text for r in report.reactions.all()],
    }


KIND = OpenApiParameter("kind", OpenApiTypes.STR, OpenApiParameter.PATH, enum=ReportKind.values, description="progress or end")


class MyPlanView(APIView):
    @extend_schema(responses={200: PlanOut, 204: None}, summary="My current plan (participant only); 204 when there is none yet")
    def get(self, request):
        participant = portal_participant(request.user)
        trajectory = selectors.portal_trajectory_current(participant=participant)
        versions = list(selectors.portal_plan_versions(trajectory=trajectory)) if trajectory else []
        if not versions:
            return Response(status=status.HTTP_204_NO_CONTENT)
        audit_record(
            actor=request.user, action=AuditAction.READ, obj=versions[-1], participant_id=participant.pk, purpose="portal api plan"
        )
        return Response(PlanOut(versions[-1]).data)


class MyReportsView(APIView):
    @extend_schema(responses=ReportOut(many=True), summary="Reports about me (participant only)")
    def get(self, request):
        participant = portal_participant(request.user)
        rows = [_report_row(ReportKind.END, r) for r in selectors.portal_end_reports(participant=participant)]
        rows += [_report_row(ReportKind.PROGRESS, r) for r in selectors.portal_progress_reports(participant=participant)]
        report_copies_mark_viewed(participant=participant)
        audit_read(actor=request.user, obj=participant, purpose="portal api reports")
        return Response(ReportOut(rows, many=True).data)


class MyReportView(APIView):
    @extend_schema(responses=ReportOut, parameters=[KIND], summary="One report about me; 404 for anyone else's")
    def get(self, request, kind, pk):
        participant = portal_participant(request.user)
        report = selectors.portal_report_get(participant=participant, kind=kind, pk=pk)
        audit_record(actor=request.user, action=AuditAction.READ, obj=report, participant_id=participant.pk, purpose="portal api report")
        return Response(ReportOut(_report_row(kind, report)).data)


class MyReportReactionView(APIView):
    @extend_schema(request=ReactionIn, responses={201: ReportOut}, parameters=[KIND], summary="React to a report about me")
    def post(self, request, kind, pk):
        participant = portal_participant(request.user)
        report = selectors.portal_report_get(participant=participant, kind=kind, pk=pk)
        services.report_reaction_add(actor=request.user, participant=participant, report=report, **service_arguments(ReactionIn, request))
        report = selectors.portal_report_get(participant=participant, kind=kind, pk=pk)
        return Response(ReportOut(_report_row(kind, report)).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("portal/me/plan/", MyPlanView.as_view(), name="portal-my-plan"),
    path("portal/me/reports/", MyReportsView.as_view(), name="portal-my-reports"),
    path("portal/me/reports/<str:kind>/<int:pk>/", MyReportView.as_view(), name="portal-my-report"),
    path("portal/me/reports/<str:kind>/<int:pk>/reactions/", MyReportReactionView.as_view(), name="portal-my-report-reactions"),
]
