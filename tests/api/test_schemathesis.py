"""Requirement (issue 14, must show): schemathesis against the API's own OpenAPI schema, inside
the suite — every operation, with valid and with invalid data, answers without a server error
and as its schema says (status code, content type, body).

A small world: a consultant API key whose service account holds two participants (one with an
active trajectory, a plan, a proposed sanction and a municipality default), and a participant
of another municipality. Each operation is called with generated ids (mostly 404s) and with the
ids of that world (so bodies reach the serializers and services)."""

import datetime as dt

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance, status_code_conformance

from maatpak.trajectories.models import MunicipalityDefault
from tests.api.conftest import bearer
from tests.factories import AgreementFactory, PlanVersionFactory, SanctionFactory, TrajectoryFactory

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]
MAX_EXAMPLES = 5
FEW = 2


@pytest.fixture
def wsgi_app():
    """The project's WSGI application, kept on the test's database connection: like Django's
    test client, it must not close the connection (and with it the test's transaction, on
    PostgreSQL) at the end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(keys):
    a = keys["a"]
    trajectory = TrajectoryFactory(
        participant=a["participant"], consultant=a["api_key"].user, status="active", started_on=dt.date(2025, 3, 1)
    )
    plan = PlanVersionFactory(trajectory=trajectory, agreed_on=dt.date(2025, 3, 1))
    participant_agreement = AgreementFactory(plan=plan, party="participant")
    municipality_agreement = AgreementFactory(plan=plan, party="municipality")
    sanction = SanctionFactory(agreement=participant_agreement, recorded_by=a["api_key"].user)
    default = MunicipalityDefault.objects.create(
        municipality=trajectory.municipality,
        trajectory=trajectory,
        participant=a["participant"],
        agreement=municipality_agreement,
        description="Opvang te laat geregeld",
        recorded_on=dt.date(2025, 5, 1),
        reported_by_participant=True,
        recorded_by=a["api_key"].user,
    )
    ids = {"pk": a["participant"].pk}
    trajectory_ids = {"pk": trajectory.pk, "row_pk": sanction.pk}
    default_ids = {"pk": trajectory.pk, "row_pk": default.pk}
    return {"key": a["key"], "ids": ids, "trajectory_ids": trajectory_ids, "default_ids": default_ids}


def _known_ids(path: str, world) -> dict:
    if "/municipality-defaults/" in path:
        return world["default_ids"]
    if path.startswith("/api/v1/trajectories/"):
        return world["trajectory_ids"]
    if path.startswith("/api/v1/portal/me/reports/"):
        return {"kind": "progress", "pk": world["ids"]["pk"]}
    return world["ids"]


@pytest.mark.django_db
def test_every_operation_keeps_to_its_schema(world, wsgi_app):
    app = wsgi_app
    headers = bearer(world["key"])
    auth = {"Authorization": headers["HTTP_AUTHORIZATION"]}
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", app, headers={**auth, "Accept": "application/json"})
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20
    failures = []
    for operation in operations:
        params = [p.name for p in operation.path_parameters]
        known = {name: value for name, value in _known_ids(operation.path, world).items() if name in params}
        # Generated ids mostly meet a 404 before the body is read: a few suffice. The world's ids
        # let valid and invalid bodies reach the serializers and the services.
        runs = [(GenerationMode.POSITIVE, None, FEW)] if params else []
        runs += [(GenerationMode.POSITIVE, known or None, MAX_EXAMPLES), (GenerationMode.NEGATIVE, known or None, MAX_EXAMPLES)]
        for mode, path_parameters, examples in runs:
            strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters)

            @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck), derandomize=True)
            @given(case=strategy)
            def call(case):
                case.call_and_validate(headers=auth, checks=CHECKS)

            try:
                call()
            except Exception as exc:  # one report for all operations, not a stop at the first
                failures.append(f"{operation.label} ({mode}, ids {path_parameters or 'generated'}): {str(exc)[:3000]}")
    assert not failures, "\n\n".join(failures)
