"""The participant's copy of the plan as a PDF, in plain Dutch (B1).

The text is built first as plain sections (tested on its own), then laid out with fpdf2 using
the DejaVu font that ships with matplotlib, so é, ë and € print without downloading anything.
The copy is always in Dutch: it is the legal document the participant keeps.
"""

from pathlib import Path

import matplotlib
from django.http import HttpResponse
from django.utils import timezone, translation
from fpdf import FPDF

from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_record
from maatpak.trajectories.models import AgreementStatus, GoalKind, Party, SignatureParty

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
# Plain-language (B1) wording of the choices, keyed by the choices themselves so none is missed
# (tests check every choice has one); a choice without it prints its Dutch label.
GOAL_LABELS = {
    GoalKind.REGULAR_WORK: "Gewoon betaald werk",
    GoalKind.SUBSIDISED_WORK: "Werk met ondersteuning of subsidie",
    GoalKind.EDUCATION: "Een gewone opleiding",
    GoalKind.SELF_EMPLOYMENT: "Een eigen bedrijf",
    GoalKind.SOCIAL_PARTICIPATION: "Meedoen in de samenleving",
}
STATUS_LABELS = {
    AgreementStatus.OPEN: "nog te doen",
    AgreementStatus.KEPT: "gedaan",
    AgreementStatus.BROKEN: "niet nagekomen",
    AgreementStatus.CANCELLED: "vervallen",
}


def plain_label(labels: dict, obj, field: str) -> str:
    """The B1 wording of `obj.<field>`, else its Dutch choice label."""
    value = getattr(obj, field)
    if value in labels:
        return labels[value]
    with translation.override("nl"):
        return str(getattr(obj, f"get_{field}_display")())


def day_text(day) -> str:
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
                f"Versie {plan.number}, gemaakt op {day_text(plan.created_at)}"
                + (f". Waarom deze versie: {plan.change_reason}" if plan.change_reason else ""),
            ]
            + (
                ["Dit is een concept. Er is nog geen akkoord over deze versie; tot dan geldt wat u eerder hebt afgesproken."]
                if plan.is_draft
                else []
            ),
        ),
        (
            "Uw doel",
            [
                f"{plain_label(GOAL_LABELS, plan, 'end_goal_kind')}: {plan.end_goal}",
                f"Het plan loopt van {day_text(plan.planned_start)} tot {day_text(plan.planned_end)}.",
            ]
            + ([f"Als er geen baan komt: {plan.fallback_if_no_job}"] if plan.fallback_if_no_job else [])
            + ([f"Opleiding: {plan.education_plan}"] if plan.education_plan else [])
            + ([f"Uw maatje of mentor: {plan.mentor}"] if plan.mentor else []),
        ),
        (
            "Stappen op weg naar uw doel",
            [
                f"{g.description}. We weten dat het gelukt is als: {g.measure}. Uiterlijk {day_text(g.target_date)}."
                for g in plan.goals.all()
            ]
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
                + f" (van {day_text(p.start_date)} tot {day_text(p.end_date)})"
                for p in plan.instruments.all()
            ]
            or ["Nog niets gepland."],
        ),
        (
            "Wat u afspreekt",
            [
                f"{a.description} – vóór {day_text(a.deadline)} ({plain_label(STATUS_LABELS, a, 'status')})"
                for a in agreements
                if a.party == Party.PARTICIPANT
            ]
            or ["Geen afspraken."],
        ),
        (
            "Wat de gemeente afspreekt",
            [
                f"{a.description} – vóór {day_text(a.deadline)} ({plain_label(STATUS_LABELS, a, 'status')})"
                for a in agreements
                if a.party == Party.MUNICIPALITY
            ]
            or ["Geen afspraken."],
        ),
        (
            "Handtekeningen",
            [
                "Klantmanager: "
                + (
                    f"getekend door {signatures[SignatureParty.CONSULTANT].signer_name} op {day_text(signatures[SignatureParty.CONSULTANT].signed_on)}"
                    if SignatureParty.CONSULTANT in signatures
                    else "nog niet getekend"
                ),
                "U: "
                + (
                    f"getekend door {signatures[SignatureParty.PARTICIPANT].signer_name} op {day_text(signatures[SignatureParty.PARTICIPANT].signed_on)}"
                    if SignatureParty.PARTICIPANT in signatures
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


def sections_pdf_bytes(sections: list[tuple[str, list[str]]], *, title: str) -> bytes:
    """Lay out (heading, paragraphs) sections as an A4 PDF: the first heading as the title.
    Shared by the plan copy and the copies of provider reports (providers.pdf)."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_title(title)
    pdf.set_lang("nl")
    pdf.add_page()
    for index, (heading, paragraphs) in enumerate(sections):
        pdf.set_font("DejaVu", "B", 18 if index == 0 else 13)
        pdf.multi_cell(0, 9 if index == 0 else 7, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 11)
        for paragraph in paragraphs:
            pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.set_font("DejaVu", "", 8)
    pdf.multi_cell(0, 5, f"Gemaakt op {timezone.localdate().strftime('%d-%m-%Y')} met Maatpak.", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def plan_pdf_bytes(plan) -> bytes:
    return sections_pdf_bytes(plan_pdf_sections(plan), title=f"Trajectplan versie {plan.number}")


def plan_pdf_response(*, plan, actor) -> HttpResponse:
    """The PDF as a download; the download is audit-logged as an export of the dossier."""
    audit_record(actor=actor, action=AuditAction.EXPORT, obj=plan, participant_id=plan.trajectory.participant_id, purpose="plan copy (PDF)")
    response = HttpResponse(plan_pdf_bytes(plan), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="trajectplan-{plan.trajectory.participant.reference}-v{plan.number}.pdf"'
    return response
