"""Sample quote documents for the PDF tests and the quote PDF benchmark (no database)."""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from decimal import Decimal

from sfa_desktop.services.exports.quote_document import (
    CustomerBlock,
    DocumentLanguage,
    DocumentLine,
    Letterhead,
    QuoteDocument,
)

ISSUE_DATE = dt.date(2026, 11, 25)

_PRODUCTS = (
    ("HOR-10GN", "Horno mixto 10 bandejas GN 1/1, limpieza automática", "1234.50", "21"),
    ("ABT-05", "Abatidor de temperatura 5 bandejas", "2890", "21"),
    ("LAV-CAP", "Lavavajillas de capota con descalcificador", "3150.75", "21"),
    ("MES-INOX", "Mesa de trabajo de acero inoxidable 1.800 × 700 mm con peto", "412.30", "21"),
    ("CAM-REF", "Cámara frigorífica modular 2 × 2 m, montaje incluido", "5480", "21"),
    ("FRE-2C", "Freidora eléctrica de 2 cubas de 10 l", "986.40", "21"),
    ("MAN-ANU", "Mantenimiento preventivo anual (2 visitas)", "690", "21"),
    ("FOR-ESP", "Formación del personal de cocina: 4 h in situ", "320", "21"),
    ("LIB-REC", "Libro de recetas para horno mixto (edición en español)", "24.90", "4"),
    ("KIT-HIG", "Kit de higiene alimentaria: cepillos, paños y señalización", "58.25", "10"),
)
_SECTIONS = (
    "Equipamiento de cocina",
    "Refrigeración",
    "Lavado e higiene",
    "Instalación y puesta en marcha",
    "Servicios y formación",
)


def _png(width: int, height: int) -> bytes:
    """A small logo (a blue tile with a light diagonal band), built without any library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = bytearray()
    for y in range(height):
        rows.append(0)
        for x in range(width):
            band = abs((x - y * 2) % 90 - 45) < 9
            rows += bytes((235, 240, 246) if band else (31, 78, 121))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )


LOGO_PNG = _png(120, 48)


def sample_lines(count: int) -> tuple[DocumentLine, ...]:
    """``count`` rows: a section every 12 rows, a text line and an optional item now and then.

    The first item is 1 × 1.234,50 € (its amount reads ``1.234,50 €``).
    """
    lines: list[DocumentLine] = []
    section = 0
    while len(lines) < count:
        position = len(lines)
        if position % 12 == 0:
            lines.append(DocumentLine(_SECTIONS[section % len(_SECTIONS)], kind="section"))
            section += 1
        elif position % 12 == 6:
            lines.append(
                DocumentLine(
                    "Nota: los plazos de entrega se confirman al aceptar el presupuesto; "
                    "incluye transporte a pie de obra en la Comunidad de Madrid.",
                    kind="text",
                )
            )
        else:
            sku, name, price, rate = _PRODUCTS[(position - 1) % len(_PRODUCTS)]
            first = position == 1
            lines.append(
                DocumentLine(
                    name,
                    quantity=Decimal(1) if first else Decimal(1 + position % 4),
                    unit_price=Decimal(price),
                    discount_pct=Decimal(0) if first or position % 5 else Decimal("7.5"),
                    tax_rate_pct=Decimal(rate),
                    optional=position % 12 == 10,
                    sku=sku,
                )
            )
    return tuple(lines)


def sample_document(
    count: int = 20,
    *,
    language: DocumentLanguage = "es",
    status: str = "draft",
    logo: bool = True,
) -> QuoteDocument:
    """A realistic Spanish quote with ``count`` rows."""
    return QuoteDocument(
        letterhead=Letterhead(
            company_name="Suministros Hosteleros Peñalara, S.L.",
            tax_id="B84975310",
            address_lines=("Calle de Alcalá, 123, 3.º izda.", "28009 Madrid, España"),
            logo_png=LOGO_PNG if logo else None,
            bank_line="IBAN ES91 2100 0418 4502 0005 1332 · BIC CAIXESBBXXX",
            footer=(
                "Suministros Hosteleros Peñalara, S.L. Inscrita en el Registro Mercantil de "
                "Madrid, tomo 12.345, folio 67, hoja M-123456."
            ),
            phone="+34 915 550 123",
            email="ventas@penalara.example",
            website="www.penalara.example",
        ),
        customer=CustomerBlock(
            name="Restaurante La Cañada de Begoña, S.A.",
            tax_id="A28123457",
            address_lines=("Avenida de Andalucía, 45", "29007 Málaga"),
            contact_name="María José Núñez Ibáñez",
            contact_email="mjnunez@lacanada.example",
            contact_phone="+34 952 123 456",
        ),
        number="Q-MNU-2026-0042",
        revision=2,
        issue_date=ISSUE_DATE,
        valid_until=ISSUE_DATE + dt.timedelta(days=30),
        currency="EUR",
        language=language,
        status=status,
        lines=sample_lines(count),
        terms=(
            "Forma de pago: 30 % a la aceptación y el resto a la entrega, por transferencia.\n"
            "Plazo de entrega: 4 a 6 semanas desde la aceptación.\n\n"
            "Garantía de dos años en piezas y mano de obra según condiciones del fabricante."
        ),
        note=(
            "Estimada María José: gracias por su interés. Le enviamos la propuesta revisada "
            "tras nuestra visita del pasado martes, con la cámara frigorífica ampliada."
        ),
        prepared_by="Manuel Ortiz\nmanuel.ortiz@penalara.example",
    )
