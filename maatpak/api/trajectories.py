"""API routes for trajectories. They call the same services as the web pages, so the rules
(close only with an end report, a reason for a repeat, sanctions on an agreement after a
hearing) hold here too, with the same Dutch messages (a refusal becomes a 400 through the
project's exception handler, core.errors)."""

from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from maatpak.api.input import service_arguments
from maatpak.participants.policies import dossier_policy
from maatpak.trajectories import services
from maatpak.trajectories.models import Agreement, Outcome, SanctionInitiator
from maatpak.trajectories.selectors import trajectory_get


class TrajectoryOut(serializers.Serializer):
    id = serializers.IntegerField()
    participant = serializers.IntegerField(source="participant_id")
    status = serializers.CharField()
    started_on = serializers.DateField(allow_null=True)
    ended_on = serializers.DateField(allow_null=True)
    previous = serializers.IntegerField(source="previous_id", allow_null=True)
    repeat_reason = serializers.CharField()


class TrajectoryCreateIn(serializers.Serializer):
    participant = serializers.IntegerField()
    repeat_reason = serializers.CharField(required=False, allow_blank=True, default="")
    read_previous_conclusion = serializers.BooleanField(required=False, default=False)


class TrajectoryCloseIn(serializers.Serializer):
    version = serializers.IntegerField()
    conclusion = serializers.CharField(required=False, allow_blank=True, default="")
    outcome = serializers.ChoiceField(choices=Outcome.choices, required=False, allow_blank=True, default="")
    recommendation = serializers.CharField(required=False, allow_blank=True, default="")


class SanctionIn(serializers.Serializer):
    agreement = serializers.IntegerField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    initiated_by = serializers.ChoiceField(choices=SanctionInitiator.choices)
    percentage = serializers.IntegerField(required=False, allow_null=True, default=None)
    months = serializers.IntegerField(required=False, allow_null=True, default=None)
    hearing_on = serializers.DateField(required=False, allow_null=True, default=None)


class DefaultIn(serializers.Serializer):
    agreement = serializers.IntegerField(required=False, allow_null=True, default=None)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    remedy = serializers.CharField(required=False, allow_blank=True, default="")


def _agreement(trajectory, pk):
    return Agreement.objects.filter(pk=pk, plan__trajectory=trajectory).first() if pk else None


class TrajectoryCreateView(APIView):
    @extend_schema(
        request=TrajectoryCreateIn, responses={201: TrajectoryOut}, summary="Start a trajectory (a repeat within 24 months needs a reason)"
    )
    def post(self, request):
        values = service_arguments(TrajectoryCreateIn, request)
        participant = dossier_policy.get(request.user, "view", values.pop("participant"))
        trajectory = services.trajectory_create(actor=request.user, participant=participant, **values)
        return Response(TrajectoryOut(trajectory).data, status=status.HTTP_201_CREATED)


class TrajectoryCloseView(APIView):
    @extend_schema(request=TrajectoryCloseIn, responses={200: TrajectoryOut}, summary="Close a trajectory with its end report")
    def post(self, request, pk):
        trajectory = trajectory_get(user=request.user, pk=pk)
        services.trajectory_close(actor=request.user, trajectory=trajectory, **service_arguments(TrajectoryCloseIn, request))
        trajectory.refresh_from_db()
        return Response(TrajectoryOut(trajectory).data)


class _BreachView(APIView):
    """A sanction or a municipality's default, on an agreement of the trajectory: the same
    service as the dossier's form, so the same rules (an agreement in force, a hearing first)."""

    input_serializer = None
    record = None  # the service, as a staticmethod

    def post(self, request, pk):
        trajectory = trajectory_get(user=request.user, pk=pk)
        values = service_arguments(self.input_serializer, request)
        values["agreement"] = _agreement(trajectory, values["agreement"])
        row = self.record(actor=request.user, trajectory=trajectory, **values)
        return Response({"id": row.pk}, status=status.HTTP_201_CREATED)


@extend_schema_view(post=extend_schema(request=SanctionIn, responses={201: None}, summary="Record a sanction on a participant's agreement"))
class SanctionView(_BreachView):
    input_serializer = SanctionIn
    record = staticmethod(services.sanction_record)


@extend_schema_view(post=extend_schema(request=DefaultIn, responses={201: None}, summary="Record a municipality default on its agreement"))
class DefaultView(_BreachView):
    input_serializer = DefaultIn
    record = staticmethod(services.municipality_default_record)


urlpatterns = [
    path("trajectories/", TrajectoryCreateView.as_view(), name="trajectory-create"),
    path("trajectories/<int:pk>/close/", TrajectoryCloseView.as_view(), name="trajectory-close"),
    path("trajectories/<int:pk>/sanctions/", SanctionView.as_view(), name="trajectory-sanction"),
    path("trajectories/<int:pk>/municipality-defaults/", DefaultView.as_view(), name="trajectory-default"),
]
