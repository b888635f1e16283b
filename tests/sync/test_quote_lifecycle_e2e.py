"""A quote's whole life through the real server (issue 10, "done when"): the rep quotes offline
with a discount over their limit and submits; after a sync the manager sees it awaiting
approval and approves; after the next sync the rep sends it (PDF + e-mail draft) and the
customer accepts: the opportunity is closed won, on both laptops and on the server."""

from __future__ import annotations

import email
import email.policy
import hashlib
from decimal import Decimal
from pathlib import Path

import pytest

from sfa_desktop.domain.errors import DomainError
from sfa_desktop.services.editing import update_record
from sfa_desktop.services.quote_lifecycle import accept_quote, approve_quote
from sfa_desktop.services.quote_sending import send_quote
from sfa_desktop.services.quote_writing import NewLine, new_quote, submit_quote
from sfa_desktop.services.quotes import quote_detail, quotes_awaiting_approval_count
from sync_server.api.deps import ServerState
from sync_server.db.records import records_of_entity
from sync_server.services.products_import import import_products

from .harness import Fleet, Profile

CATALOG = """sku,name,family,tax_rate_pct,active,price_list,currency,unit_price
HOR-10GN,Horno mixto 10 bandejas,Cocción,21,yes,Tarifa 2026,EUR,"4890.00"
"""


def _synced(profile: Profile) -> None:
    report = profile.sync()
    assert report.rejected == 0, report


def _server_record(state: ServerState, entity: str, record_id: str) -> dict[str, object]:
    with state.database.read_session() as session:
        (record,) = [r for r in records_of_entity(session, entity=entity) if r.id == record_id]
    return dict(record.data)


def test_offline_quote_approved_after_sync_sent_and_accepted(
    fleet: Fleet, state: ServerState, tmp_path: Path
) -> None:
    catalog = tmp_path / "catalog.csv"
    catalog.write_text(CATALOG, encoding="utf-8")
    import_products(state.database, context=state.sync, path=catalog)
    rep = fleet.profile("rep", fleet.team.rep_a)
    manager = fleet.profile("manager", fleet.team.manager)
    _synced(rep)  # the catalog, the users, a block of quote numbers
    _synced(manager)
    account = rep.create("account", name="Restaurante La Ribera", city="Logroño", country="ES")
    contact = rep.create(
        "contact",
        account_id=account,
        first_name="Lucía",
        last_name="Pérez",
        email="lucia.perez@laribera.example",
    )
    opportunity = rep.create(
        "opportunity", account_id=account, name="Cocina nueva", amount=900_000, currency="EUR"
    )

    # offline: the quote, a 25 % discount (the rep's limit is 10 %), submitted
    rep.http.offline = True
    today = rep.now().date()
    with rep.database.session() as session:
        quote = new_quote(
            session,
            rep.ctx,
            account_id=account,
            contact_id=contact,
            lines=[NewLine("HOR-10GN", Decimal(2), Decimal(25))],
            today=today,
        )
        update_record(session, rep.ctx, "quote", quote, {"opportunity_id": opportunity})
        assert submit_quote(session, rep.ctx, quote) == "pending_approval"
    rep.http.offline = False
    _synced(rep)
    assert _server_record(state, "quote", quote)["status"] == "pending_approval"

    # the manager sees it awaiting approval and approves
    _synced(manager)
    with manager.database.session() as session:
        assert quotes_awaiting_approval_count(session, manager.user_id, today=today) == 1
        approve_quote(session, manager.ctx, quote, note="Cliente nuevo", now=manager.now())
    _synced(manager)
    stored = _server_record(state, "quote", quote)
    assert (stored["status"], stored["approved_by_id"]) == ("approved", manager.user_id)

    # the rep sends it
    _synced(rep)
    assert rep.get("quote", quote)["status"] == "approved"  # type: ignore[index]
    with rep.database.session() as session:
        sent = send_quote(session, rep.ctx, quote, folder=tmp_path / "sent", now=rep.now())
    _synced(rep)
    message = email.message_from_bytes(sent.eml_path.read_bytes(), policy=email.policy.default)
    assert message["To"].addresses[0].addr_spec == "lucia.perez@laribera.example"
    assert message["Subject"].startswith("Presupuesto Q-")
    (attachment,) = list(message.iter_attachments())  # type: ignore[attr-defined]
    digest = hashlib.sha256(attachment.get_content()).hexdigest()
    stored = _server_record(state, "quote", quote)
    assert (stored["status"], stored["pdf_sha256"]) == ("sent", digest)

    # the customer accepts: the amounts differ, so the rep is asked, then takes the quote's
    with pytest.raises(DomainError) as asked, rep.database.session() as session:
        accept_quote(session, rep.ctx, quote, now=rep.now())
    assert asked.value.code == "opportunity_amount_differs"
    with rep.database.session() as session:
        result = accept_quote(session, rep.ctx, quote, set_amount=True, now=rep.now())
        detail = quote_detail(session, quote, today)
    assert detail is not None
    net = detail.totals.subtotal
    assert net == Decimal("7335.00")  # 2 × 4890 × 0.75, before tax
    assert (result.opportunity_id, result.net_total) == (opportunity, net)
    _synced(rep)
    won = _server_record(state, "opportunity", opportunity)
    assert (won["stage"], won["amount"], won["probability"]) == ("closed_won", 733_500, 100)
    assert _server_record(state, "quote", quote)["status"] == "accepted"
    _synced(manager)
    assert manager.get("opportunity", opportunity)["stage"] == "closed_won"  # type: ignore[index]
    assert manager.get("quote", quote)["status"] == "accepted"  # type: ignore[index]
