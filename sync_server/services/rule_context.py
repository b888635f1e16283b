"""The server's :class:`~sync_server.protocol.authority.RuleContext`: what the write rules read
besides the record being written, from the records of the current transaction (so a quote's
lines pushed in the same batch count) and the user directory."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from .actor import SyncContext
from .changeset import ChangeSet
from .scopes import Directory


class ServerRuleContext:
    def __init__(self, changes: ChangeSet, directory: Directory, context: SyncContext) -> None:
        self.changes = changes
        self.directory = directory
        self.context = context

    def record(self, entity: str, record_id: str) -> Mapping[str, Any] | None:
        record = self.changes.get(record_id)
        if record is None or record.entity != entity:
            return None
        return {**record.data, "id": record.id}

    def children(self, entity: str, field: str, parent_id: str) -> Sequence[Mapping[str, Any]]:
        return [
            {**r.data, "id": r.id}
            for r in self.changes.children([parent_id])
            if r.entity == entity and not r.is_deleted and r.data.get(field) == parent_id
        ]

    def discount_limit_pct(self, user_id: str) -> Any:
        entry = self.directory.get(user_id)
        return None if entry is None else entry.discount_limit_pct

    def taken(self, entity: str, values: Mapping[str, Any], record_id: str | None) -> bool:
        """Found by the key's first text field (a quote's number), then compared in full."""
        first = next(iter(values), None)
        if first is None or not isinstance(values[first], str):
            return False
        return any(
            r.id != record_id and all(r.data.get(name) == value for name, value in values.items())
            for r in self.changes.with_value(entity, first, values[first])
        )

    def today(self) -> dt.date:
        return self.context.now().astimezone(dt.UTC).date()
