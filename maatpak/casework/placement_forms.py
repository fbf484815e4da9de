"""The dossier's placement forms (plaatsingen): record one, change its hours, end it with a reason,
and record a follow-up check (nazorgcontact). Each calls one service in employers.services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maatpak.casework.dossier_forms import DATE, PlacementForm
from maatpak.core.text import CheckedForm, max_length
from maatpak.employers.models import PlacementEndReason, PlacementFollowUp

END_REASONS = [("", "–"), *PlacementEndReason.choices]
YES_NO = [("", "–"), ("yes", _("yes")), ("no", _("no"))]


def _yes_no(value):
    return {"yes": True, "no": False}.get(value)


def _placement_label(placement) -> str:
    employer = f" — {placement.employer.name}" if placement.employer_id else ""
    return f"{placement.get_kind_display()}{employer} ({placement.start_date:%d-%m-%Y})"


class PlacementRecordForm(PlacementForm):
    """A placement; one recorded after it ended says why it ended."""

    end_reason = forms.ChoiceField(label=_("Reason it ended"), choices=END_REASONS, required=False)


class _OnePlacementForm(CheckedForm):
    """A form about one of the participant's running placements (chosen from a list)."""

    placement = forms.TypedChoiceField(label=_("Placement"), coerce=int)

    def __init__(self, *args, placements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["placement"].choices = [(p.pk, _placement_label(p)) for p in placements]


class PlacementHoursForm(_OnePlacementForm):
    hours_per_week = forms.IntegerField(label=_("Hours per week"), required=False)


class PlacementEndForm(_OnePlacementForm):
    end_date = forms.DateField(label=_("End date"), required=False, widget=DATE, initial=timezone.localdate)
    end_reason = forms.ChoiceField(label=_("Reason it ended"), choices=END_REASONS, required=False)


class FollowUpForm(CheckedForm):
    """A follow-up check that is due: still working? hours? support needed? When no longer
    working, the last working day and the reason end the placement."""

    follow_up = forms.TypedChoiceField(label=_("Check"), coerce=int)
    checked_on = forms.DateField(label=_("Checked on"), required=False, widget=DATE, initial=timezone.localdate)
    still_working = forms.TypedChoiceField(
        label=_("Still working there?"), choices=YES_NO, coerce=_yes_no, empty_value=None, required=False
    )
    hours_per_week = forms.IntegerField(label=_("Hours per week"), required=False)
    support_needed = forms.TypedChoiceField(label=_("Support needed?"), choices=YES_NO, coerce=_yes_no, empty_value=None, required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=max_length(PlacementFollowUp, "note")
    )
    ended_on = forms.DateField(label=_("If no longer working: last working day"), required=False, widget=DATE)
    end_reason = forms.ChoiceField(label=_("If no longer working: reason it ended"), choices=END_REASONS, required=False)

    def __init__(self, *args, follow_ups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["follow_up"].choices = [
            (
                c.pk,
                _("%(placement)s: check after %(months)s months, due %(date)s")
                % {"placement": _placement_label(c.placement), "months": c.months, "date": f"{c.due_on:%d-%m-%Y}"},
            )
            for c in follow_ups
        ]
