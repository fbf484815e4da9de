"""API routes for trajectories. They call the same services as the web pages, so the rules
(close only with an end report, a reason for a repeat, sanctions on an agreement after a
hearing) hold here too, with the same Dutch messages (a refusal becomes a 400 through the
project's exception handler, core.errors)."""

from django.http import Http404
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from maatpak.accounts.policy import TRAJECTORY, require
from maatpak.api.input import date_field, id_field, number_field, service_arguments, text_field, version_field
from maatpak.api.purpose import require_purpose
from maatpak.participants.policies import dossier_policy
from maatpak.trajectories import services
from maatpak.trajectories.models import (
    Agreement,
    EndReport,
    MunicipalityDefault,
    ObjectionDecision,
    Outcome,
    Sanction,
    SanctionInitiator,
    SanctionStatus,
    Trajectory,
)
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
    participant = id_field()
    repeat_reason = text_field(Trajectory, "repeat_reason", required=False, allow_blank=True, default="")
    read_previous_conclusion = serializers.BooleanField(required=False, default=False)


class TrajectoryCloseIn(serializers.Serializer):
    version = version_field()
    conclusion = text_field(EndReport, "conclusion", required=False, allow_blank=True, default="")
    outcome = serializers.ChoiceField(choices=Outcome.choices, required=False, allow_blank=True, default="")
    recommendation = text_field(EndReport, "recommendation", required=False, allow_blank=True, default="")


class SanctionIn(serializers.Serializer):
    agreement = id_field(required=False, allow_null=True, default=None)
    reason = text_field(Sanction, "reason", required=False, allow_blank=True, default="")
    initiated_by = serializers.ChoiceField(choices=SanctionInitiator.choices)
    percentage = number_field(required=False, allow_null=True, default=None)
    months = number_field(required=False, allow_null=True, default=None)
    hearing_on = date_field(required=False, allow_null=True, default=None)


class DefaultIn(serializers.Serializer):
    agreement = id_field(required=False, allow_null=True, default=None)
    description = text_field(MunicipalityDefault, "description", required=False, allow_blank=True, default="")
    remedy = text_field(MunicipalityDefault, "remedy", required=False, allow_blank=True, default="")


class SanctionOut(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    hearing_on = serializers.DateField()
    hearing_held_on = serializers.DateField(allow_null=True)
    decided_on = serializers.DateField(allow_null=True)
    objection_filed_on = serializers.DateField(allow_null=True)
    objection_decided_on = serializers.DateField(allow_null=True)
    objection_decision = serializers.CharField()


class HearingIn(serializers.Serializer):
    held_on = date_field(required=False, allow_null=True, default=None)
    notes = text_field(Sanction, "hearing_notes", required=False, allow_blank=True, default="")


class DecisionIn(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[SanctionStatus.IMPOSED, SanctionStatus.WITHDRAWN])
    decided_on = date_field(required=False, allow_null=True, default=None)
    reason = text_field(Sanction, "decision_reason", required=False, allow_blank=True, default="")


class ObjectionIn(serializers.Serializer):
    filed_on = date_field(required=False, allow_null=True, default=None)


class ObjectionDecisionIn(serializers.Serializer):
    decision = serializers.ChoiceField(choices=ObjectionDecision.choices)
    decided_on = date_field(required=False, allow_null=True, default=None)
    outcome = text_field(Sanction, "objection_outcome", required=False, allow_blank=True, default="")


class DefaultOut(serializers.Serializer):
    id = serializers.IntegerField()
    reported_by_participant = serializers.BooleanField()
    answered_on = serializers.DateField(allow_null=True)
    answer = serializers.CharField()
    resolved_on = serializers.DateField(allow_null=True)
    resolution = serializers.CharField()


class DefaultAnswerIn(serializers.Serializer):
    answer = text_field(MunicipalityDefault, "answer", required=False, allow_blank=True, default="")
    answered_on = date_field(required=False, allow_null=True, default=None)


class DefaultResolveIn(serializers.Serializer):
    resolution = text_field(MunicipalityDefault, "resolution", required=False, allow_blank=True, default="")
    resolved_on = date_field(required=False, allow_null=True, default=None)


class CreatedOut(serializers.Serializer):
    id = serializers.IntegerField()


def _agreement(trajectory, pk):
    return Agreement.objects.filter(pk=pk, plan__trajectory=trajectory).first() if pk else None


class TrajectoryCreateView(APIView):
    @extend_schema(
        request=TrajectoryCreateIn, responses={201: TrajectoryOut}, summary="Start a trajectory (a repeat within 24 months needs a reason)"
    )
    def post(self, request):
        require(request.user, TRAJECTORY, "change")  # a role that may not gets 403, before its body is read
        values = service_arguments(TrajectoryCreateIn, request)
        participant = dossier_policy.get(request.user, "view", values.pop("participant"))
        require_purpose(request.user, participant)
        trajectory = services.trajectory_create(actor=request.user, participant=participant, **values)
        return Response(TrajectoryOut(trajectory).data, status=status.HTTP_201_CREATED)


class TrajectoryCloseView(APIView):
    @extend_schema(request=TrajectoryCloseIn, responses={200: TrajectoryOut}, summary="Close a trajectory with its end report")
    def post(self, request, pk):
        trajectory = trajectory_get(user=request.user, pk=pk)
        require_purpose(request.user, trajectory.participant)
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
        require_purpose(request.user, trajectory.participant)
        values = service_arguments(self.input_serializer, request)
        values["agreement"] = _agreement(trajectory, values["agreement"])
        row = self.record(actor=request.user, trajectory=trajectory, **values)
        return Response({"id": row.pk}, status=status.HTTP_201_CREATED)


@extend_schema_view(
    post=extend_schema(request=SanctionIn, responses={201: CreatedOut}, summary="Record a sanction on a participant's agreement")
)
class SanctionView(_BreachView):
    input_serializer = SanctionIn
    record = staticmethod(services.sanction_record)


@extend_schema_view(
    post=extend_schema(request=DefaultIn, responses={201: CreatedOut}, summary="Record a municipality default on its agreement")
)
class DefaultView(_BreachView):
    input_serializer = DefaultIn
    record = staticmethod(services.municipality_default_record)


def _decide(*, decision, **arguments):
    """Impose or withdraw after the hearing: one step of the sanction, by the chosen decision."""
    step = services.sanction_impose if decision == SanctionStatus.IMPOSED else services.sanction_withdraw
    return step(**arguments)


class _RowStepView(APIView):
    """A next step on one sanction or default of the trajectory: the same services as the plan
    page, so the same order and date rules. The row must belong to the trajectory (else 404)."""

    input_serializer = None
    output_serializer = None
    relation = ""  # the trajectory's related rows
    row_argument = ""  # the service's keyword for the row
    step = None  # the service, as a staticmethod

    def post(self, request, pk, row_pk):
        trajectory = trajectory_get(user=request.user, pk=pk)
        require_purpose(request.user, trajectory.participant)
        row = getattr(trajectory, self.relation).filter(pk=row_pk).first()
        if row is None:
            raise Http404
        values = service_arguments(self.input_serializer, request)
        row = self.step(actor=request.user, **{self.row_argument: row}, **values)
        return Response(self.output_serializer(row).data)


class _SanctionStepView(_RowStepView):
    output_serializer, relation, row_argument = SanctionOut, "sanctions", "sanction"


class _DefaultStepView(_RowStepView):
    output_serializer, relation, row_argument = DefaultOut, "municipality_defaults", "default"


@extend_schema_view(
    post=extend_schema(request=HearingIn, responses={200: SanctionOut}, summary="Record the hearing of a proposed sanction")
)
class SanctionHearingView(_SanctionStepView):
    input_serializer, step = HearingIn, staticmethod(services.sanction_hearing_record)


@extend_schema_view(
    post=extend_schema(request=DecisionIn, responses={200: SanctionOut}, summary="Impose or withdraw a sanction after its hearing")
)
class SanctionDecisionView(_SanctionStepView):
    input_serializer, step = DecisionIn, staticmethod(_decide)


@extend_schema_view(
    post=extend_schema(request=ObjectionIn, responses={200: SanctionOut}, summary="Record an objection to an imposed sanction")
)
class SanctionObjectionView(_SanctionStepView):
    input_serializer, step = ObjectionIn, staticmethod(services.sanction_objection_file)


@extend_schema_view(
    post=extend_schema(request=ObjectionDecisionIn, responses={200: SanctionOut}, summary="Record the decision on an objection")
)
class SanctionObjectionDecisionView(_SanctionStepView):
    input_serializer, step = ObjectionDecisionIn, staticmethod(services.sanction_objection_decide)


@extend_schema_view(
    post=extend_schema(request=DefaultAnswerIn, responses={200: DefaultOut}, summary="Answer a default the participant reported")
)
class DefaultAnswerView(_DefaultStepView):
    input_serializer, step = DefaultAnswerIn, staticmethod(services.municipality_default_answer)


@extend_schema_view(
    post=extend_schema(request=DefaultResolveIn, responses={200: DefaultOut}, summary="Record how a municipality default was put right")
)
class DefaultResolveView(_DefaultStepView):
    input_serializer, step = DefaultResolveIn, staticmethod(services.municipality_default_resolve)


urlpatterns = [
    path("trajectories/", TrajectoryCreateView.as_view(), name="trajectory-create"),
    path("trajectories/<int:pk>/close/", TrajectoryCloseView.as_view(), name="trajectory-close"),
    path("trajectories/<int:pk>/sanctions/", SanctionView.as_view(), name="trajectory-sanction"),
    path("trajectories/<int:pk>/municipality-defaults/", DefaultView.as_view(), name="trajectory-default"),
    path("trajectories/<int:pk>/sanctions/<int:row_pk>/hearing/", SanctionHearingView.as_view(), name="sanction-hearing"),
    path("trajectories/<int:pk>/sanctions/<int:row_pk>/decision/", SanctionDecisionView.as_view(), name="sanction-decision"),
    path("trajectories/<int:pk>/sanctions/<int:row_pk>/objection/", SanctionObjectionView.as_view(), name="sanction-objection"),
    path(
        "trajectories/<int:pk>/sanctions/<int:row_pk>/objection-decision/",
        SanctionObjectionDecisionView.as_view(),
        name="sanction-objection-decision",
    ),
    path("trajectories/<int:pk>/municipality-defaults/<int:row_pk>/answer/", DefaultAnswerView.as_view(), name="default-answer"),
    path("trajectories/<int:pk>/municipality-defaults/<int:row_pk>/resolve/", DefaultResolveView.as_view(), name="default-resolve"),
]
