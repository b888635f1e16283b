"""Data access for users, devices (tokens) and login attempts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from .models import Device, LoginAttempt, User


def user_by_email(session: Session, *, email: str) -> User | None:
    return session.scalars(select(User).where(User.email == email)).one_or_none()


def user_by_id(session: Session, *, user_id: str) -> User | None:
    return session.get(User, user_id)


def user_by_rep_code(session: Session, *, rep_code: str) -> User | None:
    return session.scalars(select(User).where(User.rep_code == rep_code)).one_or_none()


def all_users(session: Session) -> Sequence[User]:
    return session.scalars(select(User).order_by(User.email)).all()


def add_user(session: Session, *, user: User) -> None:
    session.add(user)
    session.flush()


def add_device(session: Session, *, device: Device) -> None:
    session.add(device)
    session.flush()


def device_and_user_by_token_hash(
    session: Session, *, token_hash: str
) -> tuple[Device, User] | None:
    row = session.execute(
        select(Device, User)
        .join(User, User.id == Device.user_id)
        .where(Device.token_hash == token_hash)
    ).one_or_none()
    return None if row is None else (row[0], row[1])


def revoke_device(session: Session, *, device_id: str, now: dt.datetime) -> None:
    session.execute(
        update(Device)
        .where(Device.id == device_id, Device.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def revoke_user_devices(session: Session, *, user_id: str, now: dt.datetime) -> int:
    result = session.execute(
        update(Device)
        .where(Device.user_id == user_id, Device.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def add_login_attempt(session: Session, *, email: str, address: str, at: dt.datetime) -> int:
    attempt = LoginAttempt(email=email, address=address, at=at)
    session.add(attempt)
    session.flush()
    return attempt.id


def count_login_attempts(
    session: Session, *, since: dt.datetime, email: str | None = None, address: str | None = None
) -> tuple[int, dt.datetime | None]:
    """How many attempts since ``since`` (for an email or an address) and the oldest one."""
    query = select(func.count(), func.min(LoginAttempt.at)).where(LoginAttempt.at >= since)
    if email is not None:
        query = query.where(LoginAttempt.email == email)
    if address is not None:
        query = query.where(LoginAttempt.address == address)
    count, oldest = session.execute(query).one()
    return int(count), oldest


def delete_login_attempts(
    session: Session, *, email: str | None = None, attempt_id: int | None = None
) -> None:
    query = delete(LoginAttempt)
    if email is not None:
        query = query.where(LoginAttempt.email == email)
    if attempt_id is not None:
        query = query.where(LoginAttempt.id == attempt_id)
    session.execute(query)


def forget_login_attempts_before(session: Session, *, before: dt.datetime) -> None:
    session.execute(delete(LoginAttempt).where(LoginAttempt.at < before))
