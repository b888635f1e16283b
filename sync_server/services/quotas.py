"""Setting a user's quota for a period (admin command line)."""

from __future__ import annotations

import re

from babel.numbers import is_currency

from sync_server.db import users
from sync_server.db.database import Database
from sync_server.db.records import records_of_entity
from sync_server.protocol.ids import new_id
from sync_server.protocol.wire import MutationOp

from .actor import SyncContext
from .auth import normalise_email
from .errors import NotFound, ServiceError
from .products_import import minor_units
from .push import apply_as_server, server_mutation

_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$")


def set_quota(
    database: Database,
    *,
    context: SyncContext,
    email: str,
    period: str,
    amount: str,
    currency: str = "EUR",
) -> tuple[str, int]:
    """Create or update the quota of ``email`` for ``period``; returns (id, minor units)."""
    period = period.strip().upper()
    if not _PERIOD.match(period):
        raise ServiceError(
            f"the period is a month (2026-11) or a quarter (2026-Q4), not {period!r}"
        )
    currency = currency.strip().upper()
    if not is_currency(currency):
        raise ServiceError(f"unknown currency {currency!r}")
    try:
        minor = minor_units(amount, currency)
    except (ValueError, ArithmeticError):
        raise ServiceError(f"the amount must be a positive number, not {amount!r}") from None
    with database.write_session() as session:
        user = users.user_by_email(session, email=normalise_email(email))
        if user is None:
            raise NotFound(f"no user with email {email}")
        existing = next(
            (
                r
                for r in records_of_entity(session, entity="quota")
                if r.data.get("user_id") == user.id and r.data.get("period") == period
            ),
            None,
        )
        wanted = {"user_id": user.id, "period": period, "amount": minor, "currency": currency}
        if existing is None:
            record_id = new_id()
            mutations = [
                server_mutation(
                    context, entity="quota", record_id=record_id, op=MutationOp.CREATE, value=wanted
                )
            ]
        else:
            record_id = existing.id
            mutations = [
                server_mutation(
                    context,
                    entity="quota",
                    record_id=record_id,
                    op=MutationOp.SET,
                    field=name,
                    value=value,
                )
                for name, value in wanted.items()
                if existing.data.get(name) != value
            ]
        apply_as_server(session, mutations=mutations, context=context)
    return record_id, minor
