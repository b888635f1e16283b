"""``sfa sync`` against a server that needs a newer client says which protocol and where to get
the app (the server's ``SFA_CLIENT_DOWNLOAD_URL``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from server.helpers import Team, cheap_hash_settings

from sfa_desktop.i18n import set_language
from sync_server.api import middleware
from sync_server.protocol.versions import PROTOCOL_VERSION
from sync_server.settings import Settings

from .conftest import Sfa

DOWNLOADS = "https://downloads.example.com/sfa-desktop/"


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    yield
    set_language("en")  # sfa switched this process to the environment's language


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """The suite's server settings, with a download address for outdated clients."""
    return cheap_hash_settings(tmp_path, database_url, client_download_url=DOWNLOADS)


def test_sync_says_the_server_needs_a_newer_app_and_where_to_get_it(
    sfa: Sfa, team: Team, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):  # sfa speaks the environment's language
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert sfa.login(team.rep_a.email) == 0
    capsys.readouterr()
    # the server is upgraded and no longer serves this client's protocol
    monkeypatch.setattr(middleware, "MIN_PROTOCOL_VERSION", PROTOCOL_VERSION + 1)
    assert sfa("sync") == 1
    assert capsys.readouterr().err.strip() == (
        f"sfa: The server needs a newer SFA Desktop (protocol {PROTOCOL_VERSION + 1}). "
        f"Install the latest version from {DOWNLOADS}"
    )
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    assert sfa("sync") == 1
    assert capsys.readouterr().err.strip() == (
        f"sfa: El servidor necesita un SFA Desktop más reciente (protocolo "
        f"{PROTOCOL_VERSION + 1}). Instala la última versión desde {DOWNLOADS}"
    )
