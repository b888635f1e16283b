"""``sfa-server backup`` while the server serves, then ``sfa-server restore`` with it stopped:
the restored server gets back, from its devices, every edit made after the backup.

SQLite: the online backup API; PostgreSQL: ``pg_dump``/``pg_restore`` (skipped when the client
tools are not installed). ``restore`` starts a new epoch itself.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select, text

from sync_server.cli import main
from sync_server.db.compression import DOCUMENTS, lz4_available
from sync_server.db.database import Database
from sync_server.db.models import Epoch

from .harness import Fleet
from .test_server_restore import settled

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def server_cli(
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Run:
    if database_url.startswith("postgresql") and not shutil.which("pg_dump"):
        if os.environ.get("CI"):  # CI installs them (.ci/run): never skipped there
            pytest.fail("pg_dump is missing in CI")
        pytest.skip("the PostgreSQL client tools (pg_dump, pg_restore) are not installed")
    monkeypatch.setenv("SFA_DATABASE_URL", database_url)
    monkeypatch.setenv("SFA_DATA_DIR", str(tmp_path / "server-data"))

    def run(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_backup_while_serving_then_restore_gets_every_edit_back(
    fleet: Fleet, database: Database, server_cli: Run, tmp_path: Path
) -> None:
    ana = fleet.profile("ana", fleet.team.rep_a)
    mario = fleet.profile("mario", fleet.team.manager)
    ana.sync()
    kept = ana.create("account", name="Ferretería Martínez", city="Zaragoza")
    old_contact = ana.create("contact", account_id=kept, first_name="Lucía")
    ana.sync()
    mario.sync()

    file = tmp_path / "backups" / "sfa.backup"
    file.parent.mkdir()
    code, out, err = server_cli("backup", str(file))  # the server keeps serving
    assert (code, err) == (0, "") and "backup written to" in out
    assert [p.name for p in file.parent.iterdir()] == ["sfa.backup"]  # no temporary left

    ana.edit("account", kept, phone="976 11 11 11", tags=["vip"])
    new = ana.create("account", name="Talleres Royo", city="Huesca")
    new_contact = ana.create("contact", account_id=new, first_name="Pilar")
    ana.delete("contact", old_contact)
    mario.edit("account", kept, notes="Renovar en enero")
    ana.sync()
    mario.sync()

    code, _out, err = server_cli("backup", str(file))
    assert code == 1 and "already exists: give --force" in err
    with database.read_session() as session:
        epochs_before = session.scalars(select(Epoch.id)).all()

    database.dispose()  # the server is stopped
    code, out, err = server_cli("restore", str(file))
    assert (code, err) == (0, ""), err
    assert "new epoch" in out
    with database.read_session() as session:
        epochs = session.scalars(select(Epoch.id).order_by(Epoch.number)).all()
    assert epochs[:-1] == epochs_before and epochs[-1] not in epochs_before
    if database.is_sqlite:
        assert "the replaced database is kept as" in out
    else:  # the dump leaves lz4 out (it restores anywhere); the restore sets it again
        listed = subprocess.run(
            ["pg_restore", "--file", "-", str(file)], capture_output=True, text=True, check=True
        ).stdout
        assert "CREATE TABLE public.records" in listed and "COMPRESSION" not in listed
        with database.engine.connect() as connection:
            assert lz4_available(connection)  # the PostgreSQL the tests run on has it
            methods = connection.execute(
                text(
                    "SELECT attname, attcompression FROM pg_attribute WHERE attrelid = "
                    "'records'::regclass AND attname IN ('data', 'versions', 'stamps')"
                )
            ).all()
        assert {name: str(method) for name, method in methods} == dict.fromkeys(DOCUMENTS, "l")

    # served again: devices send back what the backup does not have
    ana.sync()
    mario.sync()
    ana.sync()
    check = fleet.profile("check", fleet.team.manager)
    check.sync()
    account = check.get("account", kept)
    assert account is not None
    assert (account["phone"], account["tags"], account["notes"]) == (
        "+34976111111",
        ["vip"],
        "Renovar en enero",
    )
    assert check.get("account", new) is not None
    assert check.get("contact", new_contact) is not None
    gone = check.get("contact", old_contact)
    assert gone is None or gone["deleted_at"] is not None
    for profile in (ana, mario):
        settled(profile)
        assert profile.get("account", kept) == account


def test_backup_and_restore_refuse_clearly(
    fleet: Fleet, database: Database, server_cli: Run, tmp_path: Path
) -> None:
    file = tmp_path / "sfa.backup"
    assert server_cli("backup", str(file))[0] == 0
    code, _out, err = server_cli("backup", str(file), "--force")
    assert (code, err) == (0, "")
    code, _out, err = server_cli("backup", str(tmp_path / "missing" / "x.backup"))
    assert code == 1 and "does not exist" in err
    code, _out, err = server_cli("restore", str(tmp_path / "nothing.backup"))
    assert code == 1 and "there is no backup file" in err
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a backup at all\n" * 100)
    database.dispose()
    code, _out, err = server_cli("restore", str(junk))
    assert code == 1 and len(err.strip().splitlines()) == 1
    if database.is_sqlite:
        assert "is not an SQLite database" in err
    else:
        assert "pg_restore failed" in err
    with database.read_session() as session:  # nothing changed: still the first epoch
        assert len(session.scalars(select(Epoch.id)).all()) == 1
