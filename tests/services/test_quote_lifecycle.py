"""A quote's life after submitting it (issue 10 items 5, 6, 7, 9): approval by the manager,
return and withdrawal, the customer's answer, revisions, sending (PDF + e-mail draft), on a real
SQLite copy of the demo profile (the signed-in rep Javier, limit 10 %; his manager Lucía; the
admin Pedro)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import email.policy
import hashlib
from collections.abc import Iterator
from decimal import Decimal
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from demo.profiles import build_demo_file, open_demo_copy
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sfa_desktop.domain.errors import DomainError, ValidationErrors
from sfa_desktop.services import quote_sending
from sfa_desktop.services.editing import (
    EditContext,
    create_record,
    load_edit_context,
    update_record,
)
from sfa_desktop.services.exports.quote_pdf import render_quote_pdf
from sfa_desktop.services.quote_lifecycle import (
    accept_quote,
    approve_quote,
    reject_quote,
    return_quote,
    revise_quote,
    withdraw_quote,
)
from sfa_desktop.services.quote_sending import send_quote
from sfa_desktop.services.quote_writing import NewLine, new_quote, submit_quote
from sfa_desktop.services.quotes import (
    find_quote_id,
    quote_detail,
    quote_document,
    quotes_awaiting_approval,
    quotes_awaiting_approval_count,
)
from sfa_desktop.store import quote_numbers
from sfa_desktop.store.database import Database
from sfa_desktop.store.models.customers import Account, Contact
from sfa_desktop.store.models.reference import PriceList, PriceListItem, Product, User
from sfa_desktop.store.models.sales import Opportunity, Quote, QuoteLine
from sfa_desktop.store.models.sync_state import OutboxEntry
from sfa_desktop.store.repositories.records import get_record

DEMO_DAY = dt.date(2026, 11, 25)
NOW = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_file(tmp_path_factory.mktemp("demo-lifecycle"), accounts=40, today=DEMO_DAY)


@pytest.fixture
def session(demo_file: Path, tmp_path: Path) -> Iterator[Session]:
    database: Database
    for database in open_demo_copy(demo_file, tmp_path):
        with database.session() as session:
            yield session


@pytest.fixture
def rep(session: Session) -> EditContext:
    """The demo rep, with a block of leased numbers (as after a first sync)."""
    context = load_edit_context(session, now=lambda: NOW)
    assert context.user_id is not None
    me = session.get(User, context.user_id)
    assert me is not None
    quote_numbers.add_blocks(session, rep_code=me.rep_code, blocks=[(DEMO_DAY.year, 901, 950)])
    return context


def _user(session: Session, role: str) -> str:
    found = session.scalar(select(User.id).where(User.role == role).order_by(User.id))
    assert found is not None
    return str(found)


@pytest.fixture
def manager(session: Session, rep: EditContext) -> EditContext:
    me = session.get(User, rep.user_id)
    assert me is not None and me.manager_id is not None
    return dataclasses.replace(rep, user_id=me.manager_id)


@pytest.fixture
def admin(session: Session, rep: EditContext) -> EditContext:
    return dataclasses.replace(rep, user_id=_user(session, "admin"))


def _account_with_contact(session: Session, country: str = "ES") -> tuple[Account, Contact]:
    pairs = session.execute(
        select(Account, Contact)
        .join(Contact, Contact.account_id == Account.id)
        .where(
            Account.deleted_at.is_(None),
            Contact.deleted_at.is_(None),
            Contact.email.is_not(None),
            Account.country == country,
        )
        .order_by(Account.id, Contact.id)
    ).first()
    assert pairs is not None
    return pairs[0], pairs[1]


def _priced(session: Session) -> tuple[str, str]:
    """An active EUR price list and the SKU of an active product it prices."""
    found = session.execute(
        select(PriceList.id, Product.sku)
        .join(PriceListItem, PriceListItem.price_list_id == PriceList.id)
        .join(Product, Product.id == PriceListItem.product_id)
        .where(
            PriceList.active.is_(True),
            PriceList.currency == "EUR",
            Product.active.is_(True),
            Product.kind == "product",
            PriceListItem.deleted_at.is_(None),
        )
        .order_by(PriceList.name, Product.sku)
    ).first()
    assert found is not None
    return str(found[0]), str(found[1])


def _quote(
    session: Session,
    ctx: EditContext,
    *,
    discount: str = "25",
    contact: bool = True,
    opportunity_amount: int | None = None,
) -> str:
    """A draft of the rep, one line at ``discount`` %, on a Spanish account."""
    account, person = _account_with_contact(session)
    price_list, sku = _priced(session)
    quote_id = new_quote(
        session,
        ctx,
        account_id=account.id,
        contact_id=person.id if contact else None,
        price_list_id=price_list,
        lines=[NewLine(sku, Decimal(3), Decimal(discount))],
        today=DEMO_DAY,
    )
    if opportunity_amount is not None:
        opportunity = create_record(
            session,
            ctx,
            "opportunity",
            {
                "account_id": account.id,
                "name": "Cocina central",
                "stage": "negotiation",
                "amount": opportunity_amount,
                "currency": "EUR",
            },
        )
        update_record(session, ctx, "quote", quote_id, {"opportunity_id": opportunity})
    return quote_id


def _pending(session: Session, rep: EditContext, **options: Any) -> str:
    quote_id = _quote(session, rep, **options)
    assert submit_quote(session, rep, quote_id) == "pending_approval"
    return quote_id


def _approved(session: Session, rep: EditContext, manager: EditContext, **options: Any) -> str:
    quote_id = _pending(session, rep, **options)
    approve_quote(session, manager, quote_id, note=None, now=NOW)
    return quote_id


def _sent(
    session: Session, rep: EditContext, manager: EditContext, folder: Path, **options: Any
) -> str:
    quote_id = _approved(session, rep, manager, **options)
    send_quote(session, rep, quote_id, folder=folder, now=NOW)
    return quote_id


def _stored(session: Session, quote_id: str) -> dict[str, Any]:
    record = get_record(session, "quote", quote_id)
    assert record is not None
    return record


def _outbox(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(OutboxEntry)) or 0


def _code(error: DomainError | ValidationErrors) -> str:
    return error.errors[0].code if isinstance(error, ValidationErrors) else error.code


# --- approval ------------------------------------------------------------------------------------


def test_the_manager_approves_with_a_note(
    session: Session, rep: EditContext, manager: EditContext
) -> None:
    quote_id = _pending(session, rep)
    approve_quote(session, manager, quote_id, note="  Cliente estratégico ", now=NOW)
    quote = _stored(session, quote_id)
    assert quote["status"] == "approved"
    assert quote["approved_by_id"] == manager.user_id
    assert quote["approved_at"] == NOW
    assert quote["decision_note"] == "Cliente estratégico"


def test_the_admin_approves_anyone_s_quote(
    session: Session, rep: EditContext, admin: EditContext
) -> None:
    quote_id = _pending(session, rep)
    approve_quote(session, admin, quote_id, note=None, now=NOW)
    assert _stored(session, quote_id)["approved_by_id"] == admin.user_id


@pytest.mark.parametrize("who", ["rep", "peer"])
def test_nobody_else_approves_and_nothing_is_written(
    session: Session, rep: EditContext, who: str
) -> None:
    quote_id = _pending(session, rep)
    me = session.get(User, rep.user_id)
    assert me is not None
    peer = session.scalar(
        select(User.id).where(User.role == "rep", User.id != me.id).order_by(User.id)
    )
    approver = rep if who == "rep" else dataclasses.replace(rep, user_id=peer)
    before = (_stored(session, quote_id), _outbox(session))
    with pytest.raises(DomainError) as refused:
        approve_quote(session, approver, quote_id, note="sí", now=NOW)
    assert _code(refused.value) == "quote_decision_not_yours"
    assert (_stored(session, quote_id), _outbox(session)) == before


def test_only_a_pending_quote_is_approved_and_not_once_expired(
    session: Session, rep: EditContext, manager: EditContext
) -> None:
    draft = _quote(session, rep)
    with pytest.raises(DomainError) as refused:
        approve_quote(session, manager, draft, note=None, now=NOW)
    assert refused.value.code == "quote_not_pending"
    pending = _pending(session, rep)
    later = NOW + dt.timedelta(days=365)
    with pytest.raises(DomainError) as expired:
        approve_quote(session, manager, pending, note=None, now=later)
    assert expired.value.code == "quote_expired"


def test_the_manager_returns_a_request_with_a_reason(
    session: Session, rep: EditContext, manager: EditContext
) -> None:
    quote_id = _pending(session, rep)
    with pytest.raises(DomainError) as refused:
        return_quote(session, manager, quote_id, note="   ")
    assert (refused.value.code, refused.value.field) == ("reason_required", "decision_note")
    with pytest.raises(DomainError) as not_theirs:
        return_quote(session, rep, quote_id, note="Me lo devuelvo")
    assert _code(not_theirs.value) == "quote_decision_not_yours"
    return_quote(session, manager, quote_id, note="Descuento excesivo: máximo 15 %")
    quote = _stored(session, quote_id)
    assert (quote["status"], quote["decision_note"]) == ("draft", "Descuento excesivo: máximo 15 %")


def test_the_rep_withdraws_a_request(session: Session, rep: EditContext) -> None:
    quote_id = _pending(session, rep)
    withdraw_quote(session, rep, quote_id)
    assert _stored(session, quote_id)["status"] == "draft"
    with pytest.raises(DomainError) as again:
        withdraw_quote(session, rep, quote_id)
    assert again.value.code == "quote_not_pending"


def test_quotes_awaiting_approval(
    session: Session, rep: EditContext, manager: EditContext, admin: EditContext
) -> None:
    assert rep.user_id is not None and manager.user_id is not None
    assert admin.user_id is not None
    before = quotes_awaiting_approval_count(session, manager.user_id, today=DEMO_DAY)
    quote_id = _pending(session, rep)
    assert quotes_awaiting_approval_count(session, manager.user_id, today=DEMO_DAY) == before + 1
    listed = quotes_awaiting_approval(session, manager.user_id, today=DEMO_DAY)
    assert quote_id in {row.id for row in listed}
    assert all(row.shown_status == "pending_approval" for row in listed)
    assert quotes_awaiting_approval_count(session, rep.user_id, today=DEMO_DAY) == 0
    everyone = quotes_awaiting_approval_count(session, admin.user_id, today=DEMO_DAY)
    assert everyone >= before + 1
    far = DEMO_DAY + dt.timedelta(days=400)  # expired requests await nobody
    assert quotes_awaiting_approval_count(session, manager.user_id, today=far) == 0


# --- the customer's answer -----------------------------------------------------------------------


def test_the_customer_rejects_a_sent_quote_with_a_reason(
    session: Session, rep: EditContext, manager: EditContext, tmp_path: Path
) -> None:
    approved = _approved(session, rep, manager)
    with pytest.raises(DomainError) as not_sent:
        reject_quote(session, rep, approved, reason="Caro")
    assert not_sent.value.code == "quote_not_sent"
    send_quote(session, rep, approved, folder=tmp_path, now=NOW)
    with pytest.raises(DomainError) as no_reason:
        reject_quote(session, rep, approved, reason="")
    assert (no_reason.value.code, no_reason.value.field) == ("reason_required", "rejection_reason")
    reject_quote(session, rep, approved, reason="Plazo de entrega demasiado largo")
    quote = _stored(session, approved)
    assert (quote["status"], quote["rejection_reason"]) == (
        "rejected",
        "Plazo de entrega demasiado largo",
    )


def _opportunity(session: Session, quote_id: str) -> Opportunity:
    quote = session.get(Quote, quote_id)
    assert quote is not None and quote.opportunity_id is not None
    session.expire_all()
    opportunity = session.get(Opportunity, quote.opportunity_id)
    assert opportunity is not None
    return opportunity


def test_accepting_asks_when_the_amounts_differ_and_writes_nothing(
    session: Session, rep: EditContext, manager: EditContext, tmp_path: Path
) -> None:
    quote_id = _sent(session, rep, manager, tmp_path, opportunity_amount=1_000_00)
    net = quote_detail(session, quote_id, DEMO_DAY)
    assert net is not None
    before = (_stored(session, quote_id), _outbox(session))
    with pytest.raises(DomainError) as asked:
        accept_quote(session, rep, quote_id, now=NOW)
    assert asked.value.code == "opportunity_amount_differs"
    assert asked.value.params == {
        "quote_amount": net.totals.subtotal,
        "opportunity_amount": Decimal("1000.00"),
        "currency": "EUR",
        "opportunity_currency": "EUR",
    }
    assert (_stored(session, quote_id), _outbox(session)) == before
    assert _opportunity(session, quote_id).stage == "negotiation"


@pytest.mark.parametrize("set_amount", [True, False])
def test_accepting_closes_the_opportunity_won(
    session: Session, rep: EditContext, manager: EditContext, tmp_path: Path, set_amount: bool
) -> None:
    quote_id = _sent(session, rep, manager, tmp_path, opportunity_amount=1_000_00)
    result = accept_quote(session, rep, quote_id, set_amount=set_amount, now=NOW)
    detail = quote_detail(session, quote_id, DEMO_DAY)
    assert detail is not None
    assert result.net_total == detail.totals.subtotal < detail.totals.total  # before tax
    assert result.amount_set is set_amount
    opportunity = _opportunity(session, quote_id)
    assert result.opportunity_id == opportunity.id
    assert (opportunity.stage, opportunity.probability, opportunity.forecast_category) == (
        "closed_won",
        100,
        "closed",
    )
    assert opportunity.expected_close_date == DEMO_DAY
    expected = int(detail.totals.subtotal * 100) if set_amount else 1_000_00
    assert opportunity.amount == expected
    assert _stored(session, quote_id)["status"] == "accepted"


def test_accepting_with_equal_amounts_or_no_opportunity_does_not_ask(
    session: Session, rep: EditContext, manager: EditContext, tmp_path: Path
) -> None:
    plain = _sent(session, rep, manager, tmp_path)
    assert accept_quote(session, rep, plain, now=NOW).opportunity_id is None
    quote_id = _approved(session, rep, manager, opportunity_amount=0)
    detail = quote_detail(session, quote_id, DEMO_DAY)
    assert detail is not None
    opportunity = _opportunity(session, quote_id)
    # the rep's own opportunity: they set its amount to the quote's before sending
    update_record(
        session, rep, "opportunity", opportunity.id, {"amount": int(detail.totals.subtotal * 100)}
    )
    send_quote(session, rep, quote_id, folder=tmp_path / "again", now=NOW)
    result = accept_quote(session, rep, quote_id, now=NOW)
    assert (result.opportunity_id, result.amount_set) == (opportunity.id, False)


def test_only_a_sent_unexpired_quote_is_accepted(
    session: Session, rep: EditContext, manager: EditContext, tmp_path: Path
) -> None:
    approved = _approved(session, rep, manager)
    with pytest.raises(DomainError) as not_sent:
        accept_quote(session, rep, approved, now=NOW)
    assert not_sent.value.code == "quote_not_sent"
    sent = _sent(session, rep, manager, tmp_path)
    with pytest.raises(DomainError) as expired:
        accept_quote(session, rep, sent, now=NOW + dt.timedelta(days=365))
    assert expired.value.code == "quote_expired"


# --- revisions -----------------------------------------------------------------------------------


def _lines(session: Session, quote_id: str) -> list[tuple[Any, ...]]:
    rows = session.scalars(
        select(QuoteLine).where(QuoteLine.quote_id == quote_id).order_by(QuoteLine.position)
    )
    return [
        (
            r.product_id,
            r.description,
            r.quantity,
            r.unit_price,
            r.discount_pct,
            r.tax_rate_pct,
            r.position,
            r.kind,
            r.optional,
        )
        for r in rows
    ]


def test_a_revision_keeps_the_number_and_copies_the_lines(
    session: Session, rep: EditContext, manager: EditContext, tmp_path: Path
) -> None:
    first = _sent(session, rep, manager, tmp_path)
    later = DEMO_DAY + dt.timedelta(days=3)
    second = revise_quote(session, rep, first, today=later)
    old, new = _stored(session, first), _stored(session, second)
    assert (new["number"], new["revision"], new["previous_quote_id"]) == (
        old["number"],
        2,
        first,
    )
    assert new["status"] == "draft"
    assert (new["issue_date"], new["valid_until"]) == (later, later + dt.timedelta(days=30))
    for name in ("account_id", "contact_id", "owner_id", "currency", "price_list_id", "terms"):
        assert new[name] == old[name], name
    assert new["sent_at"] is None and new["pdf_sha256"] is None and new["approved_by_id"] is None
    assert _lines(session, second) == _lines(session, first)
    assert old["status"] == "sent"  # the earlier revision stays as it was, frozen
    with pytest.raises(ValidationErrors) as frozen:
        update_record(session, rep, "quote", first, {"terms": "Otras"})
    assert _code(frozen.value) == "quote_frozen"
    # the number finds the latest revision
    assert find_quote_id(session, old["number"]) == second


def test_a_quote_is_revised_once_from_its_latest_revision(
    session: Session, rep: EditContext, manager: EditContext
) -> None:
    first = _approved(session, rep, manager)
    revise_quote(session, rep, first, today=DEMO_DAY)
    before = _outbox(session)
    with pytest.raises(DomainError) as refused:
        revise_quote(session, rep, first, today=DEMO_DAY)
    assert refused.value.code == "quote_already_revised"
    assert _outbox(session) == before


@pytest.mark.parametrize("status", ["draft", "pending_approval"])
def test_a_draft_or_pending_quote_is_not_revised(
    session: Session, rep: EditContext, status: str
) -> None:
    quote_id = _pending(session, rep) if status == "pending_approval" else _quote(session, rep)
    with pytest.raises(DomainError) as refused:
        revise_quote(session, rep, quote_id, today=DEMO_DAY)
    assert refused.value.code == "quote_not_revisable"


def test_an_accepted_quote_is_not_revised_but_a_rejected_one_is(
    session: Session, rep: EditContext, manager: EditContext, tmp_path: Path
) -> None:
    accepted = _sent(session, rep, manager, tmp_path / "a")
    accept_quote(session, rep, accepted, now=NOW)
    with pytest.raises(DomainError) as refused:
        revise_quote(session, rep, accepted, today=DEMO_DAY)
    assert refused.value.code == "quote_not_revisable"
    rejected = _sent(session, rep, manager, tmp_path / "b")
    reject_quote(session, rep, rejected, reason="Precio")
    assert _stored(session, revise_quote(session, rep, rejected, today=DEMO_DAY))["revision"] == 2


def test_the_same_number_and_revision_twice_is_refused(
    session: Session, rep: EditContext, manager: EditContext
) -> None:
    first = _approved(session, rep, manager)
    quote = _stored(session, first)
    with pytest.raises(ValidationErrors) as refused:
        create_record(
            session,
            rep,
            "quote",
            {"number": quote["number"], "account_id": quote["account_id"], "currency": "EUR"},
        )
    assert _code(refused.value) == "duplicate_number"


def test_a_revision_cannot_be_sent_or_accepted_once_superseded(
    session: Session, rep: EditContext, manager: EditContext, tmp_path: Path
) -> None:
    approved = _approved(session, rep, manager)
    revise_quote(session, rep, approved, today=DEMO_DAY)
    with pytest.raises(DomainError) as refused:
        send_quote(session, rep, approved, folder=tmp_path / "out", now=NOW)
    assert refused.value.code == "quote_already_revised"
    assert not (tmp_path / "out").exists()


# --- sending -------------------------------------------------------------------------------------


def _parse(path: Path) -> EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def test_sending_writes_the_pdf_and_a_draft_and_marks_the_quote_sent(
    session: Session, rep: EditContext, manager: EditContext, tmp_path: Path
) -> None:
    quote_id = _approved(session, rep, manager)
    quote = session.get(Quote, quote_id)
    assert quote is not None
    contact = session.get(Contact, quote.contact_id)
    assert contact is not None and contact.email
    folder = tmp_path / "out"
    sent = send_quote(session, rep, quote_id, folder=folder, now=NOW)

    assert sent.pdf_path == folder / f"{quote.number}.pdf"
    assert sent.eml_path == folder / f"{quote.number}.eml"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [sent.pdf_path.name, sent.eml_path.name]
    )  # no temporary file left
    pdf = sent.pdf_path.read_bytes()
    assert hashlib.sha256(pdf).hexdigest() == sent.sha256
    stored = _stored(session, quote_id)
    assert (stored["status"], stored["sent_at"], stored["pdf_sha256"]) == ("sent", NOW, sent.sha256)

    message = _parse(sent.eml_path)
    assert message["X-Unsent"] == "1"
    assert sent.recipient == contact.email
    assert message["To"].addresses[0].addr_spec == contact.email
    assert message["From"].addresses[0].addr_spec == "javier.garcia@ibertec-demo.es"
    assert message["Subject"].startswith(f"Presupuesto {quote.number}")
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content()
    assert "Le adjunto nuestro presupuesto" in text and "€" in text
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == f"{quote.number}.pdf"
    data = attachment.get_content()
    assert hashlib.sha256(data).hexdigest() == stored["pdf_sha256"]
    # the stored hash is the one of the quote's PDF as rendered again
    document = quote_document(session, quote_id, today=DEMO_DAY)
    assert document is not None
    assert hashlib.sha256(render_quote_pdf(document)).hexdigest() == sent.sha256


def test_a_draft_in_english_and_without_a_recipient(
    session: Session, rep: EditContext, manager: EditContext, tmp_path: Path
) -> None:
    quote_id = _approved(session, rep, manager, contact=False)
    sent = send_quote(session, rep, quote_id, folder=tmp_path, now=NOW, language="en")
    assert sent.recipient is None
    message = _parse(sent.eml_path)
    assert message["To"] is None
    assert message["Subject"].startswith("Quote ")
    body = message.get_body(preferencelist=("plain",))
    assert body is not None and body.get_content().startswith("Hello,")


def test_a_revision_is_sent_under_its_own_file_name(
    session: Session, rep: EditContext, manager: EditContext, tmp_path: Path
) -> None:
    first = _sent(session, rep, manager, tmp_path)
    second = revise_quote(session, rep, first, today=DEMO_DAY)
    update_record(session, manager, "quote", second, {"status": "approved"})
    sent = send_quote(session, rep, second, folder=tmp_path, now=NOW)
    number = _stored(session, second)["number"]
    assert sent.pdf_path.name == f"{number}-r2.pdf"
    message = _parse(sent.eml_path)
    assert ", revisión 2" in message["Subject"]
    body = message.get_body(preferencelist=("plain",))
    assert body is not None and f"{number} (revisión 2)" in body.get_content()


def _no_item_lines(session: Session, rep: EditContext, manager: EditContext) -> str:
    account, _person = _account_with_contact(session)
    price_list, _sku = _priced(session)
    quote_id = new_quote(
        session, rep, account_id=account.id, price_list_id=price_list, lines=[], today=DEMO_DAY
    )
    create_record(
        session,
        rep,
        "quote_line",
        {
            "quote_id": quote_id,
            "kind": "text",
            "description": "Solo texto",
            "unit_price": 0,
        },
    )
    update_record(session, manager, "quote", quote_id, {"status": "approved"})
    return quote_id


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("draft", "quote_not_approved"),
        ("pending", "quote_not_approved"),
        ("expired", "quote_expired"),
        ("no items", "quote_without_lines"),
        ("sent", "quote_not_approved"),
    ],
)
def test_sending_is_refused_with_nothing_written(
    session: Session,
    rep: EditContext,
    manager: EditContext,
    tmp_path: Path,
    case: str,
    code: str,
) -> None:
    now = NOW
    if case == "draft":
        quote_id = _quote(session, rep)
    elif case == "pending":
        quote_id = _pending(session, rep)
    elif case == "no items":
        quote_id = _no_item_lines(session, rep, manager)
    elif case == "sent":
        quote_id = _sent(session, rep, manager, tmp_path / "first")
    else:
        quote_id = _approved(session, rep, manager)
        now = NOW + dt.timedelta(days=365)
    before = (_stored(session, quote_id), _outbox(session))
    folder = tmp_path / "out"
    with pytest.raises(DomainError) as refused:
        send_quote(session, rep, quote_id, folder=folder, now=now)
    assert refused.value.code == code
    assert (_stored(session, quote_id), _outbox(session)) == before
    assert not folder.exists()


def test_a_failed_draft_write_leaves_no_pdf(
    session: Session,
    rep: EditContext,
    manager: EditContext,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    quote_id = _approved(session, rep, manager)
    real = quote_sending.write_atomically

    def failing(path: Path, data: bytes) -> None:
        if path.suffix == ".eml":
            raise OSError(28, "No space left on device")
        real(path, data)

    monkeypatch.setattr(quote_sending, "write_atomically", failing)
    with pytest.raises(OSError, match="No space"):
        send_quote(session, rep, quote_id, folder=tmp_path / "out", now=NOW)
    assert list((tmp_path / "out").iterdir()) == []


def test_an_unknown_language_is_refused_before_anything_is_written(
    session: Session, rep: EditContext, manager: EditContext, tmp_path: Path
) -> None:
    quote_id = _approved(session, rep, manager)
    with pytest.raises(DomainError) as refused:
        send_quote(session, rep, quote_id, folder=tmp_path / "out", now=NOW, language="fr")
    assert refused.value.code == "invalid_choice"
    assert _stored(session, quote_id)["status"] == "approved"
    assert not (tmp_path / "out").exists()
