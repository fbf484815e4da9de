"""Requirement (issue 3.1 and the review of it): a BSN never appears in a URL (it is kept in the
session behind an opaque key); every filter and sort works, alone and together with a search
and pagination; an impossible value is refused with a Dutch message and only that value is
ignored; every caseload page view is audit-logged without the search term."""

import datetime as dt

import pytest
from django.urls import reverse

from maatpak.audit.models import AuditEvent
from maatpak.casework.caseload_search import SESSION_KEY
from maatpak.participants.models import LadderAssessment, SolAssessment
from maatpak.trajectories.models import Referral, Trajectory
from tests.factories import LadderDefinitionFactory, ParticipantFactory, ProviderFactory
from tests.participants.conftest import populate

pytestmark = pytest.mark.django_db


@pytest.fixture
def url():
    return reverse("participants:caseload")


def _bsn_forms(bsn):
    """The ways a BSN can be typed; none of them may show up in a URL."""
    return [bsn, bsn.lstrip("0"), f"{bsn[:3]}.{bsn[3:5]}.{bsn[5:]}", f"{bsn[:4]} {bsn[4:6]} {bsn[6:]}"]


def _assert_no_bsn(response, bsn):
    urls = [location for location, _status in response.redirect_chain] + [
        response.request["PATH_INFO"] + "?" + response.request.get("QUERY_STRING", "")
    ]
    for url in urls:
        for form in _bsn_forms(bsn):
            assert form not in url, url
            assert form.replace(" ", "+") not in url, url
    assert bsn not in response.content.decode()


def test_a_bsn_search_is_posted_and_redirected_to_an_opaque_key(client, municipality, kim, url):
    people = populate(municipality, kim, 3)
    client.force_login(kim)
    bsn = people[1].bsn
    dotted = f"{bsn[:3]}.{bsn[3:5]}.{bsn[5:]}"
    response = client.post(url, {"q": dotted, "sort": "rung", "rung": "2"})
    assert response.status_code == 302
    location = response["Location"]
    assert "search=" in location and "sort=rung" in location and "rung=2" in location
    for form in _bsn_forms(bsn):
        assert form not in location
    response = client.get(location)
    assert [p.last_name for p in response.context["page"]] == ["Persoon001"]
    content = response.content.decode()
    assert bsn not in content and "Zoekopdracht op het BSN dat eindigt op " + bsn[-3:] in content
    # The session keeps the keyed hash and the last digits, not the number.
    assert all(bsn not in str(entry) for entry in client.session[SESSION_KEY].values())


def test_filters_and_sort_keep_the_bsn_search_without_the_bsn(client, municipality, kim, url):
    people = populate(municipality, kim, 3)
    client.force_login(kim)
    first = client.post(url, {"q": people[2].bsn}, follow=True)
    _assert_no_bsn(first, people[2].bsn)
    key = first.context["form"]["search"].value()
    assert key
    # Changing the sort with the search field empty keeps the BSN search that is on screen.
    again = client.post(url, {"q": "", "search": key, "sort": "provider"}, follow=True)
    _assert_no_bsn(again, people[2].bsn)
    assert [p.last_name for p in again.context["page"]] == ["Persoon002"]
    assert f"search={key}" in again.redirect_chain[-1][0]
    # A filter that excludes the person: nothing, the search still applies.
    none = client.post(url, {"search": key, "rung": "5"}, follow=True)
    assert list(none.context["page"]) == []
    # "Clear search" drops only the search.
    cleared = client.get(url, {"sort": "provider"})
    assert len(cleared.context["page"]) == 3


def test_a_bsn_in_the_address_bar_is_moved_out_of_the_url(client, municipality, kim, url):
    people = populate(municipality, kim, 2)
    client.force_login(kim)
    response = client.get(url, {"q": people[0].bsn, "sort": "sol"}, follow=True)
    _assert_no_bsn(response, people[0].bsn)
    assert response.redirect_chain and "search=" in response.redirect_chain[0][0] and "sort=sol" in response.redirect_chain[0][0]
    assert [p.last_name for p in response.context["page"]] == ["Persoon000"]


def test_an_invalid_bsn_is_refused_without_keeping_it(client, municipality, kim, url):
    populate(municipality, kim, 2)
    client.force_login(kim)
    response = client.post(url, {"q": "123456789"}, follow=True)
    _assert_no_bsn(response, "123456789")
    assert "11-proef" in response.content.decode() and list(response.context["page"]) == []
    assert all("123456789" not in str(entry) for entry in client.session[SESSION_KEY].values())


def test_a_search_key_works_only_in_its_own_session(client, municipality, kim, url):
    people = populate(municipality, kim, 2)
    client.force_login(kim)
    location = client.post(url, {"q": people[0].bsn})["Location"]
    client.logout()
    client.force_login(kim)
    response = client.get(location)
    # A new session does not know the key: the search is not applied, with a Dutch message.
    assert len(response.context["page"]) == 2
    assert "Deze zoekopdracht op BSN is verlopen. Zoek opnieuw." in response.content.decode()


def test_a_name_search_stays_in_the_url(client, municipality, kim, url):
    populate(municipality, kim, 3)
    client.force_login(kim)
    response = client.post(url, {"q": "Persoon001", "sort": "name"})
    assert response.status_code == 302 and "q=Persoon001" in response["Location"] and "search=" not in response["Location"]
    assert [p.last_name for p in client.get(response["Location"]).context["page"]] == ["Persoon001"]


def test_pagination_keeps_filters_and_sort(client, municipality, kim, url):
    populate(municipality, kim, 30)
    client.force_login(kim)
    response = client.get(url, {"rung": "2", "sort": "name", "page": "2"})
    page = response.context["page"]
    assert page.number == 2 and [p.last_name for p in page] == [f"Persoon{i:03d}" for i in range(25, 30)]
    content = response.content.decode()
    assert "rung=2&amp;sort=name&amp;page=1" in content


# -- every filter and every sort -----------------------------------------------------------------


@pytest.fixture
def varied(municipality, kim):
    """Four participants differing in rung, Sol group, trajectory status and provider."""
    ladder = LadderDefinitionFactory()
    zeta = ProviderFactory(municipality=municipality, name="Zeta Werk")
    alfa = ProviderFactory(municipality=municipality, name="Alfa Re-integratie")

    def person(last_name, *, rung=None, sol=None, status=None, provider=None):
        p = ParticipantFactory(municipality=municipality, consultant=kim, last_name=last_name)
        if rung:
            LadderAssessment.objects.create(
                municipality=municipality, participant=p, definition=ladder, rung=rung, assessed_on=dt.date(2025, 1, 5), author=kim
            )
        if sol:
            SolAssessment.objects.create(municipality=municipality, participant=p, group=sol, assessed_on=dt.date(2025, 1, 5), author=kim)
        if status:
            t = Trajectory.objects.create(municipality=municipality, participant=p, consultant=kim, status=status)
            if provider:
                Referral.objects.create(
                    municipality=municipality, trajectory=t, provider=provider, status="active", proposed_on=dt.date(2025, 1, 2)
                )
        return p

    person("Anker", rung=1, sol="A1", status="active", provider=zeta)
    person("Berg", rung=5, sol="B3", status="draft")
    person("Cas", rung=3, sol="B1", status="closed", provider=alfa)
    person("Dijk")
    return {"zeta": zeta, "alfa": alfa}


def _names(client, url, params):
    response = client.get(url, params)
    assert response.status_code == 200
    return [p.last_name for p in response.context["page"]]


@pytest.mark.parametrize(
    "sort, expected",
    [
        ("name", ["Anker", "Berg", "Cas", "Dijk"]),
        ("rung", ["Anker", "Cas", "Berg", "Dijk"]),
        ("sol", ["Anker", "Cas", "Berg", "Dijk"]),
        # In the order of the life cycle (draft, agreed, active, closed); no trajectory last.
        ("status", ["Berg", "Anker", "Cas", "Dijk"]),
        # By provider name; without a provider last, by name.
        ("provider", ["Cas", "Anker", "Berg", "Dijk"]),
    ],
)
def test_each_sort(client, kim, varied, url, sort, expected):
    client.force_login(kim)
    assert _names(client, url, {"sort": sort}) == expected


def test_each_filter(client, kim, varied, url):
    client.force_login(kim)
    assert _names(client, url, {"rung": "3"}) == ["Cas"]
    assert _names(client, url, {"sol": "B3"}) == ["Berg"]
    assert _names(client, url, {"status": "draft"}) == ["Berg"]
    assert _names(client, url, {"status": "none"}) == ["Dijk"]
    assert _names(client, url, {"provider": varied["zeta"].pk}) == ["Anker"]
    assert _names(client, url, {"provider": varied["alfa"].pk, "status": "closed"}) == ["Cas"]
    assert _names(client, url, {"provider": varied["alfa"].pk, "status": "active"}) == []


def test_an_impossible_value_is_ignored_alone_with_a_dutch_message(client, kim, varied, url):
    client.force_login(kim)
    response = client.get(url, {"rung": "9", "sol": "B3", "sort": "bogus"})
    assert [p.last_name for p in response.context["page"]] == ["Berg"]
    content = response.content.decode()
    assert "De keuze bij “Trede” is niet mogelijk en wordt niet gebruikt." in content
    assert "De keuze bij “Sorteer op” is niet mogelijk en wordt niet gebruikt." in content
    # The impossible values are not carried into the form again.
    assert response.context["form"]["sort"].value() is None and response.context["form"]["sol"].value() == "B3"
    response = client.get(url, {"signal": "bogus", "status": "active"})
    assert [p.last_name for p in response.context["page"]] == ["Anker"]
    assert "Dit signaal bestaat niet en wordt niet gebruikt." in response.content.decode()


def test_another_municipalitys_provider_is_not_a_possible_filter(client, kim, varied, url, other_municipality):
    client.force_login(kim)
    elsewhere = ProviderFactory(municipality=other_municipality)
    response = client.get(url, {"provider": elsewhere.pk, "rung": "1"})
    assert [p.last_name for p in response.context["page"]] == ["Anker"]
    assert "is niet mogelijk" in response.content.decode()


# -- audit ----------------------------------------------------------------------------------------


def test_every_caseload_page_view_is_logged_once_without_the_search_term(client, municipality, kim, url):
    """Issue 14: one read event per participant shown, linked to them ("who saw my data?")."""
    people = populate(municipality, kim, 3)
    client.force_login(kim)
    client.get(url)
    reads = AuditEvent.objects.filter(actor=kim, action="read", purpose="caseload")
    assert sorted(reads.values_list("participant_id", flat=True)) == sorted(p.pk for p in people)
    assert all(event.detail == {"total": 3, "page": 1} for event in reads)
    client.get(url, {"rung": "2", "page": "1"})
    assert reads.all().count() == 6  # the three again (all on rung 2)
    before = AuditEvent.objects.filter(actor=kim).count()
    client.post(url, {"q": people[1].bsn}, follow=True)
    search = AuditEvent.objects.filter(actor=kim, action="search").get()
    assert search.detail["participants"] == [people[1].pk]
    assert people[1].bsn not in f"{search.purpose} {search.detail}"
    # The redirecting POST itself shows nothing and logs nothing; the page found logs the search
    # and one read of the participant found.
    found = AuditEvent.objects.filter(actor=kim, action="read", purpose="caseload bsn search").get()
    assert found.participant_id == people[1].pk and people[1].bsn not in str(found.detail)
    assert AuditEvent.objects.filter(actor=kim).count() == before + 2


def test_a_bsn_in_the_url_does_not_travel_on_to_the_login_page(client, municipality, kim, url):
    people = populate(municipality, kim, 2)
    bsn = people[1].bsn
    response = client.get(url, {"q": bsn}, follow=True)
    # Anonymous: first moved out of the URL, then to the login page with only the key in `next`.
    assert response.redirect_chain[-1][0].startswith("/login/") and "search%3D" in response.redirect_chain[-1][0]
    _assert_no_bsn(response, bsn)
    anonymous_post = client.post(url, {"q": bsn})
    assert anonymous_post.status_code == 302 and bsn not in anonymous_post["Location"]
    # After logging in (same session), the key still finds the person.
    client.force_login(kim)
    location = response.redirect_chain[0][0]
    assert [p.last_name for p in client.get(location).context["page"]] == ["Persoon001"]


def test_a_bsn_mixed_with_a_name_is_refused_and_kept_out_of_the_url(client, municipality, kim, url):
    people = populate(municipality, kim, 2)
    bsn = people[0].bsn
    client.force_login(kim)
    for term in (f"Persoon000 {bsn}", f"bsn {bsn[:3]}.{bsn[3:5]}.{bsn[5:]}"):
        response = client.post(url, {"q": term}, follow=True)
        _assert_no_bsn(response, bsn)
        assert "Zoek op naam of klantnummer, of alleen op BSN, maar niet allebei tegelijk." in response.content.decode()
        assert list(response.context["page"]) == []
    response = client.get(url, {"q": f"Persoon000 {bsn}"}, follow=True)
    _assert_no_bsn(response, bsn)
    # A longer number (e.g. a reference of ten digits) is not a BSN and may be searched as text.
    assert "q=1234567890" in client.post(url, {"q": "1234567890"})["Location"]
