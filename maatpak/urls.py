from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from maatpak.home import home

urlpatterns = [
    path("", home, name="home"),
    path("", include("maatpak.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("audit/", include("maatpak.privacy.urls")),
    path("api/", include("maatpak.api.urls")),
    path("participants/", include("maatpak.casework.dossier_urls")),
    path("trajectories/", include("maatpak.casework.trajectory_urls")),
    path("providers/", include("maatpak.providers.urls")),
    path("employers/", include("maatpak.employers.urls")),
    path("surveys/", include("maatpak.surveys.urls")),
    path("insights/", include("maatpak.insights.urls")),
    path("portal/inzage/", include("maatpak.privacy.portal_urls")),
    path("portal/", include("maatpak.portal.urls")),
]

admin.site.site_header = "Maatpak"
admin.site.site_title = "Maatpak"
