from django.urls import path

from maatpak.insights import checklist_views, council_views, dashboard_views, monitoring_views, statistics_views, views

app_name = "insights"
urlpatterns = [
    path("wat-werkt/", views.effectiveness, name="effectiveness"),
    path("wat-werkt/export/<str:table>.csv", views.export, name="export"),
    path("monitoring/", monitoring_views.monitoring, name="monitoring"),
    path("monitoring/export.<str:fmt>", monitoring_views.monitoring_export, name="monitoring_export"),
    # The municipal dashboard (indicators) and the people behind one figure.
    path("indicatoren/", dashboard_views.dashboard, name="dashboard"),
    path("indicatoren/<str:code>/<str:period>/<str:row>/", dashboard_views.figure_people, name="figure_people"),
    # The council report: HTML, PDF and every table as CSV or XLSX.
    path("clientenraad/", council_views.council_report, name="council_report"),
    path("clientenraad/rapport.pdf", council_views.council_report_pdf, name="council_report_pdf"),
    path("clientenraad/tabellen.<str:fmt>", council_views.council_export, name="council_export"),
    # The checklist's questions (kept as data; a council adds its own).
    path("clientenraad/checklist/", checklist_views.question_list, name="checklist_questions"),
    path("clientenraad/checklist/nieuw/", checklist_views.question_create, name="checklist_question_create"),
    path("clientenraad/checklist/<int:pk>/", checklist_views.question_edit, name="checklist_question_edit"),
    # Statistics deliveries: the Divosa benchmark file (the SRG file is a management command).
    path("leveringen/divosa.<str:fmt>", statistics_views.divosa_export, name="divosa_export"),
]
