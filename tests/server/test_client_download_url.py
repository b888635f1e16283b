"""A client too old for the server is told which protocol it needs and where to get the app
(``SFA_CLIENT_DOWNLOAD_URL``), in the 426 ``client_outdated`` answer's details."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from sync_server.app import create_app
from sync_server.db.database import Database
from sync_server.protocol.versions import MIN_PROTOCOL_VERSION, PROTOCOL_HEADER, SCHEMA_HEADER
from sync_server.settings import Settings

from .helpers import ManualClock, cheap_hash_settings

DOWNLOADS = "https://downloads.example.com/sfa-desktop/"
TOO_OLD = {PROTOCOL_HEADER: "0", SCHEMA_HEADER: "1"}


def outdated_answer(settings: Settings, clock: ManualClock) -> dict[str, object]:
    database = Database(settings.sqlalchemy_url(), pool_size=2)
    try:
        client = TestClient(create_app(settings, clock=clock, database=database))
        response = client.post("/api/v1/auth/login", headers=TOO_OLD, json={})
        assert response.status_code == 426
        body: dict[str, object] = response.json()
        return body
    finally:
        database.dispose()


def test_the_outdated_answer_names_the_protocol_and_the_download_address(
    database_url: str, tmp_path: Path, clock: ManualClock
) -> None:
    plain = outdated_answer(cheap_hash_settings(tmp_path, database_url), clock)
    assert plain["code"] == "client_outdated"
    assert plain["details"] == {"required_protocol": MIN_PROTOCOL_VERSION, "download_url": None}

    told = cheap_hash_settings(tmp_path, database_url, client_download_url=DOWNLOADS)
    assert outdated_answer(told, clock)["details"] == {
        "required_protocol": MIN_PROTOCOL_VERSION,
        "download_url": DOWNLOADS,
    }


@pytest.mark.parametrize(
    "address",
    [
        "ftp://downloads.example.com/",
        "javascript:alert(1)",
        "https://example.com/<b>update</b>",
        "https://example.com/a b",
        "https://example.com/" + "x" * 500,
    ],
)
def test_only_one_plain_http_address_is_accepted(tmp_path: Path, address: str) -> None:
    with pytest.raises(ValidationError):
        Settings(data_dir=tmp_path, client_download_url=address)


def test_the_download_address_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SFA_CLIENT_DOWNLOAD_URL", DOWNLOADS)
    assert Settings(data_dir=tmp_path).client_download_url == DOWNLOADS
