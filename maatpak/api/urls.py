"""The API's routes. Version 1 lives under /api/v1/ (NLGov API Design Rules: the major version
in the path); anything else under /api/ — the unversioned paths of before, a typo — is a 404
problem that names the versioned base path, never an HTML page."""

from django.http import JsonResponse
from django.urls import include, path, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from maatpak.core.errors import PROBLEM_CONTENT_TYPE, problem

BASE_PATH = "/api/v1/"


@csrf_exempt  # it changes nothing; a POST to a wrong address gets the same 404 problem as a GET
def not_found(request, *args, **kwargs):
    body = problem(
        status_code=404,
        detail=_("There is no API operation at this address. The API's base path is %(base)s.") % {"base": BASE_PATH},
        instance=request.path,
    )
    return JsonResponse(body, status=404, content_type=PROBLEM_CONTENT_TYPE)


version_1 = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    # No ReDoc: its page runs an inline script, which the Content-Security-Policy refuses.
    # One module per domain, each owned by its domain's developers.
    path("", include("maatpak.api.participants")),
    path("", include("maatpak.api.purpose")),
    path("", include("maatpak.api.trajectories")),
    path("", include("maatpak.api.providers")),
    path("", include("maatpak.api.portal")),
    re_path(r"", not_found),
]

app_name = "api"
urlpatterns = [
    path("v1/", include(version_1)),
    re_path(r"", not_found),
]
