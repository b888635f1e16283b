"""Schema migrations (Alembic), configured in code: no alembic.ini, independent of the CWD."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text

from .base import Base
from .database import Database

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
#: an arbitrary key: concurrent ``migrate`` runs on PostgreSQL wait for each other
_MIGRATION_LOCK_KEY = 0x5FA_5E4


class SchemaOutdated(RuntimeError):
    """The database is not at the schema this server version needs."""


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(database: Database) -> str | None:
    with database.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade_to_head(database: Database) -> None:
    """Bring the database to the newest schema (a no-op when it already is)."""
    with database.engine.begin() as connection:
        if database.is_postgres:
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY}
            )
        command.upgrade(alembic_config(connection), "head")


def ensure_current(database: Database) -> None:
    """Raise :class:`SchemaOutdated` unless the database is at the head revision."""
    current, head = current_revision(database), head_revision()
    if current != head:
        raise SchemaOutdated(
            f"the database schema is at {current or 'nothing'}, this server needs {head}: "
            "run `sfa-server migrate`"
        )


def schema_differences(database: Database) -> list[Any]:
    """What differs between the models and the migrated database (empty when they match)."""
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))
