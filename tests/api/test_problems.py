"""Requirement (issue 14.9, 14.7): the API answers every error as application/problem+json
(RFC 9457) with Dutch texts unless Accept-Language asks otherwise, refuses hostile bodies with a
clear problem (never a 500, never half a write), and lives under /api/v1/ with a schema that
requires login and documents the problem responses."""

import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from maatpak.api.parsers import MAX_JSON_DEPTH, json_depth
from maatpak.participants.models import Participant, Wish
from tests.api.conftest import bearer
from tests.api.problems import field_messages, problem

pytestmark = pytest.mark.django_db


def _api_post_urls(participant):
    """Every API operation that takes a body, with ids that reach `participant` where needed."""
    urls = []

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and pattern.name and hasattr(pattern.callback, "view_class"):
                yield pattern

    resolver = get_resolver().url_patterns
    api = next(p for p in resolver if isinstance(p, URLResolver) and p.namespace == "api")
    for pattern in walk(api.url_patterns):
        if "post" not in pattern.callback.view_class.http_method_names or not hasattr(pattern.callback.view_class, "post"):
            continue
        kwargs = {name: participant.pk for name in pattern.pattern.converters}
        if "kind" in kwargs:
            kwargs["kind"] = "progress"
        urls.append(reverse(f"api:{pattern.name}", kwargs=kwargs))
    return urls


def test_a_refused_field_is_a_problem_with_invalid_params_in_dutch(client, keys):
    a = keys["a"]
    url = reverse("api:participant-wishes", args=[a["participant"].pk])
    response = client.post(url, {"kind": "wish", "text": "  "}, content_type="application/json", **bearer(a["key"]))
    body = problem(response)
    assert response.status_code == 400 and body["type"] == "urn:maatpak:problem:invalid-input"
    assert body["title"] == "Invoer klopt niet" and body["instance"] == url
    assert list(field_messages(response)) == ["text"] and all(row["code"] for row in body["invalid-params"])


def test_accept_language_english_gives_english_texts(client, keys):
    a = keys["a"]
    url = reverse("api:participant-wishes", args=[a["participant"].pk])
    response = client.post(url, {"kind": "nonsense"}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en", **bearer(a["key"]))
    body = problem(response)
    assert body["title"] == "Invalid input" and "kind" in field_messages(response) and "text" in field_messages(response)
    assert "is not a valid choice" in field_messages(response)["kind"][0]


def test_nested_fields_are_named_as_dotted_paths(client, keys):
    response = client.post(
        reverse("api:participant-register"),
        {"ladder": {"current": {"paid_work": "misschien"}}},
        content_type="application/json",
        **bearer(keys["a"]["key"]),
    )
    assert "ladder.current.paid_work" in field_messages(response)


def test_not_found_and_unknown_addresses_are_problems(client, keys):
    key = keys["a"]["key"]
    for url in ("/api/v1/participants/999999999/dossier/", "/api/v1/nothing-here/", "/api/caseload/", "/api/v1/caseload"):
        response = client.get(url, **bearer(key))
        assert response.status_code == 404 and problem(response)["instance"] == url, url
    assert "/api/v1/" in problem(client.get("/api/caseload/", **bearer(key)))["detail"]


def test_a_query_string_never_lands_in_the_problem(client, keys):
    response = client.get("/api/v1/participants/999999999/dossier/?bsn=123456782", **bearer(keys["a"]["key"]))
    assert "123456782" not in response.content.decode()


@pytest.mark.parametrize("body", ["{", "[1, 2", '{"text": NaN}', "\udcff"])
def test_malformed_json_is_a_problem(client, keys, body):
    a = keys["a"]
    url = reverse("api:participant-wishes", args=[a["participant"].pk])
    response = client.post(url, body.encode("utf-8", "surrogateescape"), content_type="application/json", **bearer(a["key"]))
    assert response.status_code == 400 and problem(response)["type"] == "urn:maatpak:problem:malformed-body"


def test_a_form_body_is_refused_as_unsupported(client, keys):
    a = keys["a"]
    url = reverse("api:participant-wishes", args=[a["participant"].pk])
    response = client.post(url, {"kind": "wish", "text": "koken"}, **bearer(a["key"]))
    assert response.status_code == 415 and problem(response)
    assert not Wish.objects.exists()


def test_2kb_of_nested_brackets_is_refused_on_every_operation(client, keys):
    """The attack of issue 14: 2 KB of brackets used to end in a 500 on several endpoints. Now
    it is a problem: "too deeply nested", or the 404/403 of an operation the key may not reach
    (checked before the body is read)."""
    a = keys["a"]
    failures, refused_as_too_deep = [], 0
    urls = _api_post_urls(a["participant"])
    for url in urls:
        for brackets in ("[" * 2048, '{"a":' * 1024 + "1" + "}" * 1024):
            response = client.post(url, brackets, content_type="application/json", **bearer(a["key"]))
            kind = problem(response)["type"] if response.status_code >= 400 else None
            if response.status_code == 400 and kind == "urn:maatpak:problem:too-deeply-nested":
                refused_as_too_deep += 1
            elif response.status_code not in (403, 404):
                failures.append(f"{url}: {response.status_code} {kind}")
    assert not failures, failures
    assert len(urls) > 15 and refused_as_too_deep >= 6  # register, purpose, wishes, trajectory create: both bodies


def test_the_depth_limit_counts_brackets_outside_strings_only(client, keys):
    a = keys["a"]
    url = reverse("api:participant-wishes", args=[a["participant"].pk])
    text = "[" * 100 + "{"
    response = client.post(url, json.dumps({"kind": "wish", "text": text}), content_type="application/json", **bearer(a["key"]))
    assert response.status_code == 201 and Wish.objects.get().text == text
    assert json_depth(json.dumps([[[["x"]]]])) == 4
    assert json_depth("[" * (MAX_JSON_DEPTH + 1)) == MAX_JSON_DEPTH + 1


def test_a_body_above_the_limit_is_a_413_problem(client, keys, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    a = keys["a"]
    url = reverse("api:participant-wishes", args=[a["participant"].pk])
    response = client.post(url, json.dumps({"kind": "wish", "text": "x" * 20_000}), content_type="application/json", **bearer(a["key"]))
    assert response.status_code == 413 and "10000 bytes" in problem(response)["detail"]
    assert not Wish.objects.exists()


def test_text_longer_than_the_model_allows_is_refused_before_the_database(client, keys):
    """On PostgreSQL an over-long value used to be a 500; the serializer refuses it with the
    model's own limit and the text rule's Dutch message."""
    body = {
        "bsn": "123456782",
        "reference": "R" * 33,
        "first_name": "Sam",
        "last_name": "Jansen\u202e",
        "birth_date": "0001-01-01",
        "benefit_start": "9999-12-31",
    }
    response = client.post(reverse("api:participant-register"), body, content_type="application/json", **bearer(keys["a"]["key"]))
    messages = field_messages(response)
    assert "32 tekens" in messages["reference"][0]
    assert "leesrichting" in messages["last_name"][0]
    assert "birth_date" in messages and "benefit_start" in messages
    assert Participant.objects.count() == 2  # only the fixtures' participants


def test_absurd_numbers_are_refused_not_overflowing(client, keys):
    a = keys["a"]
    response = client.post(reverse("api:trajectory-create"), {"participant": 10**30}, content_type="application/json", **bearer(a["key"]))
    assert response.status_code == 400 and "participant" in field_messages(response)


def test_the_schema_requires_login(client, keys):
    assert client.get(reverse("api:schema")).status_code == 401
    assert client.get(reverse("api:docs")).status_code == 401
    assert client.get(reverse("api:schema"), **bearer(keys["a"]["key"]), HTTP_ACCEPT="application/json").status_code == 200


def test_the_schema_documents_the_problem_responses_of_every_operation(client, keys):
    schema = client.get(reverse("api:schema") + "?format=json", **bearer(keys["a"]["key"]), HTTP_ACCEPT="application/json").json()
    assert schema["info"]["version"] == "1.0.0" and all(path.startswith("/api/v1/") for path in schema["paths"])
    assert {"type", "title", "status", "detail", "instance", "invalid-params"} <= set(
        schema["components"]["schemas"]["Problem"]["properties"]
    )
    operations = [(path, method, op) for path, ops in schema["paths"].items() for method, op in ops.items()]
    assert len(operations) > 20
    for path, method, operation in operations:
        for status in ("400", "401", "403", "404"):
            content = operation["responses"][status]["content"]
            assert content == {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}, (path, method, status)
    assert "apiKey" in schema["components"]["securitySchemes"]
