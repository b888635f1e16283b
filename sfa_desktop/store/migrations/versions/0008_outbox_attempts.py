"""Outbox attempts count refusals, no longer sends: start every queued entry at zero

Revision ID: 0008_outbox_attempts
Revises: 0007_pending_follow_ups
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0008_outbox_attempts"
down_revision: str | None = "0007_pending_follow_ups"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# ``sync_outbox.attempts`` used to count every send; it now counts the syncs in which the
# server refused the entry sent alone, and sets the entry aside at a limit
# (``sfa_desktop.sync.push_failures``). Old counts would set innocent entries aside, so they
# start again from zero. Same columns: the store schema version (app_meta) does not change.


def upgrade() -> None:
    op.execute("UPDATE sync_outbox SET attempts = 0 WHERE attempts <> 0")


def downgrade() -> None:
    pass  # an older app reads zero as "never sent without an answer": harmless
