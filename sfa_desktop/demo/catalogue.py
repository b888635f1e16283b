"""Products, price lists and their items (server-managed reference data)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .context import Clock, Row, base_row, new_id
from .products import PRODUCTS, ProductData

#: (name pattern, currency, factor over the general EUR price, years before today's)
PRICE_LISTS = (
    ("Tarifa general {year}", "EUR", Decimal("1"), 0),
    ("Tarifa distribuidores {year}", "EUR", Decimal("0.85"), 0),
    ("Tarifa Reino Unido {year} (GBP)", "GBP", Decimal("0.87"), 0),
    ("Tarifa general {year}", "EUR", Decimal("0.96"), 1),
)


@dataclass(frozen=True, slots=True)
class Product:
    id: str
    data: ProductData
    tax_rate: Decimal


def _unit_cost(data: ProductData) -> int | None:
    """What a unit costs the company: 50–75 % of its general list price, drawn from the SKU
    alone (the main random stream is left as it was); one product in ten has no known cost,
    so the company's default margin applies to it."""
    own = random.Random(f"unit-cost:{data.sku}")
    if own.random() < 0.1:
        return None
    share = Decimal(own.randint(50, 75)) / 100
    return _round_price(Decimal(data.price) * share)


def _launched(data: ProductData, clock: Clock, created: dt.datetime) -> dt.datetime:
    """When the product joined the catalogue: about one product in eight is recent (launched
    in the last ten months, so the scorecard has new products to show), drawn from the SKU
    alone (the main random stream is left as it was); the others keep ``created``."""
    own = random.Random(f"launch:{data.sku}")
    if own.random() >= 0.125:
        return created
    return clock.now - dt.timedelta(days=own.randint(20, 300), minutes=own.randint(0, 600))


class Catalogue:
    """The supplier's products and what they cost in each price list."""

    def __init__(self, rng: random.Random, clock: Clock) -> None:
        self.product_rows: list[Row] = []
        self.price_list_rows: list[Row] = []
        self.item_rows: list[Row] = []
        self.products: list[Product] = []
        self.by_sku: dict[str, Product] = {}
        #: price list id → product id → unit price (minor units)
        self.prices: dict[str, dict[str, int]] = {}
        start = clock.now - dt.timedelta(days=3 * 365)
        self._add_products(rng, clock, start)
        self._add_price_lists(rng, clock)
        self.general_id = self.price_list_rows[0]["id"]
        self.distributor_id = self.price_list_rows[1]["id"]

    def _add_products(self, rng: random.Random, clock: Clock, start: dt.datetime) -> None:
        ordered = sorted(PRODUCTS, key=lambda p: p.parent_sku is not None)
        for data in ordered:
            created = clock.between(rng, start, start + dt.timedelta(days=600))
            row = base_row(
                rng, created, clock.between(rng, created, clock.now - dt.timedelta(days=30))
            )
            parent = self.by_sku[data.parent_sku] if data.parent_sku else None
            tax_rate = Decimal(data.tax_rate)
            row.update(
                sku=data.sku,
                name=data.name,
                description=data.description,
                family=data.family,
                kind=data.kind,
                parent_product_id=parent.id if parent else None,
                tax_rate_pct=tax_rate,
                active=data.active,
                unit_cost=_unit_cost(data),
            )
            launched = _launched(data, clock, created)
            if launched != created:
                own = random.Random(f"launch-id:{data.sku}")
                row.update(
                    id=new_id(own, launched),
                    created_at=launched,
                    updated_at=max(launched, row["updated_at"]),
                )
            product = Product(row["id"], data, tax_rate)
            self.products.append(product)
            self.by_sku[data.sku] = product
            self.product_rows.append(row)

    def _add_price_lists(self, rng: random.Random, clock: Clock) -> None:
        for pattern, currency, factor, years_back in PRICE_LISTS:
            year = clock.today.year - years_back
            valid_from = dt.date(year, 1, 1)
            created = clock.local(valid_from - dt.timedelta(days=rng.randint(20, 40)), 10 * 60)
            row = base_row(
                rng, created, clock.between(rng, created, created + dt.timedelta(days=15))
            )
            row.update(
                name=pattern.format(year=year),
                currency=currency,
                valid_from=valid_from,
                valid_to=dt.date(year, 12, 31),
                active=years_back == 0,
            )
            self.price_list_rows.append(row)
            prices = self.prices[row["id"]] = {}
            for product in self.products:
                price = _round_price(Decimal(product.data.price) * factor)
                prices[product.id] = price
                item = base_row(rng, created, row["updated_at"])
                item.update(
                    price_list_id=row["id"],
                    product_id=product.id,
                    unit_price=price,
                    currency=currency,
                )
                self.item_rows.append(item)


def _round_price(cents: Decimal) -> int:
    """Prices end in whole euros above 100 €, in 5 cents below."""
    step = Decimal(100) if cents >= 10_000 else Decimal(5)
    return int((cents / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step)
