"""The demo user's showcase quotes: what a first look at the Quotes workspace should find.

* a multi-page project quote (sections with subtotals, free text lines, optional items), its
  discounts above the rep's limit already approved by the manager: ready to send;
* a quote awaiting the manager's approval (a discount above the rep's limit);
* a sent quote whose valid-until date has passed (shown as expired);
* a draft started today, to carry on editing.

Each comes with its own open opportunity on one of the demo user's Spanish accounts of the
first chunk. They draw from their own random stream, so the rest of the data set does not
change with them; their numbers follow the demo user's other numbers of the year.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from sync_server.protocol.catalog import STAGE_DEFAULT_PROBABILITY
from sync_server.protocol.quote_totals import LineAmounts, quote_totals

from .accounts import AccountInfo
from .catalogue import Catalogue
from .context import Clock, Row, base_row
from .quotes import VALIDITY_DAYS, QuoteFactory
from .team import Team
from .texts import PAYMENT_TERMS, QUOTE_TERMS


@dataclass(frozen=True, slots=True)
class Item:
    """A priced line: ``detail`` is appended to ``name`` (default: the product's name)."""

    sku: str
    quantity: int | str
    detail: str = ""
    discount: str = "0"
    optional: bool = False
    name: str = ""


@dataclass(frozen=True, slots=True)
class Section:
    title: str


@dataclass(frozen=True, slots=True)
class Text:
    text: str


Plan = tuple[Item | Section | Text, ...]


@dataclass(frozen=True, slots=True)
class Showcase:
    """One showcase quote and its opportunity."""

    opportunity: str
    stage: str
    forecast: str
    status: str
    #: days before today of the issue date
    issued_days_ago: int
    plan: Plan
    next_step: str
    #: the industries of the accounts it fits, best first (else any of the demo user's)
    industries: tuple[str, ...]
    customer_note: str | None = None


def _aisles() -> tuple[Item, ...]:
    quantities = (6, 6, 6, 6, 5, 5, 5, 5, 4, 4, 3, 3)
    return tuple(
        Item("EL-EST-MOD", q, f"pasillo {n}", "8", name="Estantería de carga paletizada")
        for n, q in enumerate(quantities, start=1)
    )


def _rooms() -> tuple[Item, ...]:
    rooms = ("sala de reuniones", "oficina de tráfico", "dirección", "comedor", "recepción")
    return tuple(Item("CL-SPL-071", 1, room, "5") for room in rooms)


# fmt: off
LOGISTICS_CENTRE: Plan = (
    Section("Muelles de carga y recepción"),
    Item("EL-TRA-150", 4, "muelles 1 a 4", "5"),
    *(Item("CL-COR-150", 1, f"puerta de muelle {n}") for n in range(1, 7)),
    Item("SE-EXT-PQS", 6, "zona de muelles"),
    Text("Las cortinas de aire se montan sobre las puertas seccionales existentes; "
         "la acometida eléctrica hasta cada puerta corre por cuenta del cliente."),
    Section("Almacén: estanterías de carga paletizada"),
    *_aisles(),
    Item("SV-INS-PEM", 2, "montaje de estanterías (por cada 6 pasillos)"),
    Text("Incluye placas de características, protecciones de puntal y cálculo de cargas "
         "firmado según UNE-EN 15512."),
    Section("Almacén: equipos de manutención"),
    Item("EL-CAR-E18", 2, "", "12"),
    Item("EL-API-160", 1, "", "7.5"),
    Item("EL-HOR-150", 1, "para la carretilla diésel existente"),
    Item("EL-CAB-CER", 1, "para la carretilla diésel existente", optional=True),
    Item("LI-BAT-LIT", 2, "baterías de repuesto", optional=True),
    Section("Sala de compresores"),
    Item("AC-TOR-150", 1, "", "10"),
    Item("AC-SEC-120", 1),
    Item("AC-DEP-500", 1),
    Item("AC-FIL-KIT", 1),
    Item("AC-REC-CAL", 1, "agua caliente para vestuarios", optional=True),
    Item("SV-INS-PEM", 1, "sala de compresores y red de aire"),
    Section("Energía y recarga"),
    Item("EN-FV-010", 1, "cubierta de la nave A", "5"),
    Item("EN-FV-010", 1, "cubierta de la nave B", "5"),
    Item("EN-BAT-010", 1, "almacenamiento para la nave A", optional=True),
    Item("EN-SAI-010", 1, "sala de servidores"),
    *(Item("EN-CAR-VE", 1, f"aparcamiento, plaza {n}") for n in range(1, 5)),
    Text("La legalización de la instalación fotovoltaica y la gestión de las ayudas "
         "del programa de autoconsumo están incluidas."),
    Section("Climatización de oficinas y vestuarios"),
    *_rooms(),
    Item("CL-CAS-100", 2, "oficina diáfana", "5"),
    Item("CL-WIF-CTR", 1),
    Item("CL-BDC-012", 1, "agua caliente de vestuarios"),
    Section("Seguridad y protección contra incendios"),
    Item("SE-INC-DET", 1, "naves A y B"),
    Item("SE-EXT-CO2", 8, "cuadros eléctricos y sala de servidores"),
    Item("SE-EXT-PQS", 18, "pasillos y oficinas"),
    Item("SE-CCTV-08", 1, "perímetro"),
    Item("SE-CCTV-08", 1, "interior de las naves", optional=True),
    Item("SE-ALM-KIT", 1, "oficinas"),
    Item("SV-REV-REG", 1, "alta de la instalación contra incendios"),
    Section("Limpieza"),
    Item("LI-FRE-CON", 1, "", "7.5"),
    Item("LI-BAR-IND", 1, "zona exterior de muelles", optional=True),
    Item("LI-HID-200", 1),
    Item("LI-DET-020", 12, "primer suministro"),
    Section("Formación, documentación y mantenimiento"),
    Item("SV-FOR-JOR", 3, "carretilleros (turnos de mañana, tarde y noche)"),
    Item("DO-MAN-PRL", 12, "un ejemplar por operario"),
    Item("DO-GUI-MNT", 2),
    Item("SV-MNT-INT", 1, "primer año, todos los equipos de la oferta"),
    Item("SV-MNT-PRE", 1, "climatización", optional=True),
    Item("SV-DES-TEC", 1),
    Text("El mantenimiento integral se renueva cada año; el precio del segundo año se "
         "revisa con el IPC."),
)

COMPRESSOR_ROOM: Plan = (
    Section("Compresores"),
    Item("AC-TOR-370", 1, "", "15"),
    Item("AC-REC-CAL", 1, "agua caliente de proceso", "10"),
    Item("AC-SEC-120", 2),
    Item("AC-FIL-KIT", 1, "", "5"),
    Section("Instalación y servicios"),
    Item("SV-INS-PEM", 1, "retirada del compresor antiguo incluida"),
    Item("SV-MNT-PRE", 1, "primer año"),
    Item("SV-MNT-INT", 1, "en lugar del preventivo", optional=True),
)

OFFICE_COOLING: Plan = (
    Item("CL-SPL-071", 3, "oficinas de planta primera", "5"),
    Item("CL-CAS-100", 1, "sala de formación"),
    Item("CL-WIF-CTR", 1),
    Item("SV-INS-PEM", 1),
)
CLEANING_FLEET: Plan = (
    Item("LI-FRE-050", 2, "", "5"),
    Item("LI-BAT-LIT", 2),
    Item("LI-DET-020", 6),
    Text("Pendiente de confirmar si sustituyen también la barredora."),
)
# fmt: on

SHOWCASES = (
    Showcase(
        opportunity="Equipamiento integral del nuevo centro logístico",
        stage="negotiation",
        forecast="commit",
        status="approved",
        issued_days_ago=3,
        plan=LOGISTICS_CENTRE,
        next_step="Enviar la oferta aprobada y cerrar fecha de montaje",
        industries=("Distribución", "Industria", "Construcción"),
        customer_note=(
            "Como acordamos en la visita a las naves, le presentamos la oferta completa del "
            "equipamiento del nuevo centro logístico, por zonas. Las partidas opcionales se "
            "muestran aparte y no suman en el total."
        ),
    ),
    Showcase(
        opportunity="Nueva sala de compresores",
        stage="proposal",
        forecast="best_case",
        status="pending_approval",
        issued_days_ago=1,
        plan=COMPRESSOR_ROOM,
        next_step="Esperar la aprobación del descuento y enviar la oferta",
        industries=("Industria", "Distribución"),
    ),
    Showcase(
        opportunity="Climatización de oficinas",
        stage="proposal",
        forecast="pipeline",
        status="sent",
        issued_days_ago=VALIDITY_DAYS + 14,
        plan=OFFICE_COOLING,
        next_step="Llamar para renovar la oferta caducada",
        industries=("Salud", "Educación", "Hostelería"),
    ),
    Showcase(
        opportunity="Renovación de maquinaria de limpieza",
        stage="qualification",
        forecast="pipeline",
        status="draft",
        issued_days_ago=0,
        plan=CLEANING_FLEET,
        next_step="Terminar la oferta tras la demostración de la fregadora",
        industries=("Hostelería", "Salud", "Educación", "Distribución"),
    ),
)


class ShowcaseFactory:
    """Makes the showcase opportunities, quotes and lines for the demo user."""

    def __init__(
        self,
        rng: random.Random,
        clock: Clock,
        team: Team,
        catalogue: Catalogue,
        quotes: QuoteFactory,
    ) -> None:
        self.rng = rng
        self.clock = clock
        self.team = team
        self.catalogue = catalogue
        self.quotes = quotes

    def make(self, infos: list[AccountInfo]) -> tuple[list[Row], list[Row], list[Row]]:
        """Opportunities, quotes and lines of the showcases, on the demo user's accounts in
        ``infos`` (Spanish ones with contacts first); nothing when the demo user has none."""
        mine = [i for i in infos if i.owner is self.team.me]
        opportunities: list[Row] = []
        quotes: list[Row] = []
        lines: list[Row] = []
        if not mine:
            return opportunities, quotes, lines
        used: set[str] = set()
        for showcase in SHOWCASES:
            account = _fitting(mine, showcase, used)
            used.add(account.id)
            opportunity, quote, quote_lines = self._make(account, showcase)
            opportunities.append(opportunity)
            quotes.append(quote)
            lines += quote_lines
        return opportunities, quotes, lines

    def _make(self, account: AccountInfo, showcase: Showcase) -> tuple[Row, Row, list[Row]]:
        rng, clock = self.rng, self.clock
        issue = clock.today - dt.timedelta(days=showcase.issued_days_ago)
        issued_at = min(clock.now, clock.local(issue, rng.randint(9 * 60, 12 * 60)))
        start = account.created + dt.timedelta(days=1)
        opened = clock.between(rng, max(start, issued_at - dt.timedelta(days=40)), issued_at)
        opened = min(opened, issued_at)
        created = max(issued_at, opened)
        updated = min(clock.now, created + dt.timedelta(hours=rng.randint(1, 6)))
        opportunity = base_row(rng, opened, max(opened, updated))
        quote = base_row(rng, created, updated)
        price_list = self.catalogue.general_id
        line_rows = self._lines(quote, showcase.plan, price_list)
        amount = _net_minor(line_rows)
        opportunity.update(
            account_id=account.id,
            owner_id=account.owner.id,
            name=showcase.opportunity,
            stage=showcase.stage,
            amount=amount,
            currency="EUR",
            probability=STAGE_DEFAULT_PROBABILITY[showcase.stage],
            expected_close_date=clock.today + dt.timedelta(days=rng.randint(14, 45)),
            forecast_category=showcase.forecast,
            lost_reason=None,
            next_step=showcase.next_step,
        )
        approved = showcase.status == "approved"
        terms = "\n".join([PAYMENT_TERMS[1], *(t.format(weeks="4-6") for t in QUOTE_TERMS)])
        quote.update(
            number=self.quotes.next_number(account.owner, issue.year),
            account_id=account.id,
            contact_id=_decision_maker(account),
            opportunity_id=opportunity["id"],
            owner_id=account.owner.id,
            revision=1,
            previous_quote_id=None,
            status=showcase.status,
            currency="EUR",
            price_list_id=price_list,
            issue_date=issue,
            valid_until=issue + dt.timedelta(days=VALIDITY_DAYS),
            terms=terms,
            notes=None,
            approved_by_id=self.team.manager.id if approved else None,
            approved_at=updated if approved else None,
            customer_note=showcase.customer_note,
            sent_at=updated if showcase.status == "sent" else None,
            pdf_sha256=None,
            decision_note="Aprobado: cliente estratégico en la zona." if approved else None,
            rejection_reason=None,
        )
        return opportunity, quote, line_rows

    def _lines(self, quote: Row, plan: Plan, price_list: str) -> list[Row]:
        """The line rows of ``plan``."""
        prices = self.catalogue.prices[price_list]
        rows: list[Row] = []
        for position, entry in enumerate(plan, start=1):
            row = base_row(self.rng, quote["created_at"], quote["updated_at"])
            row.update(
                quote_id=quote["id"],
                product_id=None,
                quantity=Decimal(1),
                unit_price=0,
                discount_pct=Decimal(0),
                tax_rate_pct=Decimal(0),
                position=position,
                optional=False,
            )
            if isinstance(entry, Item):
                product = self.catalogue.by_sku[entry.sku]
                name = entry.name or product.data.name
                quantity, discount = Decimal(entry.quantity), Decimal(entry.discount)
                row.update(
                    product_id=product.id,
                    description=f"{name} — {entry.detail}" if entry.detail else name,
                    quantity=quantity,
                    unit_price=prices[product.id],
                    discount_pct=discount,
                    tax_rate_pct=product.tax_rate,
                    kind="item",
                    optional=entry.optional,
                )
            elif isinstance(entry, Section):
                row.update(description=entry.title, kind="section")
            else:
                row.update(description=entry.text, kind="text")
            rows.append(row)
        return rows


def _net_minor(lines: list[Row]) -> int:
    """The quote's total before tax in cents, by the one totals rule."""
    totals = quote_totals(
        [
            LineAmounts(
                kind=line["kind"],
                quantity=line["quantity"],
                unit_price=Decimal(line["unit_price"]).scaleb(-2),
                discount_pct=line["discount_pct"],
                tax_rate_pct=line["tax_rate_pct"],
                optional=line["optional"],
            )
            for line in lines
        ],
        "EUR",
    )
    return int(totals.subtotal.scaleb(2))


def _fitting(accounts: list[AccountInfo], showcase: Showcase, used: set[str]) -> AccountInfo:
    """The first of ``accounts`` that suits ``showcase`` best: in Spain, with contacts, of one
    of its industries (the earlier the better), not yet used by another showcase."""

    def rank(account: AccountInfo) -> tuple[bool, bool, bool, int]:
        industries = showcase.industries
        name = account.industry.name
        return (
            account.id in used,
            account.city.country != "ES",
            not account.contacts,
            industries.index(name) if name in industries else len(industries),
        )

    return min(accounts, key=rank)


def _decision_maker(account: AccountInfo) -> str | None:
    """The first decision maker, else the first contact (or nobody)."""
    leaders = [c for c in account.contacts if c.decision_maker] or account.contacts
    return leaders[0].id if leaders else None
