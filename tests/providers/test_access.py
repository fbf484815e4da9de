"""Requirement (issue 4.1): provider staff see only their own provider's referrals, only while
open and for the access period after, and only the fields the referral needs — through the
pages and through the API alike."""

import datetime as dt

import pytest
from django.urls import reverse

from maatpak.participants.models import Benefit, DomainAssessment
from maatpak.trajectories.models import Referral, Trajectory
from tests.factories import ParticipantFactory, ProviderFactory, UserFactory

pytestmark = pytest.mark.django_db
SECRET_NOTE = "Psychische klachten na scheiding"


@pytest.fixture
def setting(municipality):
    municipality.provider_access_days_after_close = 30
    municipality.save()
    ours, theirs = ProviderFactory(municipality=municipality, name="Werkfit"), ProviderFactory(municipality=municipality, name="Anders BV")
    coach = UserFactory(role="provider_staff", municipalities=[municipality], provider=ours, username="coach")
    consultant = UserFactory(role="consultant", municipalities=[municipality])
    participant = ParticipantFactory(municipality=municipality, consultant=consultant, first_name="Ali")
    Benefit.objects.create(municipality=municipality, participant=participant, type="pw", start_date=dt.date(2024, 1, 1), monthly_amount_cents=123_456)
    DomainAssessment.objects.create(municipality=municipality, participant=participant, domain="health_mental", score=2, note=SECRET_NOTE, assessed_on=dt.date(2025, 1, 1), author=consultant)
    trajectory = Trajectory.objects.create(municipality=municipality, participant=participant, consultant=consultant, status="active")

    def referral(provider, **kwargs):
        return Referral.objects.create(municipality=municipality, trajectory=trajectory, provider=provider, proposed_on=dt.date(2026, 1, 1), **kwargs)

    return {
        "coach": coach,
        "participant": participant,
        "open": referral(ours, status="active", started_on=dt.date(2026, 1, 10), shared_information="Wil graag buiten werken"),
        "other": referral(theirs, status="active"),
        "recent": referral(ours, status="ended", ended_on=dt.date.today() - dt.timedelta(days=10)),
        "old": referral(ours, status="ended", ended_on=dt.date.today() - dt.timedelta(days=31)),
    }


def test_referral_list_holds_own_open_and_recently_ended_only(client, setting):
    client.force_login(setting["coach"])
    response = client.get(reverse("providers:portal"))
    ids = {r.pk for r in response.context["referrals"]}
    assert ids == {setting["open"].pk, setting["recent"].pk}


@pytest.mark.parametrize("which", ["other", "old"])
def test_other_providers_and_expired_referrals_are_404_on_pages_and_api(client, setting, which):
    client.force_login(setting["coach"])
    pk = setting[which].pk
    assert client.get(reverse("providers:referral", args=[pk])).status_code == 404
    assert client.get(f"/api/providers/referrals/{pk}/").status_code == 404
    assert client.post(reverse("providers:referral_action", args=[pk, "progress"]), {}).status_code == 404


def test_fields_outside_the_referral_never_appear(client, setting):
    client.force_login(setting["coach"])
    pages = client.get(reverse("providers:referral", args=[setting["open"].pk])).content.decode()
    api = client.get(f"/api/providers/referrals/{setting['open'].pk}/").content.decode()
    listing = client.get("/api/providers/referrals/").content.decode()
    assert "Wil graag buiten werken" in pages and "Wil graag buiten werken" in api
    for text in (pages, api, listing):
        for forbidden in (setting["participant"].bsn, "1234,56", "1.234,56", "123456", SECRET_NOTE, "Anders BV"):
            assert forbidden not in text


def test_provider_cannot_open_dossier_or_trajectory(client, setting):
    client.force_login(setting["coach"])
    assert client.get(reverse("participants:dossier", args=[setting["participant"].pk])).status_code == 404
    assert client.get(reverse("trajectories:detail", args=[setting["open"].trajectory_id])).status_code == 404


def test_consultants_get_nothing_from_the_provider_api(client, setting, municipality):
    client.force_login(UserFactory(role="consultant", municipalities=[municipality]))
    assert client.get("/api/providers/referrals/").json() == []
    assert client.get(f"/api/providers/referrals/{setting['open'].pk}/").status_code == 404
