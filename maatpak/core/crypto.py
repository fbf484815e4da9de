"""Encryption at rest and keyed hashing for identifying numbers such as the BSN.

Fernet (AES-128-CBC + HMAC) from `cryptography` encrypts; MultiFernet allows key rotation.
A separate HMAC-SHA256 key makes a value findable by exact match without decrypting anything,
and without the rainbow-table weakness of a plain hash over a 9-digit number space.
"""

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


def _fernet_key(material: str) -> bytes:
    """Accept a real Fernet key, or derive one from any other secret string."""
    try:
        Fernet(material.encode())
        return material.encode()
    except (ValueError, TypeError):
        return base64.urlsafe_b64encode(hashlib.sha256(material.encode()).digest())


@lru_cache(maxsize=4)
def _cipher(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(_fernet_key(key)) for key in keys])


def encrypt(value: str) -> str:
    return _cipher(tuple(settings.MAATPAK_ENCRYPTION_KEYS)).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _cipher(tuple(settings.MAATPAK_ENCRYPTION_KEYS)).decrypt(token.encode()).decode()
    except InvalidToken as exc:  # a wrong or rotated-away key must be loud, not silent
        raise ValueError("Cannot decrypt: the encryption key does not match this value.") from exc


def keyed_hash(value: str) -> str:
    return hmac.new(settings.MAATPAK_HASH_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()
