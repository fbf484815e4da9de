from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maatpak.core.concurrency import service_arguments
from maatpak.core.text import CheckedForm, max_length
from maatpak.trajectories.models import Attendance, EndReport, GoalProgressLevel, Outcome, ProgressReport, Referral

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VersionForm(CheckedForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def service_arguments(self) -> dict:
        """The step's service arguments: the form's fields, and the version the form showed."""
        return service_arguments(self.cleaned_data)


class DeclineForm(VersionForm):
    reason = forms.CharField(
        label=_("Reason for declining"),
        required=False,
        max_length=max_length(Referral, "decline_reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class IntakeForm(VersionForm):
    intake_on = forms.DateField(label=_("Date of the intake"), required=False, widget=DATE, initial=timezone.localdate)


class StartForm(VersionForm):
    started_on = forms.DateField(label=_("Start date"), required=False, widget=DATE, initial=timezone.localdate)


class ProgressReportForm(CheckedForm):
    activities = forms.CharField(
        label=_("Activities done"),
        required=False,
        max_length=max_length(ProgressReport, "activities"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    attendance = forms.ChoiceField(label=_("Attendance"), choices=Attendance.choices)
    proposed_rung = forms.TypedChoiceField(
        label=_("Proposed ladder rung"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "–")] + [(i, str(i)) for i in range(1, 7)],
    )
    barriers = forms.CharField(
        label=_("Barriers: what changed"),
        required=False,
        max_length=max_length(ProgressReport, "barriers"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    next_steps = forms.CharField(
        label=_("Next steps"), required=False, max_length=max_length(ProgressReport, "next_steps"), widget=forms.Textarea(attrs={"rows": 2})
    )
    participant_view = forms.CharField(
        label=_("The participant's own view"),
        required=False,
        max_length=max_length(ProgressReport, "participant_view"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    participant_saw_report = forms.BooleanField(label=_("The participant has seen this report"), required=False)

    def __init__(self, *args, goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.goal_fields = []
        for goal in goals:
            name = f"goal_{goal['id']}"
            self.fields[name] = forms.ChoiceField(label=goal["description"], choices=GoalProgressLevel.choices)
            self.goal_fields.append(name)

    def goal_progress(self) -> dict:
        return {int(name.split("_")[1]): self.cleaned_data[name] for name in self.goal_fields}

    def service_arguments(self) -> dict:
        """The report's fields, and one progress level per goal."""
        data = {key: value for key, value in self.cleaned_data.items() if key not in self.goal_fields}
        return {**data, "goal_progress": self.goal_progress()}


class EndReportForm(VersionForm):
    conclusion = forms.CharField(
        label=_("Conclusion"), required=False, max_length=max_length(EndReport, "conclusion"), widget=forms.Textarea(attrs={"rows": 3})
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "–"), *list(Outcome.choices)], required=False)
    recommendation = forms.CharField(
        label=_("Recommendation for what next"),
        required=False,
        max_length=max_length(EndReport, "recommendation"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    ended_on = forms.DateField(label=_("End date of the referral"), required=False, widget=DATE, initial=timezone.localdate)
