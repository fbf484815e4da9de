from django.urls import path

from maatpak.insights import monitoring_views, views

app_name = "insights"
urlpatterns = [
    path("wat-werkt/", views.effectiveness, name="effectiveness"),
    path("wat-werkt/export/<str:table>.csv", views.export, name="export"),
    path("monitoring/", monitoring_views.monitoring, name="monitoring"),
    path("monitoring/export.<str:fmt>", monitoring_views.monitoring_export, name="monitoring_export"),
]
