"""Requirement: a real municipality gets the participation ladder and the standard instrument
catalogue without the demo (`manage.py municipality_setup`), idempotently (issue 2)."""

import pytest
from django.core.management import CommandError, call_command

from maatpak.accounts.models import Municipality
from maatpak.core import reference
from maatpak.participants.ladder import ladder_definition_for
from maatpak.participants.models import LadderDefinition
from maatpak.trajectories.models import Instrument, InstrumentCluster
from maatpak.trajectories.reference_setup import municipality_setup
from tests.factories import LadderDefinitionFactory


@pytest.mark.django_db
def test_setup_creates_municipality_ladder_and_catalogue(capsys):
    call_command("municipality_setup", "--code", "GM0090", "--name", "Smallingerland")
    municipality = Municipality.objects.get(code="GM0090")
    assert municipality.name == "Smallingerland"
    ladder = LadderDefinition.objects.get(code=reference.LADDER_CODE)
    assert [r["rung"] for r in ladder.rungs] == [1, 2, 3, 4, 5, 6]
    assert ladder.label(1) == "Geïsoleerd" and ladder.label(6) == "Betaald werk"
    instruments = Instrument.objects.filter(municipality=municipality)
    assert instruments.count() == len(reference.INSTRUMENTS)
    # IWI's five clusters and the employer-side instruments are all present.
    assert set(instruments.values_list("cluster", flat=True)) == set(InstrumentCluster.values)
    assert instruments.get(code="LKS").srg_type == "loonkostensubsidie"
    assert "Smallingerland (GM0090): created" in capsys.readouterr().out


@pytest.mark.django_db
def test_setup_is_idempotent_and_keeps_local_changes():
    municipality_setup(code="GM0090", name="Smallingerland")
    changed = Instrument.objects.get(municipality__code="GM0090", code="TAAL")
    changed.default_cost_cents = 123_00
    changed.save()
    Instrument.objects.get(municipality__code="GM0090", code="PC").delete()
    again = municipality_setup(code="gm0090", name="Smallingerland")
    assert not again.municipality_created and not again.ladder_created
    assert again.instruments_created == 1  # only the removed one comes back
    assert Municipality.objects.filter(code="GM0090").count() == 1
    assert LadderDefinition.objects.count() == 1
    assert Instrument.objects.get(municipality__code="GM0090", code="TAAL").default_cost_cents == 123_00
    assert Instrument.objects.filter(municipality__code="GM0090").count() == len(reference.INSTRUMENTS)


@pytest.mark.django_db
def test_second_municipality_gets_its_own_catalogue_and_shares_the_ladder():
    municipality_setup(code="GM0090", name="Smallingerland")
    municipality_setup(code="GM0687", name="Middelburg")
    assert Instrument.objects.filter(municipality__code="GM0687").count() == len(reference.INSTRUMENTS)
    assert LadderDefinition.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "code, name, message",
    [
        ("0090", "Smallingerland", "GM gevolgd door vier cijfers"),
        ("GM0090", "  ", "Vul de naam van de gemeente in"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(code, name, message):
    with pytest.raises(CommandError, match=message):
        call_command("municipality_setup", "--code", code, "--name", name)
    assert not Municipality.objects.exists() and not Instrument.objects.exists()


@pytest.mark.django_db
def test_an_existing_code_with_another_name_is_refused():
    municipality_setup(code="GM0090", name="Smallingerland")
    with pytest.raises(CommandError, match="bestaat al met de naam Smallingerland"):
        call_command("municipality_setup", "--code", "GM0090", "--name", "Middelburg")
    assert Municipality.objects.get(code="GM0090").name == "Smallingerland"


@pytest.mark.django_db
def test_ladder_for_a_municipality_ignores_other_ladder_codes():
    """A variant ladder under another code must not become everyone's ladder."""
    municipality_setup(code="GM0090", name="Smallingerland")
    LadderDefinitionFactory(code="eigen-ladder", version=7, name="Eigen variant")
    assert ladder_definition_for(Municipality.objects.get(code="GM0090")).code == reference.LADDER_CODE


@pytest.mark.django_db
def test_demo_uses_the_same_reference_data():
    from maatpak.demo import catalogue

    assert catalogue.INSTRUMENTS is reference.INSTRUMENTS and catalogue.LADDER_RUNGS is reference.LADDER_RUNGS
