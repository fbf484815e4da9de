from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    # One module per domain, each owned by its domain's developers.
    path("", include("maatpak.api.participants")),
    path("", include("maatpak.api.trajectories")),
    path("", include("maatpak.api.providers")),
    path("", include("maatpak.api.portal")),
]
