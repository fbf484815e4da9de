"""Requirement (issue 13.1): intake (aanmelding) registers a new participant in one transaction
with BSN, person, benefit, first consultant and first assessments; it refuses duplicates through
the keyed BSN hash without revealing another municipality's people, and every bad field with a
Dutch message (never a 500)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from maatpak.accounts.roles import Role
from maatpak.audit.models import AuditEvent
from maatpak.participants import ladder_flow
from maatpak.participants.intake import DuplicateParticipantError, euros_to_cents, participant_register
from maatpak.participants.models import (
    Benefit,
    ConsultantAssignment,
    DomainAssessment,
    LadderAssessment,
    Participant,
    SolAssessment,
)
from maatpak.participants.selectors import participants_without_assessments
from tests.factories import LadderDefinitionFactory, ParticipantFactory, ProviderFactory, TeamFactory, UserFactory, valid_bsn

pytestmark = pytest.mark.django_db

YES, NO = True, False


def _register(actor, **overrides):
    arguments = {
        "bsn": valid_bsn(7001),
        "reference": "K-7001",
        "first_name": "Noor",
        "last_name": "Bakker",
        "birth_date": dt.date(1990, 4, 2),
    }
    arguments.update(overrides)
    return participant_register(actor=actor, **arguments)


def _messages(exc_info, field):
    return " ".join(exc_info.value.message_dict.get(field, []))


@pytest.mark.parametrize(
    ("answers", "rung"),
    [
        ({"paid_work": YES, "without_support": YES}, 6),
        ({"paid_work": YES, "without_support": NO}, 5),
        ({"paid_work": NO, "unpaid_work": YES}, 4),
        ({"paid_work": NO, "unpaid_work": NO, "organised_activity": YES}, 3),
        ({"paid_work": NO, "unpaid_work": NO, "organised_activity": NO, "social_contact": YES}, 2),
        ({"paid_work": NO, "unpaid_work": NO, "organised_activity": NO, "social_contact": NO}, 1),
        ({"paid_work": NO, "unpaid_work": NO}, None),
        ({}, None),
    ],
)
def test_the_ladder_flow_gives_the_rung(answers, rung):
    assert ladder_flow.rung_from_answers(answers) == rung


def test_the_flow_ignores_answers_it_did_not_ask():
    answers = {"paid_work": YES, "without_support": NO, "social_contact": NO}
    assert ladder_flow.asked_answers(answers) == {"paid_work": True, "without_support": False}
    assert ladder_flow.missing_questions({"paid_work": NO}) == ["unpaid_work"]


@pytest.mark.parametrize(("typed", "cents"), [("1250,50", 125050), ("1.250,50", 125050), ("1250.5", 125050), ("€ 980", 98000), ("", None)])
def test_euros_as_typed_in_the_netherlands(typed, cents):
    assert euros_to_cents(typed) == cents


def test_euros_that_are_no_amount():
    with pytest.raises(ValueError):
        euros_to_cents("12,3,4")


def test_a_consultant_registers_with_everything_in_one_go(municipality, consultant):
    LadderDefinitionFactory()
    p = _register(
        consultant,
        name_prefix="de",
        postal_code="9201ab",
        street="Dorpsstraat 1",
        city="Drachten",
        email="noor@example.nl",
        phone="+31 6 1234 5678",
        benefit_type="pw",
        benefit_start=dt.date(2024, 2, 1),
        benefit_amount_cents=125000,
        domain_scores={"housing": 4, "health_mental": 2},
        ladder_answers={
            "current": {"paid_work": NO, "unpaid_work": NO, "organised_activity": YES, "without_support": YES},
            "potential": {"paid_work": NO, "unpaid_work": YES},
        },
        sol_group="B1",
    )
    p.refresh_from_db()
    assert p.consultant == consultant and p.municipality == municipality and p.registered_on == timezone.localdate()
    assert p.postal_code == "9201 AB" and p.bsn == valid_bsn(7001) and p.full_name == "Noor de Bakker"
    assert Benefit.objects.get(participant=p).monthly_amount_cents == 125000
    assert ConsultantAssignment.objects.get(participant=p).consultant == consultant
    assert {(d.domain, d.score) for d in DomainAssessment.objects.filter(participant=p)} == {("housing", 4), ("health_mental", 2)}
    ladder = LadderAssessment.objects.get(participant=p)
    assert (ladder.rung, ladder.potential_rung, ladder.assessed_on) == (3, 4, timezone.localdate())
    # Only the questions the flow asked are kept (the stray "without support" is not).
    assert ladder.answers["current"] == {"paid_work": False, "unpaid_work": False, "organised_activity": True}
    assert SolAssessment.objects.get(participant=p).group == "B1"
    created = AuditEvent.objects.filter(actor=consultant, action="create", participant_id=p.pk)
    assert set(created.values_list("object_type", flat=True)) == {
        "Participant",
        "Benefit",
        "ConsultantAssignment",
        "DomainAssessment",
        "LadderAssessment",
        "SolAssessment",
    }
    assert not any(valid_bsn(7001) in str(e.detail) + e.purpose for e in AuditEvent.objects.all())
    assert not participants_without_assessments(Participant.objects.filter(pk=p.pk)).exists()


def test_assessments_may_wait_and_then_count_as_work_to_do(municipality, consultant):
    p = _register(consultant)
    assert participants_without_assessments(Participant.objects.filter(pk=p.pk)).get() == p


def test_a_team_lead_chooses_the_consultant(municipality):
    team = TeamFactory(municipality=municipality)
    lead = UserFactory(role=Role.TEAM_LEAD, municipalities=[municipality], team=team)
    kim = UserFactory(role=Role.CONSULTANT, municipalities=[municipality], team=team)
    with pytest.raises(ValidationError) as refused:
        _register(lead)
    assert "klantmanager" in _messages(refused, "consultant")
    assert _register(lead, consultant=kim).consultant == kim


def test_the_consultant_must_be_a_consultant_of_this_municipality(municipality, other_municipality, consultant):
    stranger = UserFactory(role=Role.CONSULTANT, municipalities=[other_municipality])
    analyst = UserFactory(role=Role.ANALYST, municipalities=[municipality])
    for wrong in (stranger, analyst):
        with pytest.raises(ValidationError) as refused:
            _register(consultant, consultant=wrong)
        assert "klantmanager van deze gemeente" in _messages(refused, "consultant")
    assert not Participant.objects.exists()


@pytest.mark.parametrize("role", [Role.ANALYST, Role.POLICY_OFFICER, Role.PROVIDER_STAFF, Role.PARTICIPANT, Role.PRIVACY_OFFICER])
def test_other_roles_may_not_register(municipality, role):
    extra = {"provider": ProviderFactory(municipality=municipality)}
    user = UserFactory(role=role, municipalities=[municipality], **(extra if role == Role.PROVIDER_STAFF else {}))
    with pytest.raises(PermissionDenied):
        _register(user)


def test_duplicate_bsn_in_own_municipality_offers_the_dossier_to_who_may_view_it(municipality, consultant):
    existing = ParticipantFactory(municipality=municipality, consultant=consultant, bsn=valid_bsn(7001), reference="OUD-1")
    with pytest.raises(DuplicateParticipantError) as refused:
        _register(consultant, bsn=valid_bsn(7001).lstrip("0"), reference="NIEUW-1")
    assert refused.value.existing == existing and "OUD-1" in _messages(refused, "bsn")


def test_duplicate_bsn_seen_by_someone_else_is_a_neutral_message(municipality, consultant):
    other = UserFactory(role=Role.CONSULTANT, municipalities=[municipality])
    ParticipantFactory(municipality=municipality, consultant=other, bsn=valid_bsn(7001), reference="OUD-1", last_name="Geheim")
    with pytest.raises(DuplicateParticipantError) as refused:
        _register(consultant, reference="NIEUW-1")
    message = _messages(refused, "bsn")
    assert refused.value.existing is None and "teamleider" in message
    assert "OUD-1" not in message and "Geheim" not in message
    assert Participant.objects.count() == 1


def test_a_person_of_another_municipality_is_no_duplicate_here(municipality, other_municipality, consultant):
    ParticipantFactory(municipality=other_municipality, bsn=valid_bsn(7001), reference="K-7001")
    p = _register(consultant)
    assert p.municipality == municipality and Participant.objects.filter(bsn_hash=p.bsn_hash).count() == 2


def test_client_number_is_unique_per_municipality(municipality, consultant):
    ParticipantFactory(municipality=municipality, reference="K-7001")
    with pytest.raises(ValidationError) as refused:
        _register(consultant)
    assert "klantnummer is al in gebruik" in _messages(refused, "reference")


@pytest.mark.parametrize(
    ("field", "value", "text"),
    [
        ("bsn", "123456789", "11-proef"),
        ("bsn", "", "BSN"),
        ("reference", "", "klantnummer"),
        ("reference", "K 1", "spaties"),
        ("reference", "K" * 33, "32"),
        ("first_name", "", "voornaam"),
        ("first_name", "No\x00or", "onzichtbare"),
        ("last_name", "Bak\tker", "onzichtbare"),
        ("last_name", "x" * 151, "150"),
        ("name_prefix", "x" * 21, "20"),
        ("city", "x" * 101, "100"),
        ("street", "x" * 201, "200"),
        ("birth_date", None, "geboortedatum"),
        ("birth_date", dt.date(1800, 1, 1), "100"),
        ("birth_date", dt.date.today(), "15"),
        ("postal_code", "12345", "postcode"),
        ("postal_code", "0123 AB", "postcode"),
        ("email", "noor@", "e-mailadres"),
        ("phone", "bel me", "telefoonnummer"),
        ("sex", "q", "geslacht"),
        ("sol_group", "C9", "groep"),
    ],
)
def test_every_bad_field_has_a_dutch_message(municipality, consultant, field, value, text):
    with pytest.raises(ValidationError) as refused:
        _register(consultant, **{field: value})
    assert text.lower() in _messages(refused, field).lower()
    assert not Participant.objects.exists()


@pytest.mark.parametrize(
    ("benefit", "field", "text"),
    [
        ({"benefit_type": "xx"}, "benefit_type", "soort uitkering"),
        ({"benefit_type": "pw"}, "benefit_start", "datum"),
        ({"benefit_type": "pw", "benefit_start": dt.date(2999, 1, 1)}, "benefit_start", "toekomst"),
        ({"benefit_type": "pw", "benefit_start": dt.date(1980, 1, 1)}, "benefit_start", "geboortedatum"),
        ({"benefit_type": "pw", "benefit_start": dt.date(2024, 1, 1), "benefit_amount_cents": -1}, "benefit_amount", "negatief"),
        ({"benefit_type": "pw", "benefit_start": dt.date(2024, 1, 1), "benefit_amount_cents": 10**9}, "benefit_amount", "bedrag"),
        ({"benefit_type": "none", "benefit_start": dt.date(2024, 1, 1), "benefit_amount_cents": 100}, "benefit_amount", "geen bedrag"),
    ],
)
def test_benefit_refusals(municipality, consultant, benefit, field, text):
    with pytest.raises(ValidationError) as refused:
        _register(consultant, **benefit)
    assert text in _messages(refused, field).lower()


def test_an_unfinished_ladder_flow_names_the_question_to_answer(municipality, consultant):
    LadderDefinitionFactory()
    with pytest.raises(ValidationError) as refused:
        _register(consultant, ladder_answers={"current": {"paid_work": False}, "potential": {"paid_work": True}})
    errors = refused.value.message_dict
    assert set(errors) == {"ladder_current_unpaid_work", "ladder_potential_without_support"}


def test_a_bad_domain_score_is_refused(municipality, consultant):
    with pytest.raises(ValidationError) as refused:
        _register(consultant, domain_scores={"housing": 9})
    assert "1 tot en met 5" in _messages(refused, "domain_housing") or "1 tot 5" in _messages(refused, "domain_housing")
