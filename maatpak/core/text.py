"""The one rule for what people type and import: text and dates (issue 14, hostile input).

Text
- A text is at most as long as the model field it is stored in allows (`max_length`). Django's
  TextField has no limit of its own, so ours declare one on the model: NOTE_MAX_LENGTH for
  notes, reasons, answers and summaries, LONG_TEXT_MAX_LENGTH for the texts of a plan or a
  report. A line break counts as one character, also when a browser sends it as CR LF.
- Invisible control characters (Unicode category Cc, and lone surrogates, which only a JSON
  escape can produce) are refused: a single-line text allows none, a multi-line text (a
  TextField, a Textarea) allows tab and line break.
- The characters that change the reading direction (U+202A–U+202E, U+2066–U+2069) are refused
  everywhere: they make a text read differently from what is stored ("Trojan Source").

Dates: every date field has a kind, and each kind a window of dates that make sense
(DATE_WINDOWS, the table below). 0001-01-01 and 9999-12-31 fall outside every window, and so
no date arithmetic further on can overflow.

| kind  | earliest   | latest            | fields |
|-------|------------|-------------------|--------|
| birth | 1900-01-01 | today             | date of birth (the intake checks the age as well) |
| life  | 1900-01-01 | today + 5 years   | the person's own history: benefits, work experience |
| case  | 2000-01-01 | today + 5 years   | everything in a case: assessments, contacts, plans, goals, agreements, instruments, referrals, reports, signatures, sanctions, defaults, exemptions, placements and their checks, imported trajectories |

A service may narrow a window further (most past events "cannot be in the future"); it says
that first, and the window's message covers the rest.

Who uses it: every web form (`CheckedForm`: each CharField and IntegerField of the form obeys
the rule), the services (`check_texts`, `check_dates`: the same messages, so the API is refused
as the pages are; a date's kind is known where the date is used, so the services alone check
the windows, and a page shows their message at the field) and the CSV imports
(`text_problem`, `date_problem`, reported as a row error with its line).
"""

import datetime as dt
import unicodedata
from collections.abc import Mapping

from dateutil.relativedelta import relativedelta
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

NOTE_MAX_LENGTH = 5_000
LONG_TEXT_MAX_LENGTH = 20_000

# Tab, line feed and carriage return: the control characters a multi-line text may hold.
MULTILINE_CONTROLS = frozenset("\t\n\r")
# Embedding, override and isolate characters that change the reading direction.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

BIRTH, LIFE, CASE = "birth", "life", "case"
# kind -> (earliest date, years after today of the latest date)
DATE_WINDOWS = {
    BIRTH: (dt.date(1900, 1, 1), 0),
    LIFE: (dt.date(1900, 1, 1), 5),
    CASE: (dt.date(2000, 1, 1), 5),
}

# An IntegerField stores a 32-bit integer on PostgreSQL; a form number outside it is refused
# before the database sees it.
DB_INT_MIN, DB_INT_MAX = -(2**31), 2**31 - 1


# --- text -------------------------------------------------------------------------------------


def text_length(value: str) -> int:
    """The length people see: a line break is one character, also as CR LF."""
    return len(value) - value.count("\r\n")


def text_problem(value: str, *, max_length: int | None = None, multiline: bool = False) -> str | None:
    """What is wrong with `value`, as a Dutch message, or None when nothing is."""
    for position, char in enumerate(value, start=1):
        if char in BIDI_CONTROLS:
            return _(
                "This text contains invisible characters (at position %(position)s) that change the reading direction. Remove them."
            ) % {"position": position}
        category = unicodedata.category(char)
        if category == "Cs" or (category == "Cc" and not (multiline and char in MULTILINE_CONTROLS)):
            if multiline:
                return _(
                    "This text contains invisible characters (at position %(position)s). Remove them: only tabs and line breaks are allowed."
                ) % {"position": position}
            return _(
                "This text contains invisible characters (at position %(position)s), such as a tab or a line break. Remove them: this field takes one line of text."
            ) % {"position": position}
    if max_length is not None and text_length(value) > max_length:
        return _("Use at most %(limit)s characters (now %(length)s).") % {"limit": max_length, "length": text_length(value)}
    return None


def max_length(model, field_name: str) -> int:
    """The most characters `model.field_name` holds: what a form field feeding it allows."""
    return model._meta.get_field(field_name).max_length


def text_errors(model, values: Mapping[str, object], *, keys: Mapping[str, str] | None = None) -> dict[str, str]:
    """{key: Dutch message} for the texts in `values` ({model field name: value}) that do not
    fit `model`'s field: too long, or with characters the rule refuses. The key is the field
    name, or `keys[field name]` when the caller (a form, a service keyword) names it otherwise.
    Values that are not text are left to the caller."""
    errors = {}
    for name, value in values.items():
        if not isinstance(value, str) or not value:
            continue
        field = model._meta.get_field(name)
        problem = text_problem(value, max_length=field.max_length, multiline=isinstance(field, models.TextField))
        if problem:
            errors[(keys or {}).get(name, name)] = problem
    return errors


def check_texts(model, values: Mapping[str, object], *, keys: Mapping[str, str] | None = None) -> None:
    """A service's check of the texts it stores in `model` (see `text_errors`): ValidationError."""
    errors = text_errors(model, values, keys=keys)
    if errors:
        raise ValidationError(errors)


# --- dates ------------------------------------------------------------------------------------


def date_window(kind: str, *, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The earliest and the latest date that make sense for a date of `kind`."""
    earliest, years_ahead = DATE_WINDOWS[kind]
    today = today or timezone.localdate()
    return earliest, today + relativedelta(years=years_ahead)


def date_problem(value: dt.date, kind: str, *, today: dt.date | None = None) -> str | None:
    """A Dutch message when `value` falls outside its kind's window, else None."""
    earliest, latest = date_window(kind, today=today)
    if earliest <= value <= latest:
        return None
    return _("Enter a date from %(earliest)s up to and including %(latest)s.") % {
        "earliest": earliest.strftime("%d-%m-%Y"),
        "latest": latest.strftime("%d-%m-%Y"),
    }


def date_errors(dates: Mapping[str, tuple[dt.date | None, str]]) -> dict[str, str]:
    """{key: message} for the dates in `dates` ({key: (date or None, kind)}) outside their window."""
    errors = {}
    for key, (value, kind) in dates.items():
        if value is not None:
            problem = date_problem(value, kind)
            if problem:
                errors[key] = problem
    return errors


def check_dates(dates: Mapping[str, tuple[dt.date | None, str]]) -> None:
    """A service's check of its dates (see `date_errors`): ValidationError. Empty dates pass;
    whether a date is required is the service's own rule."""
    errors = date_errors(dates)
    if errors:
        raise ValidationError(errors)


# --- forms ------------------------------------------------------------------------------------


class TextValidator:
    """A form field's check of the text rule (it replaces Django's length and NUL validators, so
    a form says what a service says)."""

    def __init__(self, max_length: int | None, *, multiline: bool):
        self.max_length, self.multiline = max_length, multiline

    def __call__(self, value):
        problem = text_problem(str(value), max_length=self.max_length, multiline=self.multiline)
        if problem:
            raise ValidationError(problem, code="text")


class DateWindowValidator:
    """A date field's check of the window of its kind, for the API's serializers (a form's
    dates reach a service, which checks them knowing the kind)."""

    def __init__(self, kind: str):
        self.kind = kind

    def __call__(self, value):
        problem = date_problem(value, self.kind)
        if problem:
            raise ValidationError(problem, code="date_window")


class DatabaseIntegerValidator:
    """A whole number the database can store (the field's own bounds, if any, still apply)."""

    def __call__(self, value):
        if not DB_INT_MIN <= value <= DB_INT_MAX:
            raise ValidationError(_("This number is too large."), code="integer_range")


RULE_VALIDATORS = (TextValidator, DatabaseIntegerValidator)


def apply_input_rules(field: forms.Field) -> None:
    """Give one form field (the copy a form instance owns) the rule's validator; a field that
    has it already is left as it is."""
    if any(isinstance(v, RULE_VALIDATORS) for v in field.validators):
        return
    if isinstance(field, forms.CharField):
        replaced = (MaxLengthValidator, ProhibitNullCharactersValidator)
        field.validators = [v for v in field.validators if not isinstance(v, replaced)]
        field.validators.append(TextValidator(field.max_length, multiline=isinstance(field.widget, forms.Textarea)))
    elif isinstance(field, forms.IntegerField):
        field.validators.append(DatabaseIntegerValidator())


class CheckedForm(forms.Form):
    """The base of every form people fill in: each CharField obeys the text rule (multi-line
    when its widget is a Textarea) and each IntegerField the database's range. The rules are
    given when the form is cleaned, so fields a subclass adds in `__init__` get them too."""

    def full_clean(self):
        for field in self.fields.values():
            apply_input_rules(field)
        super().full_clean()
