"""Server-managed reference data: users, products, price lists, quotas and the company settings
(read-only locally)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Boolean, Date, Index, Integer, String, literal_column
from sqlalchemy.orm import Mapped, mapped_column

from sync_server.protocol.catalog import LOGO_MAX_LENGTH

from ..collation import name_key
from ..types import ExactDecimal
from .base import ENUM_LENGTH, ID_LENGTH, LONG_TEXT_LENGTH, SyncedRecord, live_rows


class User(SyncedRecord):
    __tablename__ = "users"
    entity_name = "user"

    name: Mapped[str] = mapped_column(String(200, collation="NOCASE"))
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    manager_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    rep_code: Mapped[str] = mapped_column(String(12))
    discount_limit_pct: Mapped[Decimal | None] = mapped_column(ExactDecimal())
    active: Mapped[bool] = mapped_column(Boolean())

    __table_args__ = (
        # Sorting accounts by owner name joins users in (Spanish) name order.
        Index("ix_users_name", name_key(literal_column("name")), "id"),
        Index("ix_users_manager_id", "manager_id"),
    )


class Product(SyncedRecord):
    __tablename__ = "products"
    entity_name = "product"

    sku: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200, collation="NOCASE"))
    description: Mapped[str | None] = mapped_column(String(LONG_TEXT_LENGTH))
    family: Mapped[str | None] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    parent_product_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    tax_rate_pct: Mapped[Decimal] = mapped_column(ExactDecimal())
    active: Mapped[bool] = mapped_column(Boolean())
    #: what a unit costs the company, company currency, minor units (schema 5)
    unit_cost: Mapped[int | None] = mapped_column(Integer())

    __table_args__ = (
        Index("ix_products_name_live", "name", "id", sqlite_where=live_rows()),
        Index("ix_products_sku", "sku"),
        Index("ix_products_parent_product_id", "parent_product_id"),
    )


class PriceList(SyncedRecord):
    __tablename__ = "price_lists"
    entity_name = "price_list"

    name: Mapped[str] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3))
    valid_from: Mapped[dt.date | None] = mapped_column(Date())
    valid_to: Mapped[dt.date | None] = mapped_column(Date())
    active: Mapped[bool] = mapped_column(Boolean())


class PriceListItem(SyncedRecord):
    __tablename__ = "price_list_items"
    entity_name = "price_list_item"

    price_list_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    product_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    unit_price: Mapped[int] = mapped_column(Integer())
    currency: Mapped[str] = mapped_column(String(3))

    __table_args__ = (
        Index("ix_price_list_items_price_list_id_product_id", "price_list_id", "product_id"),
        Index("ix_price_list_items_product_id", "product_id"),
    )


class Quota(SyncedRecord):
    __tablename__ = "quotas"
    entity_name = "quota"

    user_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    period: Mapped[str] = mapped_column(String(7))
    amount: Mapped[int] = mapped_column(Integer())
    currency: Mapped[str] = mapped_column(String(3))
    #: ``personal`` (the user's own deals) or ``team`` (their whole team's, explicitly set)
    scope: Mapped[str] = mapped_column(String(ENUM_LENGTH))

    __table_args__ = (Index("ix_quotas_user_id_period", "user_id", "period"),)


class Company(SyncedRecord):
    """The company settings (letterhead, quote defaults): a single record."""

    __tablename__ = "company"
    entity_name = "company"

    name: Mapped[str] = mapped_column(String(200))
    tax_id: Mapped[str | None] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(String(300))
    postal_code: Mapped[str | None] = mapped_column(String(12))
    city: Mapped[str | None] = mapped_column(String(120))
    country: Mapped[str] = mapped_column(String(2))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(254))
    website: Mapped[str | None] = mapped_column(String(300))
    bank_line: Mapped[str | None] = mapped_column(String(300))
    footer: Mapped[str | None] = mapped_column(String(LONG_TEXT_LENGTH))
    default_terms: Mapped[str | None] = mapped_column(String(LONG_TEXT_LENGTH))
    quote_validity_days: Mapped[int] = mapped_column(Integer())
    logo_png: Mapped[str | None] = mapped_column(String(LOGO_MAX_LENGTH))
    # What customers are worth (schema 5); None: the catalog default applies.
    currency: Mapped[str | None] = mapped_column(String(3))
    default_margin_pct: Mapped[Decimal | None] = mapped_column(ExactDecimal())
    visit_cost: Mapped[int | None] = mapped_column(Integer())
    meeting_cost: Mapped[int | None] = mapped_column(Integer())
    call_cost: Mapped[int | None] = mapped_column(Integer())
    email_cost: Mapped[int | None] = mapped_column(Integer())
    ltv_discount_pct: Mapped[Decimal | None] = mapped_column(ExactDecimal())
    cadence_mvc_days: Mapped[int | None] = mapped_column(Integer())
    cadence_mgc_days: Mapped[int | None] = mapped_column(Integer())
    cadence_other_days: Mapped[int | None] = mapped_column(Integer())
    cadence_bz_days: Mapped[int | None] = mapped_column(Integer())
