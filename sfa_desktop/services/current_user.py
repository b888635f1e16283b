"""Who is using this profile: the one place the current user is looked up."""

from __future__ import annotations

from sqlalchemy.orm import Session

from sfa_desktop.store.meta import MetaKey, get_meta
from sfa_desktop.store.models.reference import User


def current_user_id(session: Session) -> str | None:
    """The signed-in (or demo) user's id; None before anyone has signed in."""
    return get_meta(session, MetaKey.USER_ID)


def current_user_name(session: Session) -> str | None:
    """The current user's display name, when their user record is on this device."""
    user_id = current_user_id(session)
    user = session.get(User, user_id) if user_id else None
    return user.name if user is not None else None
