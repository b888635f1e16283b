"""Account visit summary: each account's last done and next planned activity, kept by triggers

Revision ID: 0005_account_visit_summary
Revises: 0004_today_indexes
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0005_account_visit_summary"
down_revision: str | None = "0004_today_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A local, derived table: an older app never reads it, and its triggers keep it right on any
# write, so the store schema version (app_meta) does not change.

_DONE_AT = "coalesce(checked_in_at, planned_start)"


def _refresh(account: str, *, guard: str = "1") -> list[str]:
    """Statements (for a trigger body) that recompute ``account``'s summary row.

    The row is added first when missing (with ``WHERE NOT EXISTS``, not ``INSERT OR IGNORE``:
    a trigger's conflict clause gives way to the one of the statement that fired it), then
    both facts are read again from the account's live activities: two seeks in
    ``ix_visits_account_status``.
    """
    return [
        f"INSERT INTO account_visit_summary (account_id) SELECT {account} WHERE {guard} "
        f"AND NOT EXISTS (SELECT 1 FROM account_visit_summary WHERE account_id = {account});",
        f"UPDATE account_visit_summary SET "
        f"last_done_at = (SELECT max({_DONE_AT}) FROM visits WHERE account_id = {account} "
        f"AND status = 'done' AND deleted_at IS NULL), "
        f"next_planned_at = (SELECT min(planned_start) FROM visits "
        f"WHERE account_id = {account} AND status = 'planned' AND deleted_at IS NULL) "
        f"WHERE account_id = {account} AND {guard};",
    ]


def _trigger(name: str, event: str, statements: list[str]) -> str:
    body = "\n    ".join(statements)
    return f"CREATE TRIGGER {name} AFTER {event} ON visits BEGIN\n    {body}\nEND"


TRIGGERS: dict[str, str] = {
    "visits_summary_ai": _trigger("visits_summary_ai", "INSERT", _refresh("NEW.account_id")),
    "visits_summary_au": _trigger(
        "visits_summary_au",
        "UPDATE OF account_id, status, planned_start, checked_in_at, deleted_at",
        [
            *_refresh("NEW.account_id"),
            # An activity moved to another account: its former account changes too.
            *_refresh("OLD.account_id", guard="OLD.account_id IS NOT NEW.account_id"),
        ],
    ),
    "visits_summary_ad": _trigger("visits_summary_ad", "DELETE", _refresh("OLD.account_id")),
}


def upgrade() -> None:
    op.create_table(
        "account_visit_summary",
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("last_done_at", sa.String(length=27), nullable=True),
        sa.Column("next_planned_at", sa.String(length=27), nullable=True),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_account_visit_summary")),
        sqlite_with_rowid=False,
    )
    op.execute(
        "INSERT INTO account_visit_summary (account_id, last_done_at, next_planned_at) "
        f"SELECT account_id, max(CASE WHEN status = 'done' THEN {_DONE_AT} END), "
        "min(CASE WHEN status = 'planned' THEN planned_start END) "
        "FROM visits WHERE deleted_at IS NULL GROUP BY account_id"
    )
    for statement in TRIGGERS.values():
        op.execute(statement)


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("account_visit_summary")
