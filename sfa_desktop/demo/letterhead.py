"""The demo supplier's company settings: the letterhead and quote defaults of its quote PDFs.

One ``company`` record (server-managed, read-only on clients): a Spanish distributor of
industrial and commercial equipment near Madrid, with a logo drawn here pixel by pixel (no
image library), so the same code always gives the same PNG bytes.
"""

from __future__ import annotations

import base64
import random
import struct
import zlib
from decimal import Decimal
from functools import cache

from .context import Clock, Row, base_row
from .tax_ids import cif
from .team import COMPANY_DOMAIN
from .texts import QUOTE_TERMS

COMPANY_NAME = "Ibertec Equipamiento Profesional, S.L."
COMPANY_TAX_ID = cif("B", 8427319)
QUOTE_VALIDITY_DAYS = 30
DEFAULT_TERMS = "\n".join(
    [
        "Forma de pago: transferencia a 30 días fecha factura.",
        *(t.format(weeks="3-4") for t in QUOTE_TERMS),
    ]
)
FOOTER = (
    f"{COMPANY_NAME} · Inscrita en el Registro Mercantil de Madrid, tomo 31.842, folio 112, "
    "hoja M-572931. Sus datos se tratan para gestionar esta oferta; puede ejercer sus derechos "
    f"en protecciondedatos@{COMPANY_DOMAIN}."
)

#: the logo's side in pixels (printed 18 mm high: about 340 dpi)
LOGO_SIZE = 240
_NAVY = (24, 61, 104)
_ORANGE = (232, 119, 34)
_WHITE = (255, 255, 255)


def company_row(rng: random.Random, clock: Clock) -> Row:
    """The one company record."""
    created = clock.between(rng, clock.now.replace(year=clock.now.year - 4), clock.now)
    row = base_row(rng, created, clock.between(rng, created, clock.now))
    row.update(
        name=COMPANY_NAME,
        tax_id=COMPANY_TAX_ID,
        address="Avenida de la Industria, 32, nave 7",
        postal_code="28108",
        city="Alcobendas",
        country="ES",
        phone="+34916614380",
        email=f"comercial@{COMPANY_DOMAIN}",
        website=f"https://www.{COMPANY_DOMAIN}",  # canonical, as the server stores it
        bank_line="IBAN ES91 2100 0418 4502 0005 1332 · BIC CAIXESBBXXX",
        footer=FOOTER,
        default_terms=DEFAULT_TERMS,
        quote_validity_days=QUOTE_VALIDITY_DAYS,
        logo_png=logo_base64(),
        # What customers are worth: the catalog's defaults, written out as a company would
        currency="EUR",
        default_margin_pct=Decimal("30"),
        visit_cost=6000,
        meeting_cost=3000,
        call_cost=800,
        email_cost=200,
        ltv_discount_pct=Decimal("10"),
        cadence_mvc_days=14,
        cadence_mgc_days=21,
        cadence_other_days=45,
        cadence_bz_days=90,
    )
    return row


@cache
def logo_base64() -> str:
    return base64.b64encode(logo_png()).decode("ascii")


def logo_png() -> bytes:
    """The logo: a rounded navy tile with three rising bars, the tallest orange (the company's
    name prints under it, so the mark carries no lettering)."""
    width = height = LOGO_SIZE
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # PNG filter: none
        for x in range(width):
            rows += bytes(_mark(x, y, height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + _chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def _mark(x: int, y: int, size: int) -> tuple[int, int, int]:
    """The colour at ``(x, y)``: outside the rounded corners white, the bars, else navy."""
    radius = size // 6
    cx = min(max(x, radius), size - 1 - radius)
    cy = min(max(y, radius), size - 1 - radius)
    if (x - cx) ** 2 + (y - cy) ** 2 > radius**2:
        return _WHITE
    unit = size // 10
    base = size - 2 * unit
    for index, top in enumerate((6, 4, 2)):
        left = 2 * unit + index * 2 * unit
        if left <= x < left + int(1.4 * unit) and top * unit <= y < base:
            return _ORANGE if index == 2 else _WHITE
    return _NAVY
