"""Account segment cache: each account's purchase facts for segmentation as of a day, valid
until a purchase enters or leaves a window, with triggers that drop an account's row when what
it reads changes (every row when a product's family changes); quotes by opportunity

Revision ID: 0023_account_segment_cache
Revises: 0022_account_visit_due
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023_account_segment_cache"
down_revision: str | None = "0022_account_visit_due"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A local, derived table (an older app never reads it): empty at first, filled on first read.
_DROP = "DELETE FROM account_segment_cache WHERE account_id = {account};"
_DROP_ALL = "DELETE FROM account_segment_cache;"
_DROP_BY_QUOTE = (
    "DELETE FROM account_segment_cache WHERE account_id = "
    "(SELECT account_id FROM quotes WHERE id = {quote});"
)
# a deal won or no longer won moves its accepted quotes in or out of the purchases
_DROP_BY_DEAL = (
    "DELETE FROM account_segment_cache WHERE account_id IN "
    "(SELECT account_id FROM quotes WHERE opportunity_id = {deal});"
)


def _trigger(name: str, event: str, table: str, body: list[str], when: str = "") -> str:
    condition = f" WHEN {when}" if when else ""
    statements = "\n    ".join(body)
    return f"CREATE TRIGGER {name} AFTER {event} ON {table}{condition} BEGIN\n    {statements}\nEND"


def _per_row(
    table: str, prefix: str, columns: str, drop: str, key: str, extra: str = ""
) -> dict[str, str]:
    def body(row: str) -> list[str]:
        statements = [drop.format(account=f"{row}.{key}", quote=f"{row}.{key}")]
        if extra:
            statements.append(extra.format(deal=f"{row}.id"))
        return statements

    return {
        f"{prefix}_ai": _trigger(f"{prefix}_ai", "INSERT", table, body("NEW")),
        f"{prefix}_au": _trigger(
            f"{prefix}_au", f"UPDATE OF {columns}", table, [*body("NEW"), *body("OLD")]
        ),
        f"{prefix}_ad": _trigger(f"{prefix}_ad", "DELETE", table, body("OLD")),
    }


TRIGGERS: dict[str, str] = {
    **_per_row(
        "opportunities",
        "opportunities_segment",
        "account_id, stage, amount, currency, expected_close_date, deleted_at",
        _DROP,
        "account_id",
        extra=_DROP_BY_DEAL,
    ),
    **_per_row(
        "quotes",
        "quotes_segment",
        # updated_at: a quote without an issue date is dated by its last change
        "account_id, opportunity_id, status, issue_date, updated_at, deleted_at",
        _DROP,
        "account_id",
    ),
    **_per_row(
        "quote_lines",
        "quote_lines_segment",
        "quote_id, product_id, deleted_at",
        _DROP_BY_QUOTE,
        "quote_id",
    ),
    "products_segment_au": _trigger(
        "products_segment_au",
        "UPDATE OF family",
        "products",
        [_DROP_ALL],
        when="OLD.family IS NOT NEW.family",
    ),
    "products_segment_ai": _trigger(
        "products_segment_ai", "INSERT", "products", [_DROP_ALL], when="NEW.family IS NOT NULL"
    ),
}


def upgrade() -> None:
    op.create_table(
        "account_segment_cache",
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("first_purchase", sa.Date(), nullable=True),
        sa.Column("last_purchase", sa.Date(), nullable=True),
        sa.Column("purchases_12m", sa.Integer(), nullable=False),
        sa.Column("spend_12m", sa.String(length=40), nullable=False),
        sa.Column("spend_prev_12m", sa.String(length=40), nullable=False),
        sa.Column("families", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_account_segment_cache")),
        sqlite_with_rowid=False,
    )
    # the quotes of a deal (this cache's triggers, the scorecard's split by family): a seek
    with op.batch_alter_table("quotes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_quotes_opportunity",
            ["opportunity_id", "status", "revision", "id", "deleted_at"],
        )
    for statement in TRIGGERS.values():
        op.execute(statement)


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table("quotes", schema=None) as batch_op:
        batch_op.drop_index("ix_quotes_opportunity")
    op.drop_table("account_segment_cache")
