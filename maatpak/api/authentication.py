"""API-key authentication for systems, next to the session log-in of people.

A request carries the key as `Authorization: Bearer <key>` (or `X-Api-Key: <key>`). The request
then runs as the key's service account (api.models), so the policy, the scoping and the audit
log treat it as that role in that municipality; every audit row it causes names the key in its
detail (`{"api_key": <id>}`). A revoked or unknown key is a 401 problem, never a fall-back to
another way of logging in.
"""

import logging

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from maatpak.api.keys import api_key_find, api_key_mark_used

logger = logging.getLogger(__name__)

SCHEME = "Bearer"
HEADER = "HTTP_X_API_KEY"


def presented_key(request) -> str | None:
    """The key the request presents, or None when it presents none (then the session counts)."""
    header = authentication.get_authorization_header(request).decode("latin-1")
    scheme, _space, value = header.partition(" ")
    if scheme.lower() == SCHEME.lower():
        return value.strip()
    extra = request.META.get(HEADER, "")
    return extra.strip() or None


class ApiKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        key = presented_key(request)
        if key is None:
            return None
        api_key = api_key_find(key)
        if api_key is None:
            logger.warning("API request with an unknown key (prefix %r)", key[:16])
            raise exceptions.AuthenticationFailed(_("This API key is not valid."))
        if api_key.revoked_at is not None or not api_key.user.is_active:
            # A log line, not an audit row: DRF rolls the request's transaction back on a refusal.
            logger.warning("API request with revoked key %s (id %s, %s)", api_key.prefix, api_key.pk, api_key.organisation)
            raise exceptions.AuthenticationFailed(_("This API key has been revoked."))
        api_key_mark_used(api_key)
        user = api_key.user
        # Read by audit.services: every audit row of this request names the key.
        user.audit_detail = {"api_key": api_key.pk}
        return user, api_key

    def authenticate_header(self, request):
        # Makes DRF answer a missing or wrong credential with 401 and this challenge (not 403).
        return f'{SCHEME} realm="api"'


class ApiKeyScheme(OpenApiAuthenticationExtension):
    """The key in the OpenAPI schema, so clients and schemathesis know how to send it."""

    target_class = "maatpak.api.authentication.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API key of your organisation (docs/api.md), as `Authorization: Bearer <key>`.",
        }
