"""Alembic migrations: from empty to head produce exactly the models' schema, and back."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, Connection, inspect, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.schema import CreateIndex

from sfa_desktop.store.database import open_database
from sfa_desktop.store.migrator import (
    downgrade_to,
    head_revision,
    include_name,
    known_revisions,
    upgrade_to_head,
)
from sfa_desktop.store.models import Base
from sfa_desktop.store.search import FTS_TABLES


def schema_diffs(connection: Connection) -> list[object]:
    """Alembic's differences, and the expression indexes it cannot compare on SQLite."""
    context = MigrationContext.configure(
        connection, opts={"include_name": include_name, "compare_type": True}
    )
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based")
        warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expression")
        diffs: list[object] = list(compare_metadata(context, Base.metadata))
    return diffs + expression_index_diffs(connection)


def expression_index_diffs(connection: Connection) -> list[object]:
    """The models' expression indexes (Spanish name order) as the file has them, word for word."""
    stored = dict(
        connection.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'index'")).all()
    )
    diffs: list[object] = []
    for table in Base.metadata.tables.values():
        for index in table.indexes:
            if all(isinstance(e, Column) for e in index.expressions):
                continue
            wanted = " ".join(str(CreateIndex(index).compile(dialect=connection.dialect)).split())
            found = " ".join(str(stored.get(index.name)).split())
            if wanted != found:
                diffs.append(("expression index", index.name, wanted, found))
    return diffs


def table_names(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


@pytest.mark.parametrize("use_fts5", [True, False], ids=["fts5", "fallback"])
def test_upgrade_from_empty_matches_the_models(tmp_path: Path, use_fts5: bool) -> None:
    database = open_database(tmp_path / "db.sqlite3", use_fts5=use_fts5)
    with database, database.engine.connect() as connection:
        assert schema_diffs(connection) == []
        revision = connection.execute(text("SELECT version_num FROM alembic_version"))
        assert revision.scalar() == head_revision()
        has_fts = {"accounts_fts", "contacts_fts"} <= table_names(connection)
        assert has_fts is use_fts5


def test_the_comparison_would_notice_a_difference(tmp_path: Path) -> None:
    with open_database(tmp_path / "db.sqlite3") as database, database.engine.begin() as c:
        c.execute(text("DROP INDEX ix_accounts_name"))
        c.execute(text("ALTER TABLE users ADD COLUMN stray TEXT"))
        assert len(schema_diffs(c)) == 2


def test_the_comparison_would_notice_a_name_index_without_the_sort_key(tmp_path: Path) -> None:
    with open_database(tmp_path / "db.sqlite3") as database, database.engine.begin() as c:
        c.execute(text("DROP INDEX ix_users_name"))
        c.execute(text("CREATE INDEX ix_users_name ON users (name, id)"))
        assert [d[1] for d in expression_index_diffs(c)] == ["ix_users_name"]  # type: ignore[index]


def test_downgrade_to_base_then_upgrade_again(tmp_path: Path) -> None:
    with open_database(tmp_path / "db.sqlite3") as database:
        with database.engine.begin() as connection:
            downgrade_to(connection, "base")
        with database.engine.connect() as connection:
            left = table_names(connection) - {"alembic_version"}
            assert left == set(), f"downgrade left {left}"
            triggers = connection.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            ).all()
            assert triggers == []
        with database.engine.begin() as connection:
            upgrade_to_head(connection)
        with database.engine.connect() as connection:
            assert schema_diffs(connection) == []
            assert set(FTS_TABLES) <= table_names(connection)


def test_the_head_is_a_known_revision() -> None:
    assert head_revision() in known_revisions()


def test_migrations_ship_inside_the_package() -> None:
    import sfa_desktop.store.migrations as package

    folder = Path(package.__file__).parent
    assert (folder / "env.py").is_file()
    assert (folder / "script.py.mako").is_file()
    assert any(folder.joinpath("versions").glob("0001_*.py"))


def test_new_revisions_render_app_types_as_their_storage() -> None:
    from sqlalchemy import JSON, String

    from sfa_desktop.store.migrator import render_item
    from sfa_desktop.store.types import ExactDecimal, UTCDateTime

    assert render_item("type", UTCDateTime(), None) == "sa.String(length=27)"
    assert render_item("type", ExactDecimal(), None) == "sa.String(length=40)"
    assert render_item("type", JSON(none_as_null=True), None) == "sa.JSON()"
    assert render_item("type", String(5), None) is False


def test_0011_upgrades_an_existing_profile(tmp_path: Path) -> None:
    """Lines written before kinds existed become plain items; the next sync pulls everything
    once (an older app skipped the company record and the new fields)."""
    with open_database(tmp_path / "db.sqlite3") as database:
        with database.engine.begin() as connection:
            downgrade_to(connection, "0010_quote_number_blocks")
            connection.execute(
                text(
                    "INSERT INTO quote_lines (id, created_at, updated_at, quote_id, description,"
                    " quantity, unit_price, discount_pct, tax_rate_pct, position) VALUES"
                    " ('l1', '2026-11-25T08:00:00.000000Z', '2026-11-25T08:00:00.000000Z',"
                    " 'q1', 'Taladro', '1', 8990, '0', '21', 0)"
                )
            )
            connection.execute(
                text("INSERT OR REPLACE INTO app_meta (key, value) VALUES ('sync_cursor', '812')")
            )
            upgrade_to_head(connection)
        with database.engine.connect() as connection:
            assert schema_diffs(connection) == []
            line = connection.execute(
                text("SELECT kind, optional FROM quote_lines WHERE id = 'l1'")
            ).one()
            assert tuple(line) == ("item", 0)
            cursor = connection.execute(
                text("SELECT value FROM app_meta WHERE key = 'sync_cursor'")
            ).scalar()
            assert cursor == "0"
            assert "company" in table_names(connection)


def _insert_quote(connection: Connection, quote_id: str, revision: int) -> None:
    connection.execute(
        text(
            "INSERT INTO quotes (id, created_at, updated_at, number, account_id, owner_id,"
            " revision, status, currency) VALUES (:id, '2026-11-25T08:00:00.000000Z',"
            " '2026-11-25T08:00:00.000000Z', 'Q-ANA-2026-0012', 'a1', 'u1', :revision, 'draft',"
            " 'EUR')"
        ),
        {"id": quote_id, "revision": revision},
    )


def test_0012_keeps_the_quotes_and_makes_number_and_revision_unique(tmp_path: Path) -> None:
    """A revision keeps its quote's number: the pair is unique, the number alone no more."""
    with open_database(tmp_path / "db.sqlite3") as database:
        with database.engine.begin() as connection:
            downgrade_to(connection, "0011_quote_lines_kinds_company")
            _insert_quote(connection, "q1", 1)
            upgrade_to_head(connection)
        with database.engine.begin() as connection:
            assert schema_diffs(connection) == []
            _insert_quote(connection, "q2", 2)
            numbers = connection.execute(text("SELECT id, revision FROM quotes ORDER BY id"))
            assert [tuple(row) for row in numbers] == [("q1", 1), ("q2", 2)]
        with pytest.raises(IntegrityError), database.engine.begin() as connection:
            _insert_quote(connection, "q3", 2)


def test_0015_adds_the_stage_history_and_pulls_everything_once(tmp_path: Path) -> None:
    """An older app skipped the stage history the server already had: pull once more."""
    with open_database(tmp_path / "db.sqlite3") as database:
        with database.engine.begin() as connection:
            downgrade_to(connection, "0014_opportunity_close_index")
            assert "opportunity_stage_changes" not in table_names(connection)
            connection.execute(
                text("INSERT OR REPLACE INTO app_meta (key, value) VALUES ('sync_cursor', '4711')")
            )
            upgrade_to_head(connection)
        with database.engine.connect() as connection:
            assert schema_diffs(connection) == []
            assert "opportunity_stage_changes" in table_names(connection)
            cursor = connection.execute(
                text("SELECT value FROM app_meta WHERE key = 'sync_cursor'")
            ).scalar()
            assert cursor == "0"


def test_0016_adds_the_adjustments_and_the_quota_scope(tmp_path: Path) -> None:
    """Existing quotas become personal; an older app skipped the adjustments and the scope:
    pull once more."""
    with open_database(tmp_path / "db.sqlite3") as database:
        with database.engine.begin() as connection:
            downgrade_to(connection, "0015_opportunity_stage_changes")
            assert "forecast_adjustments" not in table_names(connection)
            connection.execute(
                text(
                    "INSERT INTO quotas (id, created_at, updated_at, user_id, period, amount,"
                    " currency) VALUES ('q1', '2026-01-01T00:00:00.000000Z',"
                    " '2026-01-01T00:00:00.000000Z', 'u1', '2026-Q4', 100, 'EUR')"
                )
            )
            connection.execute(
                text("INSERT OR REPLACE INTO app_meta (key, value) VALUES ('sync_cursor', '4711')")
            )
            upgrade_to_head(connection)
        with database.engine.connect() as connection:
            assert schema_diffs(connection) == []
            assert "forecast_adjustments" in table_names(connection)
            scope = connection.execute(text("SELECT scope FROM quotas WHERE id = 'q1'")).scalar()
            assert scope == "personal"
            cursor = connection.execute(
                text("SELECT value FROM app_meta WHERE key = 'sync_cursor'")
            ).scalar()
            assert cursor == "0"
