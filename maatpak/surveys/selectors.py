from maatpak.core.tenancy import scope_to_user
from maatpak.surveys.models import Survey, SurveyResponse


def survey_list(*, user):
    return scope_to_user(Survey.objects.all(), user)


def survey_response_list(*, user):
    return scope_to_user(SurveyResponse.objects.all(), user)
