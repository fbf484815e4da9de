from django.urls import path

from maatpak.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.StaffLoginView.as_view(), name="login"),
    path("login/code/", views.second_factor, name="second_factor"),
    path("login/app-instellen/", views.second_factor_setup, name="second_factor_setup"),
    path("logout/", views.logout_view, name="logout"),
    path("sessie/", views.session_status, name="session"),
]
