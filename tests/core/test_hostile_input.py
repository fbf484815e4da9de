"""Requirement (issue 14.7): hostile input gets a clear Dutch error, never a 500 and never half a
write. Texts are as long as their model field allows (also where PostgreSQL used to answer 500:
a plan's mentor, a goal's measure), dates fall in a window that makes sense per kind of field,
invisible control characters and reading-direction overrides are refused — on the pages, in
the services (so the API too) and in the CSV imports (a row error with its line)."""

import csv
import datetime as dt
import importlib
import inspect
import io

import pytest
from django import forms
from django.apps import apps
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from maatpak.core.text import (
    BIRTH,
    CASE,
    DATE_WINDOWS,
    LIFE,
    NOTE_MAX_LENGTH,
    CheckedForm,
    date_problem,
    text_problem,
)
from maatpak.employers.models import Placement, PlacementFollowUp
from maatpak.insights.history_import import COLUMNS as HISTORY_COLUMNS
from maatpak.insights.history_import import import_history
from maatpak.participants import services as dossier
from maatpak.participants.caseload_import import COLUMNS as CASELOAD_COLUMNS
from maatpak.participants.caseload_import import import_caseload
from maatpak.participants.models import Contact, Participant
from maatpak.trajectories import services
from maatpak.trajectories.models import Goal, PlanVersion, Sanction, Trajectory
from tests.factories import InstrumentFactory, ParticipantFactory, TeamFactory, UserFactory, valid_bsn

# The modules whose forms people fill in (issue 14.7 lists them); each form is a CheckedForm.
FORM_MODULES = [
    "maatpak.casework.dossier_forms",
    "maatpak.casework.intake_forms",
    "maatpak.casework.placement_forms",
    "maatpak.casework.trajectory_forms",
    "maatpak.providers.forms",
    "maatpak.providers.goal_forms",
    "maatpak.portal.forms",
]
# Apps whose free texts (TextFields) carry their limit on the model.
LIMITED_APPS = ("participants", "trajectories", "providers", "employers")
TODAY = dt.date(2026, 6, 15)
RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE


# --- the rule itself ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "multiline", "refused"),
    [
        ("Jansen", False, False),
        ("Bak\tker", False, True),
        ("twee\nregels", False, True),
        ("twee\nregels\r\nen\ttab", True, False),
        ("nul\x00teken", True, True),
        ("bel\x07", True, True),
        ("c1\x85", True, True),
        (f"factuur{RLO}fdp.exe", True, True),
        ("isolate\u2066x\u2069", False, True),
        ("lone \ud800 surrogate", True, True),
        ("emoji 👩‍👩‍👧 and Ελληνικά and العربية", False, False),
    ],
)
def test_invisible_characters_are_refused_with_a_dutch_message(value, multiline, refused):
    problem = text_problem(value, multiline=multiline)
    assert (problem is not None) == refused
    if refused:
        assert "onzichtbare tekens" in problem and "positie" in problem


def test_the_position_points_at_the_first_bad_character():
    assert "positie 4" in text_problem(f"abc{RLO}def")


def test_a_line_break_counts_as_one_character_also_as_crlf():
    assert text_problem("a\r\nb", max_length=3, multiline=True) is None
    assert "hoogstens 3 tekens (nu 4)" in text_problem("a\r\nbc", max_length=3, multiline=True)


@pytest.mark.parametrize(
    ("kind", "day", "ok"),
    [
        (BIRTH, dt.date(1900, 1, 1), True),
        (BIRTH, dt.date(1899, 12, 31), False),
        (BIRTH, TODAY, True),
        (BIRTH, TODAY + dt.timedelta(days=1), False),
        (LIFE, dt.date(1950, 1, 1), True),
        (LIFE, dt.date(2031, 6, 15), True),
        (LIFE, dt.date(2031, 6, 16), False),
        (CASE, dt.date(1999, 12, 31), False),
        (CASE, dt.date(2000, 1, 1), True),
        (CASE, dt.date(2031, 6, 15), True),
        (CASE, dt.date(2031, 6, 16), False),
    ],
)
def test_each_kind_of_date_has_its_window(kind, day, ok):
    assert (date_problem(day, kind, today=TODAY) is None) == ok


@pytest.mark.parametrize("kind", list(DATE_WINDOWS))
@pytest.mark.parametrize("day", [dt.date.min, dt.date.max])
def test_the_absurd_dates_fall_outside_every_window(kind, day):
    assert "Vul een datum in van" in date_problem(day, kind)


# --- forms: every form obeys the rule ----------------------------------------------------------


def _form_classes():
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module_name and not issubclass(cls, AuthenticationForm):
                yield cls


@pytest.mark.parametrize("form_class", list(_form_classes()), ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_every_form_is_a_checked_form_with_a_length_on_every_text(form_class):
    assert issubclass(form_class, CheckedForm)
    unlimited = [name for name, field in form_class.base_fields.items() if isinstance(field, forms.CharField) and not field.max_length]
    assert unlimited == []


@pytest.mark.parametrize("model", [m for app in LIMITED_APPS for m in apps.get_app_config(app).get_models()], ids=str)
def test_every_free_text_on_the_models_has_a_limit(model):
    unlimited = [f.name for f in model._meta.get_fields() if isinstance(f, models.TextField) and f.editable and not f.max_length]
    assert unlimited == []


# --- the pages: a Dutch error, status 400, nothing written -------------------------------------


@pytest.fixture
def kim(municipality):
    team = TeamFactory(municipality=municipality, name="Team Noord")
    return UserFactory(role="consultant", municipalities=[municipality], team=team, username="kim")


@pytest.fixture
def person(municipality, kim):
    return ParticipantFactory(municipality=municipality, consultant=kim, first_name="Sanne")


@pytest.fixture
def draft(kim, person):
    return services.trajectory_create(actor=kim, participant=person)


def _plan_post(client, trajectory, name, data):
    return client.post(reverse("trajectories:action", args=[trajectory.pk, name]), {f"{name}-{k}": v for k, v in data.items()})


PLAN = {
    "end_goal_kind": "regular_work",
    "end_goal": "Werk in de groenvoorziening",
    "situation": "",
    "planned_start": "2026-01-05",
    "planned_end": "2026-12-31",
    "fallback_if_no_job": "Vrijwilligerswerk",
    "education_plan": "",
    "mentor": "",
}


def test_a_mentor_longer_than_the_model_allows_is_a_dutch_error_not_a_500(client, kim, draft):
    client.force_login(kim)
    response = _plan_post(client, draft, "plan", {**PLAN, "mentor": "M" * 201, "version": draft.version})
    assert response.status_code == 400
    assert "hoogstens 200 tekens (nu 201)" in response.content.decode()
    assert not PlanVersion.objects.filter(trajectory=draft).exists()


def test_a_measure_longer_than_the_model_allows_is_a_dutch_error_not_a_500(client, kim, draft):
    services.plan_save_draft(
        actor=kim, trajectory=draft, expected_version=draft.version, **{**PLAN, "planned_start": TODAY, "planned_end": TODAY}
    )
    client.force_login(kim)
    goal = {"kind": "daily_structure", "description": "Op tijd", "measure": "m" * 301, "target_date": "2026-03-01"}
    response = _plan_post(client, draft, "goal", goal)
    assert response.status_code == 400
    assert "hoogstens 300 tekens (nu 301)" in response.content.decode()
    assert not Goal.objects.exists()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1850-05-05"])
def test_absurd_plan_dates_are_refused_in_dutch(client, kim, draft, day):
    client.force_login(kim)
    response = _plan_post(client, draft, "plan", {**PLAN, "planned_start": day, "version": draft.version})
    assert response.status_code == 400
    assert "Vul een datum in van 01-01-2000 tot en met" in response.content.decode()
    assert not PlanVersion.objects.filter(trajectory=draft).exists()


def test_a_100000_character_note_is_refused_in_dutch(client, kim, person):
    client.force_login(kim)
    data = {"occurred_on": "2026-01-05", "channel": "phone", "summary": "x" * 100_000}
    response = client.post(
        reverse("participants:dossier_section", args=[person.pk, "contacts"]), {f"contacts-{k}": v for k, v in data.items()}
    )
    assert response.status_code in (200, 400)
    assert f"hoogstens {NOTE_MAX_LENGTH} tekens (nu 100000)" in response.content.decode()
    assert not Contact.objects.exists()


def test_a_reading_direction_override_in_a_note_is_refused_and_a_line_break_is_not(client, kim, person):
    client.force_login(kim)
    url = reverse("participants:dossier_section", args=[person.pk, "contacts"])
    refused = client.post(
        url, {"contacts-occurred_on": "2026-01-05", "contacts-channel": "phone", "contacts-summary": f"Belde{RLO}gnippin"}
    )
    assert "leesrichting" in refused.content.decode()
    assert not Contact.objects.exists()
    client.post(url, {"contacts-occurred_on": "2026-01-05", "contacts-channel": "phone", "contacts-summary": "Belde.\r\nGaat goed."})
    assert Contact.objects.get().summary == "Belde.\r\nGaat goed."


def test_a_placement_from_year_one_is_refused_and_schedules_nothing(client, kim, person):
    client.force_login(kim)
    url = reverse("participants:dossier_section", args=[person.pk, "placements"])
    response = client.post(url, {"placements-kind": "volunteer", "placements-start_date": "0001-01-01"})
    assert "Vul een datum in van 01-01-2000" in response.content.decode()
    assert not Placement.objects.exists() and not PlacementFollowUp.objects.exists()


# --- the services: the same rule for the API ---------------------------------------------------


def test_the_services_refuse_what_the_forms_refuse_with_the_same_message(kim, draft):
    with pytest.raises(ValidationError) as refused:
        services.plan_save_draft(
            actor=kim,
            trajectory=draft,
            expected_version=draft.version,
            **{**PLAN, "planned_start": TODAY, "planned_end": TODAY, "mentor": "M" * 201},
        )
    assert refused.value.message_dict["mentor"] == ["Gebruik hoogstens 200 tekens (nu 201)."]
    services.plan_save_draft(
        actor=kim, trajectory=draft, expected_version=draft.version, **{**PLAN, "planned_start": TODAY, "planned_end": TODAY}
    )
    with pytest.raises(ValidationError) as refused:
        services.goal_add(actor=kim, trajectory=draft, kind="health", description="Fit", measure="m" * 301, target_date=TODAY)
    assert "hoogstens 300" in refused.value.message_dict["measure"][0]
    with pytest.raises(ValidationError) as refused:
        services.goal_add(actor=kim, trajectory=draft, kind="health", description=f"x{RLO}y", measure="Meten", target_date=dt.date.max)
    assert "leesrichting" in refused.value.message_dict["description"][0]
    assert "Vul een datum in" in refused.value.message_dict["target_date"][0]
    assert not Goal.objects.exists()


def test_a_service_names_the_error_after_its_own_keyword(kim, person):
    with pytest.raises(ValidationError) as refused:
        dossier.contact_record(actor=kim, participant=person, occurred_on=dt.date(1999, 1, 1), channel="phone", summary="")
    assert "occurred_on" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        dossier.contact_record(actor=kim, participant=person, occurred_on=dt.date(2026, 1, 5), channel="phone", summary="a\x00b")
    assert "onzichtbare tekens" in refused.value.message_dict["summary"][0]
    assert not Contact.objects.exists()


def test_a_refused_sanction_writes_nothing_and_leaves_the_agreement_open(kim, person):
    instrument = InstrumentFactory(municipality=person.municipality)
    trajectory = services.trajectory_create(actor=kim, participant=person)
    services.plan_save_draft(
        actor=kim, trajectory=trajectory, expected_version=trajectory.version, **{**PLAN, "planned_start": TODAY, "planned_end": TODAY}
    )
    trajectory.refresh_from_db()
    goal = services.goal_add(actor=kim, trajectory=trajectory, kind="health", description="Fit", measure="Meten", target_date=TODAY)
    services.idea_add(actor=kim, trajectory=trajectory, idea="Buiten werken", supported=True, response="Ja")
    services.instrument_add(actor=kim, trajectory=trajectory, instrument=instrument, start_date=TODAY, end_date=TODAY, serves_goal=goal)
    mine = services.agreement_add(actor=kim, trajectory=trajectory, party="participant", description="Solliciteren", deadline=TODAY)
    services.agreement_add(actor=kim, trajectory=trajectory, party="municipality", description="Opvang", deadline=TODAY)
    trajectory.refresh_from_db()
    services.plan_agree(actor=kim, trajectory=trajectory, expected_version=trajectory.version)
    plan = trajectory.latest_plan()
    services.plan_sign(actor=kim, plan=plan, party="consultant", method="in_person", signed_on=dt.date(2026, 1, 5), signer_name="Kim")
    services.plan_sign(actor=kim, plan=plan, party="participant", method="paper", signed_on=dt.date(2026, 1, 5), signer_name="Sanne")
    with pytest.raises(ValidationError) as refused:
        services.sanction_record(
            actor=kim,
            trajectory=trajectory,
            agreement=mine,
            reason="r" * (NOTE_MAX_LENGTH + 1),
            initiated_by="consultant",
            percentage=100,
            months=1,
            hearing_on=dt.date(9999, 12, 31),
        )
    assert set(refused.value.message_dict) == {"reason", "hearing_on"}
    mine.refresh_from_db()
    assert mine.status == "open" and not Sanction.objects.exists()
    assert Trajectory.objects.get(pk=trajectory.pk).status == "active"


# --- the imports: a row error with its line, nothing written -----------------------------------


def _caseload_csv(rows):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CASELOAD_COLUMNS, delimiter=";")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


def _caseload_row(n, **overrides):
    return {
        "client_number": f"K-{n}", "bsn": valid_bsn(8000 + n), "first_name": "Jörg", "name_prefix": "", "last_name": f"Müller{n}",
        "birth_date": "17-05-1985", "sex": "v", "street": "", "postal_code": "", "city": "", "email": "", "phone": "",
        "benefit_type": "pw", "benefit_start": "2023-01-01", "benefit_amount": "1250", "consultant": "kim", "ladder_rung": "",
        "registered_on": "", **overrides,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("column", "value", "text"),
    [
        ("last_name", f"Jansen{RLO}", "leesrichting"),
        ("city", "Drachten\x00", "onzichtbare tekens"),
        ("registered_on", "01-01-1970", "Vul een datum in van 01-01-2000"),
        ("benefit_start", "0001-01-01", "Vul een datum in van 01-01-1900"),
        ("last_name", "x" * 151, "hoogstens 150"),
    ],
)
def test_a_hostile_caseload_row_is_an_error_on_its_line_and_nothing_is_written(municipality, kim, column, value, text):
    result = import_caseload(municipality=municipality, data=_caseload_csv([_caseload_row(1), _caseload_row(2, **{column: value})]))
    assert [(e.line, e.column) for e in result.errors] == [(3, column)]
    assert text in result.errors[0].message
    assert not Participant.objects.exists()


def test_a_cell_too_long_for_the_csv_reader_is_an_error_not_a_crash(municipality, kim):
    result = import_caseload(municipality=municipality, data=_caseload_csv([_caseload_row(1, city="x" * 200_000)]))
    assert result.errors and "niet te lezen" in result.errors[0].message
    assert not Participant.objects.exists()


def _history_csv(rows):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=HISTORY_COLUMNS)
    writer.writeheader()
    writer.writerows([{column: row.get(column, "") for column in HISTORY_COLUMNS} for row in rows])
    return io.BytesIO(buffer.getvalue().encode())


HISTORY_ROW = {"participant_ref": "OUD-1", "birth_year": "1980", "instrument": "SOLL", "start_date": "2019-03-01", "end_date": "2019-09-01"}


@pytest.mark.parametrize(
    ("column", "value", "text"),
    [
        ("start_date", "0001-01-01", "Vul een datum in van 01-01-2000"),
        ("end_date", "9999-12-31", "Vul een datum in van 01-01-2000"),
        ("provider", f"Bureau {RLO}", "leesrichting"),
        ("participant_ref", "R" * 33, "hoogstens 32"),
        ("instrument", "I" * 41, "hoogstens 40"),
    ],
)
def test_a_hostile_history_row_is_an_error_on_its_line_and_nothing_is_written(municipality, column, value, text):
    InstrumentFactory(municipality=municipality, code="SOLL")
    rows = [HISTORY_ROW, {**HISTORY_ROW, "participant_ref": "OUD-2", column: value}]
    result = import_history(municipality=municipality, file=_history_csv(rows), source_name="oud.csv")
    assert {(e.line, e.column) for e in result.errors} == {(3, column)}
    assert any(text in e.message for e in result.errors)
    assert not Trajectory.objects.exists() and not Participant.objects.exists()


def test_a_history_file_that_is_not_utf8_is_an_error_not_a_crash(municipality):
    result = import_history(municipality=municipality, file=io.BytesIO("participant_ref\nK\xe9".encode("latin-1")), source_name="x.csv")
    assert "UTF-8" in result.errors[0].message
