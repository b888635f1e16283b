"""Customer accounts: who they are, where they are, who owns them."""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field

from .companies import (
    FOREIGN_NAMING,
    FOREIGN_PLACE_WORDS,
    GEOGRAPHIC_WORDS,
    INDUSTRIES,
    PUBLIC_SECTOR,
    SHOP_BRANDS,
    SPANISH_LEGAL_FORMS,
    Industry,
)
from .context import Clock, Row, Weighted, base_row, workday
from .names import FOREIGN_PEOPLE, SPANISH_SURNAMES
from .phones import landline
from .places import FOREIGN_STREETS, INDUSTRIAL_ESTATES, SPANISH_STREETS, City, city_probabilities
from .places import TOP_LEVEL_DOMAINS as TLD
from .slugs import name_words
from .tax_ids import cif, foreign_vat
from .team import Member, Team
from .texts import ACCOUNT_NOTES, NEEDS

ACCOUNT_HISTORY_DAYS = 6 * 365
MISSING_COORDINATES = 0.03
MANAGER_SHARE = 0.05
OTHER_REP_SHARE = 0.03


@dataclass(slots=True)
class ContactInfo:
    id: str
    name: str
    decision_maker: bool


@dataclass(slots=True)
class AccountInfo:
    """What the children of an account (contacts, visits, deals) need to know about it."""

    id: str
    name: str
    owner: Member
    city: City
    industry: Industry
    lifecycle: str
    created: dt.datetime
    domain: str
    has_coordinates: bool
    contacts: list[ContactInfo] = field(default_factory=list)


_LIFECYCLE = Weighted([("customer", 50), ("qualified", 15), ("prospect", 25), ("lapsed", 10)])
_NEW_LIFECYCLE = Weighted([("prospect", 60), ("qualified", 30), ("customer", 10)])
_CHANNEL = Weighted([("visit", 45), ("phone", 25), ("email", 20), ("video", 7), ("chat", 3)])
_CADENCE_CUSTOMER = Weighted([(14, 15), (30, 50), (60, 25), (90, 10)])
_CADENCE_OTHER = Weighted([(30, 30), (60, 40), (90, 30)])
_INDUSTRY = Weighted((i, i.weight) for i in INDUSTRIES)
_FOREIGN_INDUSTRY = Weighted((i, i.weight) for i in INDUSTRIES if i.name != PUBLIC_SECTOR)
_INDUSTRY_BY_NAME = {i.name: i for i in INDUSTRIES}
_SPANISH_PATTERN = Weighted(
    [
        ("{t} {s}", 30),
        ("{t} Hermanos {s}", 10),
        ("{t} {g}", 20),
        ("{t} {c}", 8),
        ("{s} y {s2}", 10),
        ("Grupo {s}", 7),
        ("{s} {t}", 10),
        ("{t} {b}", 5),
    ]
)
_LEGAL_FORM = Weighted(((form, letter), w) for form, letter, w in SPANISH_LEGAL_FORMS)
_EMAIL_BOX = {
    "ES": ("info", "administracion", "pedidos", "contacto", "oficina", "compras"),
    "PT": ("geral", "info"),
    "FR": ("contact", "info"),
    "DE": ("info", "kontakt"),
    "IT": ("info", "amministrazione"),
    "GB": ("info", "sales", "office"),
}
_NEED_TAGS = tuple(NEEDS)


class AccountFactory:
    """Makes account rows one at a time; ``index`` sets the creation date (oldest first)."""

    def __init__(self, rng: random.Random, clock: Clock, team: Team, total: int) -> None:
        self.rng = rng
        self.clock = clock
        self.team = team
        self.total = max(total, 1)
        self._cities = Weighted(city_probabilities())
        self._tax_ids: set[str] = set()
        self._start = clock.now - dt.timedelta(days=ACCOUNT_HISTORY_DAYS)

    def make(self, index: int) -> tuple[Row, AccountInfo]:
        rng, clock = self.rng, self.clock
        city = self._cities.pick(rng)
        spanish = city.country == "ES"
        industry = (_INDUSTRY if spanish else _FOREIGN_INDUSTRY).pick(rng)
        if spanish:
            name, organisation = _spanish_name(rng, industry, city)
            tax_id = self._unique_cif(organisation, city)
        else:
            name, trade_industry = _foreign_name(rng, city.country)
            industry = _INDUSTRY_BY_NAME.get(trade_industry, industry)
            tax_id = foreign_vat(city.country, rng)
        created = self._created(index)
        recent = (clock.now - created).days < 180
        lifecycle = (_NEW_LIFECYCLE if recent else _LIFECYCLE).pick(rng)
        owner = self._owner(city)
        domain = _domain(rng, name, city.country)
        has_coordinates = rng.random() >= MISSING_COORDINATES
        latitude, longitude = _jitter(rng, city) if has_coordinates else (None, None)
        tags = rng.sample(_NEED_TAGS, rng.choice((0, 1, 1, 2, 2, 3)))
        row = base_row(rng, created, clock.between(rng, created, clock.now - dt.timedelta(hours=1)))
        row.update(
            name=name,
            tax_id=tax_id,
            industry=industry.name,
            address=_address(rng, city, industry),
            postal_code=rng.choice(city.postal_codes),
            city=city.name,
            region=city.region,
            country=city.country,
            latitude=latitude,
            longitude=longitude,
            phone=landline(rng, city),
            email=f"{rng.choice(_EMAIL_BOX[city.country])}@{domain}"
            if rng.random() < 0.85
            else None,
            website=f"https://www.{domain}" if rng.random() < 0.75 else None,
            owner_id=owner.id,
            lifecycle_stage=lifecycle,
            preferred_channel=_CHANNEL.pick(rng),
            visit_cadence_days=(
                _CADENCE_CUSTOMER if lifecycle == "customer" else _CADENCE_OTHER
            ).pick(rng),
            tags=tags,
            needs=" ".join(NEEDS[t] for t in tags) if tags and rng.random() < 0.6 else None,
            notes=rng.choice(ACCOUNT_NOTES) if rng.random() < 0.3 else None,
        )
        row["annual_potential"] = _annual_potential(row["id"], lifecycle)
        info = AccountInfo(
            row["id"], name, owner, city, industry, lifecycle, created, domain, has_coordinates
        )
        return row, info

    def _created(self, index: int) -> dt.datetime:
        """Older accounts first: spread evenly over the history, in office hours."""
        first = self._start.date()
        span = (self.clock.today - dt.timedelta(days=2) - first).days
        day = first + dt.timedelta(days=int(span * (index + self.rng.random()) / self.total))
        return self.clock.office(self.rng, workday(day, forward=False))

    def _owner(self, city: City) -> Member:
        draw = self.rng.random()
        if draw < MANAGER_SHARE:
            return self.team.manager
        if draw < MANAGER_SHARE + OTHER_REP_SHARE:
            return self.rng.choice(self.team.reps)
        return self.team.territory_rep(city)

    def _unique_cif(self, organisation: str, city: City) -> str:
        rng = self.rng
        for attempt in range(50):
            if organisation == "P":  # public bodies: province, municipality, body
                number = int(city.province) * 100_000 + rng.randrange(1000) * 100
                number += rng.randrange(100) if attempt > 10 else 0
            elif attempt < 5 and rng.random() < 0.7:  # old CIFs start with the province
                number = int(city.province) * 100_000 + rng.randrange(100_000)
            else:
                number = rng.randrange(10_000_000)
            tax_id = cif(organisation, number)
            if tax_id not in self._tax_ids:
                self._tax_ids.add(tax_id)
                return tax_id
        raise RuntimeError("could not find an unused CIF")  # pragma: no cover


def _spanish_name(rng: random.Random, industry: Industry, city: City) -> tuple[str, str]:
    """A company name and the CIF organisation letter of its legal form."""
    if industry.name == PUBLIC_SECTOR:
        if rng.random() < 0.15:
            return f"Ayuntamiento de {city.name}", "P"
        return f"{rng.choice(industry.shop_words)} {rng.choice(SHOP_BRANDS)}", "P"
    if industry.shop_words and (not industry.trade_words or rng.random() < 0.55):
        shop = rng.choice(industry.shop_words)
        if shop == "Colegio":
            return f"Colegio {rng.choice(SHOP_BRANDS)}", "R" if rng.random() < 0.5 else "B"
        owner = rng.choice(SHOP_BRANDS) if rng.random() < 0.7 else rng.choice(SPANISH_SURNAMES)
        suffix = "" if rng.random() < 0.6 else " S.L."
        return f"{shop} {owner}{suffix}", "B"
    surname, surname2 = rng.choice(SPANISH_SURNAMES), rng.choice(SPANISH_SURNAMES)
    pattern = _SPANISH_PATTERN.pick(rng)
    base = pattern.format(
        t=rng.choice(industry.trade_words),
        s=surname,
        s2=surname2,
        g=rng.choice(GEOGRAPHIC_WORDS),
        c=city.name,
        b=rng.choice(SHOP_BRANDS),
    )
    form, letter = _LEGAL_FORM.pick(rng)
    if form == "S. Coop." and industry.name != "Agroalimentario":
        form, letter = "S.L.", "B"
    if pattern.startswith("Grupo"):
        form, letter = "S.A.", "A"
    return f"{base} {form}", letter


def _foreign_name(rng: random.Random, country: str) -> tuple[str, str]:
    """A local-looking company name and the industry its trade word implies ("" if none)."""
    patterns, trades = FOREIGN_NAMING[country]
    surnames = FOREIGN_PEOPLE[country][2]
    pattern = rng.choice(patterns)
    trade, industry = rng.choice(trades)
    name = pattern.format(
        s=rng.choice(surnames),
        s2=rng.choice(surnames),
        t=trade,
        p=rng.choice(FOREIGN_PLACE_WORDS[country]),
    )
    return name, industry if "{t}" in pattern else ""


def _domain(rng: random.Random, name: str, country: str) -> str:
    words: list[str] = []
    for word in name_words(name) or ["empresa"]:
        if words and sum(map(len, words)) + len(word) > 28:
            break
        words.append(word)
    slug = ("-" if rng.random() < 0.3 else "").join(words)[:40].strip("-")
    return f"{slug}.{TLD[country]}"


def _jitter(rng: random.Random, city: City) -> tuple[float, float]:
    """A point a few kilometres around the city centre."""
    d_lat = max(-0.06, min(0.06, rng.gauss(0.0, 0.022)))
    d_lon = max(-0.08, min(0.08, rng.gauss(0.0, 0.022) / math.cos(math.radians(city.latitude))))
    return round(city.latitude + d_lat, 6), round(city.longitude + d_lon, 6)


def _address(rng: random.Random, city: City, industry: Industry) -> str:
    number = rng.randint(1, 180)
    if city.country == "ES":
        if rng.random() < industry.estate_share:
            estate = rng.choice(INDUSTRIAL_ESTATES)
            if rng.random() < 0.5:
                return f"Polígono Industrial {estate}, nave {rng.randint(1, 60)}"
            return f"Polígono Industrial {estate}, calle {rng.choice('ABCDEFGH')} {number}"
        street = f"{rng.choice(SPANISH_STREETS)} {number}"
        extra = rng.random()
        if extra < 0.15:
            return f"{street}, bajo"
        if extra < 0.35:
            return f"{street}, {rng.randint(1, 8)}º {rng.choice('ABCD')}"
        return street
    street = rng.choice(FOREIGN_STREETS[city.country])
    if city.country in ("FR", "GB"):
        return f"{number} {street}"
    if city.country in ("PT", "IT"):
        return f"{street}, {number}"
    return f"{street} {number}"


def _annual_potential(account_id: str, lifecycle: str) -> int | None:
    """What the account could spend with us in a year (cents), drawn from its id alone (the main
    random stream is left as it was): log-normal around 30,000 € (most between 8,000 and
    120,000 €); a lapsed customer's is lower, and one account in six has no estimate yet."""
    own = random.Random(f"potential:{account_id}")
    if own.random() < 1 / 6:
        return None
    euros = own.lognormvariate(10.3, 0.7) * (0.6 if lifecycle == "lapsed" else 1.0)
    step = 500 if euros < 20_000 else 1000
    return max(step, round(euros / step) * step) * 100
