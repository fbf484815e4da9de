from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maatpak.casework.selectors import NO_TRAJECTORY
from maatpak.core.text import CheckedForm, max_length
from maatpak.employers.models import PlacementKind
from maatpak.participants.models import (
    BenefitEndReason,
    BenefitType,
    CompetenceLevel,
    ConsultantAssignment,
    Contact,
    ContactChannel,
    Domain,
    DomainAssessment,
    DomainScore,
    Education,
    EducationLevel,
    Exemption,
    LadderAssessment,
    ParticipantCompetence,
    SolAssessment,
    SolGroup,
    Wish,
    WishKind,
    WorkExperience,
)
from maatpak.trajectories.models import TrajectoryStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CaseloadFilterForm(CheckedForm):
    q = forms.CharField(label=_("Search by name, BSN or reference"), required=False, max_length=200)
    rung = forms.TypedChoiceField(
        label=_("Ladder rung"), required=False, coerce=int, empty_value=None, choices=[("", _("All"))] + [(i, str(i)) for i in range(1, 7)]
    )
    sol = forms.ChoiceField(label=_("Sol group"), required=False, choices=[("", _("All"))] + [(v, v) for v in SolGroup.values])
    status = forms.ChoiceField(
        label=_("Trajectory status"),
        required=False,
        choices=[("", _("All")), (NO_TRAJECTORY, _("No trajectory")), *list(TrajectoryStatus.choices)],
    )
    provider = forms.TypedChoiceField(label=_("Provider"), required=False, coerce=int, empty_value=None, choices=[])
    consultant = forms.TypedChoiceField(label=_("Consultant"), required=False, coerce=int, empty_value=None, choices=[])
    signal = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    # The opaque key of a BSN search kept in the session (`caseload_search`), never the BSN.
    search = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("name", _("Name")),
            ("rung", _("Ladder rung")),
            ("sol", _("Sol group")),
            ("status", _("Trajectory status")),
            ("provider", _("Provider")),
            ("signals", _("Most signals first")),
        ],
    )

    def __init__(self, *args, providers=(), consultants=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [("", _("All"))] + [(p.pk, p.name) for p in providers]
        self.fields["consultant"].choices = [("", _("All"))] + [(c.pk, c.get_full_name() or c.username) for c in consultants]


class WishForm(CheckedForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=WishKind.choices)
    text = forms.CharField(
        label=_("In the participant's own words"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=max_length(Wish, "text"),
    )


class DomainAssessmentForm(CheckedForm):
    domain = forms.ChoiceField(label=_("Life domain"), choices=Domain.choices)
    score = forms.TypedChoiceField(label=_("Score"), coerce=int, choices=DomainScore.choices)
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DATE, initial=timezone.localdate)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=max_length(DomainAssessment, "note")
    )


class LadderAssessmentForm(CheckedForm):
    rung = forms.TypedChoiceField(label=_("Current rung"), coerce=int, choices=[(i, str(i)) for i in range(1, 7)])
    potential_rung = forms.TypedChoiceField(
        label=_("Rung reachable within a year"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "–")] + [(i, str(i)) for i in range(1, 7)],
    )
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DATE, initial=timezone.localdate)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=max_length(LadderAssessment, "note")
    )


class SolAssessmentForm(CheckedForm):
    group = forms.ChoiceField(label=_("Sol group"), choices=SolGroup.choices)
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DATE, initial=timezone.localdate)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=max_length(SolAssessment, "note")
    )


class ContactForm(CheckedForm):
    occurred_on = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    channel = forms.ChoiceField(label=_("Channel"), choices=ContactChannel.choices)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=max_length(Contact, "summary")
    )


class CompetenceForm(CheckedForm):
    competence = forms.ModelChoiceField(label=_("Competence"), queryset=None, empty_label="–")
    level = forms.TypedChoiceField(label=_("Level"), coerce=int, choices=CompetenceLevel.choices)
    evidence = forms.CharField(label=_("How it shows"), required=False, max_length=max_length(ParticipantCompetence, "evidence"))

    def __init__(self, *args, catalogue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competence"].queryset = catalogue


class EducationForm(CheckedForm):
    name = forms.CharField(label=_("Education or course"), required=False, max_length=max_length(Education, "name"))
    level = forms.ChoiceField(label=_("Level"), choices=EducationLevel.choices, initial=EducationLevel.UNKNOWN)
    institution = forms.CharField(label=_("Institution"), required=False, max_length=max_length(Education, "institution"))
    year = forms.IntegerField(label=_("Year"), required=False)
    completed = forms.BooleanField(label=_("Completed"), required=False)


class WorkExperienceForm(CheckedForm):
    job_title = forms.CharField(label=_("Job"), required=False, max_length=max_length(WorkExperience, "job_title"))
    employer_name = forms.CharField(label=_("Employer"), required=False, max_length=max_length(WorkExperience, "employer_name"))
    start_date = forms.DateField(label=_("From"), required=False, widget=DATE)
    end_date = forms.DateField(label=_("Until"), required=False, widget=DATE)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=max_length(WorkExperience, "description"),
    )


class PlacementForm(CheckedForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=PlacementKind.choices)
    employer = forms.ModelChoiceField(label=_("Employer"), queryset=None, required=False, empty_label="–")
    start_date = forms.DateField(label=_("Start date"), widget=DATE, initial=timezone.localdate)
    end_date = forms.DateField(label=_("End date (if ended)"), required=False, widget=DATE)
    hours_per_week = forms.IntegerField(label=_("Hours per week"), required=False)

    def __init__(self, *args, employers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers


class ReassignForm(CheckedForm):
    """Team lead only. `version` is the participant's version the form was based on, so a
    change someone else saved meanwhile is not silently overwritten."""

    consultant = forms.ModelChoiceField(label=_("New consultant"), queryset=None, empty_label="–")
    reason = forms.CharField(label=_("Reason for the change"), required=False, max_length=max_length(ConsultantAssignment, "reason"))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, consultants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultant"].queryset = consultants
        self.fields["consultant"].label_from_instance = lambda user: user.get_full_name() or user.username


def euros_to_cents(amount: Decimal | None) -> int:
    """An amount in euros from a form (at most two decimals) as integer cents."""
    return int((amount or Decimal(0)) * 100)


class EuroField(forms.DecimalField):
    """An amount in euros as people type it: "1.234,56", "1234,56", "€ 1234.56" or "1234"."""

    widget = forms.TextInput(attrs={"inputmode": "decimal"})

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("€", "").replace(" ", "").strip()
            if "," in value:
                # Dutch notation: dots group thousands, the comma separates the cents.
                value = value.replace(".", "").replace(",", ".")
        return super().to_python(value)


class BenefitForm(CheckedForm):
    type = forms.ChoiceField(label=_("Kind of benefit"), choices=BenefitType.choices)
    start_date = forms.DateField(label=_("Start date"), widget=DATE)
    monthly_amount = EuroField(label=_("Amount per month (euros)"), required=False, max_digits=8, decimal_places=2)
    end_date = forms.DateField(label=_("End date (if ended)"), required=False, widget=DATE)
    end_reason = forms.ChoiceField(label=_("Reason it ended"), required=False, choices=[("", "–"), *list(BenefitEndReason.choices)])


class BenefitEndForm(CheckedForm):
    """Ends the running benefit shown on the page (`benefit` is its id, so a benefit recorded
    meanwhile by someone else is not ended by mistake)."""

    benefit = forms.IntegerField(widget=forms.HiddenInput)
    end_date = forms.DateField(label=_("End date"), widget=DATE, initial=timezone.localdate)
    end_reason = forms.ChoiceField(label=_("Reason it ended"), required=False, choices=[("", "–"), *list(BenefitEndReason.choices)])


class ExemptionForm(CheckedForm):
    reason = forms.CharField(
        label=_("Urgent reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=max_length(Exemption, "reason")
    )
    start_date = forms.DateField(label=_("From"), widget=DATE, initial=timezone.localdate)
    end_date = forms.DateField(label=_("Until"), required=False, widget=DATE)
