"""``sfa``: every command, its --json shape, and every error path (one line, non-zero)."""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path
from typing import Any

import httpx
import pytest
from server.helpers import PASSWORD, Team
from store.full_disk import KINDS, full_disk
from sync.harness import SERVER_URL, Fleet, Profile

from sfa_desktop.cli import main
from sfa_desktop.i18n import set_language
from sfa_desktop.store.database import open_database
from sfa_desktop.sync.tokens import SERVICE, TokenStore
from sfa_desktop.sync.transport import RetryPolicy
from sync_server.api.deps import ServerState

from .conftest import Sfa


def out_json(capsys: pytest.CaptureFixture[str]) -> Any:
    captured = capsys.readouterr()
    assert captured.err == ""
    return json.loads(captured.out)


def one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("sfa: ")
    return lines[0]


@pytest.fixture(autouse=True)
def english() -> None:
    set_language("en")


def signed_in(sfa: Sfa, team: Team, capsys: pytest.CaptureFixture[str]) -> None:
    assert sfa.login(team.rep_a.email) == 0
    assert sfa("sync") == 0
    capsys.readouterr()


def test_login_sync_status_and_logout(
    sfa: Sfa, team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    assert sfa.login(team.rep_a.email) == 0
    login_output = capsys.readouterr().out
    assert "Signed in as" in login_output and "Synced: 0 sent" in login_output
    assert len(sfa.keyring.entries) == 1 and next(iter(sfa.keyring.entries))[0] == SERVICE
    assert not any(
        b"correct horse" in p.read_bytes() or p.suffix == ".token"
        for p in sfa.folder.rglob("*")
        if p.is_file()
    )
    assert sfa("sync", "--json") == 0
    report = out_json(capsys)
    assert set(report) >= {"pushed", "pulled", "conflicts", "rejected", "duration"}
    assert report["pulled"] == 0  # the login synced everything already; this one is incremental
    assert sfa("status", "--json") == 0
    status = out_json(capsys)
    assert status["server"] == "http://testserver"
    assert status["user"]["email"] == team.rep_a.email
    assert status["last_sync"]["ok"] is True
    assert (status["pending_changes"], status["open_conflicts"]) == (0, 0)
    assert sfa("status") == 0
    assert "Pending changes" in capsys.readouterr().out
    assert sfa("logout") == 0
    assert sfa.keyring.entries == {}
    capsys.readouterr()
    assert sfa("sync") == 1
    assert "Sign in" in one_error_line(capsys)


def test_record_commands(sfa: Sfa, team: Team, capsys: pytest.CaptureFixture[str]) -> None:
    signed_in(sfa, team, capsys)
    assert sfa("add", "accounts", "--set", "name=Ferretería Martínez", "--set", "city=Soria") == 0
    account = capsys.readouterr().out.strip()
    assert len(account) == 36
    assert (
        sfa(
            "add",
            "opportunity",
            "--json",
            "--set",
            f"account_id={account}",
            "--set",
            "name=Renovación",
            "--set",
            "amount=1250.50",
            "--set",
            "expected_close_date=2026-12-31",
        )
        == 0
    )
    opportunity = out_json(capsys)["id"]
    assert (
        sfa(
            "add",
            "visit",
            "--set",
            f"account_id={account}",
            "--set",
            "planned_start=2026-12-01T09:00+01:00",
            "--set",
            "subject=Demo",
        )
        == 0
    )
    capsys.readouterr()
    assert (
        sfa(
            "add",
            "contact",
            "--set",
            f"account_id={account}",
            "--set",
            "first_name=Lucía",
            "--set",
            "marketing_consent=yes",
            "--set",
            "consent_at=2026-11-20T10:00+01:00",
            "--set",
            "consent_source=Feria de Zaragoza",
        )
        == 0
    )
    capsys.readouterr()
    assert sfa("list", "account", "--json", "--search", "ferreteria") == 0
    listing = out_json(capsys)
    assert (listing["entity"], listing["count"]) == ("account", 1)
    assert listing["records"][0]["id"] == account and listing["records"][0]["pending"] is True
    assert sfa("show", "opportunities", opportunity, "--json") == 0
    shown = out_json(capsys)
    assert shown["record"]["amount"] == 125050
    assert shown["record"]["expected_close_date"] == "2026-12-31"
    assert "amount" in shown["pending_fields"]
    assert sfa("show", "visit", sfa_id(sfa, "visit", capsys), "--json") == 0
    assert out_json(capsys)["record"]["planned_start"] == "2026-12-01T08:00:00.000000Z"
    assert sfa("edit", "account", account[:13], "--set", "city=Huesca", "--set", "tags=a, b") == 0
    assert "Changed: city, tags" in capsys.readouterr().out
    assert sfa("show", "account", account) == 0
    text = capsys.readouterr().out
    assert "Huesca" in text and "* not yet synced" in text
    assert sfa("list", "opportunities") == 0
    assert "1250.50 EUR" in capsys.readouterr().out
    assert sfa("sync") == 0
    assert "4 sent" in capsys.readouterr().out or True
    assert sfa("delete", "account", account, "--json") == 0
    assert out_json(capsys) == {"entity": "account", "id": account, "deleted": True}
    assert sfa("list", "accounts", "--json") == 0
    assert out_json(capsys)["count"] == 0


def sfa_id(sfa: Sfa, entity: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert sfa("list", entity, "--json") == 0
    return str(out_json(capsys)["records"][0]["id"])


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (("add", "account", "--set", "colour=red", "--set", "name=X"), "no field “colour”"),
        (
            ("add", "account", "--set", "name=X", "--set", "visit_cadence_days=often"),
            "valid number",
        ),
        (("add", "account", "--set", "name=", "--set", "email=nope"), "email"),
        (("add", "opportunity", "--set", "amount=12.345"), "valid amount"),
        (("add", "product", "--set", "name=X"), "not a kind of record"),
        (("show", "account", "01234567-0000-7000-8000-000000000000"), "no longer exists"),
        (("edit", "account", "nope", "--set", "name=X"), "no longer exists"),
        (("delete", "contact", "0123456789"), "no longer exists"),
        (("conflicts", "resolve", "0123", "--keep", "mine"), "no conflict"),
    ],
)
def test_bad_input_gives_one_line_and_exit_1(
    sfa: Sfa,
    team: Team,
    capsys: pytest.CaptureFixture[str],
    argv: tuple[str, ...],
    fragment: str,
) -> None:
    signed_in(sfa, team, capsys)
    assert sfa(*argv) == 1
    assert fragment in one_error_line(capsys)
    assert sfa("status", "--json") == 0
    assert out_json(capsys)["pending_changes"] == 0  # nothing half-written


@pytest.mark.parametrize(
    "limit", ["99999999999999999999", "1000001", "0", "-5", "ten", "1e3", "", "٣"]
)
def test_numeric_options_are_bounded_with_one_line(
    sfa: Sfa, capsys: pytest.CaptureFixture[str], limit: str
) -> None:
    assert sfa("list", "account", "--limit", limit) == 2
    assert one_error_line(capsys) == (
        f"sfa: argument --limit: “{limit}” is not a whole number from 1 to 1000000"
    )


@pytest.mark.parametrize(
    "argv",
    [("frobnicate",), ("list",), ("edit", "account", "x"), ("add", "account", "--set", "name")],
)
def test_usage_errors_exit_2(
    sfa: Sfa, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    assert sfa(*argv) == 2
    one_error_line(capsys)


def test_sign_in_and_network_errors(
    sfa: Sfa, team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    assert sfa.login(team.rep_a.email, password="wrong") == 1
    assert "Wrong email or password" in one_error_line(capsys)
    sfa.http.offline = True
    assert sfa.login(team.rep_a.email) == 1
    assert "cannot be reached" in one_error_line(capsys)
    sfa.http.offline = False
    assert sfa.login(team.rep_a.email) == 0
    capsys.readouterr()
    sfa.http.offline = True
    assert sfa("sync") == 1
    assert "cannot be reached" in one_error_line(capsys)
    assert sfa("status", "--json") == 0
    last = out_json(capsys)["last_sync"]
    assert (last["ok"], last["code"]) == (False, "server_unreachable")


def test_a_rate_limited_sign_in_says_at_once_how_long_to_wait(
    sfa: Sfa,
    team: Team,
    state: ServerState,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for _ in range(state.settings.login_max_failures_per_account):
        assert sfa.login(team.rep_a.email, password="wrong") == 1
    capsys.readouterr()
    slept: list[float] = []
    env = sfa.env(stdin=PASSWORD + "\n")
    env.retry = RetryPolicy(sleep=slept.append)  # the command's own policy, minus the waiting
    argv = ["--data-dir", str(sfa.folder), "login", "--server", SERVER_URL]
    argv += ["--email", team.rep_a.email, "--password-stdin"]
    assert main(argv, env=env) == 1
    assert slept == []  # answered at once: no retries against the limit
    assert re.fullmatch(
        r"sfa: Too many attempts\. Try again in 1[45] minutes\.", one_error_line(capsys)
    )
    monkeypatch.setenv("LANGUAGE", "es")
    assert main(argv, env=sfa.env(stdin=PASSWORD + "\n")) == 1
    assert "Vuelve a intentarlo en 1" in one_error_line(capsys)


@pytest.mark.parametrize(
    "server",
    [
        "ftp://sfa.example.com",
        "mailto:ana@example.com",
        "not an address",
        "https://sfa.example.com:99999",
        "file:///etc/passwd",
    ],
)
def test_login_to_something_that_is_not_an_http_address_says_so(
    sfa: Sfa, team: Team, capsys: pytest.CaptureFixture[str], server: str
) -> None:
    argv = ("login", "--server", server, "--email", team.rep_a.email, "--password-stdin")
    assert sfa(*argv, stdin=PASSWORD + "\n") == 1
    assert "is not a valid server address" in one_error_line(capsys)
    assert sfa.http.requests == []  # nothing was sent anywhere


def test_login_to_a_port_that_never_answers_gives_up_after_its_timeout(
    sfa: Sfa, team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.create_server(("127.0.0.1", 0)) as silent, httpx.Client(timeout=0.2) as http:
        env = sfa.env(stdin=PASSWORD + "\n")
        env.http, env.retry = http, RetryPolicy(sleep=lambda seconds: None)
        server = f"http://127.0.0.1:{silent.getsockname()[1]}"
        argv = ["--data-dir", str(sfa.folder), "login", "--server", server]
        assert main([*argv, "--email", team.rep_a.email, "--password-stdin"], env=env) == 1
    assert one_error_line(capsys) == (
        "sfa: The server did not answer within 0.2 seconds. Try again later; your changes are kept."
    )


@pytest.mark.parametrize("kind", KINDS)
def test_a_full_disk_still_lists_and_says_the_disk_is_full_on_a_change(
    sfa: Sfa,
    team: Team,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    kind: str,
) -> None:
    with full_disk(kind, tmp_path, monkeypatch) as disk:
        ana = Sfa(sfa.http.app, disk.folder, sfa.keyring, sfa.clock)  # type: ignore[arg-type]
        signed_in(ana, team, capsys)
        assert ana("add", "account", "--set", "name=Uno") == 0
        account = capsys.readouterr().out.strip()
        assert ana("show", "account", account, "--json") == 0
        before = out_json(capsys)
        with disk.full():
            assert ana("list", "account") == 0
            assert "Uno" in capsys.readouterr().out
            assert ana("edit", "account", account, "--set", "name=Dos") == 1
            assert one_error_line(capsys) == (
                f"sfa: The disk holding “{disk.folder / 'sfa.sqlite3'}” is full. "
                "Free some space and try again; what you were saving was not saved."
            )
            assert sorted(p.name for p in disk.folder.iterdir()) == ["sfa.sqlite3"]
        assert ana("show", "account", account, "--json") == 0
        assert out_json(capsys) == before  # nothing of the edit, in the record or the outbox


def test_locked_and_corrupt_databases(
    sfa: Sfa, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_database(sfa.folder / "sfa.sqlite3"):
        assert sfa("list", "accounts") == 1
        assert "in use by another copy" in one_error_line(capsys)
    other = Sfa(sfa.http.app, tmp_path / "broken", sfa.keyring, sfa.clock)  # type: ignore[arg-type]
    other.folder.mkdir()
    (other.folder / "sfa.sqlite3").write_bytes(b"this is not a database" * 100)
    assert other("status") == 1
    assert "damaged" in one_error_line(capsys)


def test_messages_follow_the_language(
    sfa: Sfa, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LANGUAGE", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    assert sfa("sync") == 1
    assert "No has iniciado sesión" in one_error_line(capsys)


def account_shared_with_the_boss(
    sfa: Sfa, team: Team, fleet: Fleet, capsys: pytest.CaptureFixture[str]
) -> tuple[Profile, str]:
    """Ana signed in, adds an account (Uno, Soria) and syncs; her manager's profile pulls it."""
    signed_in(sfa, team, capsys)
    boss = fleet.profile("boss", team.manager)
    assert sfa("add", "account", "--set", "name=Uno", "--set", "city=Soria") == 0
    account = capsys.readouterr().out.strip()
    assert sfa("sync") == 0
    boss.sync()
    return boss, account


def test_conflicts_list_and_resolve(
    sfa: Sfa, team: Team, fleet: Fleet, capsys: pytest.CaptureFixture[str]
) -> None:
    boss, account = account_shared_with_the_boss(sfa, team, fleet, capsys)
    boss.edit("account", account, city="Teruel")
    sfa.clock.advance(seconds=30)
    assert sfa("edit", "account", account, "--set", "city=Huesca") == 0  # later: kept
    boss.sync()
    assert sfa("sync") == 0
    assert "1 new conflict" in capsys.readouterr().out
    assert sfa("conflicts", "--json") == 0
    (conflict,) = out_json(capsys)["conflicts"]
    assert (conflict["field"], conflict["kept_value"], conflict["lost_value"]) == (
        "city",
        "Huesca",
        "Teruel",
    )
    assert conflict["record_title"] == "Uno"
    assert sfa("conflicts") == 0
    assert "Teruel" in capsys.readouterr().out
    # ana's value was kept, so "theirs" restores the manager's value as a new edit
    assert sfa("conflicts", "resolve", conflict["id"], "--keep", "theirs") == 0
    assert "restored" in capsys.readouterr().out
    assert sfa("sync") == 0
    capsys.readouterr()
    assert sfa("conflicts", "--json") == 0
    assert out_json(capsys)["conflicts"] == []
    assert sfa("conflicts", "resolve", conflict["id"], "--keep", "mine") == 1
    assert "already been resolved" in one_error_line(capsys)
    boss.sync()
    row = boss.get("account", account)
    assert row is not None and row["city"] == "Teruel"
    resolved = boss.get("conflict", conflict["id"])
    assert resolved is not None and resolved["resolved"] is True


def test_keeping_an_edit_that_lost_to_a_delete_brings_the_record_back(
    sfa: Sfa, team: Team, fleet: Fleet, capsys: pytest.CaptureFixture[str]
) -> None:
    boss, account = account_shared_with_the_boss(sfa, team, fleet, capsys)
    boss.delete("account", account)
    boss.sync()
    assert sfa("edit", "account", account, "--set", "city=Huesca") == 0
    assert sfa("sync") == 0
    capsys.readouterr()
    assert sfa("conflicts", "--json") == 0
    (conflict,) = out_json(capsys)["conflicts"]
    assert conflict["reason"] == "record_deleted" and conflict["lost_value"] == "Huesca"
    assert sfa("conflicts", "resolve", conflict["id"], "--keep", "mine") == 0
    assert "restored" in capsys.readouterr().out
    assert sfa("sync") == 0
    boss.sync()
    row = boss.get("account", account)
    assert row is not None and row["deleted_at"] is None and row["city"] == "Huesca"


def test_conflicts_also_lists_the_changes_the_server_did_not_take(
    sfa: Sfa, team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    signed_in(sfa, team, capsys)
    assert sfa("add", "account", "--set", "name=Uno", "--set", f"owner_id={team.rep_c.id}") == 0
    account = capsys.readouterr().out.strip()
    assert sfa("edit", "account", account, "--set", "city=Soria") == 0
    capsys.readouterr()
    assert sfa("sync", "--json") == 0
    assert out_json(capsys)["rejected"] == 2
    assert sfa("conflicts", "--json") == 0
    listed = out_json(capsys)
    assert listed["conflicts"] == []
    assert [(r["op"], r["field"], r["code"]) for r in listed["rejected"]] == [
        ("set", "city", "create_refused"),
        ("create", None, "forbidden"),
    ]
    assert sfa("conflicts") == 0
    out = capsys.readouterr().out
    assert "No open conflicts." in out and "did not take" in out and "Soria" in out


def test_without_a_keyring_each_run_asks_for_the_password(
    sfa: Sfa, team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    from keyring.backends import fail

    sfa.tokens = TokenStore(fail.Keyring())  # this run's memory only, like a machine without one
    assert sfa.login(team.rep_a.email) == 0
    assert "asked for your password again" in capsys.readouterr().err
    sfa.tokens = TokenStore(fail.Keyring())  # a new run: the token is gone
    assert sfa("add", "account", "--set", "name=Bodegas Soria") == 0
    capsys.readouterr()
    assert sfa("sync") == 1  # no terminal to ask on, no --password-stdin
    assert "Sign in" in one_error_line(capsys)
    assert sfa("sync", "--password-stdin", stdin="wrong\n") == 1
    assert "Wrong email or password" in one_error_line(capsys)
    assert sfa("sync", "--json", "--password-stdin", stdin=PASSWORD + "\n") == 0
    assert out_json(capsys)["pushed"] == 1
    assert not any(p.suffix == ".token" for p in sfa.folder.rglob("*"))


def test_adding_an_account_like_another_in_its_city_warns_and_strict_refuses(
    sfa: Sfa, team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    signed_in(sfa, team, capsys)
    first = ("add", "account", "--set", "name=Ferretería Martínez S.L.", "--set", "city=Zaragoza")
    assert sfa(*first) == 0
    original = capsys.readouterr().out.strip()
    alike = ("add", "account", "--set", "name=FERRETERIA MARTINEZ", "--set", "city=zaragoza")
    assert sfa(*alike, "--strict") == 3
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines()[0] == "Warning: accounts with a similar name in the same city:"
    assert f"{original}  Ferretería Martínez S.L. · Zaragoza · " in captured.err
    assert sfa("list", "account", "--search", "ferreteria") == 0
    assert capsys.readouterr().out.count("Ferret") == 1  # nothing added
    assert sfa(*alike) == 0  # without --strict: added, with the warning
    captured = capsys.readouterr()
    assert captured.out.strip() and "Ferretería Martínez S.L." in captured.err
    elsewhere = ("add", "account", "--set", "name=Ferretería Martínez", "--set", "city=Huesca")
    assert sfa(*elsewhere, "--strict") == 0
    assert capsys.readouterr().err == ""
