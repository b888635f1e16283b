"""Who is making a change, and the shared context every write needs."""

from __future__ import annotations

import datetime as dt
import secrets
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


def server_clock(clock: Clock, *, node: str | None = None) -> HybridLogicalClock:
    """The server's hybrid logical clock, driven by ``clock``.

    Each server process gets its own node name (``server-<random>``): several processes serving
    one database must never issue the same stamp, or two server-made changes could not be
    ordered (the node breaks ties, as a device id does between devices).
    """
    name = node or f"server-{secrets.token_hex(4)}"
    return HybridLogicalClock(name, wall=lambda: to_millis(clock()))
