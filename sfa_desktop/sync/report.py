"""What a sync did (for the caller) and what the last one did (kept in ``app_meta``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from sync_server.protocol.values import format_datetime, parse_datetime

from .bookkeeping import SyncMetaKey, get_json_meta, set_json_meta


class SyncPhase(StrEnum):
    PUSH = "push"
    PULL = "pull"


@dataclass(frozen=True)
class SyncProgress:
    """Handed to the progress callback after each batch or page."""

    phase: SyncPhase
    #: mutations pushed / changes pulled so far in this sync
    done: int
    #: the expected total when the server says (first sync), else None
    total: int | None = None


@dataclass(frozen=True)
class SyncReport:
    pushed: int
    pulled: int
    #: open conflicts new to this device (values not kept, for this user to look at); a
    #: conflict record received again — a pull from the start, a record touched again — is not
    conflicts: int
    rejected: int
    #: seconds
    duration: float
    dropped: int = 0
    bytes_sent: int = 0
    bytes_received: int = 0


@dataclass(frozen=True)
class LastSync:
    """The outcome of the last sync attempt of this profile."""

    at: dt.datetime
    ok: bool
    code: str | None = None
    message: str | None = None
    pushed: int = 0
    pulled: int = 0
    conflicts: int = 0
    rejected: int = 0
    duration: float = 0.0
    #: when a sync last completed (None if none has)
    last_success_at: dt.datetime | None = None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["at"] = format_datetime(self.at)
        data["last_success_at"] = (
            format_datetime(self.last_success_at) if self.last_success_at else None
        )
        return data


def load_last_sync(session: Session) -> LastSync | None:
    data = get_json_meta(session, SyncMetaKey.LAST_SYNC)
    if not isinstance(data, dict):
        return None
    try:
        success = data.get("last_success_at")
        return LastSync(
            at=parse_datetime(str(data["at"])),
            ok=bool(data["ok"]),
            code=data.get("code"),
            message=data.get("message"),
            pushed=int(data.get("pushed", 0)),
            pulled=int(data.get("pulled", 0)),
            conflicts=int(data.get("conflicts", 0)),
            rejected=int(data.get("rejected", 0)),
            duration=float(data.get("duration", 0.0)),
            last_success_at=parse_datetime(str(success)) if success else None,
        )
    except (KeyError, TypeError, ValueError):
        return None


def save_last_sync(session: Session, result: LastSync) -> None:
    set_json_meta(session, SyncMetaKey.LAST_SYNC, result.to_json())
