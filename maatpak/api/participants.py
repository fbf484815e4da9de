"""API routes for the participants domain (serializers and views only; rules live in
maatpak.participants). The caseload and the dossier summary follow the same access rule as the
pages (`participants.policies.dossier_policy`), and a wish goes through the same service as the
dossier form. A service's ValidationError answers as a 400 through the project's exception
handler (`core.errors.api_exception_handler`)."""

from django.core.exceptions import ValidationError
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from maatpak.accounts.models import Municipality, User
from maatpak.accounts.policy import DOSSIER, require
from maatpak.api.input import date_field, number_field, service_arguments, text_field
from maatpak.api.purpose import require_purpose
from maatpak.audit.services import audit_read, audit_read_participants
from maatpak.casework.alerts import caseload_signals
from maatpak.casework.selectors import caseload_queryset, participant_dossier
from maatpak.core.text import BIRTH, LIFE
from maatpak.participants import ladder_flow
from maatpak.participants.intake import participant_register
from maatpak.participants.models import BenefitType, EducationLevel, Participant, Sex, SolGroup, Wish, WishKind
from maatpak.participants.policies import dossier_policy
from maatpak.participants.services import wish_add


class CaseloadRowOut(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    name = serializers.CharField(source="full_name")
    consultant = serializers.IntegerField(source="consultant_id", allow_null=True)
    rung = serializers.IntegerField(allow_null=True)
    sol_group = serializers.CharField(allow_null=True)
    trajectory_status = serializers.CharField(allow_null=True)
    provider = serializers.CharField(source="provider_name", allow_null=True)
    signals = serializers.ListField(child=serializers.CharField(), source="signal_codes")


class DomainOut(serializers.Serializer):
    domain = serializers.CharField(source="code")
    score = serializers.IntegerField(source="latest.score", allow_null=True, default=None)
    assessed_on = serializers.DateField(source="latest.assessed_on", allow_null=True, default=None)
    stale = serializers.BooleanField()


class WishOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    text = serializers.CharField()
    source = serializers.CharField()
    recorded_on = serializers.DateTimeField(source="created_at")


class TrajectorySummaryOut(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    started_on = serializers.DateField(allow_null=True)
    ended_on = serializers.DateField(allow_null=True)
    outcome = serializers.CharField(source="closing_report.outcome", allow_null=True, default=None)
    conclusion = serializers.CharField(source="closing_report.conclusion", allow_null=True, default=None)
    repeat_reason = serializers.CharField()


class DossierOut(serializers.Serializer):
    id = serializers.IntegerField(source="participant.pk")
    reference = serializers.CharField(source="participant.reference")
    name = serializers.CharField(source="participant.full_name")
    benefit_type = serializers.CharField(source="benefit.type", allow_null=True, default=None)
    months_on_benefit = serializers.IntegerField(allow_null=True)
    rung = serializers.SerializerMethodField()
    sol_group = serializers.SerializerMethodField()
    domains = DomainOut(many=True, source="domain_rows")
    wishes = WishOut(many=True)
    trajectories = TrajectorySummaryOut(many=True)
    consultant_changes = serializers.IntegerField()
    signals = serializers.ListField(child=serializers.CharField())

    def get_rung(self, dossier) -> int | None:
        return dossier["ladder"][-1].rung if dossier["ladder"] else None

    def get_sol_group(self, dossier) -> str | None:
        return dossier["sol_history"][0].group if dossier["sol_history"] else None


class WishIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=WishKind.choices)
    text = text_field(Wish, "text", allow_blank=True)


class CaseloadView(ListAPIView):
    """The caller's caseload (a team lead: the team's), with the signal codes per participant."""

    serializer_class = CaseloadRowOut

    def get_queryset(self):
        require(self.request.user, DOSSIER, "list_caseload")
        consultant = self.request.query_params.get("consultant")
        return caseload_queryset(
            user=self.request.user, consultant_id=int(consultant) if consultant and consultant.isascii() and consultant.isdigit() else None
        ).order_by("last_name", "first_name", "pk")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        # Signals for this page only: a fixed number of queries per request.
        signals = caseload_signals(page, today=timezone.localdate())
        for participant in page:
            participant.signal_codes = signals[participant.pk]
        # One read event per participant shown, linked to them ("who saw my data?"), one INSERT.
        audit_read_participants(
            actor=self.request.user, participants=page, purpose="api caseload", detail={"page": self.paginator.page.number}
        )
        return page

    @extend_schema(
        summary="My caseload with signals (consultants and team leads)",
        parameters=[OpenApiParameter("consultant", int, description="Team leads: one consultant's caseload")],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class DossierView(APIView):
    @extend_schema(responses=DossierOut, summary="Summary of one participant's integral dossier (404 when not yours)")
    def get(self, request, pk):
        participant = dossier_policy.get(request.user, "view", pk)
        require_purpose(request.user, participant)
        audit_read(actor=request.user, obj=participant, purpose="api dossier")
        today = timezone.localdate()
        dossier = participant_dossier(participant, today=today)
        dossier["signals"] = caseload_signals([participant], today=today)[participant.pk]
        return Response(DossierOut(dossier).data)


class WishCreateView(APIView):
    @extend_schema(request=WishIn, responses={201: WishOut}, summary="Record a wish or idea in the participant's own words")
    def post(self, request, pk):
        participant = dossier_policy.get(request.user, "view", pk)
        require_purpose(request.user, participant)
        wish = wish_add(actor=request.user, participant=participant, **service_arguments(WishIn, request))
        return Response(WishOut(wish).data, status=status.HTTP_201_CREATED)


class RegistrationLadderPartIn(serializers.Serializer):
    """The ladder flow's five questions (participants.ladder_flow): true, false or left out."""

    paid_work = serializers.BooleanField(required=False, allow_null=True, default=None)
    without_support = serializers.BooleanField(required=False, allow_null=True, default=None)
    unpaid_work = serializers.BooleanField(required=False, allow_null=True, default=None)
    organised_activity = serializers.BooleanField(required=False, allow_null=True, default=None)
    social_contact = serializers.BooleanField(required=False, allow_null=True, default=None)


class RegistrationLadderIn(serializers.Serializer):
    current = RegistrationLadderPartIn(required=False, help_text="Today: the rung is computed from these answers.")
    potential = RegistrationLadderPartIn(required=False, help_text="In about a year: the rung within reach.")


class RegistrationIn(serializers.Serializer):
    """Aanmelding of a new participant: the same fields and rules as the intake screen."""

    bsn = serializers.CharField(max_length=20, help_text="9 digits, checked with the 11-test. Never echoed back.")
    reference = text_field(Participant, "reference", help_text="The municipality's client number (unique per municipality).")
    first_name = text_field(Participant, "first_name")
    name_prefix = text_field(Participant, "name_prefix", required=False, allow_blank=True, default="")
    last_name = text_field(Participant, "last_name")
    birth_date = date_field(BIRTH)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False, default=Sex.OTHER)
    education_level = serializers.ChoiceField(choices=EducationLevel.choices, required=False, default=EducationLevel.UNKNOWN)
    street = text_field(Participant, "street", required=False, allow_blank=True, default="")
    postal_code = text_field(Participant, "postal_code", required=False, allow_blank=True, default="", help_text="Dutch: 1234 AB")
    city = text_field(Participant, "city", required=False, allow_blank=True, default="")
    email = text_field(Participant, "email", required=False, allow_blank=True, default="")
    phone = text_field(Participant, "phone", required=False, allow_blank=True, default="")
    benefit_type = serializers.ChoiceField(choices=BenefitType.choices, required=False, allow_blank=True, default="")
    benefit_start = date_field(LIFE, required=False, allow_null=True, default=None)
    benefit_amount = serializers.DecimalField(
        max_digits=9, decimal_places=2, required=False, allow_null=True, default=None, help_text="Euros per month, e.g. 1250.00"
    )
    consultant = text_field(
        User,
        "username",
        required=False,
        allow_blank=True,
        default="",
        help_text="User name of the first consultant (a consultant: default themself).",
    )
    municipality = text_field(
        Municipality,
        "code",
        required=False,
        allow_blank=True,
        default="",
        help_text="Municipality code (GMxxxx); only for accounts of several municipalities.",
    )
    domain_scores = serializers.DictField(
        child=number_field(),
        required=False,
        default=dict,
        help_text="Life domain → score 1–5; leave a domain out to assess it later.",
    )
    ladder = RegistrationLadderIn(required=False, allow_null=True, default=None)
    sol_group = serializers.ChoiceField(choices=SolGroup.choices, required=False, allow_blank=True, default="")


class RegistrationOut(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    name = serializers.CharField(source="full_name")
    consultant = serializers.CharField(source="consultant.username")
    registered_on = serializers.DateField()


def _intake_arguments(actor, data: dict) -> dict:
    """The request's body as `participant_register`'s arguments: a consultant's user name and
    a municipality code become the objects (an unknown one is refused like a wrong choice)."""
    arguments = dict(data)
    consultant = arguments.pop("consultant")
    arguments["consultant"] = None
    if consultant:
        arguments["consultant"] = User.objects.filter(username=consultant).first()
        if arguments["consultant"] is None:
            raise ValidationError({"consultant": _("Choose a consultant of this municipality.")})
    code = arguments.pop("municipality")
    arguments["municipality"] = None
    if code:
        arguments["municipality"] = Municipality.objects.filter(code=code, users=actor).first()
        if arguments["municipality"] is None:
            raise ValidationError({"municipality": _("Choose one of your municipalities.")})
    amount = arguments.pop("benefit_amount")
    arguments["benefit_amount_cents"] = None if amount is None else int(amount * 100)
    ladder = arguments.pop("ladder") or {}
    arguments["ladder_answers"] = {part: dict(ladder.get(part) or {}) for part in ladder_flow.PARTS}
    return arguments


class IntakeView(APIView):
    @extend_schema(
        request=RegistrationIn,
        responses={201: RegistrationOut},
        summary="Register a new participant (aanmelding), e.g. from a benefits system",
        description=(
            "Consultants and team leads. The same service and Dutch messages as the intake screen; a refusal is a 400 "
            "with messages per field. A BSN already registered in the caller's municipality is refused on `bsn`: with the "
            "client number when the caller may view that dossier, else with a neutral message. People registered in another "
            "municipality are never revealed."
        ),
    )
    def post(self, request):
        require(request.user, DOSSIER, "register")  # a role that may not register gets 403, before its body is read
        data = RegistrationIn(data=request.data)
        data.is_valid(raise_exception=True)
        participant = participant_register(actor=request.user, **_intake_arguments(request.user, data.validated_data))
        return Response(RegistrationOut(participant).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("participants/", IntakeView.as_view(), name="participant-register"),
    path("caseload/", CaseloadView.as_view(), name="caseload"),
    path("participants/<int:pk>/dossier/", DossierView.as_view(), name="participant-dossier"),
    path("participants/<int:pk>/wishes/", WishCreateView.as_view(), name="participant-wishes"),
]
