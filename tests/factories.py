"""factory_boy factories for the domain model. Valid BSNs come from `valid_bsn(n)`."""

import datetime as dt

import factory

from maatpak.accounts.models import Municipality, Team, User
from maatpak.accounts.roles import Role
from maatpak.employers.models import Employer, Placement, PlacementKind
from maatpak.participants.models import Benefit, BenefitType, LadderAssessment, LadderDefinition, Participant, SolAssessment
from maatpak.providers.models import Contract, Provider, ProviderKind
from maatpak.trajectories.models import Instrument, InstrumentCluster, Trajectory

TEST_PASSWORD = "test-Password-2026!"


def valid_bsn(n: int) -> str:
    """A distinct valid BSN per n: the first number from 100000000 + 100n that passes the
    11-test (valid numbers are at most 11 apart, so different n never collide)."""
    candidate = 100_000_000 + n * 100
    while True:
        digits = f"{candidate:09d}"
        total = sum(int(d) * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2, -1), strict=False))
        if total % 11 == 0:
            return digits
        candidate += 1


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"GM{8000 + n:04d}")
    name = factory.Sequence(lambda n: f"Testgemeente {n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Gebruiker {n}")
    role = Role.CONSULTANT
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def municipalities(self, create, extracted, **kwargs):
        if create and extracted:
            self.municipalities.set(extracted)
        if create:
            self.save()


class LadderDefinitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LadderDefinition
        django_get_or_create = ("code", "version")

    code = "regioplan-2008"
    version = 1
    name = "Participatieladder (Regioplan 2008)"
    rungs = [{"rung": i, "label": f"Trede {i}", "description": ""} for i in range(1, 7)]


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    municipality = factory.SubFactory(MunicipalityFactory)
    reference = factory.Sequence(lambda n: f"T-{n:06d}")
    first_name = "Sam"
    last_name = factory.Sequence(lambda n: f"Jansen{n}")
    birth_date = dt.date(1985, 5, 17)
    registered_on = dt.date(2024, 1, 15)
    bsn = factory.Sequence(valid_bsn)

    @classmethod
    def _create(cls, model_class, *args, bsn, **kwargs):
        obj = model_class(*args, **kwargs)
        obj.set_bsn(bsn)
        obj.save()
        return obj


class BenefitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Benefit

    participant = factory.SubFactory(ParticipantFactory)
    municipality = factory.SelfAttribute("participant.municipality")
    type = BenefitType.PARTICIPATIEWET
    start_date = dt.date(2023, 1, 1)
    monthly_amount_cents = 1_350_00


class LadderAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LadderAssessment

    participant = factory.SubFactory(ParticipantFactory)
    municipality = factory.SelfAttribute("participant.municipality")
    definition = factory.SubFactory(LadderDefinitionFactory)
    rung = 2
    potential_rung = 3
    assessed_on = dt.date(2025, 3, 1)
    author = factory.SubFactory(UserFactory)


class SolAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SolAssessment

    participant = factory.SubFactory(ParticipantFactory)
    municipality = factory.SelfAttribute("participant.municipality")
    group = "B1"
    assessed_on = dt.date(2025, 3, 1)
    author = factory.SubFactory(UserFactory)


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Re-integratiebureau {n}")
    kind = ProviderKind.EXTERNAL


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    provider = factory.SubFactory(ProviderFactory)
    municipality = factory.SelfAttribute("provider.municipality")
    reference = factory.Sequence(lambda n: f"C-{n:04d}")
    start_date = dt.date(2024, 1, 1)
    end_date = dt.date(2027, 12, 31)
    price_per_trajectory_cents = 2_500_00
    reporting_interval_days = 42


class InstrumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Instrument

    municipality = factory.SubFactory(MunicipalityFactory)
    code = factory.Sequence(lambda n: f"INS{n:03d}")
    name = factory.Sequence(lambda n: f"Instrument {n}")
    cluster = InstrumentCluster.COURSES
    default_cost_cents = 1_000_00


class TrajectoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trajectory

    participant = factory.SubFactory(ParticipantFactory)
    municipality = factory.SelfAttribute("participant.municipality")
    consultant = factory.SubFactory(UserFactory)


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Werkgever {n} BV")


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement

    participant = factory.SubFactory(ParticipantFactory)
    municipality = factory.SelfAttribute("participant.municipality")
    kind = PlacementKind.REGULAR
    start_date = dt.date(2025, 6, 1)


# --- Added for the tenant-scoping test: one factory per tenant model a selector lists. ---
import uuid  # noqa: E402

from maatpak.employers.models import Vacancy  # noqa: E402
from maatpak.participants.models import Competence, ConsultantAssignment, DomainAssessment, Wish  # noqa: E402
from maatpak.surveys.models import AnonymousFeedback, Survey, SurveyKind, SurveyResponse  # noqa: E402
from maatpak.trajectories.models import Agreement, EndReport, GoalKind, Outcome, PlanVersion, ProgressReport, Referral, Sanction  # noqa: E402


class CompetenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competence

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Competentie {n}")


class WishFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Wish

    participant = factory.SubFactory(ParticipantFactory)
    municipality = factory.SelfAttribute("participant.municipality")
    text = "Ik wil graag met dieren werken."
    source = "participant"
    recorded_by = factory.SubFactory(UserFactory)


class DomainAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DomainAssessment

    participant = factory.SubFactory(ParticipantFactory)
    municipality = factory.SelfAttribute("participant.municipality")
    domain = "work"
    score = 3
    assessed_on = dt.date(2025, 3, 1)
    author = factory.SubFactory(UserFactory)


class ConsultantAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsultantAssignment

    participant = factory.SubFactory(ParticipantFactory)
    municipality = factory.SelfAttribute("participant.municipality")
    consultant = factory.SubFactory(UserFactory)
    start_date = dt.date(2025, 1, 1)


class VacancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vacancy

    employer = factory.SubFactory(EmployerFactory)
    municipality = factory.SelfAttribute("employer.municipality")
    title = factory.Sequence(lambda n: f"Medewerker logistiek {n}")
    opened_on = dt.date(2025, 5, 1)


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    trajectory = factory.SubFactory(TrajectoryFactory)
    municipality = factory.SelfAttribute("trajectory.municipality")
    provider = factory.SubFactory(ProviderFactory, municipality=factory.SelfAttribute("..municipality"))
    proposed_on = dt.date(2025, 4, 1)


class ProgressReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressReport

    referral = factory.SubFactory(ReferralFactory)
    municipality = factory.SelfAttribute("referral.municipality")
    due_on = dt.date(2025, 6, 1)
    submitted_on = dt.date(2025, 6, 3)
    activities = "Sollicitatietraining gevolgd."
    attendance = "good"
    next_steps = "Proefplaatsing zoeken."
    author = factory.SubFactory(UserFactory)


class EndReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EndReport

    trajectory = factory.SubFactory(TrajectoryFactory)
    municipality = factory.SelfAttribute("trajectory.municipality")
    submitted_on = dt.date(2025, 12, 1)
    conclusion = "Het traject is afgerond."
    outcome = Outcome.SOCIAL_PARTICIPATION
    author = factory.SubFactory(UserFactory)


class PlanVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanVersion

    trajectory = factory.SubFactory(TrajectoryFactory)
    municipality = factory.SelfAttribute("trajectory.municipality")
    number = 1
    end_goal_kind = GoalKind.REGULAR_WORK
    end_goal = "Betaald werk in de logistiek."
    planned_start = dt.date(2025, 2, 1)
    planned_end = dt.date(2026, 2, 1)
    created_by = factory.SubFactory(UserFactory)


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    plan = factory.SubFactory(PlanVersionFactory)
    municipality = factory.SelfAttribute("plan.municipality")
    party = "participant"
    description = "Elke week twee sollicitaties."
    deadline = dt.date(2025, 9, 1)


class SanctionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sanction

    agreement = factory.SubFactory(AgreementFactory)
    trajectory = factory.SelfAttribute("agreement.plan.trajectory")
    participant = factory.SelfAttribute("trajectory.participant")
    municipality = factory.SelfAttribute("agreement.municipality")
    reason = "Drie keer niet verschenen zonder bericht."
    initiated_by = "consultant"
    percentage = 20
    months = 1
    hearing_on = dt.date(2025, 10, 1)
    recorded_by = factory.SubFactory(UserFactory)


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    municipality = factory.SubFactory(MunicipalityFactory)
    title = factory.Sequence(lambda n: f"Tevredenheid {n}")
    kind = SurveyKind.SATISFACTION
    questions = [{"key": "q1", "text": "Hoe tevreden bent u?", "type": "rating"}]


class SurveyResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyResponse

    survey = factory.SubFactory(SurveyFactory)
    municipality = factory.SelfAttribute("survey.municipality")
    answers = {"q1": 4}
    week = "2025-W20"


class AnonymousFeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnonymousFeedback

    id = factory.LazyFunction(uuid.uuid4)
    municipality = factory.SubFactory(MunicipalityFactory)
    week = "2025-W20"
    topic = "plan"
    rating = 4
