from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from maatpak.accounts.models import Municipality, Team
from maatpak.api.keys import api_key_create
from maatpak.api.models import API_KEY_ROLES
from maatpak.providers.models import Provider


class Command(BaseCommand):
    help = (
        "Create an API key for another organisation's system, for one municipality and one role. "
        "Prints the key once: Maatpak stores only its hash. Revoke it with api_key_revoke or in the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("--municipality", required=True, help="CBS municipality code, e.g. GM0090")
        parser.add_argument("--role", required=True, choices=[value for value, _label in API_KEY_ROLES])
        parser.add_argument("--name", required=True, help="What the key is for, e.g. 'Reports from the case system'")
        parser.add_argument("--organisation", required=True, help="The organisation that uses the key")
        parser.add_argument("--provider", help="Provider name (required for --role provider_staff)")
        parser.add_argument("--team", help="Team name (consultant or team lead keys: the team whose caseload it sees)")

    def handle(self, *args, municipality, role, name, organisation, provider, team, **options):
        found = Municipality.objects.filter(code=municipality).first()
        if found is None:
            raise CommandError(f"No municipality with code {municipality}.")
        provider_row = team_row = None
        if provider:
            provider_row = Provider.objects.filter(municipality=found, name=provider).first()
            if provider_row is None:
                raise CommandError(f"No provider named {provider!r} in {found}.")
        if team:
            team_row = Team.objects.filter(municipality=found, name=team).first()
            if team_row is None:
                raise CommandError(f"No team named {team!r} in {found}.")
        try:
            api_key, key = api_key_create(
                actor=None, name=name, organisation=organisation, municipality=found, role=role, provider=provider_row, team=team_row
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"API key {api_key.prefix} created for {organisation} ({found}, role {role}).")
        self.stdout.write("Give this key to the organisation in a safe way; it is shown only now:")
        self.stdout.write(key)
