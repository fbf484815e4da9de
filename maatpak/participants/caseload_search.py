"""A BSN searched on the caseload is kept server-side, never in a URL.

Query strings end up in web-server, proxy and browser logs and in `/login/?next=...`. So a
search term that is a BSN is swapped for an opaque, random key that is only meaningful within
the searcher's own session. The session does not hold the BSN either: only its keyed hash (to
find the participant), the last three digits (to show what was searched) or the 11-test error.
"""

import secrets

from django.core.exceptions import ValidationError

from maatpak.participants.models import Participant

SESSION_KEY = "caseload_bsn_searches"
# Enough for a working day's back-and-forth between caseload pages; older keys expire.
MAX_REMEMBERED = 20


def bsn_digits(query) -> str | None:
    """The digits of a search term that is a BSN (8 or 9 digits; spaces, dots and dashes
    ignored), or None when the term is something else (a name or a reference)."""
    digits = "".join(ch for ch in (query or "").strip() if ch not in " .-")
    return digits if digits.isdigit() and len(digits) in (8, 9) else None


def remember_bsn_search(session, digits: str) -> str:
    """Store the search for `digits` in the session and return its opaque key."""
    try:
        entry = {"hash": Participant.hash_for_lookup(digits), "last_digits": digits[-3:], "error": ""}
    except ValidationError as exc:
        # An invalid BSN is refused with the 11-test message; the number itself is not kept.
        entry = {"hash": "", "last_digits": "", "error": exc.messages[0]}
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
