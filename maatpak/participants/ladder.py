"""The participation ladder definition (participatieladder) a municipality's assessments use."""

from maatpak.core import reference
from maatpak.participants.models import LadderDefinition


def standard_ladder():
    """The shared Regioplan 2008 ladder definition, created on first use."""
    return LadderDefinition.objects.get_or_create(
        code=reference.LADDER_CODE,
        version=reference.LADDER_VERSION,
        defaults={"name": reference.LADDER_NAME, "rungs": reference.LADDER_RUNGS},
    )


def ladder_definition_for(municipality):
    """The ladder definition a new assessment in `municipality` uses: the newest version of
    the standard ladder. Definitions are shared, so another code (a variant someone added)
    is never picked up by accident. None when no ladder exists yet."""
    return LadderDefinition.objects.filter(code=reference.LADDER_CODE).order_by("-version").first()
