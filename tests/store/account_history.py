"""A test account with a known history: contacts, visits, opportunities and quotes.

Used by the account page and timeline tests (store and UI). Times are relative to ``now``
so the expected order of the timeline is easy to state.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from sfa_desktop.store.repositories.records import bulk_insert

ACCOUNT_ID = "01900000-0000-7000-a000-000000000001"
QUIET_ACCOUNT_ID = "01900000-0000-7000-a000-000000000002"
OWNER_ID = "01900000-0000-7000-8000-000000000001"
OWNER_NAME = "Ana García"
CONTACT_IDS = ("01900000-0000-7000-b000-000000000001", "01900000-0000-7000-b000-000000000002")


def _id(group: str, number: int) -> str:
    return f"01900000-0000-7000-{group}-{number:012d}"


@dataclass(frozen=True)
class History:
    """What :func:`add_history` wrote (ids newest first where it matters)."""

    done_visit_ids: list[str]
    planned_future_id: str
    cancelled_id: str
    open_opportunity_id: str
    won_opportunity_id: str
    sent_quote_id: str
    draft_quote_id: str
    accepted_quote_id: str


def add_owner(session: Session, now: dt.datetime) -> None:
    """The owner user (for databases that do not have it yet)."""
    bulk_insert(
        session,
        "user",
        [{"id": OWNER_ID, "name": OWNER_NAME, "email": "aga@example.es", "rep_code": "AGA"}],
        now=now,
    )


def add_history(session: Session, now: dt.datetime, *, done_visits: int = 5) -> History:
    """The account "Ferretería Histórica S.L." and its history, plus a quiet account."""
    created = now - dt.timedelta(days=400)
    day = dt.timedelta(days=1)
    bulk_insert(
        session,
        "account",
        [
            {
                "id": ACCOUNT_ID,
                "name": "Ferretería Histórica S.L.",
                "tax_id": "B12345674",
                "city": "Sevilla",
                "region": "Andalucía",
                "address": "Calle Feria 12",
                "postal_code": "41003",
                "country": "ES",
                "owner_id": OWNER_ID,
                "lifecycle_stage": "customer",
                "preferred_channel": "phone",
                "visit_cadence_days": 30,
                "phone": "+34954012966",
                "email": "compras@historica.es",
                "website": "www.historica.es",
                "tags": ["ferretería", "mayorista"],
                "needs": "Entregas en 24 horas.",
                "created_at": created,
            },
            {
                "id": QUIET_ACCOUNT_ID,
                "name": "Cuenta Tranquila S.L.",
                "country": "ES",
                "owner_id": OWNER_ID,
                "lifecycle_stage": "prospect",
                "created_at": now - 2 * day,
            },
        ],
    )
    bulk_insert(
        session,
        "contact",
        [
            {
                "id": CONTACT_IDS[0],
                "account_id": ACCOUNT_ID,
                "first_name": "Lucía",
                "last_name": "Suárez",
                "job_title": "Compras",
                "purchase_role": "decision_maker",
                "mobile": "+34612345678",
                "marketing_consent": False,
            },
            {
                "id": CONTACT_IDS[1],
                "account_id": ACCOUNT_ID,
                "first_name": "Pedro",
                "last_name": "Alonso",
                "purchase_role": "user",
                "marketing_consent": False,
            },
        ],
        now=created,
    )
    visits = []
    done_ids = []
    for number in range(done_visits):  # every 7 days back from 3 days ago: newest first
        start = now - (3 + 7 * number) * day
        visit_id = _id("c000", number + 1)
        done_ids.append(visit_id)
        visits.append(
            {
                "id": visit_id,
                "account_id": ACCOUNT_ID,
                "contact_id": CONTACT_IDS[0] if number % 2 == 0 else None,
                "owner_id": OWNER_ID,
                "kind": "visit" if number % 3 else "call",
                "subject": f"Conversación {number + 1}",
                "planned_start": start,
                "planned_end": start + dt.timedelta(hours=1),
                "status": "done",
                "checked_in_at": start + dt.timedelta(minutes=5),
                "outcome": f"Resultado {number + 1}",
                "next_step": f"Paso {number + 1}",
                "created_at": start - day,
            }
        )
    planned_future = _id("c000", 900)
    cancelled = _id("c000", 901)
    visits += [
        {
            "id": planned_future,
            "account_id": ACCOUNT_ID,
            "owner_id": OWNER_ID,
            "kind": "visit",
            "subject": "Próxima visita",
            "planned_start": now + 5 * day,
            "status": "planned",
            "created_at": now - day,
        },
        {
            "id": cancelled,
            "account_id": ACCOUNT_ID,
            "owner_id": OWNER_ID,
            "kind": "meeting",
            "subject": "Reunión anulada",
            "planned_start": now - 1.5 * day,
            "status": "cancelled",
            "created_at": now - 10 * day,
        },
    ]
    bulk_insert(session, "visit", visits)
    open_opportunity, won, lost = _id("d000", 1), _id("d000", 2), _id("d000", 3)
    bulk_insert(
        session,
        "opportunity",
        [
            {
                "id": open_opportunity,
                "account_id": ACCOUNT_ID,
                "owner_id": OWNER_ID,
                "name": "Reforma del almacén",
                "stage": "negotiation",
                "amount": 1_000_000,
                "currency": "EUR",
                "probability": 60,
                "expected_close_date": (now + 20 * day).date(),
                "created_at": now - 40 * day,
                "updated_at": now - 10.5 * day,
            },
            {
                "id": won,
                "account_id": ACCOUNT_ID,
                "owner_id": OWNER_ID,
                "name": "Herramientas 2026",
                "stage": "closed_won",
                "amount": 500_000,
                "currency": "EUR",
                "expected_close_date": (now - 100 * day).date(),
                "created_at": now - 150 * day,
                "updated_at": now - 100 * day,
            },
            {
                "id": lost,
                "account_id": ACCOUNT_ID,
                "owner_id": OWNER_ID,
                "name": "Carretillas",
                "stage": "closed_lost",
                "amount": 300_000,
                "currency": "EUR",
                "lost_reason": "Precio",
                "created_at": now - 300 * day,
                "updated_at": now - 300 * day,  # never changed: only "opened" is listed
            },
        ],
    )
    sent, draft, accepted = _id("e000", 1), _id("e000", 2), _id("e000", 3)
    quote = {"account_id": ACCOUNT_ID, "owner_id": OWNER_ID, "currency": "EUR"}
    bulk_insert(
        session,
        "quote",
        [
            {
                **quote,
                "id": sent,
                "number": "Q-AGA-2026-0001",
                "status": "sent",
                "contact_id": CONTACT_IDS[0],
                "issue_date": (now - 20 * day).date(),
                "valid_until": (now + 10 * day).date(),
                "created_at": now - 20 * day,
                "updated_at": now - 18 * day,
            },
            {
                **quote,
                "id": draft,
                "number": "Q-AGA-2026-0002",
                "status": "draft",
                "created_at": now - 0.5 * day,
            },
            {
                **quote,
                "id": accepted,
                "number": "Q-AGA-2025-0009",
                "status": "accepted",
                "created_at": now - 200 * day,
                "updated_at": now - 190 * day,
            },
        ],
    )
    bulk_insert(
        session,
        "quote_line",
        [
            {
                "id": _id("f000", 1),
                "quote_id": sent,
                "description": "Estanterías",
                "quantity": Decimal("3"),
                "unit_price": 10_000,
                "discount_pct": Decimal("10"),
                "position": 1,
            },
            {
                "id": _id("f000", 2),
                "quote_id": sent,
                "description": "Montaje",
                "quantity": Decimal("1"),
                "unit_price": 5_000,
                "position": 2,
            },
        ],
        now=now - 20 * day,
    )
    return History(
        done_visit_ids=done_ids,
        planned_future_id=planned_future,
        cancelled_id=cancelled,
        open_opportunity_id=open_opportunity,
        won_opportunity_id=won,
        sent_quote_id=sent,
        draft_quote_id=draft,
        accepted_quote_id=accepted,
    )
