"""Requirement (issue 14, item 5): dossiers are anonymised a configurable number of years after
their last activity — longer after a sanction, per municipality — by a daily command that is
logged; identity and every free text go, the statistics keep counting the person.

The completeness tests are self-enforcing: every text field of every Maatpak model must be
anonymised or declared non-personal (`privacy.retention.NON_PERSONAL`), every model that belongs
to a participant must be a dossier part, and a dossier with one row of every part, every text a
secret, leaves the secret nowhere in the database.
"""

import datetime as dt
import uuid
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models
from django.test import RequestFactory
from django.utils import timezone

from maatpak.accounts.roles import Role
from maatpak.audit.models import AuditAction, AuditEvent
from maatpak.employers.models import PlacementFollowUp
from maatpak.insights.analysis.dataset import build_dataset
from maatpak.insights.models import ImportedTrajectory
from maatpak.participants.models import Contact, Education, Exemption, Participant, ParticipantCompetence, WorkExperience
from maatpak.participants.policies import dossier_policy
from maatpak.portal.models import ChangeRequestStatus, ConsultantChangeRequest, FeedbackWeekCount, Message, PortalActivation, ReportReaction
from maatpak.privacy import retention
from maatpak.privacy.retention import DOSSIER_PARTS, MARKER, NON_PERSONAL, PORTAL_ACCOUNT_FIELDS, anonymise_expired, pseudonym
from maatpak.surveys.models import SurveyInvitation
from maatpak.trajectories.models import (
    Goal,
    GoalProgress,
    MunicipalityDefault,
    PlanHandover,
    PlanIdea,
    PlannedInstrument,
    ReferralStatus,
    ReportCopy,
    SanctionStatus,
    Signature,
    TrajectoryStatus,
)
from tests.factories import (
    AgreementFactory,
    BenefitFactory,
    CompetenceFactory,
    ConsultantAssignmentFactory,
    DomainAssessmentFactory,
    EmployerFactory,
    EndReportFactory,
    InstrumentFactory,
    LadderAssessmentFactory,
    MunicipalityFactory,
    ParticipantFactory,
    PlacementFactory,
    PlanVersionFactory,
    ProgressReportFactory,
    ReferralFactory,
    SanctionFactory,
    SolAssessmentFactory,
    SurveyFactory,
    SurveyResponseFactory,
    TrajectoryFactory,
    UserFactory,
    WishFactory,
)

SECRET = "GEHEIM"
OLD = dt.date(2012, 3, 15)
TODAY = dt.date(2026, 6, 1)
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def _maatpak_models():
    return [m for m in apps.get_models() if m.__module__.startswith("maatpak.")]


def _text_fields(model):
    return [f for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS)]


def _belongs_to_a_participant(model, known) -> bool:
    return any(f.is_relation and (f.many_to_one or f.one_to_one) and f.related_model in known for f in model._meta.concrete_fields)


# --- the classification is complete -------------------------------------------------------------


def test_every_text_field_is_anonymised_or_declared_non_personal():
    handled = {f"{p.label}.{name}" for p in DOSSIER_PARTS for name in (*p.texts, *p.cleared, *p.pseudonym)}
    handled |= {f"accounts.User.{name}" for name in PORTAL_ACCOUNT_FIELDS}
    unclassified = []
    for model in _maatpak_models():
        for f in _text_fields(model):
            key = f"{model._meta.label}.{f.name}"
            if key in handled or key in NON_PERSONAL or model._meta.label in NON_PERSONAL or f.choices:
                continue
            unclassified.append(key)
    assert unclassified == [], "classify these in privacy.retention (DOSSIER_PARTS or NON_PERSONAL)"


def test_every_model_that_belongs_to_a_participant_is_a_dossier_part():
    belonging = {Participant}
    while True:
        more = {m for m in _maatpak_models() if m not in belonging and _belongs_to_a_participant(m, belonging)}
        if not more:
            break
        belonging |= more
    parts = {p.model for p in DOSSIER_PARTS}
    missing = sorted(m._meta.label for m in belonging - parts if m._meta.label not in NON_PERSONAL)
    assert missing == []


def test_a_declared_field_exists_and_is_not_also_anonymised():
    anonymised = {f"{p.label}.{name}" for p in DOSSIER_PARTS for name in (*p.texts, *p.cleared, *p.pseudonym)}
    for key in NON_PERSONAL:
        label, _, name = key.partition(".")[2].partition(".")
        model = apps.get_model(key.split(".")[0], label)
        if name:
            model._meta.get_field(name)
        assert key not in anonymised


# --- a whole dossier --------------------------------------------------------------------------


def _backdate_and_fill(participant, *, on=OLD):
    """Every activity date of every part on `on`, every text and identifying value a secret."""
    when = timezone.make_aware(dt.datetime.combine(on, dt.time(12)))
    for part in DOSSIER_PARTS:
        pks = list(part.rows(pk=participant.pk).values_list("pk", flat=True))
        assert pks, f"the test dossier has no {part.label}: add one to full_dossier()"
        values = {}
        for name in part.activity:
            values[name] = when if isinstance(part.model._meta.get_field(name), models.DateTimeField) else on
        for name in (*part.texts, *part.cleared):
            model_field = part.model._meta.get_field(name)
            if isinstance(model_field, models.JSONField):
                values[name] = {"name": f"{SECRET} {part.label}"}
            elif isinstance(model_field, (models.CharField, models.TextField)) and not name.startswith("bsn") and name != "code_hash":
                values[name] = f"{SECRET} {part.label}.{name}"[: model_field.max_length]
        part.model._base_manager.filter(pk__in=pks).update(**values)


def full_dossier(municipality, consultant, *, on=OLD):
    """A closed dossier with one row of every dossier part, all dated `on`."""
    portal_user = UserFactory(
        username=f"{SECRET.lower()}-{uuid.uuid4().hex[:12]}", role=Role.PARTICIPANT, first_name=SECRET, last_name=SECRET
    )
    p = ParticipantFactory(
        municipality=municipality,
        consultant=consultant,
        user=portal_user,
        birth_date=dt.date(1980, 11, 23),
        sex="f",
        education_level="mbo",
    )
    m = municipality
    BenefitFactory(participant=p)
    Education.objects.create(municipality=m, participant=p, name="x", institution="x")
    WorkExperience.objects.create(municipality=m, participant=p, job_title="x", employer_name="x", description="x")
    ParticipantCompetence.objects.create(
        municipality=m, participant=p, competence=CompetenceFactory(municipality=m), recorded_on=on, recorded_by=consultant
    )
    WishFactory(participant=p, recorded_by=consultant)
    DomainAssessmentFactory(participant=p, author=consultant, score=2, domain="health_mental")
    LadderAssessmentFactory(participant=p, author=consultant, rung=3)
    SolAssessmentFactory(participant=p, author=consultant)
    ConsultantAssignmentFactory(participant=p, consultant=consultant)
    Contact.objects.create(municipality=m, participant=p, occurred_on=on, channel="phone", staff=consultant)
    Exemption.objects.create(municipality=m, participant=p, reason="x", start_date=on, end_date=on, decided_by=consultant)
    trajectory = TrajectoryFactory(participant=p, consultant=consultant, status=TrajectoryStatus.CLOSED, started_on=on, ended_on=on)
    plan = PlanVersionFactory(trajectory=trajectory, created_by=consultant, planned_start=on, planned_end=on)
    goal = Goal.objects.create(
        municipality=m, plan=plan, kind="social_skills", description="x", measure="x", target_date=on, status="reached"
    )
    PlanIdea.objects.create(municipality=m, plan=plan, idea="x", supported=True, response="x")
    PlannedInstrument.objects.create(
        municipality=m, plan=plan, instrument=InstrumentFactory(municipality=m), start_date=on, end_date=on, serves_barrier="health_mental"
    )
    agreement = AgreementFactory(plan=plan)
    Signature.objects.create(
        municipality=m, plan=plan, party="participant", signer_name="x", signed_on=on, method="paper", recorded_by=consultant
    )
    PlanHandover.objects.create(municipality=m, plan=plan, handed_over_on=on, channel="paper", recorded_by=consultant)
    referral = ReferralFactory(trajectory=trajectory, status=ReferralStatus.ENDED)
    report = ProgressReportFactory(referral=referral, author=consultant)
    GoalProgress.objects.create(municipality=m, report=report, goal=goal, level="some", note="x")
    end_report = EndReportFactory(trajectory=trajectory, referral=referral, author=consultant, outcome="regular_work")
    SanctionFactory(agreement=agreement, status=SanctionStatus.IMPOSED, decided_on=on, objection_filed_on=on, objection_decided_on=on)
    MunicipalityDefault.objects.create(
        municipality=m, participant=p, trajectory=trajectory, agreement=agreement, description="x", recorded_on=on, recorded_by=consultant
    )
    ReportCopy.objects.create(municipality=m, participant=p, end_report=end_report, made_available_on=on)
    placement = PlacementFactory(participant=p, trajectory=trajectory, employer=EmployerFactory(municipality=m), start_date=on)
    PlacementFollowUp.objects.create(municipality=m, placement=placement, months=6, due_on=on, checked_on=on, still_working=True)
    ConsultantChangeRequest.objects.create(municipality=m, participant=p, status=ChangeRequestStatus.GRANTED, reason="x", answer="x")
    Message.objects.create(municipality=m, participant=p, direction="to_consultant", sender=portal_user, subject="x", body="x")
    ReportReaction.objects.create(municipality=m, participant=p, end_report=end_report, text="x")
    PortalActivation.objects.create(
        municipality=m, participant=p, code_hash=make_password("ABCD1234EFGH"), expires_at=timezone.now(), created_by=consultant
    )
    FeedbackWeekCount.objects.create(participant=p, week="2012-W11", count=2)
    invitation = SurveyInvitation.objects.create(
        municipality=m, survey=SurveyFactory(municipality=m), participant=p, token_hash=f"{p.pk:064d}", sent_on=on
    )
    SurveyResponseFactory(survey=invitation.survey, invitation=invitation)
    ImportedTrajectory.objects.create(
        municipality=m, participant_ref=p.reference, start_date=on, instrument_code="INS", trajectory=trajectory, source_file="oud.csv"
    )
    LogEntry.objects.create(
        user=consultant,
        content_type=ContentType.objects.get_for_model(Participant),
        object_id=str(p.pk),
        object_repr=f"{SECRET} {p.full_name}",
        action_flag=CHANGE,
    )
    _backdate_and_fill(p, on=on)
    return Participant.objects.get(pk=p.pk)


@pytest.fixture
def old_dossier(municipality, consultant):
    return full_dossier(municipality, consultant)


def test_an_expired_dossier_keeps_no_identity_and_no_free_text(old_dossier, consultant):
    [run] = anonymise_expired(today=TODAY, municipalities=[old_dossier.municipality])
    assert (run.expired, run.anonymised, run.failed) == (1, 1, 0)
    p = Participant.objects.get(pk=old_dossier.pk)

    # Identity.
    assert p.anonymised_on == TODAY
    assert p.reference == pseudonym(p.pk)
    assert (p.first_name, p.name_prefix, p.last_name, p.full_name) == ("", "", MARKER, MARKER)
    assert (p.email, p.phone, p.street, p.postal_code, p.city) == ("", "", "", "", "")
    assert (p.bsn_encrypted, p.bsn_hash, p.bsn_masked) == ("", None, "")
    assert p.birth_date == dt.date(1980, 7, 1)
    assert p.consultant_id is None and p.user_id is None
    # What the statistics need stays.
    assert (p.sex, p.education_level, p.registered_on) == ("f", "mbo", OLD)

    # Every part, field by field, as DOSSIER_PARTS declares it.
    for part in DOSSIER_PARTS:
        for row in part.rows(pk=p.pk) if part.participant != "pk" else [p]:
            for name in part.texts:
                assert getattr(row, name) == MARKER, f"{part.label}.{name}"
            for name in part.cleared:
                assert getattr(row, part.model._meta.get_field(name).attname) in ("", None, {}), f"{part.label}.{name}"
            for name in part.pseudonym:
                assert getattr(row, name) == pseudonym(p.pk), f"{part.label}.{name}"
    assert ImportedTrajectory.objects.get().participant_ref == pseudonym(p.pk)

    # And the secret is nowhere: not in any text of any Maatpak model, not in the admin's history.
    for model in [*_maatpak_models(), LogEntry]:
        for f in _text_fields(model):
            lookup = f"{f.name}__icontains" if not isinstance(f, models.JSONField) else f"{f.name}__contains"
            if isinstance(f, models.JSONField):
                leaked = [v for v in model._base_manager.values_list(f.name, flat=True) if SECRET in str(v)]
            else:
                leaked = list(model._base_manager.filter(**{lookup: SECRET}).values_list("pk", flat=True))
            assert leaked == [], f"{model._meta.label}.{f.name} still holds personal text"


def test_the_portal_account_is_deactivated_and_unlinked(old_dossier):
    user = old_dossier.user
    user.set_password("Het-oude-wachtwoord-2012")
    user.save()
    anonymise_expired(today=TODAY, municipalities=[old_dossier.municipality])
    user.refresh_from_db()
    assert not user.is_active and not user.has_usable_password()
    assert (user.first_name, user.last_name, user.email) == ("", "", "")
    assert SECRET.lower() not in user.username.lower()
    assert authenticate(RequestFactory().post("/login/"), username=user.username, password="Het-oude-wachtwoord-2012") is None
    assert not Participant.objects.filter(user=user).exists()


def test_an_anonymised_participant_is_never_shown_as_a_person(old_dossier, consultant):
    assert dossier_policy.instances_for(consultant, "view").filter(pk=old_dossier.pk).exists()
    anonymise_expired(today=TODAY, municipalities=[old_dossier.municipality])
    assert not dossier_policy.instances_for(consultant, "view").filter(pk=old_dossier.pk).exists()


def test_a_dossier_with_recent_activity_is_kept(municipality, consultant, old_dossier):
    recent = full_dossier(municipality, consultant, on=dt.date(2016, 6, 2))  # ten years ago tomorrow
    Contact.objects.create(
        municipality=municipality, participant=old_dossier, occurred_on=dt.date(2020, 1, 1), channel="phone", staff=consultant
    )
    [run] = anonymise_expired(today=TODAY, municipalities=[municipality])
    assert run.expired == 0
    assert set(Participant.objects.filter(anonymised_on__isnull=True).values_list("pk", flat=True)) == {old_dossier.pk, recent.pk}
    # One day later the recent one's ten years are over; the contact of 2020 keeps the other.
    [run] = anonymise_expired(today=dt.date(2026, 6, 2), municipalities=[municipality])
    assert (run.expired, run.anonymised) == (1, 1)
    assert Participant.objects.get(pk=recent.pk).anonymised_on == dt.date(2026, 6, 2)


@pytest.mark.parametrize(
    "still_open",
    [
        lambda p: p.benefits.update(end_date=None),
        lambda p: p.trajectories.update(status=TrajectoryStatus.ACTIVE),
        lambda p: p.sanctions.update(status=SanctionStatus.HEARD),
        lambda p: p.sanctions.update(objection_decided_on=None),
        lambda p: p.consultant_change_requests.update(status=ChangeRequestStatus.OPEN),
    ],
    ids=["running benefit", "trajectory not closed", "sanction undecided", "objection undecided", "open request"],
)
def test_an_open_dossier_is_kept_however_old(old_dossier, still_open):
    still_open(old_dossier)
    [run] = anonymise_expired(today=TODAY, municipalities=[old_dossier.municipality])
    assert run.expired == 0 and Participant.objects.get(pk=old_dossier.pk).anonymised_on is None


def test_after_a_sanction_the_longer_term_applies(municipality, consultant):
    municipality.retention_years, municipality.retention_years_after_sanction = 5, 8
    municipality.save()
    sanctioned = full_dossier(municipality, consultant, on=dt.date(2018, 1, 10))
    unsanctioned = full_dossier(municipality, consultant, on=dt.date(2018, 1, 10))
    unsanctioned.sanctions.all().delete()

    [run] = anonymise_expired(today=dt.date(2025, 6, 1), municipalities=[municipality])
    assert run.anonymised == 1
    assert Participant.objects.get(pk=unsanctioned.pk).anonymised_on is not None
    assert Participant.objects.get(pk=sanctioned.pk).anonymised_on is None
    # Eight years after the last sanction decision.
    anonymise_expired(today=dt.date(2026, 1, 9), municipalities=[municipality])
    assert Participant.objects.get(pk=sanctioned.pk).anonymised_on is None
    anonymise_expired(today=dt.date(2026, 1, 10), municipalities=[municipality])
    assert Participant.objects.get(pk=sanctioned.pk).anonymised_on == dt.date(2026, 1, 10)


def test_a_sanction_never_shortens_the_term(municipality, consultant):
    municipality.retention_years, municipality.retention_years_after_sanction = 10, 2
    municipality.save()
    sanctioned = full_dossier(municipality, consultant, on=dt.date(2018, 1, 10))
    anonymise_expired(today=dt.date(2027, 1, 10), municipalities=[municipality])
    assert Participant.objects.get(pk=sanctioned.pk).anonymised_on is None


def test_each_municipality_has_its_own_term(consultant, municipality):
    strict = MunicipalityFactory(code="GM0687", name="Middelburg", retention_years=5, retention_years_after_sanction=5)
    here = full_dossier(municipality, consultant, on=dt.date(2019, 1, 1))
    there = full_dossier(strict, UserFactory(role=Role.CONSULTANT, municipalities=[strict]), on=dt.date(2019, 1, 1))
    runs = {run.municipality.code: run for run in anonymise_expired(today=TODAY)}
    assert (runs["GM0090"].anonymised, runs["GM0687"].anonymised) == (0, 1)
    assert Participant.objects.get(pk=here.pk).anonymised_on is None
    assert Participant.objects.get(pk=there.pk).anonymised_on == TODAY


def test_running_twice_changes_nothing_more(old_dossier):
    anonymise_expired(today=TODAY, municipalities=[old_dossier.municipality])
    before = Participant.objects.values().get(pk=old_dossier.pk)
    events = AuditEvent.objects.filter(participant_id=old_dossier.pk).count()
    [run] = anonymise_expired(today=dt.date(2026, 7, 1), municipalities=[old_dossier.municipality])
    assert (run.expired, run.anonymised, run.rows) == (0, 0, 0)
    assert Participant.objects.values().get(pk=old_dossier.pk) == before
    assert AuditEvent.objects.filter(participant_id=old_dossier.pk).count() == events
    # Asked directly, a dossier already anonymised is left alone too.
    assert retention.anonymise_participant(participant_id=old_dossier.pk, today=dt.date(2026, 7, 1)) is None


def test_a_dossier_that_got_new_activity_since_the_selection_is_skipped(old_dossier, consultant):
    Contact.objects.create(
        municipality=old_dossier.municipality, participant=old_dossier, occurred_on=TODAY, channel="phone", staff=consultant
    )
    assert retention.anonymise_participant(participant_id=old_dossier.pk, today=TODAY) is None
    assert Participant.objects.get(pk=old_dossier.pk).last_name != MARKER


def test_the_dry_run_counts_and_changes_nothing(old_dossier):
    before = Participant.objects.values().get(pk=old_dossier.pk)
    events = AuditEvent.objects.count()
    out = StringIO()
    call_command("anonymise_expired_dossiers", "--dry-run", stdout=out)
    assert "GM0090: 1 dossiers would be anonymised (dry run, nothing changed)." in out.getvalue()
    assert Participant.objects.values().get(pk=old_dossier.pk) == before
    assert AuditEvent.objects.count() == events


def test_the_command_logs_each_run_with_counts_and_no_names(old_dossier, caplog):
    out = StringIO()
    with caplog.at_level("INFO", logger="maatpak.privacy.retention"):
        call_command("anonymise_expired_dossiers", "--municipality", "GM0090", stdout=out)
    assert "GM0090: 1 of 1 expired dossiers anonymised" in out.getvalue()
    run_event = AuditEvent.objects.get(purpose=retention.RUN_PURPOSE, municipality=old_dossier.municipality)
    assert (run_event.action, run_event.municipality_id, run_event.participant_id) == (
        AuditAction.DELETE,
        old_dossier.municipality_id,
        None,
    )
    assert run_event.detail["anonymised"] == 1 and run_event.detail["expired"] == 1 and run_event.detail["rows"] > 20
    dossier_event = AuditEvent.objects.get(purpose=retention.PURPOSE)
    assert (dossier_event.action, dossier_event.participant_id) == (AuditAction.DELETE, old_dossier.pk)
    names = (old_dossier.last_name, old_dossier.reference, SECRET)
    logged = caplog.text + str(run_event.detail) + str(dossier_event.detail) + out.getvalue()
    assert "1 anonymised" in caplog.text
    assert not any(name in logged for name in names)


def test_one_dossier_failing_does_not_stop_the_others(municipality, consultant, monkeypatch):
    first, second = full_dossier(municipality, consultant), full_dossier(municipality, consultant)
    real = retention.anonymise_participant

    def fail_on_first(*, participant_id, today):
        if participant_id == first.pk:
            raise RuntimeError("disk full")
        return real(participant_id=participant_id, today=today)

    monkeypatch.setattr(retention, "anonymise_participant", fail_on_first)
    with pytest.raises(CommandError, match="1 dossiers could not be anonymised"):
        call_command("anonymise_expired_dossiers", "--municipality", "GM0090", stdout=StringIO())
    assert Participant.objects.get(pk=first.pk).anonymised_on is None
    assert Participant.objects.get(pk=second.pk).anonymised_on is not None
    assert AuditEvent.objects.get(purpose=retention.RUN_PURPOSE, municipality=municipality).detail["failed"] == 1


def test_an_unknown_municipality_is_refused(db):
    with pytest.raises(CommandError, match="GM0000"):
        call_command("anonymise_expired_dossiers", "--municipality", "GM0000", stdout=StringIO())


def test_the_statistics_still_count_the_anonymised_person(old_dossier):
    ids = [old_dossier.municipality_id]
    before = build_dataset(municipality_ids=ids, today=TODAY)
    anonymise_expired(today=TODAY, municipalities=[old_dossier.municipality])
    after = build_dataset(municipality_ids=ids, today=TODAY)
    assert len(after) == len(before) == 1
    assert after.iloc[0]["participant_id"] == old_dossier.pk and after.iloc[0]["work_6m"] == 1
    # Only the age may move (the birth date kept its year): everything else is counted the same.
    assert after.drop(columns=["age"]).equals(before.drop(columns=["age"]))
    assert abs(after.iloc[0]["age"] - before.iloc[0]["age"]) <= 1
