"""Sign-in, per-device tokens, sign-out and rate limiting of failed logins (SPEC §6).

A token is 256 random bits shown once to the device; the database keeps only its SHA-256
(a fast hash is enough for a random secret of that size). Every request looks the token up
together with its user, so revoking a device or deactivating a user takes effect at once.

Failed logins are counted in the database (so the limit holds across workers), per account
and per client address, inside a sliding window. An attempt is recorded *before* its password
is checked and removed when it succeeds, so parallel guesses cannot slip past the limit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sync_server.db import users
from sync_server.db.database import Database
from sync_server.db.models import Device, User
from sync_server.protocol.ids import new_id
from sync_server.protocol.wire import LoginResponse, UserInfo
from sync_server.settings import Settings

from .actor import Actor
from .errors import RateLimited, ServiceError, Unauthorized
from .passwords import Passwords


@dataclass(frozen=True)
class SignedIn:
    """The device and user behind a valid token."""

    device_id: str
    device_name: str
    user: UserInfo

    @property
    def actor(self) -> Actor:
        return Actor(user_id=self.user.id, device_id=self.device_id, role=self.user.role)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


def user_info(user: User) -> UserInfo:
    return UserInfo.model_validate(
        {
            "id": user.id,
            "name": user.name,
            "email": user.email,
            "role": user.role,
            "rep_code": user.rep_code,
        }
    )


class AuthService:
    def __init__(self, database: Database, settings: Settings, passwords: Passwords) -> None:
        self.database = database
        self.settings = settings
        self.passwords = passwords

    def login(
        self, *, email: str, password: str, device_name: str, address: str, now: dt.datetime
    ) -> LoginResponse:
        if "\x00" in email + device_name:
            raise ServiceError("the email and device name must not contain NUL characters")
        email = normalise_email(email)
        user = self._admit_attempt(email=email, address=address, now=now)
        valid = self.passwords.verify(user.password_hash if user else None, password)
        if user is None or not valid or not user.active:
            raise Unauthorized("wrong email or password", code="invalid_credentials")
        token = secrets.token_urlsafe(32)
        ttl = self.settings.token_ttl_days
        device = Device(
            id=new_id(),
            user_id=user.id,
            name=device_name.strip() or "device",
            token_hash=hash_token(token),
            created_at=now,
            expires_at=now + dt.timedelta(days=ttl) if ttl else None,
            revoked_at=None,
        )
        rehashed = None  # the cost settings changed: upgrade the stored hash
        if user.password_hash and self.passwords.needs_rehash(user.password_hash):
            rehashed = self.passwords.hash(password)
        with self.database.write_session() as session:
            users.delete_login_attempts(session, email=email)
            users.add_device(session, device=device)
            stored = users.user_by_id(session, user_id=user.id)
            if rehashed and stored is not None:
                stored.password_hash = rehashed
        return LoginResponse(token=token, device_id=device.id, user=user_info(user))

    def _admit_attempt(self, *, email: str, address: str, now: dt.datetime) -> User | None:
        """Count this attempt first; raise :class:`RateLimited` when over a limit.

        Returns the user the email belongs to (None when nobody has it).
        """
        window = dt.timedelta(seconds=self.settings.login_failure_window_seconds)
        with self.database.write_session() as session:
            users.forget_login_attempts_before(session, before=now - window)
            attempt_id = users.add_login_attempt(session, email=email, address=address, at=now)
        with self.database.read_session() as session:
            per_account = users.count_login_attempts(session, since=now - window, email=email)
            per_address = users.count_login_attempts(session, since=now - window, address=address)
            user = users.user_by_email(session, email=email)
        limits = (
            (per_account, self.settings.login_max_failures_per_account),
            (per_address, self.settings.login_max_failures_per_address),
        )
        blocking = [oldest for (count, oldest), limit in limits if count > limit and oldest]
        if blocking:
            with self.database.write_session() as session:
                users.delete_login_attempts(session, attempt_id=attempt_id)
            retry = max(blocking) + window - now
            raise RateLimited(
                "too many failed sign-in attempts: wait a few minutes and try again",
                retry_after_seconds=max(1, int(retry.total_seconds()) + 1),
            )
        return user

    def authenticate(self, token: str, *, now: dt.datetime) -> SignedIn:
        """The session behind a bearer token, or :class:`Unauthorized`."""
        with self.database.read_session() as session:
            found = users.device_and_user_by_token_hash(session, token_hash=hash_token(token))
        if found is None:
            raise Unauthorized("this sign-in is not valid: sign in again", code="invalid_token")
        device, user = found
        if device.revoked_at is not None or not user.active:
            raise Unauthorized("this sign-in was revoked: sign in again", code="invalid_token")
        if device.expires_at is not None and device.expires_at <= now:
            raise Unauthorized("this sign-in has expired: sign in again", code="invalid_token")
        return SignedIn(device_id=device.id, device_name=device.name, user=user_info(user))

    def logout(self, signed_in: SignedIn, *, now: dt.datetime) -> None:
        with self.database.write_session() as session:
            users.revoke_device(session, device_id=signed_in.device_id, now=now)
