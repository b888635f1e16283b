"""Quotes end to end: line kinds and optional lines, the quote's sending and decision fields,
the company settings; the next sync pulls everything once

Revision ID: 0011_quote_lines_kinds_company
Revises: 0010_quote_number_blocks
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_quote_lines_kinds_company"
down_revision: str | None = "0010_quote_number_blocks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Write types as the SQLite storage they produce (sa.String(27) for UTCDateTime,
# sa.String(40) for ExactDecimal), not as app types: a revision must not change later.
# The store schema version (app_meta) does not change: an older app already refuses this file
# by its unknown revision.

_LONG = 20_000
_LOGO = 409_600

_QUOTE_COLUMNS: dict[str, sa.types.TypeEngine[str]] = {
    "customer_note": sa.String(length=_LONG),
    "sent_at": sa.String(length=27),
    "pdf_sha256": sa.String(length=64),
    "decision_note": sa.String(length=_LONG),
    "rejection_reason": sa.String(length=_LONG),
}


def upgrade() -> None:
    # Existing lines are what every line was before: priced items, not optional.
    op.add_column(
        "quote_lines",
        sa.Column("kind", sa.String(length=40), nullable=False, server_default="item"),
    )
    op.add_column(
        "quote_lines",
        sa.Column("optional", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    for name, type_ in _QUOTE_COLUMNS.items():
        op.add_column("quotes", sa.Column(name, type_, nullable=True))
    op.create_table(
        "company",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.String(length=27), nullable=False),
        sa.Column("updated_at", sa.String(length=27), nullable=False),
        sa.Column("deleted_at", sa.String(length=27), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("tax_id", sa.String(length=20), nullable=True),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("postal_code", sa.String(length=12), nullable=True),
        sa.Column("city", sa.String(length=120), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("website", sa.String(length=300), nullable=True),
        sa.Column("bank_line", sa.String(length=300), nullable=True),
        sa.Column("footer", sa.String(length=_LONG), nullable=True),
        sa.Column("default_terms", sa.String(length=_LONG), nullable=True),
        sa.Column("quote_validity_days", sa.Integer(), nullable=False),
        sa.Column("logo_png", sa.String(length=_LOGO), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_company")),
    )
    # An older app skipped what it did not know (the company record, line kinds): pull
    # everything once more so this profile gets it. Pending edits stay pending.
    op.execute(sa.text("UPDATE app_meta SET value = '0' WHERE key = 'sync_cursor'"))


def downgrade() -> None:
    op.drop_table("company")
    with op.batch_alter_table("quotes", schema=None) as batch_op:
        for name in reversed(_QUOTE_COLUMNS):
            batch_op.drop_column(name)
    with op.batch_alter_table("quote_lines", schema=None) as batch_op:
        batch_op.drop_column("optional")
        batch_op.drop_column("kind")
