"""The participant's copy of a provider report as a PDF, in plain Dutch (B1).

Like the plan PDF (trajectories.pdf): text first as plain sections (tested on its own), then
laid out with fpdf2 and matplotlib's DejaVu font so é, ë and € print without any download.
The copy is always in Dutch: it is what the participant keeps.
"""

from pathlib import Path

import matplotlib
from django.http import HttpResponse
from django.utils import timezone
from fpdf import FPDF

from maatpak.accounts.roles import Role
from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_record
from maatpak.providers.access import visible_goal_progress

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
ATTENDANCE = {"good": "goed (90 % of meer)", "reasonable": "redelijk (70 tot 90 %)", "poor": "slecht (minder dan 70 %)"}
LEVEL = {"none": "nog geen vooruitgang", "some": "enige vooruitgang", "reached": "bereikt"}
OUTCOME = {
    "regular_work": "gewoon betaald werk",
    "subsidised_work": "werk met ondersteuning of subsidie",
    "education": "een gewone opleiding",
    "self_employment": "een eigen bedrijf",
    "social_participation": "meedoen in de samenleving",
    "none": "(nog) geen resultaat",
}


def _d(day) -> str:
    return day.strftime("%d-%m-%Y") if day else "–"


def _rung_text(report, participant) -> str:
    """The proposed rung in words, named as in the ladder definition of the participant's
    latest ladder assessment (municipalities may use a variant); the number alone otherwise."""
    if report.proposed_rung is None:
        return "De aanbieder stelt geen trede voor."
    latest = participant.ladder_assessments.select_related("definition").order_by("-assessed_on", "-id").first()
    label = latest.definition.label(report.proposed_rung) if latest else str(report.proposed_rung)
    named = f" ({label})" if label != str(report.proposed_rung) else ""
    return f"Trede {report.proposed_rung} van 6{named}. Uw klantmanager beslist samen met u of dit klopt."


def report_pdf_sections(report, kind: str, *, hide_health_goals: bool = False) -> list[tuple[str, list[str]]]:
    """(heading, paragraphs) in print order; `kind` is "progress" or "end". With
    `hide_health_goals` (a copy printed by provider staff) health goals are left out, as
    everywhere the provider looks (providers.access.HIDDEN_GOAL_KINDS)."""
    referral = report.referral
    participant = (referral.trajectory if referral else report.trajectory).participant
    provider = referral.provider.name if referral else "–"
    title = "Eindrapportage" if kind == "end" else "Voortgangsrapportage"
    sections = [
        (
            title,
            [
                f"Over: {participant.full_name} (klantnummer {participant.reference})",
                f"Geschreven door: {provider}, op {_d(report.submitted_on)}",
            ],
        )
    ]
    if kind == "end":
        sections += [
            ("Hoe is het gegaan?", [report.conclusion]),
            ("Resultaat", [OUTCOME.get(report.outcome, report.outcome).capitalize()]),
            ("Advies: wat nu?", [report.recommendation or "Geen advies gegeven."]),
        ]
    else:
        goal_progress = visible_goal_progress(report) if hide_health_goals else list(report.goal_progress.all())
        sections += [
            ("Wat hebben we gedaan?", [report.activities]),
            ("Aanwezigheid", [ATTENDANCE.get(report.attendance, report.attendance).capitalize()]),
            (
                "Uw stappen (tussendoelen)",
                [f"{gp.goal.description}: {LEVEL.get(gp.level, gp.level)}" for gp in goal_progress] or ["Geen tussendoelen."],
            ),
            ("Voorgestelde trede op de participatieladder", [_rung_text(report, participant)]),
            ("Wat staat u nog in de weg?", [report.barriers or "Niets genoemd."]),
            ("Volgende stappen", [report.next_steps]),
            ("Uw eigen mening", [report.participant_view or "Niet opgeschreven."]),
            (
                "Heeft u deze rapportage gezien?",
                [
                    "Ja, volgens de aanbieder heeft u deze rapportage gezien."
                    if report.participant_saw_report
                    else "Volgens de aanbieder heeft u deze rapportage nog niet gezien."
                ],
            ),
        ]
    sections.append(
        (
            "Goed om te weten",
            [
                "Uw klantmanager heeft deze rapportage ook gekregen.",
                "Klopt er iets niet? Of bent u het er niet mee eens? Zeg het tegen uw klantmanager, of schrijf een reactie in Mijn Maatpak.",
            ],
        )
    )
    return sections


def report_pdf_bytes(report, kind: str, *, hide_health_goals: bool = False) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_lang("nl")
    pdf.add_page()
    for index, (heading, paragraphs) in enumerate(report_pdf_sections(report, kind, hide_health_goals=hide_health_goals)):
        if index == 0:
            pdf.set_title(heading)
        pdf.set_font("DejaVu", "B", 18 if index == 0 else 13)
        pdf.multi_cell(0, 9 if index == 0 else 7, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 11)
        for paragraph in paragraphs:
            pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.set_font("DejaVu", "", 8)
    pdf.multi_cell(0, 5, f"Gemaakt op {timezone.localdate().strftime('%d-%m-%Y')} met Maatpak.", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def report_pdf_response(*, report, kind: str, actor) -> HttpResponse:
    """The PDF as a download; audit-logged as an export of the dossier."""
    referral = report.referral
    participant = (referral.trajectory if referral else report.trajectory).participant
    audit_record(actor=actor, action=AuditAction.EXPORT, obj=report, participant_id=participant.pk, purpose=f"{kind} report copy (PDF)")
    hide = actor.role == Role.PROVIDER_STAFF
    response = HttpResponse(report_pdf_bytes(report, kind, hide_health_goals=hide), content_type="application/pdf")
    name = "eindrapportage" if kind == "end" else "voortgangsrapportage"
    response["Content-Disposition"] = f'attachment; filename="{name}-{participant.reference}-{report.submitted_on:%Y%m%d}.pdf"'
    return response
