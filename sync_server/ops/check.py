"""``sfa-server check``: is this installation ready to serve? Nothing is created or changed.

Each check gives one line, ``ok`` or ``FAIL`` (what is wrong and what to do); the command
exits 0 only when every check is ok. The settings themselves (``SFA_*`` values of the wrong
type or out of range) are checked before, by loading :class:`~sync_server.settings.Settings`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from sync_server.db.database import Database
from sync_server.db.migrate import current_revision, head_revision
from sync_server.services.epochs import current_epoch
from sync_server.settings import Settings

from .tls import TlsProblem, tls_files

#: argon2id below this (OWASP's minimum: 19 MiB, 2 passes) makes stolen hashes cheap to crack
MIN_ARGON2_MEMORY_KIB = 19 * 1024
MIN_ARGON2_TIME_COST = 2
#: seconds ``check`` waits for PostgreSQL to accept the connection
CONNECT_TIMEOUT_S = 10


@dataclass(frozen=True)
class Finding:
    ok: bool
    subject: str
    text: str

    def line(self) -> str:
        return f"{'ok  ' if self.ok else 'FAIL'}  {self.subject}: {self.text}"


def run_checks(
    settings: Settings, *, certfile: Path | None = None, keyfile: Path | None = None
) -> list[Finding]:
    """Every finding, in order; the database ones stop at the first that fails."""
    findings = [
        _tls(certfile or settings.tls_certfile, keyfile or settings.tls_keyfile),
        _password_hashing(settings),
        Finding(True, "sign-in tokens", "random per device, stored hashed: no secret key to set"),
    ]
    findings.extend(_database(settings))
    return findings


def _tls(certfile: Path | None, keyfile: Path | None) -> Finding:
    try:
        files = tls_files(certfile, keyfile)
    except TlsProblem as problem:
        return Finding(False, "TLS", str(problem))
    if files is None:
        return Finding(True, "TLS", "not configured: plain HTTP (put a TLS proxy in front)")
    return Finding(True, "TLS", f"certificate {files.certfile} and key {files.keyfile} load")


def _password_hashing(settings: Settings) -> Finding:
    weak = []
    if settings.argon2_memory_kib < MIN_ARGON2_MEMORY_KIB:
        weak.append(
            f"SFA_ARGON2_MEMORY_KIB={settings.argon2_memory_kib} (at least {MIN_ARGON2_MEMORY_KIB})"
        )
    if settings.argon2_time_cost < MIN_ARGON2_TIME_COST:
        weak.append(
            f"SFA_ARGON2_TIME_COST={settings.argon2_time_cost} (at least {MIN_ARGON2_TIME_COST})"
        )
    if weak:
        return Finding(False, "password hashing", "too weak: " + ", ".join(weak))
    return Finding(
        True,
        "password hashing",
        f"argon2id, {settings.argon2_memory_kib} KiB, {settings.argon2_time_cost} passes",
    )


def _database(settings: Settings) -> list[Finding]:
    url = settings.sqlalchemy_url()
    shown = make_url(url).render_as_string(hide_password=True)
    if settings.uses_sqlite():
        problem = _sqlite_file_problem(make_url(url).database)
        if problem:
            return [Finding(False, "database", f"{shown}: {problem}")]
    if not settings.uses_sqlite() and "connect_timeout" not in make_url(url).query:
        # a firewalled host answers nothing: fail in seconds, not minutes
        bounded = make_url(url).update_query_dict({"connect_timeout": str(CONNECT_TIMEOUT_S)})
        url = bounded.render_as_string(hide_password=False)
    database = Database(url, pool_size=1)
    try:
        steps: list[Callable[[Database], Finding]] = [_reachable, _schema, _epoch]
        findings = []
        for step in steps:
            finding = step(database)
            findings.append(finding)
            if not finding.ok:
                break
        findings[0] = Finding(findings[0].ok, "database", f"{shown}: {findings[0].text}")
        return findings
    finally:
        database.dispose()


def _sqlite_file_problem(name: str | None) -> str | None:
    if not name or name == ":memory:":
        return "an in-memory database keeps nothing: set SFA_DATA_DIR or SFA_DATABASE_URL"
    path = Path(name)
    if not path.is_file():
        return "no database file yet: run `sfa-server migrate` (or `serve`, which migrates)"
    folder = path.parent
    if not os.access(path, os.R_OK | os.W_OK) or not os.access(folder, os.W_OK | os.X_OK):
        return (
            f"the server cannot write the file or its folder {folder} (SQLite keeps its "
            "journal next to the file): give the server's user write access to both"
        )
    return None


def _reachable(database: Database) -> Finding:
    try:
        with database.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        return Finding(False, "database", f"cannot connect: {reason}")
    return Finding(True, "database", "reachable")


def _schema(database: Database) -> Finding:
    current, head = current_revision(database), head_revision()
    if current != head:
        return Finding(
            False,
            "schema",
            f"at {current or 'nothing'}, this server needs {head}: run `sfa-server migrate`",
        )
    return Finding(True, "schema", f"at {head} (the newest)")


def _epoch(database: Database) -> Finding:
    with database.read_session() as session:
        info = current_epoch(session)
    restored = " (restored from a backup)" if info.version_floor else ""
    return Finding(True, "epoch", f"{info.epoch} since {info.started_at}{restored}")
