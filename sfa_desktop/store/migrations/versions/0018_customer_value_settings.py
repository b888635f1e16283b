"""What customers are worth (schema 5): the account's annual potential, the product's unit
cost, the company's value settings (currency, default margin, cost per activity kind, lifetime
value discount, cadence per strategic tier) and the user's saved segments; the next sync pulls
everything once

Revision ID: 0018_customer_value_settings
Revises: 0017_spanish_name_order
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_customer_value_settings"
down_revision: str | None = "0017_spanish_name_order"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Write types as the SQLite storage they produce (sa.String(27) for UTCDateTime, sa.String for
# ExactDecimal: sa.String(40)), not as app types: a revision must not change later.

_COMPANY_INTS = (
    "visit_cost",
    "meeting_cost",
    "call_cost",
    "email_cost",
    "cadence_mvc_days",
    "cadence_mgc_days",
    "cadence_other_days",
    "cadence_bz_days",
)
_COMPANY_DECIMALS = ("default_margin_pct", "ltv_discount_pct")


def upgrade() -> None:
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("annual_potential", sa.Integer(), nullable=True))
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.add_column(sa.Column("unit_cost", sa.Integer(), nullable=True))
    with op.batch_alter_table("company", schema=None) as batch_op:
        batch_op.add_column(sa.Column("currency", sa.String(length=3), nullable=True))
        for name in _COMPANY_DECIMALS:
            batch_op.add_column(sa.Column(name, sa.String(length=40), nullable=True))
        for name in _COMPANY_INTS:
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=True))
    op.create_table(
        "saved_segments",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.String(length=27), nullable=False),
        sa.Column("updated_at", sa.String(length=27), nullable=False),
        sa.Column("deleted_at", sa.String(length=27), nullable=True),
        sa.Column("owner_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.String(length=20000), nullable=True),
        sa.Column("definition", sa.JSON(none_as_null=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_segments")),
    )
    op.create_index(
        "ix_saved_segments_owner_name", "saved_segments", ["owner_id", "name"], unique=False
    )
    # An older app skipped the new fields the server may already hold: pull everything once
    # more. Pending edits stay pending.
    op.execute(sa.text("UPDATE app_meta SET value = '0' WHERE key = 'sync_cursor'"))


def downgrade() -> None:
    op.drop_index("ix_saved_segments_owner_name", table_name="saved_segments")
    op.drop_table("saved_segments")
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35+): a batch copy of ``accounts`` would lose
    # its expression indexes (Spanish name order), which reflection cannot read.
    for name in (*_COMPANY_INTS, *_COMPANY_DECIMALS, "currency"):
        op.drop_column("company", name)
    op.drop_column("products", "unit_cost")
    op.drop_column("accounts", "annual_potential")
