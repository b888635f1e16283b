"""Initial schema: every catalog entity, app_meta, and the account/contact search index

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op


revision: str = "0001_initial"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The store schema version this revision produces (see migrator.STORE_SCHEMA_VERSION).
SCHEMA_VERSION = 1


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.String(length=27), nullable=False),
        sa.Column("updated_at", sa.String(length=27), nullable=False),
        sa.Column("deleted_at", sa.String(length=27), nullable=True),
        sa.Column("name", sa.String(length=200, collation="NOCASE"), nullable=False),
        sa.Column("tax_id", sa.String(length=20), nullable=True),
        sa.Column("industry", sa.String(length=80), nullable=True),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("postal_code", sa.String(length=12), nullable=True),
        sa.Column("city", sa.String(length=120, collation="NOCASE"), nullable=True),
        sa.Column("region", sa.String(length=120, collation="NOCASE"), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("website", sa.String(length=300), nullable=True),
        sa.Column("owner_id", sa.String(length=36), nullable=False),
        sa.Column("lifecycle_stage", sa.String(length=40), nullable=False),
        sa.Column("preferred_channel", sa.String(length=40), nullable=True),
        sa.Column("visit_cadence_days", sa.Integer(), nullable=True),
        sa.Column("tags", sa.JSON(), nullable=True),
        sa.Column("needs", sa.String(length=20000), nullable=True),
        sa.Column("notes", sa.String(length=20000), nullable=True),
        sa.Column("search_text", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
    )
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_accounts_city_live",
            ["city", "name", "id"],
            unique=False,
            sqlite_where=sa.text("deleted_at IS NULL"),
        )
        batch_op.create_index("ix_accounts_name", ["name", "id"], unique=False)
        batch_op.create_index(
            "ix_accounts_owner_live",
            ["owner_id", "name", "id"],
            unique=False,
            sqlite_where=sa.text("deleted_at IS NULL"),
        )
        batch_op.create_index(
            "ix_accounts_region_live",
            ["region", "name", "id"],
            unique=False,
            sqlite_where=sa.text("deleted_at IS NULL"),
        )
        batch_op.create_index(
            "ix_accounts_stage_live",
            ["lifecycle_stage", "name", "id"],
            unique=False,
            sqlite_where=sa.text("deleted_at IS NULL"),
        )
        batch_op.create_index(
            "ix_accounts_updated_live",
            ["updated_at", "id"],
            unique=False,
            sqlite_where=sa.text("deleted_at IS NULL"),
        )

    op.create_table(
        "app_meta",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_app_meta")),
    )
    op.create_table(
        "conflicts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.String(length=27), nullable=False),
        sa.Column("updated_at", sa.String(length=27), nullable=False),
        sa.Column("deleted_at", sa.String(length=27), nullable=True),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("kept_value", sa.JSON(), nullable=True),
        sa.Column("lost_value", sa.JSON(), nullable=True),
        sa.Column("kept_by_id", sa.String(length=36), nullable=True),
        sa.Column("lost_by_id", sa.String(length=36), nullable=True),
        sa.Column("kept_device_id", sa.String(length=64), nullable=True),
        sa.Column("lost_device_id", sa.String(length=64), nullable=True),
        sa.Column("kept_hlc", sa.String(length=64), nullable=True),
        sa.Column("lost_hlc", sa.String(length=64), nullable=True),
        sa.Column("reason", sa.String(length=40), nullable=True),
        sa.Column("occurred_at", sa.String(length=27), nullable=False),
        sa.Column("resolved", sa.Boolean(), nullable=False),
        sa.Column("resolved_by_id", sa.String(length=36), nullable=True),
        sa.Column("resolved_at", sa.String(length=27), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conflicts")),
    )
    with op.batch_alter_table("conflicts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_conflicts_entity_record_id", ["entity", "record_id"], unique=False
        )
        batch_op.create_index("ix_conflicts_resolved", ["resolved", "occurred_at"], unique=False)

    op.create_table(
        "contacts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.String(length=27), nullable=False),
        sa.Column("updated_at", sa.String(length=27), nullable=False),
        sa.Column("deleted_at", sa.String(length=27), nullable=True),
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("first_name", sa.String(length=100, collation="NOCASE"), nullable=False),
        sa.Column("last_name", sa.String(length=100, collation="NOCASE"), nullable=True),
        sa.Column("job_title", sa.String(length=120), nullable=True),
        sa.Column("purchase_role", sa.String(length=40), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("mobile", sa.String(length=40), nullable=True),
        sa.Column("preferred_channel", sa.String(length=40), nullable=True),
        sa.Column("marketing_consent", sa.Boolean(), nullable=False),
        sa.Column("consent_at", sa.String(length=27), nullable=True),
        sa.Column("consent_source", sa.String(length=120), nullable=True),
        sa.Column("notes", sa.String(length=20000), nullable=True),
        sa.Column("search_text", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contacts")),
    )
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_contacts_account_live",
            ["account_id", "last_name", "first_name", "id"],
            unique=False,
            sqlite_where=sa.text("deleted_at IS NULL"),
        )
        batch_op.create_index(
            "ix_contacts_name_live",
            ["last_name", "first_name", "id"],
            unique=False,
            sqlite_where=sa.text("deleted_at IS NULL"),
        )

    op.create_table(
        "forecast_submissions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.String(length=27), nullable=False),
        sa.Column("updated_at", sa.String(length=27), nullable=False),
        sa.Column("deleted_at", sa.String(length=27), nullable=True),
        sa.Column("owner_id", sa.String(length=36), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("commit_amount", sa.Integer(), nullable=False),
        sa.Column("best_case_amount", sa.Integer(), nullable=False),
        sa.Column("pipeline_amount", sa.Integer(), nullable=False),
        sa.Column("closed_amount", sa.Integer(), nullable=False),
        sa.Column("rep_adjustment", sa.Integer(), nullable=True),
        sa.Column("rep_note", sa.String(length=20000), nullable=True),
        sa.Column("submitted_at", sa.String(length=27), nullable=False),
        sa.Column("manager_id", sa.String(length=36), nullable=True),
        sa.Column("manager_adjustment", sa.Integer(), nullable=True),
        sa.Column("manager_note", sa.String(length=20000), nullable=True),
        sa.Column("manager_adjusted_at", sa.String(length=27), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forecast_submissions")),
    )
    with op.batch_alter_table("forecast_submissions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_forecast_submissions_owner_period",
            ["owner_id", "period", "submitted_at"],
            unique=False,
        )

    op.create_table(
        "opportunities",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.String(length=27), nullable=False),
        sa.Column("updated_at", sa.String(length=27), nullable=False),
        sa.Column("deleted_at", sa.String(length=27), nullable=True),
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("owner_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("stage", sa.String(length=40), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("probability", sa.Integer(), nullable=True),
        sa.Column("expected_close_date", sa.Date(), nullable=True),
        sa.Column("forecast_category", sa.String(length=40), nullable=False),
        sa.Column("lost_reason", sa.String(length=500), nullable=True),
        sa.Column("next_step", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opportunities")),
    )
    with op.batch_alter_table("opportunities", schema=None) as batch_op:
        batch_op.create_index(
            "ix_opportunities_account_live",
            ["account_id"],
            unique=False,
            sqlite_where=sa.text("deleted_at IS NULL"),
        )
        batch_op.create_index(
            "ix_opportunities_owner_stage_live",
            ["owner_id", "stage"],
            unique=False,
            sqlite_where=sa.text("deleted_at IS NULL"),
        )

    op.create_table(
        "price_list_items",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.String(length=27), nullable=False),
        sa.Column("updated_at", sa.String(length=27), nullable=False),
        sa.Column("deleted_at", sa.String(length=27), nullable=True),
        sa.Column("price_list_id", sa.String(length=36), nullable=False),
        sa.Column("product_id", sa.String(length=36), nullable=False),
        sa.Column("unit_price", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_price_list_items")),
    )
    with op.batch_alter_table("price_list_items", schema=None) as batch_op:
        batch_op.create_index(
            "ix_price_list_items_price_list_id_product_id",
            ["price_list_id", "product_id"],
            unique=False,
        )
        batch_op.create_index("ix_price_list_items_product_id", ["product_id"], unique=False)

    op.create_table(
        "price_lists",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.String(length=27), nullable=False),
        sa.Column("updated_at", sa.String(length=27), nullable=False),
        sa.Column("deleted_at", sa.String(length=27), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_price_lists")),
    )
    op.create_table(
        "products",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.String(length=27), nullable=False),
        sa.Column("updated_at", sa.String(length=27), nullable=False),
        sa.Column("deleted_at", sa.String(length=27), nullable=True),
        sa.Column("sku", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200, collation="NOCASE"), nullable=False),
        sa.Column("description", sa.String(length=20000), nullable=True),
        sa.Column("family", sa.String(length=80), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("parent_product_id", sa.String(length=36), nullable=True),
        sa.Column("tax_rate_pct", sa.String(length=40), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_products")),
    )
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.create_index(
            "ix_products_name_live",
            ["name", "id"],
            unique=False,
            sqlite_where=sa.text("deleted_at IS NULL"),
        )
        batch_op.create_index("ix_products_parent_product_id", ["parent_product_id"], unique=False)
        batch_op.create_index("ix_products_sku", ["sku"], unique=False)

    op.create_table(
        "quotas",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.String(length=27), nullable=False),
        sa.Column("updated_at", sa.String(length=27), nullable=False),
        sa.Column("deleted_at", sa.String(length=27), nullable=True),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quotas")),
    )
    with op.batch_alter_table("quotas", schema=None) as batch_op:
        batch_op.create_index("ix_quotas_user_id_period", ["user_id", "period"], unique=False)

    op.create_table(
        "quote_lines",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.String(length=27), nullable=False),
        sa.Column("updated_at", sa.String(length=27), nullable=False),
        sa.Column("deleted_at", sa.String(length=27), nullable=True),
        sa.Column("quote_id", sa.String(length=36), nullable=False),
        sa.Column("product_id", sa.String(length=36), nullable=True),
        sa.Column("description", sa.String(length=2000), nullable=False),
        sa.Column("quantity", sa.String(length=40), nullable=False),
        sa.Column("unit_price", sa.Integer(), nullable=False),
        sa.Column("discount_pct", sa.String(length=40), nullable=False),
        sa.Column("tax_rate_pct", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quote_lines")),
    )
    with op.batch_alter_table("quote_lines", schema=None) as batch_op:
        batch_op.create_index(
            "ix_quote_lines_quote_live",
            ["quote_id", "position"],
            unique=False,
            sqlite_where=sa.text("deleted_at IS NULL"),
        )

    op.create_table(
        "quotes",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.String(length=27), nullable=False),
        sa.Column("updated_at", sa.String(length=27), nullable=False),
        sa.Column("deleted_at", sa.String(length=27), nullable=True),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("contact_id", sa.String(length=36), nullable=True),
        sa.Column("opportunity_id", sa.String(length=36), nullable=True),
        sa.Column("owner_id", sa.String(length=36), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("previous_quote_id", sa.String(length=36), nullable=True),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("price_list_id", sa.String(length=36), nullable=True),
        sa.Column("issue_date", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("terms", sa.String(length=20000), nullable=True),
        sa.Column("notes", sa.String(length=20000), nullable=True),
        sa.Column("approved_by_id", sa.String(length=36), nullable=True),
        sa.Column("approved_at", sa.String(length=27), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quotes")),
        sa.UniqueConstraint("number", name=op.f("uq_quotes_number")),
    )
    with op.batch_alter_table("quotes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_quotes_account_live",
            ["account_id"],
            unique=False,
            sqlite_where=sa.text("deleted_at IS NULL"),
        )
        batch_op.create_index(
            "ix_quotes_owner_live",
            ["owner_id"],
            unique=False,
            sqlite_where=sa.text("deleted_at IS NULL"),
        )

    op.create_table(
        "users",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.String(length=27), nullable=False),
        sa.Column("updated_at", sa.String(length=27), nullable=False),
        sa.Column("deleted_at", sa.String(length=27), nullable=True),
        sa.Column("name", sa.String(length=200, collation="NOCASE"), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("manager_id", sa.String(length=36), nullable=True),
        sa.Column("rep_code", sa.String(length=12), nullable=False),
        sa.Column("discount_limit_pct", sa.String(length=40), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index("ix_users_manager_id", ["manager_id"], unique=False)
        batch_op.create_index("ix_users_name", ["name", "id"], unique=False)

    op.create_table(
        "visits",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.String(length=27), nullable=False),
        sa.Column("updated_at", sa.String(length=27), nullable=False),
        sa.Column("deleted_at", sa.String(length=27), nullable=True),
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("contact_id", sa.String(length=36), nullable=True),
        sa.Column("owner_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=True),
        sa.Column("planned_start", sa.String(length=27), nullable=True),
        sa.Column("planned_end", sa.String(length=27), nullable=True),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("checked_in_at", sa.String(length=27), nullable=True),
        sa.Column("outcome", sa.String(length=2000), nullable=True),
        sa.Column("notes", sa.String(length=20000), nullable=True),
        sa.Column("next_step", sa.String(length=500), nullable=True),
        sa.Column("follow_up_date", sa.Date(), nullable=True),
        sa.Column("follow_up_of_id", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visits")),
    )
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.create_index(
            "ix_visits_account_live",
            ["account_id", "planned_start"],
            unique=False,
            sqlite_where=sa.text("deleted_at IS NULL"),
        )
        batch_op.create_index(
            "ix_visits_owner_live",
            ["owner_id", "planned_start"],
            unique=False,
            sqlite_where=sa.text("deleted_at IS NULL"),
        )
        batch_op.create_index(
            "ix_visits_status_live",
            ["status", "planned_start"],
            unique=False,
            sqlite_where=sa.text("deleted_at IS NULL"),
        )

    search_mode = _create_search()
    meta = sa.table("app_meta", sa.column("key", sa.String), sa.column("value", sa.Text))
    op.bulk_insert(
        meta,
        [
            {"key": "schema_version", "value": str(SCHEMA_VERSION)},
            {"key": "search_mode", "value": search_mode},
        ],
    )


def downgrade() -> None:
    _drop_search()
    # Dropping a table drops its indexes.
    op.drop_table("visits")
    op.drop_table("users")
    op.drop_table("quotes")
    op.drop_table("quote_lines")
    op.drop_table("quotas")
    op.drop_table("products")
    op.drop_table("price_lists")
    op.drop_table("price_list_items")
    op.drop_table("opportunities")
    op.drop_table("forecast_submissions")
    op.drop_table("contacts")
    op.drop_table("conflicts")
    op.drop_table("app_meta")
    op.drop_table("accounts")


# --- search (see sfa_desktop/store/search.py) ------------------------------------------------
# Written out here rather than imported so this revision stays what it was when released.

_TOKENIZE = "tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'"


def _tax_id_words(row: str) -> str:
    """The tax id as written plus compacted ("B-12.345.678 B12345678"): both forms are found."""
    compact = f"{row}.tax_id"
    for mark in ("-", ".", " ", "/"):
        compact = f"replace({compact}, '{mark}', '')"
    return f"{row}.tax_id || ' ' || {compact}"


_NEW_TAX_ID = _tax_id_words("new")

_FTS5_UP = [
    f"CREATE VIRTUAL TABLE accounts_fts USING fts5(name, tax_id, city, region, {_TOKENIZE})",
    f"CREATE VIRTUAL TABLE contacts_fts USING fts5("
    f"first_name, last_name, email, account_name, {_TOKENIZE})",
    # accounts
    f"""CREATE TRIGGER accounts_search_ai AFTER INSERT ON accounts BEGIN
        INSERT INTO accounts_fts(rowid, name, tax_id, city, region)
            SELECT new.rowid, new.name, {_NEW_TAX_ID}, new.city, new.region
            WHERE new.deleted_at IS NULL;
        UPDATE contacts_fts SET account_name = new.name WHERE rowid IN (
            SELECT rowid FROM contacts WHERE account_id = new.id AND deleted_at IS NULL);
    END""",
    f"""CREATE TRIGGER accounts_search_au
    AFTER UPDATE OF name, tax_id, city, region, deleted_at ON accounts BEGIN
        DELETE FROM accounts_fts WHERE rowid = old.rowid;
        INSERT INTO accounts_fts(rowid, name, tax_id, city, region)
            SELECT new.rowid, new.name, {_NEW_TAX_ID}, new.city, new.region
            WHERE new.deleted_at IS NULL;
    END""",
    """CREATE TRIGGER accounts_search_rename AFTER UPDATE OF name ON accounts
    WHEN old.name IS NOT new.name BEGIN
        UPDATE contacts_fts SET account_name = new.name WHERE rowid IN (
            SELECT rowid FROM contacts WHERE account_id = new.id AND deleted_at IS NULL);
    END""",
    """CREATE TRIGGER accounts_search_ad AFTER DELETE ON accounts BEGIN
        DELETE FROM accounts_fts WHERE rowid = old.rowid;
    END""",
    # contacts
    """CREATE TRIGGER contacts_search_ai AFTER INSERT ON contacts BEGIN
        INSERT INTO contacts_fts(rowid, first_name, last_name, email, account_name)
            SELECT new.rowid, new.first_name, new.last_name, new.email,
                (SELECT a.name FROM accounts AS a WHERE a.id = new.account_id)
            WHERE new.deleted_at IS NULL;
    END""",
    """CREATE TRIGGER contacts_search_au
    AFTER UPDATE OF first_name, last_name, email, account_id, deleted_at ON contacts BEGIN
        DELETE FROM contacts_fts WHERE rowid = old.rowid;
        INSERT INTO contacts_fts(rowid, first_name, last_name, email, account_name)
            SELECT new.rowid, new.first_name, new.last_name, new.email,
                (SELECT a.name FROM accounts AS a WHERE a.id = new.account_id)
            WHERE new.deleted_at IS NULL;
    END""",
    """CREATE TRIGGER contacts_search_ad AFTER DELETE ON contacts BEGIN
        DELETE FROM contacts_fts WHERE rowid = old.rowid;
    END""",
]

# Without FTS5: ``search_text`` holds the folded words; ``sfa_fold`` is registered on every
# connection by sfa_desktop.store.database.
_FALLBACK_UP = [
    f"""CREATE TRIGGER accounts_search_ai AFTER INSERT ON accounts BEGIN
        UPDATE accounts SET search_text = sfa_fold(new.name, {_NEW_TAX_ID}, new.city, new.region)
            WHERE rowid = new.rowid;
        UPDATE contacts SET search_text = sfa_fold(first_name, last_name, email, new.name)
            WHERE account_id = new.id AND deleted_at IS NULL;
    END""",
    f"""CREATE TRIGGER accounts_search_au
    AFTER UPDATE OF name, tax_id, city, region ON accounts BEGIN
        UPDATE accounts SET search_text = sfa_fold(new.name, {_NEW_TAX_ID}, new.city, new.region)
            WHERE rowid = new.rowid;
    END""",
    """CREATE TRIGGER accounts_search_rename AFTER UPDATE OF name ON accounts
    WHEN old.name IS NOT new.name BEGIN
        UPDATE contacts SET search_text = sfa_fold(first_name, last_name, email, new.name)
            WHERE account_id = new.id AND deleted_at IS NULL;
    END""",
    """CREATE TRIGGER contacts_search_ai AFTER INSERT ON contacts BEGIN
        UPDATE contacts SET search_text = sfa_fold(new.first_name, new.last_name, new.email,
                (SELECT a.name FROM accounts AS a WHERE a.id = new.account_id))
            WHERE rowid = new.rowid;
    END""",
    """CREATE TRIGGER contacts_search_au
    AFTER UPDATE OF first_name, last_name, email, account_id ON contacts BEGIN
        UPDATE contacts SET search_text = sfa_fold(new.first_name, new.last_name, new.email,
                (SELECT a.name FROM accounts AS a WHERE a.id = new.account_id))
            WHERE rowid = new.rowid;
    END""",
]

_SEARCH_TRIGGERS = (
    "accounts_search_ai",
    "accounts_search_au",
    "accounts_search_rename",
    "accounts_search_ad",
    "contacts_search_ai",
    "contacts_search_au",
    "contacts_search_ad",
)


def _fts5_available() -> bool:
    bind = op.get_bind()
    try:
        bind.exec_driver_sql("CREATE VIRTUAL TABLE temp.sfa_fts5_probe USING fts5(x)")
    except sa.exc.OperationalError:
        return False
    bind.exec_driver_sql("DROP TABLE temp.sfa_fts5_probe")
    return True


def _create_search() -> str:
    # Set by sfa_desktop.store.migrator (SEARCH_PREFERENCE); tests force "fallback".
    preference = context.config.attributes.get("sfa_search_preference", "fts5")
    mode = "fts5" if preference == "fts5" and _fts5_available() else "fallback"
    for statement in _FTS5_UP if mode == "fts5" else _FALLBACK_UP:
        op.execute(statement)
    return mode


def _drop_search() -> None:
    for trigger in _SEARCH_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS accounts_fts")
    op.execute("DROP TABLE IF EXISTS contacts_fts")
