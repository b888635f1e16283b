"""Migrations build the schema from nothing on both databases, and match the models."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, text

from sync_server.db.database import Database
from sync_server.db.migrate import (
    SchemaOutdated,
    alembic_config,
    current_revision,
    ensure_current,
    head_revision,
    schema_differences,
    upgrade_to_head,
)

from .conftest import create_scratch_database, drop_scratch_database


@pytest.fixture
def empty_database(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Database]:
    if backend == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
        yield database
        database.dispose()
        return
    base = str(request.getfixturevalue("postgres_available"))
    url = create_scratch_database(base, "sfa_server_migrations")
    database = Database(url)
    try:
        yield database
    finally:
        database.dispose()
        drop_scratch_database(base, url)


def test_migrations_from_empty_match_the_models(empty_database: Database) -> None:
    assert current_revision(empty_database) is None
    with pytest.raises(SchemaOutdated):
        ensure_current(empty_database)
    upgrade_to_head(empty_database)
    upgrade_to_head(empty_database)  # a second run changes nothing
    assert current_revision(empty_database) == head_revision()
    ensure_current(empty_database)
    assert schema_differences(empty_database) == []


def test_migrations_go_down_and_up_again(empty_database: Database) -> None:
    upgrade_to_head(empty_database)
    with empty_database.engine.begin() as connection:
        command.downgrade(alembic_config(connection), "base")
    tables = set(inspect(empty_database.engine).get_table_names()) - {"alembic_version"}
    assert tables == set()
    upgrade_to_head(empty_database)
    assert schema_differences(empty_database) == []


def _compression(database: Database) -> dict[str, str]:
    query = text(
        "SELECT attname, attcompression FROM pg_attribute "
        "WHERE attrelid = 'records'::regclass AND attname IN ('data', 'versions', 'stamps')"
    )
    with database.engine.connect() as connection:
        return {name: str(method) for name, method in connection.execute(query)}


@pytest.mark.postgres
def test_record_documents_are_compressed_with_lz4_on_postgres(postgres_available: str) -> None:
    url = create_scratch_database(postgres_available, "sfa_server_lz4")
    database = Database(url)
    try:
        upgrade_to_head(database)
        assert _compression(database) == {"data": "l", "versions": "l", "stamps": "l"}
        with database.engine.begin() as connection:
            command.downgrade(alembic_config(connection), "0004")
        assert set(_compression(database).values()) == {"p"}
    finally:
        database.dispose()
        drop_scratch_database(postgres_available, url)
