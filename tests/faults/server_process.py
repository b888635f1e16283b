"""A real ``sfa-server serve`` subprocess on a free loopback port, that can be killed and
started again on the same database (SQLite file or PostgreSQL)."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import BinaryIO

SFA_SERVER = Path(sys.executable).with_name("sfa-server")
#: how long a server may take to start, or to exit once killed, before the test fails
START_TIMEOUT_S = 60.0
EXIT_TIMEOUT_S = 30.0
_LISTENING = re.compile(rb"Uvicorn running on https?://127\.0\.0\.1:(\d+)")


class ServerProcess:
    """``sfa-server serve`` (one worker) for ``database_url``; :meth:`start` it, kill it, start it
    again. Only the process this object started is ever signalled, by its id."""

    def __init__(
        self, database_url: str, data_dir: Path, *, tls: tuple[Path, Path] | None = None
    ) -> None:
        """``tls``: serve HTTPS with this (certificate file, key file)."""
        self.database_url = database_url
        self.data_dir = data_dir
        self.tls = tls
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0
        self.starts = 0
        self.log_path = data_dir / "server.log"

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def start(self, fault: str | None = None) -> None:
        """Start serving (with ``SFA_SERVER_FAULT=fault`` when given); returns once it listens."""
        assert self.process is None, "already running"
        env = dict(
            os.environ,
            SFA_DATABASE_URL=self.database_url,
            SFA_DATA_DIR=str(self.data_dir),
            SFA_ARGON2_TIME_COST="1",
            SFA_ARGON2_MEMORY_KIB="64",
            SFA_ARGON2_PARALLELISM="1",
        )
        env.pop("SFA_SERVER_FAULT", None)
        if fault:
            env["SFA_SERVER_FAULT"] = fault
        self.starts += 1
        log = self.log_path.open("ab")
        argv = [str(SFA_SERVER), "serve", "--host", "127.0.0.1", "--port", "0"]
        if self.tls:
            argv += ["--certfile", str(self.tls[0]), "--keyfile", str(self.tls[1])]
        self.process = subprocess.Popen(
            [*argv, "--log-level", "info"],
            env=env,
            stdout=log,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        self.port = self._listening_port(log)

    def _listening_port(self, log: BinaryIO) -> int:
        """The port the server bound (port 0: no race for a free one), read from the line
        uvicorn logs once it listens; its whole log is copied to :attr:`log_path`."""
        process = self.process
        assert process is not None and process.stderr is not None
        stderr = process.stderr
        found: list[int] = []
        settled = threading.Event()

        def pump() -> None:
            with log:
                for line in stderr:  # ends when the process does
                    log.write(line)
                    log.flush()
                    if not found and (match := _LISTENING.search(line)):
                        found.append(int(match.group(1)))
                        settled.set()
            settled.set()

        threading.Thread(target=pump, daemon=True, name="sfa-server-log").start()
        if not settled.wait(START_TIMEOUT_S):
            self.stop()
            raise RuntimeError(f"sfa-server did not listen within {START_TIMEOUT_S} s")
        if not found:
            status = process.wait(timeout=EXIT_TIMEOUT_S)
            self.process = None
            raise RuntimeError(f"sfa-server exited with {status}: see {self.log_path}")
        return found[0]

    def wait_killed(self) -> int:
        """Wait (bounded) for the server to die by its own fault point; its exit status."""
        assert self.process is not None
        try:
            status = self.process.wait(timeout=EXIT_TIMEOUT_S)
        finally:
            if self.process.poll() is None:
                self.stop()
            self.process = None
        return status

    def stop(self) -> None:
        """Stop the server (SIGTERM to its process group, SIGKILL if it does not go)."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=EXIT_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=EXIT_TIMEOUT_S)

    def restart(self, fault: str | None = None) -> None:
        self.stop()
        self.start(fault)
