"""What the status bar says about sync, as data (the controller produces it, the bar shows it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum

from sfa_desktop.services.sync_types import SyncProgress


class SyncStateKind(Enum):
    NOT_SIGNED_IN = "not_signed_in"
    UNREACHABLE = "unreachable"
    SYNCING = "syncing"
    UP_TO_DATE = "up_to_date"
    ERROR = "error"


@dataclass(frozen=True)
class SyncState:
    kind: SyncStateKind = SyncStateKind.NOT_SIGNED_IN
    #: when a sync last completed (aware UTC), if ever
    last_success_at: dt.datetime | None = None
    #: why the last sync failed (ERROR; also kept while UNREACHABLE)
    error: BaseException | None = None
    #: the running sync's latest progress (SYNCING)
    progress: SyncProgress | None = None


@dataclass(frozen=True)
class SyncCounts:
    """What waits: local changes not yet sent, open conflicts, refused changes not dismissed."""

    pending: int = 0
    conflicts: int = 0
    rejected: int = 0
