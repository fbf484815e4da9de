from django.urls import path, re_path

from maatpak.providers import views

app_name = "providers"

# One view per step of a referral. They share the URL name "referral_action" (reversed with the
# step's name, as the referral page does); each pattern accepts only its own step.
REFERRAL_STEPS = {
    "accept": views.referral_accept,
    "decline": views.referral_decline,
    "intake": views.referral_intake,
    "start": views.referral_start,
    "progress": views.referral_progress_report,
    "end": views.referral_end_report,
}

urlpatterns = [
    path("", views.portal, name="portal"),
    path("aanmelding/<int:pk>/", views.referral, name="referral"),
    *(re_path(rf"^aanmelding/(?P<pk>[0-9]+)/(?P<name>{step})/$", view, name="referral_action") for step, view in REFERRAL_STEPS.items()),
    path("rapportage/<str:kind>/<int:pk>/", views.report_detail, name="report_detail"),
    path("rapportage/<str:kind>/<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
]
