"""Data access for the answers already given to devices' mutations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.orm import Session

from sync_server.protocol.chunks import chunked

from .bulk import insert_many, select_by_keys
from .models import AppliedMutation

_applied = cast(Table, AppliedMutation.__table__)


def answers_given(
    session: Session, *, device_id: str, mutation_ids: Collection[str]
) -> dict[str, dict[str, Any]]:
    """mutation id -> the stored result, for the ids this device pushed before."""
    found: dict[str, dict[str, Any]] = {}
    for chunk in chunked(sorted(set(mutation_ids))):
        rows = select_by_keys(
            session,
            _applied,
            columns=("mutation_id", "result"),
            key="mutation_id",
            values=chunk,
            order_by="mutation_id",
            lock=False,
            equal={"device_id": device_id},
        )
        found.update({mutation_id: result for mutation_id, result in rows})
    return found


def remember_answers(
    session: Session, *, device_id: str, answers: Mapping[str, dict[str, Any]], at: dt.datetime
) -> None:
    rows = [
        {"device_id": device_id, "mutation_id": mid, "result": result, "at": at}
        for mid, result in answers.items()
    ]
    insert_many(session, _applied, rows)
