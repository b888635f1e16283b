"""Quote number blocks leased to devices, and device codes (protocol/quote_numbers.py).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_ID = sa.String(length=36)
_BIGINT_KEY = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "quote_number_series",
        sa.Column("rep_code", sa.String(length=12), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("next_seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("rep_code", "year", name="pk_quote_number_series"),
    )
    op.create_table(
        "quote_number_leases",
        sa.Column("id", _BIGINT_KEY, autoincrement=True, nullable=False),
        sa.Column("rep_code", sa.String(length=12), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("first_seq", sa.BigInteger(), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.Column("device_id", _ID, nullable=False),
        sa.Column("user_id", _ID, nullable=False),
        sa.Column("leased_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_quote_number_leases"),
        sa.UniqueConstraint(
            "rep_code", "year", "first_seq", name="uq_quote_number_leases_rep_code_year_first_seq"
        ),
    )
    op.create_index("ix_quote_number_leases_device_id", "quote_number_leases", ["device_id"])
    op.create_table(
        "device_codes",
        sa.Column("device_id", _ID, nullable=False),
        sa.Column("code", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.id"], name="fk_device_codes_device_id_devices"
        ),
        sa.PrimaryKeyConstraint("device_id", name="pk_device_codes"),
        sa.UniqueConstraint("code", name="uq_device_codes_code"),
    )


def downgrade() -> None:
    op.drop_table("device_codes")
    op.drop_index("ix_quote_number_leases_device_id", table_name="quote_number_leases")
    op.drop_table("quote_number_leases")
    op.drop_table("quote_number_series")
