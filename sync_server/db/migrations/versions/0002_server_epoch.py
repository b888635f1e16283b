"""The server epoch: a new one starts each time the database is restored from a backup.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06
"""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_BIGINT_KEY = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    epochs = op.create_table(
        "epochs",
        sa.Column("number", _BIGINT_KEY, autoincrement=True, nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version_floor", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("number", name="pk_epochs"),
        sa.UniqueConstraint("id", name="uq_epochs_id"),
    )
    now = dt.datetime.now(dt.UTC)
    if op.get_bind().dialect.name == "sqlite":  # naive UTC there, as ``UtcDateTime`` stores it
        now = now.replace(tzinfo=None)
    op.bulk_insert(epochs, [{"id": str(uuid.uuid4()), "started_at": now, "version_floor": 0}])


def downgrade() -> None:
    op.drop_table("epochs")
