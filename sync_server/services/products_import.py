"""Importing products and price lists from a CSV file (admin command line).

One row per product and (optionally) its price in one price list::

    sku,name,description,family,kind,parent_sku,tax_rate_pct,active,price_list,currency,unit_price
    CH-100,Office chair,,Seating,product,,21,yes,Tarifa 2026,EUR,"149.90"

``sku`` and ``name`` are required; a SKU may repeat on later rows to add prices in other price
lists (its product columns must then be empty or equal; one price per price list). Prices are
in major units ("149.90" or "149,90"), stored in minor units. ``unit_cost`` (optional) is
what a unit costs the company, in the company's currency (``company.currency``, EUR when not
set), in major units too: the customer value model's margin reads it. Columns may be separated by
commas or semicolons, and each appears once. Values pass the catalog's rules (a tax rate is a
percentage, 0–100). The whole file is checked before anything is written: the first bad value
is reported with its line number and column and nothing is applied. Products, price lists (by name) and prices are created or
updated in one transaction.
"""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel.numbers import get_currency_precision, is_currency

from sync_server.db.database import Database
from sync_server.db.records import records_of_entity
from sync_server.protocol.catalog import PRICE_LIST, PRICE_LIST_ITEM, PRODUCT
from sync_server.protocol.field_rules import check_field_rules
from sync_server.protocol.ids import new_id
from sync_server.protocol.values import ValueRejected, check_wire_value
from sync_server.protocol.wire import Mutation, MutationOp

from .actor import SyncContext
from .errors import ServiceError
from .push import apply_as_server, server_mutation

if TYPE_CHECKING:
    import _csv

PRODUCT_COLUMNS = (
    "sku",
    "name",
    "description",
    "family",
    "kind",
    "parent_sku",
    "tax_rate_pct",
    "active",
    "unit_cost",
)
PRICE_COLUMNS = ("price_list", "currency", "unit_price")
_TRUE = {"1", "true", "yes", "y", "si", "sí", "x"}
_FALSE = {"0", "false", "no", "n"}
MAX_IMPORT_BYTES = 50 * 1024 * 1024


class BadImportFile(ServiceError):
    code = "bad_import"


@dataclass
class ParsedProduct:
    line: int
    values: dict[str, Any]
    parent_sku: str | None


@dataclass
class ImportSummary:
    products_created: int = 0
    products_updated: int = 0
    price_lists_created: int = 0
    prices_set: int = 0
    rows: int = 0
    notes: list[str] = field(default_factory=list)


def minor_units(text: str, currency: str) -> int:
    """``"149,90"`` in EUR -> 14990; raises ValueError for anything else."""
    cleaned = text.strip().replace(" ", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    amount = Decimal(cleaned)
    if not amount.is_finite() or amount.adjusted() > 18:  # refused before any expansion
        raise ValueError("not an amount")
    scaled = amount.scaleb(get_currency_precision(currency))
    if not amount.is_finite() or scaled != scaled.to_integral_value() or amount < 0:
        raise ValueError("not an amount with the currency's decimals")
    return int(scaled)


def _bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError("expected yes or no")


def _read_rows(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    text = _read_text(path)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header = _read_header(path, reader)
    return header, _read_body(reader, header)


def _read_text(path: Path) -> str:
    """The file's text (UTF-8, with or without a byte order mark), within the size limit."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise BadImportFile(f"cannot read {path}: {error.strerror or error}") from None
    if len(raw) > MAX_IMPORT_BYTES:
        raise BadImportFile(f"{path} is larger than {MAX_IMPORT_BYTES // 2**20} MiB")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadImportFile(f"{path} is not UTF-8 text (byte {error.start})") from None


def _read_header(path: Path, reader: _csv.Reader) -> list[str]:
    """The column names: known ones, each once, ``sku`` and ``name`` among them."""
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise BadImportFile(f"{path} is empty") from None
    except csv.Error as error:
        raise BadImportFile(f"line 1: {error}") from None
    known = set(PRODUCT_COLUMNS + PRICE_COLUMNS)
    for position, name in enumerate(header, start=1):
        if name not in known:
            raise BadImportFile(f"line 1: unknown column {name!r}")
        first = header.index(name) + 1
        if first != position:
            raise BadImportFile(f"line 1: column {position} {name!r} repeats column {first}")
    for required in ("sku", "name"):
        if required not in header:
            raise BadImportFile(f"line 1: the column {required!r} is missing")
    return header


def _read_body(reader: _csv.Reader, header: list[str]) -> list[tuple[int, dict[str, str]]]:
    """The rows after the header, by line number, blank rows skipped."""
    rows: list[tuple[int, dict[str, str]]] = []
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise BadImportFile(f"line {line}: {error}") from None
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise BadImportFile(f"line {line}: {len(cells)} columns, the header has {len(header)}")
        rows.append((line, {h: c.strip() for h, c in zip(header, cells, strict=True)}))
    return rows


def _cell_value(line: int, name: str, text: str, cost_currency: str) -> Any:
    """A product cell as its wire value (before the catalog's checks)."""
    if name == "active":
        try:
            return _bool(text)
        except ValueError:
            raise BadImportFile(f"line {line}: active: expected yes or no, not {text!r}") from None
    if name == "tax_rate_pct":
        return text.replace(",", ".")
    if name == "unit_cost":
        try:
            return minor_units(text, cost_currency)
        except (ValueError, ArithmeticError):
            raise BadImportFile(
                f"line {line}: unit_cost: {text!r} is not an amount in {cost_currency}"
            ) from None
    return text


def _product_values(line: int, row: dict[str, str], cost_currency: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in PRODUCT_COLUMNS:
        text = row.get(name, "")
        if name == "parent_sku" or not text:
            continue
        value = _cell_value(line, name, text, cost_currency)
        try:
            spec = PRODUCT.field(name)
            values[name] = check_field_rules(spec, check_wire_value(spec, value))
        except ValueRejected as error:
            raise BadImportFile(f"line {line}: {error}") from None
    for spec in PRODUCT.fields:
        if spec.name not in values and spec.default is not None:
            values[spec.name] = check_wire_value(spec, spec.default)
    return values


def parse_file(
    path: Path, *, cost_currency: str = "EUR"
) -> tuple[dict[str, ParsedProduct], list[tuple[int, str, str, str, int]]]:
    """Products by SKU and prices as (line, sku, price list, currency, minor units); unit
    costs are read in ``cost_currency`` (the company's)."""
    _header, rows = _read_rows(path)
    if not rows:
        raise BadImportFile(f"{path} has a header but no rows")
    products: dict[str, ParsedProduct] = {}
    prices: list[tuple[int, str, str, str, int]] = []
    priced: dict[tuple[str, str], tuple[int, int]] = {}  # (sku, price list) -> (line, amount)
    for line, row in rows:
        sku = row["sku"]
        if not sku:
            raise BadImportFile(f"line {line}: sku: a value is required")
        _parse_product(line, row, products, cost_currency)
        price = _parse_price(line, row, priced)
        if price is not None:
            prices.append(price)
    for sku, product in products.items():
        if product.parent_sku == sku:
            raise BadImportFile(
                f"line {product.line}: parent_sku: a product cannot be its own parent"
            )
    return products, prices


def _parse_product(
    line: int, row: dict[str, str], products: dict[str, ParsedProduct], cost_currency: str
) -> None:
    """Add the row's product to ``products``, or check it agrees with its SKU's first row."""
    sku = row["sku"]
    values = _product_values(line, row, cost_currency)
    parent = row.get("parent_sku") or None
    earlier = products.get(sku)
    if earlier is None:
        missing = [f.name for f in PRODUCT.fields if f.required and f.name not in values]
        if missing:
            raise BadImportFile(f"line {line}: {missing[0]}: a value is required")
        products[sku] = ParsedProduct(line, values, parent)
        return
    given = {k: v for k, v in values.items() if row.get(k)}
    if any(earlier.values.get(k) != v for k, v in given.items()):
        raise BadImportFile(
            f"line {line}: SKU {sku} differs from its first row (line {earlier.line})"
        )


def _parse_price(
    line: int, row: dict[str, str], priced: dict[tuple[str, str], tuple[int, int]]
) -> tuple[int, str, str, str, int] | None:
    """The row's price, None when it has none or repeats an earlier row's (noted in ``priced``)."""
    sku = row["sku"]
    price_list = row.get("price_list", "")
    unit_price = row.get("unit_price", "")
    currency = (row.get("currency") or "EUR").upper()
    if bool(price_list) != bool(unit_price):
        raise BadImportFile(f"line {line}: price_list and unit_price go together")
    if not price_list:
        return None
    if not is_currency(currency):
        raise BadImportFile(f"line {line}: currency: unknown currency {currency!r}")
    amount = _price(line, unit_price, currency)
    if len(price_list) > (PRICE_LIST.field("name").max_length or 200):
        raise BadImportFile(f"line {line}: price_list: name too long")
    earlier_price = priced.setdefault((sku, price_list), (line, amount))
    if earlier_price[1] != amount:
        raise BadImportFile(
            f"line {line}: unit_price: {sku} already has another price in "
            f"{price_list} (line {earlier_price[0]})"
        )
    if earlier_price[0] != line:
        return None
    return (line, sku, price_list, currency, amount)


def _price(line: int, text: str, currency: str) -> int:
    """The price in minor units, within the catalog's bounds for a price."""
    spec = PRICE_LIST_ITEM.field("unit_price")
    try:
        amount = minor_units(text, currency)
        return int(check_field_rules(spec, check_wire_value(spec, amount)))
    except (ValueError, ArithmeticError):  # ValueRejected is a ValueError
        raise BadImportFile(
            f"line {line}: unit_price: {text!r} is not a price in {currency}"
        ) from None


class _Plan:
    """The server mutations that bring stored records to the wanted values."""

    def __init__(self, context: SyncContext) -> None:
        self.context = context
        self.mutations: list[Mutation] = []

    def upsert(
        self, entity: str, record_id: str, current: dict[str, Any] | None, wanted: dict[str, Any]
    ) -> str:
        """Plan the writes; returns "created", "updated" or "unchanged"."""
        plan = functools.partial(server_mutation, self.context, entity=entity, record_id=record_id)
        if current is None:
            self.mutations.append(plan(op=MutationOp.CREATE, value=wanted))
            return "created"
        changed = {k: v for k, v in wanted.items() if current.get(k) != v}
        for name, value in changed.items():
            self.mutations.append(plan(op=MutationOp.SET, field=name, value=value))
        return "updated" if changed else "unchanged"


def import_products(
    database: Database, *, context: SyncContext, path: Path, cost_currency: str = "EUR"
) -> ImportSummary:
    """Check the whole file, then apply it in one transaction (or not at all); unit costs are
    in ``cost_currency`` (the company's)."""
    products, prices = parse_file(path, cost_currency=cost_currency)
    summary = ImportSummary(rows=len(products))
    plan = _Plan(context)
    with database.write_session() as session:
        stored = {r.data.get("sku"): r for r in records_of_entity(session, entity="product")}
        ids = {sku: stored[sku].id if sku in stored else new_id() for sku in products}
        for sku, product in products.items():
            wanted = dict(product.values)
            if product.parent_sku:
                parent_id = ids.get(product.parent_sku) or (
                    stored[product.parent_sku].id if product.parent_sku in stored else None
                )
                if parent_id is None:
                    raise BadImportFile(
                        f"line {product.line}: parent_sku: no product {product.parent_sku}"
                    )
                wanted["parent_product_id"] = parent_id
            current = stored[sku].data if sku in stored else None
            outcome = plan.upsert("product", ids[sku], current, wanted)
            summary.products_created += outcome == "created"
            summary.products_updated += outcome == "updated"

        lists = {
            r.data.get("name"): (r.id, r.data.get("currency"))
            for r in records_of_entity(session, entity="price_list")
        }
        items = {
            (r.data.get("price_list_id"), r.data.get("product_id")): (r.id, r.data)
            for r in records_of_entity(session, entity="price_list_item")
        }
        for line, sku, list_name, currency, amount in prices:
            if list_name not in lists:
                lists[list_name] = (new_id(), currency)
                plan.upsert(
                    "price_list",
                    lists[list_name][0],
                    None,
                    {"name": list_name, "currency": currency, "active": True},
                )
                summary.price_lists_created += 1
            list_id, list_currency = lists[list_name]
            if list_currency != currency:
                raise BadImportFile(
                    f"line {line}: price list {list_name} is in {list_currency}, not {currency}"
                )
            wanted = {
                "price_list_id": list_id,
                "product_id": ids[sku],
                "unit_price": amount,
                "currency": currency,
            }
            item_id, current = items.get((list_id, ids[sku]), (new_id(), None))
            plan.upsert("price_list_item", item_id, current, wanted)
            items[(list_id, ids[sku])] = (item_id, wanted)
            summary.prices_set += 1
        apply_as_server(session, mutations=plan.mutations, context=context)
    return summary
