"""Who may write what: the catalog's write rules, checked before an edit is queued.

The rules (manager-only fields, quote status transitions and self-approval within the
discount limit, frozen quotes and their lines, reasons, unique quote numbers and revisions, frozen forecast
snapshots) are declared once in :mod:`sync_server.protocol.authority` and enforced by the
server; checking them here gives the user the same ``code`` at once, as a
:class:`ValidationError`, instead of a rejection after the next sync. The user's place in the
manager tree and their discount limit come from the synced ``user`` records; a quote's lines
and numbers from the local store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from sfa_desktop.domain.errors import ValidationError, ValidationErrors
from sfa_desktop.domain.validation.shared_rules import shared_rule
from sfa_desktop.store.repositories.records import get_record, live_records_where, values_taken
from sync_server.protocol.authority import (
    Writer,
    check_create,
    check_creator,
    check_delete,
    check_write,
    in_write_order,
    owner_of,
)
from sync_server.protocol.catalog import EntitySpec


def _utc_today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


class LocalRuleContext:
    """The :class:`~sync_server.protocol.authority.RuleContext` of the local store."""

    def __init__(self, session: Session, today: Callable[[], dt.date] = _utc_today) -> None:
        self.session = session
        self._today = today

    def record(self, entity: str, record_id: str) -> Mapping[str, Any] | None:
        return get_record(self.session, entity, record_id)

    def children(self, entity: str, field: str, parent_id: str) -> Sequence[Mapping[str, Any]]:
        return live_records_where(self.session, entity, field, parent_id)

    def discount_limit_pct(self, user_id: str) -> Any:
        user = get_record(self.session, "user", user_id)
        return None if user is None else user.get("discount_limit_pct")

    def taken(self, entity: str, values: Mapping[str, Any], record_id: str | None) -> bool:
        return values_taken(self.session, entity, values, other_than=record_id)

    def today(self) -> dt.date:
        return self._today()


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
        # the record as it will be stored: a unique key's field left out takes its default
        complete = {f.name: f.default for f in spec.fields if f.default is not None} | dict(values)
        _refused_as_form_error(
            check_create,
            spec.authority,
            writer,
            complete,
            context=LocalRuleContext(session),
            entity=spec.name,
        )


def check_may_create(
    session: Session, user_id: str | None, spec: EntitySpec, values: Mapping[str, Any]
) -> None:
    """Whether the user may create such a record at all (a forecast adjustment: only a manager
    above its owner), before anything else is asked of it (:func:`check_new` asks it too)."""
    writer = writer_for(session, user_id, spec, values)
    if writer is not None:
        _refused_as_form_error(
            check_creator, spec.authority, writer, values, context=LocalRuleContext(session)
        )


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
    context = LocalRuleContext(session)
    after = {**current, **changes}
    for name, value in in_write_order(spec.authority, changes).items():
        if current.get(name) != value:
            _refused_as_form_error(
                check_write,
                spec.authority,
                writer,
                name=name,
                value=value,
                before=current,
                after=after,
                context=context,
                entity=spec.name,
            )


def check_removal(
    session: Session, user_id: str | None, spec: EntitySpec, current: Mapping[str, Any]
) -> None:
    writer = writer_for(session, user_id, spec, current)
    if writer is not None:
        _refused_as_form_error(
            check_delete, spec.authority, writer, current, context=LocalRuleContext(session)
        )
