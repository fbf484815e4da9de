"""Questionnaires, invitations and responses (the screens come with the council work)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from maatpak.core.models import TenantModel


class SurveyKind(models.TextChoices):
    SATISFACTION = "satisfaction", _("Satisfaction survey")
    INTERVIEW_GUIDE = "interview_guide", _("Interview guide (client council)")
    TRAJECTORY_END = "trajectory_end", _("End-of-trajectory questionnaire")
    ANONYMOUS_FEEDBACK = "anonymous_feedback", _("Anonymous feedback to the client council")


class Survey(TenantModel):
    """Vragenlijst. `questions` is a list of {key, text, type, options?, section?}."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=SurveyKind.choices)
    questions = models.JSONField(_("questions"), default=list)
    anonymous = models.BooleanField(_("anonymous"), default=False, help_text=_("Responses store no identity."))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["title"]

    def __str__(self):
        return self.title


class SurveyInvitation(TenantModel):
    """Uitnodiging. The token is stored hashed; the response does not point back here when the
    survey is anonymous, so answers cannot be linked to the person."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("survey"))
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="survey_invitations", verbose_name=_("participant")
    )
    token_hash = models.CharField(_("token (hashed)"), max_length=64, unique=True)
    sent_on = models.DateField(_("sent on"))
    channel = models.CharField(_("channel"), max_length=20, default="portal")
    responded = models.BooleanField(_("responded"), default=False)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")

    def __str__(self):
        return f"{self.survey} → {self.participant_id}"


class SurveyResponse(models.Model):
    """Antwoorden. Deliberately not a TenantModel: it has no created/updated timestamps, only
    the ISO week it arrived in, so an anonymous response cannot be linked by time."""

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality"))
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses", verbose_name=_("survey"))
    invitation = models.OneToOneField(
        SurveyInvitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="response", verbose_name=_("invitation")
    )
    answers = models.JSONField(_("answers"), default=dict)
    week = models.CharField(_("week received"), max_length=8, help_text=_("ISO week, e.g. 2026-W47"))
    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("provider concerned")
    )

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self):
        return f"{self.survey} {self.week}"


class FeedbackTopic(models.TextChoices):
    PLAN = "plan", _("My plan")
    CONSULTANT = "consultant", _("My consultant")
    PROVIDER = "provider", _("The re-integration company")
    SANCTIONS = "sanctions", _("Sanctions or threats of sanctions")
    RESPECT = "respect", _("How I am treated")
    OTHER = "other", _("Something else")


class AnonymousFeedback(models.Model):
    """Anonieme reactie aan de cliëntenraad.

    Deliberately minimal: no user, no participant, no IP address, no session, and no time
    finer than the ISO week (`week`). Not a TenantModel, because that would add exact
    created/updated timestamps. The id is a random UUID so insertion order reveals nothing.
    """

    id = models.UUIDField(primary_key=True, editable=False)
    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality"))
    week = models.CharField(_("week received"), max_length=8, help_text=_("ISO week, e.g. 2026-W47"))
    topic = models.CharField(_("topic"), max_length=12, choices=FeedbackTopic.choices)
    rating = models.PositiveSmallIntegerField(_("rating (1–5)"), null=True, blank=True)
    text = models.TextField(_("feedback"), blank=True)

    class Meta:
        verbose_name = _("anonymous feedback")
        verbose_name_plural = _("anonymous feedback")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5), name="feedback_rating_range"
            )
        ]

    def __str__(self):
        return f"{self.week} {self.topic}"
