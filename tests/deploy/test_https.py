"""HTTPS end to end: a real ``sfa-server serve --certfile --keyfile`` with a certificate from a
company's own authority; ``sfa`` and the app's sync session trust it only when given that
authority's file, and say so clearly (no traceback, no retries) when they are not."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from faults.server_process import ServerProcess
from server.helpers import PASSWORD, Person, add_person, cheap_hash_settings
from sync.harness import MemoryKeyring

from sfa_desktop.cli import main
from sfa_desktop.cli.context import CliEnvironment
from sfa_desktop.i18n import set_language
from sfa_desktop.services.errors import CertificateNotTrusted
from sfa_desktop.services.messages import error_text
from sfa_desktop.services.sync_session import SyncSession
from sfa_desktop.store.database import open_database
from sfa_desktop.store.paths import database_path
from sfa_desktop.sync.tokens import TokenStore
from sfa_desktop.sync.transport import RetryPolicy
from sync_server.app import build_state
from sync_server.db.migrate import upgrade_to_head

from .certificates import Certificates, make_certificates


@dataclass
class HttpsServer:
    url: str
    certificates: Certificates
    rep: Person
    manager: Person


@pytest.fixture(scope="module")
def https_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HttpsServer]:
    root = tmp_path_factory.mktemp("https-server")
    certificates = make_certificates(root)
    url = f"sqlite:///{root / 'server.sqlite3'}"
    state = build_state(cheap_hash_settings(root, url))
    upgrade_to_head(state.database)
    manager = add_person(state, "mario.manager@example.com", "manager")
    rep = add_person(state, "ana.rep@example.com", "rep", manager)
    state.database.dispose()
    server = ServerProcess(url, root, tls=(certificates.server_cert, certificates.server_key))
    server.start()
    try:
        yield HttpsServer(server.url, certificates, rep, manager)
    finally:
        server.stop()


@dataclass
class Sfa:
    """``sfa`` in-process for one profile, with its own HTTP client (none injected): what a
    rep runs at a terminal. Records the waits between retries."""

    folder: Path
    keyring: MemoryKeyring = field(default_factory=MemoryKeyring)
    waits: list[float] = field(default_factory=list)
    out: str = ""
    err: str = ""

    def __call__(self, *argv: str, stdin: str = "") -> int:
        stdout, stderr = io.StringIO(), io.StringIO()
        env = CliEnvironment(
            stdin=io.StringIO(stdin),
            stdout=stdout,
            stderr=stderr,
            tokens=TokenStore(self.keyring),
            retry=RetryPolicy(attempts=3, sleep=self.waits.append),
        )
        code = main(["--data-dir", str(self.folder), *argv], env=env)
        self.out, self.err = stdout.getvalue(), stderr.getvalue()
        return code

    def login(self, server: HttpsServer, who: Person, *options: str) -> int:
        return self(
            "login",
            "--server",
            server.url,
            "--email",
            who.email,
            "--password-stdin",
            *options,
            stdin=PASSWORD + "\n",
        )


def test_sign_in_and_sync_over_https_trusting_the_company_authority(
    https_server: HttpsServer, tmp_path: Path
) -> None:
    ana = Sfa(tmp_path / "ana")
    ca = str(https_server.certificates.ca_file)
    assert ana.login(https_server, https_server.rep, "--ca-file", ca) == 0, ana.err
    assert ana("add", "account", "--set", "name=Ferretería Martínez", "--set", "city=Soria") == 0
    account = ana.out.strip()
    assert ana("sync") == 0, ana.err  # a new command: the profile remembers the authority
    assert ana.out.startswith("Synced: 1 sent")
    assert ana("status") == 0
    (line,) = [text for text in ana.out.splitlines() if text.startswith("Company certificate")]
    assert line.endswith(f"  {https_server.certificates.ca_file.resolve()}")

    mario = Sfa(tmp_path / "mario")
    assert mario.login(https_server, https_server.manager, "--ca-file", ca) == 0, mario.err
    assert mario("show", "account", account, "--json") == 0, mario.err
    assert json.loads(mario.out)["record"]["name"] == "Ferretería Martínez"
    assert ana.waits == mario.waits == []


def test_without_the_authority_the_certificate_is_not_trusted(
    https_server: HttpsServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ana = Sfa(tmp_path / "ana")
    assert ana.login(https_server, https_server.rep) == 1
    assert ana.err.startswith("sfa: The server's certificate is not trusted: ")
    assert "sfa login --ca-file FILE" in ana.err
    assert len(ana.err.strip().splitlines()) == 1 and "Traceback" not in ana.err
    assert ana.waits == []  # not retried: it would not verify any better
    assert ana("status", "--json") == 0
    assert json.loads(ana.out)["server"] is None  # nothing was kept

    monkeypatch.setenv("LANGUAGE", "es")
    assert ana.login(https_server, https_server.rep) == 1
    assert ana.err.startswith("sfa: El certificado del servidor no es de confianza: ")
    assert "sfa login --ca-file ARCHIVO" in ana.err


def test_a_certificate_file_that_cannot_be_used_is_refused_before_signing_in(
    https_server: HttpsServer, tmp_path: Path
) -> None:
    ana = Sfa(tmp_path / "ana")
    missing = tmp_path / "nowhere.pem"
    assert ana.login(https_server, https_server.rep, "--ca-file", str(missing)) == 1
    assert ana.err.startswith(f"sfa: The certificate file {missing} cannot be used: ")
    not_a_certificate = tmp_path / "notes.pem"
    not_a_certificate.write_text("hello\n")
    assert ana.login(https_server, https_server.rep, "--ca-file", str(not_a_certificate)) == 1
    assert "no PEM certificate in it" in ana.err


def test_the_app_session_trusts_the_authority_kept_in_the_profile(
    https_server: HttpsServer, tmp_path: Path
) -> None:
    database = open_database(database_path(tmp_path / "app"))
    tokens = TokenStore(MemoryKeyring())
    session = SyncSession(database, tokens=tokens, sign_in_retry=RetryPolicy(attempts=1))
    try:
        with pytest.raises(CertificateNotTrusted) as refused:
            session.sign_in(
                server_url=https_server.url, email=https_server.rep.email, password=PASSWORD
            )
        set_language("es")
        try:
            assert error_text(refused.value).startswith(
                "El certificado del servidor no es de confianza: "
            )
        finally:
            set_language("en")
        assert not session.server_reachable(https_server.url)

        result = session.sign_in(
            server_url=https_server.url,
            email=https_server.rep.email,
            password=PASSWORD,
            ca_file=str(https_server.certificates.ca_file),
        )
        assert result.identity.ca_file == str(https_server.certificates.ca_file.resolve())
        report = session.sync()
        assert report.pulled >= 2  # the two users
        assert session.server_reachable(https_server.url)
    finally:
        session.close()
        database.close()

    # the app started again: the profile still trusts the authority
    database = open_database(database_path(tmp_path / "app"))
    session = SyncSession(database, tokens=tokens)
    try:
        assert session.account_state().identity.ca_file is not None  # type: ignore[union-attr]
        session.sync()
    finally:
        session.close()
        database.close()
