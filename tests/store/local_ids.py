"""The ids of one entity's records in a desktop database (the live ones, or all)."""

from __future__ import annotations

from sqlalchemy import select

from sfa_desktop.store.database import Database
from sfa_desktop.store.models import MODEL_BY_ENTITY


def local_ids(database: Database, entity: str, *, live: bool = True) -> set[str]:
    model = MODEL_BY_ENTITY[entity]
    with database.session() as session:
        statement = select(model.id)
        if live:
            statement = statement.where(model.deleted_at.is_(None))
        return set(session.scalars(statement))
