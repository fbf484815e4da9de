from django.urls import path

from maatpak.insights import views

app_name = "insights"
urlpatterns = [
    path("wat-werkt/", views.effectiveness, name="effectiveness"),
    path("wat-werkt/export/<str:table>.csv", views.export, name="export"),
]
