from django.urls import path

from maatpak.casework import goal_views
from maatpak.casework import trajectory_views as views

app_name = "trajectories"
urlpatterns = [
    path("nieuw/<int:participant_pk>/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/akkoord/", views.agree, name="agree"),
    path("<int:pk>/afspraakstatus/", views.agreement_status, name="agreement_status"),
    path("<int:pk>/versie/<int:number>/pdf/", views.plan_pdf, name="pdf"),
    path("<int:pk>/versie/<int:number>/vergelijk/", views.compare, name="compare"),
    path("<int:pk>/versie/<int:number>/", views.version_detail, name="version"),
    path("<int:pk>/onderdeel/<str:kind>/<int:item_pk>/wijzigen/", views.item_edit, name="item_edit"),
    path("<int:pk>/onderdeel/<str:kind>/<int:item_pk>/verwijderen/", views.item_remove, name="item_remove"),
    path("<int:pk>/doel/<int:goal_pk>/status/", goal_views.goal_status, name="goal_status"),
    path("<int:pk>/<str:name>/", views.action, name="action"),
]
