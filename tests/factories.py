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
        total = sum(int(d) * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2, -1)))
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
