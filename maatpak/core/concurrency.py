"""Optimistic locking: a save based on a stale copy is refused, never silently applied."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _


class StaleEditError(ValidationError):
    pass


def save_versioned(instance: models.Model, *, expected_version: int, update_fields: list[str]) -> None:
    """Write `update_fields` only if the row still has `expected_version`; bump the version.

    The compare-and-set happens in one UPDATE statement, so two concurrent saves cannot both win.
    """
    model = type(instance)
    values = {field: getattr(instance, field) for field in update_fields}
    if any(getattr(f, "auto_now", False) for f in model._meta.concrete_fields if f.name == "updated_at"):
        values["updated_at"] = timezone.now()
    changed = model._default_manager.filter(pk=instance.pk, version=expected_version).update(version=models.F("version") + 1, **values)
    if changed != 1:
        raise StaleEditError(
            _(
                "Someone else changed this %(thing)s while you were editing. Nothing was saved: reload the page to see their change, then make yours again."
            )
            % {"thing": model._meta.verbose_name},
            code="stale",
        )
    instance.version = expected_version + 1


def service_arguments(cleaned_data: dict) -> dict:
    """A form's or an API request's checked fields as a service's keyword arguments: the hidden
    `version` (the version of the row the user saw) becomes the service's `expected_version`."""
    arguments = dict(cleaned_data)
    if "version" in arguments:
        arguments["expected_version"] = arguments.pop("version")
    return arguments
