"""The rule of :mod:`sfa_desktop.sync.push_failures`, checked over many outboxes (Hypothesis):
a real profile database, and a server stand-in that fails every request holding a poisoned
value, or is down altogether for some syncs."""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from new_profiles import open_new_database
from sqlalchemy import select

from sfa_desktop.services.editing import create_record, load_edit_context
from sfa_desktop.store.database import Database
from sfa_desktop.store.meta import MetaKey, set_meta
from sfa_desktop.store.models import RejectedMutation
from sfa_desktop.store.repositories.records import insert_record
from sfa_desktop.sync import outbox
from sfa_desktop.sync.engine import SyncEngine
from sfa_desktop.sync.errors import ServerFailed, ServerUnreachable, SyncError
from sfa_desktop.sync.pulled_pages import PulledPage, from_response
from sfa_desktop.sync.push_failures import MAX_PUSH_ATTEMPTS, PUSH_FAILED
from sfa_desktop.sync.transport import RetryPolicy, TrafficCounter
from sync_server.protocol.wire import (
    Mutation,
    MutationResult,
    MutationStatus,
    NumberBlocksResponse,
    PullResponse,
    PushResponse,
)

NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
POISON = "☠"


def _failure(status: int) -> SyncError:
    if status >= 500:
        return ServerFailed("the server failed", status=status)
    return SyncError("refused", code="invalid_request", status=status)


@dataclass
class StandIn:
    """Answers pushes like a server that fails on one value; ``down``: no answer at all."""

    status: int
    down: bool = False
    #: answer every push with ``status`` (the pull still works)
    every_push_fails: bool = False
    retry: RetryPolicy = field(default_factory=lambda: RetryPolicy(attempts=1))
    traffic: TrafficCounter = field(default_factory=TrafficCounter)
    applied: list[str] = field(default_factory=list)
    requests: int = 0
    #: the server epoch sent and seen (``SyncApi``'s; this server is never restored)
    epoch: str | None = None
    server_epoch: str | None = None

    def push(
        self, mutations: Sequence[Mutation], *, retry: RetryPolicy | None = None
    ) -> PushResponse:
        self.requests += 1
        if self.down:
            raise ServerUnreachable("network is unreachable")
        if self.every_push_fails or any(POISON in str(m.value) for m in mutations):
            raise _failure(self.status)
        self.applied.extend(m.mutation_id for m in mutations)
        results = [
            MutationResult(
                mutation_id=m.mutation_id, status=MutationStatus.APPLIED, version=1, kept=True
            )
            for m in mutations
        ]
        return PushResponse(results=results, server_hlc="0")

    def pull(self, cursor: str, limit: int) -> PullResponse:
        if self.down:
            raise ServerUnreachable("network is unreachable")
        return PullResponse(changes=[], next_cursor=cursor, has_more=False, server_hlc="0")

    def pull_page(self, cursor: str, limit: int) -> PulledPage:
        return from_response(self.pull(cursor, limit))

    def number_blocks(self, years: Sequence[int]) -> NumberBlocksResponse:
        if self.down:
            raise ServerUnreachable("network is unreachable")
        return NumberBlocksResponse(rep_code="ANA", device_code=1, blocks=[])


def _queue(database: Database, poisoned: list[bool]) -> list[str]:
    """One new account per flag (a poisoned one carries the poison in its name); their
    mutation ids, in outbox order."""
    with database.session() as session:
        user = insert_record(
            session, "user", {"name": "Ana", "email": "a@x.es", "rep_code": "ANA"}, now=NOW
        )
        set_meta(session, MetaKey.USER_ID, user)
        ctx = load_edit_context(session, now=lambda: NOW)
        for n, bad in enumerate(poisoned):
            create_record(session, ctx, "account", {"name": f"{POISON if bad else ''}Cuenta {n}"})
        return [e.mutation_id for e in outbox.next_batch(session, len(poisoned))]


@settings(max_examples=30, deadline=None)
@given(
    poisoned=st.lists(st.booleans(), min_size=1, max_size=40).filter(lambda p: sum(p) <= 3),
    push_batch=st.integers(1, 16),
    status=st.sampled_from([400, 413, 422, 500]),
    outages=st.lists(st.booleans(), max_size=12),
)
def test_only_a_poisoned_entry_is_charged_and_everything_else_arrives_in_order(
    poisoned: list[bool], push_batch: int, status: int, outages: list[bool]
) -> None:
    with (
        tempfile.TemporaryDirectory() as folder,
        open_new_database(Path(folder) / "sfa.sqlite3") as database,
    ):
        ids = _queue(database, poisoned)
        bad = {mutation_id for mutation_id, p in zip(ids, poisoned, strict=True) if p}
        server = StandIn(status)
        engine = SyncEngine(database, server, push_batch=push_batch, now=lambda: NOW)  # type: ignore[arg-type]
        bound = math.ceil(len(ids) / push_batch) + 2 * math.ceil(math.log2(push_batch)) + 2
        healthy_tail = [False] * (MAX_PUSH_ATTEMPTS * len(bad) + len(ids) // push_batch + 2)
        for down in outages + healthy_tail:
            server.down = down
            before = server.requests
            with database.session() as session:
                charged_before = {e.mutation_id: e.attempts for e in outbox.next_batch(session, 99)}
            with contextlib.suppress(SyncError):
                engine.sync()
            assert server.requests - before <= bound  # the search costs a few requests
            with database.session() as session:
                left = outbox.next_batch(session, 99)
            for entry in left:  # an outage charges nobody; an innocent entry is never charged
                was = charged_before.get(entry.mutation_id, 0)
                expected = {was} if down or entry.mutation_id not in bad else {was, was + 1}
                assert entry.attempts in expected
            if not left:
                break
        assert not left
        # the innocent arrive once each, in order; the poisoned are set aside
        assert server.applied == [m for m in ids if m not in bad]
        with database.session() as session:
            rejected = list(session.scalars(select(RejectedMutation)))
        assert {(r.mutation_id, r.code) for r in rejected} == {(m, PUSH_FAILED) for m in bad}


@pytest.mark.parametrize("status", [429, 401, 404, 503])
def test_answers_that_blame_nobody_never_charge(status: int, tmp_path: Path) -> None:
    with open_new_database(tmp_path / "sfa.sqlite3") as database:
        _queue(database, [False, True, False])
        server = StandIn(status, every_push_fails=True)
        engine = SyncEngine(database, server, now=lambda: NOW)  # type: ignore[arg-type]
        for _ in range(MAX_PUSH_ATTEMPTS + 1):
            with pytest.raises(SyncError):
                engine.sync()
        with database.session() as session:
            assert {e.attempts for e in outbox.next_batch(session, 10)} == {0}
