"""Every conflict kind the app lists is resolvable both ways, through the real server.

Ana (a rep) owns an account, Mario (her manager) edits it too; each scenario makes one
conflict of one kind (see ``sync_server/services/conflicts.py``). Either participant resolves it
keeping their own value or the other's; after both sync, both laptops hold the same record and
the conflict is resolved everywhere. Restoring an edit that lost to a delete brings the record
back (an undelete) with the edit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from sfa_desktop.domain.errors import DomainError
from sfa_desktop.services.conflicts import ConflictRow, list_conflicts, resolve_conflict
from sfa_desktop.services.editing import undelete_record
from sfa_desktop.store.models import Conflict

from .harness import Fleet, Profile


@dataclass(frozen=True)
class Outcome:
    """The account once the conflict is settled: alive or not, and one field's value."""

    alive: bool
    field: str
    value: object


@dataclass(frozen=True)
class Kind:
    reason: str
    #: builds the conflict; returns (field, value kept, value not kept) checks
    make: Callable[[Fleet, Profile, Profile, str], None]
    #: who wrote the value not kept
    loser: str
    #: the record when the value not kept is restored / when the kept value stays
    restored: Outcome
    dismissed: Outcome


def _concurrent_edit(fleet: Fleet, ana: Profile, mario: Profile, account: str) -> None:
    mario.edit("account", account, city="Huesca")
    fleet.clock.advance(seconds=5)
    ana.edit("account", account, city="Teruel")
    mario.sync()
    ana.sync()  # Ana's later edit wins: Mario's value is the one not kept


def _record_deleted(fleet: Fleet, ana: Profile, mario: Profile, account: str) -> None:
    ana.delete("account", account)
    ana.sync()
    mario.edit("account", account, city="Huesca")
    mario.sync()  # Mario's edit reaches a deleted record


def _deleted_after_edit(fleet: Fleet, ana: Profile, mario: Profile, account: str) -> None:
    mario.edit("account", account, notes="Llamar en enero")
    mario.sync()
    fleet.clock.advance(seconds=5)
    ana.delete("account", account)
    ana.sync()  # Ana's later delete removes Mario's edit she had not seen


def _edited_after_delete(fleet: Fleet, ana: Profile, mario: Profile, account: str) -> None:
    ana.delete("account", account)
    fleet.clock.advance(seconds=5)
    mario.edit("account", account, notes="Sigue activo")
    mario.sync()
    ana.sync()  # Mario's later edit keeps the record: Ana's delete is the value not kept


KINDS = [
    Kind(
        "concurrent_edit",
        _concurrent_edit,
        loser="mario",
        restored=Outcome(True, "city", "Huesca"),
        dismissed=Outcome(True, "city", "Teruel"),
    ),
    Kind(
        "record_deleted",
        _record_deleted,
        loser="mario",
        restored=Outcome(True, "city", "Huesca"),
        dismissed=Outcome(False, "city", "Zaragoza"),
    ),
    Kind(
        "deleted_after_edit",
        _deleted_after_edit,
        loser="mario",
        restored=Outcome(True, "notes", "Llamar en enero"),
        dismissed=Outcome(False, "notes", "Llamar en enero"),
    ),
    Kind(
        "edited_after_delete",
        _edited_after_delete,
        loser="ana",
        restored=Outcome(False, "notes", "Sigue activo"),
        dismissed=Outcome(True, "notes", "Sigue activo"),
    ),
]


def open_conflicts(profile: Profile) -> list[ConflictRow]:
    with profile.database.session() as session:
        return list_conflicts(session)


def resolved(profile: Profile, conflict_id: str) -> bool:
    with profile.database.session() as session:
        row = session.get(Conflict, conflict_id)
        return row is not None and row.resolved


@pytest.mark.parametrize("resolver_lost", [True, False], ids=["by_loser", "by_winner"])
@pytest.mark.parametrize("keep_mine", [True, False], ids=["keep_mine", "keep_theirs"])
@pytest.mark.parametrize("kind", KINDS, ids=[k.reason for k in KINDS])
def test_every_conflict_kind_resolves_both_ways(
    fleet: Fleet, kind: Kind, keep_mine: bool, resolver_lost: bool
) -> None:
    ana, mario, account = fleet.shared_account("mario")
    kind.make(fleet, ana, mario, account)
    ana.sync()
    mario.sync()
    people = {"ana": ana, "mario": mario}
    loser = people[kind.loser]
    winner = mario if loser is ana else ana
    (conflict,) = open_conflicts(loser)
    assert conflict.reason == kind.reason
    assert [c.id for c in open_conflicts(winner)] == [conflict.id]

    resolver, other = (loser, winner) if resolver_lost else (winner, loser)
    with resolver.database.session() as session:
        restored = resolve_conflict(session, resolver.ctx, conflict.id, keep_mine=keep_mine)
    assert restored is (keep_mine == resolver_lost)
    report = resolver.sync()
    assert report.rejected == 0 and resolver.pending() == 0
    other.sync()
    resolver.sync()

    expected = kind.restored if restored else kind.dismissed
    for profile in (ana, mario):
        row = profile.get("account", account)
        assert row is not None
        assert (row["deleted_at"] is None) is expected.alive, profile.name
        assert row[expected.field] == expected.value, profile.name
        assert resolved(profile, conflict.id), profile.name
        assert open_conflicts(profile) == [], profile.name
        assert profile.pending() == 0


def test_restoring_a_contact_of_a_deleted_account_asks_to_restore_the_account_first(
    fleet: Fleet,
) -> None:
    ana, mario, account = fleet.shared_account("mario")
    contact = ana.create("contact", account_id=account, first_name="Lucía")
    ana.sync()
    mario.sync()
    ana.delete("contact", contact)
    ana.delete("account", account)
    ana.sync()
    mario.edit("contact", contact, first_name="Lucía María")
    mario.sync()
    (conflict,) = [c for c in open_conflicts(mario) if c.record_id == contact]
    with mario.database.session() as session, pytest.raises(DomainError) as refused:
        resolve_conflict(session, mario.ctx, conflict.id, keep_mine=True)
    assert refused.value.code == "parent_deleted"
    with mario.database.session() as session:
        assert undelete_record(session, mario.ctx, "account", account)
    with mario.database.session() as session:
        assert resolve_conflict(session, mario.ctx, conflict.id, keep_mine=True)
    mario.sync()
    ana.sync()
    row = ana.get("contact", contact)
    assert row is not None and row["deleted_at"] is None
    assert row["first_name"] == "Lucía María"
    assert ana.get("account", account)["deleted_at"] is None  # type: ignore[index]
