"""The demo's company letterhead and showcase quotes: what a first look at Quotes should find."""

from __future__ import annotations

import base64
import datetime as dt
from decimal import Decimal
from typing import Any

from sfa_desktop.demo.generator import demo_user_id
from sfa_desktop.demo.letterhead import COMPANY_NAME
from sync_server.protocol.catalog import entity
from sync_server.protocol.field_rules import check_field_rules
from sync_server.protocol.formats.images import PNG_SIGNATURE
from sync_server.protocol.quote_totals import LineAmounts, quote_totals
from sync_server.protocol.values import check_wire_value, to_wire

from .conftest import TODAY, Rows
from .test_content import ById, cif_is_valid


def test_the_company_letterhead_is_a_spanish_distributor(small: Rows) -> None:
    (company,) = small["company"]
    assert company["name"] == COMPANY_NAME and company["country"] == "ES"
    assert cif_is_valid(company["tax_id"])
    assert company["address"] and company["postal_code"] and company["city"]
    assert company["phone"].startswith("+34") and "@" in company["email"]
    assert company["bank_line"].startswith("IBAN ES")
    assert "Registro Mercantil" in company["footer"]
    assert "Forma de pago" in company["default_terms"]
    assert company["quote_validity_days"] == 30
    logo = base64.b64decode(company["logo_png"], validate=True)
    assert logo.startswith(PNG_SIGNATURE)
    for spec in entity("company").fields:  # as `sfa-server company set` would store it
        wire = check_wire_value(spec, to_wire(spec, company[spec.name]))
        assert check_field_rules(spec, wire, record=company) == wire, spec.name


def _lines(small: Rows, quote: dict[str, Any]) -> list[dict[str, Any]]:
    return sorted(
        (line for line in small["quote_line"] if line["quote_id"] == quote["id"]),
        key=lambda line: line["position"],
    )


def _mine(small: Rows) -> list[dict[str, Any]]:
    me = demo_user_id(today=TODAY)
    return [q for q in small["quote"] if q["owner_id"] == me]


def test_a_multi_page_quote_with_sections_and_optional_lines(small: Rows, by_id: ById) -> None:
    biggest = max(_mine(small), key=lambda q: len(_lines(small, q)))
    lines = _lines(small, biggest)
    kinds = [line["kind"] for line in lines]
    assert len(lines) >= 60
    assert kinds[0] == "section" and kinds.count("section") >= 6 and "text" in kinds
    assert sum(line["optional"] for line in lines) >= 5
    assert biggest["status"] == "approved" and biggest["valid_until"] >= TODAY
    assert biggest["customer_note"]
    totals = quote_totals(
        [
            LineAmounts(
                kind=line["kind"],
                quantity=line["quantity"],
                unit_price=Decimal(line["unit_price"]) / 100,
                discount_pct=line["discount_pct"],
                tax_rate_pct=line["tax_rate_pct"],
                optional=line["optional"],
            )
            for line in lines
        ],
        "EUR",
    )
    opportunity = by_id["opportunity"][biggest["opportunity_id"]]
    assert opportunity["amount"] == int(totals.subtotal * 100)  # the deal is the quote's net
    assert len(totals.sections) == kinds.count("section")
    assert len(totals.rates) >= 2  # 21 % and the 4 % of the printed manuals


def test_one_quote_awaits_the_managers_approval(small: Rows, by_id: ById) -> None:
    manager = next(u for u in small["user"] if u["role"] == "manager")
    waiting = [q for q in _mine(small) if q["status"] == "pending_approval"]
    assert waiting
    for quote in waiting:
        owner = by_id["user"][quote["owner_id"]]
        assert owner["role"] == "rep" and owner["manager_id"] == manager["id"]
        discounts = [line["discount_pct"] for line in _lines(small, quote)]
        assert max(discounts) > owner["discount_limit_pct"]
        assert quote["approved_by_id"] is None and quote["valid_until"] >= TODAY


def test_one_sent_quote_has_passed_its_valid_until_date(small: Rows) -> None:
    lapsed = [
        q for q in _mine(small) if q["status"] in ("sent", "approved") and q["valid_until"] < TODAY
    ]
    assert lapsed
    opportunity_stages = {o["id"]: o["stage"] for o in small["opportunity"]}
    assert any(opportunity_stages[q["opportunity_id"]] == "proposal" for q in lapsed)


def test_every_status_is_in_the_demo(small: Rows) -> None:
    statuses = {q["status"] for q in small["quote"]}
    assert statuses == {
        "draft",
        "pending_approval",
        "approved",
        "sent",
        "accepted",
        "rejected",
        "expired",
    }
    for quote in small["quote"]:
        assert (quote["rejection_reason"] is not None) is (quote["status"] == "rejected")


def test_showcase_dates_follow_today() -> None:
    """Built around another day, the expired quote is still expired and the others valid."""
    from sfa_desktop.demo.generator import generate

    day = dt.date(2027, 1, 8)
    quotes = [row for entity_name, rows in generate(accounts=30, today=day) for row in rows
              if entity_name == "quote"]  # fmt: skip
    me = demo_user_id(today=day)
    mine = [q for q in quotes if q["owner_id"] == me]
    assert any(q["status"] == "sent" and q["valid_until"] < day for q in mine)
    assert any(q["status"] == "pending_approval" and q["valid_until"] >= day for q in mine)
