"""The app's link to the sync server (``SyncSession``, no Qt), against the in-process server of
``desktop_sync.py``."""

from __future__ import annotations

import pytest
from keyring.backends import fail
from server.helpers import PASSWORD

from sfa_desktop.domain.errors import ValidationError
from sfa_desktop.services.sync_account import load_identity, normalize_server_address
from sfa_desktop.services.sync_session import SyncCancelled
from sfa_desktop.store.database import Database
from sfa_desktop.sync.errors import InvalidCredentials, NotSignedIn, ServerUnreachable
from sfa_desktop.sync.tokens import TokenStore

from .desktop_sync import SERVER_URL, SyncServer, desktop_session

# --- SyncSession ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("sfa.example.com", "https://sfa.example.com"),
        ("  HTTP://Sfa.Example.com:8080/ ", "http://sfa.example.com:8080"),
        ("https://sfa.example.com/api/v1", "https://sfa.example.com"),
        ("http://sfa-server:8000", "http://sfa-server:8000"),
        ("https://example.com/sfa/", "https://example.com/sfa"),
        ("http://[::1]:8000", "http://[::1]:8000"),
    ],
)
def test_server_addresses_are_normalized(typed: str, expected: str) -> None:
    assert normalize_server_address(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "ftp://sfa.example.com",
        "https://",
        "sfa example.com",
        "https://u:p@sfa.example.com",
        "https://sfa.example.com/?x=1",
        "https://sfa.example.com:99999",
        "https://sfa_server!",
    ],
)
def test_bad_server_addresses_are_refused(typed: str) -> None:
    with pytest.raises(ValidationError) as caught:
        normalize_server_address(typed)
    assert caught.value.code == ("required" if not typed else "invalid_server_address")


def test_sign_in_then_sync_then_sign_out(
    sync_server: SyncServer, desktop_database: Database
) -> None:
    session = desktop_session(sync_server, desktop_database)
    assert session.account_state().identity is None
    with pytest.raises(NotSignedIn):
        session.sync()
    result = session.sign_in(
        server_url="sfa.example.com", email=" ana.rep@example.com ", password=PASSWORD
    )
    assert result.identity.server_url == SERVER_URL and result.token_saved
    state = session.account_state()
    assert state.signed_in and state.keyring_available
    report = session.sync()
    assert report.pulled >= 6  # the users
    assert session.server_reachable(SERVER_URL)
    session.sign_out()
    state = session.account_state()
    assert state.identity is not None and not state.has_token  # who it was stays known


def test_wrong_password_and_unreachable_server(
    sync_server: SyncServer, desktop_database: Database
) -> None:
    http = sync_server.client()
    session = desktop_session(sync_server, desktop_database, http=http)
    with pytest.raises(InvalidCredentials):
        session.sign_in(server_url=SERVER_URL, email="ana.rep@example.com", password="nope")
    with desktop_database.session() as db:
        assert load_identity(db) is None
    http.offline = True
    with pytest.raises(ServerUnreachable):
        session.sign_in(server_url=SERVER_URL, email="ana.rep@example.com", password=PASSWORD)
    assert not session.server_reachable(SERVER_URL)


def test_without_a_keyring_the_token_lives_for_this_run_only(
    sync_server: SyncServer, desktop_database: Database
) -> None:
    tokens = TokenStore(fail.Keyring())
    session = desktop_session(sync_server, desktop_database, tokens=tokens)
    result = session.sign_in(server_url=SERVER_URL, email="ana.rep@example.com", password=PASSWORD)
    assert not result.token_saved
    assert session.account_state().signed_in
    next_run = desktop_session(sync_server, desktop_database, tokens=TokenStore(fail.Keyring()))
    state = next_run.account_state()
    assert state.identity is not None and not state.has_token and not state.keyring_available


def test_a_cancelled_session_refuses_to_sync(
    sync_server: SyncServer, desktop_database: Database
) -> None:
    session = desktop_session(sync_server, desktop_database)
    session.sign_in(server_url=SERVER_URL, email="ana.rep@example.com", password=PASSWORD)
    assert session.cancel(wait=1.0)
    with pytest.raises(SyncCancelled):
        session.sync()
