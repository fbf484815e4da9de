"""Deploy checks: production must not run on the development keys."""

import os

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def production_keys_check(app_configs, **kwargs):
    errors = []
    if settings.MAATPAK_USING_DEV_KEYS:
        errors.append(Error("SECRET_KEY is not set: the development key is in use.", id="maatpak.E001"))
    for name in ("MAATPAK_ENCRYPTION_KEY", "MAATPAK_HASH_KEY"):
        if not os.environ.get(name):
            errors.append(Error(f"{name} is not set: BSNs would be protected by a key derived from SECRET_KEY.", id="maatpak.E002"))
    return errors
