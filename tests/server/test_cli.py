"""The ``sfa-server`` command line: exit 0 on success, one line on stderr otherwise."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from sync_server.cli import main
from sync_server.db.database import Database
from sync_server.db.migrate import ensure_current, head_revision
from sync_server.db.models import Record
from sync_server.db.records import records_of_entity

from .helpers import PASSWORD, ManualClock, Team, account_values, login

Run = Callable[..., tuple[int, str, str]]

GOOD_CSV = """sku,name,family,tax_rate_pct,active,price_list,currency,unit_price
CH-100,Silla de oficina,Asientos,21,yes,Tarifa 2026,EUR,149.90
CH-100,,,,,Distribuidores,EUR,"119,50"
DK-200,Mesa elevable,Mesas,21,sí,Tarifa 2026,EUR,499
AC-1,Reposabrazos,Asientos,21,no,,,
"""


@pytest.fixture
def run(
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Run:
    monkeypatch.setenv("SFA_DATABASE_URL", database_url)
    monkeypatch.setenv("SFA_DATA_DIR", str(tmp_path))
    for name, value in (("TIME_COST", "1"), ("MEMORY_KIB", "64"), ("PARALLELISM", "1")):
        monkeypatch.setenv(f"SFA_ARGON2_{name}", value)

    def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
        capsys.readouterr()
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def _fails(result: tuple[int, str, str], *fragments: str) -> None:
    code, _out, err = result
    assert code != 0
    assert len(err.strip().splitlines()) == 1, err
    for fragment in fragments:
        assert fragment in err


def _add_people(run: Run) -> None:
    assert (
        run(
            "user",
            "add",
            "--email",
            "root@example.com",
            "--name",
            "Root",
            "--role",
            "admin",
            "--password-stdin",
            stdin=PASSWORD + "\n",
        )[0]
        == 0
    )
    assert (
        run(
            "user",
            "add",
            "--email",
            "jefa@example.com",
            "--name",
            "María Jefa",
            "--role",
            "manager",
            "--manager",
            "root@example.com",
            "--password-stdin",
            stdin=PASSWORD,
        )[0]
        == 0
    )
    code, out, _ = run(
        "user",
        "add",
        "--email",
        "Pepe@Example.com",
        "--name",
        "Pepe Pérez",
        "--role",
        "rep",
        "--manager",
        "jefa@example.com",
        "--rep-code",
        "pp1",
        "--discount-limit",
        "12,5",
        "--password-stdin",
        stdin=PASSWORD,
    )
    assert code == 0 and "PP1" in out


def test_user_commands(run: Run, database: Database) -> None:
    _add_people(run)
    code, out, _ = run("user", "list", "--json")
    assert code == 0
    people = {row["email"]: row for row in map(json.loads, out.splitlines())}
    assert people["pepe@example.com"]["manager"] == "jefa@example.com"
    assert people["pepe@example.com"]["discount_limit_pct"] == "12.5"
    assert people["jefa@example.com"]["rep_code"] == "MJ"
    with database.read_session() as session:
        names = {r.data["email"]: r.data for r in records_of_entity(session, entity="user")}
    assert names["pepe@example.com"]["manager_id"] == people["jefa@example.com"]["id"]
    assert "password" not in json.dumps(names)

    assert run("user", "deactivate", "pepe@example.com")[0] == 0
    code, out, _ = run("user", "list")
    lines = {line.split("\t")[0]: line for line in out.splitlines()}
    assert code == 0 and lines["pepe@example.com"].endswith("deactivated")
    assert (
        run(
            "user",
            "set-password",
            "jefa@example.com",
            "--password-stdin",
            stdin="otra clave segura\n",
        )[0]
        == 0
    )


def _add_x(run: Run, email: str, role: str, *options: str, stdin: str) -> tuple[int, str, str]:
    """``user add`` of someone called X (the error cases)."""
    add = ("user", "add", "--email", email, "--name", "X", "--role", role)
    return run(*add, *options, "--password-stdin", stdin=stdin)


def test_user_command_errors(run: Run) -> None:
    _add_people(run)
    _fails(_add_x(run, "root@example.com", "rep", stdin=PASSWORD), "exists")
    _fails(_add_x(run, "nuevo@example.com", "rep", stdin="corta"), "8 characters")
    _fails(_add_x(run, "nuevo@example.com", "rep", stdin=""), "no password")
    _fails(_add_x(run, "no-es-correo", "rep", stdin=PASSWORD), "valid email")
    _fails(
        _add_x(run, "n@example.com", "rep", "--manager", "pepe@example.com", stdin=PASSWORD),
        "not a manager",
    )
    _fails(_add_x(run, "n@example.com", "boss", stdin=""), "usage")
    _fails(
        _add_x(run, "n@example.com", "rep", "--discount-limit", "150", stdin=PASSWORD),
        "between 0 and 100",
    )
    _fails(run("user", "deactivate", "nadie@example.com"), "no user")
    _fails(
        run("user", "set-password", "nadie@example.com", "--password-stdin", stdin=PASSWORD),
        "no user",
    )
    _fails(run("frobnicate"), "usage")
    _fails(run(), "usage")


def test_deactivation_and_new_password_reach_the_api(
    run: Run, client: TestClient, team: Team, clock: ManualClock
) -> None:
    device = login(client, team.rep_a.email, clock)
    assert run("user", "deactivate", team.rep_a.email)[0] == 0
    assert client.get("/api/v1/me", headers=device.headers).status_code == 401
    assert (
        run(
            "user", "set-password", team.rep_b.email, "--password-stdin", stdin="nueva clave 2026\n"
        )[0]
        == 0
    )
    old = client.post(
        "/api/v1/auth/login",
        json={"email": team.rep_b.email, "password": PASSWORD, "device_name": "x"},
    )
    new = client.post(
        "/api/v1/auth/login",
        json={"email": team.rep_b.email, "password": "nueva clave 2026", "device_name": "x"},
    )
    assert (old.status_code, new.status_code) == (401, 200)


def test_products_import(run: Run, tmp_path: Path, database: Database) -> None:
    path = tmp_path / "products.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")
    code, out, _ = run("products", "import", str(path))
    assert code == 0, out
    assert "3 products (3 new" in out and "2 new price lists" in out and "3 prices" in out
    with database.read_session() as session:
        products = {r.data["sku"]: r for r in records_of_entity(session, entity="product")}
        lists = {r.data["name"]: r.id for r in records_of_entity(session, entity="price_list")}
        items = records_of_entity(session, entity="price_list_item")
    assert products["AC-1"].data["active"] is False and products["DK-200"].data["active"] is True
    assert products["CH-100"].data["tax_rate_pct"] == "21"
    prices = {(i.data["price_list_id"], i.data["product_id"]): i.data["unit_price"] for i in items}
    assert prices[(lists["Distribuidores"], products["CH-100"].id)] == 11950
    assert prices[(lists["Tarifa 2026"], products["DK-200"].id)] == 49900
    code, out, _ = run("products", "import", str(path))  # again: nothing new
    assert code == 0 and "(0 new, 0 updated), 0 new price lists" in out
    path.write_text(GOOD_CSV.replace("149.90", "155.00"), encoding="utf-8")
    assert run("products", "import", str(path))[0] == 0
    with database.read_session() as session:
        assert 15500 in {
            i.data["unit_price"] for i in records_of_entity(session, entity="price_list_item")
        }


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (GOOD_CSV.replace("499", "cuatro"), "line 4: unit_price"),
        (GOOD_CSV.replace("DK-200,Mesa elevable", "DK-200,"), "line 4: name"),
        (GOOD_CSV + "ZZ-9,Otro,,21,quizá,,,\n", "line 6: active"),
        (GOOD_CSV + "ZZ-9,Otro,,abc,yes,,,\n", "line 6: tax_rate_pct"),
        (GOOD_CSV + 'ZZ-9,"sin cerrar,,21,yes,,,\n', "line 6"),
        (GOOD_CSV + "ZZ-9,Otro,,21,yes,Tarifa 2026,EUR\n", "line 6: 7 columns"),
        (GOOD_CSV + "CH-100,Otra silla,,21,yes,,,\n", "line 6: SKU CH-100"),
        (GOOD_CSV + "ZZ-9,Otro,,21,yes,Tarifa 2026,QQQ,10\n", "line 6: currency"),
        ("sku,name,colour\nA,B,red\n", "line 1: unknown column"),
        # a repeated column would silently take the last one (the wrong SKU)
        ("sku,name,sku\nA-1,Silla,B-2\n", "line 1: column 3 'sku' repeats column 1"),
        ("SKU,name, sku \nA-1,Silla,B-2\n", "line 1: column 3 'sku' repeats column 1"),
        # the same SKU twice in one price list must not be decided by row order
        (GOOD_CSV + "CH-100,,,,,Tarifa 2026,EUR,150\n", "line 6: unit_price: CH-100"),
        (GOOD_CSV + "ZZ-9,Otro,,-21,yes,,,\n", "line 6: tax_rate_pct"),
        (GOOD_CSV + "ZZ-9,Otro,,500,yes,,,\n", "line 6: tax_rate_pct"),
        (GOOD_CSV + "ZZ-9,Otro,,21.1234567,yes,,,\n", "line 6: tax_rate_pct"),
        (
            GOOD_CSV + "ZZ-9,Otro,,21,yes,Tarifa 2026,EUR,99999999999999999999\n",
            "line 6: unit_price",
        ),
        (GOOD_CSV + "ZZ-9,Otro,,21,yes,Tarifa 2026,EUR,1e999999\n", "line 6: unit_price"),
        ("name\nA\n", "line 1: the column 'sku'"),
        ("", "empty"),
    ],
)
def test_a_bad_import_names_the_line_and_applies_nothing(
    run: Run, tmp_path: Path, database: Database, content: str, fragment: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with database.read_session() as session:
        before = session.scalar(select(func.count()).select_from(Record))
    _fails(run("products", "import", str(path)), fragment)
    with database.read_session() as session:
        assert session.scalar(select(func.count()).select_from(Record)) == before


def test_the_same_price_twice_in_a_price_list_is_harmless(
    run: Run, tmp_path: Path, database: Database
) -> None:
    path = tmp_path / "products.csv"
    path.write_text(GOOD_CSV + 'CH-100,,,,,Tarifa 2026,EUR,"149,90"\n', encoding="utf-8")
    code, out, _ = run("products", "import", str(path))
    assert code == 0 and "3 prices" in out, out


def test_import_of_a_missing_or_binary_file(run: Run, tmp_path: Path) -> None:
    _fails(run("products", "import", str(tmp_path / "nope.csv")), "cannot read")
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\xff\xfe\x00sku")
    _fails(run("products", "import", str(binary)), "UTF-8")


def test_quota_set(run: Run, team: Team, database: Database) -> None:
    code, out, _ = run("quota", "set", team.rep_a.email, "2026-q4", "25000,50")
    assert code == 0 and "2500050" in out
    assert run("quota", "set", team.rep_a.email, "2026-Q4", "30000")[0] == 0
    with database.read_session() as session:
        quotas = records_of_entity(session, entity="quota")
    assert len(quotas) == 1 and quotas[0].data["amount"] == 3000000
    assert quotas[0].scope_owner_id == team.rep_a.id
    _fails(run("quota", "set", team.rep_a.email, "2026-13", "5"), "period")
    _fails(run("quota", "set", team.rep_a.email, "2026-11", "mucho"), "amount")
    _fails(run("quota", "set", "nadie@example.com", "2026-11", "5"), "no user")


def test_quota_set_with_options_a_team_quota_and_the_list(
    run: Run, team: Team, database: Database
) -> None:
    code, out, _ = run(
        "quota", "set", "--user", team.manager.email, "--period", "2026-Q4", "--amount", "90000"
    )
    assert code == 0 and "quota of" in out and "team" not in out
    code, out, _ = run(
        "quota",
        "set",
        "--user",
        team.manager.email,
        "--period",
        "2026-q4",
        "--amount",
        "250000",
        "--team",
    )
    assert code == 0 and out.startswith("team quota of"), out
    run("quota", "set", team.rep_a.email, "2026-11", "1000,5", "--currency", "usd")
    with database.read_session() as session:
        quotas = records_of_entity(session, entity="quota")
    scopes = sorted((q.data["amount"], q.data["scope"]) for q in quotas)
    assert scopes == [(100050, "personal"), (9000000, "personal"), (25000000, "team")]
    code, out, _ = run("quota", "list")
    assert code == 0
    assert out.splitlines() == [
        f"2026-11\t{team.rep_a.email}\tpersonal\t1000.50 USD",
        f"2026-Q4\t{team.manager.email}\tpersonal\t90000.00 EUR",
        f"2026-Q4\t{team.manager.email}\tteam\t250000.00 EUR",
    ]
    code, out, _ = run(
        "quota", "list", "--period", "2026-q4", "--user", team.manager.email, "--json"
    )
    documents = [json.loads(line) for line in out.splitlines()]
    assert [(d["scope"], d["amount"], d["name"]) for d in documents] == [
        ("personal", "90000.00", "Mario Manager"),
        ("team", "250000.00", "Mario Manager"),
    ]
    assert run("quota", "list", "--period", "2027-Q1")[1] == "no quotas\n"
    _fails(run("quota", "set", "--user", team.rep_a.email, "--period", "2026-11"), "--amount")
    _fails(
        run("quota", "set", team.rep_a.email, "--user", team.rep_b.email, "--period", "2026-11"),
        "not both",
    )
    _fails(run("quota", "list", "--period", "2026-13"), "period")
    _fails(run("quota", "list", "--user", "nadie@example.com"), "no user")


def test_account_reassign(run: Run, client: TestClient, team: Team, clock: ManualClock) -> None:
    rep_a = login(client, team.rep_a.email, clock)
    account = rep_a.create("account", account_values(rep_a.user_id))
    code, out, _ = run("account", "reassign", account, "--to", team.rep_b.email)
    assert code == 0 and "1 record(s) moved" in out
    rep_b = login(client, team.rep_b.email, clock)
    rep_b.sync()
    assert account in rep_b.of("account")
    _fails(run("account", "reassign", account, "--to", "nadie@example.com"), "no user")
    _fails(run("account", "reassign", "not-an-id", "--to", team.rep_b.email), "no account")


def test_epoch_show_and_rotate(
    run: Run, client: TestClient, team: Team, clock: ManualClock
) -> None:
    rep_a = login(client, team.rep_a.email, clock)
    account = rep_a.create("account", account_values(rep_a.user_id))
    code, before, _ = run("epoch", "show")
    assert code == 0 and "version floor 0" in before
    code, out, _ = run("epoch", "rotate")
    assert code == 0 and "new epoch" in out and "version floor 1073741824" in out
    code, after, _ = run("epoch", "show")
    assert code == 0 and after.split()[1] != before.split()[1]
    rep_a.sync()
    change = rep_a.mirror[account]
    assert change.version == 2**30
    assert change.versions == {name: 1 for name in change.versions}
    _fails(run("epoch"), "usage")


def test_migrate_and_serve_errors(run: Run, backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run("migrate")
    assert code == 0 and f"schema {head_revision()}" in out
    if backend == "sqlite":
        _fails(run("serve", "--workers", "2"), "PostgreSQL")
    _fails(run("serve", "--workers", "0"), "usage")
    _fails(run("serve", "--port", "http"), "usage")
    monkeypatch.setenv("SFA_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:1/nowhere")
    _fails(run("user", "list"), "database error")


def test_serve_migrates_then_hands_over_to_uvicorn(
    run: Run, backend: str, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = f"sqlite:///{tmp_path / 'fresh' / 'server.sqlite3'}"
    if backend == "sqlite":
        monkeypatch.setenv("SFA_DATABASE_URL", fresh)
    calls: list[dict[str, object]] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kwargs: calls.append({"app": app, **kwargs}))
    workers = "1" if backend == "sqlite" else "4"
    code, _out, err = run("serve", "--port", "8799", "--workers", workers)
    assert code == 0, err
    (call,) = calls
    assert call["app"] == "sync_server.app:app_from_environment" and call["factory"] is True
    assert (call["port"], call["workers"]) == (8799, int(workers))
    database = Database(fresh if backend == "sqlite" else database_url)
    try:
        ensure_current(database)
    finally:
        database.dispose()


# --- company settings (issue 10) ------------------------------------------------------------------

#: the smallest PNG there is (1×1, transparent)
TINY_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGBgAAAABQABpfZFQAAAAABJRU5ErkJggg=="
)


def test_company_set_and_show(
    run: Run, tmp_path: Path, database: Database, client: TestClient, team: Team, clock: ManualClock
) -> None:
    _fails(run("company", "show"), "no company settings")
    _fails(run("company", "set", "--city", "Zaragoza"), "name")  # the first set needs a name
    logo = tmp_path / "logo.png"
    logo.write_bytes(TINY_PNG)
    code, out, _ = run(
        "company",
        "set",
        "--name",
        "Suministros Ebro S.L.",
        "--tax-id",
        "b-12345674",
        "--city",
        "Zaragoza",
        "--email",
        "Ventas@Ebro.example.com",
        "--bank-line",
        "IBAN ES91 2100 0418 4502 0005 1332",
        "--quote-validity-days",
        "45",
        "--logo",
        str(logo),
    )
    assert code == 0 and "changed" in out
    code, out, _ = run("company", "show", "--json")
    shown = json.loads(out)
    assert shown["tax_id"] == "B12345674" and shown["email"] == "Ventas@ebro.example.com"
    assert (shown["country"], shown["quote_validity_days"]) == ("ES", 45)
    assert base64.b64decode(shown["logo_png"]) == TINY_PNG
    code, out, _ = run("company", "show")
    assert code == 0 and f"logo_png: PNG, {len(TINY_PNG)} bytes" in out
    # a later set changes only what it names; a new country re-checks the tax id
    code, out, _ = run("company", "set", "--country", "fr", "--tax-id", "FR40303265045")
    assert code == 0
    code, out, _ = run("company", "set", "--footer", "Gracias", "--no-logo", "--city", "")
    shown = json.loads(run("company", "show", "--json")[1])
    assert (shown["country"], shown["tax_id"], shown["footer"]) == (
        "FR",
        "FR40303265045",
        "Gracias",
    )
    assert shown["name"] == "Suministros Ebro S.L."
    assert shown.get("logo_png") is None and shown.get("city") is None
    with database.read_session() as session:
        assert len(records_of_entity(session, entity="company")) == 1
    # every signed-in user pulls it, and nobody but the server writes it
    rep = login(client, team.rep_a.email, clock)
    rep.sync()
    (record,) = rep.of("company").values()
    assert record.values["name"] == "Suministros Ebro S.L."
    refused = rep.set("company", record.record_id, "name", "Otra", base=1000)
    assert (refused.status, refused.code) == ("rejected", "read_only")


def test_company_set_refuses_bad_values_and_writes_nothing(
    run: Run, tmp_path: Path, database: Database
) -> None:
    assert run("company", "set", "--name", "Ebro")[0] == 0
    with database.read_session() as session:
        before = session.scalar(select(func.count()).select_from(Record))
    _fails(run("company", "set", "--tax-id", "B12345670"), "tax_id")
    _fails(run("company", "set", "--quote-validity-days", "0"), "quote_validity_days")
    _fails(run("company", "set", "--website", "ftp://ebro"), "website")
    fake = tmp_path / "logo.png"
    fake.write_bytes(b"GIF89a not a png")
    _fails(run("company", "set", "--logo", str(fake)), "PNG")
    big = tmp_path / "big.png"
    big.write_bytes(TINY_PNG + b"\0" * 400_000)
    _fails(run("company", "set", "--logo", str(big)), "at most")
    _fails(run("company", "set"), "at least one")
    with database.read_session() as session:
        assert session.scalar(select(func.count()).select_from(Record)) == before
    shown = json.loads(run("company", "show", "--json")[1])
    assert shown.get("tax_id") is None and shown["quote_validity_days"] == 30


# --- what customers are worth (issue 13) -----------------------------------------------------


def test_company_value_settings_and_product_unit_costs(
    run: Run, tmp_path: Path, database: Database
) -> None:
    assert run("company", "set", "--name", "Ebro", "--currency", "eur")[0] == 0
    code, out, _ = run(
        "company",
        "set",
        "--default-margin-pct",
        "35,5",
        "--visit-cost",
        "75.50",
        "--call-cost",
        "9",
        "--ltv-discount-pct",
        "8",
        "--cadence-mvc-days",
        "10",
        "--cadence-bz-days",
        "120",
    )
    assert code == 0, out
    shown = json.loads(run("company", "show", "--json")[1])
    assert shown["currency"] == "EUR" and shown["default_margin_pct"] == "35.5"
    assert (shown["visit_cost"], shown["call_cost"]) == (7550, 900)
    assert (shown["cadence_mvc_days"], shown["cadence_bz_days"]) == (10, 120)
    assert run("company", "set", "--visit-cost", "")[0] == 0  # cleared: the default applies
    assert json.loads(run("company", "show", "--json")[1]).get("visit_cost") is None
    _fails(run("company", "set", "--visit-cost", "sesenta"), "visit_cost")
    _fails(run("company", "set", "--cadence-mgc-days", "0"), "cadence_mgc_days")
    _fails(run("company", "set", "--default-margin-pct", "120"), "default_margin_pct")
    path = tmp_path / "products.csv"
    path.write_text(
        'sku,name,tax_rate_pct,unit_cost\nCH-100,Silla,21,"89,95"\nDK-200,Mesa,21,\n',
        encoding="utf-8",
    )
    code, out, _ = run("products", "import", str(path))
    assert code == 0, out
    with database.read_session() as session:
        products = {r.data["sku"]: r for r in records_of_entity(session, entity="product")}
    assert products["CH-100"].data["unit_cost"] == 8995
    assert products["DK-200"].data.get("unit_cost") is None
    path.write_text("sku,name,unit_cost\nCH-100,Silla,barato\n", encoding="utf-8")
    _fails(run("products", "import", str(path)), "line 2: unit_cost")
