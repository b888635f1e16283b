"""Signing a profile in and out of a sync server, and building its sync engine. No Qt.

The profile remembers the server (and the certificate authority file trusted for it, if
any), the user and this device's server id in ``app_meta``; the token goes to the keyring (:class:`~sfa_desktop.sync.tokens.TokenStore`), never to a file.
Signing in as another user or to another server starts the profile afresh (its local copy
of the previous scope is removed), but never while changes are waiting to be pushed.
"""

from __future__ import annotations

import datetime as dt
import platform
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from sfa_desktop.domain.errors import ValidationError
from sfa_desktop.store.database import Database
from sfa_desktop.store.meta import MetaKey, get_meta, set_meta
from sfa_desktop.store.models import SYNCED_MODELS
from sfa_desktop.store.models.sync_state import (
    DeferredDrop,
    OutboxEntry,
    RecordSyncState,
    RejectedMutation,
    RestoreCheck,
    ShadowValue,
)
from sfa_desktop.store.quote_numbers import forget_numbers
from sfa_desktop.sync import outbox
from sfa_desktop.sync.bookkeeping import SyncMetaKey, set_cursor
from sfa_desktop.sync.engine import SyncEngine
from sfa_desktop.sync.errors import NotSignedIn, SignInRequired, SyncError
from sfa_desktop.sync.tokens import TokenStore
from sfa_desktop.sync.transport import API_PREFIX, RetryPolicy, SyncApi
from sfa_desktop.sync.trust import checked_ca_file
from sfa_desktop.sync.write_turns import take_write_lock
from sync_server.protocol.hlc import HybridLogicalClock

from .current_user import current_user_id


@dataclass(frozen=True)
class Identity:
    """Who this profile syncs as, and where."""

    server_url: str
    email: str
    user_id: str | None
    user_name: str | None
    role: str | None
    #: a certificate authority trusted for this server besides the usual ones (absolute path)
    ca_file: str | None = None


@dataclass(frozen=True)
class SignInResult:
    identity: Identity
    #: False when no keyring exists: the token lives in memory for this run only
    token_saved: bool
    #: True when the profile's previous data (another user or server) was removed
    profile_reset: bool


def default_device_name() -> str:
    return f"SFA Desktop on {platform.node() or 'this computer'}"[:120]


def normalize_server_address(text: str) -> str:
    """The server address as typed, checked: ``sfa.example.com`` → ``https://sfa.example.com``.

    Accepts http(s) addresses with a host (single-label intranet names and ports included),
    rejects other schemes, spaces, credentials, queries and fragments. Raises
    :class:`ValidationError` (``required``, or ``invalid_server_address`` with param ``value``).
    Every sign-in goes through it (the app's dialog calls it first to answer at once).
    """
    stripped = text.strip()
    if not stripped:
        raise ValidationError("required", field="server")
    error = ValidationError("invalid_server_address", field="server", params={"value": stripped})
    candidate = stripped if "://" in stripped else "https://" + stripped
    if any(character.isspace() for character in candidate):
        raise error
    try:
        parts = urlsplit(candidate)
        host = parts.hostname or ""
        _ = parts.port  # ValueError for a bad port
    except ValueError as exc:
        raise error from exc
    if (
        parts.scheme.lower() not in ("http", "https")
        or not host
        or "@" in parts.netloc
        or parts.query
        or parts.fragment
        or not all(character.isalnum() or character in "-._:[]" for character in host)
    ):
        raise error
    path = parts.path.rstrip("/")
    if path.endswith(API_PREFIX):
        path = path[: -len(API_PREFIX)]
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{path}"


def load_identity(session: Session) -> Identity | None:
    server = get_meta(session, MetaKey.SERVER_URL)
    email = get_meta(session, SyncMetaKey.USER_EMAIL)
    if not server or not email:
        return None
    return Identity(
        server_url=server,
        email=email,
        user_id=current_user_id(session),
        user_name=get_meta(session, SyncMetaKey.USER_NAME),
        role=get_meta(session, SyncMetaKey.USER_ROLE),
        ca_file=get_meta(session, SyncMetaKey.CA_FILE),
    )


def sign_in(
    database: Database,
    *,
    server_url: str,
    email: str,
    password: str,
    tokens: TokenStore,
    http: httpx.Client | None = None,
    retry: RetryPolicy | None = None,
    device_name: str | None = None,
    ca_file: str | None = None,
) -> SignInResult:
    """Sign in on the server and make this profile sync as that user.

    ``server_url`` is checked first (:func:`normalize_server_address`): a bad address is a
    :class:`ValidationError`, and nothing is sent. ``ca_file``: a certificate authority to
    trust for this server besides the usual ones (checked first, kept with the address;
    ``None`` forgets one given before).
    """
    ca_file = checked_ca_file(ca_file) if ca_file else None
    api = SyncApi(normalize_server_address(server_url), http=http, retry=retry, ca_file=ca_file)
    try:
        answer = api.login(
            email=email.strip(), password=password, device_name=device_name or default_device_name()
        )
    finally:
        api.close()
    user = answer.user
    with database.session() as session:
        take_write_lock(session)
        previous = load_identity(session)
        reset = previous is not None and (
            previous.server_url != api.server_url or previous.user_id != user.id
        )
        if reset:
            _reset_profile(session)
        set_meta(session, MetaKey.SERVER_URL, api.server_url)
        set_meta(session, MetaKey.USER_ID, user.id)
        set_meta(session, SyncMetaKey.USER_EMAIL, user.email)
        set_meta(session, SyncMetaKey.USER_NAME, user.name)
        set_meta(session, SyncMetaKey.USER_ROLE, user.role)
        set_meta(session, SyncMetaKey.SERVER_DEVICE_ID, answer.device_id)
        set_meta(session, SyncMetaKey.CA_FILE, ca_file)
    saved = tokens.save(api.server_url, user.email, answer.token)
    identity = Identity(api.server_url, user.email, user.id, user.name, user.role, ca_file)
    return SignInResult(identity=identity, token_saved=saved, profile_reset=reset)


def sign_out(
    database: Database,
    *,
    tokens: TokenStore,
    http: httpx.Client | None = None,
    retry: RetryPolicy | None = None,
) -> Identity:
    """Revoke this device's token on the server and forget it locally.

    The local token is removed even when the server cannot be reached (the error is raised
    after), so a lost laptop's token can still be revoked by an admin.
    """
    with database.session() as session:
        identity = load_identity(session)
    if identity is None:
        raise NotSignedIn("this profile is not signed in")
    token = tokens.load(identity.server_url, identity.email)
    try:
        if token:
            api = SyncApi(
                identity.server_url, http=http, token=token, retry=retry, ca_file=identity.ca_file
            )
            try:
                api.logout()
            except SignInRequired:
                pass  # already revoked or expired: nothing left to revoke
            finally:
                api.close()
    finally:
        tokens.delete(identity.server_url, identity.email)
    return identity


def connect(
    database: Database,
    *,
    tokens: TokenStore,
    http: httpx.Client | None = None,
    retry: RetryPolicy | None = None,
    now: Callable[[], dt.datetime] | None = None,
    clock: HybridLogicalClock | None = None,
    token: str | None = None,
) -> SyncEngine:
    """The sync engine of a signed-in profile; :class:`NotSignedIn` if there is no token.

    Pass the :class:`~sfa_desktop.services.editing.EditContext` clock as ``clock`` so that
    edits made after a sync sort after what the server had.
    """
    with database.session() as session:
        identity = load_identity(session)
    if identity is None:
        raise NotSignedIn("this profile is not signed in: sign in first")
    token = token or tokens.load(identity.server_url, identity.email)
    if not token:
        raise NotSignedIn("no saved sign-in for this profile: sign in again")
    api = SyncApi(
        identity.server_url, http=http, token=token, retry=retry, ca_file=identity.ca_file
    )
    if now is None:
        return SyncEngine(database, api, clock=clock)
    return SyncEngine(database, api, clock=clock, now=now)


def _reset_profile(session: Session) -> None:
    """Remove the local copy of the previous user's scope (refused with pending changes)."""
    if outbox.pending_count(session):
        raise SyncError(
            "this profile has changes not yet synced for another user or server",
            code="pending_changes",
        )
    models: list[type[Any]] = [
        *SYNCED_MODELS,
        RecordSyncState,
        ShadowValue,
        DeferredDrop,
        RejectedMutation,
        RestoreCheck,
    ]
    for model in models:
        session.execute(delete(model))
    set_cursor(session, "0")
    set_meta(session, SyncMetaKey.LAST_SYNC, None)
    set_meta(session, SyncMetaKey.EPOCH, None)
    set_meta(session, SyncMetaKey.RESTORE_CHECK, None)
    forget_numbers(session)  # leased for the previous user or server
    assert session.scalar(select(OutboxEntry.seq).limit(1)) is None
