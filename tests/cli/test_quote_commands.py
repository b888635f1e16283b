"""``sfa quote list | show | pdf`` on a demo profile (read only, no server)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from babel import numbers as babel_numbers
from demo.profiles import build_demo_file
from pypdf import PdfReader

from cli.offline import OfflineRun, db_rows, profile_copy
from sfa_desktop.i18n import set_language
from sfa_desktop.i18n.languages import FORMATTING_LOCALES
from sync_server.protocol.quote_totals import LineAmounts, minor_unit_digits, quote_totals

DEMO_DAY = dt.date(2026, 11, 25)
#: "today" for the commands: ten days after the demo's day, so some quotes have lapsed
TODAY = DEMO_DAY + dt.timedelta(days=10)
NOW = dt.datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_file(tmp_path_factory.mktemp("demo-quotes"), accounts=250, today=DEMO_DAY)


@pytest.fixture
def folder(demo_file: Path, tmp_path: Path) -> Path:
    return profile_copy(demo_file, tmp_path)


@pytest.fixture(autouse=True)
def english() -> None:
    set_language("en")


class Run(OfflineRun):
    def __init__(self, folder: Path) -> None:
        super().__init__(folder, NOW)


@pytest.fixture
def sfa(folder: Path) -> Run:
    return Run(folder)


def expected_totals(folder: Path, quote_id: str) -> Any:
    (currency,) = db_rows(folder, "SELECT currency FROM quotes WHERE id = ?", quote_id)[0]
    rows = db_rows(
        folder,
        "SELECT kind, quantity, unit_price, discount_pct, tax_rate_pct, optional FROM quote_lines"
        " WHERE quote_id = ? AND deleted_at IS NULL ORDER BY position",
        quote_id,
    )
    lines = [
        LineAmounts(
            kind=kind,
            quantity=Decimal(str(qty)),
            unit_price=Decimal(price).scaleb(-minor_unit_digits(currency)),
            discount_pct=Decimal(str(discount)),
            tax_rate_pct=Decimal(str(tax)),
            optional=bool(optional),
        )
        for kind, qty, price, discount, tax, optional in rows
    ]
    return quote_totals(lines, currency)


def test_list_counts_every_live_quote_and_filters_by_status(sfa: Run, folder: Path) -> None:
    (live,) = db_rows(folder, "SELECT count(*) FROM quotes WHERE deleted_at IS NULL")[0]
    assert live > 150
    listing = sfa.json("quote", "list", "--limit", "1000")
    assert listing["count"] == live == len(listing["quotes"])
    first = listing["quotes"][0]
    assert set(first) >= {"id", "number", "revision", "account_name", "status", "total"}
    assert Decimal(first["total"]) == expected_totals(folder, first["id"]).total
    accepted = sfa.json("quote", "list", "--status", "accepted", "--limit", "1000")
    (stored,) = db_rows(folder, "SELECT count(*) FROM quotes WHERE status = 'accepted'")[0]
    assert accepted["count"] == stored > 0
    assert {q["status"] for q in accepted["quotes"]} == {"accepted"}
    page = sfa.json("quote", "list", "--limit", "10", "--offset", "5")
    assert [q["id"] for q in page["quotes"]] == [q["id"] for q in listing["quotes"][5:15]]
    assert sfa("quote", "list", "--limit", "3") == 0
    assert len(sfa.out.strip().splitlines()) == 4 and "number" in sfa.out


def test_a_lapsed_quote_is_listed_as_expired(sfa: Run, folder: Path) -> None:
    lapsed = {
        row[0]
        for row in db_rows(
            folder,
            "SELECT id FROM quotes WHERE status IN ('pending_approval', 'approved', 'sent')"
            " AND valid_until < ?",
            TODAY.isoformat(),
        )
    }
    stored_expired = {
        row[0] for row in db_rows(folder, "SELECT id FROM quotes WHERE status = ?", "expired")
    }
    assert lapsed
    expired = sfa.json("quote", "list", "--status", "expired", "--limit", "1000")
    assert {q["id"] for q in expired["quotes"]} == lapsed | stored_expired
    sent = sfa.json("quote", "list", "--status", "sent", "--limit", "1000")
    assert not {q["id"] for q in sent["quotes"]} & lapsed
    one = next(q for q in expired["quotes"] if q["id"] in lapsed)
    assert one["stored_status"] in ("pending_approval", "approved", "sent")
    assert sfa.json("quote", "show", one["number"])["quote"]["status"] == "expired"


def test_show_gives_lines_in_position_order_and_the_one_rules_totals(
    sfa: Run, folder: Path
) -> None:
    quote_id, number = db_rows(
        folder,
        "SELECT q.id, q.number FROM quotes q JOIN quote_lines l ON l.quote_id = q.id"
        # the latest revision: a number names it
        " WHERE NOT EXISTS (SELECT 1 FROM quotes r WHERE r.previous_quote_id = q.id)"
        " GROUP BY q.id HAVING count(*) >= 3 ORDER BY q.number LIMIT 1",
    )[0]
    shown = sfa.json("quote", "show", number)
    assert shown["quote"]["id"] == quote_id
    positions = [line["position"] for line in shown["lines"]]
    assert positions == sorted(positions) and len(positions) >= 3
    expected = expected_totals(folder, quote_id)
    totals = shown["totals"]
    assert Decimal(totals["total"]) == expected.total
    assert Decimal(totals["subtotal"]) == expected.subtotal
    assert Decimal(totals["tax_total"]) == expected.tax_total
    assert [Decimal(line["net"]) for line in shown["lines"]] == list(expected.line_nets)
    assert sfa.json("quote", "show", quote_id[:8])["quote"]["id"] == quote_id
    assert sfa("quote", "show", number) == 0
    assert number in sfa.out and f"{expected.total} EUR" in sfa.out


def locale_money(amount: Decimal, currency: str, language: str) -> str:
    text = babel_numbers.format_currency(amount, currency, locale=FORMATTING_LOCALES[language])
    return " ".join(str(text).split())


def pdf_text(path: Path) -> str:
    reader = PdfReader(path)
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_pdf_of_a_spanish_account_is_in_spanish_with_the_totals(
    sfa: Run, folder: Path, tmp_path: Path
) -> None:
    quote_id, number = db_rows(
        folder,
        "SELECT q.id, q.number FROM quotes q JOIN accounts a ON a.id = q.account_id"
        # the latest revision: a number names it
        " WHERE a.country = 'ES' AND q.currency = 'EUR' AND q.status <> 'expired'"
        " AND q.valid_until >= ? ORDER BY q.number, q.revision DESC LIMIT 1",
        TODAY.isoformat(),  # an expired quote gives no PDF
    )[0]
    out = tmp_path / "quote.pdf"
    assert sfa("quote", "pdf", number, "--out", str(out)) == 0, sfa.err
    assert out.read_bytes().startswith(b"%PDF")
    text = pdf_text(out)
    total = expected_totals(folder, quote_id).total
    assert number in text
    assert locale_money(total, "EUR", "es") in text  # "1.234,50 €"
    assert "PRESUPUESTO" in text
    english = tmp_path / "quote-en.pdf"
    assert sfa("quote", "pdf", number, "--out", str(english), "--lang", "en") == 0
    assert locale_money(total, "EUR", "en") in pdf_text(english)  # "€1,234.50"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_unknown_quote_is_one_line_and_exit_1(sfa: Run, tmp_path: Path) -> None:
    for argv in (
        ("quote", "show", "Q-NOPE-0000"),
        ("quote", "pdf", "Q-NOPE-0000", "--out", str(tmp_path / "x.pdf")),
    ):
        assert sfa(*argv) == 1
        lines = sfa.err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("sfa: ")
        assert sfa.out == ""
    assert not (tmp_path / "x.pdf").exists()
    assert sfa("quote", "list", "--status", "lost") == 2


def test_pdf_to_an_unwritable_place_says_so_and_writes_nothing(
    sfa: Run, folder: Path, tmp_path: Path
) -> None:
    (number,) = db_rows(
        folder,
        "SELECT number FROM quotes WHERE status <> 'expired' AND valid_until >= ?"
        " ORDER BY number, revision DESC LIMIT 1",
        TODAY.isoformat(),
    )[0]
    missing = tmp_path / "no-such-folder" / "q.pdf"
    assert sfa("quote", "pdf", number, "--out", str(missing)) == 1
    assert sfa.err.startswith("sfa: cannot write") and str(missing) in sfa.err
    assert not missing.parent.exists()
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if not _can_write(locked):
            assert sfa("quote", "pdf", number, "--out", str(locked / "q.pdf")) == 1
            assert len(sfa.err.strip().splitlines()) == 1
            assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)
    assert sfa("quote", "pdf", number, "--out", str(tmp_path)) == 1
    assert "cannot write" in sfa.err


def _can_write(folder: Path) -> bool:
    """True when running as root (permissions do not stop root)."""
    probe = folder / ".probe"
    try:
        probe.write_bytes(b"")
    except OSError:
        return False
    probe.unlink()
    return True


def test_no_pdf_of_an_expired_quote(sfa: Run, folder: Path, tmp_path: Path) -> None:
    """A client must not receive an offer that no longer holds: one line, no file."""
    expired = sfa.json("quote", "list", "--status", "expired", "--limit", "1")["quotes"][0]
    target = tmp_path / "out"
    target.mkdir()
    out = target / "expired.pdf"
    assert sfa("quote", "pdf", expired["number"], "--out", str(out)) != 0
    assert "expired" in sfa.err.lower() and sfa.err.count("\n") == 1
    assert list(target.iterdir()) == []
