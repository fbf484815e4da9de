"""Requirement (issue 3.2, 3.5): every dossier write goes through a service that checks access,
refuses invalid input with a clear Dutch message, is audit-logged, and never overwrites a
change someone else saved meanwhile (consultant reassignment)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from maatpak.audit.models import AuditEvent
from maatpak.core.concurrency import StaleEditError
from maatpak.employers.services import placement_record
from maatpak.participants import services
from maatpak.participants.models import Competence, ConsultantAssignment
from tests.factories import (
    EmployerFactory,
    LadderDefinitionFactory,
    MunicipalityFactory,
    ParticipantFactory,
    TrajectoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def dutch():
    with translation.override("nl"):
        yield


@pytest.fixture
def participant(municipality, kim):
    p = ParticipantFactory(municipality=municipality, consultant=kim)
    ConsultantAssignment.objects.create(municipality=municipality, participant=p, consultant=kim, start_date=dt.date(2025, 1, 1))
    return p


def _message(exc_info, field):
    return " ".join(exc_info.value.message_dict[field])


def test_wish_is_stored_in_own_words_and_logged(participant, kim):
    wish = services.wish_add(actor=kim, participant=participant, kind="idea", text="  Een eigen fietsenwerkplaats  ")
    assert wish.text == "Een eigen fietsenwerkplaats" and wish.source == "consultant"
    assert AuditEvent.objects.filter(actor=kim, action="create", participant_id=participant.pk).exists()


def test_wish_by_the_participant_is_marked_as_theirs(participant, municipality):
    user = UserFactory(role="participant", municipalities=[municipality])
    participant.user = user
    participant.save()
    assert services.wish_add(actor=user, participant=participant, kind="wish", text="Werken met dieren").source == "participant"
    other = ParticipantFactory(municipality=municipality)
    with pytest.raises(PermissionDenied):
        services.wish_add(actor=user, participant=other, kind="wish", text="x")


def test_consultant_outside_the_team_may_not_write(participant, municipality):
    outsider = UserFactory(role="consultant", municipalities=[municipality])
    with pytest.raises(PermissionDenied):
        services.wish_add(actor=outsider, participant=participant, kind="wish", text="x")
    with pytest.raises(PermissionDenied):
        services.contact_record(actor=outsider, participant=participant, occurred_on=dt.date(2025, 1, 1), channel="phone", summary="")


def test_domain_score_and_date_are_checked(participant, kim):
    with pytest.raises(ValidationError) as exc:
        services.domain_assessment_add(
            actor=kim, participant=participant, domain="housing", score=7, note="", assessed_on=dt.date(2025, 1, 1)
        )
    assert "1 tot en met 5" in _message(exc, "score")
    with pytest.raises(ValidationError) as exc:
        services.domain_assessment_add(
            actor=kim, participant=participant, domain="housing", score=3, note="", assessed_on=dt.date(2099, 1, 1)
        )
    assert "toekomst" in _message(exc, "assessed_on")
    row = services.domain_assessment_add(
        actor=kim, participant=participant, domain="housing", score=3, note=" ok ", assessed_on=dt.date(2025, 1, 1)
    )
    assert row.author == kim and row.note == "ok"


def test_ladder_assessment_uses_the_current_definition(participant, kim):
    LadderDefinitionFactory()
    row = services.ladder_assessment_add(
        actor=kim, participant=participant, rung=2, potential_rung=4, note="", assessed_on=dt.date(2025, 3, 1)
    )
    assert row.definition.version == 1
    with pytest.raises(ValidationError):
        services.ladder_assessment_add(
            actor=kim, participant=participant, rung=7, potential_rung=None, note="", assessed_on=dt.date(2025, 3, 1)
        )


def test_competence_from_own_catalogue_only_once_and_removable(participant, kim, municipality):
    welding = Competence.objects.create(municipality=municipality, name="Lassen")
    foreign = Competence.objects.create(municipality=MunicipalityFactory(), name="Lassen")
    with pytest.raises(ValidationError):
        services.competence_add(actor=kim, participant=participant, competence=foreign, level=1)
    row = services.competence_add(actor=kim, participant=participant, competence=welding, level=2, evidence="Certificaat")
    with pytest.raises(ValidationError) as exc:
        services.competence_add(actor=kim, participant=participant, competence=welding, level=3)
    assert "al vastgelegd" in _message(exc, "competence")
    services.competence_remove(actor=kim, participant=participant, participant_competence_id=row.pk)
    assert not participant.competences.exists()
    assert AuditEvent.objects.filter(action="delete", participant_id=participant.pk).exists()


def test_education_and_work_experience(participant, kim):
    with pytest.raises(ValidationError) as exc:
        services.education_add(actor=kim, participant=participant, name=" ", level="mbo")
    assert "naam" in _message(exc, "name")
    services.education_add(actor=kim, participant=participant, name="Mbo Logistiek", level="mbo", completed=True, year=2015)
    with pytest.raises(ValidationError) as exc:
        services.work_experience_add(
            actor=kim, participant=participant, job_title="Magazijn", start_date=dt.date(2020, 1, 1), end_date=dt.date(2019, 1, 1)
        )
    assert "einddatum" in _message(exc, "end_date").lower()
    services.work_experience_add(actor=kim, participant=participant, job_title="Magazijnmedewerker", start_date=dt.date(2016, 1, 1))
    assert participant.educations.count() == 1 and participant.work_experiences.count() == 1


def test_placement_rules(participant, kim, municipality):
    employer = EmployerFactory(municipality=municipality)
    with pytest.raises(ValidationError) as exc:
        placement_record(actor=kim, participant=participant, kind="regular", start_date=dt.date(2025, 5, 1))
    assert "employer" in exc.value.message_dict
    with pytest.raises(ValidationError):
        placement_record(actor=kim, participant=participant, kind="regular", employer=EmployerFactory(), start_date=dt.date(2025, 5, 1))
    with pytest.raises(ValidationError):
        placement_record(actor=kim, participant=participant, kind="regular", employer=employer, start_date=dt.date(2099, 5, 1))
    with pytest.raises(ValidationError):
        placement_record(
            actor=kim,
            participant=participant,
            kind="regular",
            employer=employer,
            start_date=dt.date(2025, 5, 1),
            trajectory=TrajectoryFactory(participant__municipality=municipality),
        )
    placement = placement_record(
        actor=kim, participant=participant, kind="regular", employer=employer, start_date=dt.date(2025, 5, 1), hours_per_week=24
    )
    assert placement.municipality_id == municipality.pk
    # Volunteering does not need an employer.
    placement_record(actor=kim, participant=participant, kind="volunteer", start_date=dt.date(2025, 6, 1))
    with pytest.raises(PermissionDenied):
        placement_record(
            actor=UserFactory(role="consultant", municipalities=[municipality]),
            participant=participant,
            kind="volunteer",
            start_date=dt.date(2025, 6, 1),
        )


def test_reassign_closes_the_old_assignment_and_opens_a_new_one(participant, kim, lead, municipality, team):
    sam = UserFactory(role="consultant", municipalities=[municipality], team=team, username="sam")
    services.participant_reassign_consultant(
        actor=lead, participant=participant, consultant=sam, reason="Werkdruk", expected_version=participant.version
    )
    participant.refresh_from_db()
    assert participant.consultant == sam
    rows = list(participant.consultant_assignments.order_by("start_date", "id"))
    assert [r.consultant for r in rows] == [kim, sam] and rows[0].end_date is not None and rows[1].end_date is None


def test_reassign_is_for_team_leads_with_a_reason(participant, kim, lead, municipality, team):
    sam = UserFactory(role="consultant", municipalities=[municipality], team=team, username="sam")
    with pytest.raises(PermissionDenied):
        services.participant_reassign_consultant(
            actor=kim, participant=participant, consultant=sam, reason="x", expected_version=participant.version
        )
    with pytest.raises(ValidationError) as exc:
        services.participant_reassign_consultant(
            actor=lead, participant=participant, consultant=sam, reason=" ", expected_version=participant.version
        )
    assert "reden" in _message(exc, "reason")


def test_a_participant_without_a_consultant_gets_one_from_any_team_lead_of_the_municipality(municipality, other_municipality, team):
    """Nobody's team, so no team lead reaches them through the team; any team lead of their own
    municipality may give them a first consultant, a team lead elsewhere may not."""
    from tests.factories import TeamFactory

    orphan = ParticipantFactory(municipality=municipality, consultant=None)
    sam = UserFactory(role="consultant", municipalities=[municipality], team=team, username="sam")
    elsewhere = UserFactory(
        role="team_lead", municipalities=[other_municipality], team=TeamFactory(municipality=other_municipality, name="Elders")
    )
    with pytest.raises(PermissionDenied):
        services.participant_reassign_consultant(
            actor=elsewhere, participant=orphan, consultant=sam, reason="Eerste klantmanager", expected_version=orphan.version
        )
    other_lead = UserFactory(role="team_lead", municipalities=[municipality], team=TeamFactory(municipality=municipality, name="Zuid"))
    services.participant_reassign_consultant(
        actor=other_lead, participant=orphan, consultant=sam, reason="Eerste klantmanager", expected_version=orphan.version
    )
    orphan.refresh_from_db()
    assert orphan.consultant == sam
    assert [(r.consultant, r.end_date) for r in orphan.consultant_assignments.all()] == [(sam, None)]


def test_stale_reassignment_is_refused_and_nothing_is_overwritten(participant, kim, lead, municipality, team):
    """Two team leads open the same dossier; the second save is refused, not applied."""
    sam = UserFactory(role="consultant", municipalities=[municipality], team=team, username="sam")
    noor = UserFactory(role="consultant", municipalities=[municipality], team=team, username="noor")
    seen_version = participant.version
    services.participant_reassign_consultant(
        actor=lead, participant=participant, consultant=sam, reason="Werkdruk", expected_version=seen_version
    )
    stale_copy = type(participant).objects.get(pk=participant.pk)
    stale_copy.version = seen_version
    with pytest.raises(StaleEditError) as exc:
        services.participant_reassign_consultant(
            actor=lead, participant=stale_copy, consultant=noor, reason="Ander team", expected_version=seen_version
        )
    assert "niets opgeslagen" in exc.value.messages[0]
    participant.refresh_from_db()
    assert participant.consultant == sam
    assert participant.consultant_assignments.filter(consultant=noor).count() == 0
