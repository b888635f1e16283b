"""Response models of the server's own endpoints (the sync wire models live in protocol)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict

from sync_server.protocol.wire import UserInfo


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MeResponse(_Model):
    """The signed-in user and the device the token belongs to."""

    user: UserInfo
    device_id: str
    device_name: str


class AuditEntryOut(_Model):
    id: int
    at: dt.datetime
    user_id: str | None
    device_id: str | None
    entity: str
    record_id: str
    #: create, set, delete, or conflict (a value not kept: ``old_value`` kept, ``new_value`` lost)
    action: str
    field: str | None
    old_value: Any = None
    new_value: Any = None
    hlc: str | None


class AuditPage(_Model):
    entries: list[AuditEntryOut]
    #: pass as ``after`` to read the next page; None when this page is the last
    next_after: int | None
