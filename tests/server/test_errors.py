"""Malformed requests get a JSON 4xx, never a 500 (SPEC §6)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from sync_server.api.deps import ServerState
from sync_server.protocol.wire import MAX_PUSH_MUTATIONS

from .helpers import Device


def _is_error_body(body: object) -> bool:
    return (
        isinstance(body, dict)
        and isinstance(body.get("code"), str)
        and isinstance(body.get("message"), str)
    )


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "code"),
    [
        ("post", "/api/v1/sync/push", {"content": b"{not json"}, 400, "invalid_json"),
        ("post", "/api/v1/sync/push", {"json": {"mutations": "all"}}, 422, "invalid_request"),
        ("post", "/api/v1/sync/push", {"json": [1, 2]}, 422, "invalid_request"),
        (
            "post",
            "/api/v1/sync/push",
            {"json": {"mutations": [{"op": "explode"}]}},
            422,
            "invalid_request",
        ),
        (
            "post",
            "/api/v1/sync/push",
            {"content": "\udcff".encode("utf-8", "surrogatepass")},
            400,
            "invalid_json",
        ),
        ("get", "/api/v1/nowhere", {}, 404, "not_found"),
        ("delete", "/api/v1/sync/push", {}, 405, "method_not_allowed"),
        ("get", "/api/v1/audit", {}, 422, "invalid_request"),
    ],
)
def test_malformed_requests(
    devices: dict[str, Device],
    method: str,
    path: str,
    kwargs: dict[str, object],
    status: int,
    code: str,
) -> None:
    rep = devices["rep_a"]
    headers = {**rep.headers, "Content-Type": "application/json"}
    response = getattr(rep.client, method)(path, headers=headers, **kwargs)
    assert response.status_code == status, response.text
    assert _is_error_body(response.json()) and response.json()["code"] == code


def test_too_many_mutations(devices: dict[str, Device]) -> None:
    rep = devices["rep_a"]
    mutation = {
        "mutation_id": "m",
        "entity": "account",
        "record_id": "x",
        "op": "delete",
        "base_version": 0,
        "hlc": "h",
    }
    body = {"mutations": [mutation] * (MAX_PUSH_MUTATIONS + 1)}
    response = rep.client.post("/api/v1/sync/push", json=body, headers=rep.headers)
    assert response.status_code == 422


def test_huge_bodies_are_refused(devices: dict[str, Device], state: ServerState) -> None:
    rep = devices["rep_a"]
    size = state.settings.max_request_bytes + 1
    declared = rep.client.post("/api/v1/sync/push", content=b" " * size, headers=rep.headers)
    assert declared.status_code == 413 and declared.json()["code"] == "request_too_large"

    def chunks() -> object:
        for _ in range(size // 65536 + 1):
            yield b" " * 65536

    streamed = rep.client.post("/api/v1/sync/push", content=chunks(), headers=rep.headers)  # type: ignore[arg-type]
    assert streamed.status_code == 413 and streamed.json()["code"] == "request_too_large"


def test_unknown_routes_outside_the_api(client: TestClient) -> None:
    response = client.get("/nothing/here")
    assert response.status_code == 404 and _is_error_body(response.json())
