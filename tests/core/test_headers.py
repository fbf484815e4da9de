"""Requirement (issue 14, item 8): response headers a security officer checks.

A Content-Security-Policy without `unsafe-inline`, a Permissions-Policy, and `no-store` on
everything shown to a logged-in user; and no template that needs inline code the policy blocks.
"""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import ParticipantFactory, PlanVersionFactory, TrajectoryFactory

ROOT = Path(__file__).resolve().parents[2]


def _csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part}


@pytest.mark.django_db
def test_the_log_in_page_has_a_strict_content_security_policy(client):
    response = client.get(reverse("accounts:login"))
    policy = _csp(response)
    assert policy["default-src"] == ["'self'"]
    for directive in ("script-src", "style-src"):
        assert policy[directive] == ["'self'"], directive
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_a_dossier_page_is_never_stored(client, municipality, consultant):
    participant = ParticipantFactory(municipality=municipality, consultant=consultant)
    client.force_login(consultant)
    response = client.get(reverse("participants:dossier", args=[participant.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "Content-Security-Policy" in response


@pytest.mark.django_db
def test_files_with_personal_data_are_never_stored(client, municipality, consultant):
    participant = ParticipantFactory(municipality=municipality, consultant=consultant)
    plan = PlanVersionFactory(trajectory=TrajectoryFactory(participant=participant, consultant=consultant), created_by=consultant)
    client.force_login(consultant)
    response = client.get(reverse("trajectories:pdf", args=[plan.trajectory.pk, plan.number]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle=\"", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+=\"", re.I), "inline event handler"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_no_template_needs_inline_code():
    """The policy blocks inline scripts, styles and handlers: a template that uses them breaks
    silently in the browser, so this test finds them first."""
    found = []
    for path in sorted((ROOT / "maatpak").rglob("*.html")):
        if "admin" in path.parts:  # Django's admin templates are Django's own
            continue
        # Template comments ({# … #}) are not sent to the browser; blank them, keeping line numbers.
        text = re.sub(r"{#.*?#}", lambda m: " " * len(m.group()), path.read_text(encoding="utf-8"))
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(ROOT)}:{line}: {what}")
    assert not found, "Inline code the Content-Security-Policy blocks:\n" + "\n".join(found)
