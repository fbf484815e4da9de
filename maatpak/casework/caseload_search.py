"""A BSN searched on the caseload is kept server-side, never in a URL.

Query strings end up in web-server, proxy and browser logs and in `/login/?next=...`. So a
search term that is a BSN is swapped for an opaque, random key that is only meaningful within
the searcher's own session. The session does not hold the BSN either: only its keyed hash (to
find the participant), the last three digits (to show what was searched) or the 11-test error.
"""

import re
import secrets

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from maatpak.participants.models import Participant

SESSION_KEY = "caseload_bsn_searches"
# Enough for a working day's back-and-forth between caseload pages; older keys expire.
MAX_REMEMBERED = 20


def bsn_digits(query) -> str | None:
    """The digits of a search term that is a BSN (8 or 9 digits; spaces, dots and dashes
    ignored), or None when the term is something else (a name or a reference)."""
    digits = "".join(ch for ch in (query or "").strip() if ch not in " .-")
    return digits if digits.isdigit() and len(digits) in (8, 9) else None


# 8 or 9 digits, possibly with spaces, dots or dashes between them, not part of a longer number.
_BSN_LIKE = re.compile(r"(?<![\d])\d(?:[ .-]?\d){7,8}(?![\d])")


def contains_bsn_like(query) -> bool:
    """True when a search term holds something that may be a BSN next to other words, e.g.
    "Jansen 123456782". Such a term must not travel in a URL either."""
    return bool(_BSN_LIKE.search(query or ""))


def remember_bsn_search(session, digits: str) -> str:
    """Store the search for `digits` in the session and return its opaque key."""
    try:
        entry = {"hash": Participant.hash_for_lookup(digits), "last_digits": digits[-3:], "error": ""}
    except ValidationError as exc:
        # An invalid BSN is refused with the 11-test message; the number itself is not kept.
        entry = {"hash": "", "last_digits": "", "error": exc.messages[0]}
    return _remember(session, entry)


def remember_mixed_search(session) -> str:
    """A BSN mixed with other words is refused (a name search would not find it anyway); only
    the message is kept, under a key like any BSN search."""
    return _remember(
        session, {"hash": "", "last_digits": "", "error": _("Search by name or reference, or by BSN on its own — not both at once.")}
    )


def _remember(session, entry: dict) -> str:
    searches = dict(session.get(SESSION_KEY, {}))
    key = secrets.token_urlsafe(12)
    searches[key] = entry
    # Dicts keep insertion order (also through the JSON session serializer): drop the oldest.
    session[SESSION_KEY] = dict(list(searches.items())[-MAX_REMEMBERED:])
    return key


def recall_bsn_search(session, key: str) -> dict | None:
    """The stored search for `key` in this session, or None (unknown, expired, or someone
    else's key: keys are random and live in one session only)."""
    if not key:
        return None
    return session.get(SESSION_KEY, {}).get(key)
