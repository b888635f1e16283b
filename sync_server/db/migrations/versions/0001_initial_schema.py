"""Initial schema: users, devices, login attempts, records, change feed, audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_ID = sa.String(length=36)
_BIGINT_KEY = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _when(name: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", _ID, nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("manager_id", _ID, nullable=True),
        sa.Column("rep_code", sa.String(length=12), nullable=False),
        sa.Column("discount_limit_pct", sa.String(length=24), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("password_hash", sa.String(length=256), nullable=True),
        _when("created_at"),
        _when("updated_at"),
        sa.ForeignKeyConstraint(["manager_id"], ["users.id"], name="fk_users_manager_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("email", name="uq_users_email"),
        sa.UniqueConstraint("rep_code", name="uq_users_rep_code"),
    )
    op.create_index("ix_users_manager_id", "users", ["manager_id"])

    op.create_table(
        "devices",
        sa.Column("id", _ID, nullable=False),
        sa.Column("user_id", _ID, nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        _when("created_at"),
        _when("expires_at", nullable=True),
        _when("revoked_at", nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_devices_user_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_devices"),
        sa.UniqueConstraint("token_hash", name="uq_devices_token_hash"),
    )
    op.create_index("ix_devices_user_id", "devices", ["user_id"])

    op.create_table(
        "login_attempts",
        sa.Column("id", _BIGINT_KEY, autoincrement=True, nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        _when("at"),
        sa.PrimaryKeyConstraint("id", name="pk_login_attempts"),
    )
    op.create_index("ix_login_attempts_email", "login_attempts", ["email"])
    op.create_index("ix_login_attempts_address", "login_attempts", ["address"])
    op.create_index("ix_login_attempts_at", "login_attempts", ["at"])

    op.create_table(
        "records",
        sa.Column("id", _ID, nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("scope_owner_id", _ID, nullable=False),
        sa.Column("scope_other_id", _ID, nullable=True),
        sa.Column("parent_id", _ID, nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("versions", sa.JSON(), nullable=False),
        sa.Column("stamps", sa.JSON(), nullable=False),
        _when("created_at"),
        _when("updated_at"),
        _when("deleted_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_records"),
        sa.UniqueConstraint("seq", name="uq_records_seq"),
    )
    op.create_index("ix_records_parent_id", "records", ["parent_id"])

    op.create_table(
        "scope_exits",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("record_id", _ID, nullable=False),
        sa.Column("old_owner_id", _ID, nullable=False),
        sa.Column("new_owner_id", _ID, nullable=False),
        _when("at"),
        sa.PrimaryKeyConstraint("seq", name="pk_scope_exits"),
    )
    op.create_index("ix_scope_exits_record_id", "scope_exits", ["record_id"])

    counters = op.create_table(
        "counters",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_counters"),
    )
    op.bulk_insert(counters, [{"name": "change_feed", "value": 0}])

    op.create_table(
        "audit_log",
        sa.Column("id", _BIGINT_KEY, autoincrement=True, nullable=False),
        _when("at"),
        sa.Column("user_id", _ID, nullable=True),
        sa.Column("device_id", _ID, nullable=True),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("record_id", _ID, nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=True),
        sa.Column("old_value", sa.JSON(), nullable=True),
        sa.Column("new_value", sa.JSON(), nullable=True),
        sa.Column("hlc", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_record_id_id", "audit_log", ["record_id", "id"])

    op.create_table(
        "applied_mutations",
        sa.Column("device_id", _ID, nullable=False),
        sa.Column("mutation_id", sa.String(length=64), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        _when("at"),
        sa.PrimaryKeyConstraint("device_id", "mutation_id", name="pk_applied_mutations"),
    )


def downgrade() -> None:
    for table in (
        "applied_mutations",
        "audit_log",
        "counters",
        "scope_exits",
        "records",
        "login_attempts",
        "devices",
        "users",
    ):
        op.drop_table(table)
