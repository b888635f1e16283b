"""``sfa-server check`` and the TLS options of ``serve``: each problem is named on one line,
with what to do, and the command fails."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from alembic import command

from sync_server.cli import main
from sync_server.db.database import Database
from sync_server.db.migrate import alembic_config, head_revision

pytest.importorskip("cryptography")
from .certificates import Certificates, make_certificates

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Run:
    """``sfa-server`` with the production password-hashing defaults (``check`` looks at them)."""
    monkeypatch.setenv("SFA_DATABASE_URL", database_url)
    monkeypatch.setenv("SFA_DATA_DIR", str(tmp_path))
    for name in list(os.environ):
        if name.startswith("SFA_") and name not in ("SFA_DATABASE_URL", "SFA_DATA_DIR"):
            monkeypatch.delenv(name)

    def run(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        monkeypatch.setattr("sys.stdin", io.StringIO(""))
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    return make_certificates(tmp_path_factory.mktemp("certificates"))


def _failed(result: tuple[int, str, str], line: str) -> str:
    code, out, err = result
    assert code == 1
    assert err.strip() == "sfa-server: check failed: 1 problem(s), see FAIL above"
    (failure,) = [text for text in out.splitlines() if text.startswith("FAIL")]
    assert line in failure, out
    return out


def test_a_ready_installation_passes(run: Run, certificates: Certificates) -> None:
    code, out, err = run(
        "check",
        "--certfile",
        str(certificates.server_cert),
        "--keyfile",
        str(certificates.server_key),
    )
    assert (code, err) == (0, ""), out
    assert "FAIL" not in out
    assert f"schema: at {head_revision()} (the newest)" in out
    assert "TLS: certificate" in out and "no secret key to set" in out
    assert out.endswith("ready to serve\n")


def test_an_invalid_setting_is_named(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SFA_TOKEN_TTL_DAYS", "a year")
    code, out, err = run("check")
    assert code == 1 and out == ""
    assert err.startswith("sfa-server: invalid setting SFA_TOKEN_TTL_DAYS: ")


def test_weak_password_hashing_fails(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SFA_ARGON2_MEMORY_KIB", "64")
    _failed(run("check"), "password hashing: too weak: SFA_ARGON2_MEMORY_KIB=64")


def test_half_a_tls_pair_or_an_unreadable_file_fails(
    run: Run, certificates: Certificates, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _failed(
        run("check", "--certfile", str(certificates.server_cert)),
        "--certfile was given without --keyfile",
    )
    missing = tmp_path / "missing.key"
    _failed(
        run("check", "--certfile", str(certificates.server_cert), "--keyfile", str(missing)),
        f"cannot read the TLS private key file {missing}",
    )
    monkeypatch.setenv("SFA_TLS_CERTFILE", str(certificates.server_cert))
    monkeypatch.setenv("SFA_TLS_KEYFILE", str(certificates.ca_file))  # not the key
    _failed(run("check"), "do not load together")


def test_an_unreachable_database_fails(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SFA_DATABASE_URL", "postgresql+psycopg://sfa@127.0.0.1:9/sfa")
    out = _failed(
        run("check"), "database: postgresql+psycopg://sfa@127.0.0.1:9/sfa: cannot connect"
    )
    assert "schema" not in out  # nothing more to check


def test_a_missing_sqlite_file_is_not_created(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "new" / "server.sqlite3"
    monkeypatch.setenv("SFA_DATABASE_URL", f"sqlite:///{target}")
    _failed(run("check"), "no database file yet: run `sfa-server migrate`")
    assert not target.parent.exists()


def test_a_schema_behind_the_server_fails(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "old.sqlite3"
    database = Database(f"sqlite:///{target}")
    with database.engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0003")
    database.dispose()
    monkeypatch.setenv("SFA_DATABASE_URL", f"sqlite:///{target}")
    _failed(run("check"), f"schema: at 0003, this server needs {head_revision()}")
    code, _out, _err = run("migrate")
    assert code == 0
    assert run("check")[0] == 0


def test_serve_refuses_an_incomplete_or_unusable_tls_pair(
    run: Run, certificates: Certificates, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("uvicorn.run", lambda *a, **k: pytest.fail("uvicorn started"))
    code, _out, err = run("serve", "--keyfile", str(certificates.server_key))
    assert code == 1
    assert err.startswith("sfa-server: --keyfile was given without --certfile: HTTPS needs both")
    unreadable = tmp_path / "server.pem"
    unreadable.mkdir()  # unreadable as a file, even for root
    code, _out, err = run(
        "serve", "--certfile", str(unreadable), "--keyfile", str(certificates.server_key)
    )
    assert code == 1 and f"cannot read the TLS certificate file {unreadable}" in err
    monkeypatch.setenv("SFA_TLS_CERTFILE", str(certificates.server_cert))
    code, _out, err = run("serve")
    assert code == 1 and "without --keyfile" in err


def test_serve_hands_the_tls_pair_and_trusted_proxies_to_uvicorn(
    run: Run, certificates: Certificates, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[dict[str, object]] = []
    monkeypatch.setattr("uvicorn.run", lambda *_args, **options: started.append(options))
    monkeypatch.setenv("SFA_TLS_CERTFILE", str(certificates.server_cert))
    monkeypatch.setenv("SFA_TLS_KEYFILE", str(certificates.server_key))
    monkeypatch.setenv("SFA_FORWARDED_ALLOW_IPS", "10.0.0.5")
    code, _out, err = run("serve", "--port", "8443")
    assert (code, err) == (0, "")
    (options,) = started
    assert options["ssl_certfile"] == str(certificates.server_cert)
    assert options["ssl_keyfile"] == str(certificates.server_key)
    assert options["forwarded_allow_ips"] == "10.0.0.5"
    assert options["proxy_headers"] is True and options["port"] == 8443


def test_without_pg_dump_backup_prints_the_line_to_run(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SFA_DATABASE_URL", "postgresql+psycopg://sfa:s3cret@db.example:5432/sfa")
    monkeypatch.setattr("shutil.which", lambda _name: None)
    target = tmp_path / "sfa.backup"
    code, _out, err = run("backup", str(target))
    assert code == 1
    assert "pg_dump is not installed" in err
    line = (
        f"pg_dump --format=custom --no-toast-compression --file {target} "
        "'postgresql://sfa:***@db.example:5432/sfa'"
    )
    assert line in err
    assert "s3cret" not in err and not target.exists()
