"""A real ``sfa-server serve`` subprocess on a free loopback port, that can be killed and
started again on the same database (SQLite file or PostgreSQL)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from sync_server.protocol.versions import PROTOCOL_HEADER, PROTOCOL_VERSION

SFA_SERVER = Path(sys.executable).with_name("sfa-server")
#: how long a server may take to start, or to exit once killed, before the test fails
START_TIMEOUT_S = 60.0
EXIT_TIMEOUT_S = 30.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ServerProcess:
    """``sfa-server serve`` (one worker) for ``database_url``; :meth:`start` it, kill it, start it
    again. Only the process this object started is ever signalled, by its id."""

    def __init__(self, database_url: str, data_dir: Path) -> None:
        self.database_url = database_url
        self.data_dir = data_dir
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0
        self.starts = 0
        self.log_path = data_dir / "server.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, fault: str | None = None) -> None:
        """Start serving (with ``SFA_SERVER_FAULT=fault`` when given); returns once it answers."""
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
        for _attempt in range(3):  # a free port may be taken by someone else meanwhile
            self.port = free_port()
            self.starts += 1
            with self.log_path.open("ab") as log:
                self.process = subprocess.Popen(
                    [str(SFA_SERVER), "serve", "--port", str(self.port), "--log-level", "warning"],
                    env=env,
                    stdout=log,
                    stderr=log,
                    start_new_session=True,
                )
            if self._wait_until_ready():
                return
            self.process.wait(timeout=EXIT_TIMEOUT_S)
            self.process = None
        raise RuntimeError(f"sfa-server did not start: see {self.log_path}")

    def _wait_until_ready(self) -> bool:
        """Poll the health endpoint until it answers (True) or the process exits (False)."""
        assert self.process is not None
        deadline = time.monotonic() + START_TIMEOUT_S
        headers = {PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
        with httpx.Client(timeout=5.0) as http:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    return False
                with contextlib.suppress(httpx.TransportError):
                    if http.get(f"{self.url}/api/v1/health", headers=headers).status_code == 200:
                        return True
                time.sleep(0.05)  # the port is not accepting yet: poll again (bounded above)
        self.stop()
        raise RuntimeError(f"sfa-server did not answer within {START_TIMEOUT_S} s")

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
