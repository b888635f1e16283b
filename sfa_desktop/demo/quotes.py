"""Quotes and their lines, numbered per rep and year, with revisions and discount approvals."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from sync_server.protocol.quote_numbers import leased_number

from .accounts import AccountInfo
from .catalogue import Catalogue, Product
from .context import Clock, Row, Weighted, base_row
from .products import SERVICE_SKUS
from .team import Member, Team
from .texts import PAYMENT_TERMS, QUOTE_NOTES, QUOTE_REJECTION_REASONS, QUOTE_TERMS

VALIDITY_DAYS = 30
MIN_TOTAL = 150_000  # 1.500 €
MAX_TOTAL = 25_000_000  # 250.000 €
_HUNDRED = Decimal(100)

_FINAL_STATUS = {
    "qualification": Weighted([("draft", 1)]),
    "proposal": Weighted([("draft", 20), ("pending_approval", 15), ("approved", 10), ("sent", 55)]),
    "negotiation": Weighted([("sent", 70), ("approved", 15), ("pending_approval", 15)]),
    "closed_won": Weighted([("accepted", 1)]),
    "closed_lost": Weighted([("rejected", 70), ("expired", 30)]),
}
_DISCOUNTS = tuple(Decimal(d) for d in ("0", "0", "0", "0", "2", "3", "5", "5", "7.5", "10"))
_HIGH_DISCOUNTS = (Decimal("12"), Decimal("12.5"), Decimal("15"))
#: statuses that only exist because a discount went above the owner's limit
_APPROVAL = frozenset({"pending_approval", "approved"})
#: statuses of a quote that has been sent to the customer
_SENT = frozenset({"sent", "accepted", "rejected", "expired"})
_MACHINE_QUANTITIES = (1, 1, 1, 1, 2, 2, 3, 4)
_BULK_QUANTITIES = (5, 10, 12, 20, 24, 50)
_DELIVERY_WEEKS = ("2-3", "3-4", "4-6")

Line = tuple[Product, Decimal]  # product and quantity

#: What customers buy together with a main product (SKU → companions and how often): the
#: realistic co-purchase patterns behind the cross-sell suggestions. Added to accepted quotes
#: only, drawn from a random stream of their own so the rest of the data set stays as it was.
COMPANIONS: dict[str, tuple[tuple[str, float], ...]] = {
    "AC-TOR-075": (("AC-SEC-120", 0.6), ("SV-MNT-PRE", 0.5)),
    "AC-TOR-150": (("AC-SEC-120", 0.5), ("SV-MNT-PRE", 0.5)),
    "AC-TOR-370": (("AC-SEC-120", 0.6), ("SV-MNT-INT", 0.6)),
    "AC-PIS-030": (("SV-REV-REG", 0.4),),
    "CL-BDC-012": (("SV-INS-PEM", 0.7), ("SV-MNT-PRE", 0.4)),
    "CL-SPL-071": (("SV-INS-PEM", 0.7), ("CL-COR-150", 0.3)),
    "CL-CAS-100": (("SV-INS-PEM", 0.7), ("SV-MNT-PRE", 0.4)),
    "CL-ENF-050": (("SV-MNT-INT", 0.6), ("SV-INS-PEM", 0.5)),
    "LI-FRE-050": (("LI-DET-020", 0.7), ("SV-FOR-JOR", 0.4)),
    "LI-FRE-CON": (("LI-DET-020", 0.7), ("SV-FOR-JOR", 0.5)),
    "LI-BAR-IND": (("LI-DET-020", 0.4), ("SV-MNT-PRE", 0.5)),
    "LI-HID-200": (("LI-DET-020", 0.5),),
    "EL-TRA-150": (("EL-EST-MOD", 0.5),),
    "EL-API-160": (("EL-EST-MOD", 0.6), ("SV-FOR-JOR", 0.3)),
    "EL-CAR-025": (("DO-MAN-PRL", 0.6), ("SV-FOR-JOR", 0.6)),
    "EL-CAR-E18": (("DO-MAN-PRL", 0.6), ("SV-FOR-JOR", 0.6), ("EL-EST-MOD", 0.3)),
    "HO-LAV-CAP": (("HO-DES-CAL", 0.5), ("SV-MNT-PRE", 0.4)),
    "HO-HOR-10B": (("HO-CAM-MOD", 0.4), ("SV-INS-PEM", 0.6)),
    "HO-CAM-MOD": (("SV-INS-PEM", 0.6),),
    "HO-CAF-2GR": (("HO-CAF-GRA", 0.7), ("HO-FAB-HIE", 0.3)),
    "HO-FAB-HIE": (("HO-CAF-2GR", 0.3),),
    "EN-GEN-020": (("SV-MNT-PRE", 0.6),),
    "EN-FV-010": (("EN-CAR-VE", 0.5), ("SV-INS-PEM", 0.7)),
    "EN-SAI-010": (("SV-MNT-PRE", 0.6),),
    "EN-CAR-VE": (("SV-INS-PEM", 0.6),),
    "SE-INC-DET": (("SE-EXT-PQS", 0.7), ("SV-REV-REG", 0.6)),
    "SE-CCTV-08": (("SE-ALM-KIT", 0.5), ("SV-INS-PEM", 0.4)),
    "SE-ALM-KIT": (("SE-CCTV-08", 0.2),),
}


class QuoteFactory:
    def __init__(self, rng: random.Random, clock: Clock, team: Team, catalogue: Catalogue) -> None:
        self.rng = rng
        self.clock = clock
        self.team = team
        self.catalogue = catalogue
        self.last_total = 0
        self._revised = False  # the first eligible deal always gets a revision
        self._sequence: dict[tuple[str, int], int] = defaultdict(int)
        active = [p for p in catalogue.products if p.data.active]
        self._main: dict[str, list[Product]] = defaultdict(list)
        self._extras: dict[str, list[Product]] = defaultdict(list)
        for product in active:
            if product.data.parent_sku:
                self._extras[product.data.parent_sku].append(product)
            elif not product.data.bulk:
                self._main[product.data.family].append(product)
        self._bulk = [p for p in active if p.data.bulk and p.data.kind == "product"]
        self._services = [catalogue.by_sku[s] for s in SERVICE_SKUS]
        #: the companions' own random stream (seeded by a string: stable across runs)
        self._pairing = random.Random("sfa-demo-co-purchase")

    def make(
        self, account: AccountInfo, opportunity: Row, family: str
    ) -> tuple[list[Row], list[Row]]:
        """One quote, or a revision-1 quote and the revision 2 that replaced it."""
        rng, today = self.rng, self.clock.today
        stage = opportunity["stage"]
        opened = opportunity["created_at"].date()
        if stage in ("closed_won", "closed_lost"):
            issue = opportunity["expected_close_date"] - dt.timedelta(days=rng.randint(2, 30))
        else:
            issue = today - dt.timedelta(
                days=rng.randint(0, 10 if stage == "qualification" else 25)
            )
        issue = min(today, max(issue, opened))
        first_issue = max(opened, issue - dt.timedelta(days=rng.randint(7, 30)))
        revise = stage in ("negotiation", "closed_won", "closed_lost") and (
            rng.random() < 0.3 or not self._revised
        )
        lines = self._lines(family)
        price_list = (
            self.catalogue.distributor_id
            if account.industry.name == "Distribución"
            else self.catalogue.general_id
        )
        status = _FINAL_STATUS[stage].pick(rng)
        if status == "expired" and issue + dt.timedelta(days=VALIDITY_DAYS) >= today:
            status = "rejected"
        quotes: list[Row] = []
        all_lines: list[Row] = []
        previous: Row | None = None
        if revise and first_issue < issue:
            frozen = "rejected" if stage == "closed_lost" or rng.random() < 0.5 else "sent"
            previous, first_lines = self._quote(
                account,
                opportunity,
                lines,
                price_list,
                first_issue,
                frozen,
                None,
                Decimal(0),
                final=False,
            )
            quotes.append(previous)
            all_lines += first_lines
            self._revised = True
        extra = Decimal(rng.choice((2, 3, 5))) if previous else Decimal(0)
        final, final_lines = self._quote(
            account, opportunity, lines, price_list, issue, status, previous, extra, final=True
        )
        if status == "accepted":
            final_lines += self._companion_rows(final, lines, price_list, len(final_lines))
        quotes.append(final)
        all_lines += final_lines
        return quotes, all_lines

    def _companion_rows(
        self, quote: Row, lines: list[Line], price_list: str, placed: int
    ) -> list[Row]:
        """Lines for what is usually bought with the quote's products (:data:`COMPANIONS`),
        at list price; the quote's total (:attr:`last_total`) grows by them."""
        rng, prices = self._pairing, self.catalogue.prices[price_list]
        taken = {product.id for product, _ in lines}
        rows: list[Row] = []
        for product, quantity in lines:
            for sku, chance in COMPANIONS.get(product.data.sku, ()):
                companion = self.catalogue.by_sku.get(sku)
                if companion is None or companion.id in taken or rng.random() >= chance:
                    continue
                taken.add(companion.id)
                amount = quantity if companion.data.kind != "product" else Decimal(1)
                if companion.data.bulk:
                    amount = Decimal(rng.choice(_BULK_QUANTITIES))
                row = base_row(rng, quote["created_at"], quote["updated_at"])
                row.update(
                    quote_id=quote["id"],
                    product_id=companion.id,
                    description=companion.data.name,
                    quantity=amount,
                    unit_price=prices[companion.id],
                    discount_pct=Decimal(0),
                    tax_rate_pct=companion.tax_rate,
                    position=placed + len(rows) + 1,
                    kind="item",
                    optional=False,
                )
                rows.append(row)
                self.last_total += int(amount * prices[companion.id])
        return rows

    def _lines(self, family: str) -> list[Line]:
        """The products and quantities of a quote (shared by its revisions)."""
        rng = self.rng
        mains = self._main.get(family) or self._main["Servicios"]
        chosen = rng.sample(mains, 2 if rng.random() < 0.35 and len(mains) > 1 else 1)
        lines: list[Line] = []
        for product in chosen:
            quantity = Decimal(rng.choice(_MACHINE_QUANTITIES))
            lines.append((product, quantity))
            for extra in self._extras.get(product.data.sku, ()):
                if rng.random() < 0.5:
                    lines.append((extra, quantity))
        taken = {p.id for p, _ in lines}
        if rng.random() < 0.7:
            service = rng.choice(self._services)
            if service.id not in taken:
                hours = service.data.sku == "SV-DES-TEC" and rng.random() < 0.5
                lines.append((service, Decimal(rng.randint(2, 4)) if hours else Decimal(1)))
        if rng.random() < 0.2:
            bulk = rng.choice(self._bulk)
            if bulk.id not in taken:
                quantity = (
                    Decimal("4.5")
                    if bulk.data.sku == "SV-HOR-TEC"
                    else Decimal(rng.choice(_BULK_QUANTITIES))
                )
                lines.append((bulk, quantity))
        return lines

    def _quote(
        self,
        account: AccountInfo,
        opportunity: Row,
        lines: list[Line],
        price_list: str,
        issue: dt.date,
        status: str,
        previous: Row | None,
        extra_discount: Decimal,
        *,
        final: bool,
    ) -> tuple[Row, list[Row]]:
        rng, clock = self.rng, self.clock
        owner = account.owner
        if status in _APPROVAL and owner.discount_limit >= max(_HIGH_DISCOUNTS):
            status = "sent"  # a manager's discounts need nobody's approval
        created, updated = self._times(opportunity, issue, previous, final=final)
        row = base_row(rng, created, updated)
        discounts = self._discounts(len(lines), owner, status, extra_discount)
        line_rows, total = self._line_rows(row, lines, price_list, discounts)
        self.last_total = int(total.quantize(Decimal(1), rounding=ROUND_HALF_UP))
        needs_approval = max(discounts) > owner.discount_limit
        approved = needs_approval and status not in ("draft", "pending_approval")
        approved_at = (
            min(clock.now, created + dt.timedelta(hours=rng.randint(1, 24))) if approved else None
        )
        weeks = rng.choice(_DELIVERY_WEEKS)
        terms = "\n".join(
            [rng.choice(PAYMENT_TERMS), *(t.format(weeks=weeks) for t in QUOTE_TERMS)]
        )
        row.update(
            # a revision keeps the number of the quote it revises
            number=previous["number"] if previous else self.next_number(owner, issue.year),
            account_id=account.id,
            contact_id=_contact(rng, account),
            opportunity_id=opportunity["id"],
            owner_id=owner.id,
            revision=2 if previous else 1,
            previous_quote_id=previous["id"] if previous else None,
            status=status,
            currency="EUR",
            price_list_id=price_list,
            issue_date=issue,
            valid_until=issue + dt.timedelta(days=VALIDITY_DAYS),
            terms=terms,
            notes=rng.choice(QUOTE_NOTES) if rng.random() < 0.3 else None,
            approved_by_id=self.team.manager.id if approved else None,
            approved_at=max(created, approved_at) if approved_at else None,
            customer_note=None,
            sent_at=max(created, approved_at or created) if status in _SENT else None,
            pdf_sha256=None,
            decision_note=None,
            # chosen without a random draw, so the rest of the data set stays as it was
            rejection_reason=(
                QUOTE_REJECTION_REASONS[len(lines) % len(QUOTE_REJECTION_REASONS)]
                if status == "rejected"
                else None
            ),
        )
        return row, line_rows

    def _times(
        self, opportunity: Row, issue: dt.date, previous: Row | None, *, final: bool
    ) -> tuple[dt.datetime, dt.datetime]:
        """When the quote was created (after its opportunity and previous revision) and updated."""
        rng, clock = self.rng, self.clock
        created = clock.local(issue, rng.randint(9 * 60, 13 * 60))
        created = min(clock.now, max(created, opportunity["created_at"]))
        if previous is not None:
            created = max(created, previous["updated_at"])
        if final and opportunity["stage"] in ("closed_won", "closed_lost"):
            updated = max(created, opportunity["updated_at"])  # decided when the deal closed
        else:
            updated = max(created, min(clock.now, created + dt.timedelta(hours=rng.randint(1, 72))))
        return created, updated

    def _line_rows(
        self, quote: Row, lines: list[Line], price_list: str, discounts: list[Decimal]
    ) -> tuple[list[Row], Decimal]:
        """The quote's line rows and its total before tax."""
        prices = self.catalogue.prices[price_list]
        line_rows: list[Row] = []
        total = Decimal(0)
        quantities = _fit(lines, prices)
        for position, ((product, _), quantity, discount) in enumerate(
            zip(lines, quantities, discounts, strict=True), start=1
        ):
            unit_price = prices[product.id]
            total += quantity * unit_price * (_HUNDRED - discount) / _HUNDRED
            line = base_row(self.rng, quote["created_at"], quote["updated_at"])
            line.update(
                quote_id=quote["id"],
                product_id=product.id,
                description=product.data.name,
                quantity=quantity,
                unit_price=unit_price,
                discount_pct=discount,
                tax_rate_pct=product.tax_rate,
                position=position,
                kind="item",
                optional=False,
            )
            line_rows.append(line)
        return line_rows, total

    def _discounts(self, count: int, owner: Member, status: str, extra: Decimal) -> list[Decimal]:
        rng = self.rng
        discounts = [
            min(rng.choice(_DISCOUNTS) + extra, owner.discount_limit) for _ in range(count)
        ]
        wants_more = status in _APPROVAL or (status != "draft" and rng.random() < 0.08)
        if wants_more and owner.discount_limit < max(_HIGH_DISCOUNTS):
            discounts[rng.randrange(count)] = rng.choice(_HIGH_DISCOUNTS)
        return discounts

    def next_number(self, owner: Member, year: int) -> str:
        """The next number of ``owner``'s quotes of ``year`` (``Q-<rep code>-<year>-<seq>``)."""
        self._sequence[owner.rep_code, year] += 1
        return leased_number(owner.rep_code, year, self._sequence[owner.rep_code, year])


def _fit(lines: list[Line], prices: dict[str, int]) -> list[Decimal]:
    """Quantities adjusted so the quote lands between 1.500 € and 250.000 € before discounts."""
    quantities = [q for _, q in lines]
    total = sum(q * prices[p.id] for (p, _), q in zip(lines, quantities, strict=True))
    if total < MIN_TOTAL:
        price = prices[lines[0][0].id]
        quantities[0] += Decimal(math.ceil((MIN_TOTAL - total) / price))
    elif total > MAX_TOTAL:
        quantities = [Decimal(1)] * len(quantities)
    return quantities


def _contact(rng: random.Random, account: AccountInfo) -> str | None:
    """The decision maker if there is one, else anybody (or nobody)."""
    if not account.contacts:
        return None
    leaders = [c for c in account.contacts if c.decision_maker]
    return (leaders[0] if leaders else rng.choice(account.contacts)).id
