"""Sign-in, tokens, rate limiting, revocation and version headers."""

from __future__ import annotations

import hashlib

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import select

from sync_server.api.deps import ServerState
from sync_server.db.models import Device as DeviceRow
from sync_server.protocol.versions import PROTOCOL_HEADER, SCHEMA_HEADER
from sync_server.services import users

from .helpers import PASSWORD, VERSION_HEADERS, ManualClock, Team, login


def _login(client: TestClient, email: str, password: str = PASSWORD) -> httpx.Response:
    body = {"email": email, "password": password, "device_name": "laptop"}
    return client.post("/api/v1/auth/login", json=body)


def test_login_returns_a_device_token_that_works(
    client: TestClient, team: Team, clock: ManualClock, state: ServerState
) -> None:
    device = login(client, team.rep_a.email.upper(), clock)
    me = client.get("/api/v1/me", headers=device.headers)
    assert me.status_code == 200
    assert me.json()["user"]["email"] == team.rep_a.email
    assert me.json()["device_id"] == device.device_id
    with state.database.read_session() as session:
        stored = session.scalars(select(DeviceRow.token_hash)).all()
    assert device.token not in stored
    assert hashlib.sha256(device.token.encode()).hexdigest() in stored


def test_wrong_password_and_unknown_user_look_the_same(client: TestClient, team: Team) -> None:
    wrong = _login(client, team.rep_a.email, "not the password")
    unknown = _login(client, "nobody@example.com", "not the password")
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert response.json()["code"] == "invalid_credentials"


def test_failed_logins_are_rate_limited_per_account(
    client: TestClient, team: Team, clock: ManualClock, state: ServerState
) -> None:
    limit = state.settings.login_max_failures_per_account
    for _ in range(limit):
        assert _login(client, team.rep_a.email, "guess").status_code == 401
    blocked = _login(client, team.rep_a.email)  # even the right password waits
    assert blocked.status_code == 429
    assert blocked.json()["code"] == "rate_limited"
    assert int(blocked.headers["Retry-After"]) > 0
    assert _login(client, team.rep_b.email).status_code == 200
    clock.advance(seconds=state.settings.login_failure_window_seconds + 1)
    assert _login(client, team.rep_a.email).status_code == 200


def test_failed_logins_are_rate_limited_per_address(
    client: TestClient, team: Team, state: ServerState
) -> None:
    limit = state.settings.login_max_failures_per_address
    for n in range(limit):
        _login(client, f"probe{n}@example.com", "guess")
    blocked = _login(client, team.rep_a.email)
    assert blocked.status_code == 429
    assert blocked.json()["code"] == "rate_limited"
    window = state.settings.login_failure_window_seconds
    assert 0 < int(blocked.headers["Retry-After"]) <= window + 1  # the client tells the user


def test_logout_revokes_only_that_device(
    client: TestClient, team: Team, clock: ManualClock
) -> None:
    laptop, desktop = login(client, team.rep_a.email, clock), login(client, team.rep_a.email, clock)
    assert client.post("/api/v1/auth/logout", headers=laptop.headers).status_code == 204
    gone = client.get("/api/v1/me", headers=laptop.headers)
    assert gone.status_code == 401 and gone.json()["code"] == "invalid_token"
    assert client.get("/api/v1/me", headers=desktop.headers).status_code == 200


def test_deactivation_stops_every_token_at_once(
    client: TestClient, team: Team, clock: ManualClock, state: ServerState
) -> None:
    one, two = login(client, team.rep_b.email, clock), login(client, team.rep_b.email, clock)
    revoked = users.deactivate_user(state.database, context=state.sync, email=team.rep_b.email)
    assert revoked == 2
    for device in (one, two):
        response = client.get("/api/v1/sync/pull", headers=device.headers)
        assert response.status_code == 401
    assert _login(client, team.rep_b.email).status_code == 401


def test_missing_or_bad_token(client: TestClient, team: Team) -> None:
    assert client.get("/api/v1/me").json()["code"] == "not_authenticated"
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer nonsense"})
    assert response.status_code == 401 and response.json()["code"] == "invalid_token"


def test_expired_token(
    client: TestClient, team: Team, clock: ManualClock, state: ServerState
) -> None:
    device = login(client, team.rep_a.email, clock)
    clock.advance(days=state.settings.token_ttl_days + 1)
    assert client.get("/api/v1/me", headers=device.headers).status_code == 401


def test_versions_are_checked_on_every_request(client: TestClient, team: Team) -> None:
    bare = TestClient(client.app)
    for headers in ({}, {PROTOCOL_HEADER: "0", SCHEMA_HEADER: "1"}, {PROTOCOL_HEADER: "x"}):
        response = bare.post("/api/v1/auth/login", headers=headers, json={})
        assert response.status_code == 426
        assert response.json()["code"] == "client_outdated"
        assert "update" in response.json()["message"]
    newer = {**VERSION_HEADERS, PROTOCOL_HEADER: "99"}
    assert bare.get("/api/v1/me", headers=newer).json()["code"] == "server_outdated"
    health = bare.get("/api/v1/health")  # no sign-in, no version headers
    assert health.status_code == 200 and health.json()["status"] == "ok"
