from django.urls import path

from maatpak.employers import views

app_name = "employers"
urlpatterns = [
    path("", views.employer_index, name="list"),
    path("vacatures/<int:pk>/", views.vacancy_detail, name="vacancy"),
]
