"""Who may write what: the catalog's write rules, checked before an edit is queued.

The rules (manager-only fields, quote status transitions, frozen forecast snapshots) are
declared once in :mod:`sync_server.protocol.authority` and enforced by the server; checking
them here gives the user the same ``code`` at once, as a :class:`ValidationError`, instead of a
rejection after the next sync. The user's place in the manager tree comes from the synced
``user`` records.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from sfa_desktop.domain.errors import ValidationError, ValidationErrors
from sfa_desktop.domain.validation.shared_rules import shared_rule
from sfa_desktop.store.repositories.records import get_record
from sync_server.protocol.authority import (
    Writer,
    check_create,
    check_delete,
    check_write,
    owner_of,
)
from sync_server.protocol.catalog import EntitySpec


def _refused_as_form_error(rule: Any, /, *args: Any, **kwargs: Any) -> None:
    """Run a write rule; a refusal is reported like any invalid field (forms, CLI)."""
    try:
        shared_rule(rule, *args, **kwargs)
    except ValidationError as error:
        raise ValidationErrors([error]) from error


def writer_for(
    session: Session, user_id: str | None, spec: EntitySpec, record: Mapping[str, Any]
) -> Writer | None:
    """The signed-in user as the rules see them; None when nobody is signed in (a local
    profile that never syncs has nobody to answer to)."""
    if user_id is None or spec.authority is None:
        return None
    me = get_record(session, "user", user_id)
    is_admin = me is not None and me.get("role") == "admin"
    owner = owner_of(spec.authority, record)
    return Writer(user_id, is_admin, owner is not None and _manages(session, user_id, owner))


def _manages(session: Session, user_id: str, owner_id: str) -> bool:
    """Whether ``user_id`` is above ``owner_id`` in the manager tree (cycles are harmless)."""
    seen = {owner_id}
    current = get_record(session, "user", owner_id)
    while current is not None and current.get("manager_id"):
        manager = str(current["manager_id"])
        if manager == user_id:
            return True
        if manager in seen:
            return False
        seen.add(manager)
        current = get_record(session, "user", manager)
    return False


def check_new(
    session: Session, user_id: str | None, spec: EntitySpec, values: Mapping[str, Any]
) -> None:
    writer = writer_for(session, user_id, spec, values)
    if writer is not None:
        _refused_as_form_error(check_create, spec.authority, writer, values)


def check_changes(
    session: Session,
    user_id: str | None,
    spec: EntitySpec,
    current: Mapping[str, Any],
    changes: Mapping[str, Any],
) -> None:
    writer = writer_for(session, user_id, spec, current)
    if writer is None:
        return
    after = {**current, **changes}
    for name, value in changes.items():
        if current.get(name) != value:
            _refused_as_form_error(
                check_write,
                spec.authority,
                writer,
                name=name,
                value=value,
                before=current,
                after=after,
            )


def check_removal(
    session: Session, user_id: str | None, spec: EntitySpec, current: Mapping[str, Any]
) -> None:
    writer = writer_for(session, user_id, spec, current)
    if writer is not None:
        _refused_as_form_error(check_delete, spec.authority, writer)
