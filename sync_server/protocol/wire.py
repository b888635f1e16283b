"""Wire models for the sync API (pydantic). Both sides import these; neither redefines them."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

MAX_PUSH_MUTATIONS = 2000
MAX_PULL_LIMIT = 5000
DEFAULT_PULL_LIMIT = 1000


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ErrorBody(_Model):
    """Every error answer: a machine-readable ``code`` and a human ``message``."""

    code: str
    message: str
    details: dict[str, Any] | None = None


#: ``SFA_CLIENT_DOWNLOAD_URL``: one plain http(s) address (the client shows it as text)
DOWNLOAD_URL_PATTERN = r"^https?://[^\s<>\"'\\]+$"
MAX_DOWNLOAD_URL_LENGTH = 500


class ClientOutdatedDetails(BaseModel):
    """The ``details`` of a 426 ``client_outdated`` answer: what the client should tell its user.

    Older servers send no details (the client then only says to update it).
    Unknown keys are ignored so a later server may add some.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    #: the oldest protocol the server accepts for this request
    required_protocol: int = Field(ge=1)
    #: where to get the latest app (the server's ``SFA_CLIENT_DOWNLOAD_URL``), if it says
    download_url: str | None = Field(
        default=None, max_length=MAX_DOWNLOAD_URL_LENGTH, pattern=DOWNLOAD_URL_PATTERN
    )


# --- auth ----------------------------------------------------------------------------------------


class LoginRequest(_Model):
    email: str = Field(min_length=3, max_length=254)
    password: str = Field(min_length=1, max_length=1024)
    device_name: str = Field(min_length=1, max_length=120)


class UserInfo(_Model):
    id: str
    name: str
    email: str
    role: Literal["rep", "manager", "admin"]
    rep_code: str


class LoginResponse(_Model):
    token: str
    device_id: str
    user: UserInfo


# --- push ----------------------------------------------------------------------------------------


class MutationOp(StrEnum):
    #: a new record; ``value`` is an object with its initial fields (a record never exists
    #: half-made on the server), ``field`` is null, ``base_version`` 0
    CREATE = "create"
    #: one field of an existing record; ``value`` is the field's new wire value
    SET = "set"
    #: a tombstone; ``base_version`` is the record version the client last saw
    DELETE = "delete"
    #: brings a deleted record back (keeping a value that lost to a delete); ``field`` and
    #: ``value`` are null, ``base_version`` the record version the client last saw (protocol 2)
    UNDELETE = "undelete"


class Mutation(_Model):
    """One outbox entry (SPEC §4.1)."""

    mutation_id: str = Field(min_length=1, max_length=64)
    entity: str = Field(min_length=1, max_length=40)
    record_id: str = Field(min_length=1, max_length=64)
    op: MutationOp
    field: str | None = Field(default=None, max_length=60)
    value: Any = None
    base_version: int = Field(ge=0, le=2**62)
    hlc: str = Field(min_length=1, max_length=100)


def new_mutation(
    entity: str,
    record_id: str,
    op: MutationOp,
    *,
    field: str | None = None,
    value: Any = None,
    base_version: int,
    hlc: str,
) -> Mutation:
    """A mutation with a fresh (random) id, built outside the outbox."""
    return Mutation(
        mutation_id=str(uuid.uuid4()),
        entity=entity,
        record_id=record_id,
        op=op,
        field=field,
        value=value,
        base_version=base_version,
        hlc=hlc,
    )


class PushRequest(_Model):
    mutations: list[Mutation] = Field(max_length=MAX_PUSH_MUTATIONS)


class MutationStatus(StrEnum):
    APPLIED = "applied"  #: taken; nothing else had changed the record
    MERGED = "merged"  #: taken; other fields had changed concurrently and were kept too
    CONFLICT = "conflict"  #: a concurrent change to the same field: see ``conflict_id``
    REJECTED = "rejected"  #: not taken: ``code`` says why (scope, validation, read-only…)


class MutationResult(_Model):
    mutation_id: str
    status: MutationStatus
    code: str | None = None
    message: str | None = None
    #: the field's (or, for create/delete, the record's) server version after this mutation
    version: int | None = None
    #: true when the incoming value was kept (applied, merged, or a conflict it won)
    kept: bool = False
    conflict_id: str | None = None


class PushResponse(_Model):
    results: list[MutationResult]
    server_hlc: str


# --- pull ----------------------------------------------------------------------------------------


class ChangeKind(StrEnum):
    UPSERT = "upsert"  #: the record's current fields (``values``) and field versions
    DELETE = "delete"  #: a tombstone
    LEFT_SCOPE = "left_scope"  #: no longer visible to this user: drop it after pushing edits


class RecordChange(_Model):
    seq: int
    entity: str
    record_id: str
    kind: ChangeKind
    values: dict[str, Any] = Field(default_factory=dict)
    versions: dict[str, int] = Field(default_factory=dict)
    #: the record-level version (highest field version), used as base for deletes
    version: int = 0


class PullResponse(_Model):
    changes: list[RecordChange]
    next_cursor: str
    has_more: bool
    server_hlc: str
    #: an estimate of the changes left to pull, for progress bars (None when unknown)
    remaining: int | None = None


# --- server epoch (protocol 2) ------------------------------------------------------------------

#: Request header: the epoch the client last synced with (a different one is refused with 409
#: ``epoch_changed``). Response header of push and pull: the server's epoch.
EPOCH_HEADER = "X-SFA-Epoch"


class EpochInfo(_Model):
    """The server's current epoch: a new one starts each time it is restored from a backup."""

    epoch: str
    #: every field version at or below this was written before the epoch began
    version_floor: int
    started_at: str


class HealthResponse(_Model):
    status: Literal["ok"]
    protocol_version: int
    schema_version: int
    server_time: str


# --- quote number blocks (protocol 3, see protocol/quote_numbers.py) -------------------------


class NumberBlocksRequest(_Model):
    """A device asks for a new block of quote numbers for each of ``years`` (may be empty:
    it only needs its device code)."""

    years: list[int] = Field(default_factory=list, max_length=3)


class NumberBlock(_Model):
    """The numbers ``first``..``last`` (inclusive) of one rep code and year, this device's."""

    year: int
    first: int
    last: int


class NumberBlocksResponse(_Model):
    #: the signed-in user's rep code: the blocks' numbers are ``Q-<rep_code>-<year>-<seq>``
    rep_code: str
    #: this device's code, unique across all devices (for fallback numbers)
    device_code: int
    #: the blocks just leased (a year too far from the server's date gets none)
    blocks: list[NumberBlock]
