"""Creating, checking and revoking API keys (api.models.ApiKey). The admin and the
`api_key_create` / `api_key_revoke` commands both go through these functions.

A key reads `mp_<prefix>_<secret>`: the prefix (public, unique) finds the row, the secret
(256 bits from `secrets`) proves possession. The row keeps SHA-256 of the whole key: a key this
random cannot be guessed from its hash, so a slow password hash would only cost time on every
request without adding safety.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from maatpak.api.models import ApiKey
from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_record

KEY_PREFIX = "mp"
# A key's `last_used_at` is written at most this often, not on every request.
LAST_USED_PRECISION = timedelta(minutes=1)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _parts(key: str) -> tuple[str, str] | None:
    pieces = key.split("_", 2)
    if len(pieces) != 3 or pieces[0] != KEY_PREFIX or not pieces[1] or not pieces[2]:
        return None
    return pieces[1], pieces[2]


@transaction.atomic
def api_key_create(*, actor, name: str, organisation: str, municipality, role: str, provider=None, team=None) -> tuple[ApiKey, str]:
    """A new key and its service account. Returns the key row and the key itself, which is
    stored nowhere and must be shown to the creator now. Refuses (ValidationError) what
    `ApiKey.clean` refuses: a provider-staff key without a provider, another municipality's
    provider or team."""
    prefix = secrets.token_hex(6)
    while ApiKey.objects.filter(prefix=prefix).exists():
        prefix = secrets.token_hex(6)
    key = f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    api_key = ApiKey(
        name=name,
        organisation=organisation,
        municipality=municipality,
        role=role,
        provider=provider,
        team=team,
        prefix=prefix,
        key_hash=key_hash(key),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    api_key.clean()
    user = get_user_model()(
        username=f"api-{prefix}",
        first_name="API",
        last_name=f"{organisation} – {name}"[:150],
        role=role,
        provider=provider,
        team=team,
    )
    user.set_unusable_password()
    user.save()
    user.municipalities.set([municipality])
    api_key.user = user
    api_key.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=api_key,
        purpose="api key created",
        detail={"api_key": api_key.pk, "prefix": prefix, "role": role, "organisation": organisation},
    )
    return api_key, key


@transaction.atomic
def api_key_revoke(*, actor, api_key: ApiKey) -> ApiKey:
    """Revoke a key for good: it no longer authenticates, and its service account is
    deactivated. Revoking a revoked key changes nothing."""
    api_key = ApiKey.objects.select_for_update().get(pk=api_key.pk)
    if api_key.revoked_at is not None:
        return api_key
    api_key.revoked_at = timezone.now()
    api_key.revoked_by = actor if getattr(actor, "is_authenticated", False) else None
    api_key.save(update_fields=["revoked_at", "revoked_by"])
    get_user_model().objects.filter(pk=api_key.user_id).update(is_active=False)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=api_key, purpose="api key revoked", detail={"api_key": api_key.pk})
    return api_key


def api_key_find(key: str) -> ApiKey | None:
    """The key row `key` belongs to, revoked or not; None for anything that is not a key of
    this installation. The hash is compared in constant time."""
    parts = _parts(key)
    if parts is None:
        return None
    api_key = ApiKey.objects.select_related("user").filter(prefix=parts[0]).first()
    if api_key is None or not hmac.compare_digest(api_key.key_hash, key_hash(key)):
        return None
    return api_key


def api_key_mark_used(api_key: ApiKey, *, now=None) -> None:
    """Remember when the key was last used, to the minute (one UPDATE a minute at most)."""
    now = now or timezone.now()
    if api_key.last_used_at is None or now - api_key.last_used_at >= LAST_USED_PRECISION:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now
