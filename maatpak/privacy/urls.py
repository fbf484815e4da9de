from django.urls import path

from maatpak.privacy import access_views, views

app_name = "privacy"
urlpatterns = [
    path("", views.audit_log, name="audit_log"),
    path("doel-opgegeven/", views.break_glass_list, name="break_glass"),
    # The right of access (inzage) for a written request: find the participant, then download.
    path("inzageverzoek/", access_views.request_lookup, name="subject_access_lookup"),
    path("inzageverzoek/<int:pk>/", access_views.request_detail, name="subject_access_request"),
    path("inzageverzoek/<int:pk>/pdf/", access_views.request_download, {"fmt": "pdf"}, name="subject_access_pdf"),
    path("inzageverzoek/<int:pk>/json/", access_views.request_download, {"fmt": "json"}, name="subject_access_json"),
]
