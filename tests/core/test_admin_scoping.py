"""Requirement: the Django admin respects municipalities like every other screen (issue 2),
and gives the municipality administrator what the task needs and no more (issue 14, item 6).

A municipality administrator (role admin, is_staff, not a superuser) sees and edits only their
own municipality's rows, cannot make anyone a superuser, manages accounts and reference data,
and sees no dossier content at all. The superuser (the operator) keeps read-only technical
access to dossier content; every list, record, history or delete page that shows participant
data writes one audit event per participant, linked to that participant.
"""

import pytest
from django.contrib import admin
from django.urls import reverse

from maatpak.accounts.admin_base import DossierAdmin
from maatpak.accounts.models import User
from maatpak.audit.models import AuditEvent
from tests.factories import (
    EmployerFactory,
    EndReportFactory,
    InstrumentFactory,
    ParticipantFactory,
    ReferralFactory,
    SanctionFactory,
    TeamFactory,
    TrajectoryFactory,
    UserFactory,
)

# What the municipality administrator manages: accounts and reference data. Anything else
# registered in the admin must be invisible to them (a new registration fails here until it
# is put on this list or made a DossierAdmin).
MUNICIPALITY_ADMIN_MODELS = {
    "accounts.ServiceOrganisation",
    "accounts.Municipality",
    "accounts.Team",
    "accounts.User",
    "api.ApiKey",
    "audit.AuditEvent",  # the log of who did what, never content (policy: audit_log view)
    "participants.Competence",
    "participants.LadderDefinition",
    "providers.Provider",
    "providers.Contract",
    "employers.Employer",
    "employers.Vacancy",
    "trajectories.Instrument",
    "surveys.Survey",
}

# Dossier content (issue 14: sanction reasons, end-report conclusions, provider reports, plan
# content, what was shared with providers, assessments, notes, messages, and the rest of the
# file): never shown to the municipality administrator, whether registered or not.
DOSSIER_CONTENT_MODELS = [
    "participants.Participant",
    "participants.Benefit",
    "participants.Education",
    "participants.WorkExperience",
    "participants.ParticipantCompetence",
    "participants.Wish",
    "participants.DomainAssessment",
    "participants.LadderAssessment",
    "participants.SolAssessment",
    "participants.ConsultantAssignment",
    "participants.Contact",
    "participants.Exemption",
    "trajectories.Trajectory",
    "trajectories.PlanVersion",
    "trajectories.Goal",
    "trajectories.PlanIdea",
    "trajectories.PlannedInstrument",
    "trajectories.Agreement",
    "trajectories.Signature",
    "trajectories.PlanHandover",
    "trajectories.Referral",
    "trajectories.ProgressReport",
    "trajectories.GoalProgress",
    "trajectories.EndReport",
    "trajectories.Sanction",
    "trajectories.MunicipalityDefault",
    "trajectories.ReportCopy",
    "employers.Placement",
    "employers.PlacementFollowUp",
    "surveys.SurveyInvitation",
    "surveys.SurveyResponse",
    "surveys.AnonymousFeedback",
    "portal.ConsultantChangeRequest",
    "portal.Message",
    "portal.ReportReaction",
    "portal.PortalActivation",
    "insights.ImportedTrajectory",
]


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
    own = client.get(reverse("admin:employers_employer_change", args=[rows["own"]["employer"].pk]))
    foreign = client.get(reverse("admin:employers_employer_change", args=[rows["foreign"]["employer"].pk]))
    assert own.status_code == 200
    # Django's admin answers "does not exist" (a redirect to the index) for rows outside the queryset.
    assert foreign.status_code == 302


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


@pytest.fixture
def operator(db):
    return UserFactory(is_superuser=True, is_staff=True, role="admin", username="operator")


@pytest.mark.django_db
def test_admin_lists_of_participant_data_log_one_event_per_participant_shown(client, operator, municipality, rows):
    client.force_login(operator)
    client.get(reverse("admin:participants_participant_changelist"))
    client.get(reverse("admin:trajectories_trajectory_changelist"))
    own, foreign = rows["own"]["participant"], rows["foreign"]["participant"]
    for model_name in ("participant", "trajectory"):
        events = AuditEvent.objects.filter(actor=operator, action="read", purpose=f"admin list {model_name}")
        assert sorted(events.values_list("participant_id", "municipality_id")) == sorted(
            [(own.pk, own.municipality_id), (foreign.pk, foreign.municipality_id)]
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "view, purpose",
    [("change", "admin"), ("history", "admin history")],
)
def test_admin_record_and_history_of_participant_data_are_logged_against_the_participant(
    client, operator, municipality, rows, view, purpose
):
    client.force_login(operator)
    end_report = EndReportFactory(trajectory=rows["own"]["trajectory"], conclusion="Werkt nu 24 uur.")
    participant = rows["own"]["participant"]
    for url_name, pk in (
        (f"admin:participants_participant_{view}", participant.pk),
        (f"admin:trajectories_trajectory_{view}", rows["own"]["trajectory"].pk),
        (f"admin:trajectories_endreport_{view}", end_report.pk),
    ):
        assert client.get(reverse(url_name, args=[pk])).status_code == 200
    events = AuditEvent.objects.filter(actor=operator, action="read", purpose=purpose)
    assert sorted(events.values_list("object_type", "participant_id", "municipality_id")) == [
        ("EndReport", participant.pk, municipality.pk),
        ("Participant", participant.pk, municipality.pk),
        ("Trajectory", participant.pk, municipality.pk),
    ]


@pytest.mark.django_db
def test_a_participants_portal_account_in_the_admin_is_logged_against_the_participant(client, muni_admin, municipality):
    account = UserFactory(role="participant", username="portaal-1")
    participant = ParticipantFactory(municipality=municipality, user=account)
    account.municipalities.add(municipality)
    staff = UserFactory(role="consultant", municipalities=[municipality], username="km-lijst")
    client.force_login(muni_admin)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_user_change", args=[account.pk])).status_code == 200
    assert client.get(reverse("admin:accounts_user_history", args=[account.pk])).status_code == 200
    events = AuditEvent.objects.filter(actor=muni_admin, action="read")
    assert set(events.filter(participant_id=participant.pk).values_list("purpose", flat=True)) == {
        "admin list user",
        "admin",
        "admin history",
    }
    # A staff account in the same list is no participant's data: no event for it.
    assert not events.filter(object_type="User", object_id=str(staff.pk)).exists()


@pytest.mark.django_db
def test_municipality_admin_sees_only_accounts_and_reference_data(client, muni_admin):
    client.force_login(muni_admin)
    index = client.get(reverse("admin:index"))
    shown = {f"{app['app_label']}.{model['object_name']}" for app in index.context["app_list"] for model in app["models"]}
    registered = {model._meta.label for model in admin.site._registry}
    assert shown == MUNICIPALITY_ADMIN_MODELS & registered
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        expected = 200 if model._meta.label in MUNICIPALITY_ADMIN_MODELS else 403
        assert client.get(url).status_code == expected, model._meta.label


@pytest.mark.django_db
@pytest.mark.parametrize("label", DOSSIER_CONTENT_MODELS)
def test_dossier_content_is_absent_for_the_municipality_admin(rf, muni_admin, label):
    registered = {model._meta.label: model_admin for model, model_admin in admin.site._registry.items()}
    if label not in registered:
        return  # not in the admin at all
    model_admin = registered[label]
    request = rf.get("/admin/")
    request.user = muni_admin
    assert isinstance(model_admin, DossierAdmin)
    assert not model_admin.has_module_permission(request)
    assert not model_admin.has_view_permission(request)
    assert not (model_admin.has_add_permission(request) or model_admin.has_change_permission(request))


@pytest.mark.django_db
def test_sanction_reason_end_report_conclusion_and_shared_information_stay_hidden(client, muni_admin, municipality):
    sanction = SanctionFactory(
        agreement__plan__trajectory__participant__municipality=municipality, reason="Drie keer niet verschenen zonder bericht."
    )
    end_report = EndReportFactory(trajectory=sanction.trajectory, conclusion="Geheime conclusie.")
    referral = ReferralFactory(trajectory=sanction.trajectory, shared_information="Alleen voor de aanbieder.")
    client.force_login(muni_admin)
    for url_name, pk in (
        ("admin:trajectories_sanction_change", sanction.pk),
        ("admin:trajectories_endreport_change", end_report.pk),
        ("admin:trajectories_referral_change", referral.pk),
        ("admin:trajectories_referral_history", referral.pk),
    ):
        response = client.get(reverse(url_name, args=[pk]))
        assert response.status_code == 403
        assert b"Geheime conclusie" not in response.content and b"niet verschenen" not in response.content
    assert not AuditEvent.objects.filter(actor=muni_admin, participant_id=sanction.participant_id).exists()


@pytest.mark.django_db
def test_operator_reads_dossier_content_read_only(client, operator, rows):
    client.force_login(operator)
    page = client.get(reverse("admin:trajectories_trajectory_change", args=[rows["own"]["trajectory"].pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.get(reverse("admin:trajectories_trajectory_add")).status_code == 403
    assert client.get(reverse("admin:employers_placement_add")).status_code == 403


@pytest.mark.django_db
def test_ordinary_staff_without_admin_role_gets_no_admin(client, municipality):
    client.force_login(UserFactory(role="consultant", is_staff=True, municipalities=[municipality]))
    assert client.get(reverse("admin:employers_employer_changelist")).status_code == 403
    assert client.get(reverse("admin:participants_participant_changelist")).status_code == 403


@pytest.mark.django_db
def test_superuser_still_sees_everything(client, operator, rows):
    client.force_login(operator)
    content = client.get(reverse("admin:participants_participant_changelist")).content.decode()
    assert "Persoon-own" in content and "Persoon-foreign" in content
