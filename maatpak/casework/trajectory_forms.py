from django import forms
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from maatpak.core.templatetags.maatpak_tags import euros
from maatpak.core.text import CheckedForm, max_length
from maatpak.participants.models import Domain
from maatpak.trajectories.models import (
    Agreement,
    AgreementStatus,
    EndReport,
    Goal,
    GoalKind,
    HandoverChannel,
    IntermediateGoalKind,
    MunicipalityDefault,
    ObjectionDecision,
    Outcome,
    Party,
    PlanIdea,
    PlanVersion,
    Referral,
    Sanction,
    SanctionInitiator,
    SanctionStatus,
    Signature,
    SignatureParty,
    Trajectory,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CreateForm(CheckedForm):
    repeat_reason = forms.CharField(
        label=_("Why a new trajectory? Refer to the conclusion of the previous one."),
        required=False,
        max_length=max_length(Trajectory, "repeat_reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    read_previous_conclusion = forms.BooleanField(
        label=_("I have read the conclusion of the previous trajectory with the participant."), required=False
    )


class PlanForm(CheckedForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    end_goal_kind = forms.ChoiceField(label=_("End goal"), choices=[("", "–"), *list(GoalKind.choices)], required=False)
    end_goal = forms.CharField(
        label=_("End goal in words"),
        required=False,
        max_length=max_length(PlanVersion, "end_goal"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    situation = forms.CharField(
        label=_("Starting situation, in the participant's words where possible"),
        required=False,
        max_length=max_length(PlanVersion, "situation"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    planned_start = forms.DateField(label=_("Planned start"), required=False, widget=DATE)
    planned_end = forms.DateField(label=_("Planned end"), required=False, widget=DATE)
    fallback_if_no_job = forms.CharField(
        label=_("What happens if no job follows"),
        required=False,
        max_length=max_length(PlanVersion, "fallback_if_no_job"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    education_plan = forms.CharField(
        label=_("Education plan (if any)"),
        required=False,
        max_length=max_length(PlanVersion, "education_plan"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    mentor = forms.CharField(label=_("Mentor (optional)"), required=False, max_length=max_length(PlanVersion, "mentor"))


class ReviseForm(PlanForm):
    reason = forms.CharField(
        label=_("Reason for the new version (e.g. pace slowed down)"),
        required=False,
        max_length=max_length(PlanVersion, "change_reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class GoalForm(CheckedForm):
    kind = forms.ChoiceField(label=_("Kind of intermediate goal"), choices=IntermediateGoalKind.choices)
    description = forms.CharField(label=_("Intermediate goal"), required=False, max_length=max_length(Goal, "description"))
    measure = forms.CharField(label=_("How we know it is reached"), required=False, max_length=max_length(Goal, "measure"))
    target_date = forms.DateField(label=_("Target date"), required=False, widget=DATE)


class IdeaForm(CheckedForm):
    wish = forms.ModelChoiceField(label=_("Take a recorded wish (optional)"), queryset=None, required=False, empty_label="–")
    idea = forms.CharField(
        label=_("The participant's idea, in their words"),
        required=False,
        max_length=max_length(PlanIdea, "idea"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Leave empty to use the chosen wish word for word."),
    )
    supported = forms.TypedChoiceField(
        label=_("Do we support it?"), coerce=lambda v: v == "yes", choices=[("yes", _("Yes")), ("no", _("Not now"))]
    )
    response = forms.CharField(
        label=_("How we support it, or why not"),
        required=False,
        max_length=max_length(PlanIdea, "response"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, wishes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wish"].queryset = wishes
        self.fields["wish"].label_from_instance = lambda wish: Truncator(wish.text).chars(80)

    def clean(self):
        data = super().clean()
        # A wish keeps the participant's own words: it is copied, not paraphrased.
        if data.get("wish") and not (data.get("idea") or "").strip():
            data["idea"] = data["wish"].text
        return data


class PurposeFields(CheckedForm):
    """Why an instrument is in the plan: the intermediate goal it serves or the barrier (life
    domain) it addresses; the service refuses an instrument that names neither."""

    serves_goal = forms.ModelChoiceField(label=_("Serves the intermediate goal"), queryset=None, required=False, empty_label="–")
    serves_barrier = forms.ChoiceField(
        label=_("Or addresses the barrier"),
        choices=[("", "–"), *Domain.choices],
        required=False,
        help_text=_("Name the goal or the barrier this instrument is needed for."),
    )

    def __init__(self, *args, goals=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["serves_goal"].queryset = goals
        self.fields["serves_goal"].label_from_instance = lambda goal: Truncator(goal.description).chars(60)


class InstrumentForm(PurposeFields):
    instrument = forms.ModelChoiceField(label=_("Instrument"), queryset=None)
    provider = forms.ModelChoiceField(label=_("Provider (optional)"), queryset=None, required=False)
    start_date = forms.DateField(label=_("From"), required=False, widget=DATE)
    end_date = forms.DateField(label=_("Until"), required=False, widget=DATE)
    cost_euros = forms.DecimalField(
        label=_("Cost (€)"),
        required=False,
        min_value=0,
        max_digits=9,
        decimal_places=2,
        help_text=_("Leave empty to use the catalogue price shown with the instrument."),
    )

    field_order = ["instrument", "provider", "start_date", "end_date", "cost_euros", "serves_goal", "serves_barrier"]

    def __init__(self, *args, instruments=None, providers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = instruments
        self.fields["instrument"].label_from_instance = lambda instrument: f"{instrument.name} ({euros(instrument.default_cost_cents)})"
        self.fields["provider"].queryset = providers

    def clean(self):
        data = super().clean()
        cost = data.pop("cost_euros", None)
        data["cost_cents"] = None if cost is None else int(cost * 100)
        return data


class AgreementForm(CheckedForm):
    party = forms.ChoiceField(label=_("Who promises"), choices=Party.choices)
    description = forms.CharField(label=_("Agreement"), required=False, max_length=max_length(Agreement, "description"))
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DATE)


class GoalEditForm(GoalForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class IdeaEditForm(CheckedForm):
    """The idea itself and our answer; the wish it came from stays as it was."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    idea = forms.CharField(
        label=_("The participant's idea, in their words"),
        required=False,
        max_length=max_length(PlanIdea, "idea"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    supported = forms.TypedChoiceField(
        label=_("Do we support it?"), coerce=lambda v: v == "yes", choices=[("yes", _("Yes")), ("no", _("Not now"))]
    )
    response = forms.CharField(
        label=_("How we support it, or why not"),
        required=False,
        max_length=max_length(PlanIdea, "response"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class InstrumentEditForm(PurposeFields):
    """Period, cost and purpose; another instrument or provider is a removal and a new row."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    start_date = forms.DateField(label=_("From"), required=False, widget=DATE)
    end_date = forms.DateField(label=_("Until"), required=False, widget=DATE)
    cost_euros = forms.DecimalField(label=_("Cost (€)"), required=False, min_value=0, max_digits=9, decimal_places=2)

    field_order = ["version", "start_date", "end_date", "cost_euros", "serves_goal", "serves_barrier"]

    def clean(self):
        data = super().clean()
        cost = data.pop("cost_euros", None)
        data["cost_cents"] = None if cost is None else int(cost * 100)
        return data


class AgreementEditForm(AgreementForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class RemoveForm(CheckedForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


EDIT_FORMS = {"goal": GoalEditForm, "idea": IdeaEditForm, "instrument": InstrumentEditForm, "agreement": AgreementEditForm}


class SignForm(CheckedForm):
    party = forms.ChoiceField(
        label=_("Who signs"),
        choices=[(SignatureParty.CONSULTANT, _("Consultant")), (SignatureParty.PARTICIPANT, _("Participant (on paper)"))],
    )
    signer_name = forms.CharField(label=_("Name of the signer"), required=False, max_length=max_length(Signature, "signer_name"))
    signed_on = forms.DateField(label=_("Date of signing"), required=False, widget=DATE, initial=timezone.localdate)


class HandoverForm(CheckedForm):
    channel = forms.ChoiceField(label=_("How the copy was handed over"), choices=HandoverChannel.choices)
    handed_over_on = forms.DateField(label=_("Date"), required=False, widget=DATE, initial=timezone.localdate)


class ReferralForm(CheckedForm):
    provider = forms.ModelChoiceField(label=_("Provider"), queryset=None)
    contract = forms.ModelChoiceField(label=_("Contract"), queryset=None, required=False)
    shared_information = forms.CharField(
        label=_("What the provider needs to know (only what this referral needs)"),
        required=False,
        max_length=max_length(Referral, "shared_information"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, providers=None, contracts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers
        self.fields["contract"].queryset = contracts


class CloseForm(CheckedForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    conclusion = forms.CharField(
        label=_("Conclusion of the end report"),
        required=False,
        max_length=max_length(EndReport, "conclusion"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "–"), *list(Outcome.choices)], required=False)
    recommendation = forms.CharField(
        label=_("Recommendation for what next"),
        required=False,
        max_length=max_length(EndReport, "recommendation"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AgreementStatusForm(CheckedForm):
    agreement = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=AgreementStatus.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=max_length(Agreement, "status_note"))


class SanctionForm(CheckedForm):
    agreement = forms.ModelChoiceField(label=_("Agreement concerned"), queryset=None, required=False)
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=max_length(Sanction, "reason"), widget=forms.Textarea(attrs={"rows": 2})
    )
    initiated_by = forms.ChoiceField(label=_("Initiated by"), choices=SanctionInitiator.choices)
    percentage = forms.IntegerField(label=_("Benefit reduction (%) as the ordinance sets it"), required=False)
    months = forms.IntegerField(label=_("Months, as the ordinance sets it"), required=False)
    hearing_on = forms.DateField(label=_("Hearing date"), required=False, widget=DATE)

    def __init__(self, *args, agreements=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = agreements


class DefaultForm(CheckedForm):
    agreement = forms.ModelChoiceField(label=_("The municipality's agreement concerned"), queryset=None, required=False)
    description = forms.CharField(
        label=_("What the municipality did not do"),
        required=False,
        max_length=max_length(MunicipalityDefault, "description"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    remedy = forms.CharField(
        label=_("Remedy offered"),
        required=False,
        max_length=max_length(MunicipalityDefault, "remedy"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, agreements=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = agreements


class RowForm(CheckedForm):
    """A form about one row of the trajectory (a sanction, a default): the row is a hidden field,
    checked against the trajectory's own rows (`rows`)."""

    row_field = ""

    def __init__(self, *args, rows=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[self.row_field] = forms.ModelChoiceField(queryset=rows, widget=forms.HiddenInput)


class SanctionHearingForm(RowForm):
    row_field = "sanction"
    held_on = forms.DateField(label=_("Hearing held on"), required=False, widget=DATE, initial=timezone.localdate)
    notes = forms.CharField(
        label=_("What the participant said at the hearing"),
        required=False,
        max_length=max_length(Sanction, "hearing_notes"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SanctionDecisionForm(RowForm):
    row_field = "sanction"
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(SanctionStatus.IMPOSED, _("Impose the sanction")), (SanctionStatus.WITHDRAWN, _("Withdraw it: no sanction"))],
        widget=forms.RadioSelect,
    )
    decided_on = forms.DateField(label=_("Decided on"), required=False, widget=DATE, initial=timezone.localdate)
    reason = forms.CharField(
        label=_("Reason for the decision"),
        required=False,
        max_length=max_length(Sanction, "decision_reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SanctionObjectionForm(RowForm):
    row_field = "sanction"
    filed_on = forms.DateField(label=_("Objection filed on"), required=False, widget=DATE)


class SanctionObjectionDecisionForm(RowForm):
    row_field = "sanction"
    decision = forms.ChoiceField(label=_("Decision on the objection"), choices=ObjectionDecision.choices, widget=forms.RadioSelect)
    decided_on = forms.DateField(label=_("Decided on"), required=False, widget=DATE, initial=timezone.localdate)
    outcome = forms.CharField(
        label=_("Explanation of the decision"),
        required=False,
        max_length=max_length(Sanction, "objection_outcome"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DefaultAnswerForm(RowForm):
    row_field = "default"
    answer = forms.CharField(
        label=_("Answer to the participant"),
        required=False,
        max_length=max_length(MunicipalityDefault, "answer"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    answered_on = forms.DateField(label=_("Answered on"), required=False, widget=DATE, initial=timezone.localdate)


class DefaultResolveForm(RowForm):
    row_field = "default"
    resolution = forms.CharField(
        label=_("How it was put right"),
        required=False,
        max_length=max_length(MunicipalityDefault, "resolution"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    resolved_on = forms.DateField(label=_("Resolved on"), required=False, widget=DATE, initial=timezone.localdate)
