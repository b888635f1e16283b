"""The server epoch: how clients learn that the server was restored from a backup.

A backup restored over the database makes the server forget what happened after the backup
was taken, while clients still hold those changes. A plain copy of the database carries its
epoch, so the documented restore procedure ends with ``sfa-server epoch rotate``
(:func:`rotate_epoch`), which starts a new epoch. Clients send the epoch they last synced
with (``X-SFA-Epoch``); a different one is answered 409 ``epoch_changed`` before anything is
written, and the client pulls everything again and sends back what the server no longer has.

Rotating also raises every record version to the new epoch's ``version_floor``: a field
version above the floor was written after the restore, so a client can tell a value the
server forgot (send it again) from one somebody changed since (decided by the conflict rule).
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from sync_server.db.database import Database
from sync_server.db.models import Epoch, Record
from sync_server.protocol.values import format_datetime
from sync_server.protocol.wire import EpochInfo

from .errors import ClientOutdated, ServiceError

#: the lowest floor: records created after a restore (versions from 1) stay below it
MIN_VERSION_FLOOR = 2**30


#: the first protocol that knows epochs
EPOCH_PROTOCOL = 2


class EpochChanged(ServiceError):
    code = "epoch_changed"
    status = 409


class RestoredNeedsUpdate(ClientOutdated):
    required_protocol = EPOCH_PROTOCOL


def current_epoch(session: Session) -> EpochInfo:
    row = session.execute(
        select(Epoch.id, Epoch.version_floor, Epoch.started_at)
        .order_by(Epoch.number.desc())
        .limit(1)
    ).one()
    return EpochInfo(
        epoch=row.id, version_floor=row.version_floor, started_at=format_datetime(row.started_at)
    )


def check_epoch(session: Session, claimed: str | None, *, protocol: int) -> EpochInfo:
    """The current epoch; :class:`EpochChanged` when the client synced with another one.

    A client too old to know epochs cannot send back what a restored server lost: once the
    server has been restored (a rotated epoch) it is asked to update instead.
    """
    epoch = current_epoch(session)
    if protocol < EPOCH_PROTOCOL and epoch.version_floor > 0:
        raise RestoredNeedsUpdate(
            "The server was restored from a backup: please update SFA Desktop so it can send "
            "back the changes the server no longer has."
        )
    if claimed is not None and claimed != epoch.epoch:
        raise EpochChanged(
            "the server was restored from a backup since this device last synced: "
            "sync again to send what it no longer has"
        )
    return epoch


def rotate_epoch(database: Database, *, now: dt.datetime) -> EpochInfo:
    """Start a new epoch (after restoring a backup); every device re-checks what it holds."""
    with database.write_session() as session:
        highest = session.scalar(select(func.max(Record.version))) or 0
        floor = max(int(highest) + 1, MIN_VERSION_FLOOR)
        session.execute(update(Record).values(version=floor))
        session.add(Epoch(id=str(uuid.uuid4()), started_at=now, version_floor=floor))
        session.flush()
        return current_epoch(session)
