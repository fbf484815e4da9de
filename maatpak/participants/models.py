"""The participant (deelnemer) and everything known about them: benefits, assessments, wishes."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from maatpak.core import crypto
from maatpak.core.bsn import mask_bsn, normalise_bsn
from maatpak.core.models import TenantModel, VersionedModel
from maatpak.core.text import NOTE_MAX_LENGTH


class Sex(models.TextChoices):
    FEMALE = "f", _("Female")
    MALE = "m", _("Male")
    OTHER = "x", _("Other / not registered")


class EducationLevel(models.TextChoices):
    """Highest completed education (hoogst behaalde opleiding), in CBS's broad bands."""

    NONE = "none", _("None or primary school")
    LOWER_SECONDARY = "vmbo", _("Lower secondary (vmbo, mbo 1)")
    UPPER_SECONDARY = "mbo", _("Vocational (mbo 2–4, havo, vwo)")
    HIGHER = "hbo", _("Higher education (hbo, wo)")
    UNKNOWN = "unknown", _("Unknown")


class Participant(TenantModel, VersionedModel):
    """Deelnemer (cliënt, klant): a person on (or seeking) re-integration support.

    The BSN is never stored in plain text: `bsn_encrypted` holds it encrypted (Fernet) and
    `bsn_hash` a keyed HMAC so staff can find someone by BSN without decrypting every row.
    """

    reference = models.CharField(_("reference"), max_length=32, help_text=_("The municipality's own client number."))
    # Empty only for people imported from older systems without a BSN (history for analysis).
    bsn_encrypted = models.TextField(_("BSN (encrypted)"), editable=False, blank=True)
    bsn_hash = models.CharField(_("BSN (keyed hash)"), max_length=64, editable=False, null=True, blank=True)
    first_name = models.CharField(_("first name"), max_length=100)
    name_prefix = models.CharField(_("prefix"), max_length=20, blank=True, help_text=_("e.g. 'van der'"))
    last_name = models.CharField(_("last name"), max_length=150)
    birth_date = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.OTHER)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone number"), max_length=30, blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=7, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    education_level = models.CharField(_("education level"), max_length=16, choices=EducationLevel.choices, default=EducationLevel.UNKNOWN)
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="caseload", verbose_name=_("consultant")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="participant", verbose_name=_("login")
    )
    registered_on = models.DateField(_("registered on"))
    # Leaving the municipality ends follow-up: effectiveness analyses censor at this date.
    moved_away_on = models.DateField(_("moved away on"), null=True, blank=True)
    # Geanonimiseerd: the retention period ended (privacy.retention). Identity and free texts are
    # gone; dates, outcomes and assessments stay for the statistics. Never anonymised twice,
    # never shown as a person (participants.policies reaches no anonymised participant).
    anonymised_on = models.DateField(_("anonymised on"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "reference"], name="participant_unique_reference"),
            models.UniqueConstraint(
                fields=["municipality", "bsn_hash"], condition=models.Q(bsn_hash__isnull=False), name="participant_unique_bsn"
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.name_prefix, self.last_name) if part)

    def set_bsn(self, raw: str) -> None:
        """Validate (11-test) and store a BSN encrypted plus its keyed hash."""
        bsn = normalise_bsn(raw)
        self.bsn_encrypted = crypto.encrypt(bsn)
        self.bsn_hash = crypto.keyed_hash(bsn)

    @property
    def bsn(self) -> str:
        return crypto.decrypt(self.bsn_encrypted) if self.bsn_encrypted else ""

    @property
    def bsn_masked(self) -> str:
        return mask_bsn(self.bsn) if self.bsn_encrypted else ""

    @staticmethod
    def hash_for_lookup(raw: str) -> str:
        return crypto.keyed_hash(normalise_bsn(raw))


class BenefitType(models.TextChoices):
    PARTICIPATIEWET = "pw", _("Participatiewet (formerly WWB)")
    IOAW = "ioaw", _("IOAW")
    IOAZ = "ioaz", _("IOAZ")
    ANW = "anw", _("Anw")
    NONE = "none", _("No benefit")


class BenefitEndReason(models.TextChoices):
    """Reason the benefit ended (reden uitstroom), in Divosa's benchmark categories."""

    WORK = "work", _("Work")
    EDUCATION = "education", _("Education")
    SELF_EMPLOYMENT = "self_employment", _("Self-employment")
    PARTNER_INCOME = "partner_income", _("Income of partner")
    OTHER_BENEFIT = "other_benefit", _("Other benefit or pension")
    MOVED = "moved", _("Moved to another municipality")
    DETENTION = "detention", _("Detention")
    NOT_COOPERATING = "not_cooperating", _("Obligations not met")
    DECEASED = "deceased", _("Deceased")
    OTHER = "other", _("Other")


class Benefit(TenantModel):
    """Uitkering. Its end (with reason) is the exit from benefit (uitstroom)."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="benefits", verbose_name=_("participant"))
    type = models.CharField(_("type"), max_length=8, choices=BenefitType.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    monthly_amount_cents = models.PositiveIntegerField(_("monthly amount (cents)"), default=0)
    end_reason = models.CharField(_("end reason"), max_length=20, choices=BenefitEndReason.choices, blank=True)

    class Meta:
        verbose_name = _("benefit")
        verbose_name_plural = _("benefits")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")), name="benefit_end_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.get_type_display()} {self.start_date}"


class Education(TenantModel):
    """Opleiding: a course or education the participant followed."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="educations", verbose_name=_("participant"))
    name = models.CharField(_("education or course"), max_length=200)
    level = models.CharField(_("level"), max_length=16, choices=EducationLevel.choices, default=EducationLevel.UNKNOWN)
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    completed = models.BooleanField(_("completed"), default=False)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)

    class Meta:
        verbose_name = _("education")
        verbose_name_plural = _("education")
        ordering = ["-year"]

    def __str__(self):
        return self.name


class WorkExperience(TenantModel):
    """Werkervaring."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="work_experiences", verbose_name=_("participant"))
    job_title = models.CharField(_("job"), max_length=200)
    employer_name = models.CharField(_("employer"), max_length=200, blank=True)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)
    description = models.TextField(_("description"), max_length=NOTE_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = _("work experience")
        verbose_name_plural = _("work experience")
        ordering = ["-start_date"]

    def __str__(self):
        return self.job_title


class Competence(TenantModel):
    """Competentie in the municipality's catalogue, shared by participants and vacancies so
    that competences can be matched to employers."""

    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), max_length=NOTE_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = _("competence")
        verbose_name_plural = _("competences")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="competence_unique_name")]

    def __str__(self):
        return self.name


class CompetenceLevel(models.IntegerChoices):
    BASIC = 1, _("Basic")
    GOOD = 2, _("Good")
    STRONG = 3, _("Strong")


class ParticipantCompetence(TenantModel):
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="competences", verbose_name=_("participant"))
    competence = models.ForeignKey(Competence, on_delete=models.PROTECT, related_name="holders", verbose_name=_("competence"))
    level = models.PositiveSmallIntegerField(_("level"), choices=CompetenceLevel.choices, default=CompetenceLevel.BASIC)
    evidence = models.TextField(_("how it shows"), max_length=NOTE_MAX_LENGTH, blank=True)
    recorded_on = models.DateField(_("recorded on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))

    class Meta:
        verbose_name = _("participant competence")
        verbose_name_plural = _("participant competences")
        constraints = [models.UniqueConstraint(fields=["participant", "competence"], name="participant_competence_unique")]

    def __str__(self):
        return f"{self.competence} ({self.get_level_display()})"


class WishKind(models.TextChoices):
    WISH = "wish", _("Wish")
    AMBITION = "ambition", _("Ambition")
    INTEREST = "interest", _("Interest")
    IDEA = "idea", _("Idea")


class WishSource(models.TextChoices):
    PARTICIPANT = "participant", _("Written by the participant")
    CONSULTANT = "consultant", _("Noted by the consultant in the participant's words")


class Wish(TenantModel):
    """Wens, ambitie, interesse of idee — always in the participant's own words."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="wishes", verbose_name=_("participant"))
    kind = models.CharField(_("kind"), max_length=10, choices=WishKind.choices, default=WishKind.WISH)
    text = models.TextField(_("in the participant's own words"), max_length=NOTE_MAX_LENGTH)
    source = models.CharField(_("source"), max_length=12, choices=WishSource.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))

    class Meta:
        verbose_name = _("wish")
        verbose_name_plural = _("wishes")
        ordering = ["-created_at"]

    def __str__(self):
        return self.text[:60]


class Domain(models.TextChoices):
    """The integral life domains (leefgebieden) assessed together."""

    WORK = "work", _("Work and daytime activities")
    INCOME_DEBTS = "income_debts", _("Income and debts")
    HOUSING = "housing", _("Housing")
    CARE = "care", _("Care and support")
    HEALTH_PHYSICAL = "health_physical", _("Physical health")
    HEALTH_MENTAL = "health_mental", _("Mental health")
    HISTORY = "history", _("History (e.g. justice)")
    LANGUAGE = "language", _("Language")
    CARING_DUTIES = "caring_duties", _("Childcare and caring duties")
    MOTIVATION = "motivation", _("Motivation")


class DomainScore(models.IntegerChoices):
    """Five-point scale modelled on the self-reliance matrix (Zelfredzaamheid-Matrix)."""

    ACUTE = 1, _("1 – acute problem")
    NOT_SELF_RELIANT = 2, _("2 – not self-reliant")
    LIMITED = 3, _("3 – limited self-reliance")
    ADEQUATE = 4, _("4 – adequately self-reliant")
    FULL = 5, _("5 – fully self-reliant")


# A score at or below this counts as a barrier (belemmering) in analyses and signals.
BARRIER_THRESHOLD = DomainScore.LIMITED


class DomainAssessment(TenantModel):
    """Beoordeling per leefgebied: score, note, date and author. Dated so staleness shows."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="domain_assessments", verbose_name=_("participant"))
    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices)
    score = models.PositiveSmallIntegerField(_("score"), choices=DomainScore.choices)
    note = models.TextField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    assessed_on = models.DateField(_("assessed on"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author"))

    class Meta:
        verbose_name = _("domain assessment")
        verbose_name_plural = _("domain assessments")
        ordering = ["-assessed_on", "-id"]
        indexes = [models.Index(fields=["participant", "domain", "-assessed_on"])]

    def __str__(self):
        return f"{self.get_domain_display()}: {self.score}"


class LadderDefinition(models.Model):
    """A versioned definition of the participation ladder (participatieladder).

    Regioplan's 2008 ladder for the VNG is the default; municipalities using a variant add a
    new version instead of changing history.
    """

    code = models.CharField(_("code"), max_length=40)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=200)
    rungs = models.JSONField(_("rungs"), help_text=_("List of {rung, label, description} for rungs 1–6."))

    class Meta:
        verbose_name = _("participation ladder definition")
        verbose_name_plural = _("participation ladder definitions")
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="ladder_definition_unique_version")]

    def __str__(self):
        return f"{self.name} v{self.version}"

    def label(self, rung: int) -> str:
        return next((r["label"] for r in self.rungs if r["rung"] == rung), str(rung))


RUNG_VALIDATORS = [MinValueValidator(1), MaxValueValidator(6)]


class LadderAssessment(TenantModel):
    """Trede op de participatieladder, scored with the participant: current rung and the rung
    reachable within about a year (groeipotentieel). History is kept: never edited in place."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="ladder_assessments", verbose_name=_("participant"))
    definition = models.ForeignKey(LadderDefinition, on_delete=models.PROTECT, verbose_name=_("ladder definition"))
    rung = models.PositiveSmallIntegerField(_("current rung"), validators=RUNG_VALIDATORS)
    potential_rung = models.PositiveSmallIntegerField(_("reachable rung within a year"), validators=RUNG_VALIDATORS, null=True, blank=True)
    answers = models.JSONField(_("answers to the ladder questions"), default=dict, blank=True)
    note = models.TextField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    assessed_on = models.DateField(_("assessed on"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author"))

    class Meta:
        verbose_name = _("participation ladder assessment")
        verbose_name_plural = _("participation ladder assessments")
        ordering = ["-assessed_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(rung__gte=1, rung__lte=6), name="ladder_rung_range"),
            models.CheckConstraint(
                condition=models.Q(potential_rung__isnull=True) | models.Q(potential_rung__gte=1, potential_rung__lte=6),
                name="ladder_potential_rung_range",
            ),
        ]

    def __str__(self):
        return f"{self.rung} ({self.assessed_on})"


class SolGroup(models.TextChoices):
    """Els Sol's distance-to-the-labour-market schema (labels are Maatpak's shorthand)."""

    A1 = "A1", _("A1 – no distance: needs only enough jobs")
    A2 = "A2", _("A2 – no distance: needs a push")
    A3 = "A3", _("A3 – no distance: needs matching")
    B1 = "B1", _("B1 – distance: must learn employee skills")
    B2 = "B2", _("B2 – distance: lasting productivity deficit to compensate")
    B3 = "B3", _("B3 – unbridgeable distance: participation only")


class SolAssessment(TenantModel):
    """Indeling in een groep van Sol, with history."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="sol_assessments", verbose_name=_("participant"))
    group = models.CharField(_("group"), max_length=2, choices=SolGroup.choices)
    note = models.TextField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    assessed_on = models.DateField(_("assessed on"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author"))

    class Meta:
        verbose_name = _("Sol group assessment")
        verbose_name_plural = _("Sol group assessments")
        ordering = ["-assessed_on", "-id"]

    def __str__(self):
        return f"{self.group} ({self.assessed_on})"


class ConsultantAssignment(TenantModel):
    """Toewijzing aan een klantmanager. History of who held the case, so changes are countable."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="consultant_assignments", verbose_name=_("participant")
    )
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("consultant")
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    reason = models.CharField(_("reason for change"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("consultant assignment")
        verbose_name_plural = _("consultant assignments")
        ordering = ["-start_date", "-id"]

    def __str__(self):
        return f"{self.consultant} {self.start_date}"


class ContactChannel(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    VIDEO = "video", _("Video call")
    MAIL = "mail", _("Letter")
    EMAIL = "email", _("Email")
    PORTAL = "portal", _("Portal message")
    HOME_VISIT = "home_visit", _("Home visit")


class Contact(TenantModel):
    """Contactmoment between the municipality and the participant."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("participant"))
    occurred_on = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=12, choices=ContactChannel.choices)
    summary = models.TextField(_("summary"), max_length=NOTE_MAX_LENGTH, blank=True)
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("staff member"))

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["participant", "-occurred_on"])]

    def __str__(self):
        return f"{self.occurred_on} {self.get_channel_display()}"


class Exemption(TenantModel):
    """Ontheffing (Participatiewet art. 9): temporary, individual, with reason and end date."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="exemptions", verbose_name=_("participant"))
    reason = models.TextField(_("urgent reason"), max_length=NOTE_MAX_LENGTH)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("decided by"))

    class Meta:
        verbose_name = _("exemption")
        verbose_name_plural = _("exemptions")
        ordering = ["-start_date"]
        constraints = [models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")), name="exemption_end_after_start")]

    def __str__(self):
        return f"{self.start_date} – {self.end_date}"
