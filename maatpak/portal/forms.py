from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from maatpak.accounts.policy import PORTAL, permits
from maatpak.core.text import NOTE_MAX_LENGTH, CheckedForm, max_length
from maatpak.participants.models import Wish, WishKind
from maatpak.portal.models import ChangeRequestStatus, Message
from maatpak.surveys.models import FeedbackTopic
from maatpak.trajectories.models import MunicipalityDefault


class PortalLoginForm(AuthenticationForm):
    """Log-in for participants only; staff use the staff log-in."""

    error_messages = {
        "invalid_login": _("Your user name or password is not correct. Check both and try again."),
        "inactive": _("Your account has been switched off. Call your consultant or the municipality."),
        "not_participant": _("This log-in is for participants. Staff log in on the staff page."),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not permits(user, PORTAL, "use"):
            raise forms.ValidationError(self.error_messages["not_participant"], code="not_participant")


class WishForm(CheckedForm):
    kind = forms.ChoiceField(
        label=_("What is it?"),
        # The participant's own words for the kinds (WishKind's labels are the consultant's).
        choices=[
            (WishKind.WISH, _("A wish")),
            (WishKind.AMBITION, _("An ambition")),
            (WishKind.INTEREST, _("An interest")),
            (WishKind.IDEA, _("An idea for my plan")),
        ],
    )
    text = forms.CharField(label=_("In your own words"), widget=forms.Textarea(attrs={"rows": 4}), max_length=max_length(Wish, "text"))


class ChangeRequestForm(CheckedForm):
    reason = forms.CharField(
        label=_("Why would you like another consultant? (you do not have to say)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTE_MAX_LENGTH,
    )


class MessageForm(CheckedForm):
    subject = forms.CharField(label=_("Subject"), max_length=max_length(Message, "subject"))
    # The portal's own texts (messages, requests, reactions) are TextFields without a limit of
    # their own: they get the note's limit here.
    body = forms.CharField(label=_("Your message"), widget=forms.Textarea(attrs={"rows": 5}), max_length=NOTE_MAX_LENGTH)


class DefaultReportForm(CheckedForm):
    """The participant reports that the municipality did not keep one of its promises."""

    agreement = forms.ModelChoiceField(label=_("Which promise of the municipality was not kept?"), queryset=None, empty_label="–")
    description = forms.CharField(
        label=_("What went wrong?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=max_length(MunicipalityDefault, "description"),
    )

    def __init__(self, *args, agreements=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = agreements
        self.fields["agreement"].label_from_instance = lambda agreement: agreement.description


class ReactionForm(CheckedForm):
    text = forms.CharField(label=_("Your reaction to this report"), widget=forms.Textarea(attrs={"rows": 3}), max_length=NOTE_MAX_LENGTH)


class FeedbackForm(CheckedForm):
    topic = forms.ChoiceField(label=_("What is your feedback about?"), choices=FeedbackTopic.choices)
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you? (optional)"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", _("I'd rather not say")),
            ("1", _("1 – very dissatisfied")),
            ("2", "2"),
            ("3", "3"),
            ("4", "4"),
            ("5", _("5 – very satisfied")),
        ],
    )
    text = forms.CharField(
        label=_("Your feedback (do not write your name)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=NOTE_MAX_LENGTH,
    )

    def clean(self):
        data = super().clean()
        if not data.get("text") and data.get("rating") is None:
            raise forms.ValidationError(_("Give a rating or write something: an empty form cannot be sent."))
        return data


class ChangeRequestAnswerForm(CheckedForm):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[(ChangeRequestStatus.GRANTED, _("Grant: assign another consultant")), (ChangeRequestStatus.REFUSED, _("Do not grant"))],
        widget=forms.RadioSelect,
    )
    new_consultant = forms.ModelChoiceField(label=_("New consultant"), queryset=None, required=False)
    # Not required here: the service gives the explanation why an answer is needed.
    answer = forms.CharField(
        label=_("Answer to the participant"), required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=NOTE_MAX_LENGTH
    )

    def __init__(self, *args, consultants=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_consultant"].queryset = consultants
