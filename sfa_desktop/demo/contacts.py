"""The people at each account: names, job titles, roles in the purchase, consent."""

from __future__ import annotations

import datetime as dt
import random

from .accounts import AccountInfo, ContactInfo
from .context import Clock, Row, Weighted, base_row
from .names import FOREIGN_PEOPLE, SPANISH_FEMALE, SPANISH_MALE, SPANISH_SURNAMES
from .phones import landline, mobile
from .slugs import email_local
from .texts import (
    CONSENT_SOURCES,
    CONTACT_NOTES,
    DECISION_MAKER_TITLES,
    JOB_TITLES,
    TITLE_INDUSTRIES,
)

CONSENT_SHARE = 0.6
_CHANNEL = Weighted(
    [(None, 20), ("phone", 28), ("email", 28), ("visit", 16), ("chat", 4), ("video", 4)]
)
_LEADERS = JOB_TITLES[:DECISION_MAKER_TITLES]
Title = tuple[str, str, tuple[str, ...]]


class ContactFactory:
    """Makes the contacts of one account at a time."""

    def __init__(self, rng: random.Random, clock: Clock, per_account: float) -> None:
        self.rng = rng
        self.clock = clock
        self.per_account = per_account
        self._titles: dict[str, tuple[Title, ...]] = {}

    def count(self) -> int:
        """How many contacts the next account gets (``per_account`` on average)."""
        return int(self.per_account * self.rng.uniform(0.34, 1.66) + self.rng.random())

    def make(self, account: AccountInfo, count: int) -> list[Row]:
        rng, clock = self.rng, self.clock
        rows: list[Row] = []
        for position in range(count):
            first, last, surname, female = _person(rng, account.city.country)
            titles = _LEADERS if position == 0 else self._staff(account.industry.name)
            male_title, female_title, roles = rng.choice(titles)
            created = clock.between(rng, account.created, clock.now - dt.timedelta(hours=2))
            row = base_row(
                rng, created, clock.between(rng, created, clock.now - dt.timedelta(hours=1))
            )
            consent = rng.random() < CONSENT_SHARE
            email = None
            if rng.random() < 0.9:
                local = (
                    email_local(first, surname)
                    if rng.random() < 0.8
                    else email_local(first[:1] + surname)
                )
                email = f"{local}@{account.domain}"
            row.update(
                account_id=account.id,
                first_name=first,
                last_name=last,
                job_title=female_title if female else male_title,
                purchase_role=rng.choice(roles),
                email=email,
                phone=landline(rng, account.city) if rng.random() < 0.4 else None,
                mobile=mobile(rng, account.city.country) if rng.random() < 0.8 else None,
                preferred_channel=_CHANNEL.pick(rng),
                marketing_consent=consent,
                consent_at=clock.between(rng, created, row["updated_at"]) if consent else None,
                consent_source=rng.choice(CONSENT_SOURCES) if consent else None,
                notes=rng.choice(CONTACT_NOTES) if rng.random() < 0.15 else None,
            )
            rows.append(row)
            account.contacts.append(
                ContactInfo(row["id"], f"{first} {last}", row["purchase_role"] == "decision_maker")
            )
        return rows

    def _staff(self, industry: str) -> tuple[Title, ...]:
        """The non-leading job titles that exist in ``industry``."""
        titles = self._titles.get(industry)
        if titles is None:
            titles = self._titles[industry] = tuple(
                t
                for t in JOB_TITLES[DECISION_MAKER_TITLES:]
                if industry in TITLE_INDUSTRIES.get(t[0], frozenset({industry}))
            )
        return titles


def _person(rng: random.Random, country: str) -> tuple[str, str, str, bool]:
    """Given name, surnames, the surname used in e-mails and whether the person is a woman."""
    female = rng.random() < 0.5
    if country == "ES":
        first = rng.choice(SPANISH_FEMALE if female else SPANISH_MALE)
        surname = rng.choice(SPANISH_SURNAMES)
        last = f"{surname} {rng.choice(SPANISH_SURNAMES)}" if rng.random() < 0.75 else surname
        return first, last, surname, female
    male_names, female_names, surnames = FOREIGN_PEOPLE[country]
    surname = rng.choice(surnames)
    return rng.choice(female_names if female else male_names), surname, surname, female
