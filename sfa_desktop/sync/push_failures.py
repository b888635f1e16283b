"""A change the server fails on every time must not stop sync: find it, then set it aside.

A push that fails does not stop the sync: the engine still pulls, then reports the push's error.
Which entry is to blame, and when it is set aside, follows one rule:

* **The batch is blamed** only when the server refused the request itself for what it carries:
  400 (bad request), 413 (too large), 422 (the request validation refused a value) — or a 500
  (or another 5xx that does not mean "unavailable") that survived the transport's retries: a
  server that crashes on one value answers 500 to every batch holding it. Anything else stops
  pushing and blames nobody: no answer (network down, timeouts), 502/503/504/507 (the server
  or what it needs is down), 429, 401/403, 404, 426, an answer this client does not understand.
* **A blamed batch is split in halves** (the first half first, each sent once, without the
  transport's retries) until the failing entry is alone; the entries before it are acknowledged
  as usual, the ones after it wait (their order may matter: a contact needs its account).
* **An entry sent alone and refused is a suspect.** Its ``attempts`` (outbox column) grows by
  one only when the same sync's pull then succeeds — proof that the server was up, so the
  failure came from the entry and not from an outage. A suspect goes alone at the head of the
  next sync's first batch (one request, not a new search).
* **After** :data:`MAX_PUSH_ATTEMPTS` **such failures** the entry leaves the outbox for the
  rejected list (code ``push_failed``, the server's last answer as the message), the server's
  value is put back as for any rejection, and the next sync pushes the rest of the outbox.

An entry that the wire model itself refuses (this client cannot even build the request, as a
bug of an older version could have queued it) can never be sent: it is set aside at once
(code ``unsendable``), in its turn.

So an outage never counts against anybody: an innocent entry is only charged when it was sent
alone, refused, and the server answered the pull right after. The one case this cannot tell
apart is a server that answers every push with 500 while it still serves pulls (its database
refuses writes): then the oldest entry is set aside after five such syncs — listed with its
value and reason, never dropped silently — and the next one waits its five.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pydantic import ValidationError
from sqlalchemy.orm import Session

from sync_server.protocol.wire import Mutation, MutationResult, MutationStatus

from . import outbox
from .errors import SyncError
from .outbox import PendingEntry
from .push_ack import AckResult, acknowledge

#: how many syncs in a row an entry may fail alone before it is set aside
MAX_PUSH_ATTEMPTS = 5
#: the rejected list's code for an entry set aside
PUSH_FAILED = "push_failed"
#: the rejected list's code for an entry this client cannot even send (set aside at once)
UNSENDABLE = "unsendable"
#: statuses with which the server refuses a request for its content
_CONTENT_REFUSED = frozenset({400, 413, 422})
#: 5xx statuses that say the server (or a gateway, or its storage) is down, whatever was sent
_UNAVAILABLE = frozenset({502, 503, 504, 507})


def blames_the_batch(error: SyncError) -> bool:
    """Whether the push failed because of what the batch carries (see the module rule)."""
    status = error.status
    if status is None:
        return False
    return status in _CONTENT_REFUSED or (status >= 500 and status not in _UNAVAILABLE)


def charge(
    session: Session, suspects: Sequence[tuple[str, SyncError]], *, now: dt.datetime
) -> AckResult:
    """Count one failure for each suspect (the pull succeeded); set aside the ones out of tries."""
    ids = [mutation_id for mutation_id, _ in suspects]
    outbox.count_attempt(session, ids)
    entries = {e.mutation_id: e for e in outbox.entries_by_id(session, ids)}
    spent = [
        (entry, error)
        for mutation_id, error in suspects
        if (entry := entries.get(mutation_id)) is not None and entry.attempts >= MAX_PUSH_ATTEMPTS
    ]
    outcome = AckResult()
    for entry, error in spent:
        reason = f"the server refused this change {entry.attempts} times ({error.code}: "
        done = set_aside(session, entry, PUSH_FAILED, f"{reason}{error.message})", now=now)
        outcome.rejected += done.rejected
    return outcome


def sendable_prefix(batch: Sequence[PendingEntry]) -> tuple[list[Mutation], str | None]:
    """The wire mutations of the entries from the start that can be sent, and why the next one
    cannot (the wire model the server validates with refuses it: no server can ever take it)."""
    mutations: list[Mutation] = []
    for entry in batch:
        try:
            mutations.append(entry.to_mutation())
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or "mutation"
            return mutations, f"this change cannot be sent ({where}: {first['msg']})"
    return mutations, None


def set_aside(
    session: Session, entry: PendingEntry, code: str, message: str, *, now: dt.datetime
) -> AckResult:
    """Move one entry to the rejected list as if the server had refused it."""
    result = MutationResult(
        mutation_id=entry.mutation_id, status=MutationStatus.REJECTED, code=code, message=message
    )
    return acknowledge(session, [entry], [result], now=now)
