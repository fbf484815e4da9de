"""Reading a request's body for a service: one way for every API view, under the same input rule
as the web forms (core.text): a text as long as the model field it is stored in allows and
without invisible or direction-changing characters, a date within the window of its kind, a
number the database can store. The serializers build their fields with these functions, so
the OpenAPI schema states the same limits (maxLength, minimum, maximum)."""

from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.db import models
from rest_framework import serializers

from maatpak.core.concurrency import service_arguments as as_service_arguments
from maatpak.core.text import CASE, DB_INT_MAX, DB_INT_MIN, DateWindowValidator, TextValidator

# A primary key: what the database's big integer holds.
ID_MAX = 2**63 - 1


def service_arguments(serializer_class, request) -> dict:
    """The request's body, checked by `serializer_class` (a 400 when it does not fit), as the
    service's keyword arguments (`version` becomes `expected_version`, so a stale change is
    refused as on the pages)."""
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return as_service_arguments(data.validated_data)


class CheckedCharField(serializers.CharField):
    """A CharField under the text rule, whose messages replace DRF's length message; `multiline`
    allows tabs and line breaks. (A subclass, because DRF rebuilds a declared field from its
    arguments for every serializer instance.)"""

    def __init__(self, *, multiline: bool = False, **kwargs):
        super().__init__(**kwargs)
        replaced = (MaxLengthValidator, ProhibitNullCharactersValidator)
        self.validators = [v for v in self.validators if not isinstance(v, replaced)]
        self.validators.append(TextValidator(self.max_length, multiline=multiline))


def checked_text(limit: int | None, *, multiline: bool, **kwargs) -> serializers.CharField:
    """A CharField of at most `limit` characters under the text rule."""
    return CheckedCharField(max_length=limit, multiline=multiline, **kwargs)


def text_field(model, field_name: str, **kwargs) -> serializers.CharField:
    """A CharField for `model.field_name`: its max_length, multi-line when the model field is a
    TextField."""
    model_field = model._meta.get_field(field_name)
    return checked_text(model_field.max_length, multiline=isinstance(model_field, models.TextField), **kwargs)


def date_field(kind: str = CASE, **kwargs) -> serializers.DateField:
    """A DateField within the window of its kind (core.text.DATE_WINDOWS)."""
    return serializers.DateField(validators=[DateWindowValidator(kind)], **kwargs)


def number_field(**kwargs) -> serializers.IntegerField:
    """A whole number the database can store (32 bits), unless the caller narrows it."""
    kwargs.setdefault("min_value", DB_INT_MIN)
    kwargs.setdefault("max_value", DB_INT_MAX)
    return serializers.IntegerField(**kwargs)


def id_field(**kwargs) -> serializers.IntegerField:
    """The id of a row (a positive big integer)."""
    return serializers.IntegerField(min_value=1, max_value=ID_MAX, **kwargs)


def version_field(**kwargs) -> serializers.IntegerField:
    kwargs.setdefault("help_text", "The version you based this on; a stale one is refused.")
    return serializers.IntegerField(min_value=0, max_value=DB_INT_MAX, **kwargs)
