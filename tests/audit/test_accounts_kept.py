"""Requirement: audit events keep who acted (issue 14, item 2). An account that acted is
deactivated, never deleted: the admin offers no delete for it, only "deactivate", which is
logged; afterwards its events still name it and the privacy officer still finds them."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from maatpak.accounts.models import User
from maatpak.audit.models import AuditEvent
from maatpak.audit.services import audit_read
from maatpak.privacy.selectors import audit_event_list
from tests.factories import ParticipantFactory, UserFactory


@pytest.fixture
def muni_admin(municipality):
    return UserFactory(role="admin", is_staff=True, municipalities=[municipality], username="beheer-a")


@pytest.fixture
def kim(municipality):
    """A consultant who read a dossier: her account is named by an audit event."""
    kim = UserFactory(role="consultant", municipalities=[municipality], username="kim")
    audit_read(actor=kim, obj=ParticipantFactory(municipality=municipality), purpose="dossier")
    return kim


def _deactivate(client, *accounts):
    return client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "deactivate", ACTION_CHECKBOX_NAME: [a.pk for a in accounts]},
        follow=True,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("superuser", [False, True])
def test_an_account_that_acted_has_no_delete_in_the_admin(client, muni_admin, kim, superuser):
    client.force_login(UserFactory(is_superuser=True, is_staff=True) if superuser else muni_admin)
    page = client.get(reverse("admin:accounts_user_change", args=[kim.pk])).content.decode()
    assert reverse("admin:accounts_user_delete", args=[kim.pk]) not in page
    assert client.get(reverse("admin:accounts_user_delete", args=[kim.pk])).status_code == 403
    assert client.post(reverse("admin:accounts_user_delete", args=[kim.pk]), {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=kim.pk).exists()
    changelist = client.get(reverse("admin:accounts_user_changelist"))
    actions = [name for name, _label in changelist.context["action_form"].fields["action"].choices]
    assert "deactivate" in actions and "delete_selected" not in actions


@pytest.mark.django_db
def test_an_account_that_never_acted_can_be_deleted(client, muni_admin, municipality):
    typo = UserFactory(role="consultant", municipalities=[municipality], username="typo")
    client.force_login(muni_admin)
    response = client.post(reverse("admin:accounts_user_delete", args=[typo.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=typo.pk).exists()


@pytest.mark.django_db
def test_deactivating_is_logged_and_the_events_still_name_the_account(client, muni_admin, kim, municipality):
    officer = UserFactory(role="privacy_officer", municipalities=[municipality])
    client.force_login(muni_admin)
    response = _deactivate(client, kim)
    assert "1 account gedeactiveerd." in response.content.decode()
    kim.refresh_from_db()
    assert not kim.is_active
    logged = AuditEvent.objects.get(actor=muni_admin, purpose="account deactivated")
    assert (logged.action, logged.object_type, logged.object_id, logged.municipality_id) == ("update", "User", str(kim.pk), municipality.pk)
    kims = audit_event_list(user=officer, actor="kim")
    assert [(e.actor_id, e.actor_label, e.purpose) for e in kims] == [(kim.pk, "kim", "dossier")]


@pytest.mark.django_db
def test_deactivating_oneself_or_a_shared_account_is_refused(client, muni_admin, municipality, other_municipality):
    shared = UserFactory(role="consultant", municipalities=[municipality, other_municipality], username="gedeeld")
    client.force_login(muni_admin)
    response = _deactivate(client, muni_admin, shared)
    assert "2 accounts zijn niet gedeactiveerd" in response.content.decode()
    assert User.objects.get(pk=muni_admin.pk).is_active and User.objects.get(pk=shared.pk).is_active
    assert not AuditEvent.objects.filter(purpose="account deactivated").exists()


@pytest.mark.django_db
def test_unticking_active_in_the_form_is_logged_as_a_deactivation(client, muni_admin, kim, municipality):
    client.force_login(muni_admin)
    response = client.post(
        reverse("admin:accounts_user_change", args=[kim.pk]),
        {
            "username": "kim",
            "role": "consultant",
            "municipalities": [municipality.pk],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 302
    assert not User.objects.get(pk=kim.pk).is_active
    assert AuditEvent.objects.filter(actor=muni_admin, object_id=str(kim.pk), purpose="account deactivated").count() == 1


@pytest.mark.django_db
def test_a_participants_portal_account_deactivation_is_linked_to_the_participant(client, muni_admin, municipality):
    account = UserFactory(role="participant", municipalities=[municipality], username="portaal-2")
    participant = ParticipantFactory(municipality=municipality, user=account)
    client.force_login(muni_admin)
    _deactivate(client, account)
    assert AuditEvent.objects.filter(purpose="account deactivated", participant_id=participant.pk).exists()
