"""Who sees what (SPEC §4.6): the manager tree and the set of scope owners a user may see.

A rep sees records whose scope owner is themselves; a manager sees their whole team below
them (the manager tree through ``users.manager_id``, recursively); an admin sees everything.
Everybody signed in sees reference data (scope owner ``*``). Conflicts carry a second scope
owner, so both participants and the managers above either of them see them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync_server.db.models import EVERYONE, User


@dataclass(frozen=True)
class DirectoryEntry:
    id: str
    role: str
    manager_id: str | None
    active: bool
    #: the most a user may discount a quote line without approval (percent, decimal text)
    discount_limit_pct: str | None = None


@dataclass
class Directory:
    """Every user's role, manager and status: small enough to load once per request."""

    entries: dict[str, DirectoryEntry]
    _reports: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for entry in self.entries.values():
            if entry.manager_id is not None:
                self._reports.setdefault(entry.manager_id, []).append(entry.id)

    @classmethod
    def load(cls, session: Session) -> Directory:
        rows = session.execute(
            select(User.id, User.role, User.manager_id, User.active, User.discount_limit_pct)
        )
        return cls({r.id: DirectoryEntry(*r) for r in rows})

    def get(self, user_id: str) -> DirectoryEntry | None:
        return self.entries.get(user_id)

    def team(self, user_id: str) -> set[str]:
        """The user and everybody below them in the manager tree (cycles are harmless)."""
        seen = {user_id}
        pending = [user_id]
        while pending:
            for report in self._reports.get(pending.pop(), ()):
                if report not in seen:
                    seen.add(report)
                    pending.append(report)
        return seen


@dataclass(frozen=True)
class Visibility:
    """The scope owners one user may see; ``owners`` None means everything (admins)."""

    owners: frozenset[str] | None

    @property
    def sees_everything(self) -> bool:
        return self.owners is None

    def sees_owner(self, owner_id: str | None) -> bool:
        return owner_id is not None and (self.owners is None or owner_id in self.owners)

    def sees_any(self, owner_ids: Iterable[str | None]) -> bool:
        return any(self.sees_owner(o) for o in owner_ids)

    def team_members(self) -> frozenset[str] | None:
        """The users (not ``*``) whose records this user sees; None for everybody."""
        return None if self.owners is None else self.owners - {EVERYONE}


EVERYTHING = Visibility(None)


def visibility_for(directory: Directory, user_id: str) -> Visibility:
    entry = directory.get(user_id)
    if entry is None:
        return Visibility(frozenset({EVERYONE}))
    if entry.role == "admin":
        return EVERYTHING
    return Visibility(frozenset(directory.team(user_id) | {EVERYONE}))
