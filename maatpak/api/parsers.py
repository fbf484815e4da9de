"""The API's only request parser: JSON, with limits a crafted request cannot get past.

Python's json module recurses once per level of `[` or `{`, so a few kilobytes of brackets end
in a RecursionError (a 500). The body is therefore read with a size limit (Django's
DATA_UPLOAD_MAX_MEMORY_SIZE, which DRF's own parser does not always apply to JSON) and its nesting is
counted before it is parsed; both refusals are problem responses (core.errors).

This module must not import maatpak.core.errors: DRF imports the parser while core.errors is
still importing DRF.
"""

import json
import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser, get_encoding

# Deeper than any body of this API (the deepest is 3 levels); generous for clients' wrappers.
MAX_JSON_DEPTH = 32


class TooDeeplyNested(ParseError):
    """JSON nested deeper than the API accepts (a crafted body must not exhaust the parser)."""

    default_code = "too_deeply_nested"
    problem_type = "too-deeply-nested"  # core.errors: urn:maatpak:problem:too-deeply-nested

    @property
    def problem_title(self) -> str:
        return _("Too deeply nested")

    def __init__(self, limit: int):
        super().__init__(_("The JSON is nested too deeply: at most %(limit)d levels of [ ] and { } are accepted.") % {"limit": limit})


_SPECIAL = re.compile(r'[\\"\[\]{}]')


def json_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in `text`, brackets inside strings not counted.
    One pass over the special characters only, so a hostile body costs linear time. Unbalanced
    text is left to the JSON parser to refuse."""
    depth = deepest = 0
    in_string = False
    escaped = -1  # the position of the character a backslash escapes
    for match in _SPECIAL.finditer(text):
        char, position = match.group(), match.start()
        if in_string:
            if position == escaped:
                continue
            if char == "\\":
                escaped = position + 1
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def body_limit() -> int | None:
    """The most bytes a body may have; None when the installation switched the limit off."""
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class LimitedJSONParser(JSONParser):
    """JSONParser that refuses a body above the size limit (413) or nested deeper than
    MAX_JSON_DEPTH (400 "too deeply nested") before the json module sees it."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        limit = body_limit()
        request = parser_context.get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        if limit is not None and declared and declared.isdigit() and int(declared) > limit:
            raise RequestDataTooBig(limit)
        raw = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(raw) > limit:
            raise RequestDataTooBig(limit)
        try:
            text = raw.decode(get_encoding(parser_context))
        except UnicodeDecodeError as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
        if text.count("[") + text.count("{") > MAX_JSON_DEPTH and json_depth(text) > MAX_JSON_DEPTH:
            raise TooDeeplyNested(MAX_JSON_DEPTH)
        try:
            return json.loads(text, parse_constant=_refuse_constant)
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from None


def _refuse_constant(name: str):
    """NaN and Infinity are not JSON (RFC 8259); Python's parser would accept them."""
    raise ValueError(f"{name} is not valid JSON")
