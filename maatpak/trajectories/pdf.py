"""The participant's copy of the plan as a PDF, in plain Dutch (B1).

The text is built first as plain sections (tested on its own), then laid out with fpdf2 using
the DejaVu font that ships with matplotlib, so é, ë and € print without downloading anything.
The copy is always in Dutch: it is the legal document the participant keeps.
"""

from pathlib import Path

import matplotlib
from django.http import HttpResponse
from django.utils import timezone
from fpdf import FPDF

from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_record
from maatpak.trajectories.services import plan_is_draft

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
GOAL_LABELS = {
    "regular_work": "Gewoon betaald werk",
    "subsidised_work": "Werk met ondersteuning of subsidie",
    "education": "Een gewone opleiding",
    "self_employment": "Een eigen bedrijf",
    "social_participation": "Meedoen in de samenleving",
}
STATUS_LABELS = {"open": "nog te doen", "kept": "gedaan", "broken": "niet nagekomen", "cancelled": "vervallen"}


def _d(day) -> str:
    return day.strftime("%d-%m-%Y") if day else "–"


def plan_pdf_sections(plan) -> list[tuple[str, list[str]]]:
    """(heading, paragraphs) in the order they are printed."""
    trajectory = plan.trajectory
    participant = trajectory.participant
    consultant = trajectory.consultant
    agreements = list(plan.agreements.all())
    signatures = {s.party: s for s in plan.signatures.all()}
    sections = [
        (
            "Uw trajectplan",
            [
                f"Voor: {participant.full_name} (klantnummer {participant.reference})",
                f"Uw klantmanager: {consultant.get_full_name() if consultant else '–'}",
                f"Versie {plan.number}, gemaakt op {_d(plan.created_at)}"
                + (f". Waarom deze versie: {plan.change_reason}" if plan.change_reason else ""),
            ]
            + (
                ["Dit is een concept. Er is nog geen akkoord over deze versie; tot dan geldt wat u eerder hebt afgesproken."]
                if plan_is_draft(plan, trajectory)
                else []
            ),
        ),
        (
            "Uw doel",
            [
                f"{GOAL_LABELS.get(plan.end_goal_kind, plan.end_goal_kind)}: {plan.end_goal}",
                f"Het plan loopt van {_d(plan.planned_start)} tot {_d(plan.planned_end)}.",
            ]
            + ([f"Als er geen baan komt: {plan.fallback_if_no_job}"] if plan.fallback_if_no_job else [])
            + ([f"Opleiding: {plan.education_plan}"] if plan.education_plan else [])
            + ([f"Uw maatje of mentor: {plan.mentor}"] if plan.mentor else []),
        ),
        (
            "Stappen op weg naar uw doel",
            [f"{g.description}. We weten dat het gelukt is als: {g.measure}. Uiterlijk {_d(g.target_date)}." for g in plan.goals.all()]
            or ["Nog geen stappen."],
        ),
        (
            "Uw eigen ideeën",
            [f"“{i.idea}” – " + ("Zo helpen we: " if i.supported else "Waarom nu niet: ") + i.response for i in plan.ideas.all()]
            or ["U heeft (nog) geen eigen ideeën laten opschrijven."],
        ),
        (
            "Wat u helpt",
            [
                f"{p.instrument.name}"
                + (f", bij {p.provider.name}" if p.provider else "")
                + f" (van {_d(p.start_date)} tot {_d(p.end_date)})"
                for p in plan.instruments.all()
            ]
            or ["Nog niets gepland."],
        ),
        (
            "Wat u afspreekt",
            [
                f"{a.description} – vóór {_d(a.deadline)} ({STATUS_LABELS.get(a.status, a.status)})"
                for a in agreements
                if a.party == "participant"
            ]
            or ["Geen afspraken."],
        ),
        (
            "Wat de gemeente afspreekt",
            [
                f"{a.description} – vóór {_d(a.deadline)} ({STATUS_LABELS.get(a.status, a.status)})"
                for a in agreements
                if a.party == "municipality"
            ]
            or ["Geen afspraken."],
        ),
        (
            "Handtekeningen",
            [
                "Klantmanager: "
                + (
                    f"getekend door {signatures['consultant'].signer_name} op {_d(signatures['consultant'].signed_on)}"
                    if "consultant" in signatures
                    else "nog niet getekend"
                ),
                "U: "
                + (
                    f"getekend door {signatures['participant'].signer_name} op {_d(signatures['participant'].signed_on)}"
                    if "participant" in signatures
                    else "nog niet getekend"
                ),
            ],
        ),
        (
            "Goed om te weten",
            [
                "Dit plan is een afspraak tussen u en de gemeente. Ook de gemeente moet zich aan haar afspraken houden.",
                "Bent u het ergens niet mee eens? Zeg het tegen uw klantmanager. U mag ook om een andere klantmanager vragen; u hoeft niet te zeggen waarom.",
                "Neemt de gemeente een besluit over u, bijvoorbeeld een maatregel op uw uitkering? Dan kunt u binnen 6 weken bezwaar maken. In de brief met het besluit staat hoe dat gaat.",
                "U kunt uw plan en alle rapportages over u altijd zien in Mijn Maatpak.",
            ],
        ),
    ]
    return sections


def plan_pdf_bytes(plan) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_title(f"Trajectplan versie {plan.number}")
    pdf.set_lang("nl")
    pdf.add_page()
    for index, (heading, paragraphs) in enumerate(plan_pdf_sections(plan)):
        pdf.set_font("DejaVu", "B", 18 if index == 0 else 13)
        pdf.multi_cell(0, 9 if index == 0 else 7, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 11)
        for paragraph in paragraphs:
            pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.set_font("DejaVu", "", 8)
    pdf.multi_cell(0, 5, f"Gemaakt op {timezone.localdate().strftime('%d-%m-%Y')} met Maatpak.", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def plan_pdf_response(*, plan, actor) -> HttpResponse:
    """The PDF as a download; the download is audit-logged as an export of the dossier."""
    audit_record(actor=actor, action=AuditAction.EXPORT, obj=plan, participant_id=plan.trajectory.participant_id, purpose="plan copy (PDF)")
    response = HttpResponse(plan_pdf_bytes(plan), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="trajectplan-{plan.trajectory.participant.reference}-v{plan.number}.pdf"'
    return response
