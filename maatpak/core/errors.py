"""One mapping from a refused operation to what the user sees, for web forms and the API alike.

Services refuse with Django's `ValidationError` (a stale edit is the subclass `StaleEditError`)
or `PermissionDenied`; a missing or forbidden object is `Http404`. Web views put a refusal on
the form they re-render (`add_service_errors`) or, when they redirect, flash it
(`flash_service_errors`, or `flash_outcome` around the service call); the API's exception handler
(`api_exception_handler`, set as DRF's `EXCEPTION_HANDLER`) turns it into the same field
messages as a 400, so a rule's message reads the same on a page and in the API.
"""

from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from rest_framework import exceptions as drf_exceptions
from rest_framework.views import exception_handler as drf_default_handler

NON_FIELD = "non_field_errors"


def messages_by_field(exc: ValidationError) -> dict[str | None, list[str]]:
    """The refusal's messages per field; messages that belong to no field under None. Empty
    messages (a refusal whose message is already shown elsewhere) are left out."""
    pairs = exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
    result = {}
    for field, messages in pairs:
        kept = [m for m in messages if m]
        if kept:
            result[None if field == "__all__" else field] = kept
    return result


def add_service_errors(form, exc: ValidationError) -> None:
    """Show a service's refusal on `form`: each message on its field when the form has that
    field, otherwise at the top of the form."""
    for field, messages in messages_by_field(exc).items():
        form.add_error(field if field in form.fields else None, messages)


def refusal_text(exc: ValidationError) -> str:
    """A service's refusal as one line: a flash message, or a page's single error line."""
    return " ".join(message for field_messages in messages_by_field(exc).values() for message in field_messages)


def flash_service_errors(request, exc: ValidationError) -> None:
    """For a refused POST answered with a redirect: the refusal as an error message on the next page."""
    flash.error(request, refusal_text(exc))


def flash_outcome(request, success: str, service, /, **arguments) -> bool:
    """For a POST answered with a redirect: call `service(**arguments)` and show on the next page
    either `success` or the service's refusal. True when the service went through."""
    try:
        service(**arguments)
    except ValidationError as exc:
        flash_service_errors(request, exc)
        return False
    flash.success(request, success)
    return True


def api_validation_error(exc: ValidationError) -> drf_exceptions.ValidationError:
    """The DRF 400 for a service's refusal: `{field: [messages]}`, field-less ones under
    "non_field_errors"."""
    return drf_exceptions.ValidationError(
        {NON_FIELD if field is None else field: messages for field, messages in messages_by_field(exc).items()}
    )


def api_exception_handler(exc, context):
    """DRF's exception handler, extended with Django's ValidationError from the services.
    PermissionDenied (403) and Http404 (404) DRF already maps itself."""
    if isinstance(exc, ValidationError):
        exc = api_validation_error(exc)
    return drf_default_handler(exc, context)
