"""The participant's right of access in the portal (/portal/inzage/): "What does the municipality
know about me?" and its downloads."""

from django.urls import path

from maatpak.privacy import access_views

app_name = "subject_access"
urlpatterns = [
    path("", access_views.my_data, name="mine"),
    path("pdf/", access_views.my_data_download, {"fmt": "pdf"}, name="mine_pdf"),
    path("json/", access_views.my_data_download, {"fmt": "json"}, name="mine_json"),
]
