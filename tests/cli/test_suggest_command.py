"""``sfa suggest ACCOUNT_ID``: the account page's suggestions and next action, as text and JSON."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from demo.profiles import build_demo_file

from cli.offline import OfflineRun, db_rows, profile_copy
from sfa_desktop.i18n import set_language

DEMO_DAY = dt.date(2026, 11, 25)
NOW = dt.datetime(2026, 11, 25, 7, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_file(tmp_path_factory.mktemp("demo-suggest"), accounts=120, today=DEMO_DAY)


@pytest.fixture
def folder(demo_file: Path, tmp_path: Path) -> Path:
    return profile_copy(demo_file, tmp_path)


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    set_language("en")
    monkeypatch.setenv("TZ", "Europe/Madrid")


@pytest.fixture
def sfa(folder: Path) -> OfflineRun:
    return OfflineRun(folder, NOW)


def _customers(folder: Path) -> list[str]:
    rows = db_rows(
        folder,
        "SELECT DISTINCT account_id FROM quotes WHERE status = 'accepted' AND deleted_at IS NULL"
        " ORDER BY account_id",
    )
    return [row[0] for row in rows]


def test_json_lists_suggestions_with_their_figures(sfa: OfflineRun, folder: Path) -> None:
    documents = [sfa.json("suggest", account) for account in _customers(folder)]
    rules = [s for d in documents for s in d["suggestions"] if s["kind"] == "cross_sell"]
    assert rules
    for rule in rules:
        assert 0 < float(rule["confidence"]) <= 1
        assert float(rule["lift"]) >= 1.2
        assert rule["customers"] >= 3
        assert " of customers who buy " in rule["reason"]
    bought = {
        (row[0], row[1])
        for row in db_rows(
            folder,
            "SELECT q.account_id, l.product_id FROM quotes q JOIN quote_lines l"
            " ON l.quote_id = q.id WHERE q.status = 'accepted'",
        )
    }
    for document in documents:
        for suggestion in document["suggestions"]:
            assert (document["account_id"], suggestion["product_id"]) not in bought
    actions = [d["next_action"] for d in documents if d["next_action"]]
    assert actions
    for action in actions:
        assert action["text"].startswith("Next: ")
        if action["marketing"] and action["channel"] in ("email", "chat"):
            consent = db_rows(
                folder, "SELECT marketing_consent FROM contacts WHERE id = ?", action["contact_id"]
            )
            assert consent == [(1,)]


def test_text_output_names_the_action_and_the_products(sfa: OfflineRun, folder: Path) -> None:
    account = _customers(folder)[0]
    document = sfa.json("suggest", account)
    assert sfa("suggest", account) == 0
    lines = sfa.out.splitlines()
    if document["next_action"]:
        assert lines[0] == document["next_action"]["text"]
    for suggestion in document["suggestions"]:
        assert any(suggestion["sku"] in line and suggestion["name"] in line for line in lines)


def test_an_unknown_account_is_one_line_on_stderr(sfa: OfflineRun) -> None:
    assert sfa("suggest", "no-such-account") == 1
    assert sfa.out == ""
    assert len(sfa.err.splitlines()) == 1
