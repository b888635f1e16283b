"""Push: apply a device's batch of mutations, idempotently (SPEC §4.2).

A batch runs in one transaction: the records it touches are loaded and locked up front (in id
order), each mutation is checked and applied in memory, then everything is written at once
(see :mod:`.changeset`). The answer to every mutation is stored under ``(device, mutation
id)``; pushing the same mutation again returns that answer and changes nothing. A transaction
that loses a race (deadlock, a concurrent insert of the same id) is run again from scratch.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from sync_server import faults
from sync_server.db.database import Database, is_retryable
from sync_server.db.idempotency import answers_given, remember_answers
from sync_server.protocol.catalog import CATALOG, ScopeRule
from sync_server.protocol.ids import canonical_id_or_none
from sync_server.protocol.wire import (
    Mutation,
    MutationOp,
    MutationResult,
    MutationStatus,
    PushResponse,
    new_mutation,
)

from .actor import SYSTEM, Actor, SyncContext
from .changeset import ChangeSet
from .errors import ServiceError
from .mutation_rules import MutationRules
from .mutations import MutationApplier
from .scopes import EVERYTHING, Directory, visibility_for

MAX_ATTEMPTS = 8


def push(
    database: Database, *, actor: Actor, mutations: Sequence[Mutation], context: SyncContext
) -> PushResponse:
    """Apply a device's batch and answer every mutation, in order."""
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            with database.write_session() as session:
                results = _push_batch(session, actor=actor, mutations=mutations, context=context)
                faults.reached("push.before_commit")
            faults.reached("push.after_commit")
            return PushResponse(results=results, server_hlc=str(context.server_stamp()))
        except DBAPIError as error:
            if attempt == MAX_ATTEMPTS or not is_retryable(error):
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _push_batch(
    session: Session, *, actor: Actor, mutations: Sequence[Mutation], context: SyncContext
) -> list[MutationResult]:
    assert actor.device_id is not None
    storable = [m for m in mutations if _storable_id(m.mutation_id)]
    answered = answers_given(
        session, device_id=actor.device_id, mutation_ids=[m.mutation_id for m in storable]
    )
    fresh = [m for m in storable if m.mutation_id not in answered]
    applier = _applier(session, actor=actor, context=context, mutations=fresh)
    new_answers: dict[str, MutationResult] = {}
    results: list[MutationResult] = []
    for mutation in mutations:
        if not _storable_id(mutation.mutation_id):
            results.append(_unusable_id(mutation))
        elif mutation.mutation_id in answered:
            results.append(MutationResult.model_validate(answered[mutation.mutation_id]))
        elif mutation.mutation_id in new_answers:
            results.append(new_answers[mutation.mutation_id])
        else:
            result = applier.apply(mutation)
            new_answers[mutation.mutation_id] = result
            results.append(result)
    # the answers need no change number: stored before flush takes the counter
    remember_answers(
        session,
        device_id=actor.device_id,
        answers=dict(zip(new_answers, _stored_form(new_answers.values()), strict=True)),
        at=context.now(),
    )
    applier.changes.flush()
    return results


#: answers are stored as their JSON form without defaults (dumped together: half the time)
_RESULTS = TypeAdapter(list[MutationResult])


def _stored_form(results: Iterable[MutationResult]) -> list[dict[str, Any]]:
    return list(_RESULTS.dump_python(list(results), mode="json", exclude_defaults=True))


def _storable_id(mutation_id: str) -> bool:
    return "\x00" not in mutation_id


def _unusable_id(mutation: Mutation) -> MutationResult:
    """An id that cannot be stored cannot be acknowledged again: refuse it (nothing written)."""
    return MutationResult(
        mutation_id=mutation.mutation_id,
        status=MutationStatus.REJECTED,
        code="bad_mutation",
        message="mutation ids must not contain NUL characters",
    )


def _applier(
    session: Session, *, actor: Actor, context: SyncContext, mutations: Sequence[Mutation]
) -> MutationApplier:
    directory = Directory.load(session)
    visibility = EVERYTHING if actor.is_system else visibility_for(directory, actor.user_id or "")
    changes = ChangeSet(session, actor=actor, now=context.now())
    changes.load(_records_needed(mutations))
    rules = MutationRules(
        actor=actor, directory=directory, visibility=visibility, changes=changes, context=context
    )
    rules.observe(m.hlc for m in mutations)
    return MutationApplier(rules)


def _records_needed(mutations: Sequence[Mutation]) -> set[str]:
    """The ids a batch will read: its records and the parents that new scopes come from."""
    ids: set[str | None] = set()
    for m in mutations:
        ids.add(canonical_id_or_none(m.record_id))
        spec = CATALOG.get(m.entity)
        if spec is None or spec.scope is not ScopeRule.PARENT or spec.scope_field is None:
            continue
        if m.op is MutationOp.CREATE and isinstance(m.value, dict):
            ids.add(canonical_id_or_none(m.value.get(spec.scope_field)))
        elif m.op is MutationOp.SET and m.field == spec.scope_field:
            ids.add(canonical_id_or_none(m.value))
    return {i for i in ids if i is not None}


def apply_as_server(
    session: Session, *, mutations: Sequence[Mutation], context: SyncContext
) -> list[MutationResult]:
    """Apply mutations made by the server itself (admin commands) inside ``session``.

    All or nothing: the first rejected mutation raises :class:`ServiceError`, and the caller's
    transaction is rolled back.
    """
    applier = _applier(session, actor=SYSTEM, context=context, mutations=mutations)
    results = [applier.apply(m) for m in mutations]
    for result in results:
        if result.status is MutationStatus.REJECTED:
            raise ServiceError(result.message or "rejected", code=result.code)
    applier.changes.flush()
    return results


def server_mutation(
    context: SyncContext,
    *,
    entity: str,
    record_id: str,
    op: MutationOp,
    field: str | None = None,
    value: Any = None,
) -> Mutation:
    """A mutation made by the server: it has seen every version, so it never conflicts."""
    stamp = str(context.server_stamp())
    return new_mutation(
        entity, record_id, op, field=field, value=value, base_version=2**62, hlc=stamp
    )
