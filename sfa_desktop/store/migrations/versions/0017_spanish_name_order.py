"""Names in Spanish order: the list indexes hold ``sfa_sort_key(name)`` instead of ``name``

Revision ID: 0017_spanish_name_order
Revises: 0016_forecast_adjustments
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0017_spanish_name_order"
down_revision: str | None = "0016_forecast_adjustments"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Indexes only, on the sfa_sort_key function every connection registers (store.collation).
# Written as SQL: Alembic's SQLite dialect cannot reflect expression indexes.

_LIVE = " WHERE deleted_at IS NULL"
_KEY_NAME = "sfa_sort_key(name)"
_CONTACT_KEYS = "sfa_sort_key(last_name), sfa_sort_key(first_name)"

#: (index, table, new columns, old columns, partial)
_INDEXES = (
    ("ix_accounts_name", "accounts", f"{_KEY_NAME}, id", "name, id", False),
    ("ix_accounts_owner_live", "accounts", f"owner_id, {_KEY_NAME}, id", "owner_id, name, id", True),
    (
        "ix_accounts_city_live",
        "accounts",
        f"sfa_sort_key(city), {_KEY_NAME}, id",
        "city, name, id",
        True,
    ),
    ("ix_accounts_region_live", "accounts", f"region, {_KEY_NAME}, id", "region, name, id", True),
    (
        "ix_accounts_stage_live",
        "accounts",
        f"lifecycle_stage, {_KEY_NAME}, id",
        "lifecycle_stage, name, id",
        True,
    ),
    ("ix_contacts_name_live", "contacts", f"{_CONTACT_KEYS}, id", "last_name, first_name, id", True),
    (
        "ix_contacts_account_live",
        "contacts",
        f"account_id, {_CONTACT_KEYS}, id",
        "account_id, last_name, first_name, id",
        True,
    ),
    ("ix_users_name", "users", f"{_KEY_NAME}, id", "name, id", False),
)


def _recreate(*, new: bool) -> None:
    for name, table, new_columns, old_columns, partial in _INDEXES:
        columns = new_columns if new else old_columns
        op.execute(f"DROP INDEX {name}")
        op.execute(f"CREATE INDEX {name} ON {table} ({columns}){_LIVE if partial else ''}")


def upgrade() -> None:
    _recreate(new=True)


def downgrade() -> None:
    _recreate(new=False)
