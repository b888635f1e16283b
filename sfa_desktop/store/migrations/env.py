"""Alembic environment for the desktop store; run through ``sfa_desktop.store.migrator``."""

from __future__ import annotations

from alembic import context

from sfa_desktop.store.migrator import include_name, render_item
from sfa_desktop.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "Store migrations run in code: use sfa_desktop.store.database.open_database() "
        "or sfa_desktop.store.migrator.upgrade_to_head(connection)."
    )

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    include_name=include_name,
    compare_type=True,
    render_item=render_item,
)

with context.begin_transaction():
    context.run_migrations()
