"""Requirement (issue 15, item 4): the client council's checklist, kept as data and answered
with the council report's figures — the seeds' questions for every municipality, a council's
own questions beside them, and never a hidden figure in an answer."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from maatpak.accounts.roles import Role
from maatpak.audit.models import AuditEvent
from maatpak.insights.checklist import (
    ChecklistAnswer,
    checklist_answers,
    checklist_question_create,
    checklist_question_update,
    questions_for,
)
from maatpak.insights.disclosure import EMPTY, HIDDEN, SHOWN, SMALL, Cell, ProtectedResult, ProtectedRow
from maatpak.insights.indicators import REGISTRY, Period, Theme, all_indicators, get_indicator
from maatpak.insights.models import ChecklistQuestion
from tests.factories import MunicipalityFactory, ProviderFactory, UserFactory

# The indicator codes of issue 15 by theme, as agreed while the indicator modules are written.
AGREED_CODES = {
    Theme.SERVICES: {
        "instruments_started_by_cluster",
        "people_reached_by_cluster",
        "employer_instruments_started",
        "bought_from_providers",
        "bought_for_groups",
    },
    Theme.SELECTION: {
        "offers_by_sol_group",
        "offers_by_ladder_rung",
        "offers_by_age_band",
        "offers_by_sex",
        "offers_by_months_on_benefit",
    },
    Theme.OUTCOMES: {
        "inflow",
        "outflow_by_reason",
        "return_to_benefit_12m",
        "work_durability",
        "ladder_movement",
        "goals_reached",
        "exemptions",
    },
    Theme.MADE_TO_MEASURE: {
        "plans_with_own_ideas",
        "plans_handed_over",
        "reports_handed_over",
        "closed_with_end_report",
        "repeat_with_reason",
        "reports_on_time",
        "consultant_changes",
        "caseload_per_consultant",
    },
    Theme.OBLIGATIONS: {"agreements_kept_by_party", "municipality_defaults", "sanctions", "sanctions_on_provider_word"},
    Theme.VOICES: {"anonymous_feedback", "survey_results"},
}
THEME_OF = {code: theme for theme, codes in AGREED_CODES.items() for code in codes}
EDITORS = (Role.COUNCIL_MEMBER, Role.POLICY_OFFICER)


def _standard():
    return list(ChecklistQuestion.objects.filter(municipality__isnull=True).order_by("position"))


@pytest.fixture
def member(municipality):
    return UserFactory(role=Role.COUNCIL_MEMBER, municipalities=[municipality], username="raadslid")


@pytest.fixture(autouse=True)
def _dutch():
    with translation.override("nl"):
        yield


# --- the standard questions ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_seeds_questions_are_there_for_every_municipality(municipality, other_municipality):
    questions = _standard()
    texts = [q.text for q in questions]
    # Seed 004's foreword, word for word where the brief quotes it.
    assert "Welke dienstverlening biedt de gemeente?" in texts
    assert "Wat is er ingekocht en voor wie, staat maatwerk werkelijk centraal?" in texts
    assert any("kwaliteitseisen" in t for t in texts) and any("werkzoekenden goed" in t for t in texts)
    assert any("toeleiding naar werk op maat" in t for t in texts)
    # Seed 000: its findings and all six recommendations, each saying where it comes from.
    assert sum("seed 004" in q.source for q in questions) >= 5
    assert sum("Bevindingen" in q.source and "seed 000" in q.source for q in questions) >= 5
    assert {n for n in range(1, 7) if any(q.source.startswith(f"Aanbeveling {n},") for q in questions)} == set(range(1, 7))
    # Each is answered by figures or says why it cannot be, never both, never neither.
    for question in questions:
        assert bool(question.indicator_codes) != bool(question.not_measurable_reason), question.text
    assert any(q.not_measurable_reason for q in questions)
    # Every municipality gets them, in their order.
    for m in (municipality, other_municipality):
        assert [q.pk for q in questions_for(municipality_id=m.pk)] == [q.pk for q in questions]


@pytest.mark.django_db
def test_every_code_in_the_standard_questions_is_an_indicator():
    used = {code for question in _standard() for code in question.indicator_codes}
    assert used <= set(THEME_OF), used - set(THEME_OF)
    # Self-enforcing: once a theme's module defines indicators, every code the checklist uses
    # from that theme must be registered (a renamed or dropped indicator fails here).
    all_indicators()
    written = {item.theme for item in REGISTRY.values()}
    missing = sorted(code for code in used if THEME_OF[code] in written and get_indicator(code) is None)
    assert missing == []


@pytest.mark.django_db
def test_quality_demands_point_to_the_reports_and_to_contract_monitoring():
    question = next(q for q in _standard() if "kwaliteitseisen" in q.text)
    assert set(question.indicator_codes) == {"reports_on_time", "closed_with_end_report", "reports_handed_over"}
    assert "contractmonitoring" in question.explanation


# --- the answers --------------------------------------------------------------------------------


def _cell(status, value=None, text=""):
    return Cell(status=status, value=value, text=text)


def _row(count, base=None, share=None):
    empty = _cell(EMPTY)
    return ProtectedRow(key="total", label="Totaal", count=count, base=base or empty, share=share or empty, amount=empty)


def _protected(code, period, count):
    return ProtectedResult(indicator=get_indicator(code), period=period, rows=[], total=_row(count))


@pytest.mark.django_db
def test_an_answer_puts_suppressed_figures_into_words_and_never_shows_them(municipality, member):
    period, previous = Period(2026, 2), Period(2026, 1)
    question = checklist_question_create(
        user=member,
        municipality_id=municipality.pk,
        text="Hoeveel mensen komen in en gaan uit de uitkering?",
        source="Eigen vraag cliëntenraad",
        indicator_codes=["inflow", "outflow_by_reason"],
    )
    protected = [
        # The true figures were 7 and 23; the council report publishes only the cells' texts.
        _protected("inflow", period, _cell(SMALL, None, "< 10")),
        _protected("outflow_by_reason", period, _cell(HIDDEN, None, "×")),
        # The previous period's figures must not leak into this period's answer.
        _protected("inflow", previous, _cell(SHOWN, 4321, "4321")),
    ]
    answers = checklist_answers(municipality_id=municipality.pk, protected=protected, period=period)
    own = next(a for a in answers if a.question == question.text)
    assert isinstance(own, ChecklistAnswer) and own.own and own.measurable
    assert own.source == "Eigen vraag cliëntenraad"
    assert own.indicators == protected[:2]
    assert len(own.sentences) == 2
    assert "minder dan 10" in own.sentences[0] and period.label in own.sentences[0]
    assert "een getal dat we niet tonen" in own.sentences[1]
    text = " ".join(own.sentences)
    assert "4321" not in text and "7" not in text.replace(period.label, "") and "×" not in text

    # Shown figures are the cells' texts; a figure missing from the report is a note.
    shown = [_protected("inflow", period, _cell(SHOWN, 42, "42"))]
    own = next(a for a in checklist_answers(municipality_id=municipality.pk, protected=shown, period=period) if a.own)
    assert "42" in own.sentences[0]
    assert own.indicators == shown
    assert "staat niet in dit rapport" in own.sentences[1]


@pytest.mark.django_db
def test_an_unmeasurable_question_gives_its_reason_and_inactive_questions_are_left_out(municipality, member):
    reason = "Dit staat in de contracten, niet in de gegevens over deelnemers."
    kept = checklist_question_create(
        user=member,
        municipality_id=municipality.pk,
        text="Wat staat er in de opdracht?",
        source="Eigen vraag",
        indicator_codes=[],
        not_measurable_reason=reason,
    )
    off = checklist_question_create(
        user=member, municipality_id=municipality.pk, text="Oude vraag", source="Eigen vraag", indicator_codes=["inflow"]
    )
    checklist_question_update(user=member, question=off, text=off.text, source=off.source, indicator_codes=["inflow"], active=False)
    answers = checklist_answers(municipality_id=municipality.pk, protected=[], period=Period(2026, 1))
    texts = [a.question for a in answers]
    assert kept.text in texts and off.text not in texts
    answer = next(a for a in answers if a.question == kept.text)
    assert not answer.measurable and answer.not_measurable_reason == reason and answer.sentences == []
    # Standard questions first, then the council's own.
    assert texts.index(kept.text) == len(texts) - 1


@pytest.mark.django_db
def test_another_municipalitys_own_questions_are_not_in_the_checklist(municipality, other_municipality, member):
    other = UserFactory(role=Role.COUNCIL_MEMBER, municipalities=[other_municipality])
    checklist_question_create(
        user=other, municipality_id=other_municipality.pk, text="Vraag van Middelburg", source="x", indicator_codes=["inflow"]
    )
    assert "Vraag van Middelburg" not in [q.text for q in questions_for(municipality_id=municipality.pk)]


# --- validation ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "codes, reason, field, message",
    [
        (["inflow", "does_not_exist"], "", "indicator_codes", "bestaan niet: does_not_exist"),
        ([], "", "not_measurable_reason", "Kies minstens één indicator"),
        ([], "   ", "not_measurable_reason", "Kies minstens één indicator"),
        (["inflow"], "Kan niet", "not_measurable_reason", "laat dit leeg"),
        ("inflow", "", "indicator_codes", "lijst"),
        ([1, 2], "", "indicator_codes", "lijst"),
    ],
)
def test_bad_codes_or_no_answer_are_refused_in_dutch(municipality, member, codes, reason, field, message):
    with pytest.raises(ValidationError) as caught:
        checklist_question_create(
            user=member,
            municipality_id=municipality.pk,
            text="Een vraag",
            source="Eigen vraag",
            indicator_codes=codes,
            not_measurable_reason=reason,
        )
    assert message in caught.value.message_dict[field][0]
    assert not ChecklistQuestion.objects.filter(municipality=municipality).exists()


@pytest.mark.django_db
def test_the_model_checks_the_same_rules(municipality):
    question = ChecklistQuestion(municipality=municipality, text="Vraag", source="Eigen vraag", indicator_codes=["nope"])
    with pytest.raises(ValidationError) as caught:
        question.full_clean()
    assert "bestaan niet" in caught.value.message_dict["indicator_codes"][0]


@pytest.mark.django_db
def test_hostile_text_is_refused(municipality, member):
    with pytest.raises(ValidationError) as caught:
        checklist_question_create(
            user=member, municipality_id=municipality.pk, text="Vraag\u202e", source="x" * 201, indicator_codes=["inflow"]
        )
    assert "leesrichting" in caught.value.message_dict["text"][0]
    assert "200" in caught.value.message_dict["source"][0]


@pytest.mark.django_db
def test_a_standard_question_cannot_be_changed_by_the_service(member):
    question = _standard()[0]
    with pytest.raises(ValidationError):
        checklist_question_update(user=member, question=question, text="Anders", source="x", indicator_codes=["inflow"])
    question.refresh_from_db()
    assert question.text == "Welke dienstverlening biedt de gemeente?"


# --- the screens --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_council_member_adds_edits_and_deactivates_a_question(client, municipality, member):
    client.force_login(member)
    page = client.get(reverse("insights:checklist_questions"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Welke dienstverlening biedt de gemeente?" in html and "Eigen vraag toevoegen" in html
    # Standard questions have no edit link.
    assert not any(reverse("insights:checklist_question_edit", args=[q.pk]) in html for q in _standard())

    form = client.get(reverse("insights:checklist_question_create"))
    assert form.status_code == 200
    # Checkboxes grouped by theme, with the indicator titles.
    body = form.content.decode()
    assert str(Theme.OUTCOMES.label) in body and str(get_indicator("inflow").title) in body
    response = client.post(
        reverse("insights:checklist_question_create"),
        {"text": "Hoeveel mensen stromen in?", "source": "Eigen vraag cliëntenraad", "indicator_codes": ["inflow"]},
    )
    assert response.status_code == 302
    question = ChecklistQuestion.objects.get(municipality=municipality)
    assert question.indicator_codes == ["inflow"] and question.created_by == member and question.active
    assert AuditEvent.objects.filter(actor=member, action="create", object_type="ChecklistQuestion", object_id=str(question.pk)).exists()
    assert (
        reverse("insights:checklist_question_edit", args=[question.pk])
        in client.get(reverse("insights:checklist_questions")).content.decode()
    )

    url = reverse("insights:checklist_question_edit", args=[question.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "text": "Hoeveel mensen stromen in en uit?",
            "source": "Eigen vraag",
            "indicator_codes": ["inflow", "outflow_by_reason"],
            "active": "on",
        },
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.text == "Hoeveel mensen stromen in en uit?" and question.indicator_codes == ["inflow", "outflow_by_reason"]

    # Deactivate: the box left unticked.
    response = client.post(url, {"text": question.text, "source": question.source, "indicator_codes": ["inflow"]})
    assert response.status_code == 302
    question.refresh_from_db()
    assert not question.active
    assert question not in questions_for(municipality_id=municipality.pk)
    updates = AuditEvent.objects.filter(actor=member, action="update", object_type="ChecklistQuestion", object_id=str(question.pk))
    assert updates.count() == 2 and "active" in updates.order_by("-pk").first().detail["changed"]


@pytest.mark.django_db
def test_the_form_refuses_bad_input_in_dutch_without_saving(client, municipality, member):
    client.force_login(member)
    url = reverse("insights:checklist_question_create")
    empty = client.post(url, {"text": "Een vraag", "source": "Eigen vraag"})
    assert empty.status_code == 400
    assert "Kies minstens één indicator" in empty.content.decode()
    bogus = client.post(url, {"text": "Een vraag", "source": "Eigen vraag", "indicator_codes": ["bestaat_niet"]})
    assert bogus.status_code == 400
    assert "geldige keuze" in bogus.content.decode()
    nothing = client.post(url, {})
    assert nothing.status_code == 400 and "Dit veld is vereist" in nothing.content.decode()
    assert not ChecklistQuestion.objects.filter(municipality=municipality).exists()


@pytest.mark.django_db
def test_another_municipalitys_question_and_standard_questions_are_not_found(client, municipality, other_municipality, member):
    other = UserFactory(role=Role.COUNCIL_MEMBER, municipalities=[other_municipality])
    foreign = checklist_question_create(
        user=other, municipality_id=other_municipality.pk, text="Vraag van Middelburg", source="x", indicator_codes=["inflow"]
    )
    client.force_login(member)
    missing = max(ChecklistQuestion.objects.values_list("pk", flat=True)) + 100
    for pk in (foreign.pk, _standard()[0].pk, missing):
        url = reverse("insights:checklist_question_edit", args=[pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"text": "Overgenomen", "source": "x", "indicator_codes": ["inflow"], "active": "on"}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.text == "Vraag van Middelburg"
    assert "Vraag van Middelburg" not in client.get(reverse("insights:checklist_questions")).content.decode()


@pytest.mark.django_db
def test_a_policy_officer_of_two_municipalities_chooses_one(client, municipality, other_municipality):
    officer = UserFactory(role=Role.POLICY_OFFICER, municipalities=[municipality, other_municipality])
    client.force_login(officer)
    url = reverse("insights:checklist_question_create")
    response = client.post(
        url, {"municipality": str(other_municipality.pk), "text": "Vraag", "source": "Eigen vraag", "indicator_codes": ["inflow"]}
    )
    assert response.status_code == 302
    assert ChecklistQuestion.objects.get(text="Vraag").municipality == other_municipality
    # A municipality the officer does not work for is not a choice.
    third = MunicipalityFactory(code="GM0999", name="Elders")
    response = client.post(url, {"municipality": str(third.pk), "text": "Vraag 2", "source": "x", "indicator_codes": ["inflow"]})
    assert response.status_code == 400 and not ChecklistQuestion.objects.filter(text="Vraag 2").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [role for role in Role if role not in EDITORS])
def test_other_roles_are_refused(client, municipality, member, role):
    question = checklist_question_create(user=member, municipality_id=municipality.pk, text="Vraag", source="x", indicator_codes=["inflow"])
    provider = ProviderFactory(municipality=municipality) if role == Role.PROVIDER_STAFF else None
    client.force_login(UserFactory(role=role, municipalities=[municipality], provider=provider))
    for url in (
        reverse("insights:checklist_questions"),
        reverse("insights:checklist_question_create"),
        reverse("insights:checklist_question_edit", args=[question.pk]),
    ):
        assert client.get(url).status_code == 403, url
    response = client.post(
        reverse("insights:checklist_question_edit", args=[question.pk]), {"text": "Anders", "source": "x", "indicator_codes": ["inflow"]}
    )
    assert response.status_code == 403
    question.refresh_from_db()
    assert question.text == "Vraag"


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("insights:checklist_questions"))
    assert response.status_code == 302 and "/login/" in response["Location"]
