"""Requirement (issue 2, DOMAIN §4): benefits and exemptions (ontheffing) can be recorded in the
dossier — a benefit with kind, start, amount in euros (stored in cents), end and end reason, and
ended later; an exemption with urgent reason, start and end date. Dutch validation, nothing
half-written, audit-logged, only within the consultant's own dossiers."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from maatpak.audit.models import AuditEvent
from maatpak.participants import services
from maatpak.participants.models import Benefit, Exemption
from tests.factories import BenefitFactory, ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(municipality, kim):
    return ParticipantFactory(municipality=municipality, consultant=kim)


def _errors(exc):
    return exc.value.message_dict


# -- services ---------------------------------------------------------------------------------


def test_record_a_benefit_in_cents_and_audit_it(person, kim):
    row = services.benefit_record(actor=kim, participant=person, type="pw", start_date=dt.date(2024, 3, 1), monthly_amount_cents=1_234_56)
    assert row.monthly_amount_cents == 1_234_56 and row.municipality_id == person.municipality_id and row.end_date is None
    assert AuditEvent.objects.filter(
        actor=kim, action="create", object_type="Benefit", object_id=str(row.pk), participant_id=person.pk
    ).exists()


@pytest.mark.parametrize(
    "kwargs, field, message",
    [
        ({"type": "xx"}, "type", "Kies de soort uitkering."),
        ({"start_date": dt.date(2099, 1, 1)}, "start_date", "De datum kan niet in de toekomst liggen."),
        ({"monthly_amount_cents": -1}, "monthly_amount", "Het bedrag kan niet negatief zijn."),
        ({"type": "none", "monthly_amount_cents": 100}, "monthly_amount", "Zonder uitkering is er geen bedrag. Laat het leeg."),
        ({"end_date": dt.date(2024, 1, 1)}, "end_date", "De einddatum kan niet vóór de startdatum liggen."),
        ({"end_date": dt.date(2024, 6, 1)}, "end_reason", "Geef de reden waarom de uitkering stopte."),
        ({"end_reason": "work"}, "end_date", "Vul ook de einddatum in, of laat de reden leeg."),
    ],
)
def test_a_benefit_with_wrong_values_is_refused_in_dutch(person, kim, kwargs, field, message):
    values = {"type": "pw", "start_date": dt.date(2024, 3, 1), "monthly_amount_cents": 1000_00} | kwargs
    with pytest.raises(ValidationError) as exc:
        services.benefit_record(actor=kim, participant=person, **values)
    assert message in _errors(exc)[field]
    assert not Benefit.objects.exists()


def test_benefits_do_not_overlap(person, kim):
    services.benefit_record(
        actor=kim, participant=person, type="pw", start_date=dt.date(2023, 1, 1), end_date=dt.date(2023, 12, 31), end_reason="work"
    )
    with pytest.raises(ValidationError) as exc:
        services.benefit_record(actor=kim, participant=person, type="ioaw", start_date=dt.date(2023, 6, 1))
    assert "overlapt met de uitkering van 01-01-2023" in _errors(exc)["start_date"][0]
    services.benefit_record(actor=kim, participant=person, type="pw", start_date=dt.date(2024, 1, 1))
    assert person.benefits.count() == 2


def test_end_a_benefit_with_reason_once(person, kim):
    benefit = BenefitFactory(participant=person, start_date=dt.date(2023, 1, 1))
    with pytest.raises(ValidationError) as exc:
        services.benefit_end(actor=kim, participant=person, benefit_id=benefit.pk, end_date=dt.date(2025, 5, 1), end_reason="")
    assert "Geef de reden waarom de uitkering stopte." in _errors(exc)["end_reason"]
    with pytest.raises(ValidationError):
        services.benefit_end(actor=kim, participant=person, benefit_id=benefit.pk, end_date=dt.date(2022, 5, 1), end_reason="work")
    services.benefit_end(actor=kim, participant=person, benefit_id=benefit.pk, end_date=dt.date(2025, 5, 1), end_reason="work")
    benefit.refresh_from_db()
    assert (benefit.end_date, benefit.end_reason) == (dt.date(2025, 5, 1), "work")
    assert AuditEvent.objects.filter(action="update", object_type="Benefit", object_id=str(benefit.pk)).exists()
    # Ending it again (someone else already did) is refused and keeps the first end.
    with pytest.raises(ValidationError) as exc:
        services.benefit_end(actor=kim, participant=person, benefit_id=benefit.pk, end_date=dt.date(2025, 6, 1), end_reason="education")
    assert "al beëindigd op 01-05-2025" in exc.value.messages[0]
    benefit.refresh_from_db()
    assert benefit.end_reason == "work"


def test_a_benefit_ended_because_the_person_moved_ends_their_follow_up(person, kim):
    """Moving away (reden: verhuisd) is written by the person who ends the benefit: the analyses
    then censor this person at that date instead of counting "no work" ever after."""
    work = BenefitFactory(participant=person, start_date=dt.date(2022, 1, 1))
    services.benefit_end(actor=kim, participant=person, benefit_id=work.pk, end_date=dt.date(2022, 6, 1), end_reason="work")
    person.refresh_from_db()
    assert person.moved_away_on is None
    benefit = BenefitFactory(participant=person, start_date=dt.date(2023, 1, 1))
    services.benefit_end(actor=kim, participant=person, benefit_id=benefit.pk, end_date=dt.date(2025, 5, 1), end_reason="moved")
    person.refresh_from_db()
    assert person.moved_away_on == dt.date(2025, 5, 1)


def test_record_an_exemption_with_reason_and_end_date(person, kim):
    row = services.exemption_record(
        actor=kim, participant=person, reason="  Mantelzorg voor moeder. ", start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 6, 30)
    )
    assert row.reason == "Mantelzorg voor moeder." and row.decided_by == kim
    assert AuditEvent.objects.filter(action="create", object_type="Exemption", participant_id=person.pk).exists()


@pytest.mark.parametrize(
    "kwargs, field, message",
    [
        ({"reason": "  "}, "reason", "Geef de dringende reden voor de ontheffing."),
        ({"end_date": None}, "end_date", "Vul de einddatum in: een ontheffing is altijd tijdelijk."),
        ({"end_date": dt.date(2025, 12, 1)}, "end_date", "De einddatum kan niet vóór de startdatum liggen."),
        (
            {"start_date": dt.date(2026, 3, 1), "end_date": dt.date(2026, 9, 1)},
            "start_date",
            "Deze periode overlapt met de ontheffing van 01-02-2026 tot 31-03-2026.",
        ),
    ],
)
def test_an_exemption_with_wrong_values_is_refused_in_dutch(person, kim, kwargs, field, message):
    Exemption.objects.create(
        municipality=person.municipality,
        participant=person,
        reason="Zorg",
        start_date=dt.date(2026, 2, 1),
        end_date=dt.date(2026, 3, 31),
        decided_by=kim,
    )
    values = {"reason": "Mantelzorg", "start_date": dt.date(2026, 1, 1), "end_date": dt.date(2026, 1, 31)} | kwargs
    with pytest.raises(ValidationError) as exc:
        services.exemption_record(actor=kim, participant=person, **values)
    assert message in _errors(exc)[field]
    assert person.exemptions.count() == 1


def test_only_staff_with_the_dossier_may_record(municipality, other_municipality, person):
    outsider = UserFactory(role="consultant", municipalities=[municipality])
    elsewhere = UserFactory(role="consultant", municipalities=[other_municipality])
    analyst = UserFactory(role="analyst", municipalities=[municipality])
    for actor in (outsider, elsewhere, analyst):
        with pytest.raises(PermissionDenied):
            services.benefit_record(actor=actor, participant=person, type="pw", start_date=dt.date(2024, 1, 1))
        with pytest.raises(PermissionDenied):
            services.exemption_record(
                actor=actor, participant=person, reason="x", start_date=dt.date(2024, 1, 1), end_date=dt.date(2024, 2, 1)
            )
    assert not Benefit.objects.exists() and not Exemption.objects.exists()


# -- views ------------------------------------------------------------------------------------


def _post(client, person, section, data, htmx=True):
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(
        reverse("participants:dossier_section", args=[person.pk, section]), {f"{section}-{k}": v for k, v in data.items()}, **extra
    )


def test_record_a_benefit_in_euros_through_the_dossier_form(client, person, kim):
    client.force_login(kim)
    response = _post(client, person, "benefit", {"type": "pw", "start_date": "2024-03-01", "monthly_amount": "1.234,56"})
    assert response.status_code == 200
    content = response.content.decode()
    assert '<section id="benefit"' in content and "<html" not in content and "Opgeslagen." in content
    assert person.benefits.get().monthly_amount_cents == 1_234_56
    # The running benefit can now be ended from the same section.
    assert "Uitkering beëindigen" in content


def test_a_refused_benefit_form_shows_dutch_errors_and_saves_nothing(client, person, kim):
    client.force_login(kim)
    response = _post(
        client, person, "benefit", {"type": "pw", "start_date": "2024-03-01", "end_date": "2024-01-01", "end_reason": ""}, htmx=False
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "De einddatum kan niet vóór de startdatum liggen." in content and "Geef de reden waarom de uitkering stopte." in content
    assert not person.benefits.exists()


def test_end_the_benefit_through_the_dossier_form(client, person, kim):
    benefit = BenefitFactory(participant=person, start_date=dt.date(2023, 1, 1))
    client.force_login(kim)
    page = client.get(reverse("participants:dossier", args=[person.pk]))
    assert page.context["forms"]["benefit_end"]["benefit"].value() == benefit.pk
    response = _post(client, person, "benefit_end", {"benefit": benefit.pk, "end_date": "2025-05-01", "end_reason": "work"}, htmx=False)
    assert response.status_code == 302 and response["Location"].endswith("#benefit")
    benefit.refresh_from_db()
    assert benefit.end_date == dt.date(2025, 5, 1) and benefit.end_reason == "work"
    content = client.get(response["Location"]).content.decode()
    assert "beëindigd 01-05-2025 (Werk)" in content


def test_record_an_exemption_through_the_dossier_form(client, person, kim):
    client.force_login(kim)
    response = _post(
        client, person, "exemptions", {"reason": "Mantelzorg voor een ernstig ziek kind.", "start_date": "2026-01-01", "end_date": ""}
    )
    assert "Vul de einddatum in: een ontheffing is altijd tijdelijk." in response.content.decode()
    assert not person.exemptions.exists()
    response = _post(
        client,
        person,
        "exemptions",
        {"reason": "Mantelzorg voor een ernstig ziek kind.", "start_date": "2026-01-01", "end_date": "2026-06-30"},
    )
    assert '<section id="exemptions"' in response.content.decode() and "Mantelzorg voor een ernstig ziek kind." in response.content.decode()
    assert person.exemptions.get().end_date == dt.date(2026, 6, 30)


def test_another_teams_consultant_gets_404_on_the_forms(client, municipality, person):
    client.force_login(UserFactory(role="consultant", municipalities=[municipality]))
    assert _post(client, person, "benefit", {"type": "pw", "start_date": "2024-03-01"}).status_code == 404
    assert _post(client, person, "exemptions", {"reason": "x", "start_date": "2026-01-01", "end_date": "2026-02-01"}).status_code == 404
    assert not person.benefits.exists() and not person.exemptions.exists()


@pytest.mark.parametrize("typed, cents", [("1.234,56", 1_234_56), ("1234,5", 1_234_50), ("€ 1234.56", 1_234_56), ("980", 980_00), ("", 0)])
def test_amounts_are_read_as_people_type_them(typed, cents):
    from maatpak.casework.dossier_forms import BenefitForm, euros_to_cents

    form = BenefitForm(data={"type": "pw", "start_date": "2024-03-01", "monthly_amount": typed})
    assert form.is_valid(), form.errors
    assert euros_to_cents(form.cleaned_data["monthly_amount"]) == cents


def test_a_negative_amount_is_refused_through_the_form(client, person, kim):
    client.force_login(kim)
    response = _post(client, person, "benefit", {"type": "pw", "start_date": "2024-03-01", "monthly_amount": "-5"})
    assert "Het bedrag kan niet negatief zijn." in response.content.decode()
    assert not person.benefits.exists()


def test_ending_a_benefit_someone_else_already_ended_shows_why_nothing_changed(client, person, kim):
    benefit = BenefitFactory(participant=person, start_date=dt.date(2023, 1, 1), end_date=dt.date(2025, 4, 1), end_reason="education")
    client.force_login(kim)
    response = _post(client, person, "benefit_end", {"benefit": benefit.pk, "end_date": "2025-05-01", "end_reason": "work"})
    assert response.status_code == 200 and '<section id="benefit"' in response.content.decode()
    assert "Deze uitkering is al beëindigd op 01-04-2025. Laad de pagina opnieuw." in response.content.decode()
    benefit.refresh_from_db()
    assert benefit.end_reason == "education"
