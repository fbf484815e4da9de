"""Requirement (issue 5): a participant can never reach another participant's plan, reports or
files by changing ids in URLs; participant and staff log-ins are separate."""

import pytest
from django.urls import reverse

from maatpak.portal.identity import participant_user_for_verified_bsn
from maatpak.portal.models import ConsultantChangeRequest, Message
from maatpak.portal.services import consultant_change_answer, consultant_change_request
from tests.factories import TEST_PASSWORD, UserFactory


@pytest.mark.django_db
def test_staff_login_refuses_participants_and_portal_login_refuses_staff(client, me, team_consultant):
    response = client.post(reverse("accounts:login"), {"username": "sam", "password": TEST_PASSWORD})
    assert "Deelnemers loggen in via Mijn Maatpak" in response.content.decode()
    response = client.post(reverse("portal:login"), {"username": "km1", "password": TEST_PASSWORD})
    assert "Deze inlog is voor deelnemers" in response.content.decode()
    response = client.post(reverse("portal:login"), {"username": "sam", "password": TEST_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/portal/"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["portal:home", "portal:plan", "portal:reports", "portal:say"])
def test_staff_cannot_use_participant_pages(client, team_consultant, name):
    client.force_login(team_consultant)
    assert client.get(reverse(name)).status_code == 404


@pytest.mark.django_db
def test_portal_pages_require_login(client):
    response = client.get(reverse("portal:plan"))
    assert response.status_code == 302 and response["Location"].startswith("/portal/login/")


@pytest.mark.django_db
def test_wish_written_in_the_portal_is_recorded_as_the_participants_own(client, me):
    client.force_login(me.user)
    response = client.post(reverse("portal:say_wish"), {"wish-kind": "wish", "wish-text": "Ik wil graag met dieren werken."})
    assert response.status_code == 302
    wish = me.wishes.get()
    assert (wish.text, wish.source, wish.recorded_by) == ("Ik wil graag met dieren werken.", "participant", me.user)


@pytest.mark.django_db
def test_change_request_reaches_the_team_lead_who_must_answer(client, me, team_lead, team_consultant, municipality, team):
    client.force_login(me.user)
    client.post(reverse("portal:say_change"), {"change-reason": ""})
    request = ConsultantChangeRequest.objects.get()
    assert request.status == "open" and request.consultant == team_consultant
    response = client.post(reverse("portal:say_change"), {"change-reason": "nog een keer"})
    assert ConsultantChangeRequest.objects.count() == 1  # one open request at a time
    client.force_login(team_lead)
    assert me.full_name in client.get(reverse("portal:change_requests")).content.decode()
    other = UserFactory(role="consultant", municipalities=[municipality], team=team, username="km2")
    response = client.post(
        reverse("portal:change_request_answer", args=[request.pk]),
        {"status": "granted", "new_consultant": other.pk, "answer": "", "version": request.version},
    )
    assert "Schrijf een antwoord" in response.content.decode()
    response = client.post(
        reverse("portal:change_request_answer", args=[request.pk]),
        {"status": "granted", "new_consultant": other.pk, "answer": "U krijgt Kees.", "version": request.version},
    )
    assert response.status_code == 302
    me.refresh_from_db()
    request.refresh_from_db()
    assert me.consultant == other and request.status == "granted" and request.answered_by == team_lead


@pytest.mark.django_db
def test_team_lead_of_another_team_cannot_answer(me, municipality):
    from django.core.exceptions import PermissionDenied

    from tests.factories import TeamFactory

    request = consultant_change_request(actor=me.user, participant=me)
    stranger = UserFactory(role="team_lead", municipalities=[municipality], team=TeamFactory(municipality=municipality, name="Zuid"))
    with pytest.raises(PermissionDenied):
        consultant_change_answer(actor=stranger, request=request, status="refused", answer="nee", expected_version=request.version)


@pytest.mark.django_db
def test_messages_between_participant_and_consultant(client, me, someone_else, team_consultant):
    client.force_login(me.user)
    client.post(reverse("portal:say_message"), {"message-subject": "Vraag", "message-body": "Wanneer is de intake?"})
    message = Message.objects.get()
    client.force_login(team_consultant)
    assert "Wanneer is de intake?" in client.get(reverse("portal:inbox")).content.decode()
    client.post(reverse("portal:inbox_reply", args=[message.pk]), {"subject": "Re: Vraag", "body": "Volgende week dinsdag."})
    client.force_login(someone_else.user)
    assert "Volgende week dinsdag" not in client.get(reverse("portal:say")).content.decode()
    client.force_login(me.user)
    assert "Volgende week dinsdag" in client.get(reverse("portal:say")).content.decode()


@pytest.mark.django_db
def test_verified_bsn_from_an_identity_broker_maps_to_that_participant_only(me, someone_else, municipality):
    from django.core.exceptions import PermissionDenied

    assert participant_user_for_verified_bsn(municipality_code=municipality.code, bsn=me.bsn) == me.user
    with pytest.raises(PermissionDenied):
        participant_user_for_verified_bsn(municipality_code="GM0001", bsn=me.bsn)


@pytest.mark.django_db
def test_a_team_colleague_covering_the_caseload_answers_a_message(client, me, municipality, team, team_consultant):
    """One rule for reading and answering: whoever may act on the dossier (PORTAL
    `answer_message`, relation TEAM) answers, so a colleague covering a caseload does too."""
    from django.core.exceptions import PermissionDenied

    from maatpak.participants.policies import dossier_policy
    from maatpak.portal.services import message_send_to_participant
    from tests.factories import TeamFactory

    client.force_login(me.user)
    client.post(reverse("portal:say_message"), {"message-subject": "Vraag", "message-body": "Wanneer is de intake?"})
    message = Message.objects.get()
    colleague = UserFactory(role="consultant", municipalities=[municipality], team=team, username="km2")
    assert dossier_policy.allows(colleague, "view", me)  # the colleague may read the dossier ...
    client.force_login(colleague)
    # ... their own inbox stays their own caseload (as before) ...
    assert "Wanneer is de intake?" not in client.get(reverse("portal:inbox")).content.decode()
    # ... and they may answer the message they read in the covered dossier.
    client.post(reverse("portal:inbox_reply", args=[message.pk]), {"subject": "Re: Vraag", "body": "Volgende week, ik neem waar."})
    reply = Message.objects.get(direction="to_participant")
    assert reply.sender == colleague and reply.participant == me
    message.refresh_from_db()
    assert message.read_on is not None
    # A consultant of another team may neither read the dossier nor answer: the same 404 either way.
    outsider = UserFactory(role="consultant", municipalities=[municipality], team=TeamFactory(municipality=municipality, name="Zuid"))
    client.force_login(outsider)
    assert client.post(reverse("portal:inbox_reply", args=[message.pk]), {"subject": "x", "body": "y"}).status_code == 404
    with pytest.raises(PermissionDenied):
        message_send_to_participant(actor=outsider, participant=me, subject="x", body="y")
    assert Message.objects.filter(direction="to_participant").count() == 1


@pytest.mark.django_db
def test_each_form_of_my_say_has_its_own_view_and_a_refused_form_keeps_what_was_typed(client, me):
    """One view per operation: "My say" posts each form to its own URL; only POST is accepted
    there, and a form that does not validate comes back with the participant's text in it."""
    client.force_login(me.user)
    assert client.get(reverse("portal:say_message")).status_code == 405
    response = client.post(reverse("portal:say_message"), {"message-subject": "", "message-body": "Mijn eigen woorden"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Mijn eigen woorden" in page and 'action="/portal/mijn-inbreng/bericht/"' in page
    assert not me.messages.exists()
