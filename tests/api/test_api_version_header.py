"""NLGov API Design Rules (API-57): every API answer says which full version it speaks."""

import pytest
from django.conf import settings


@pytest.mark.django_db
def test_every_api_answer_carries_the_full_version(client, consultant):
    assert client.get("/api/v1/caseload/")["API-Version"] == settings.SPECTACULAR_SETTINGS["VERSION"]  # 401 too
    client.force_login(consultant)
    response = client.get("/api/v1/caseload/")
    assert response["API-Version"] == settings.SPECTACULAR_SETTINGS["VERSION"]
    assert "API-Version" not in client.get("/participants/")
