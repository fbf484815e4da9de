"""Trajectories (trajecten), their plan versions, referrals to providers, reports and sanctions."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from maatpak.core.models import TenantModel, TenantQuerySet, VersionedModel
from maatpak.core.text import LONG_TEXT_MAX_LENGTH, NOTE_MAX_LENGTH


class InstrumentCluster(models.TextChoices):
    """IWI's five clusters of instruments, plus the employer-side instruments."""

    DIAGNOSIS = "diagnosis", _("1. Diagnosis and orientation")
    SOCIAL_ACTIVATION = "social_activation", _("2. Social activation")
    COURSES = "courses", _("3. Courses")
    SUPPORT = "support", _("4. Support")
    MEDIATION = "mediation", _("5. Mediation to a job and aftercare")
    EMPLOYER = "employer", _("Employer-side instrument")


class SrgType(models.TextChoices):
    """Provision types of CBS's municipal re-integration statistic (SRG), so counts can be
    delivered in CBS's terms."""

    WAGE_COST_SUBSIDY = "loonkostensubsidie", _("Wage-cost subsidy")
    SHELTERED_WORK = "beschut_werk", _("Sheltered work")
    JOB_COACH = "jobcoach", _("Job coach")
    PARTICIPATION_PLACE = "participatieplaats", _("Participation place")
    WORK_PLACEMENT = "werkstage", _("Work placement / trial placement")
    TRAINING = "scholing", _("Training")
    SOCIAL_ACTIVATION = "sociale_activering", _("Social activation / social participation")
    GUIDANCE = "begeleiding", _("Guidance to work")
    OTHER = "overig", _("Other provision")


class Instrument(TenantModel):
    """Instrument in the municipality's catalogue, with its typical cost."""

    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    cluster = models.CharField(_("cluster"), max_length=20, choices=InstrumentCluster.choices)
    srg_type = models.CharField(_("CBS SRG type"), max_length=24, choices=SrgType.choices, default=SrgType.OTHER)
    default_cost_cents = models.PositiveIntegerField(_("typical cost (cents)"), default=0)
    description = models.TextField(_("description"), max_length=NOTE_MAX_LENGTH, blank=True)
    evidence_based = models.BooleanField(_("evidence-based method"), default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        ordering = ["cluster", "name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "code"], name="instrument_unique_code")]

    def __str__(self):
        return self.name


class TrajectoryStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AGREED = "agreed", _("Agreed, awaiting signatures")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class GoalKind(models.TextChoices):
    """End goal (einddoel) of a trajectory, in the Smallingerland policy terms."""

    REGULAR_WORK = "regular_work", _("Regular work")
    SUBSIDISED_WORK = "subsidised_work", _("Work with support or subsidy")
    EDUCATION = "education", _("Regular education")
    SELF_EMPLOYMENT = "self_employment", _("Self-employment")
    SOCIAL_PARTICIPATION = "social_participation", _("Social participation")


class Outcome(models.TextChoices):
    """End outcome (resultaat) recorded in an end report."""

    REGULAR_WORK = "regular_work", _("Regular work")
    SUBSIDISED_WORK = "subsidised_work", _("Subsidised work")
    EDUCATION = "education", _("Regular education")
    SELF_EMPLOYMENT = "self_employment", _("Self-employment")
    SOCIAL_PARTICIPATION = "social_participation", _("Social participation")
    NONE = "none", _("None of these")


WORK_OUTCOMES = frozenset({Outcome.REGULAR_WORK, Outcome.SUBSIDISED_WORK, Outcome.SELF_EMPLOYMENT})


class Trajectory(TenantModel, VersionedModel):
    """Traject: one re-integration or participation route with a plan (trajectplan).

    A repeat trajectory records why (`repeat_reason`), referring to the previous one's end
    report: the seeds found people on their fifth trajectory with nobody knowing why.
    """

    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="trajectories", verbose_name=_("participant")
    )
    # Empty only for trajectories imported from older systems.
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="trajectories", verbose_name=_("consultant")
    )
    status = models.CharField(_("status"), max_length=8, choices=TrajectoryStatus.choices, default=TrajectoryStatus.DRAFT)
    started_on = models.DateField(_("start date"), null=True, blank=True)
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    previous = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="followed_by", verbose_name=_("previous trajectory")
    )
    repeat_reason = models.TextField(_("why a new trajectory"), max_length=NOTE_MAX_LENGTH, blank=True)
    closing_report = models.OneToOneField(
        "EndReport", on_delete=models.PROTECT, null=True, blank=True, related_name="closed_trajectory", verbose_name=_("closing end report")
    )

    class Meta:
        verbose_name = _("trajectory")
        verbose_name_plural = _("trajectories")
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["municipality", "status"])]

    def __str__(self):
        return f"{_('Trajectory')} {self.pk} – {self.participant}"

    def _plan_versions(self, *related):
        """The versions, from a prefetch when there is one (a list then costs no query per row)."""
        if "plan_versions" in getattr(self, "_prefetched_objects_cache", {}):
            return self.plan_versions.all()
        return self.plan_versions.prefetch_related(*related)

    def latest_plan(self) -> "PlanVersion | None":
        """The newest version, drafts included: the one the consultant writes or last agreed."""
        return max(self._plan_versions(), key=lambda p: p.number, default=None)

    def plan_in_force(self) -> "PlanVersion | None":
        """The version agreed with the participant (see PlanVersionQuerySet): while a revision is
        written, agreed and signed, the participant's obligations, the provider's work and the
        report due dates stay those of this version."""
        return in_force_of(self._plan_versions("signatures"))

    def draft_revision(self) -> "PlanVersion | None":
        """The revision still being agreed, if there is one."""
        latest = self.latest_plan()
        return latest if latest is not None and latest.is_draft_revision else None


class PlanVersionQuerySet(TenantQuerySet):
    """The plan-version vocabulary in queries (its Python twins are on PlanVersion and
    Trajectory, for rows already loaded):

    - latest: the newest version, drafts included: what the consultant edits;
    - draft revision: version 2 or later not agreed yet: a change still being agreed;
    - in force: the version agreed with the participant, which the provider works to and the
      report due dates use: the newest version both sides signed; before any is signed, the
      newest version that is not a draft revision.
    """

    def draft_revisions(self):
        """Revisions still being written (version 2 or later, not agreed yet): until both sides
        agree on one, it is the consultant's draft, not the participant's plan."""
        return self.filter(number__gt=1, agreed_on__isnull=True)

    def without_draft_revisions(self):
        """Every version the participant and the provider may see: all but a draft revision."""
        return self.exclude(number__gt=1, agreed_on__isnull=True)

    def with_signed_by_both(self):
        """Annotate `signed_by_both`: the consultant and the participant both signed it."""
        signed = Signature.objects.filter(plan=models.OuterRef("pk"))
        return self.annotate(
            signed_by_both=models.Exists(signed.filter(party=SignatureParty.CONSULTANT))
            & models.Exists(signed.filter(party=SignatureParty.PARTICIPANT))
        )

    def in_force_first(self):
        """The candidates for "in force", the one in force first (per trajectory: take the
        first row, e.g. in a Subquery on OuterRef("trajectory_id"))."""
        return self.without_draft_revisions().with_signed_by_both().order_by("-signed_by_both", "-number")

    def latest_first(self):
        return self.order_by("-number")


class PlanVersion(TenantModel):
    """Versie van het trajectplan. After agreement a plan is never edited in place: a change
    makes a new version with a reason, and earlier versions stay readable."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="plan_versions", verbose_name=_("trajectory"))
    number = models.PositiveSmallIntegerField(_("version number"))
    change_reason = models.TextField(_("reason for this version"), max_length=NOTE_MAX_LENGTH, blank=True)
    end_goal_kind = models.CharField(_("end goal"), max_length=20, choices=GoalKind.choices)
    end_goal = models.TextField(_("end goal in words"), max_length=LONG_TEXT_MAX_LENGTH)
    situation = models.TextField(_("starting situation"), max_length=LONG_TEXT_MAX_LENGTH, blank=True)
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    fallback_if_no_job = models.TextField(_("what happens if no job follows"), max_length=LONG_TEXT_MAX_LENGTH, blank=True)
    education_plan = models.TextField(_("education plan"), max_length=LONG_TEXT_MAX_LENGTH, blank=True)
    mentor = models.CharField(_("mentor"), max_length=200, blank=True)
    agreed_on = models.DateField(_("agreed on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by"))

    objects = PlanVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["trajectory", "number"]
        constraints = [
            models.UniqueConstraint(fields=["trajectory", "number"], name="plan_version_unique_number"),
            models.CheckConstraint(condition=models.Q(planned_end__gte=models.F("planned_start")), name="plan_end_after_start"),
        ]

    def __str__(self):
        return f"{self.trajectory_id} v{self.number}"

    @property
    def is_draft_revision(self) -> bool:
        """A revision still being agreed (see PlanVersionQuerySet.draft_revisions)."""
        return self.number > 1 and self.agreed_on is None

    @property
    def is_draft(self) -> bool:
        """Is this version still being written (only a draft's content can be changed)? Version 1
        is a draft while its trajectory is; a revision is a draft until it is agreed."""
        if self.number == 1:
            return self.trajectory.status == TrajectoryStatus.DRAFT
        return self.agreed_on is None and self.trajectory.status != TrajectoryStatus.CLOSED

    @property
    def is_signed_by_both(self) -> bool:
        """Both the consultant and the participant signed (reads `signatures.all()`, so a
        prefetched list costs no query)."""
        if hasattr(self, "signed_by_both"):
            return self.signed_by_both
        return {s.party for s in self.signatures.all()} >= set(SignatureParty.values)


def in_force_of(versions) -> "PlanVersion | None":
    """The version in force among one trajectory's `versions` (see PlanVersionQuerySet)."""
    candidates = [p for p in versions if not p.is_draft_revision]
    return max(candidates, key=lambda p: (p.is_signed_by_both, p.number), default=None)


class IntermediateGoalKind(models.TextChoices):
    """Intermediate goals (tussendoelen) IWI found measurable."""

    VOLUNTEER_WORK = "volunteer_work", _("Structural volunteer work")
    SOCIAL_SKILLS = "social_skills", _("Social skills")
    EXPERTISE = "expertise", _("Expertise (courses)")
    SOCIAL_CONTACTS = "social_contacts", _("Breaking social isolation")
    DAILY_STRUCTURE = "daily_structure", _("Structure in daily life")
    HEALTH = "health", _("Health")
    FINANCES = "finances", _("Finances and debts")
    OTHER = "other", _("Other")


class GoalStatus(models.TextChoices):
    """Where an intermediate goal stands, as the consultant confirmed it (a provider only proposes)."""

    OPEN = "open", _("Open")
    REACHED = "reached", _("Reached")
    PARTLY_REACHED = "partly", _("Partly reached")
    NOT_REACHED = "not_reached", _("Not reached")


class Goal(TenantModel):
    """Tussendoel: measurable, with a target date."""

    plan = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="goals", verbose_name=_("plan version"))
    kind = models.CharField(_("kind"), max_length=20, choices=IntermediateGoalKind.choices)
    description = models.TextField(_("goal"), max_length=NOTE_MAX_LENGTH)
    measure = models.CharField(_("how we know it is reached"), max_length=300)
    target_date = models.DateField(_("target date"))
    status = models.CharField(_("status"), max_length=12, choices=GoalStatus.choices, default=GoalStatus.OPEN)
    # The date the status applies from (reached, partly reached, or found not reached), who
    # confirmed it and, when it came from a provider's progress report, which proposal.
    reached_on = models.DateField(_("status since"), null=True, blank=True)
    status_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("status confirmed by")
    )
    status_from_progress = models.ForeignKey(
        "GoalProgress", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("proposed in progress report")
    )
    # The goal of the version before that this one copies (plan_revise): a status confirmed on the
    # version in force while a revision is written carries over to the copy, so it is not lost
    # when the revision comes into force.
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies", verbose_name=_("copy of the goal")
    )

    class Meta:
        verbose_name = _("intermediate goal")
        verbose_name_plural = _("intermediate goals")
        ordering = ["target_date", "id"]

    def __str__(self):
        return self.description[:60]


class PlanIdea(TenantModel):
    """Eigen idee van de deelnemer in the plan, with how it is supported or why not."""

    plan = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="ideas", verbose_name=_("plan version"))
    wish = models.ForeignKey(
        "participants.Wish", on_delete=models.SET_NULL, null=True, blank=True, related_name="plan_ideas", verbose_name=_("from wish")
    )
    idea = models.TextField(_("the participant's idea"), max_length=NOTE_MAX_LENGTH)
    supported = models.BooleanField(_("supported"))
    response = models.TextField(_("how we support it, or why not"), max_length=NOTE_MAX_LENGTH)

    class Meta:
        verbose_name = _("participant's idea")
        verbose_name_plural = _("participant's ideas")

    def __str__(self):
        return self.idea[:60]


class PlannedInstrument(TenantModel):
    """Inzet van een instrument in the plan, optionally through a provider."""

    plan = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="instruments", verbose_name=_("plan version"))
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="+", verbose_name=_("instrument"))
    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("provider")
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    cost_cents = models.PositiveIntegerField(_("cost (cents)"), default=0)
    # Why it is in the plan (seed 000: "packing work" without anyone establishing the need): the
    # intermediate goal it serves, or the life domain (barrier) it addresses. Rows made before
    # this rule may have neither; every new row names one.
    serves_goal = models.ForeignKey(
        Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="instruments", verbose_name=_("serves the goal")
    )
    serves_barrier = models.CharField(_("addresses the barrier"), max_length=24, blank=True)

    class Meta:
        verbose_name = _("planned instrument")
        verbose_name_plural = _("planned instruments")
        ordering = ["start_date", "id"]

    def __str__(self):
        return str(self.instrument)


class Party(models.TextChoices):
    PARTICIPANT = "participant", _("Participant")
    MUNICIPALITY = "municipality", _("Municipality")


class AgreementStatus(models.TextChoices):
    OPEN = "open", _("Open")
    KEPT = "kept", _("Kept")
    BROKEN = "broken", _("Not kept")
    CANCELLED = "cancelled", _("Cancelled")


class Agreement(TenantModel, VersionedModel):
    """Afspraak: an obligation of one side with a deadline. The plan is a contract of mutual
    obligations, so the municipality's promises are agreements too."""

    plan = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="agreements", verbose_name=_("plan version"))
    party = models.CharField(_("who promises"), max_length=12, choices=Party.choices)
    description = models.TextField(_("agreement"), max_length=NOTE_MAX_LENGTH)
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=10, choices=AgreementStatus.choices, default=AgreementStatus.OPEN)
    status_note = models.TextField(_("status note"), max_length=NOTE_MAX_LENGTH, blank=True)
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["deadline", "id"]

    def __str__(self):
        return f"{self.get_party_display()}: {self.description[:50]}"


class SignatureParty(models.TextChoices):
    """Who signs a plan version: both sides, each once."""

    CONSULTANT = "consultant", _("Consultant")
    PARTICIPANT = "participant", _("Participant")


class SignatureMethod(models.TextChoices):
    PORTAL = "portal", _("In the portal")
    PAPER = "paper", _("On paper")
    IN_PERSON = "in_person", _("In person on screen")


class Signature(TenantModel):
    """Ondertekening of one plan version by one side."""

    plan = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="signatures", verbose_name=_("plan version"))
    party = models.CharField(_("side"), max_length=12, choices=SignatureParty.choices)
    signer_name = models.CharField(_("name of signer"), max_length=200)
    signed_on = models.DateField(_("signed on"))
    method = models.CharField(_("how"), max_length=10, choices=SignatureMethod.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [models.UniqueConstraint(fields=["plan", "party"], name="signature_once_per_side")]

    def __str__(self):
        return f"{self.party} {self.signed_on}"


class HandoverChannel(models.TextChoices):
    PORTAL = "portal", _("Portal")
    PAPER = "paper", _("On paper, in person")
    MAIL = "mail", _("By post")
    EMAIL = "email", _("By email")


class PlanHandover(TenantModel):
    """Uitreiking van een kopie van het plan aan de deelnemer."""

    plan = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="handovers", verbose_name=_("plan version"))
    handed_over_on = models.DateField(_("handed over on"))
    channel = models.CharField(_("channel"), max_length=8, choices=HandoverChannel.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))

    class Meta:
        verbose_name = _("plan hand-over")
        verbose_name_plural = _("plan hand-overs")
        ordering = ["-handed_over_on"]

    def __str__(self):
        return f"{self.handed_over_on} {self.get_channel_display()}"


class ReferralStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    INTAKE = "intake", _("Intake held")
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


# A referral is open (the provider has or may get work on it) in these statuses; it runs (the
# provider owes progress reports) in the last two.
OPEN_REFERRAL_STATUSES = (ReferralStatus.PROPOSED, ReferralStatus.ACCEPTED, ReferralStatus.INTAKE, ReferralStatus.ACTIVE)
RUNNING_REFERRAL_STATUSES = (ReferralStatus.INTAKE, ReferralStatus.ACTIVE)


class Referral(TenantModel, VersionedModel):
    """Aanmelding/verwijzing of a participant to a provider within a trajectory."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("trajectory"))
    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="referrals", verbose_name=_("provider"))
    contract = models.ForeignKey(
        "providers.Contract", on_delete=models.PROTECT, null=True, blank=True, related_name="referrals", verbose_name=_("contract")
    )
    status = models.CharField(_("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.PROPOSED)
    proposed_on = models.DateField(_("proposed on"))
    responded_on = models.DateField(_("accepted or declined on"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), max_length=NOTE_MAX_LENGTH, blank=True)
    intake_on = models.DateField(_("intake on"), null=True, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    shared_information = models.TextField(
        _("information shared with the provider"),
        blank=True,
        max_length=LONG_TEXT_MAX_LENGTH,
        help_text=_("Only what this referral needs; health details only with the participant's consent."),
    )

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-proposed_on", "-id"]
        indexes = [models.Index(fields=["provider", "status"])]

    def __str__(self):
        return f"{self.provider} ← {self.trajectory_id}"

    @property
    def was_never_accepted(self) -> bool:
        """Ended while still only proposed (its trajectory closed first): the provider never took
        the referral on, so it owes no end report and monitoring does not count it."""
        return self.status == ReferralStatus.ENDED and self.responded_on is None and self.intake_on is None and self.started_on is None


class ReportKind(models.TextChoices):
    """The two reports a provider writes: voortgangsrapportage and eindrapportage (also their URL segment)."""

    PROGRESS = "progress", _("Progress report")
    END = "end", _("End report")


class Attendance(models.TextChoices):
    GOOD = "good", _("Good (90 % or more)")
    REASONABLE = "reasonable", _("Reasonable (70–90 %)")
    POOR = "poor", _("Poor (less than 70 %)")


class ProgressReport(TenantModel):
    """Voortgangsrapportage by the provider, due at the contract's rhythm."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="progress_reports", verbose_name=_("referral"))
    due_on = models.DateField(_("due on"))
    submitted_on = models.DateField(_("submitted on"))
    activities = models.TextField(_("activities done"), max_length=LONG_TEXT_MAX_LENGTH)
    attendance = models.CharField(_("attendance"), max_length=12, choices=Attendance.choices)
    proposed_rung = models.PositiveSmallIntegerField(
        _("proposed ladder rung"), validators=[MinValueValidator(1), MaxValueValidator(6)], null=True, blank=True
    )
    barriers = models.TextField(_("barriers update"), max_length=LONG_TEXT_MAX_LENGTH, blank=True)
    next_steps = models.TextField(_("next steps"), max_length=LONG_TEXT_MAX_LENGTH)
    participant_view = models.TextField(_("the participant's own view"), max_length=LONG_TEXT_MAX_LENGTH, blank=True)
    participant_saw_report = models.BooleanField(_("the participant saw this report"), default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author"))

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-submitted_on", "-id"]

    def __str__(self):
        return f"{self.referral_id} {self.submitted_on}"

    @property
    def days_late(self) -> int:
        return max(0, (self.submitted_on - self.due_on).days)


class GoalProgressLevel(models.TextChoices):
    NONE = "none", _("No progress")
    SOME = "some", _("Some progress")
    REACHED = "reached", _("Reached")


class GoalProgress(TenantModel):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="goal_progress", verbose_name=_("progress report"))
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="progress", verbose_name=_("intermediate goal"))
    level = models.CharField(_("progress"), max_length=8, choices=GoalProgressLevel.choices)
    note = models.TextField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = _("goal progress")
        verbose_name_plural = _("goal progress")
        constraints = [models.UniqueConstraint(fields=["report", "goal"], name="goal_progress_once_per_report")]

    def __str__(self):
        return f"{self.goal_id}: {self.level}"


class EndReport(TenantModel):
    """Eindrapportage with a conclusion: a trajectory closes only with one, and a referral
    ends only with one."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.PROTECT, related_name="end_reports", verbose_name=_("trajectory"))
    referral = models.OneToOneField(
        Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="end_report", verbose_name=_("referral")
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    submitted_on = models.DateField(_("submitted on"))
    conclusion = models.TextField(_("conclusion"), max_length=LONG_TEXT_MAX_LENGTH)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    recommendation = models.TextField(_("recommendation for what next"), max_length=LONG_TEXT_MAX_LENGTH, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author"))

    class Meta:
        verbose_name = _("end report")
        verbose_name_plural = _("end reports")
        ordering = ["-submitted_on", "-id"]

    def __str__(self):
        return f"{self.trajectory_id} {self.get_outcome_display()}"


class SanctionInitiator(models.TextChoices):
    CONSULTANT = "consultant", _("Consultant")
    PROVIDER = "provider", _("Signal from provider")
    OTHER = "other", _("Other")


class SanctionStatus(models.TextChoices):
    """The life of a sanction (maatregel): proposed → hearing held → imposed or withdrawn; an
    imposed one may be revoked on objection. Only an imposed one counts as a sanction."""

    PROPOSED = "proposed", _("Proposed, hearing pending")
    HEARD = "heard", _("Hearing held, decision pending")
    IMPOSED = "imposed", _("Imposed")
    WITHDRAWN = "withdrawn", _("Withdrawn after hearing")
    REVOKED = "revoked", _("Revoked on objection")


class ObjectionDecision(models.TextChoices):
    """The decision on an objection (beslissing op bezwaar)."""

    UPHELD = "upheld", _("Objection upheld: sanction revoked")
    REJECTED = "rejected", _("Objection rejected: sanction stands")


class Sanction(TenantModel):
    """Maatregel (Participatiewet art. 18): concerns a specific broken agreement; the person is
    heard first and may object. Percentage and months are as the municipal ordinance sets them
    and are entered, never hard-coded."""

    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="sanctions", verbose_name=_("participant")
    )
    trajectory = models.ForeignKey(Trajectory, on_delete=models.PROTECT, related_name="sanctions", verbose_name=_("trajectory"))
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="sanctions", verbose_name=_("agreement concerned"))
    reason = models.TextField(_("reason"), max_length=NOTE_MAX_LENGTH)
    initiated_by = models.CharField(_("initiated by"), max_length=12, choices=SanctionInitiator.choices)
    percentage = models.PositiveSmallIntegerField(_("benefit reduction (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)])
    months = models.PositiveSmallIntegerField(_("months"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    hearing_on = models.DateField(_("hearing date"))
    hearing_held_on = models.DateField(_("hearing held on"), null=True, blank=True)
    hearing_notes = models.TextField(_("what the participant said at the hearing"), max_length=NOTE_MAX_LENGTH, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), max_length=NOTE_MAX_LENGTH, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=SanctionStatus.choices, default=SanctionStatus.PROPOSED)
    objection_filed_on = models.DateField(_("objection filed on"), null=True, blank=True)
    objection_decided_on = models.DateField(_("objection decided on"), null=True, blank=True)
    objection_decision = models.CharField(_("decision on objection"), max_length=10, choices=ObjectionDecision.choices, blank=True)
    objection_outcome = models.TextField(_("outcome of objection"), max_length=NOTE_MAX_LENGTH, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))

    class Meta:
        verbose_name = _("sanction")
        verbose_name_plural = _("sanctions")
        ordering = ["-hearing_on"]
        constraints = [
            models.CheckConstraint(condition=models.Q(percentage__gte=1, percentage__lte=100), name="sanction_percentage_range"),
        ]

    def __str__(self):
        return f"{self.percentage} % × {self.months} ({self.hearing_on})"


class MunicipalityDefault(TenantModel):
    """Verzuim van de gemeente: an agreement the municipality did not keep, with the remedy.
    Obligations run both ways (the seeds cite the Wet dwangsom)."""

    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="municipality_defaults", verbose_name=_("participant")
    )
    trajectory = models.ForeignKey(Trajectory, on_delete=models.PROTECT, related_name="municipality_defaults", verbose_name=_("trajectory"))
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="defaults", verbose_name=_("agreement concerned"))
    description = models.TextField(_("what went wrong"), max_length=NOTE_MAX_LENGTH)
    # Empty while a default the participant reported waits for the consultant's answer.
    remedy = models.TextField(_("remedy"), max_length=NOTE_MAX_LENGTH, blank=True)
    recorded_on = models.DateField(_("recorded on"))
    reported_by_participant = models.BooleanField(_("reported by the participant"), default=False)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer = models.TextField(_("answer to the participant"), max_length=NOTE_MAX_LENGTH, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("answered by")
    )
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    resolution = models.TextField(_("how it was put right"), max_length=NOTE_MAX_LENGTH, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))

    class Meta:
        verbose_name = _("municipality default")
        verbose_name_plural = _("municipality defaults")
        ordering = ["-recorded_on"]

    def __str__(self):
        return self.description[:60]


class ReportCopy(TenantModel):
    """Afschrift: a report about the participant made available to them (in the portal) the
    moment it is submitted — the seeds found participants never saw reports about themselves.
    Written by the referral services (trajectories.referrals); the table keeps its first name."""

    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="report_copies", verbose_name=_("participant")
    )
    progress_report = models.OneToOneField(
        ProgressReport, on_delete=models.CASCADE, null=True, blank=True, related_name="copy", verbose_name=_("progress report")
    )
    end_report = models.OneToOneField(
        EndReport, on_delete=models.CASCADE, null=True, blank=True, related_name="copy", verbose_name=_("end report")
    )
    made_available_on = models.DateField(_("made available on"))
    channel = models.CharField(_("channel"), max_length=10, default=HandoverChannel.PORTAL)
    first_viewed_on = models.DateField(_("first viewed on"), null=True, blank=True)
    downloaded_on = models.DateField(_("first downloaded as PDF on"), null=True, blank=True)

    class Meta:
        db_table = "providers_reportcopy"
        verbose_name = _("copy of a report for the participant")
        verbose_name_plural = _("copies of reports for participants")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(progress_report__isnull=False, end_report__isnull=True)
                    | models.Q(progress_report__isnull=True, end_report__isnull=False)
                ),
                name="report_copy_of_exactly_one_report",
            )
        ]

    def __str__(self):
        return f"{self.participant_id} {self.made_available_on}"

    @property
    def report(self):
        return self.progress_report or self.end_report

    @property
    def kind(self) -> str:
        return "progress" if self.progress_report_id else "end"
