"""Reassigning an account to another user (admin command line, SPEC §2 and §4.7).

The owner change goes through the same path as a manager's push (a server mutation), so the
account and its children move scope and the old owner's devices receive "left scope".
"""

from __future__ import annotations

import uuid

from sync_server.db import records, users
from sync_server.db.database import Database
from sync_server.protocol.wire import MutationOp

from .actor import SyncContext
from .errors import NotFound, ServiceError
from .push import apply_as_server, server_mutation


def reassign_account(
    database: Database, *, context: SyncContext, account_id: str, to_email: str
) -> int:
    """Give an account (and everything under it) to another user; returns how many moved."""
    try:
        account_id = str(uuid.UUID(account_id))
    except ValueError:
        raise NotFound(f"no account with id {account_id}") from None
    with database.write_session() as session:
        user = users.user_by_email(session, email=to_email.strip().lower())
        if user is None:
            raise NotFound(f"no user with email {to_email}")
        if not user.active:
            raise ServiceError(f"{user.email} is deactivated")
        record = records.load_records(session, ids=[account_id], lock=True).get(account_id)
        if record is None or record.entity != "account":
            raise NotFound(f"no account with id {account_id}")
        if record.data.get("owner_id") == user.id:
            return 0
        before = records.latest_sequence(session)
        change = server_mutation(
            context,
            entity="account",
            record_id=account_id,
            op=MutationOp.SET,
            field="owner_id",
            value=user.id,
        )
        apply_as_server(session, mutations=[change], context=context)
        return records.count_exits_after(session, after=before)
