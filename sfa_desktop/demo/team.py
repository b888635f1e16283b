"""The demo sales team: a manager, the reps (the first is the demo user) and an admin."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from .context import Clock, Row, base_row
from .names import ADMIN, MANAGER, REPS, SPANISH_FEMALE, SPANISH_MALE, SPANISH_SURNAMES
from .places import TERRITORIES, City, city_probabilities
from .slugs import ascii_fold, email_local

COMPANY_DOMAIN = "ibertec-demo.es"
REP_DISCOUNT_LIMIT = Decimal("10")
MANAGER_DISCOUNT_LIMIT = Decimal("25")


@dataclass(frozen=True, slots=True)
class Member:
    id: str
    name: str
    role: str
    rep_code: str
    discount_limit: Decimal
    #: position among the reps; -1 for the manager and the admin
    index: int = -1


class Team:
    """The users and who owns which territory."""

    def __init__(self, rng: random.Random, clock: Clock, reps: int) -> None:
        if reps < 1:
            raise ValueError("the demo team needs at least one rep")
        self.rows: list[Row] = []
        self._codes: set[str] = set()
        start = clock.now - dt.timedelta(days=4 * 365)
        self.manager = self._add(rng, clock, MANAGER, "manager", None, start, -1)
        people = list(REPS)
        while len(people) < reps:
            people.append(_random_person(rng))
        self.reps = [
            self._add(rng, clock, people[i], "rep", self.manager.id, start, i) for i in range(reps)
        ]
        self.admin = self._add(rng, clock, ADMIN, "admin", None, start, -1)
        self.me = self.reps[0]
        self._city_rep = _territories(reps)

    def _add(
        self,
        rng: random.Random,
        clock: Clock,
        person: tuple[str, str, str],
        role: str,
        manager_id: str | None,
        start: dt.datetime,
        index: int,
    ) -> Member:
        given, surnames, _gender = person
        code = self._rep_code(given, surnames)
        limit = MANAGER_DISCOUNT_LIMIT if role != "rep" else REP_DISCOUNT_LIMIT
        created = clock.between(rng, start, start + dt.timedelta(days=30 + 40 * max(index, 0)))
        row = base_row(rng, created, clock.between(rng, created, clock.now - dt.timedelta(days=2)))
        first_surname = surnames.split()[0]
        row.update(
            name=f"{given} {surnames}",
            email=f"{email_local(given, first_surname)}@{COMPANY_DOMAIN}",
            role=role,
            manager_id=manager_id,
            rep_code=code,
            discount_limit_pct=limit,
            active=True,
        )
        self.rows.append(row)
        return Member(row["id"], row["name"], role, code, limit, index)

    def _rep_code(self, given: str, surnames: str) -> str:
        base = (ascii_fold(given)[:1] + ascii_fold(surnames)[:2]).upper()
        code, n = base, 1
        while code in self._codes:
            n += 1
            code = f"{base}{n}"
        self._codes.add(code)
        return code

    @property
    def members(self) -> list[Member]:
        return [self.manager, *self.reps, self.admin]

    def territory_rep(self, city: City) -> Member:
        """The rep whose territory includes ``city``."""
        return self.reps[self._city_rep[city.name]]

    def expected_share(self, rep: Member) -> float:
        """The share of all accounts expected in ``rep``'s territory."""
        return sum(p for c, p in city_probabilities() if self._city_rep[c.name] == rep.index)


def _territories(reps: int) -> dict[str, int]:
    """City name → rep index: whole territory groups while there are fewer reps than groups."""
    cities = sorted((c for c, _ in city_probabilities()), key=lambda c: c.group)
    if reps <= len(TERRITORIES):
        return {c.name: c.group % reps for c in cities}
    return {c.name: i % reps for i, c in enumerate(cities)}


def _random_person(rng: random.Random) -> tuple[str, str, str]:
    gender = rng.choice("mf")
    given = rng.choice(SPANISH_MALE if gender == "m" else SPANISH_FEMALE)
    return given, f"{rng.choice(SPANISH_SURNAMES)} {rng.choice(SPANISH_SURNAMES)}", gender
