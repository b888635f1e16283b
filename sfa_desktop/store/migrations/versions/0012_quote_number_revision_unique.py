"""Quote revisions keep their quote's number: unique (number, revision), was number alone

Revision ID: 0012_quote_number_revision_unique
Revises: 0011_quote_lines_kinds_company
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0012_quote_number_revision_unique"
down_revision: str | None = "0011_quote_lines_kinds_company"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Only a constraint changes (SQLite rebuilds the table; the quotes table has no triggers). The
# store schema version (app_meta) does not change: an older app already refuses this file by its
# unknown revision.


def upgrade() -> None:
    with op.batch_alter_table("quotes", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("uq_quotes_number"), type_="unique")
        batch_op.create_unique_constraint(
            op.f("uq_quotes_number_revision"), ["number", "revision"]
        )


def downgrade() -> None:
    with op.batch_alter_table("quotes", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("uq_quotes_number_revision"), type_="unique")
        batch_op.create_unique_constraint(op.f("uq_quotes_number"), ["number"])
