"""Reading quotes, for the CLI and the UI: a page of quotes, one quote, its PDF document.

* :func:`list_quotes` / :func:`count_quotes` (together :data:`QUOTE_LIST`) — a page of
  :class:`QuoteRow`, newest first, filtered and searched as :mod:`.quote_filters` describes,
  each with its total from the one totals rule
  (:func:`sync_server.protocol.quote_totals.quote_totals`); the lines of the whole page are
  read in one query.
* :func:`quote_detail` — one quote's header, its lines in position order and its totals.
* :func:`quote_document` — the :class:`QuoteDocument` the PDF renderer prints.

A quote that is still pending approval, approved or sent once its valid-until date has passed is
*shown* as ``"expired"`` (``shown_status``) until the server records the expiry.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from babel import Locale
from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session, aliased

from sfa_desktop.domain.validation import format_phone
from sfa_desktop.services.exports.quote_document import (
    CustomerBlock,
    DocumentLanguage,
    DocumentLine,
    Letterhead,
    QuoteDocument,
)
from sfa_desktop.services.quote_filters import (
    EXPIRABLE_STATUSES,
    EXPIRING_DAYS,
    OWNER_SCOPES,
    QuoteFilters,
    awaiting_approval_conditions,
    quote_conditions,
)
from sfa_desktop.services.record_lists import PagedList
from sfa_desktop.store.collation import name_key
from sfa_desktop.store.models.customers import Account, Contact
from sfa_desktop.store.models.reference import Company, Product, User
from sfa_desktop.store.models.sales import Quote, QuoteLine
from sync_server.protocol.quote_totals import (
    LineAmounts,
    LineKind,
    QuoteTotals,
    minor_unit_digits,
    quote_totals,
)

__all__ = [
    "EXPIRABLE_STATUSES",
    "EXPIRING_DAYS",
    "OWNER_SCOPES",
    "QUOTE_LIST",
    "QUOTE_SORT_KEYS",
    "QuoteDetail",
    "QuoteFilters",
    "QuoteLineRow",
    "QuoteRow",
    "count_quotes",
    "find_quote_id",
    "list_quotes",
    "quote_detail",
    "quote_document",
    "quotes_awaiting_approval",
    "quotes_awaiting_approval_count",
    "shown_status",
]


def shown_status(status: str, valid_until: dt.date | None, today: dt.date) -> str:
    """``status``, or ``"expired"`` for an expirable quote whose valid-until date has passed."""
    if status in EXPIRABLE_STATUSES and valid_until is not None and valid_until < today:
        return "expired"
    return status


@dataclass(frozen=True)
class QuoteRow:
    """One quote of a list; ``total`` (tax included) in major units of ``currency``."""

    id: str
    number: str
    revision: int
    account_id: str
    account_name: str
    contact_name: str | None
    #: the stored status
    status: str
    #: the status to show (``"expired"`` when the valid-until date has passed)
    shown_status: str
    currency: str
    total: Decimal
    issue_date: dt.date | None
    valid_until: dt.date | None
    owner_name: str | None


@dataclass(frozen=True)
class QuoteLineRow:
    """One line of a quote; ``unit_price`` and ``net`` in major units (``net`` None for
    section headings and text lines)."""

    id: str
    position: int
    kind: LineKind
    description: str
    sku: str | None
    quantity: Decimal
    unit_price: Decimal
    discount_pct: Decimal
    tax_rate_pct: Decimal
    optional: bool
    net: Decimal | None


@dataclass(frozen=True)
class QuoteDetail:
    quote: QuoteRow
    opportunity_id: str | None
    previous_quote_id: str | None
    terms: str | None
    customer_note: str | None
    notes: str | None
    lines: tuple[QuoteLineRow, ...]
    totals: QuoteTotals


_owner = aliased(User)


def _live(model: type[Quote] | type[QuoteLine]) -> ColumnElement[bool]:
    return model.deleted_at.is_(None)


def _contact_name() -> ColumnElement[str]:
    return func.trim(Contact.first_name + " " + func.coalesce(Contact.last_name, ""))


def _header_query() -> Select[Quote, str, str, str]:
    return (
        select(
            Quote,
            Account.name.label("account_name"),
            _contact_name().label("contact_name"),
            _owner.name.label("owner_name"),
        )
        .join(Account, Account.id == Quote.account_id, isouter=True)
        .join(Contact, Contact.id == Quote.contact_id, isouter=True)
        .join(_owner, _owner.id == Quote.owner_id, isouter=True)
    )


def _major(minor: int, currency: str) -> Decimal:
    return Decimal(minor).scaleb(-minor_unit_digits(currency))


def _amounts(line: QuoteLine, currency: str) -> LineAmounts:
    return LineAmounts(
        kind=line.kind,  # type: ignore[arg-type]
        quantity=line.quantity,
        unit_price=_major(line.unit_price, currency),
        discount_pct=line.discount_pct,
        tax_rate_pct=line.tax_rate_pct,
        optional=bool(line.optional),
    )


def _lines_of(session: Session, quote_ids: Sequence[str]) -> dict[str, list[QuoteLine]]:
    """The live lines of ``quote_ids``, each quote's in position order: one query."""
    by_quote: dict[str, list[QuoteLine]] = defaultdict(list)
    if not quote_ids:
        return by_quote
    statement = (
        select(QuoteLine)
        .where(QuoteLine.quote_id.in_(quote_ids), _live(QuoteLine))
        .order_by(QuoteLine.quote_id, QuoteLine.position, QuoteLine.id)
    )
    for line in session.scalars(statement):
        by_quote[line.quote_id].append(line)
    return by_quote


def _row(
    quote: Quote,
    account_name: str | None,
    contact_name: str | None,
    owner_name: str | None,
    total: Decimal,
    today: dt.date,
) -> QuoteRow:
    return QuoteRow(
        id=quote.id,
        number=quote.number,
        revision=quote.revision,
        account_id=quote.account_id,
        account_name=account_name or "",
        contact_name=contact_name or None,
        status=quote.status,
        shown_status=shown_status(quote.status, quote.valid_until, today),
        currency=quote.currency,
        total=total,
        issue_date=quote.issue_date,
        valid_until=quote.valid_until,
        owner_name=owner_name,
    )


#: How the list can be ordered (ties: the number, then the id, newest first when descending).
QUOTE_SORT_KEYS: dict[str, Any] = {
    "issue_date": Quote.issue_date,
    "number": Quote.number,
    "account_name": name_key(Account.name),
    "valid_until": Quote.valid_until,
    "owner_name": name_key(_owner.name),
}


def _ordering(sort: str, descending: bool) -> list[Any]:
    if sort not in QUOTE_SORT_KEYS:
        raise ValueError(f"unknown sort key {sort!r}; expected one of {', '.join(QUOTE_SORT_KEYS)}")
    key, number = QUOTE_SORT_KEYS[sort], Quote.number
    if descending:  # all one way: SQLite walks ix_quotes_list_live backwards for the default
        return [key.desc().nulls_last(), number.desc(), Quote.id.desc()]
    return [key.asc().nulls_last(), number.asc(), Quote.id]


def list_quotes(
    session: Session,
    *,
    today: dt.date,
    status: str | None = None,
    owner: str | None = None,
    expiring: bool = False,
    awaiting_approval: bool = False,
    search: str | None = None,
    sort: str = "issue_date",
    descending: bool = True,
    limit: int = 50,
    offset: int = 0,
) -> list[QuoteRow]:
    """Live quotes matching the filters on ``today`` (see :mod:`.quote_filters`), newest issue
    first unless ``sort`` (a :data:`QUOTE_SORT_KEYS` key) says otherwise.

    Two queries whatever the page size: the quotes with their names, then all their lines
    (plus one for the current user's id with the owner or approval filters).
    """
    filters = QuoteFilters(status, owner, expiring, awaiting_approval, search)
    conditions = quote_conditions(session, filters, today)
    return _page(session, conditions, today, _ordering(sort, descending), limit, offset)


def _page(
    session: Session,
    conditions: Sequence[ColumnElement[bool]],
    today: dt.date,
    ordering: Sequence[Any],
    limit: int,
    offset: int,
) -> list[QuoteRow]:
    statement = _header_query().where(*conditions).order_by(*ordering).limit(limit).offset(offset)
    found = session.execute(statement).all()
    lines = _lines_of(session, [row.Quote.id for row in found])
    rows: list[QuoteRow] = []
    for quote, account_name, contact_name, owner_name in found:
        amounts = [_amounts(line, quote.currency) for line in lines.get(quote.id, [])]
        total = quote_totals(amounts, quote.currency).total
        rows.append(_row(quote, account_name, contact_name, owner_name, total, today))
    return rows


def count_quotes(
    session: Session,
    *,
    today: dt.date,
    status: str | None = None,
    owner: str | None = None,
    expiring: bool = False,
    awaiting_approval: bool = False,
    search: str | None = None,
) -> int:
    """How many live quotes :func:`list_quotes` pages through with the same filters."""
    filters = QuoteFilters(status, owner, expiring, awaiting_approval, search)
    # no join: the conditions read only the quotes table (an index, for most filters)
    statement = (
        select(func.count()).select_from(Quote).where(*quote_conditions(session, filters, today))
    )
    return int(session.scalar(statement) or 0)


def _utc_today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def quotes_awaiting_approval(
    session: Session, user_id: str, *, today: dt.date | None = None, limit: int = 50
) -> list[QuoteRow]:
    """The live quotes awaiting ``user_id``'s approval (pending, not expired, owned by someone
    they manage, or anyone's for an admin), the soonest to expire first."""
    conditions = [_live(Quote), *awaiting_approval_conditions(user_id, today or _utc_today())]
    ordering = [Quote.valid_until.asc().nulls_last(), Quote.number, Quote.id]
    return _page(session, conditions, today or _utc_today(), ordering, limit, 0)


def quotes_awaiting_approval_count(
    session: Session, user_id: str, *, today: dt.date | None = None
) -> int:
    """How many quotes :func:`quotes_awaiting_approval` lists (for the status bar and Today)."""
    conditions = [_live(Quote), *awaiting_approval_conditions(user_id, today or _utc_today())]
    return int(session.scalar(select(func.count()).select_from(Quote).where(*conditions)) or 0)


#: The quotes list for the UI (filters: ``today`` plus those of :func:`list_quotes`).
QUOTE_LIST: PagedList[QuoteRow] = PagedList(list_quotes, count_quotes)


def find_quote_id(session: Session, text: str) -> str | None:
    """The id of the live quote whose number is ``text`` (its latest revision), or whose id is
    ``text`` or starts with it (8+ characters, unambiguous); None if there is none."""
    text = text.strip()
    if not text:
        return None
    by_number = session.scalar(  # a quote's revisions share its number: the latest
        select(Quote.id)
        .where(Quote.number == text, _live(Quote))
        .order_by(Quote.revision.desc())
        .limit(1)
    )
    if by_number is not None:
        return str(by_number)
    lowered = text.lower()
    if len(lowered) < 8:
        return None
    condition = Quote.id == lowered if len(lowered) == 36 else Quote.id.startswith(lowered)
    ids = list(session.scalars(select(Quote.id).where(condition, _live(Quote)).limit(2)))
    return str(ids[0]) if len(ids) == 1 else None


def quote_detail(session: Session, quote_id: str, today: dt.date) -> QuoteDetail | None:
    """One live quote with its lines (in position order) and totals; None if there is none."""
    found = session.execute(_header_query().where(Quote.id == quote_id, _live(Quote))).first()
    if found is None:
        return None
    quote, account_name, contact_name, owner_name = found
    statement = (
        select(QuoteLine, Product.sku)
        .join(Product, Product.id == QuoteLine.product_id, isouter=True)
        .where(QuoteLine.quote_id == quote_id, _live(QuoteLine))
        .order_by(QuoteLine.position, QuoteLine.id)
    )
    lines = session.execute(statement).all()
    totals = quote_totals([_amounts(line, quote.currency) for line, _ in lines], quote.currency)
    line_rows = tuple(
        QuoteLineRow(
            id=line.id,
            position=line.position,
            kind=line.kind,  # type: ignore[arg-type]
            description=line.description,
            sku=sku,
            quantity=line.quantity,
            unit_price=_major(line.unit_price, quote.currency),
            discount_pct=line.discount_pct,
            tax_rate_pct=line.tax_rate_pct,
            optional=bool(line.optional),
            net=net,
        )
        for (line, sku), net in zip(lines, totals.line_nets, strict=True)
    )
    return QuoteDetail(
        quote=_row(quote, account_name, contact_name, owner_name, totals.total, today),
        opportunity_id=quote.opportunity_id,
        previous_quote_id=quote.previous_quote_id,
        terms=quote.terms,
        customer_note=quote.customer_note,
        notes=quote.notes,
        lines=line_rows,
        totals=totals,
    )


def _address_lines(
    address: str | None,
    postal_code: str | None,
    city: str | None,
    country: str | None,
    language: str,
) -> tuple[str, ...]:
    """The postal address as printed: the country by its name in the document's language."""
    town = " ".join(part for part in (postal_code, city) if part)
    country_name = Locale.parse(language).territories.get(country, country) if country else None
    return tuple(part for part in (address, town, country_name) if part)


def _company(session: Session) -> Company | None:
    return session.scalar(
        select(Company).where(Company.deleted_at.is_(None)).order_by(Company.id).limit(1)
    )


def _letterhead(company: Company | None, language: str) -> Letterhead:
    """The company settings as a letterhead; with none synced yet, a neutral one: no name, no
    address, no logo (the PDF then shows only the quote and the customer)."""
    if company is None:
        return Letterhead(company_name="")
    logo: bytes | None = None
    if company.logo_png:
        try:
            logo = base64.b64decode(company.logo_png, validate=True)
        except (binascii.Error, ValueError):
            logo = None
    return Letterhead(
        company_name=company.name,
        tax_id=company.tax_id or "",
        address_lines=_address_lines(
            company.address, company.postal_code, company.city, company.country, language
        ),
        logo_png=logo,
        bank_line=company.bank_line or "",
        footer=company.footer or "",
        phone=_shown_phone(company.phone, company.country or "ES"),
        email=company.email or "",
        website=_shown_website(company.website),
    )


def _shown_website(url: str | None) -> str:
    """A stored (canonical ``https://…``) web address as printed: ``www.example.es``."""
    if not url:
        return ""
    for scheme in ("https://", "http://"):
        if url.lower().startswith(scheme):
            url = url[len(scheme) :]
            break
    return url.rstrip("/")


def _shown_phone(phone: str | None, home: str) -> str:
    """A stored (E.164) phone as printed: national form at ``home``, international abroad."""
    return format_phone(phone, home) if phone else ""


def quote_document(
    session: Session,
    quote_id: str,
    language: DocumentLanguage | None = None,
    *,
    today: dt.date | None = None,
) -> QuoteDocument | None:
    """What the PDF of a live quote prints; None if there is no such quote.

    ``language`` defaults to the account's: Spanish for an account in Spain (``ES``), English
    otherwise. The letterhead comes from the company settings (see :func:`_letterhead`).
    """
    detail = quote_detail(session, quote_id, today or dt.date.today())
    if detail is None:
        return None
    header = detail.quote
    quote = session.get(Quote, quote_id)
    assert quote is not None
    account = session.get(Account, quote.account_id)
    contact = session.get(Contact, quote.contact_id) if quote.contact_id else None
    if language is None:
        language = "es" if account is not None and account.country == "ES" else "en"
    company = _company(session)
    letterhead = _letterhead(company, language)
    # phones in the company's country print in national form (Spain without settings)
    home = (company.country if company else None) or "ES"
    customer = CustomerBlock(
        name=header.account_name,
        tax_id=(account.tax_id or "") if account else "",
        address_lines=(
            _address_lines(
                account.address, account.postal_code, account.city, account.country, language
            )
            if account
            else ()
        ),
        contact_name=header.contact_name or "",
        contact_email=(contact.email or "") if contact else "",
        contact_phone=_shown_phone(contact.phone or contact.mobile, home) if contact else "",
    )
    return QuoteDocument(
        letterhead=letterhead,
        customer=customer,
        number=header.number,
        revision=header.revision,
        issue_date=header.issue_date or quote.created_at.date(),
        valid_until=header.valid_until,
        currency=header.currency,
        language=language,
        status=header.status,
        lines=tuple(
            DocumentLine(
                description=line.description,
                kind=line.kind,
                quantity=line.quantity,
                unit_price=line.unit_price,
                discount_pct=line.discount_pct,
                tax_rate_pct=line.tax_rate_pct,
                optional=line.optional,
                sku=line.sku or "",
            )
            for line in detail.lines
        ),
        terms=detail.terms or "",
        note=detail.customer_note or "",
        prepared_by=header.owner_name or "",
    )
