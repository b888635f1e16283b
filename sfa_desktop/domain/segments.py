"""Customer segments: the facts that place an account in a segment, and segment definitions.

Segmentation (Peppers & Rogers: *differentiate*) looks at an account along six axes, each a
pure function of :class:`AccountFacts`:

* **geography**: its region and city (compared without case or accents);
* **product**: the product families it has bought (lines of its accepted quotes);
* **economic ABC**: its Pareto tier (:func:`sfa_desktop.domain.customer_value.assign_tiers`);
* **age**: whole years since its first purchase (:func:`customer_age_years`);
* **affinity** from recency, frequency and monetary value (RFM, :func:`rfm_class`);
* **strategic tier** (MVC / MGC / BZ …) when the value model provides it.

A **purchase** is a won opportunity (dated by its close date) or an accepted quote (dated by
its issue date) that does not belong to a won opportunity (so one sale is never counted
twice).

**RFM classes** — every account is in exactly one, tested in this order (defaults of
:class:`RfmThresholds`, in days before today):

1. ``prospect``: no purchase ever;
2. ``new``: first purchase within the last ``new_days`` (180);
3. ``lapsed``: last purchase more than ``lapsed_days`` ago (365);
4. ``at_risk``: last purchase more than ``at_risk_days`` ago (180), or the spend of the last
   12 months fell below ``decline_share`` (50 %) of the 12 months before;
5. ``loyal``: everybody else — bought recently, a customer for a while, spending steadily.

A **segment definition** is the JSON object kept in ``saved_segment.definition``: a
``"version"`` (:data:`DEFINITION_VERSION`) and any of the criteria below. An account matches
when it meets every criterion given; within a list, one value is enough. A key not known is
refused, so a definition written by a newer client is never half-understood.

==============  =========================================================================
key             value
==============  =========================================================================
``regions``     list of region names
``cities``      list of city names
``families``    list of product families (bought at least one of them)
``abc``         list of ``"A"``, ``"B"``, ``"C"``
``rfm``         list of RFM classes (:data:`RFM_CLASSES`)
``age_years``   ``{"min": n, "max": n}`` (either may be left out); prospects never match
``lifecycle``   list of lifecycle stages (``prospect``, ``qualified``, ``customer``, ``lapsed``)
``owner_ids``   list of user ids
``tier``        list of strategic tiers (the value model's codes)
==============  =========================================================================
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate
from typing import Any, NamedTuple

from sfa_desktop.domain.customer_value import TIERS as ABC_TIERS
from sfa_desktop.domain.errors import ValidationError

DEFINITION_VERSION = 1

RFM_PROSPECT = "prospect"
RFM_NEW = "new"
RFM_LAPSED = "lapsed"
RFM_AT_RISK = "at_risk"
RFM_LOYAL = "loyal"
#: The affinity classes, from the best to the least engaged (prospects last).
RFM_CLASSES = (RFM_LOYAL, RFM_NEW, RFM_AT_RISK, RFM_LAPSED, RFM_PROSPECT)

LIFECYCLE_STAGES = ("prospect", "qualified", "customer", "lapsed")

_LIST_KEYS = ("regions", "cities", "families", "abc", "rfm", "lifecycle", "owner_ids", "tier")
DEFINITION_KEYS = ("version", *_LIST_KEYS, "age_years")
#: Longest text accepted in a list of a definition, and most values per list.
MAX_TEXT = 200
MAX_VALUES = 500
_ZERO = Decimal(0)


@dataclass(frozen=True)
class RfmThresholds:
    """The day counts and share that draw the RFM classes (see the module docstring)."""

    new_days: int = 180
    at_risk_days: int = 180
    lapsed_days: int = 365
    decline_share: Decimal = Decimal("0.5")


DEFAULT_RFM = RfmThresholds()


class AccountFacts(NamedTuple):
    """What segmentation knows of one account (amounts in currency units). A named tuple: an
    analysis builds one per account (100,000 of them), and a tuple is built several times
    faster than a frozen dataclass."""

    account_id: str
    name: str
    region: str | None = None
    city: str | None = None
    owner_id: str = ""
    lifecycle_stage: str = "prospect"
    first_purchase: dt.date | None = None
    last_purchase: dt.date | None = None
    #: purchases in the last 12 months
    purchases_12m: int = 0
    #: won in the last 12 months, and in the 12 months before
    spend_12m: Decimal = _ZERO
    spend_prev_12m: Decimal = _ZERO
    families: frozenset[str] = frozenset()
    #: the value figure (see the service) and the estimated annual potential, if known
    value: Decimal = _ZERO
    potential: Decimal | None = None
    abc: str = "C"
    tier: str | None = None
    last_visit: dt.date | None = None


def rfm_class(facts: AccountFacts, today: dt.date, thresholds: RfmThresholds = DEFAULT_RFM) -> str:
    """The account's affinity class: one of :data:`RFM_CLASSES` (rules in the docstring)."""
    first, last = facts.first_purchase, facts.last_purchase
    if first is None or last is None:
        return RFM_PROSPECT
    if (today - first).days <= thresholds.new_days:
        return RFM_NEW
    since_last = (today - last).days
    if since_last > thresholds.lapsed_days:
        return RFM_LAPSED
    if since_last > thresholds.at_risk_days:
        return RFM_AT_RISK
    if facts.spend_prev_12m > 0 and facts.spend_12m < thresholds.decline_share * (
        facts.spend_prev_12m
    ):
        return RFM_AT_RISK
    return RFM_LOYAL


def customer_age_years(facts: AccountFacts, today: dt.date) -> int | None:
    """Whole years since the first purchase (0 in the first year); ``None`` for a prospect."""
    first = facts.first_purchase
    if first is None:
        return None
    years = today.year - first.year - ((today.month, today.day) < (first.month, first.day))
    return max(0, years)


def _folded_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class _FoldTable(dict[int, str]):
    """Each character's folded form, worked out the first time it is met (case folding and
    compatibility decomposition go character by character, and the combining marks that
    reordering would move are dropped), for :meth:`str.translate`."""

    def __missing__(self, code: int) -> str:
        found = self[code] = _folded_char(chr(code))
        return found


_FOLD = _FoldTable()


def folded(text: str) -> str:
    """``text`` without case or accents, for comparing places ("Málaga" = "malaga"): NFKD of
    its case folding without the combining marks (a table per character: the Customers list
    sorts 100,000 names by it)."""
    stripped = text.strip()
    if stripped.isascii():
        return stripped.lower()
    return stripped.translate(_FOLD)


@dataclass(frozen=True)
class AgeRange:
    minimum: int | None = None
    maximum: int | None = None

    def contains(self, years: int | None) -> bool:
        if years is None:
            return False
        if self.minimum is not None and years < self.minimum:
            return False
        return self.maximum is None or years <= self.maximum


@dataclass(frozen=True)
class SegmentDefinition:
    """Validated criteria (``None``: any). Build with :func:`parse_definition`."""

    regions: tuple[str, ...] | None = None
    cities: tuple[str, ...] | None = None
    families: tuple[str, ...] | None = None
    abc: tuple[str, ...] | None = None
    rfm: tuple[str, ...] | None = None
    age_years: AgeRange | None = None
    lifecycle: tuple[str, ...] | None = None
    owner_ids: tuple[str, ...] | None = None
    tier: tuple[str, ...] | None = None

    def is_empty(self) -> bool:
        return all(getattr(self, key) is None for key in (*_LIST_KEYS, "age_years"))

    def to_json(self) -> dict[str, Any]:
        """The JSON object kept in ``saved_segment.definition`` (criteria given only)."""
        data: dict[str, Any] = {"version": DEFINITION_VERSION}
        for key in _LIST_KEYS:
            values = getattr(self, key)
            if values is not None:
                data[key] = list(values)
        if self.age_years is not None:
            ages: dict[str, int] = {}
            if self.age_years.minimum is not None:
                ages["min"] = self.age_years.minimum
            if self.age_years.maximum is not None:
                ages["max"] = self.age_years.maximum
            data["age_years"] = ages
        return data

    def matches(
        self, facts: AccountFacts, today: dt.date, thresholds: RfmThresholds = DEFAULT_RFM
    ) -> bool:
        """Whether the account meets every criterion."""
        if self.owner_ids is not None and facts.owner_id not in self.owner_ids:
            return False
        if self.lifecycle is not None and facts.lifecycle_stage not in self.lifecycle:
            return False
        if self.abc is not None and facts.abc not in self.abc:
            return False
        if self.tier is not None and facts.tier not in self.tier:
            return False
        if self.regions is not None and not _place_in(facts.region, self.regions):
            return False
        if self.cities is not None and not _place_in(facts.city, self.cities):
            return False
        if self.families is not None and not facts.families & set(self.families):
            return False
        if self.age_years is not None and not self.age_years.contains(
            customer_age_years(facts, today)
        ):
            return False
        return self.rfm is None or rfm_class(facts, today, thresholds) in self.rfm


def _place_in(place: str | None, wanted: Iterable[str]) -> bool:
    return place is not None and folded(place) in {folded(w) for w in wanted}


def _list(key: str, raw: object, allowed: tuple[str, ...] | None) -> tuple[str, ...]:
    if not isinstance(raw, list):
        raise ValidationError("segment_not_list", field=key, params={"key": key})
    if not raw:
        raise ValidationError("segment_empty_list", field=key, params={"key": key})
    if len(raw) > MAX_VALUES:
        raise ValidationError("too_many_values", field=key, params={"max": MAX_VALUES})
    values: list[str] = []
    for item in raw:
        if not isinstance(item, str) or not item.strip():
            raise ValidationError("invalid_choice", field=key, params={"value": item})
        text = item.strip()
        if len(text) > MAX_TEXT:
            raise ValidationError(
                "too_long", field=key, params={"max": MAX_TEXT, "length": len(text)}
            )
        if allowed is not None and text not in allowed:
            raise ValidationError("invalid_choice", field=key, params={"value": text})
        if text not in values:
            values.append(text)
    return tuple(values)


def _age(raw: object) -> AgeRange:
    key = "age_years"
    if not isinstance(raw, Mapping):
        raise ValidationError("segment_not_range", field=key, params={"key": key})
    unknown = sorted(str(k) for k in raw if k not in ("min", "max"))
    if unknown:
        raise ValidationError("segment_unknown_key", field=key, params={"key": unknown[0]})
    bounds: dict[str, int | None] = {}
    for bound in ("min", "max"):
        value = raw.get(bound)
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 200
        ):
            raise ValidationError("out_of_range", field=key, params={"min": 0, "max": 200})
        bounds[bound] = value
    low, high = bounds["min"], bounds["max"]
    if low is None and high is None:
        raise ValidationError("segment_not_range", field=key, params={"key": key})
    if low is not None and high is not None and low > high:
        raise ValidationError("out_of_range", field=key, params={"min": low, "max": 200})
    return AgeRange(low, high)


_ALLOWED: dict[str, tuple[str, ...] | None] = {
    "regions": None,
    "cities": None,
    "families": None,
    "abc": ABC_TIERS,
    "rfm": RFM_CLASSES,
    "lifecycle": LIFECYCLE_STAGES,
    "owner_ids": None,
    "tier": None,
}


def parse_definition(raw: object) -> SegmentDefinition:
    """Validate a definition (a mapping, or its JSON text); :class:`ValidationError` names the
    first key at fault. A missing version, a newer one or an unknown key is refused."""
    if isinstance(raw, str | bytes):
        try:
            raw = json.loads(raw)
        except ValueError as error:
            raise ValidationError("segment_not_object", params={"reason": str(error)}) from None
    if not isinstance(raw, Mapping):
        raise ValidationError("segment_not_object", params={"reason": type(raw).__name__})
    unknown = sorted(str(key) for key in raw if key not in DEFINITION_KEYS)
    if unknown:
        raise ValidationError("segment_unknown_key", field=unknown[0], params={"key": unknown[0]})
    version = raw.get("version")
    if version != DEFINITION_VERSION or isinstance(version, bool):
        raise ValidationError(
            "segment_version",
            field="version",
            params={"value": version, "version": DEFINITION_VERSION},
        )
    values: dict[str, Any] = {}
    for key in _LIST_KEYS:
        if key in raw and raw[key] is not None:
            values[key] = _list(key, raw[key], _ALLOWED[key])
    if raw.get("age_years") is not None:
        values["age_years"] = _age(raw["age_years"])
    return SegmentDefinition(**values)


def definition_text(definition: SegmentDefinition) -> str:
    """The definition as compact, stable JSON text."""
    return json.dumps(definition.to_json(), ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True)
class SegmentCounts:
    """How many accounts (and how much value) fall in each class of an axis."""

    abc: dict[str, int]
    abc_value: dict[str, Decimal]
    rfm: dict[str, int]


def segment_counts(
    facts: Iterable[AccountFacts], today: dt.date, thresholds: RfmThresholds = DEFAULT_RFM
) -> SegmentCounts:
    """Accounts per ABC tier (with their value) and per RFM class; every class is listed."""
    abc = dict.fromkeys(ABC_TIERS, 0)
    abc_value = dict.fromkeys(ABC_TIERS, _ZERO)
    rfm = dict.fromkeys(RFM_CLASSES, 0)
    for item in facts:
        abc[item.abc] = abc.get(item.abc, 0) + 1
        abc_value[item.abc] = abc_value.get(item.abc, _ZERO) + item.value
        rfm[rfm_class(item, today, thresholds)] += 1
    return SegmentCounts(abc, abc_value, rfm)


@dataclass(frozen=True)
class ParetoCurve:
    """Cumulative share of accounts (x) against cumulative share of value (y), both 0–1,
    accounts ranked by value; ``a_end``/``b_end``: share of accounts in tiers A and A+B."""

    x: tuple[float, ...]
    y: tuple[float, ...]
    a_end: float
    b_end: float
    total: Decimal
    accounts: int


def pareto_curve(
    values: Mapping[str, Decimal], tiers: Mapping[str, str], *, points: int = 400
) -> ParetoCurve:
    """The Lorenz-like curve of the Pareto chart, thinned to at most ``points`` points
    (plus the origin and the end), from each account's value and ABC tier."""
    # floats: the curve is a picture; sorting 100,000 Decimals would cost more than drawing it
    ranked = [f if f > 0 else 0.0 for f in map(float, values.values())]
    ranked.sort(reverse=True)
    count = len(ranked)
    total = sum((v for v in values.values() if v > 0), _ZERO)
    counts = {tier: 0 for tier in ABC_TIERS}
    for tier in tiers.values():
        counts[tier] = counts.get(tier, 0) + 1
    if count == 0:
        return ParetoCurve((0.0,), (0.0,), 0.0, 0.0, _ZERO, 0)
    step = max(1, count // max(1, points))
    total_f = float(total) or 1.0
    cumulative = list(accumulate(ranked))
    picked = [*range(step - 1, count, step)]
    if picked[-1] != count - 1:
        picked.append(count - 1)
    xs = [0.0, *((i + 1) / count for i in picked)]
    ys = [0.0, *(cumulative[i] / total_f if total else 0.0 for i in picked)]
    a_end = counts.get("A", 0) / count
    b_end = (counts.get("A", 0) + counts.get("B", 0)) / count
    return ParetoCurve(tuple(xs), tuple(ys), a_end, b_end, total, count)
