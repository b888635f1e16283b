"""Who is making a change, and the shared context every write needs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sync_server.clock import Clock, to_millis
from sync_server.protocol.hlc import HybridLogicalClock, Stamp


@dataclass(frozen=True)
class Actor:
    """A signed-in user on one device, or the server itself (``user_id`` None)."""

    user_id: str | None
    device_id: str | None
    role: str

    @property
    def is_system(self) -> bool:
        return self.user_id is None

    @property
    def is_admin(self) -> bool:
        return self.is_system or self.role == "admin"


#: the server acting on its own (admin command line, imports)
SYSTEM = Actor(user_id=None, device_id=None, role="system")


@dataclass
class SyncContext:
    """The clock, the server's hybrid logical clock and the limits that shape every write."""

    clock: Clock
    hlc: HybridLogicalClock
    max_drift_ms: int
    left_scope_grace: dt.timedelta

    def now(self) -> dt.datetime:
        return self.clock()

    def now_ms(self) -> int:
        return to_millis(self.clock())

    def server_stamp(self) -> Stamp:
        return self.hlc.now()


def server_clock(clock: Clock) -> HybridLogicalClock:
    """The server's hybrid logical clock, driven by ``clock``."""
    return HybridLogicalClock("server", wall=lambda: to_millis(clock()))
