"""The client council's checklist (checklist voor de cliëntenraad), answered with indicators.

Seed 004's councils ask for "een soort checklist" because "feiten zijn er weinig". Each question
(`ChecklistQuestion`: the seeds' standard questions plus a council's own) names the indicators
that answer it, or says why no figure can. The answer reads the council report's figures AFTER
suppression (`disclosure.ProtectedResult`), so a checklist sentence never shows more than the
tables beside it: a suppressed figure is put into words ("minder dan 10"), never its value.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils.translation import gettext as _

from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_record
from maatpak.core.text import check_texts
from maatpak.insights.disclosure import HIDDEN, SHOWN, SMALL, Cell, ProtectedResult
from maatpak.insights.indicators import get_indicator
from maatpak.insights.models import ChecklistQuestion

# The placeholders an indicator's sentence may use (see Indicator.sentence).
SENTENCE_FIELDS = ("count", "base", "share", "amount", "period")
# A council ticks a handful; more is a mistake or an attack on the form.
MAX_CODES = 40


# --- validation -------------------------------------------------------------------------------


def checklist_problems(*, indicator_codes, not_measurable_reason: str) -> dict[str, str]:
    """{field: Dutch message} for a question's answer: every code must be a registered
    indicator, and a question has indicators or a reason why none can answer it."""
    problems = {}
    if not isinstance(indicator_codes, list) or not all(isinstance(code, str) for code in indicator_codes):
        return {"indicator_codes": _("The indicators must be a list of codes.")}
    if len(indicator_codes) > MAX_CODES:
        problems["indicator_codes"] = _("Choose at most %(limit)s indicators.") % {"limit": MAX_CODES}
    unknown = [code for code in indicator_codes if get_indicator(code) is None]
    if unknown:
        problems["indicator_codes"] = _("These indicators do not exist: %(codes)s. Choose from the list.") % {
            "codes": ", ".join(code[:60] for code in unknown[:5])
        }
    if not indicator_codes and not (not_measurable_reason or "").strip():
        problems["not_measurable_reason"] = _(
            "Choose at least one indicator that answers the question, or write why no figure can answer it."
        )
    elif indicator_codes and (not_measurable_reason or "").strip():
        problems["not_measurable_reason"] = _(
            "A question with indicators is measurable: leave this empty. Write a note with the figures under explanation."
        )
    return problems


def _check(*, text: str, source: str, indicator_codes: list[str], not_measurable_reason: str, explanation: str) -> None:
    errors = {}
    if not text.strip():
        errors["text"] = _("Write the question.")
    if not source.strip():
        errors["source"] = _("Say where the question comes from.")
    try:
        check_texts(
            ChecklistQuestion,
            {"text": text, "source": source, "not_measurable_reason": not_measurable_reason, "explanation": explanation},
        )
    except ValidationError as exc:
        errors.update({key: messages[0] for key, messages in exc.message_dict.items()})
    for key, message in checklist_problems(indicator_codes=indicator_codes, not_measurable_reason=not_measurable_reason).items():
        errors.setdefault(key, message)
    if errors:
        raise ValidationError(errors)


def _unique(codes) -> list[str]:
    return list(dict.fromkeys(codes))


# --- services ---------------------------------------------------------------------------------


@transaction.atomic
def checklist_question_create(
    *,
    user,
    municipality_id: int,
    text: str,
    source: str,
    indicator_codes: list[str],
    not_measurable_reason: str = "",
    explanation: str = "",
) -> ChecklistQuestion:
    """A council's own question, placed after its other questions. The caller has checked that
    `user` may edit the checklist of `municipality_id`."""
    text, source = text.strip(), source.strip()
    not_measurable_reason, explanation = not_measurable_reason.strip(), explanation.strip()
    codes = _unique(indicator_codes) if isinstance(indicator_codes, list) else indicator_codes
    _check(text=text, source=source, indicator_codes=codes, not_measurable_reason=not_measurable_reason, explanation=explanation)
    last = ChecklistQuestion.objects.filter(municipality_id=municipality_id).aggregate(last=Max("position"))["last"]
    question = ChecklistQuestion.objects.create(
        municipality_id=municipality_id,
        text=text,
        source=source,
        indicator_codes=codes,
        not_measurable_reason=not_measurable_reason,
        explanation=explanation,
        position=(last or 0) + 1,
        created_by=user,
    )
    audit_record(actor=user, action=AuditAction.CREATE, obj=question, purpose="checklist question", detail={"codes": codes})
    return question


@transaction.atomic
def checklist_question_update(
    *,
    user,
    question: ChecklistQuestion,
    text: str,
    source: str,
    indicator_codes: list[str],
    not_measurable_reason: str = "",
    explanation: str = "",
    active: bool = True,
) -> ChecklistQuestion:
    """Change (or deactivate) a council's own question; the standard questions are the same for
    every municipality and are not changed here."""
    if question.is_standard:
        raise ValidationError(_("A standard question cannot be changed. Add your own question instead."))
    text, source = text.strip(), source.strip()
    not_measurable_reason, explanation = not_measurable_reason.strip(), explanation.strip()
    codes = _unique(indicator_codes) if isinstance(indicator_codes, list) else indicator_codes
    _check(text=text, source=source, indicator_codes=codes, not_measurable_reason=not_measurable_reason, explanation=explanation)
    changes = {
        "text": text,
        "source": source,
        "indicator_codes": codes,
        "not_measurable_reason": not_measurable_reason,
        "explanation": explanation,
        "active": bool(active),
    }
    changed = sorted(name for name, value in changes.items() if getattr(question, name) != value)
    for name, value in changes.items():
        setattr(question, name, value)
    question.save()
    audit_record(actor=user, action=AuditAction.UPDATE, obj=question, purpose="checklist question", detail={"changed": changed})
    return question


# --- selectors --------------------------------------------------------------------------------


def questions_for(*, municipality_id: int, include_inactive: bool = False):
    """The checklist of one municipality: the standard questions first, then its own, each in
    their order. Inactive questions only for the screen that edits them."""
    questions = ChecklistQuestion.objects.filter(Q(municipality__isnull=True) | Q(municipality_id=municipality_id))
    if not include_inactive:
        questions = questions.filter(active=True)
    return questions.order_by(F("municipality").asc(nulls_first=True), "position", "pk")


# --- answers ----------------------------------------------------------------------------------


@dataclass
class ChecklistAnswer:
    """One question with its answer for one period: a plain-Dutch sentence per indicator (or a
    note why a figure is missing), the protected results it read, or why no figure can answer."""

    question: str
    source: str
    sentences: list[str] = field(default_factory=list)
    indicators: list[ProtectedResult] = field(default_factory=list)
    not_measurable_reason: str = ""
    own: bool = False

    @property
    def measurable(self) -> bool:
        return not self.not_measurable_reason


def cell_words(cell: Cell) -> str:
    """A published figure in words: its text when shown; for a suppressed figure what the
    council may know about it, never the figure."""
    if cell.status == SHOWN:
        return cell.text
    if cell.status == SMALL:
        return _("fewer than %(threshold)s") % {"threshold": getattr(settings, "MAATPAK_COUNCIL_MIN_CELL", 10)}
    if cell.status == HIDDEN:
        return _("a figure we do not show")
    return _("unknown")  # EMPTY: the indicator has no such figure


def indicator_sentence(result: ProtectedResult) -> str:
    """The indicator's checklist sentence with the total row's figures as the council sees them."""
    total = result.total
    values = {
        "count": cell_words(total.count),
        "base": cell_words(total.base),
        "share": cell_words(total.share),
        "amount": cell_words(total.amount),
        "period": result.period.label,
    }
    template = str(result.indicator.sentence)
    # Only the named placeholders; a sentence asking for anything else is a definition error,
    # shown as a plain note rather than a broken page.
    names = {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name is not None}
    if not names <= set(SENTENCE_FIELDS):
        return _("The figure “%(title)s” cannot be put into words.") % {"title": result.indicator.title}
    return template.format(**values)


def checklist_answers(*, municipality_id: int, protected: list[ProtectedResult], period) -> list[ChecklistAnswer]:
    """The checklist of `municipality_id` answered with the council report's figures of
    `period` (`protected` holds both periods of the report; the other is left alone)."""
    by_code = {result.indicator.code: result for result in protected if result.period == period}
    answers = []
    for question in questions_for(municipality_id=municipality_id):
        answer = ChecklistAnswer(
            question=question.text,
            source=question.source,
            not_measurable_reason=question.not_measurable_reason,
            own=not question.is_standard,
        )
        for code in question.indicator_codes:
            definition = get_indicator(code)
            if definition is None:
                answer.sentences.append(_("One figure (%(code)s) no longer exists; it is left out.") % {"code": code})
            elif code not in by_code:
                answer.sentences.append(_("The figure “%(title)s” is not in this report.") % {"title": definition.title})
            else:
                answer.indicators.append(by_code[code])
                answer.sentences.append(indicator_sentence(by_code[code]))
        if question.explanation:
            answer.sentences.append(question.explanation)
        answers.append(answer)
    return answers
