"""Visits and other activities: six months of history, the weeks ahead and today's agenda."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Sequence

from .accounts import AccountInfo
from .context import Clock, Row, Weighted, base_row, workday
from .team import Member
from .texts import NEXT_STEPS, OUTCOMES, SUBJECTS, VISIT_NOTES

HISTORY_DAYS = 182
HORIZON_DAYS = 42
FUTURE_SHARE = 0.12
DAY_START = 8 * 60 + 30
DAY_END = 18 * 60

_KIND = Weighted([("visit", 55), ("call", 24), ("email", 11), ("meeting", 7), ("task", 3)])
_ON_SITE = frozenset({"visit", "meeting"})
_ON_SITE_STATUS = Weighted([("done", 85), ("cancelled", 8), ("no_show", 7)])
_REMOTE_STATUS = Weighted([("done", 92), ("cancelled", 8)])
_LIFECYCLE_FACTOR = {"customer": 1.3, "qualified": 1.0, "prospect": 0.6, "lapsed": 0.5}
#: (first start minute, last start minute, possible durations) per kind
_SLOTS: dict[str, tuple[int, int, tuple[int, ...]]] = {
    "visit": (DAY_START, 17 * 60, (30, 45, 60, 60, 90)),
    "meeting": (9 * 60, 17 * 60, (60, 60, 90)),
    "call": (9 * 60, 18 * 60 + 30, (10, 15, 15, 20)),
    "email": (8 * 60, 19 * 60, (5,)),
    "task": (8 * 60, 18 * 60, (30, 60)),
}
_EMAIL_OUTCOMES = ("Enviado; pendiente de respuesta.", "Contesta que lo revisará esta semana.")


class ActivityFactory:
    """Makes the activities of one account at a time, plus each rep's agenda for today."""

    def __init__(self, rng: random.Random, clock: Clock, per_account: float) -> None:
        self.rng = rng
        self.clock = clock
        self.per_account = per_account
        self._subjects = {
            k: tuple(s.format(year=clock.today.year) for s in v) for k, v in SUBJECTS.items()
        }

    def make(self, account: AccountInfo) -> list[Row]:
        rng, today = self.rng, self.clock.today
        factor = _LIFECYCLE_FACTOR[account.lifecycle] * rng.uniform(0.4, 1.6)
        count = int(self.per_account * factor + rng.random())
        earliest = max(today - dt.timedelta(days=HISTORY_DAYS), account.created.date())
        earliest += dt.timedelta(days=1)
        history = (today - earliest).days  # days available before today
        days: list[dt.date] = []
        for _ in range(count):
            if history <= 0 or rng.random() < FUTURE_SHARE:
                days.append(workday(today + dt.timedelta(days=rng.randint(1, HORIZON_DAYS))))
            else:
                day = earliest + dt.timedelta(days=rng.randrange(history))
                back = workday(day, forward=False)
                days.append(back if back >= earliest else day)
        days.sort()
        rows = [self._activity(account, account.owner, _KIND.pick(rng), d, None) for d in days]
        self._settle_follow_ups(rows)
        return rows

    def _settle_follow_ups(self, rows: list[Row]) -> None:
        """Most follow-ups led to the next activity; old ones without one were dropped."""
        rng, today = self.rng, self.clock.today
        for position, row in enumerate(rows):
            due = row["follow_up_date"]
            if due is None:
                continue
            later = rows[position + 1] if position + 1 < len(rows) else None
            if later is not None and rng.random() < 0.8:
                later["follow_up_of_id"] = row["id"]
            elif later is not None or ((today - due).days > 14 and rng.random() < 0.8):
                row["follow_up_date"] = None

    def _activity(
        self,
        account: AccountInfo,
        owner: Member,
        kind: str,
        day: dt.date,
        start_minute: int | None,
        duration: int | None = None,
    ) -> Row:
        rng, clock = self.rng, self.clock
        first, last, durations = _SLOTS[kind]
        if start_minute is None:
            start_minute = first + 15 * rng.randint(0, (last - first) // 15)
        start = clock.local(day, start_minute)
        end = start + dt.timedelta(minutes=duration or rng.choice(durations))
        row = {"status": "planned", "checked_in_at": None, "outcome": None, "notes": None}
        row.update(next_step=None, follow_up_date=None)
        if day < clock.today:
            created = clock.between(rng, max(account.created, start - dt.timedelta(days=14)), start)
            status = (_ON_SITE_STATUS if kind in _ON_SITE else _REMOTE_STATUS).pick(rng)
            updated = self._close(row, kind, status, day, start, end)
        else:
            created = clock.between(
                rng, max(account.created, clock.now - dt.timedelta(days=20)), clock.now
            )
            updated = created
        contact = (
            rng.choice(account.contacts).id if account.contacts and rng.random() < 0.8 else None
        )
        full = base_row(rng, created, max(created, min(updated, clock.now)))
        full.update(
            account_id=account.id,
            contact_id=contact,
            owner_id=owner.id,
            kind=kind,
            subject=rng.choice(self._subjects[kind]),
            planned_start=start,
            planned_end=end,
            follow_up_of_id=None,
        )
        full.update(row)
        return full

    def _close(
        self, row: Row, kind: str, status: str, day: dt.date, start: dt.datetime, end: dt.datetime
    ) -> dt.datetime:
        """Fill the fields of a past activity; return when it was last updated."""
        rng = self.rng
        row["status"] = status
        if status == "cancelled":
            row["notes"] = (
                "Cancelada por el cliente; se reprograma." if rng.random() < 0.5 else None
            )
            return start - dt.timedelta(hours=rng.randint(2, 48))
        if status == "no_show":
            row["notes"] = "El cliente no estaba; se deja tarjeta y se llama después."
            return end
        if kind in _ON_SITE:
            row["checked_in_at"] = start + dt.timedelta(minutes=rng.randint(-10, 20))
        if kind == "email":
            row["outcome"] = rng.choice(_EMAIL_OUTCOMES)
        elif kind != "task":
            row["outcome"] = rng.choice(OUTCOMES)
        if kind in _ON_SITE and rng.random() < 0.45:
            row["notes"] = rng.choice(VISIT_NOTES)
        if kind != "task" and rng.random() < 0.6:
            row["next_step"] = rng.choice(NEXT_STEPS)
            if rng.random() < 0.6:
                row["follow_up_date"] = day + dt.timedelta(days=rng.randint(5, 30))
        return end + dt.timedelta(minutes=rng.randint(10, 300))

    def agenda(self, member: Member, accounts: Sequence[AccountInfo], size: int) -> list[Row]:
        """Planned visits for today (08:30-18:00 local) plus follow-ups falling due."""
        rng, today = self.rng, self.clock.today
        mine = [a for a in accounts if a.owner.id == member.id]
        located = [a for a in mine if a.has_coordinates]
        cities = Counter(a.city.name for a in located)
        home = cities.most_common(1)[0][0] if cities else None
        nearby = [a for a in located if a.city.name == home]
        others = [a for a in located if a.city.name != home] + [
            a for a in mine if not a.has_coordinates
        ]
        chosen = rng.sample(nearby, min(size, len(nearby)))
        chosen += rng.sample(others, min(size - len(chosen), len(others)))
        rows: list[Row] = []
        minute = DAY_START
        for account in chosen:
            duration = rng.choice((30, 45, 45, 60))
            if minute + duration > DAY_END:
                break
            kind = "meeting" if rng.random() < 0.15 else "visit"
            rows.append(self._activity(account, member, kind, today, minute, duration))
            minute += duration + rng.choice((15, 30, 30, 45))
            minute = -(-minute // 15) * 15  # next quarter hour
        taken = {a.id for a in chosen}
        cutoff = today - dt.timedelta(days=30)
        rest = [a for a in mine if a.id not in taken and a.created.date() < cutoff]
        for due in (0, 0, -2, -5)[: len(rest)]:
            account = rest.pop(rng.randrange(len(rest)))
            day = workday(today - dt.timedelta(days=rng.randint(7, 21)), forward=False)
            row = self._activity(account, member, "visit", day, None)
            if row["status"] != "done":
                row.update(status="done", checked_in_at=row["planned_start"], notes=None)
                row["outcome"] = rng.choice(OUTCOMES)
                row["updated_at"] = max(row["updated_at"], row["planned_end"])
            row["next_step"] = row["next_step"] or rng.choice(NEXT_STEPS)
            row["follow_up_date"] = today + dt.timedelta(days=due)
            rows.append(row)
        return rows
