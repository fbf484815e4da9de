"""Requirement (issue 3.4): a PDF copy of the plan in plain Dutch with both sides' agreements."""

import pytest

from maatpak.trajectories.pdf import plan_pdf_bytes, plan_pdf_sections

pytestmark = pytest.mark.django_db


def test_sections_show_both_sides_agreements_equally(active_trajectory):
    sections = dict(plan_pdf_sections(active_trajectory.latest_plan()))
    assert sections["Wat u afspreekt"] == ["Ik solliciteer twee keer per maand – vóór 01-06-2026 (nog te doen)"]
    assert sections["Wat de gemeente afspreekt"] == ["De gemeente regelt kinderopvang – vóór 01-02-2026 (nog te doen)"]
    assert any("Sanne" in line for line in sections["Handtekeningen"])
    assert "Werk in de groenvoorziening" in sections["Uw doel"][0]


def test_pdf_is_a_real_pdf_with_unicode(active_trajectory):
    data = plan_pdf_bytes(active_trajectory.latest_plan())
    assert data.startswith(b"%PDF") and len(data) > 5000
    assert b"/FontFile2" in data  # the DejaVu font is embedded, so ë and € print


def test_the_copy_says_how_to_object_and_to_ask_for_another_consultant(active_trajectory):
    advice = " ".join(dict(plan_pdf_sections(active_trajectory.latest_plan()))["Goed om te weten"])
    assert "bezwaar maken" in advice and "andere klantmanager" in advice


def test_download_is_audited_as_an_export(client, km, active_trajectory):
    from django.urls import reverse

    from maatpak.audit.models import AuditEvent

    client.force_login(km)
    client.get(reverse("trajectories:pdf", args=[active_trajectory.pk, 1]))
    assert AuditEvent.objects.filter(actor=km, action="export", participant_id=active_trajectory.participant_id).count() == 1


def test_a_draft_version_says_it_is_a_concept(km, active_trajectory):
    from maatpak.trajectories import services

    assert not any("concept" in line for line in dict(plan_pdf_sections(active_trajectory.latest_plan()))["Uw trajectplan"])
    new = services.plan_revise(actor=km, trajectory=active_trajectory, reason="Tempo verlaagd", expected_version=active_trajectory.version)
    heading = dict(plan_pdf_sections(new))["Uw trajectplan"]
    assert "Waarom deze versie: Tempo verlaagd" in heading[2] and heading[3].startswith("Dit is een concept.")


def test_every_choice_has_its_plain_language_wording():
    """The PDF copies word the choices in plain Dutch (B1); the wording is keyed by the choices,
    so a choice added later without wording is caught here (it would print its Dutch label)."""
    from maatpak.providers.pdf import ATTENDANCE, LEVEL, OUTCOME
    from maatpak.trajectories.models import AgreementStatus, Attendance, GoalKind, GoalProgressLevel, Outcome
    from maatpak.trajectories.pdf import GOAL_LABELS, STATUS_LABELS

    for labels, choices in (
        (GOAL_LABELS, GoalKind),
        (STATUS_LABELS, AgreementStatus),
        (ATTENDANCE, Attendance),
        (LEVEL, GoalProgressLevel),
        (OUTCOME, Outcome),
    ):
        assert set(labels) == set(choices.values)
