"""Break the glass through the API, as on the pages (participants.policies.purpose_needed): a
dossier outside the caller's own caseload opens only after the caller has stated a purpose. An
operation on such a dossier without one answers 403 with the problem type
`urn:maatpak:problem:purpose-required`; `POST …/participants/{id}/purpose/` states it, through
the same service as the purpose page (casework.break_glass), for the same hours."""

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from maatpak.api.input import checked_text
from maatpak.casework.break_glass import EXPLANATION_MAX_LENGTH, BreakGlassReason, dossier_open_with_purpose
from maatpak.participants.policies import break_glass_hours, dossier_policy, purpose_needed


class PurposeRequired(exceptions.PermissionDenied):
    default_code = "purpose_required"
    problem_type = "purpose-required"

    @property
    def problem_title(self) -> str:
        return _("Purpose required")


def require_purpose(user, participant) -> None:
    """Refuse (403) an operation on `participant`'s dossier until `user` has stated a purpose,
    when the dossier is outside their own caseload."""
    if purpose_needed(user, participant):
        raise PurposeRequired(
            _(
                "This participant is not on your own caseload. First state why you open this dossier: "
                "POST /api/v1/participants/%(id)s/purpose/ with a reason and an explanation."
            )
            % {"id": participant.pk}
        )


class PurposeIn(serializers.Serializer):
    reason = serializers.ChoiceField(choices=BreakGlassReason.choices)
    explanation = checked_text(EXPLANATION_MAX_LENGTH, multiline=True, help_text="In a few words, e.g. which colleague you stand in for.")


class PurposeOut(serializers.Serializer):
    participant = serializers.IntegerField()
    hours = serializers.IntegerField(help_text="How long the dossier stays open for you.")


class PurposeView(APIView):
    @extend_schema(
        request=PurposeIn,
        responses={201: PurposeOut},
        summary="State why you open a dossier outside your own caseload (break the glass)",
    )
    def post(self, request, pk):
        participant = dossier_policy.get(request.user, "view", pk)
        data = PurposeIn(data=request.data)
        data.is_valid(raise_exception=True)
        dossier_open_with_purpose(actor=request.user, participant=participant, **data.validated_data)
        return Response(PurposeOut({"participant": participant.pk, "hours": break_glass_hours()}).data, status=status.HTTP_201_CREATED)


urlpatterns = [path("participants/<int:pk>/purpose/", PurposeView.as_view(), name="participant-purpose")]
