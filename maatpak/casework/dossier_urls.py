from django.urls import path

from maatpak.casework import break_glass, intake_views, work_views
from maatpak.casework import dossier_views as views

app_name = "participants"
urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("team/", views.team, name="team"),
    path("aanmelden/", intake_views.intake, name="intake"),
    path("werk/", work_views.work_list, name="work"),
    path("<int:pk>/", views.dossier, name="dossier"),
    # Before the sections' pattern: "doel" is not a section.
    path("<int:pk>/doel/", break_glass.purpose, name="purpose"),
    path("<int:pk>/competences/<int:item_pk>/remove/", views.competence_remove, name="competence_remove"),
    path("<int:pk>/<str:name>/", views.dossier_section, name="dossier_section"),
]
