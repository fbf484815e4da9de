"""The OpenAPI schema's shared parts: the problem responses every operation can give.

drf-spectacular documents each view's own answers; this post-processing hook adds, to every
operation, the errors the API answers everywhere as `application/problem+json` (RFC 9457,
core.errors): 400, 401, 403 and 404, and for operations with a request body 413 and 415.
"""

from maatpak.core.errors import PROBLEM_CONTENT_TYPE

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "An error, as RFC 9457 problem details. Texts are Dutch unless Accept-Language asks for English.",
    "required": ["type", "title", "status", "detail", "instance"],
    "properties": {
        "type": {"type": "string", "description": "`about:blank`, or a Maatpak problem type `urn:maatpak:problem:…` (docs/api.md)."},
        "title": {"type": "string", "description": "Short summary of the kind of problem."},
        "status": {"type": "integer", "description": "The HTTP status code."},
        "detail": {"type": "string", "description": "What went wrong in this request, for a person to read."},
        "instance": {"type": "string", "description": "The path of the request (without its query string)."},
        "invalid-params": {
            "type": "array",
            "description": "Refused fields (only with type `urn:maatpak:problem:invalid-input` or `…:stale-version`).",
            "items": {
                "type": "object",
                "required": ["name", "reason", "code"],
                "properties": {
                    "name": {"type": "string", "description": "The field, as a dotted path (e.g. `ladder.current.paid_work`)."},
                    "reason": {"type": "string", "description": "The message for the user."},
                    "code": {"type": "string", "description": "A stable code of the kind of refusal (e.g. `required`, `max_length`)."},
                },
            },
        },
    },
}

ALWAYS = {
    "400": "Invalid input or request (problem details; refused fields under `invalid-params`).",
    "401": "No credentials, or an unknown or revoked API key.",
    "403": "The account's role may not use this operation.",
    "404": "Not found, or not yours: both answer the same.",
}
WITH_BODY = {
    "413": "The request body is larger than the API accepts.",
    "415": "The request body is not `application/json`.",
}
METHODS = {"get", "post", "put", "patch", "delete"}


def problem_responses(result, generator, request, public):
    """drf-spectacular POSTPROCESSING_HOOKS entry: the Problem schema and its responses."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            errors = {**ALWAYS, **(WITH_BODY if "requestBody" in operation else {})}
            responses = operation.setdefault("responses", {})
            for status, description in errors.items():
                responses.setdefault(status, {"description": description})
                responses[status]["content"] = {PROBLEM_CONTENT_TYPE: {"schema": PROBLEM_REF}}
    return result
