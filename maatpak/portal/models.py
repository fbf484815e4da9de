"""What participants send from their portal: requests for another consultant and messages."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from maatpak.core.models import TenantModel, VersionedModel


class ChangeRequestStatus(models.TextChoices):
    OPEN = "open", _("Waiting for an answer")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Not granted")


class ConsultantChangeRequest(TenantModel, VersionedModel):
    """Verzoek om een andere klantmanager. The reason is optional for the participant; the
    team lead must answer, with an explanation either way.

    The database holds at most one open request per participant (two simultaneous posts cannot
    both get in), and the version makes a second answer, based on the open request somebody
    else answered meanwhile, a refused stale edit instead of an overwrite."""

    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="consultant_change_requests", verbose_name=_("participant")
    )
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consultant at the time"),
    )
    reason = models.TextField(_("reason"), blank=True)
    status = models.CharField(_("status"), max_length=8, choices=ChangeRequestStatus.choices, default=ChangeRequestStatus.OPEN)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("answered by")
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True)

    class Meta:
        verbose_name = _("request for another consultant")
        verbose_name_plural = _("requests for another consultant")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant"], condition=models.Q(status=ChangeRequestStatus.OPEN), name="one_open_change_request_per_participant"
            )
        ]

    def __str__(self):
        return f"{self.participant_id} {self.get_status_display()}"


class MessageDirection(models.TextChoices):
    TO_CONSULTANT = "to_consultant", _("From participant to consultant")
    TO_PARTICIPANT = "to_participant", _("From consultant to participant")


class Message(TenantModel):
    """Bericht tussen deelnemer en klantmanager."""

    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="messages", verbose_name=_("participant")
    )
    direction = models.CharField(_("direction"), max_length=16, choices=MessageDirection.choices)
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("sender"))
    subject = models.CharField(_("subject"), max_length=150)
    body = models.TextField(_("message"))
    read_on = models.DateTimeField(_("read on"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at"]

    def __str__(self):
        return self.subject


class ReportReaction(TenantModel):
    """Reactie van de deelnemer op een rapportage over hem of haar."""

    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="report_reactions", verbose_name=_("participant")
    )
    progress_report = models.ForeignKey(
        "trajectories.ProgressReport",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reactions",
        verbose_name=_("progress report"),
    )
    end_report = models.ForeignKey(
        "trajectories.EndReport", on_delete=models.CASCADE, null=True, blank=True, related_name="reactions", verbose_name=_("end report")
    )
    text = models.TextField(_("reaction"))

    class Meta:
        verbose_name = _("reaction to a report")
        verbose_name_plural = _("reactions to reports")
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(progress_report__isnull=False, end_report__isnull=True)
                    | models.Q(progress_report__isnull=True, end_report__isnull=False)
                ),
                name="reaction_on_exactly_one_report",
            )
        ]

    def __str__(self):
        return self.text[:60]


class PortalActivation(TenantModel):
    """Activeringscode: without a DigiD broker, a participant's portal account is opened with a
    one-time code the consultant hands over on paper. Shown once, stored only as a hash, valid for
    a limited time and a limited number of tries; using it (or making a new one) ends it."""

    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="portal_activations", verbose_name=_("participant")
    )
    code_hash = models.CharField(_("code (hashed)"), max_length=128, editable=False)
    expires_at = models.DateTimeField(_("valid until"))
    failed_attempts = models.PositiveSmallIntegerField(_("failed attempts"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("made by"))

    class Meta:
        verbose_name = _("portal activation code")
        verbose_name_plural = _("portal activation codes")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.participant} ({self.expires_at:%Y-%m-%d})"


class FeedbackWeekCount(models.Model):
    """Teller anonieme reacties: how many anonymous reactions a participant sent to the client
    council in one ISO week, so the weekly and quarterly limits hold across log-ins.

    Only the number: no link to the reactions (no foreign key to them, no time of any reaction,
    a random id), so it says no more than "this person sent n reactions in week W". Counts of
    ended quarters are deleted as soon as a new count is written (portal.services)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    participant = models.ForeignKey("participants.Participant", on_delete=models.CASCADE, related_name="+", verbose_name=_("participant"))
    week = models.CharField(_("ISO week"), max_length=8)
    count = models.PositiveSmallIntegerField(_("number sent"), default=0)

    class Meta:
        verbose_name = _("number of anonymous reactions in a week")
        verbose_name_plural = _("numbers of anonymous reactions per week")
        constraints = [models.UniqueConstraint(fields=["participant", "week"], name="one_feedback_count_per_participant_week")]

    def __str__(self):
        return f"{self.week}: {self.count}"
