"""The checklist's questions (checklistvragen) for the client council and the policy officer.

The standard questions (from the seeds) are read-only here; a council adds, changes and
deactivates its own. The questions hold no personal data; the answers are on the council report.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maatpak.accounts.models import Municipality
from maatpak.accounts.policy import AGGREGATES, require
from maatpak.core.errors import add_service_errors
from maatpak.core.tenancy import municipality_ids_for
from maatpak.core.text import CheckedForm, max_length
from maatpak.insights.checklist import checklist_question_create, checklist_question_update
from maatpak.insights.indicators import Theme, all_indicators, get_indicator
from maatpak.insights.models import ChecklistQuestion

ACTION = "edit_checklist"


class ChecklistQuestionForm(CheckedForm):
    municipality = forms.TypedChoiceField(label=gettext_lazy("Municipality"), coerce=int)
    text = forms.CharField(
        label=gettext_lazy("Question"), widget=forms.Textarea(attrs={"rows": 3}), max_length=max_length(ChecklistQuestion, "text")
    )
    source = forms.CharField(
        label=gettext_lazy("Source"),
        max_length=max_length(ChecklistQuestion, "source"),
        help_text=gettext_lazy("Where the question comes from, e.g. a meeting or a report."),
    )
    indicator_codes = forms.MultipleChoiceField(
        label=gettext_lazy("Indicators that answer the question"), required=False, widget=forms.CheckboxSelectMultiple
    )
    not_measurable_reason = forms.CharField(
        label=gettext_lazy("Not measurable: why no figure answers the question"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=max_length(ChecklistQuestion, "not_measurable_reason"),
        help_text=gettext_lazy("Only when you choose no indicator."),
    )
    explanation = forms.CharField(
        label=gettext_lazy("Explanation with the figures (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=max_length(ChecklistQuestion, "explanation"),
    )
    active = forms.BooleanField(label=gettext_lazy("Active: the question is on the council report"), required=False, initial=True)

    def __init__(self, *args, municipalities, editing: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator_codes"].choices = [(item.code, item.title) for item in all_indicators()]
        self.fields["municipality"].choices = [(m.pk, m.name) for m in municipalities]
        if editing or len(municipalities) == 1:
            # Nothing to choose: a question stays with its municipality.
            del self.fields["municipality"]
        if not editing:
            del self.fields["active"]

    def indicator_groups(self):
        """The indicator checkboxes per theme, in the order of the dashboard."""
        themes = {item.code: item.theme for item in all_indicators()}
        groups = {value: [] for value in Theme.values}
        for box in self["indicator_codes"]:
            groups[themes[box.data["value"]]].append(box)
        return [(Theme(value).label, boxes) for value, boxes in groups.items() if boxes]


def _municipalities(user):
    return list(Municipality.objects.filter(pk__in=municipality_ids_for(user)).order_by("name"))


def _own_question(user, pk: int) -> ChecklistQuestion:
    """A question of one of the user's municipalities; the same 404 for a standard question,
    another municipality's and one that does not exist."""
    try:
        return ChecklistQuestion.objects.get(pk=pk, municipality_id__in=municipality_ids_for(user))
    except ChecklistQuestion.DoesNotExist:
        raise Http404 from None


def _titles(codes) -> list[str]:
    titles = []
    for code in codes:
        item = get_indicator(code)
        titles.append(str(item.title) if item else _("unknown indicator %(code)s") % {"code": code})
    return titles


@login_required
def question_list(request):
    require(request.user, AGGREGATES, ACTION)
    municipalities = _municipalities(request.user)
    names = {m.pk: m.name for m in municipalities}
    standard = ChecklistQuestion.objects.filter(municipality__isnull=True, active=True).order_by("position", "pk")
    own = ChecklistQuestion.objects.filter(municipality_id__in=names).order_by("municipality__name", "position", "pk")
    return render(
        request,
        "insights/checklist_questions.html",
        {
            "standard": [(question, _titles(question.indicator_codes)) for question in standard],
            "own": [(question, _titles(question.indicator_codes), names[question.municipality_id]) for question in own],
            "several_municipalities": len(municipalities) > 1,
        },
    )


def _service_arguments(data) -> dict:
    return {
        "text": data["text"],
        "source": data["source"],
        "indicator_codes": list(data["indicator_codes"]),
        "not_measurable_reason": data["not_measurable_reason"],
        "explanation": data["explanation"],
    }


@login_required
def question_create(request):
    require(request.user, AGGREGATES, ACTION)
    municipalities = _municipalities(request.user)
    if not municipalities:
        raise Http404
    initial = {"source": _("Own question of the client council")}
    form = ChecklistQuestionForm(
        request.POST if request.method == "POST" else None, initial=initial, municipalities=municipalities, editing=False
    )
    if request.method == "POST" and form.is_valid():
        municipality_id = form.cleaned_data.get("municipality", municipalities[0].pk)
        try:
            checklist_question_create(user=request.user, municipality_id=municipality_id, **_service_arguments(form.cleaned_data))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your question has been added to the checklist."))
            return redirect("insights:checklist_questions")
    return render(
        request,
        "insights/checklist_question_form.html",
        {"form": form, "question": None},
        status=400 if form.errors else 200,
    )


@login_required
def question_edit(request, pk):
    require(request.user, AGGREGATES, ACTION)
    question = _own_question(request.user, pk)
    initial = {
        "text": question.text,
        "source": question.source,
        "indicator_codes": question.indicator_codes,
        "not_measurable_reason": question.not_measurable_reason,
        "explanation": question.explanation,
        "active": question.active,
    }
    form = ChecklistQuestionForm(
        request.POST if request.method == "POST" else None, initial=initial, municipalities=_municipalities(request.user), editing=True
    )
    if request.method == "POST" and form.is_valid():
        try:
            checklist_question_update(
                user=request.user, question=question, active=form.cleaned_data["active"], **_service_arguments(form.cleaned_data)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The question has been saved."))
            return redirect("insights:checklist_questions")
    return render(
        request,
        "insights/checklist_question_form.html",
        {"form": form, "question": question},
        status=400 if form.errors else 200,
    )
