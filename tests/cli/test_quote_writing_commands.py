"""``sfa quote new | submit`` on a demo profile (offline, no server)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from demo.profiles import build_demo_file

from cli.test_quote_commands import TODAY, Run, db_rows, expected_totals
from sfa_desktop.i18n import set_language
from sfa_desktop.store.paths import DATABASE_FILENAME

DEMO_DAY = TODAY


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_file(tmp_path_factory.mktemp("demo-quote-new"), accounts=40, today=DEMO_DAY)


@pytest.fixture
def demo_folder(demo_file: Path, tmp_path: Path) -> Path:
    """The demo profile as built (it leases itself a block of quote numbers)."""
    profile = tmp_path / "profile"
    profile.mkdir()
    shutil.copy2(demo_file, profile / DATABASE_FILENAME)
    return profile


@pytest.fixture
def bare_folder(demo_folder: Path) -> Path:
    """The demo profile as if never synced: without quote numbers."""
    with sqlite3.connect(demo_folder / DATABASE_FILENAME) as connection:
        connection.execute("DELETE FROM quote_number_blocks")
        connection.execute("DELETE FROM app_meta WHERE key LIKE 'quote_number_%'")
    return demo_folder


def _me(folder: Path) -> tuple[str, str, Decimal]:
    (user_id,) = db_rows(folder, "SELECT value FROM app_meta WHERE key = 'user_id'")[0]
    rep_code, limit = db_rows(
        folder, "SELECT rep_code, discount_limit_pct FROM users WHERE id = ?", user_id
    )[0]
    return user_id, rep_code, Decimal(str(limit))


@pytest.fixture
def folder(bare_folder: Path) -> Path:
    """The demo profile after a first sync leased it a block of quote numbers."""
    _user, rep_code, _limit = _me(bare_folder)
    with sqlite3.connect(bare_folder / DATABASE_FILENAME) as connection:
        connection.execute(
            "INSERT INTO quote_number_blocks (rep_code, year, first_seq, last_seq, next_seq)"
            " VALUES (?, ?, 501, 600, 501)",
            (rep_code, DEMO_DAY.year),
        )
    return bare_folder


@pytest.fixture(autouse=True)
def english() -> None:
    set_language("en")


@pytest.fixture
def sfa(folder: Path) -> Run:
    return Run(folder)


def _account(folder: Path) -> str:
    return str(
        db_rows(folder, "SELECT id FROM accounts WHERE deleted_at IS NULL ORDER BY id")[0][0]
    )


def _price_list(folder: Path) -> str:
    return str(
        db_rows(
            folder,
            "SELECT id FROM price_lists WHERE active AND currency = 'EUR' ORDER BY name",
        )[0][0]
    )


def _skus(folder: Path) -> list[str]:
    rows = db_rows(
        folder, "SELECT sku FROM products WHERE active AND kind = 'product' ORDER BY sku"
    )
    return [row[0] for row in rows]


def _counts(folder: Path) -> tuple[int, ...]:
    return tuple(
        db_rows(folder, f"SELECT count(*) FROM {table}")[0][0]
        for table in ("quotes", "quote_lines", "sync_outbox")
    )


def test_new_makes_a_draft_priced_from_the_list(sfa: Run, folder: Path) -> None:
    first, second = _skus(folder)[:2]
    before = _counts(folder)
    made = sfa.json(
        "quote",
        "new",
        "--account",
        _account(folder)[:8],
        "--price-list",
        _price_list(folder),
        "--line",
        f"{first}:2",
        "--line",
        f"{second}:1.5:7.5",
    )
    _user, rep_code, _limit = _me(folder)
    assert made["number"] == f"Q-{rep_code}-{DEMO_DAY.year}-0501"
    assert (made["status"], made["currency"]) == ("draft", "EUR")
    assert Decimal(made["total"]) == expected_totals(folder, made["id"]).total > 0
    after = _counts(folder)
    assert tuple(a - b for a, b in zip(after, before, strict=True)) == (1, 2, 3)
    shown = sfa.json("quote", "show", made["number"])
    assert [line["sku"] for line in shown["lines"]] == [first, second]
    assert [line["discount_pct"] for line in shown["lines"]] == ["0", "7.5"]
    assert (
        sfa("quote", "new", "--account", _account(folder), "--price-list", _price_list(folder)) == 0
    )
    assert sfa.out.startswith(f"Q-{rep_code}-{DEMO_DAY.year}-0502 ")


@pytest.mark.parametrize(
    ("arguments", "status", "words"),
    [
        (["--line", "NO-SUCH-SKU:1"], 1, "NO-SUCH-SKU"),
        (["--line", "{sku}:0"], 1, "more than zero"),
        (["--line", "{sku}:-1"], 1, "more than zero"),
        (["--line", "{sku}:many"], 2, "not a number"),
        (["--line", "{sku}"], 2, "SKU:QTY"),
        (["--line", "{sku}:1:150"], 1, "between"),
    ],
)
def test_a_bad_line_is_one_line_on_stderr_and_nothing_written(
    sfa: Run, folder: Path, arguments: list[str], status: int, words: str
) -> None:
    sku = _skus(folder)[0]
    before = _counts(folder)
    argv = [a.format(sku=sku) for a in arguments]
    account = _account(folder)
    assert (
        sfa("quote", "new", "--account", account, "--price-list", _price_list(folder), *argv)
        == status
    )
    assert sfa.out == ""
    assert len(sfa.err.splitlines()) == 1 and words in sfa.err, sfa.err
    assert _counts(folder) == before


def test_an_unknown_account_is_one_line_on_stderr(sfa: Run, folder: Path) -> None:
    before = _counts(folder)
    sku = _skus(folder)[0]
    assert sfa("quote", "new", "--account", "nobody-here", "--line", f"{sku}:1") == 1
    assert sfa.err == "sfa: account_id: There is no account with id “nobody-here”.\n"
    assert _counts(folder) == before


def test_before_the_first_sync_there_is_no_number(bare_folder: Path) -> None:
    sfa = Run(bare_folder)
    before = _counts(bare_folder)
    sku = _skus(bare_folder)[0]
    argv = ["--account", _account(bare_folder), "--price-list", _price_list(bare_folder)]
    assert sfa("quote", "new", *argv, "--line", f"{sku}:1") == 1
    assert "sync once" in sfa.err and len(sfa.err.splitlines()) == 1
    assert _counts(bare_folder) == before


def test_submit_approves_within_the_limit_and_asks_beyond_it(sfa: Run, folder: Path) -> None:
    _user, _rep, limit = _me(folder)
    sku = _skus(folder)[0]
    argv = ["--account", _account(folder), "--price-list", _price_list(folder)]
    within = sfa.json("quote", "new", *argv, "--line", f"{sku}:1:{limit}")
    beyond = sfa.json("quote", "new", *argv, "--line", f"{sku}:1:{limit + 1}")
    assert sfa("quote", "submit", within["number"]) == 0
    assert sfa.out == "Approved\n"
    submitted = sfa.json("quote", "submit", beyond["id"])
    assert submitted == {
        "id": beyond["id"],
        "number": beyond["number"],
        "status": "pending_approval",
    }
    assert sfa("quote", "submit", beyond["number"]) == 1
    assert len(sfa.err.splitlines()) == 1 and "draft" in sfa.err
    statuses = dict(
        db_rows(
            folder, "SELECT id, status FROM quotes WHERE id IN (?, ?)", within["id"], beyond["id"]
        )
    )
    assert statuses == {within["id"]: "approved", beyond["id"]: "pending_approval"}
    pushed = db_rows(
        folder,
        "SELECT value FROM sync_outbox WHERE record_id = ? AND op = 'set' AND field = 'status'",
        within["id"],
    )
    assert [json.loads(value) for (value,) in pushed] == ["approved"]


def test_an_empty_quote_cannot_be_submitted(sfa: Run, folder: Path) -> None:
    made = sfa.json(
        "quote", "new", "--account", _account(folder), "--price-list", _price_list(folder)
    )
    assert sfa("quote", "submit", made["number"]) == 1
    assert "no lines" in sfa.err


def test_the_demo_profile_makes_quotes_offline_as_built(demo_folder: Path) -> None:
    """No sync needed: the demo leased itself numbers after the demo's own quotes."""
    sfa = Run(demo_folder)
    _user, rep_code, _limit = _me(demo_folder)
    prefix = f"Q-{rep_code}-{DEMO_DAY.year}-"
    numbers = [
        n for (n,) in db_rows(demo_folder, "SELECT number FROM quotes") if n.startswith(prefix)
    ]
    highest = max(int(n.removeprefix(prefix)) for n in numbers)
    sku = _skus(demo_folder)[0]
    argv = ["--account", _account(demo_folder), "--price-list", _price_list(demo_folder)]
    made = sfa.json("quote", "new", *argv, "--line", f"{sku}:1")
    assert made["number"] == f"{prefix}{highest + 1:04d}"
    assert made["number"] not in numbers
