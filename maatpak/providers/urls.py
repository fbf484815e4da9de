from django.urls import path

from maatpak.providers import views

app_name = "providers"
urlpatterns = [
    path("", views.portal, name="portal"),
    path("aanmelding/<int:pk>/", views.referral, name="referral"),
    path("aanmelding/<int:pk>/<str:name>/", views.referral_action, name="referral_action"),
    path("rapportage/<str:kind>/<int:pk>/", views.report_detail, name="report_detail"),
    path("rapportage/<str:kind>/<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
]
