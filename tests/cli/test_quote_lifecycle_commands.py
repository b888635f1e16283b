"""``sfa quote approve | reject | withdraw | revise | send | accept`` on a demo profile (offline).

The profile's signed-in user is the demo rep; "as the manager" switches the profile's user to
the rep's manager, as if the manager's laptop held the same records after a sync.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from demo.profiles import build_demo_file

from cli.test_quote_commands import NOW, Run, db_rows
from cli.test_quote_writing_commands import DEMO_DAY, _account, _me, _price_list, _skus
from sfa_desktop.i18n import set_language
from sfa_desktop.services.editing import create_record, load_edit_context, update_record
from sfa_desktop.services.profile import open_profile_database
from sfa_desktop.services.quote_sending import SENT_QUOTES_FOLDER
from sfa_desktop.store.paths import DATABASE_FILENAME


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_file(tmp_path_factory.mktemp("demo-lifecycle"), accounts=40, today=DEMO_DAY)


@pytest.fixture
def folder(demo_file: Path, tmp_path: Path) -> Path:
    """The demo profile after a first sync leased it a block of quote numbers."""
    profile = tmp_path / "profile"
    profile.mkdir()
    shutil.copy2(demo_file, profile / DATABASE_FILENAME)
    _user, rep_code, _limit = _me(profile)
    with sqlite3.connect(profile / DATABASE_FILENAME) as connection:
        connection.execute(
            "INSERT INTO quote_number_blocks (rep_code, year, first_seq, last_seq, next_seq)"
            " VALUES (?, ?, 501, 600, 501)",
            (rep_code, DEMO_DAY.year),
        )
    return profile


@pytest.fixture(autouse=True)
def english() -> None:
    set_language("en")


@pytest.fixture
def sfa(folder: Path) -> Run:
    return Run(folder)


def _counts(folder: Path) -> tuple[int, ...]:
    return tuple(
        db_rows(folder, f"SELECT count(*) FROM {table}")[0][0]
        for table in ("quotes", "quote_lines", "sync_outbox", "opportunities")
    )


def _set_user(folder: Path, user_id: str) -> None:
    with sqlite3.connect(folder / DATABASE_FILENAME) as connection:
        connection.execute("UPDATE app_meta SET value = ? WHERE key = 'user_id'", (user_id,))


def _manager(folder: Path) -> str:
    user, _rep, _limit = _me(folder)
    (manager,) = db_rows(folder, "SELECT manager_id FROM users WHERE id = ?", user)[0]
    return str(manager)


class AsManager:
    """Runs a command with the rep's manager signed in on the profile, then the rep again."""

    def __init__(self, sfa: Run, folder: Path) -> None:
        self.sfa, self.folder = sfa, folder
        self.rep, _code, _limit = _me(folder)
        self.manager = _manager(folder)

    def __call__(self, *argv: str) -> int:
        _set_user(self.folder, self.manager)
        try:
            return self.sfa(*argv)
        finally:
            _set_user(self.folder, self.rep)

    def json(self, *argv: str) -> Any:
        _set_user(self.folder, self.manager)
        try:
            return self.sfa.json(*argv)
        finally:
            _set_user(self.folder, self.rep)


@pytest.fixture
def manager(sfa: Run, folder: Path) -> AsManager:
    return AsManager(sfa, folder)


def _account_with_contact(folder: Path) -> tuple[str, str]:
    rows = db_rows(
        folder,
        "SELECT a.id, c.id FROM accounts a JOIN contacts c ON c.account_id = a.id"
        " WHERE c.email IS NOT NULL AND a.country = 'ES' ORDER BY a.id, c.id",
    )
    return str(rows[0][0]), str(rows[0][1])


def _pending(sfa: Run, folder: Path) -> dict[str, Any]:
    _user, _rep, limit = _me(folder)
    account, contact = _account_with_contact(folder)
    made = sfa.json(
        "quote",
        "new",
        "--account",
        account,
        "--contact",
        contact,
        "--price-list",
        _price_list(folder),
        "--line",
        f"{_skus(folder)[0]}:4:{limit + 5}",
    )
    assert sfa.json("quote", "submit", made["number"])["status"] == "pending_approval"
    return dict(made)


def _approved(sfa: Run, folder: Path, manager: AsManager) -> dict[str, Any]:
    made = _pending(sfa, folder)
    assert manager("quote", "approve", made["number"]) == 0
    return made


def test_only_the_manager_approves(sfa: Run, folder: Path, manager: AsManager) -> None:
    made = _pending(sfa, folder)
    before = _counts(folder)
    assert sfa("quote", "approve", made["number"]) == 1
    assert sfa.out == "" and len(sfa.err.splitlines()) == 1
    assert "manager" in sfa.err
    assert _counts(folder) == before
    approved = manager.json("quote", "approve", made["number"], "--note", "Cliente clave")
    assert approved == {
        "id": made["id"],
        "number": made["number"],
        "revision": 1,
        "status": "approved",
    }
    note, approver = db_rows(
        folder, "SELECT decision_note, approved_by_id FROM quotes WHERE id = ?", made["id"]
    )[0]
    assert (note, approver) == ("Cliente clave", manager.manager)


def test_reject_returns_a_request_or_records_the_customer_s_no(
    sfa: Run, folder: Path, manager: AsManager, tmp_path: Path
) -> None:
    pending = _pending(sfa, folder)
    assert manager("quote", "reject", pending["number"], "--note", "Máximo 15 %") == 0
    assert sfa.out == "Draft\n"
    assert db_rows(folder, "SELECT decision_note FROM quotes WHERE id = ?", pending["id"]) == [
        ("Máximo 15 %",)
    ]
    assert sfa("quote", "reject", pending["number"]) == 2  # --note is required
    sent = _approved(sfa, folder, manager)
    sfa.json("quote", "send", sent["number"], "--out-dir", str(tmp_path))
    rejected = sfa.json("quote", "reject", sent["number"], "--note", "Plazo de entrega")
    assert rejected["status"] == "rejected"
    assert db_rows(folder, "SELECT rejection_reason FROM quotes WHERE id = ?", sent["id"]) == [
        ("Plazo de entrega",)
    ]


def test_withdraw_and_revise(sfa: Run, folder: Path, manager: AsManager) -> None:
    pending = _pending(sfa, folder)
    assert sfa.json("quote", "withdraw", pending["id"])["status"] == "draft"
    assert sfa("quote", "revise", pending["number"]) == 1
    assert "cannot be revised" in sfa.err and len(sfa.err.splitlines()) == 1
    approved = _approved(sfa, folder, manager)
    assert sfa("quote", "revise", approved["number"]) == 0
    number, revision, new_id = sfa.out.split()[0], sfa.out.split()[2], sfa.out.split()[3]
    assert (number, revision) == (approved["number"], "2")
    shown = sfa.json("quote", "show", approved["number"])  # the number finds the latest
    assert shown["quote"]["id"] == new_id
    assert shown["quote"]["previous_quote_id"] == approved["id"]
    assert sfa("quote", "revise", approved["id"]) == 1
    assert "newer revision" in sfa.err


def test_send_writes_the_draft_and_the_pdf(
    sfa: Run, folder: Path, manager: AsManager, tmp_path: Path
) -> None:
    made = _approved(sfa, folder, manager)
    out = tmp_path / "to-send"
    assert sfa("quote", "send", made["number"], "--out-dir", str(out), "--lang", "en") == 0
    eml, pdf = (Path(line) for line in sfa.out.splitlines())
    assert (eml, pdf) == (out / f"{made['number']}.eml", out / f"{made['number']}.pdf")
    assert sfa.err == ""
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert message["Subject"].startswith(f"Quote {made['number']}")
    (attachment,) = list(message.iter_attachments())  # type: ignore[attr-defined]
    (stored,) = db_rows(folder, "SELECT pdf_sha256 FROM quotes WHERE id = ?", made["id"])[0]
    assert hashlib.sha256(attachment.get_content()).hexdigest() == stored
    assert hashlib.sha256(pdf.read_bytes()).hexdigest() == stored
    assert sfa("quote", "send", made["number"]) == 1
    assert "not approved" in sfa.err and len(sfa.err.splitlines()) == 1


def test_send_defaults_to_the_profile_folder_and_says_when_there_is_no_recipient(
    sfa: Run, folder: Path, manager: AsManager
) -> None:
    made = sfa.json(
        "quote",
        "new",
        "--account",
        _account(folder),
        "--price-list",
        _price_list(folder),
        "--line",
        f"{_skus(folder)[0]}:1",
    )
    sfa.json("quote", "submit", made["number"])
    sent = sfa("quote", "send", made["number"], "--json")
    assert sent == 0
    assert "no recipient" in sfa.err
    document = json.loads(sfa.out)
    assert document["recipient"] is None
    assert Path(document["eml"]).parent == folder / SENT_QUOTES_FOLDER
    assert document["status"] == "sent"


def _link_opportunity(folder: Path, quote_id: str, amount: int) -> None:
    """The rep links the quote to an opportunity of the account (as the app would)."""
    database = open_profile_database(folder)
    try:
        with database.session() as session:
            ctx = load_edit_context(session, now=lambda: NOW)
            (account,) = db_rows(folder, "SELECT account_id FROM quotes WHERE id = ?", quote_id)[0]
            opportunity = create_record(
                session,
                ctx,
                "opportunity",
                {"account_id": account, "name": "Reforma", "amount": amount, "currency": "EUR"},
            )
            update_record(session, ctx, "quote", quote_id, {"opportunity_id": opportunity})
    finally:
        database.close()


def test_accept_asks_which_amount_when_they_differ(
    sfa: Run, folder: Path, manager: AsManager, tmp_path: Path
) -> None:
    made = _pending(sfa, folder)
    sfa.json("quote", "withdraw", made["number"])
    _link_opportunity(folder, made["id"], 1)
    sfa.json("quote", "submit", made["number"])
    manager.json("quote", "approve", made["number"])
    sfa.json("quote", "send", made["number"], "--out-dir", str(tmp_path))
    before = _counts(folder)
    assert sfa("quote", "accept", made["number"]) == 1
    assert len(sfa.err.splitlines()) == 1 and "--set-amount" in sfa.err
    assert "--keep-amount" in sfa.err
    assert _counts(folder) == before
    assert sfa("quote", "accept", made["number"], "--set-amount", "--keep-amount") == 2
    accepted = sfa.json("quote", "accept", made["number"], "--set-amount")
    assert accepted["status"] == "accepted" and accepted["amount_set"] is True
    stage, amount = db_rows(
        folder, "SELECT stage, amount FROM opportunities WHERE id = ?", accepted["opportunity_id"]
    )[0]
    assert stage == "closed_won"
    assert amount == round(float(accepted["net_total"]) * 100)


def test_an_unknown_quote_is_one_line_on_stderr(sfa: Run, folder: Path) -> None:
    before = _counts(folder)
    for action in ("approve", "withdraw", "revise", "send", "accept"):
        assert sfa("quote", action, "Q-NOBODY-1") == 1, action
        assert len(sfa.err.splitlines()) == 1, sfa.err
    assert sfa("quote", "reject", "Q-NOBODY-1", "--note", "x") == 1
    assert _counts(folder) == before
