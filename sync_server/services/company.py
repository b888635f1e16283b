"""The company settings (letterhead, quote defaults): one server-managed record, set by an
admin on the command line and synced read-only to every client (SPEC §3)."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from sync_server.db.database import Database
from sync_server.db.records import StoredRecord, records_of_entity
from sync_server.protocol.catalog import COMPANY, LOGO_MAX_BYTES
from sync_server.protocol.field_rules import TAX_ID_COUNTRY_FIELD
from sync_server.protocol.ids import new_id
from sync_server.protocol.wire import Mutation, MutationOp

from .actor import SyncContext
from .errors import ServiceError
from .push import apply_as_server, server_mutation

ENTITY = COMPANY.name


def _current(session: Session) -> StoredRecord | None:
    """The company record (the first one, should there ever be more)."""
    live = [r for r in records_of_entity(session, entity=ENTITY) if not r.is_deleted]
    return live[0] if live else None


def company_settings(database: Database) -> dict[str, Any] | None:
    """The settings as stored (wire values, with ``id``), or None before the first ``set``."""
    with database.read_session() as session:
        record = _current(session)
    return None if record is None else {"id": record.id, **record.data}


def logo_from_file(path: Path) -> str:
    """The PNG file as the base64 text the ``logo_png`` field holds."""
    data = path.read_bytes()
    if len(data) > LOGO_MAX_BYTES:
        raise ServiceError(f"the logo is {len(data)} bytes; at most {LOGO_MAX_BYTES} are allowed")
    return base64.b64encode(data).decode("ascii")


def set_company(
    database: Database, *, context: SyncContext, values: Mapping[str, Any]
) -> tuple[str, list[str]]:
    """Create the settings or change the given fields (None clears one); returns the record id
    and the fields that changed. Values are checked by the same rules as every push."""
    unknown = sorted(set(values) - set(COMPANY.field_names))
    if unknown:
        raise ServiceError(f"unknown company field(s): {', '.join(unknown)}")
    with database.write_session() as session:
        existing = _current(session)
        if existing is None:
            record_id = new_id()
            wanted = {k: v for k, v in values.items() if v is not None}
            mutations = [
                server_mutation(
                    context, entity=ENTITY, record_id=record_id, op=MutationOp.CREATE, value=wanted
                )
            ]
            changed = sorted(wanted)
        else:
            record_id = existing.id
            changed = [n for n, v in values.items() if existing.data.get(n) != v]
            mutations = _sets(context, existing, {n: values[n] for n in changed})
        apply_as_server(session, mutations=mutations, context=context)
    return record_id, changed


def _sets(
    context: SyncContext, existing: StoredRecord, changes: Mapping[str, Any]
) -> list[Mutation]:
    """One set per change. With a new country the stored tax id is cleared first and written
    again last, so no tax id is ever checked against the other country."""
    steps = list(changes.items())
    old_tax_id = existing.data.get("tax_id")
    if TAX_ID_COUNTRY_FIELD in changes and old_tax_id is not None:
        tax_id = changes.get("tax_id", old_tax_id)
        steps = [("tax_id", None), *(s for s in steps if s[0] != "tax_id"), ("tax_id", tax_id)]
    return [
        server_mutation(
            context,
            entity=ENTITY,
            record_id=existing.id,
            op=MutationOp.SET,
            field=name,
            value=value,
        )
        for name, value in steps
    ]
