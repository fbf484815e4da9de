"""Setting up a municipality (tenant) with the standard reference data: the ladder and the
instrument catalogue. It writes both participants' and trajectories' reference rows, so it lives here."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from maatpak.accounts.models import Municipality
from maatpak.core import reference
from maatpak.participants.ladder import standard_ladder
from maatpak.trajectories.models import Instrument


@dataclass
class SetupResult:
    municipality: Municipality
    municipality_created: bool
    ladder_created: bool
    instruments_created: int
    instruments_kept: int


@transaction.atomic
def municipality_setup(*, code: str, name: str) -> SetupResult:
    """Create a municipality with the participation ladder and the standard instrument
    catalogue. Idempotent: running it again adds only what is missing and never overwrites
    what the municipality changed (names, costs, availability). A code that already belongs
    to a municipality with another name is refused, so a typo never fills someone else's
    catalogue."""
    code = (code or "").strip().upper()
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Enter the name of the municipality."), code="name_required")
    municipality = Municipality.objects.filter(code=code).first()
    created = municipality is None
    if created:
        municipality = Municipality(code=code, name=name)
        municipality.full_clean()
        municipality.save()
    elif municipality.name != name:
        raise ValidationError(
            _("Municipality %(code)s already exists with the name %(existing)s, not %(name)s. Check the code.")
            % {"code": code, "existing": municipality.name, "name": name},
            code="name_mismatch",
        )
    _ladder, ladder_created = standard_ladder()
    existing = set(Instrument.objects.filter(municipality=municipality).values_list("code", flat=True))
    new = [
        Instrument(
            municipality=municipality,
            code=code_,
            name=label,
            cluster=cluster,
            srg_type=srg,
            default_cost_cents=euros * 100,
            evidence_based=evidence,
        )
        for code_, label, cluster, srg, euros, _job, _provider, evidence in reference.INSTRUMENTS
        if code_ not in existing
    ]
    Instrument.objects.bulk_create(new)
    return SetupResult(municipality, created, ladder_created, len(new), len(reference.INSTRUMENTS) - len(new))
