from django.core.management.base import BaseCommand, CommandError

from maatpak.api.keys import api_key_revoke
from maatpak.api.models import ApiKey


class Command(BaseCommand):
    help = "Revoke an API key by its prefix (shown in the admin and in the audit log). It stops working at once."

    def add_arguments(self, parser):
        parser.add_argument("prefix", help="The key's prefix, e.g. 3f9a0c1b2d4e")

    def handle(self, *args, prefix, **options):
        api_key = ApiKey.objects.filter(prefix=prefix).first()
        if api_key is None:
            raise CommandError(f"No API key with prefix {prefix}.")
        was_revoked = api_key.revoked_at is not None
        api_key = api_key_revoke(actor=None, api_key=api_key)
        self.stdout.write(f"API key {prefix} ({api_key.organisation}) {'was already revoked' if was_revoked else 'revoked'}.")
