"""Setting and listing users' quotas (admin command line).

A quota is *personal* (the user's own deals) or, with ``team=True``, the quota of the user's
whole team, set explicitly: the forecast rules then use it instead of the sum of the members'
quotas (see :mod:`sync_server.protocol.forecast_rules`). One quota per user, period and scope;
setting it again changes it (its currency too)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import get_currency_precision, is_currency

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
    team: bool = False,
) -> tuple[str, int]:
    """Create or update the quota of ``email`` (their team's with ``team``) for ``period``;
    returns (id, minor units)."""
    scope = "team" if team else "personal"
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
                if r.data.get("user_id") == user.id
                and r.data.get("period") == period
                and r.data.get("scope", "personal") == scope
            ),
            None,
        )
        wanted = {
            "user_id": user.id,
            "period": period,
            "amount": minor,
            "currency": currency,
            "scope": scope,
        }
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


@dataclass(frozen=True)
class QuotaLine:
    """One quota as ``quota list`` shows it; ``amount`` in minor units of ``currency``."""

    id: str
    email: str
    name: str
    period: str
    scope: str
    amount: int
    currency: str


def list_quotas(
    database: Database, *, period: str | None = None, email: str | None = None
) -> list[QuotaLine]:
    """The live quotas (only ``period``'s, only ``email``'s when given), by period, user e-mail
    and scope (personal before team)."""
    wanted_period = None if period is None else period.strip().upper()
    if wanted_period is not None and not _PERIOD.match(wanted_period):
        raise ServiceError(
            f"the period is a month (2026-11) or a quarter (2026-Q4), not {period!r}"
        )
    with database.read_session() as session:
        people = {u.id: u for u in users.all_users(session)}
        wanted_user = None
        if email is not None:
            found = users.user_by_email(session, email=normalise_email(email))
            if found is None:
                raise NotFound(f"no user with email {email}")
            wanted_user = found.id
        records = [
            r
            for r in records_of_entity(session, entity="quota")
            if r.deleted_at is None
            and (wanted_period is None or r.data.get("period") == wanted_period)
            and (wanted_user is None or r.data.get("user_id") == wanted_user)
        ]
    lines = []
    for record in records:
        data = record.data
        person = people.get(str(data.get("user_id")))
        lines.append(
            QuotaLine(
                id=record.id,
                email=person.email if person else str(data.get("user_id")),
                name=person.name if person else "",
                period=str(data.get("period")),
                scope=str(data.get("scope") or "personal"),
                amount=int(data.get("amount") or 0),
                currency=str(data.get("currency") or ""),
            )
        )
    return sorted(lines, key=lambda q: (q.period, q.email, q.scope != "personal", q.currency))


def minor_to_major(minor: int, currency: str) -> str:
    """Minor units as a decimal string of major units (``2500050`` EUR → ``"25000.50"``)."""
    digits = get_currency_precision(currency) if is_currency(currency) else 2
    return str(Decimal(minor).scaleb(-digits).quantize(Decimal(1).scaleb(-digits)))
