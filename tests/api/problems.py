"""Reading the API's problem responses (RFC 9457, core.errors) in tests."""

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance"}


def problem(response) -> dict:
    """The problem body of an error response, after checking it is one."""
    assert response["Content-Type"] == "application/problem+json", response["Content-Type"]
    body = response.json()
    assert set(body) >= PROBLEM_KEYS and body["status"] == response.status_code, body
    return body


def field_messages(response) -> dict[str, list[str]]:
    """The refused fields of a problem response: {field: [messages]}."""
    messages = {}
    for row in problem(response).get("invalid-params", []):
        messages.setdefault(row["name"], []).append(row["reason"])
    return messages
