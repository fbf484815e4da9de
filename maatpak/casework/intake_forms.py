"""The intake form (aanmelding): field types and layout only; the rules are in
`participants.intake.participant_register`, which the API calls too."""

from django import forms
from django.utils.translation import gettext_lazy as _

from maatpak.casework.dossier_forms import DATE
from maatpak.core.text import CheckedForm, max_length
from maatpak.participants import ladder_flow
from maatpak.participants.intake import PERSON_FIELDS, consultants_of, euros_to_cents, ladder_field
from maatpak.participants.models import BenefitType, Domain, DomainScore, EducationLevel, Participant, Sex, SolGroup

YES, NO = "yes", "no"
YES_NO = [(YES, _("Yes")), (NO, _("No"))]


def _text(field: str, label, *, required=False, help_text="", **attrs):
    """A text field as long as the model allows (the service checks again, for the API)."""
    return forms.CharField(
        label=label, required=required, max_length=max_length(Participant, field), help_text=help_text, widget=forms.TextInput(attrs=attrs)
    )


class IntakeForm(CheckedForm):
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=None, required=False, empty_label="–")
    bsn = forms.CharField(
        label=_("BSN"),
        max_length=20,
        help_text=_("9 digits; checked with the 11-test."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    reference = _text("reference", _("Client number"), required=True, help_text=_("The municipality's own client number."))
    first_name = _text("first_name", _("First name"), required=True, autocomplete="off")
    name_prefix = _text("name_prefix", _("Prefix"), help_text=_("e.g. 'van der'"), autocomplete="off")
    last_name = _text("last_name", _("Last name"), required=True, autocomplete="off")
    birth_date = forms.DateField(label=_("Date of birth"), widget=DATE)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.OTHER)
    education_level = forms.ChoiceField(
        label=_("Highest education completed"), choices=EducationLevel.choices, initial=EducationLevel.UNKNOWN, required=False
    )
    street = _text("street", _("Street and number"), autocomplete="off")
    # Longer than the stored "1234 AB": people type "1234ab" or "1234  AB"; intake normalises it.
    postal_code = forms.CharField(label=_("Postal code"), required=False, max_length=10, help_text=_("For example 9201 AB."))
    city = _text("city", _("City"), autocomplete="off")
    email = forms.CharField(
        label=_("Email address"),
        required=False,
        max_length=max_length(Participant, "email"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    phone = _text("phone", _("Phone number"), autocomplete="off")
    benefit_type = forms.ChoiceField(label=_("Benefit"), required=False, choices=[("", _("Not recorded yet")), *BenefitType.choices])
    benefit_start = forms.DateField(label=_("Benefit since"), required=False, widget=DATE)
    benefit_amount = forms.CharField(
        label=_("Amount per month (euros)"), required=False, max_length=20, help_text=_("For example 1250,00.")
    )
    consultant = forms.ModelChoiceField(label=_("Consultant"), queryset=None, required=False, empty_label="–")
    sol_group = forms.ChoiceField(label=_("Sol group"), required=False, choices=[("", _("Not assessed yet")), *SolGroup.choices])
    open_portal_account = forms.BooleanField(
        label=_("Make an activation code for My Maatpak"),
        required=False,
        help_text=_("After saving you make the code and print it for the participant."),
    )

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        if municipalities.count() < 2:
            self.fields["municipality"].widget = forms.HiddenInput()
        self.fields["consultant"].queryset = consultants_of(municipalities)
        self.fields["consultant"].label_from_instance = lambda user: user.get_full_name() or user.username
        for domain, label in Domain.choices:
            self.fields[f"domain_{domain}"] = forms.TypedChoiceField(
                label=label, required=False, coerce=int, empty_value=None, choices=[("", _("Not assessed yet")), *DomainScore.choices]
            )
        for part in ladder_flow.PARTS:
            for key, today, year in ladder_flow.QUESTIONS:
                self.fields[ladder_field(part, key)] = forms.ChoiceField(
                    label=today if part == ladder_flow.CURRENT else year, required=False, choices=YES_NO, widget=forms.RadioSelect
                )

    def clean_benefit_amount(self):
        try:
            return euros_to_cents(self.cleaned_data["benefit_amount"])
        except ValueError:
            raise forms.ValidationError(_("Enter an amount in euros, for example 1250,00.")) from None

    def domain_fields(self):
        return [self[f"domain_{domain}"] for domain in Domain.values]

    def ladder_fields(self, part):
        return [self[ladder_field(part, key)] for key in ladder_flow.QUESTION_KEYS]

    def current_ladder_fields(self):
        return self.ladder_fields(ladder_flow.CURRENT)

    def potential_ladder_fields(self):
        return self.ladder_fields(ladder_flow.POTENTIAL)

    def service_arguments(self) -> dict:
        """The checked form as `participant_register`'s keyword arguments."""
        data = self.cleaned_data
        arguments = {field: data[field] for field in (*PERSON_FIELDS, "benefit_type", "benefit_start", "consultant", "sol_group")}
        arguments["municipality"] = data["municipality"]
        arguments["benefit_amount_cents"] = data["benefit_amount"]
        arguments["domain_scores"] = {domain: data[f"domain_{domain}"] for domain in Domain.values if data[f"domain_{domain}"] is not None}
        arguments["ladder_answers"] = {
            part: {key: _yes_no(data[ladder_field(part, key)]) for key in ladder_flow.QUESTION_KEYS} for part in ladder_flow.PARTS
        }
        return arguments


def _yes_no(value: str):
    return {YES: True, NO: False}.get(value)
