"""Schemathesis over /openapi.json: no server errors and responses that match the schema.

Bounded (a fixed number of examples per operation, derandomized) so the suite stays fast and
deterministic. Every case gets the version headers and a fresh valid token, so sign-out cases
cannot lock the rest out.
"""

from __future__ import annotations

import datetime as dt
import secrets

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from sync_server.api.deps import ServerState
from sync_server.db.models import Device as DeviceRow
from sync_server.protocol.ids import new_id
from sync_server.services.auth import hash_token

from .helpers import VERSION_HEADERS, Device, Team, build_account_tree

EXAMPLES_PER_OPERATION = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def _fresh_token(state: ServerState, user_id: str) -> str:
    token = secrets.token_urlsafe(32)
    with state.database.write_session() as session:
        session.add(
            DeviceRow(
                id=new_id(),
                user_id=user_id,
                name="fuzzer",
                token_hash=hash_token(token),
                created_at=dt.datetime.now(dt.UTC),
                expires_at=None,
                revoked_at=None,
            )
        )
    return token


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_api_never_fails_and_conforms_to_its_schema(
    app: FastAPI, state: ServerState, team: Team, devices: dict[str, Device], mode: GenerationMode
) -> None:
    build_account_tree(devices["rep_a"], team.rep_a.id)  # something to pull
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 9

    if mode is GenerationMode.NEGATIVE:  # only parameters and bodies can be malformed
        operations = [op for op in operations if len(op.query) or len(op.body)]

    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def exercise(case: schemathesis.Case) -> None:
            token = _fresh_token(state, team.manager.id)
            headers = {**VERSION_HEADERS, "Authorization": f"Bearer {token}"}
            case.call_and_validate(headers=headers, checks=CHECKS)

        exercise()
