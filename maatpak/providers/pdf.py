"""The participant's copy of a provider report as a PDF, in plain Dutch (B1).

Like the plan PDF (trajectories.pdf): text first as plain sections (tested on its own), then
laid out with fpdf2 and matplotlib's DejaVu font so é, ë and € print without any download.
The copy is always in Dutch: it is what the participant keeps.
"""

from django.http import HttpResponse

from maatpak.accounts.policy import is_provider_staff
from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_record
from maatpak.trajectories.models import Attendance, GoalProgressLevel, Outcome, ReportKind
from maatpak.trajectories.pdf import day_text, plain_label, sections_pdf_bytes
from maatpak.trajectories.policies import provider_visible_goal_progress

# Plain-language (B1) wording of the choices, keyed by the choices themselves so none is missed
# (tests check every choice has one); a choice without it prints its Dutch label.
ATTENDANCE = {
    Attendance.GOOD: "goed (90 % of meer)",
    Attendance.REASONABLE: "redelijk (70 tot 90 %)",
    Attendance.POOR: "slecht (minder dan 70 %)",
}
LEVEL = {GoalProgressLevel.NONE: "nog geen vooruitgang", GoalProgressLevel.SOME: "enige vooruitgang", GoalProgressLevel.REACHED: "bereikt"}
OUTCOME = {
    Outcome.REGULAR_WORK: "gewoon betaald werk",
    Outcome.SUBSIDISED_WORK: "werk met ondersteuning of subsidie",
    Outcome.EDUCATION: "een gewone opleiding",
    Outcome.SELF_EMPLOYMENT: "een eigen bedrijf",
    Outcome.SOCIAL_PARTICIPATION: "meedoen in de samenleving",
    Outcome.NONE: "(nog) geen resultaat",
}


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
    """(heading, paragraphs) in print order; `kind` is a ReportKind. With
    `hide_health_goals` (a copy printed by provider staff) health goals are left out, as
    everywhere the provider looks (trajectories.policies.HIDDEN_GOAL_KINDS)."""
    referral = report.referral
    participant = (referral.trajectory if referral else report.trajectory).participant
    provider = referral.provider.name if referral else "–"
    title = "Eindrapportage" if kind == ReportKind.END else "Voortgangsrapportage"
    sections = [
        (
            title,
            [
                f"Over: {participant.full_name} (klantnummer {participant.reference})",
                f"Geschreven door: {provider}, op {day_text(report.submitted_on)}",
            ],
        )
    ]
    if kind == ReportKind.END:
        sections += [
            ("Hoe is het gegaan?", [report.conclusion]),
            ("Resultaat", [plain_label(OUTCOME, report, "outcome").capitalize()]),
            ("Advies: wat nu?", [report.recommendation or "Geen advies gegeven."]),
        ]
    else:
        goal_progress = provider_visible_goal_progress(report) if hide_health_goals else list(report.goal_progress.all())
        sections += [
            ("Wat hebben we gedaan?", [report.activities]),
            ("Aanwezigheid", [plain_label(ATTENDANCE, report, "attendance").capitalize()]),
            (
                "Uw stappen (tussendoelen)",
                [f"{gp.goal.description}: {plain_label(LEVEL, gp, 'level')}" for gp in goal_progress] or ["Geen tussendoelen."],
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
    sections = report_pdf_sections(report, kind, hide_health_goals=hide_health_goals)
    return sections_pdf_bytes(sections, title=sections[0][0])


def report_pdf_response(*, report, kind: str, actor) -> HttpResponse:
    """The PDF as a download; audit-logged as an export of the dossier."""
    referral = report.referral
    participant = (referral.trajectory if referral else report.trajectory).participant
    audit_record(actor=actor, action=AuditAction.EXPORT, obj=report, participant_id=participant.pk, purpose=f"{kind} report copy (PDF)")
    hide = is_provider_staff(actor)
    response = HttpResponse(report_pdf_bytes(report, kind, hide_health_goals=hide), content_type="application/pdf")
    name = "eindrapportage" if kind == ReportKind.END else "voortgangsrapportage"
    response["Content-Disposition"] = f'attachment; filename="{name}-{participant.reference}-{report.submitted_on:%Y%m%d}.pdf"'
    return response
