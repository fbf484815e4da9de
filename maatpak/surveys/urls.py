from django.urls import path

from maatpak.surveys import views

app_name = "surveys"
urlpatterns = [path("anonieme-reacties/", views.council_feedback, name="council_feedback")]
