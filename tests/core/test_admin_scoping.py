"""Requirement: the Django admin respects municipalities like every other screen (issue 2).

A municipality administrator (role admin, is_staff, not a superuser) sees and edits only their
own municipality's rows, cannot make anyone a superuser, and opening participant data in the
admin is written to the audit log.
"""

import pytest
from django.contrib import admin
from django.urls import reverse

from maatpak.accounts.models import User
from maatpak.audit.models import AuditEvent
from tests.factories import (
    EmployerFactory,
    InstrumentFactory,
    TeamFactory,
    TrajectoryFactory,
    UserFactory,
)


@pytest.fixture
def muni_admin(municipality):
    return UserFactory(role="admin", is_staff=True, municipalities=[municipality], username="beheer-a")


@pytest.fixture
def rows(municipality, other_municipality):
    """One participant, trajectory, employer and instrument in each municipality."""
    made = {}
    for key, m in (("own", municipality), ("foreign", other_municipality)):
        trajectory = TrajectoryFactory(
            participant__municipality=m,
            participant__last_name=f"Persoon-{key}",
            consultant=UserFactory(municipalities=[m], username=f"km-{key}"),
        )
        made[key] = {
            "participant": trajectory.participant,
            "trajectory": trajectory,
            "employer": EmployerFactory(municipality=m, name=f"Werkgever-{key}"),
            "instrument": InstrumentFactory(municipality=m, name=f"Instrument-{key}"),
        }
    return made


@pytest.mark.django_db
def test_every_registered_admin_is_tenant_scoped():
    from maatpak.accounts.admin_base import TenantScopedAdmin

    ours = {
        model: model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label
        in {"accounts", "audit", "participants", "providers", "employers", "trajectories", "surveys", "insights", "portal"}
    }
    assert ours
    unscoped = [model.__name__ for model, model_admin in ours.items() if not isinstance(model_admin, TenantScopedAdmin)]
    assert unscoped == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name, own_text, foreign_text",
    [
        ("admin:participants_participant_changelist", "Persoon-own", "Persoon-foreign"),
        ("admin:employers_employer_changelist", "Werkgever-own", "Werkgever-foreign"),
        ("admin:trajectories_instrument_changelist", "Instrument-own", "Instrument-foreign"),
        ("admin:accounts_user_changelist", "km-own", "km-foreign"),
        ("admin:accounts_municipality_changelist", "Smallingerland", "Middelburg"),
    ],
)
def test_municipality_admin_lists_only_own_rows(client, muni_admin, rows, url_name, own_text, foreign_text):
    client.force_login(muni_admin)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    content = response.content.decode()
    assert own_text in content
    assert foreign_text not in content


@pytest.mark.django_db
def test_foreign_rows_cannot_be_opened(client, muni_admin, rows):
    client.force_login(muni_admin)
    own = client.get(reverse("admin:participants_participant_change", args=[rows["own"]["participant"].pk]))
    foreign = client.get(reverse("admin:participants_participant_change", args=[rows["foreign"]["participant"].pk]))
    assert own.status_code == 200
    # Django's admin answers "does not exist" (a redirect to the index) for rows outside the queryset.
    assert foreign.status_code == 302
    foreign_employer = client.get(reverse("admin:employers_employer_change", args=[rows["foreign"]["employer"].pk]))
    assert foreign_employer.status_code == 302


@pytest.mark.django_db
def test_form_choices_offer_only_own_municipality(client, muni_admin, municipality, other_municipality, rows):
    client.force_login(muni_admin)
    page = client.get(reverse("admin:employers_vacancy_add")).content.decode()
    assert "Werkgever-own" in page and "Werkgever-foreign" not in page
    # Posting another municipality anyway is refused by the form, nothing is saved.
    response = client.post(reverse("admin:employers_employer_add"), {"name": "Sneaky BV", "municipality": other_municipality.pk})
    assert response.status_code == 200
    assert not rows["foreign"]["employer"].__class__.objects.filter(name="Sneaky BV").exists()
    response = client.post(reverse("admin:employers_employer_add"), {"name": "Eigen BV", "municipality": municipality.pk})
    assert response.status_code == 302


@pytest.mark.django_db
def test_municipality_admin_cannot_create_a_superuser_or_touch_one(client, muni_admin, municipality):
    boss = UserFactory(is_superuser=True, is_staff=True, municipalities=[municipality], username="operator")
    colleague = UserFactory(municipalities=[municipality], username="collega")
    client.force_login(muni_admin)
    assert "operator" not in client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert client.get(reverse("admin:accounts_user_change", args=[boss.pk])).status_code == 302
    page = client.get(reverse("admin:accounts_user_change", args=[colleague.pk])).content.decode()
    assert 'name="is_superuser"' not in page and 'name="user_permissions"' not in page
    client.post(
        reverse("admin:accounts_user_change", args=[colleague.pk]),
        {
            "username": "collega",
            "is_superuser": "on",
            "is_active": "on",
            "role": "consultant",
            "municipalities": [municipality.pk],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        },
    )
    assert not User.objects.get(pk=colleague.pk).is_superuser


@pytest.mark.django_db
def test_shared_account_is_visible_but_not_editable(client, muni_admin, municipality, other_municipality):
    shared = UserFactory(municipalities=[municipality, other_municipality], username="gedeeld")
    client.force_login(muni_admin)
    page = client.get(reverse("admin:accounts_user_change", args=[shared.pk]))
    assert page.status_code == 200
    assert 'name="username"' not in page.content.decode()  # read-only view


@pytest.mark.django_db
def test_team_and_audit_admin_are_scoped(client, muni_admin, municipality, other_municipality, rows):
    TeamFactory(municipality=municipality, name="Team Eigen")
    TeamFactory(municipality=other_municipality, name="Team Vreemd")
    client.force_login(muni_admin)
    content = client.get(reverse("admin:accounts_team_changelist")).content.decode()
    assert "Team Eigen" in content and "Team Vreemd" not in content
    from maatpak.audit.services import audit_read

    audit_read(actor=User.objects.get(username="km-foreign"), obj=rows["foreign"]["participant"])
    audit_read(actor=User.objects.get(username="km-own"), obj=rows["own"]["participant"])
    content = client.get(reverse("admin:audit_auditevent_changelist")).content.decode()
    assert "km-own" in content and "km-foreign" not in content


@pytest.mark.django_db
def test_admin_views_of_participant_data_are_audited(client, muni_admin, municipality, rows):
    client.force_login(muni_admin)
    client.get(reverse("admin:participants_participant_changelist"))
    client.get(reverse("admin:trajectories_trajectory_changelist"))
    client.get(reverse("admin:participants_participant_change", args=[rows["own"]["participant"].pk]))
    events = AuditEvent.objects.filter(actor=muni_admin, action="read")
    assert set(events.values_list("purpose", flat=True)) >= {"admin list participant", "admin list trajectory", "admin"}
    assert events.filter(purpose="admin", participant_id=rows["own"]["participant"].pk, municipality=municipality).exists()
    assert all(e.municipality_id == municipality.id for e in events)


@pytest.mark.django_db
def test_ordinary_staff_without_admin_role_gets_no_admin(client, municipality):
    client.force_login(UserFactory(role="consultant", is_staff=True, municipalities=[municipality]))
    response = client.get(reverse("admin:participants_participant_changelist"))
    assert response.status_code == 403


@pytest.mark.django_db
def test_superuser_still_sees_everything(client, rows):
    client.force_login(UserFactory(is_superuser=True, is_staff=True, role="admin"))
    content = client.get(reverse("admin:participants_participant_changelist")).content.decode()
    assert "Persoon-own" in content and "Persoon-foreign" in content
