from django.urls import path

from maatpak.portal import activation_views, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.PortalLoginView.as_view(), name="login"),
    path("activeren/", activation_views.activate, name="activate"),
    path("activeringscode/<int:pk>/", activation_views.activation_new, name="activation_new"),
    path("plan/", views.plan, name="plan"),
    path("plan/versie/<int:number>/", views.plan, name="plan_version"),
    path("plan/versie/<int:number>/pdf/", views.plan_pdf, name="plan_pdf"),
    path("plan/ondertekenen/", views.plan_sign, name="plan_sign"),
    path("plan/verzuim-melden/", views.default_report, name="default_report"),
    path("rapportages/", views.reports, name="reports"),
    path("rapportages/<str:kind>/<int:pk>/reactie/", views.report_react, name="report_react"),
    path("mijn-inbreng/", views.say, name="say"),
    path("mijn-inbreng/idee/", views.WishAddView.as_view(), name="say_wish"),
    path("mijn-inbreng/bericht/", views.MessageSendView.as_view(), name="say_message"),
    path("mijn-inbreng/andere-klantmanager/", views.ChangeRequestView.as_view(), name="say_change"),
    path("reactie-clientenraad/", views.feedback, name="feedback"),
    path("hulp/", views.help_page, name="help"),
    path("verzoeken-andere-klantmanager/", views.change_requests, name="change_requests"),
    path("verzoeken-andere-klantmanager/<int:pk>/", views.change_request_answer, name="change_request_answer"),
    path("berichten/", views.inbox, name="inbox"),
    path("berichten/<int:pk>/antwoord/", views.inbox_reply, name="inbox_reply"),
]
