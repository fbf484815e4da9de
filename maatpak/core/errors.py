"""One mapping from a refused operation to what the user sees, for web forms and the API alike.

Services refuse with Django's `ValidationError` (a stale edit is the subclass `StaleEditError`)
or `PermissionDenied`; a missing or forbidden object is `Http404`. Web views put a refusal on
the form they re-render (`add_service_errors`) or, when they redirect, flash it
(`flash_service_errors`, or `flash_outcome` around the service call); the API's exception handler
(`api_exception_handler`, set as DRF's `EXCEPTION_HANDLER`) turns it into the same field
messages as a 400, so a rule's message reads the same on a page and in the API.

Every API error is an `application/problem+json` body (RFC 9457, as the NLGov API Design Rules
ask): `type`, `title`, `status`, `detail`, `instance`, and for refused fields `invalid-params`
(`name`, `reason`, `code` per message). Texts follow the request's language (Dutch unless the
client's Accept-Language asks for English; core.middleware).
"""

from http import HTTPStatus

from django.conf import settings
from django.contrib import messages as flash
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.utils.translation import gettext as _
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
    "non_field_errors"; each message keeps its code (a stale edit's is "stale")."""

    def details(errors) -> list:
        return [drf_exceptions.ErrorDetail(text, code=error.code or "invalid") for error in errors for text in error if text]

    pairs = exc.error_dict.items() if hasattr(exc, "error_dict") else [(None, exc.error_list)]
    by_field = {NON_FIELD if field in (None, "__all__") else field: details(errors) for field, errors in pairs}
    return drf_exceptions.ValidationError({field: messages for field, messages in by_field.items() if messages})


PROBLEM_CONTENT_TYPE = "application/problem+json"
# Problem types with a meaning beyond their HTTP status (docs/api.md); the rest are "about:blank".
# An exception may name its own with the attributes `problem_type` and `problem_title`.
PROBLEM_TYPE_PREFIX = "urn:maatpak:problem:"
INVALID_INPUT = "invalid-input"
STALE_VERSION = "stale-version"
MALFORMED_BODY = "malformed-body"


class RequestTooLarge(drf_exceptions.APIException):
    """A request body above DATA_UPLOAD_MAX_MEMORY_SIZE (Django's RequestDataTooBig, raised by
    Django or by the API's parser before it parses anything)."""

    status_code = 413
    default_code = "request_too_large"

    def __init__(self):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        super().__init__(_("The request body is larger than %(limit)d bytes. Send less data per request.") % {"limit": limit})


def _titles() -> dict[int, str]:
    """Short titles per status, in the request's language (RFC 9457: the status phrase, localised)."""
    return {
        400: _("Invalid request"),
        401: _("Not logged in"),
        403: _("Not allowed"),
        404: _("Not found"),
        405: _("Method not allowed"),
        406: _("Response format not available"),
        409: _("Conflict"),
        413: _("Request too large"),
        415: _("Content type not supported"),
        429: _("Too many requests"),
    }


def invalid_params(detail, prefix: str = "") -> list[dict]:
    """DRF's nested field errors as a flat list: one entry per message, its field as a dotted
    path (`ladder.current.paid_work`, `goals.0.measure`). Field-less messages are left out."""
    if isinstance(detail, dict):
        rows = []
        for key, value in detail.items():
            if key == NON_FIELD and not prefix:
                continue
            rows += invalid_params(value, f"{prefix}.{key}" if prefix else str(key))
        return rows
    if isinstance(detail, list):
        if all(isinstance(item, drf_exceptions.ErrorDetail) for item in detail):
            # A field's messages; at the top (no field) they are the problem's `detail`.
            return [{"name": prefix, "reason": str(item), "code": item.code} for item in detail] if prefix else []
        rows = []
        for index, item in enumerate(detail):
            rows += invalid_params(item, f"{prefix}.{index}" if prefix else str(index))
        return rows
    return [{"name": prefix, "reason": str(detail), "code": getattr(detail, "code", "invalid")}]


def _field_less_messages(detail) -> list[str]:
    if isinstance(detail, dict):
        return [str(message) for message in detail.get(NON_FIELD, [])]
    if isinstance(detail, list) and all(isinstance(item, drf_exceptions.ErrorDetail) for item in detail):
        return [str(item) for item in detail]
    return []


def problem(*, status_code: int, detail: str, instance: str, kind: str = "", title: str = "", **extra) -> dict:
    """One RFC 9457 problem body. `kind` names a Maatpak problem type; without it the type is
    "about:blank" and the title is the status's own."""
    phrase = _titles().get(status_code) or HTTPStatus(status_code).phrase
    return {
        "type": f"{PROBLEM_TYPE_PREFIX}{kind}" if kind else "about:blank",
        "title": title or phrase,
        "status": status_code,
        "detail": detail,
        "instance": instance,
        **extra,
    }


def _codes(detail) -> set[str]:
    if isinstance(detail, dict):
        return set().union(*(_codes(value) for value in detail.values()))
    if isinstance(detail, list):
        return set().union(*(_codes(item) for item in detail))
    return {getattr(detail, "code", "")}


def _problem_for(exc, status_code: int, instance: str) -> dict:
    if isinstance(exc, drf_exceptions.ValidationError):
        stale = "stale" in _codes(exc.detail)
        messages = _field_less_messages(exc.detail)
        return problem(
            status_code=status_code,
            kind=STALE_VERSION if stale else INVALID_INPUT,
            title=_("Stale version") if stale else _("Invalid input"),
            detail=" ".join(messages) or _("One or more fields are not filled in correctly; see invalid-params."),
            instance=instance,
            **{"invalid-params": invalid_params(exc.detail)},
        )
    kind = getattr(exc, "problem_type", "")
    if isinstance(exc, drf_exceptions.ParseError) and not kind:
        return problem(
            status_code=status_code,
            kind=MALFORMED_BODY,
            title=_("Malformed request body"),
            detail=_("The request body is not valid JSON."),
            instance=instance,
        )
    detail = exc.detail if isinstance(getattr(exc, "detail", None), str) else HTTPStatus(status_code).description
    return problem(status_code=status_code, kind=kind, title=getattr(exc, "problem_title", ""), detail=str(detail), instance=instance)


def api_exception_handler(exc, context):
    """DRF's exception handler, extended with Django's ValidationError from the services, and
    answering every error as `application/problem+json`. PermissionDenied (403) and Http404 (404)
    DRF maps itself; a missing and a forbidden object give the same 404."""
    if isinstance(exc, ValidationError):
        exc = api_validation_error(exc)
    elif isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge()
    response = drf_default_handler(exc, context)
    if response is None:
        return None
    request = context.get("request")
    # The path only: a query string may carry personal data and does not identify the occurrence.
    response.data = _problem_for(exc, response.status_code, request.path if request is not None else "")
    response.content_type = PROBLEM_CONTENT_TYPE
    return response
