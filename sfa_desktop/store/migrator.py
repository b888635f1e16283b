"""Alembic, configured in code: the migrations ship inside the package.

Nothing depends on the working directory or an ``alembic.ini``. To write a new migration,
run ``python -m sfa_desktop.store.migrator revision "message"`` (autogenerate against a
scratch database upgraded to head), then review the generated file.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import JSON, Connection, String

from .search import FTS_TABLES
from .types import ExactDecimal, UTCDateTime

MIGRATIONS_DIR = Path(__file__).resolve().with_name("migrations")

#: The schema version this code writes; each migration records its own in ``app_meta``.
STORE_SCHEMA_VERSION = 1

#: ``config.attributes`` key: "fts5" to use FTS5 when SQLite has it, "fallback" to force LIKE.
SEARCH_PREFERENCE = "sfa_search_preference"


def alembic_config(connection: Connection | None = None, *, prefer_fts5: bool = True) -> Config:
    """An Alembic configuration for the store's migrations, bound to ``connection``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    config.attributes["connection"] = connection
    config.attributes[SEARCH_PREFERENCE] = "fts5" if prefer_fts5 else "fallback"
    return config


def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def known_revisions() -> frozenset[str]:
    """Every revision id this version of the app knows."""
    return frozenset(rev.revision for rev in script_directory().walk_revisions())


def head_revision() -> str:
    head = script_directory().get_current_head()
    assert head is not None
    return head


def upgrade_to_head(connection: Connection, *, prefer_fts5: bool = True) -> None:
    """Migrate the database behind ``connection`` to the newest schema (in its transaction)."""
    command.upgrade(alembic_config(connection, prefer_fts5=prefer_fts5), "head")


def downgrade_to(connection: Connection, revision: str) -> None:
    """Migrate down to ``revision`` (``"base"`` removes every table). For tests and tools."""
    command.downgrade(alembic_config(connection), revision)


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Autogenerate filter: FTS5 tables and their shadow tables are managed by migrations."""
    if type_ == "table" and name is not None:
        return not any(name == t or name.startswith(t + "_") for t in FTS_TABLES)
    return True


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Autogenerate renders the app's column types as the storage they produce.

    A revision must not change when ``types.py`` does, so ``UTCDateTime`` becomes
    ``sa.String(length=27)`` and ``ExactDecimal`` ``sa.String(length=40)`` in new revisions.
    """
    if type_ == "type" and isinstance(obj, UTCDateTime | ExactDecimal):
        storage = obj.impl_instance
        assert isinstance(storage, String)
        return f"sa.String(length={storage.length})"
    if type_ == "type" and isinstance(obj, JSON):
        return "sa.JSON()"
    return False


def _new_revision(message: str) -> None:  # pragma: no cover - developer tool
    from .database import open_database

    with tempfile.TemporaryDirectory() as scratch:
        database = open_database(Path(scratch) / "scratch.sqlite3")
        try:
            with database.engine.begin() as connection:
                config = alembic_config(connection)
                command.revision(config, message=message, autogenerate=True)
        finally:
            database.close()


def main(argv: list[str]) -> int:  # pragma: no cover - developer tool
    if len(argv) == 2 and argv[0] == "revision":
        _new_revision(argv[1])
        return 0
    if argv == ["heads"]:
        print(head_revision())
        return 0
    print('usage: python -m sfa_desktop.store.migrator revision "message" | heads')
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
