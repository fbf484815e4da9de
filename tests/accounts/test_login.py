"""Requirement: log in, log out, a start page per role, Dutch by default with English (issue 2)."""

import pytest
from django.urls import reverse

from maatpak.accounts.roles import Role
from maatpak.audit.models import AuditEvent
from tests.factories import TEST_PASSWORD, ProviderFactory, UserFactory


@pytest.mark.django_db
def test_login_page_is_dutch_by_default(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert '<html lang="nl">' in response.content.decode()
    assert "Inloggen" in response.content.decode()


@pytest.mark.django_db
def test_an_english_browser_still_gets_dutch_until_english_is_chosen(client):
    """Staff browsers are often set to English; Maatpak stays Dutch unless the user switches."""
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="nl">' in response.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.django_db
def test_api_clients_choose_their_language_with_accept_language(client):
    assert client.get("/api/v1/caseload/", HTTP_ACCEPT_LANGUAGE="en").json()["detail"] == "Authentication credentials were not provided."
    assert client.get("/api/v1/caseload/").json()["detail"] == "Authenticatiegegevens zijn niet opgegeven."


@pytest.mark.django_db
def test_login_page_in_english_when_chosen(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    response = client.get(reverse("accounts:login"))
    assert '<html lang="en">' in response.content.decode()
    assert "Log in to Maatpak" in response.content.decode()


@pytest.mark.django_db
def test_wrong_password_gives_clear_dutch_message_and_is_audited(client, municipality):
    UserFactory(username="km", municipalities=[municipality])
    response = client.post(reverse("accounts:login"), {"username": "km", "password": "wrong"})
    assert response.status_code == 200
    assert "wachtwoord is niet juist" in response.content.decode()
    assert AuditEvent.objects.filter(action="login_failed", detail__username="km").exists()


@pytest.mark.django_db
def test_login_logout_round_trip_is_audited(client, municipality):
    user = UserFactory(username="km", municipalities=[municipality])
    response = client.post(reverse("accounts:login"), {"username": "km", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302  # consultant → caseload
    assert client.get(reverse("participants:caseload")).status_code == 200
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("home")).status_code == 302
    actions = list(AuditEvent.objects.filter(actor=user).values_list("action", flat=True))
    # The caseload page view in between writes read rows of its own (one per participant shown).
    assert set(actions) <= {"login", "logout", "read"}
    assert actions.count("login") == 1 and actions.count("logout") == 1


@pytest.mark.django_db
def test_start_page_requires_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.PARTICIPANT, Role.CONSULTANT)])
def test_every_staff_role_gets_a_start_page_naming_its_role(client, municipality, role):
    provider = ProviderFactory(municipality=municipality) if role == Role.PROVIDER_STAFF else None
    user = UserFactory(role=role, municipalities=[municipality], provider=provider)
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert str(user.get_role_display()) in response.content.decode()


@pytest.mark.django_db
def test_consultant_starts_on_the_caseload(client, municipality):
    client.force_login(UserFactory(role=Role.CONSULTANT, municipalities=[municipality]))
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain == [(reverse("participants:caseload"), 302)]
    assert "Mijn caseload" in response.content.decode()


@pytest.mark.django_db
def test_every_start_page_link_resolves(client, municipality):
    """No dead links: every menu entry of every role opens a real screen."""
    from maatpak.accounts.navigation import NAV_ITEMS

    for url_name, *_ in NAV_ITEMS:
        reverse(url_name)


@pytest.mark.django_db
def test_logout_requires_post(client, municipality):
    client.force_login(UserFactory(municipalities=[municipality]))
    assert client.get(reverse("accounts:logout")).status_code == 405
