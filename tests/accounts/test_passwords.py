"""Requirement (issue 14.1): weak passwords are refused with a Dutch message wherever a password is
set — the admin's add-user and change-password forms and the portal activation. "aaaaaaaaaaaa"
(twelve characters, not numeric, not on Django's list) was accepted, with English messages."""

import datetime as dt

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from maatpak.accounts.roles import Role
from maatpak.portal.activation import account_activate, activation_code_create
from tests.factories import ParticipantFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

REPETITIVE = "Dit wachtwoord herhaalt steeds dezelfde tekens"
TOO_SHORT = "Dit wachtwoord is te kort"


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("aaaaaaaaaaaa", REPETITIVE),
        ("abababababab", REPETITIVE),
        ("kort", TOO_SHORT),
        ("123456789012", "Dit wachtwoord bevat alleen cijfers"),
        ("password1234", "Dit wachtwoord is te algemeen"),
    ],
)
def test_weak_passwords_are_refused_in_dutch(password, message):
    with pytest.raises(ValidationError) as refusal:
        validate_password(password)
    assert any(text.startswith(message) for text in refusal.value.messages)


def test_a_varied_password_passes():
    validate_password("Paarden-en-koken-2026")


@pytest.fixture
def superuser(client, municipality):
    user = UserFactory(username="root", is_staff=True, is_superuser=True, role=Role.ADMIN, municipalities=[municipality])
    client.force_login(user)
    return user


def test_the_admin_add_user_form_refuses_a_weak_password_in_dutch(client, superuser, municipality):
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "nieuw",
            "usable_password": "true",
            "password1": "aaaaaaaaaaaa",
            "password2": "aaaaaaaaaaaa",
            "role": Role.CONSULTANT,
            "municipalities": [municipality.pk],
        },
    )
    assert response.status_code == 200
    assert REPETITIVE in response.content.decode()
    assert not superuser.__class__.objects.filter(username="nieuw").exists()


def test_the_admin_change_password_form_refuses_a_weak_password_in_dutch(client, superuser, municipality):
    other = UserFactory(municipalities=[municipality])
    response = client.post(
        reverse("admin:auth_user_password_change", args=[other.pk]),
        {"password1": "kort", "password2": "kort", "usable_password": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert TOO_SHORT in html and "Het moet minstens 12 tekens bevatten" in html


def test_the_portal_activation_refuses_a_weak_password_in_dutch(municipality):
    team = TeamFactory(municipality=municipality)
    consultant = UserFactory(municipalities=[municipality], team=team)
    born = dt.date(1985, 5, 17)
    sam = ParticipantFactory(municipality=municipality, consultant=consultant, reference="K-7", birth_date=born)
    _activation, code = activation_code_create(actor=consultant, participant=sam)
    with pytest.raises(ValidationError) as refusal:
        account_activate(reference="K-7", code=code, birth_date=born, username="sam7", password="aaaaaaaaaaaa")
    assert any(REPETITIVE in message for message in refusal.value.messages)
