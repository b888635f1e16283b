"""Data access for the answers already given to devices' mutations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from sync_server.protocol.chunks import chunked

from .bulk import any_of, insert_many
from .models import AppliedMutation

_applied = cast(Table, AppliedMutation.__table__)


def answers_given(
    session: Session, *, device_id: str, mutation_ids: Collection[str]
) -> dict[str, dict[str, Any]]:
    """mutation id -> the stored result, for the ids this device pushed before."""
    found: dict[str, dict[str, Any]] = {}
    for chunk in chunked(sorted(set(mutation_ids))):
        query = select(_applied.c.mutation_id, _applied.c.result).where(
            _applied.c.device_id == device_id,
            any_of(session, _applied.c.mutation_id, chunk),
        )
        found.update({row.mutation_id: row.result for row in session.execute(query)})
    return found


def remember_answers(
    session: Session, *, device_id: str, answers: Mapping[str, dict[str, Any]], at: dt.datetime
) -> None:
    rows = [
        {"device_id": device_id, "mutation_id": mid, "result": result, "at": at}
        for mid, result in answers.items()
    ]
    insert_many(session, _applied, rows)
