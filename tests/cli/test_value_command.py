"""``sfa value show``: an account's value figures with their formulas, and its tier."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from demo.profiles import build_demo_file

from cli.offline import OfflineRun, db_rows, profile_copy
from sfa_desktop.i18n import set_language

DEMO_DAY = dt.date(2026, 11, 25)
NOW = dt.datetime(2026, 11, 25, 9, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return Path(build_demo_file(tmp_path_factory.mktemp("demo-value"), accounts=60, today=DEMO_DAY))


@pytest.fixture
def folder(demo_file: Path, tmp_path: Path) -> Path:
    return profile_copy(demo_file, tmp_path)


@pytest.fixture(autouse=True)
def english_in_madrid(monkeypatch: pytest.MonkeyPatch) -> None:
    set_language("en")
    monkeypatch.setenv("TZ", "Europe/Madrid")


def _a_customer(folder: Path) -> str:
    rows = db_rows(
        folder,
        "SELECT account_id FROM opportunities WHERE stage = 'closed_won' AND deleted_at IS NULL "
        "ORDER BY amount DESC LIMIT 1",
    )
    return str(rows[0][0])


def test_json_gives_every_figure_with_its_inputs(folder: Path) -> None:
    sfa = OfflineRun(folder, NOW)
    account = _a_customer(folder)
    document = sfa.json("value", "show", account)
    assert document["account_id"] == account and document["currency"] == "EUR"
    assert document["strategic_tier"] in ("mvc", "mgc", "other", "bz")
    assert document["pareto_tier"] in ("A", "B", "C")
    figures = {f["key"]: f for f in document["figures"]}
    assert Decimal(figures["historic"]["amount"]) > 0
    ltv = figures["lifetime_value"]
    margin, r = Decimal(ltv["inputs"]["margin"]), Decimal(ltv["inputs"]["retention"])
    d = Decimal(ltv["inputs"]["discount_pct"]) / 100
    assert Decimal(ltv["amount"]) == pytest.approx(margin * r / (1 + d - r), rel=Decimal("0.001"))
    cost = figures["cost_to_serve"]["inputs"]
    assert cost["visit_cost"] == "60.00"
    assert "×" in figures["cost_to_serve"]["formula"]


def test_text_in_spanish_and_unknown_account(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sfa = OfflineRun(folder, NOW)
    monkeypatch.setenv("LANGUAGE", "es")
    assert sfa("value", "show", _a_customer(folder)) == 0
    assert "Valor de vida del cliente" in sfa.out and "visitas ×" in sfa.out
    assert sfa("value", "show", "no-such-account") == 1
    assert sfa.err
