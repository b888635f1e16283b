"""Cross-sell and up-sell suggestions per account, from what the customers here bought.

The co-purchase tables (:mod:`sfa_desktop.domain.cross_sell`) are built from every live
accepted quote in this profile (the data the user can see): a customer's basket is the set
of products on its accepted quotes' item lines (optional lines left out — the customer did not
necessarily take them). Opportunities carry no products, and a won deal's products are those
of its accepted quote, so quotes are the one source.

Two tables are kept: by product, and by product family (for when products are too sparse for
a product pair to reach the minimum of customers). They are computed once per *data version*
— the number of live accepted quotes, their latest ``updated_at`` and the latest product
change — and kept in memory per database file (:func:`co_purchase_model`); the account page
asks for them in a task of its own after the page is shown, so the page itself does not wait.

Suggestions for an account (:func:`account_suggestions`), at most :data:`SUGGESTION_LIMIT`,
none of them a product the account already bought, inactive or not sold on its own:

1. products by the best product rule (the likeliest purchase first);
2. up-sell: options and components of products it bought;
3. families it never bought by the best family rule, offered as that family's best seller;
4. up-sell: the next dearer product of a family it buys (at most
   :data:`~sfa_desktop.domain.cross_sell.STEP_UP_MAX_RATIO` times the dearest it bought
   there; prices of the active price list with the most products).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sfa_desktop.domain.cross_sell import (
    CatalogItem,
    CoPurchaseTable,
    Rule,
    co_purchase_table,
    cross_sell_rules,
    upsell_suggestions,
)
from sfa_desktop.store.models.reference import PriceList, PriceListItem, Product
from sfa_desktop.store.models.sales import Quote, QuoteLine

__all__ = [
    "SUGGESTION_LIMIT",
    "CoPurchaseModel",
    "ProductInfo",
    "Suggestion",
    "account_suggestions",
    "co_purchase_model",
    "data_version",
]

SUGGESTION_LIMIT = 5


@dataclass(frozen=True, slots=True)
class ProductInfo:
    id: str
    sku: str
    name: str
    family: str | None
    kind: str
    parent_id: str | None
    active: bool
    price: Decimal | None


@dataclass(frozen=True, slots=True)
class CoPurchaseModel:
    """Everything suggestions are computed from, for one data version."""

    version: tuple[Any, ...]
    products: dict[str, ProductInfo]
    #: account id → the products it bought
    baskets: dict[str, frozenset[str]]
    by_product: CoPurchaseTable
    by_family: CoPurchaseTable
    #: family → its products, most customers first
    best_sellers: dict[str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class Suggestion:
    """Offer ``product``. ``kind``: ``cross_sell`` (product rule), ``family`` (family rule),
    ``option``, ``component`` or ``step_up`` (up-sell). ``because`` is the product (or family,
    for ``family``) that the account bought and that the rule starts from; the figures are
    those of the rule (None for up-sell)."""

    product: ProductInfo
    kind: str
    because: str
    confidence: Fraction | None = None
    lift: Fraction | None = None
    customers: int | None = None

    @property
    def is_rule(self) -> bool:
        return self.kind in ("cross_sell", "family")


_cache: dict[str, CoPurchaseModel] = {}
_lock = threading.Lock()


def data_version(session: Session) -> tuple[Any, ...]:
    """What changes when the co-purchase tables would: the live accepted quotes (count and
    latest change, read through the status index) and the products' latest change."""
    quotes = session.execute(
        select(func.count(), func.max(Quote.updated_at)).where(
            Quote.status == "accepted", Quote.deleted_at.is_(None)
        )
    ).one()
    products = session.execute(select(func.count(), func.max(Product.updated_at))).one()
    return (*tuple(quotes), *tuple(products))


def _database_key(session: Session) -> str:
    return str(session.get_bind().engine.url)


def co_purchase_model(session: Session) -> CoPurchaseModel:
    """The model of this database's current data version (computed now if it changed)."""
    version = data_version(session)
    key = _database_key(session)
    with _lock:
        held = _cache.get(key)
    if held is not None and held.version == version:
        return held
    model = build_model(session, version)
    with _lock:
        _cache[key] = model
    return model


def build_model(session: Session, version: tuple[Any, ...] = ()) -> CoPurchaseModel:
    """The co-purchase model from scratch (:func:`co_purchase_model` caches it)."""
    products = _products(session)
    rows = session.execute(
        select(Quote.account_id, QuoteLine.product_id)
        .join(QuoteLine, QuoteLine.quote_id == Quote.id)
        .where(
            Quote.status == "accepted",
            Quote.deleted_at.is_(None),
            QuoteLine.deleted_at.is_(None),
            QuoteLine.kind == "item",
            QuoteLine.optional.is_(False),
            QuoteLine.product_id.is_not(None),
        )
    )
    baskets: dict[str, set[str]] = {}
    for account_id, product_id in rows:
        if product_id in products:
            baskets.setdefault(account_id, set()).add(product_id)
    frozen = {account: frozenset(items) for account, items in baskets.items()}
    by_product = co_purchase_table(frozen.values())
    by_family = co_purchase_table(_families(products, items) for items in frozen.values())
    sellers: dict[str, Counter[str]] = {}
    for product_id, customers in by_product.items.items():
        family = products[product_id].family
        if family:
            sellers.setdefault(family, Counter())[product_id] = customers
    best_sellers = {
        family: tuple(p for p, _n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
        for family, counts in sellers.items()
    }
    return CoPurchaseModel(version, products, frozen, by_product, by_family, best_sellers)


def _families(products: dict[str, ProductInfo], items: Iterable[str]) -> set[str]:
    return {family for item in items if (family := products[item].family)}


def _products(session: Session) -> dict[str, ProductInfo]:
    prices = _reference_prices(session)
    return {
        row.id: ProductInfo(
            id=row.id,
            sku=row.sku,
            name=row.name,
            family=row.family,
            kind=row.kind,
            parent_id=row.parent_product_id,
            active=bool(row.active),
            price=prices.get(row.id),
        )
        for row in session.scalars(select(Product).where(Product.deleted_at.is_(None)))
    }


def _reference_prices(session: Session) -> dict[str, Decimal]:
    """Unit prices (minor units, as Decimal) of the active price list pricing most products:
    enough to rank a family's products by price."""
    best = session.execute(
        select(PriceListItem.price_list_id, func.count())
        .join(PriceList, PriceList.id == PriceListItem.price_list_id)
        .where(
            PriceListItem.deleted_at.is_(None),
            PriceList.deleted_at.is_(None),
            PriceList.active.is_(True),
        )
        .group_by(PriceListItem.price_list_id)
        .order_by(func.count().desc(), PriceListItem.price_list_id)
        .limit(1)
    ).first()
    if best is None:
        return {}
    rows = session.execute(
        select(PriceListItem.product_id, PriceListItem.unit_price).where(
            PriceListItem.price_list_id == best[0], PriceListItem.deleted_at.is_(None)
        )
    )
    return {product_id: Decimal(price) for product_id, price in rows}


def account_suggestions(
    session: Session, account_id: str, *, limit: int = SUGGESTION_LIMIT
) -> list[Suggestion]:
    """What to offer ``account_id`` next (see the module docstring), best first."""
    model = co_purchase_model(session)
    return suggestions_from(model, account_id, limit=limit)


def suggestions_from(model: CoPurchaseModel, account_id: str, *, limit: int) -> list[Suggestion]:
    """The suggestions of ``account_id`` from ``model``, in the order of the module docstring."""
    bought = model.baskets.get(account_id, frozenset())
    if not bought:
        return []
    products = model.products
    catalog = {
        p.id: CatalogItem(p.id, p.family, p.kind, p.parent_id, p.price, p.active)
        for p in products.values()
    }
    upsells = upsell_suggestions(catalog, bought)
    candidates: list[Suggestion] = [
        _rule_suggestion(products[rule.item], "cross_sell", rule)
        for rule in cross_sell_rules(model.by_product, bought)
        if rule.item in products
    ]
    candidates += [
        Suggestion(products[u.item], u.reason, u.because) for u in upsells if u.reason != "step_up"
    ]
    candidates += _family_suggestions(model, bought)
    candidates += [
        Suggestion(products[u.item], u.reason, u.because) for u in upsells if u.reason == "step_up"
    ]
    found: list[Suggestion] = []
    taken: set[str] = set(bought)
    families_offered: set[str | None] = set()  # one product per family rule
    for suggestion in candidates:
        product = suggestion.product
        if product.id in taken or not product.active:
            continue
        if suggestion.is_rule and product.kind != "product":
            continue
        if suggestion.kind == "family":
            if product.family in families_offered:
                continue
            families_offered.add(product.family)
        taken.add(product.id)
        found.append(suggestion)
        if len(found) == limit:
            break
    return found


def _family_suggestions(model: CoPurchaseModel, bought: frozenset[str]) -> list[Suggestion]:
    """Per family rule, the family's best sellers (the caller takes the first it can)."""
    found: list[Suggestion] = []
    for rule in cross_sell_rules(model.by_family, _families(model.products, bought)):
        for product_id in model.best_sellers.get(rule.item, ()):
            if product_id not in bought:
                found.append(_rule_suggestion(model.products[product_id], "family", rule))
    return found


def _rule_suggestion(product: ProductInfo, kind: str, rule: Rule) -> Suggestion:
    return Suggestion(
        product=product,
        kind=kind,
        because=rule.because,
        confidence=rule.confidence,
        lift=rule.lift,
        customers=rule.customers,
    )
