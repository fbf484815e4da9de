"""Requirement (issue 5): the participant guide is reachable from the portal, in the same
words; and logging out brings a participant back to their own log-in page (the staff log-in
refuses participants)."""

import html
import re
from pathlib import Path

import pytest
from django.urls import reverse

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guide-participant.md"


def _guide_sentences() -> list[str]:
    """The Dutch sentences of the guide (the part before the English summary), without
    markdown and without the bold paragraph titles, which are headings on the page."""
    dutch = GUIDE.read_text(encoding="utf-8").split("\n---\n", 1)[0]
    paragraphs = [p for p in dutch.split("\n\n") if p.startswith("**")]
    sentences = []
    for paragraph in paragraphs:
        body = re.sub(r"^\*\*[^*]+\*\*\s*", "", paragraph)
        body = " ".join(body.replace("**", "").replace("*", "").replace("`", "").split())
        sentences += re.split(r"(?<=[.?!])\s+(?=[A-Z])", body)
    return sentences


def _text(response) -> str:
    main = response.content.decode().split("<main", 1)[1]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main)).split())


def test_the_guide_has_the_sections_the_page_shows():
    assert len(_guide_sentences()) >= 15


@pytest.mark.django_db
def test_help_page_shows_the_guide_in_the_same_words(client, me):
    client.force_login(me.user)
    text = _text(client.get(reverse("portal:help")))
    missing = [s for s in _guide_sentences() if s not in text]
    assert not missing, f"on the help page, not as in docs/guide-participant.md: {missing}"


@pytest.mark.django_db
def test_help_is_in_the_portal_menu_and_on_the_login_page(client, me):
    help_url = reverse("portal:help")
    assert f'href="{help_url}"' in client.get(reverse("portal:login")).content.decode()
    assert client.get(help_url).status_code == 200  # also before logging in
    client.force_login(me.user)
    assert f'href="{help_url}"' in client.get(reverse("portal:home")).content.decode()


@pytest.mark.django_db
def test_participant_logout_goes_to_the_portal_login(client, me, team_consultant):
    client.force_login(me.user)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and response["Location"] == reverse("portal:login")
    assert client.get(reverse("portal:home")).status_code == 302  # really logged out
    client.force_login(team_consultant)
    response = client.post(reverse("accounts:logout"))
    assert response["Location"] == reverse("accounts:login")
