"""Requirement (issue 14.7, must show): Hypothesis throws malformed input at the imports and the
main forms — arbitrary text (control and direction-changing characters, formula and markup
look-alikes, texts just over and far over every limit), arbitrary dates (year 1 to 9999, typed
nonsense) — and they never give a 500 and never write half: a refused row or form writes
nothing, an accepted one writes all of itself. The forms are posted through the Django test
client (an exception in a view fails the test, as a 500 would); the services, which the API
calls, also get lone surrogates, which only a JSON escape can deliver.

Run on PostgreSQL too (its varchar limits are where a too-long text used to become a 500):
DATABASE_URL=postgres://postgres@127.0.0.1:5432/test_input."""

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from maatpak.accounts.roles import Role
from maatpak.employers.models import Placement, PlacementFollowUp
from maatpak.insights.history_import import COLUMNS as HISTORY_COLUMNS
from maatpak.insights.history_import import import_history
from maatpak.insights.models import ImportedTrajectory
from maatpak.participants import services as dossier
from maatpak.participants.caseload_import import COLUMNS as CASELOAD_COLUMNS
from maatpak.participants.caseload_import import import_caseload
from maatpak.participants.models import Benefit, ConsultantAssignment, Contact, Participant, Wish
from maatpak.portal.models import Message
from maatpak.trajectories import services
from maatpak.trajectories.models import Agreement, Goal, Instrument, PlanVersion, Sanction, Trajectory
from tests.factories import InstrumentFactory, ParticipantFactory, TeamFactory, UserFactory, valid_bsn

# One database set-up per test; the examples share it, so each compares counts before and after.
EXAMPLES = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

# What a browser can send (no lone surrogates: they cannot be encoded in a request).
CHARACTERS = st.characters(blacklist_categories=("Cs",))
SPECIAL = [
    "",
    " ",
    "\x00",
    "\t",
    "\n",
    "\r\n",
    "\x85",
    "\u202e",
    "\u2066",
    "\u200b",
    '=HYPERLINK("http://x","klik")',
    "<script>alert(1)</script>",
    "Bureau $\\frac{$",
    "'; DROP TABLE participants_participant; --",
    "{{ 7*7 }}",
    "9999-12-31",
]
# Just over, and far over, the limits in the models (150, 200, 300 characters; a note; a plan text).
LENGTHS = [1, 20, 32, 33, 150, 151, 200, 201, 300, 301, 5_000, 5_001, 20_001, 100_000]


def _texts(characters):
    return st.one_of(
        st.text(characters, max_size=30),
        st.sampled_from(SPECIAL),
        st.builds(lambda a, s, b: a + s + b, st.text(characters, max_size=8), st.sampled_from(SPECIAL), st.text(characters, max_size=8)),
        st.builds(lambda piece, n: (piece * n)[:n], st.text(characters, min_size=1, max_size=3), st.sampled_from(LENGTHS)),
    )


hostile_text = _texts(CHARACTERS)
# What a JSON body can carry as well: lone surrogates ("\ud800").
api_text = _texts(st.characters())
hostile_date = st.one_of(
    st.dates(),
    st.sampled_from([dt.date.min, dt.date.max, dt.date(1899, 12, 31), dt.date(2000, 1, 1)]),
)
typed_date = st.one_of(
    hostile_date.map(dt.date.isoformat),
    st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)).map(dt.date.isoformat),
    st.sampled_from(["", "2026-02-30", "31-12-2025", "gisteren", "0000-00-00", "99999-01-01"]),
    st.text(CHARACTERS, max_size=12),
)


def maybe(value, strategy):
    """A good value or a hostile one, so both the refusal and the write are exercised."""
    return st.one_of(st.just(value), strategy)


def spoiled(good: dict, hostile: dict):
    """`good` with up to three of its fields replaced by hostile values (`hostile`: field ->
    strategy), so that a good whole and each kind of bad field are tried."""
    fields = st.lists(st.sampled_from(sorted(hostile)), unique=True, max_size=3)
    return fields.flatmap(lambda names: st.fixed_dictionaries({name: hostile[name] for name in names})).map(lambda bad: {**good, **bad})


@pytest.fixture
def kim(municipality):
    team = TeamFactory(municipality=municipality, name="Team Noord")
    return UserFactory(role=Role.CONSULTANT, municipalities=[municipality], team=team, username="kim", first_name="Kim")


@pytest.fixture
def person(municipality, kim):
    user = UserFactory(role=Role.PARTICIPANT, municipalities=[municipality], username="sanne")
    return ParticipantFactory(municipality=municipality, consultant=kim, user=user, first_name="Sanne")


PLAN = {
    "end_goal_kind": "regular_work",
    "end_goal": "Werk in de groenvoorziening",
    "situation": "",
    "planned_start": dt.date(2026, 1, 5),
    "planned_end": dt.date(2026, 12, 31),
    "fallback_if_no_job": "Vrijwilligerswerk",
    "education_plan": "",
    "mentor": "",
}


@pytest.fixture
def draft(kim, person):
    trajectory = services.trajectory_create(actor=kim, participant=person)
    services.plan_save_draft(actor=kim, trajectory=trajectory, expected_version=trajectory.version, **PLAN)
    trajectory.refresh_from_db()
    return trajectory


@pytest.fixture
def active(kim, person, draft):
    """A signed plan in force, with an agreement of the participant a sanction can concern."""
    today = dt.date(2026, 1, 5)
    goal = services.goal_add(actor=kim, trajectory=draft, kind="health", description="Fit", measure="Meten", target_date=today)
    services.idea_add(actor=kim, trajectory=draft, idea="Buiten werken", supported=True, response="Ja")
    instrument = InstrumentFactory(municipality=person.municipality)
    services.instrument_add(actor=kim, trajectory=draft, instrument=instrument, start_date=today, end_date=today, serves_goal=goal)
    services.agreement_add(actor=kim, trajectory=draft, party="participant", description="Solliciteren", deadline=today)
    services.agreement_add(actor=kim, trajectory=draft, party="municipality", description="Opvang", deadline=today)
    draft.refresh_from_db()
    services.plan_agree(actor=kim, trajectory=draft, expected_version=draft.version)
    plan = draft.latest_plan()
    services.plan_sign(actor=kim, plan=plan, party="consultant", method="in_person", signed_on=today, signer_name="Kim")
    services.plan_sign(actor=kim, plan=plan, party="participant", method="paper", signed_on=today, signer_name="Sanne")
    draft.refresh_from_db()
    return draft


def _form(prefix, data):
    return {f"{prefix}-{key}": value for key, value in data.items()}


def _answered(response):
    """No 500 (the test client raises a view's exception; a handled one must not be 5xx either).
    The outcome is an event in Hypothesis's statistics (--hypothesis-show-statistics), to see
    that both writes and refusals were tried."""
    assert response.status_code < 500
    event("written" if response.status_code == 302 else "refused")
    return response


# --- the imports -------------------------------------------------------------------------------


def _csv(columns, rows, delimiter):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def caseload_row(n):
    return spoiled(
        {
            "client_number": f"K-{n}",
            "bsn": valid_bsn(7000 + n),
            "first_name": "Jörg",
            "name_prefix": "",
            "last_name": f"Müller{n}",
            "birth_date": "17-05-1985",
            "sex": "v",
            "street": "Dorpsstraat 1",
            "postal_code": "9201 AB",
            "city": "Drachten",
            "email": "",
            "phone": "",
            "benefit_type": "pw",
            "benefit_start": "2023-01-01",
            "benefit_amount": "1.250,50",
            "consultant": "kim",
            "ladder_rung": "2",
            "registered_on": "",
        },
        {
            "client_number": hostile_text,
            "bsn": hostile_text,
            "first_name": hostile_text,
            "name_prefix": hostile_text,
            "last_name": hostile_text,
            "birth_date": typed_date,
            "sex": hostile_text,
            "street": hostile_text,
            "postal_code": hostile_text,
            "city": hostile_text,
            "email": hostile_text,
            "phone": hostile_text,
            "benefit_type": hostile_text,
            "benefit_start": typed_date,
            "benefit_amount": hostile_text,
            "consultant": hostile_text,
            "ladder_rung": hostile_text,
            "registered_on": typed_date,
        },
    )


@pytest.mark.django_db
@EXAMPLES
@given(rows=st.tuples(caseload_row(1), caseload_row(2)), start=st.integers(0, 10_000))
def test_the_caseload_import_never_crashes_and_writes_a_file_whole_or_not_at_all(municipality, kim, rows, start):
    # Fresh client numbers and BSNs per example, so a good file can be written.
    rows = [
        {
            **row,
            "client_number": row["client_number"].replace("K-", f"K{start}-"),
            "bsn": row["bsn"].replace(valid_bsn(7000 + n), valid_bsn(10_000 + 2 * start + n)),
        }
        for n, row in enumerate(rows, start=1)
    ]
    before = (Participant.objects.count(), ConsultantAssignment.objects.count(), Benefit.objects.count())
    result = import_caseload(municipality=municipality, data=_csv(CASELOAD_COLUMNS, rows, ";").encode())
    after = (Participant.objects.count(), ConsultantAssignment.objects.count(), Benefit.objects.count())
    event("refused" if result.errors else "written")
    if result.errors:
        assert after == before
        assert all(error.line >= 1 and error.message for error in result.errors)
    else:
        assert after[0] == before[0] + result.created
        assert after[1] == before[1] + result.created


def history_row(n):
    return spoiled(
        {
            "participant_ref": f"OUD-{n}",
            "birth_year": "1980",
            "sex": "f",
            "months_on_benefit": "30",
            "ladder_rung": "2",
            "sol_group": "B1",
            "health_physical": "1",
            "debts": "0",
            "education_level": "vmbo",
            "instrument": "SOLL",
            "provider": "Oud RIB",
            "start_date": "2019-03-01",
            "end_date": "2019-09-01",
            "work_start_date": "",
            "work_type": "",
            "benefit_end_date": "",
            "monthly_benefit_cents": "130000",
            "cost_cents": "90000",
        },
        {
            "participant_ref": hostile_text,
            "birth_year": hostile_text,
            "sex": hostile_text,
            "months_on_benefit": hostile_text,
            "ladder_rung": hostile_text,
            "sol_group": hostile_text,
            "health_physical": hostile_text,
            "debts": hostile_text,
            "education_level": hostile_text,
            "instrument": hostile_text,
            "provider": hostile_text,
            "start_date": typed_date,
            "end_date": typed_date,
            "work_start_date": typed_date,
            "work_type": hostile_text,
            "benefit_end_date": typed_date,
            "monthly_benefit_cents": hostile_text,
            "cost_cents": hostile_text,
        },
    )


@pytest.mark.django_db
@EXAMPLES
@given(rows=st.tuples(history_row(1), history_row(2)), start=st.integers(0, 10_000))
def test_the_history_import_never_crashes_and_writes_a_file_whole_or_not_at_all(municipality, rows, start):
    Instrument.objects.get_or_create(
        municipality=municipality, code=f"SOLL{start}", defaults={"name": "Sollicitatietraining", "cluster": "courses"}
    )
    rows = [
        {column: row.get(column, "") for column in HISTORY_COLUMNS}
        | {
            "participant_ref": row["participant_ref"].replace("OUD-", f"OUD{start}-"),
            "instrument": row["instrument"].replace("SOLL", f"SOLL{start}"),
        }
        for row in rows
    ]
    counted = (Participant, Trajectory, ImportedTrajectory, Placement, Benefit)
    before = [model.objects.count() for model in counted]
    result = import_history(municipality=municipality, file=io.BytesIO(_csv(HISTORY_COLUMNS, rows, ",").encode()), source_name="oud.csv")
    after = [model.objects.count() for model in counted]
    event("refused" if result.errors else "written")
    if result.errors:
        assert after == before
    else:
        assert after[2] == before[2] + result.created
        assert after[1] == before[1] + result.new_trajectories


# --- the main forms, posted as a browser would -------------------------------------------------


@pytest.mark.django_db
@EXAMPLES
@given(
    data=spoiled(
        {
            "bsn": valid_bsn(9001),
            "reference": "K-9001",
            "first_name": "Noor",
            "name_prefix": "",
            "last_name": "Bakker",
            "birth_date": "1990-02-03",
            "street": "",
            "postal_code": "",
            "city": "",
            "email": "",
            "phone": "",
            "benefit_type": "",
            "benefit_start": "",
            "benefit_amount": "",
        },
        {
            "bsn": hostile_text,
            "reference": hostile_text,
            "first_name": hostile_text,
            "name_prefix": hostile_text,
            "last_name": hostile_text,
            "birth_date": typed_date,
            "street": hostile_text,
            "postal_code": hostile_text,
            "city": hostile_text,
            "email": hostile_text,
            "phone": hostile_text,
            "benefit_type": st.sampled_from(["pw", "none", "xx"]),
            "benefit_start": typed_date,
            "benefit_amount": hostile_text,
        },
    ),
    start=st.integers(0, 10_000),
)
def test_the_intake_form_never_500s_and_registers_everything_or_nothing(client, kim, data, start):
    client.force_login(kim)
    # A new person per example (unless the BSN or client number is the hostile field).
    data = {
        **data,
        "bsn": data["bsn"].replace(valid_bsn(9001), valid_bsn(20_000 + start)),
        "reference": data["reference"].replace("K-9001", f"K-{start}"),
    }
    before = (Participant.objects.count(), ConsultantAssignment.objects.count(), Benefit.objects.count())
    response = _answered(client.post(reverse("participants:intake"), {**data, "sex": "x", "consultant": kim.pk}))
    after = (Participant.objects.count(), ConsultantAssignment.objects.count(), Benefit.objects.count())
    if response.status_code == 302:
        assert after[:2] == (before[0] + 1, before[1] + 1)
    else:
        assert after == before


PLAN_TEXTS = ("end_goal", "situation", "fallback_if_no_job", "education_plan", "mentor")


@pytest.mark.django_db
@EXAMPLES
@given(
    texts=st.fixed_dictionaries({name: maybe(PLAN[name] or "x", hostile_text) for name in PLAN_TEXTS}),
    start=maybe("2026-01-05", typed_date),
    end=maybe("2026-12-31", typed_date),
)
def test_the_plan_form_never_500s_and_saves_all_its_fields_or_none(client, kim, draft, texts, start, end):
    client.force_login(kim)
    version = Trajectory.objects.get(pk=draft.pk).version
    plan = PlanVersion.objects.get(trajectory=draft)
    before = {name: getattr(plan, name) for name in (*PLAN_TEXTS, "planned_start", "planned_end")}
    data = {**texts, "end_goal_kind": "regular_work", "planned_start": start, "planned_end": end, "version": version}
    response = _answered(client.post(reverse("trajectories:action", args=[draft.pk, "plan"]), _form("plan", data)))
    plan.refresh_from_db()
    after = {name: getattr(plan, name) for name in before}
    if response.status_code == 302:
        assert Trajectory.objects.get(pk=draft.pk).version == version + 1
        assert after["mentor"] == texts["mentor"].strip()
    else:
        assert after == before and Trajectory.objects.get(pk=draft.pk).version == version


@pytest.mark.django_db
@EXAMPLES
@given(
    description=maybe("Op tijd beginnen", hostile_text),
    measure=maybe("Vier weken op tijd", hostile_text),
    target=maybe("2026-03-01", typed_date),
)
def test_the_goal_form_never_500s_and_adds_a_whole_goal_or_none(client, kim, draft, description, measure, target):
    client.force_login(kim)
    before = Goal.objects.count()
    data = {"kind": "daily_structure", "description": description, "measure": measure, "target_date": target}
    response = _answered(client.post(reverse("trajectories:action", args=[draft.pk, "goal"]), _form("goal", data)))
    assert Goal.objects.count() == before + (1 if response.status_code == 302 else 0)
    if response.status_code == 302:
        assert Goal.objects.latest("pk").measure == measure.strip()


@pytest.mark.django_db
@EXAMPLES
@given(
    kind=maybe("volunteer", hostile_text),
    start=maybe("2026-01-05", typed_date),
    end=maybe("", typed_date),
    hours=maybe("24", st.one_of(st.integers(-5, 70).map(str), hostile_text)),
)
def test_the_placement_form_never_500s_and_records_a_placement_with_its_checks_or_nothing(client, kim, person, kind, start, end, hours):
    client.force_login(kim)
    before = (Placement.objects.count(), PlacementFollowUp.objects.count())
    data = {"kind": kind, "start_date": start, "end_date": end, "hours_per_week": hours, "end_reason": "resigned" if end else ""}
    _answered(client.post(reverse("participants:dossier_section", args=[person.pk, "placements"]), _form("placements", data)))
    placements, checks = Placement.objects.count() - before[0], PlacementFollowUp.objects.count() - before[1]
    assert (placements, checks) in {(0, 0), (1, 0), (1, 5)}
    if placements:
        assert checks == (0 if Placement.objects.latest("pk").end_date else 5)


@pytest.mark.django_db
@EXAMPLES
@given(
    reason=maybe("Niet gekomen op de afspraak", hostile_text),
    hearing=maybe("2026-02-01", typed_date),
    percentage=maybe("100", st.one_of(st.integers(-5, 120).map(str), hostile_text)),
)
def test_the_sanction_form_never_500s_and_records_a_sanction_whole_or_not_at_all(client, kim, active, reason, hearing, percentage):
    client.force_login(kim)
    agreement = Agreement.objects.get(plan=active.plan_in_force(), party="participant")
    before = (Sanction.objects.count(), Agreement.objects.get(pk=agreement.pk).status)
    data = {
        "agreement": agreement.pk,
        "reason": reason,
        "initiated_by": "consultant",
        "percentage": percentage,
        "months": "1",
        "hearing_on": hearing,
    }
    response = _answered(client.post(reverse("trajectories:action", args=[active.pk, "sanction"]), _form("sanction", data)))
    if response.status_code == 302:
        assert Sanction.objects.count() == before[0] + 1
        assert Agreement.objects.get(pk=agreement.pk).status == "broken"
    else:
        assert (Sanction.objects.count(), Agreement.objects.get(pk=agreement.pk).status) == before


@pytest.mark.django_db
@EXAMPLES
@given(wish=maybe("Ik wil buiten werken", hostile_text), subject=maybe("Vraag", hostile_text), body=maybe("Mag ik bellen?", hostile_text))
def test_the_portal_say_forms_never_500_and_store_a_whole_message_or_none(client, person, wish, subject, body):
    client.force_login(person.user)
    before = (Wish.objects.count(), Message.objects.count())
    wished = _answered(client.post(reverse("portal:say_wish"), _form("wish", {"kind": "wish", "text": wish})))
    sent = _answered(client.post(reverse("portal:say_message"), _form("message", {"subject": subject, "body": body})))
    assert Wish.objects.count() == before[0] + (1 if wished.status_code == 302 else 0)
    assert Message.objects.count() == before[1] + (1 if sent.status_code == 302 else 0)


# --- the services, as the API calls them (JSON can carry lone surrogates) ----------------------


@pytest.mark.django_db
@EXAMPLES
@given(summary=api_text, occurred_on=hostile_date, note=api_text, assessed_on=hostile_date)
def test_the_dossier_services_refuse_with_a_validation_error_and_write_nothing(kim, person, summary, occurred_on, note, assessed_on):
    before = Contact.objects.count()
    try:
        dossier.contact_record(actor=kim, participant=person, occurred_on=occurred_on, channel="phone", summary=summary)
    except ValidationError:
        assert Contact.objects.count() == before
    else:
        assert Contact.objects.count() == before + 1
    before = person.domain_assessments.count()
    try:
        dossier.domain_assessment_add(actor=kim, participant=person, domain="work", score=3, note=note, assessed_on=assessed_on)
    except ValidationError:
        assert person.domain_assessments.count() == before


@pytest.mark.django_db
@EXAMPLES
@given(description=api_text, measure=api_text, target_date=hostile_date, mentor=api_text, planned_end=hostile_date)
def test_the_plan_services_refuse_with_a_validation_error_and_write_nothing(
    kim, draft, description, measure, target_date, mentor, planned_end
):
    before = Goal.objects.count()
    try:
        services.goal_add(actor=kim, trajectory=draft, kind="health", description=description, measure=measure, target_date=target_date)
    except ValidationError:
        assert Goal.objects.count() == before
    version = Trajectory.objects.get(pk=draft.pk).version
    plan_before = PlanVersion.objects.values().get(trajectory=draft)
    try:
        services.plan_save_draft(
            actor=kim, trajectory=draft, expected_version=version, **{**PLAN, "mentor": mentor, "planned_end": planned_end}
        )
    except ValidationError:
        assert PlanVersion.objects.values().get(trajectory=draft) == plan_before
