"""Sync state: outbox, server versions, shadows, rejected mutations, deferred drops

Revision ID: 0002_sync_state
Revises: 0001_initial
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0002_sync_state"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Write types as the SQLite storage they produce (sa.String(27) for UTCDateTime,
# sa.String(40) for ExactDecimal), not as app types: a revision must not change later.
# Bump migrator.STORE_SCHEMA_VERSION together with these two numbers.
SCHEMA_VERSION: int = 1  # unchanged: an older app already refuses this file by its unknown revision
PREVIOUS_SCHEMA_VERSION: int = 1  # ...and the one it starts from


def _record_schema_version(version: int) -> None:
    op.execute(
        sa.text("UPDATE app_meta SET value = :v WHERE key = 'schema_version'").bindparams(
            v=str(version)
        )
    )


def upgrade() -> None:
    op.create_table("sync_deferred_drop",
    sa.Column("record_id", sa.String(length=36), nullable=False),
    sa.Column("entity", sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint("record_id", name=op.f("pk_sync_deferred_drop"))
    )
    op.create_table("sync_outbox",
    sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
    sa.Column("mutation_id", sa.String(length=36), nullable=False),
    sa.Column("entity", sa.String(length=40), nullable=False),
    sa.Column("record_id", sa.String(length=36), nullable=False),
    sa.Column("op", sa.String(length=10), nullable=False),
    sa.Column("field", sa.String(length=60), nullable=True),
    sa.Column("value", sa.JSON(), nullable=True),
    sa.Column("base_version", sa.Integer(), nullable=False),
    sa.Column("hlc", sa.String(length=100), nullable=False),
    sa.Column("created_at", sa.String(length=27), nullable=False),
    sa.Column("attempts", sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint("seq", name=op.f("pk_sync_outbox")),
    sa.UniqueConstraint("mutation_id", name=op.f("uq_sync_outbox_mutation_id"))
    )
    with op.batch_alter_table("sync_outbox", schema=None) as batch_op:
        batch_op.create_index("ix_sync_outbox_record_id_field", ["record_id", "field"], unique=False)

    op.create_table("sync_record_state",
    sa.Column("record_id", sa.String(length=36), nullable=False),
    sa.Column("entity", sa.String(length=40), nullable=False),
    sa.Column("version", sa.Integer(), nullable=False),
    sa.Column("field_versions", sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint("record_id", name=op.f("pk_sync_record_state"))
    )
    op.create_table("sync_rejected",
    sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
    sa.Column("mutation_id", sa.String(length=36), nullable=False),
    sa.Column("entity", sa.String(length=40), nullable=False),
    sa.Column("record_id", sa.String(length=36), nullable=False),
    sa.Column("op", sa.String(length=10), nullable=False),
    sa.Column("field", sa.String(length=60), nullable=True),
    sa.Column("value", sa.JSON(), nullable=True),
    sa.Column("code", sa.String(length=60), nullable=False),
    sa.Column("message", sa.Text(), nullable=True),
    sa.Column("rejected_at", sa.String(length=27), nullable=False),
    sa.Column("dismissed_at", sa.String(length=27), nullable=True),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_rejected"))
    )
    with op.batch_alter_table("sync_rejected", schema=None) as batch_op:
        batch_op.create_index("ix_sync_rejected_dismissed_at", ["dismissed_at", "id"], unique=False)

    op.create_table("sync_shadow",
    sa.Column("record_id", sa.String(length=36), nullable=False),
    sa.Column("field", sa.String(length=60), nullable=False),
    sa.Column("entity", sa.String(length=40), nullable=False),
    sa.Column("value", sa.JSON(), nullable=True),
    sa.Column("version", sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint("record_id", "field", name=op.f("pk_sync_shadow"))
    )
    _record_schema_version(SCHEMA_VERSION)


def downgrade() -> None:
    op.drop_table("sync_shadow")
    with op.batch_alter_table("sync_rejected", schema=None) as batch_op:
        batch_op.drop_index("ix_sync_rejected_dismissed_at")

    op.drop_table("sync_rejected")
    op.drop_table("sync_record_state")
    with op.batch_alter_table("sync_outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_sync_outbox_record_id_field")

    op.drop_table("sync_outbox")
    op.drop_table("sync_deferred_drop")
    _record_schema_version(PREVIOUS_SCHEMA_VERSION)
