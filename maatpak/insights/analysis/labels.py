"""Plain names for the covariates, in one place: the balance table and the warnings use the
same words, so nobody reads “sol_far” on a page or in a report."""

from django.utils.translation import gettext_lazy as _

COVARIATE_LABELS = {
    "age": _("Age"),
    "sex_female": _("Woman"),
    "education_low": _("Low education (none or vmbo)"),
    "months_on_benefit": _("Months on benefit"),
    "ladder_rung": _("Ladder rung at start"),
    "sol_far": _("Sol group B (far from work)"),
    "health_physical": _("Physical health barrier"),
    "health_mental": _("Mental health barrier"),
    "debts": _("Debts"),
    "housing": _("Housing barrier"),
    "language": _("Language barrier"),
    "care_duties": _("Caring duties"),
}


def covariate_label(name: str) -> str:
    """The plain, translated name of a covariate; an unknown name is shown as it is."""
    return str(COVARIATE_LABELS.get(name, name))
