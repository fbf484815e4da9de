"""Roles (rollen). One role per account keeps least privilege easy to reason about. What each
role may do is in `accounts.policy.PERMISSIONS`, nowhere else."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CONSULTANT = "consultant", _("Consultant")
    TEAM_LEAD = "team_lead", _("Team lead")
    POLICY_OFFICER = "policy_officer", _("Policy officer")
    PROVIDER_STAFF = "provider_staff", _("Provider staff")
    JOB_COACH = "job_coach", _("Job coach (employer desk)")
    COUNCIL_MEMBER = "council_member", _("Client council member")
    ANALYST = "analyst", _("Analyst")
    PRIVACY_OFFICER = "privacy_officer", _("Privacy officer")
    ADMIN = "admin", _("Administrator")
    PARTICIPANT = "participant", _("Participant")
