"""The kill switch behind the fault-injection points of both sides (tests only, free otherwise).

The client (:mod:`sfa_desktop.sync.faults`, ``SFA_FAULT``) and the server
(:mod:`sync_server.faults`, ``SFA_SERVER_FAULT``) each name their points and call
:meth:`KillSwitch.reached` there. The environment variable ``<point>[:<nth>]`` makes the process
kill itself with SIGKILL the ``nth`` time (default 1) it gets to ``point``: no clean-up, no
rollback, no buffered output written, exactly like a crash or a power cut at that moment.
Without the variable a call costs one comparison (the variable is read once, at the first call).
"""

from __future__ import annotations

import os
import signal
import threading


def parse(text: str, points: frozenset[str]) -> tuple[str, int]:
    """``"pull.after_page:3"`` → ``("pull.after_page", 3)``; ValueError for anything else."""
    point, _, nth_text = text.strip().partition(":")
    if point not in points:
        raise ValueError(f"unknown fault point {point!r} (known: {', '.join(sorted(points))})")
    nth = int(nth_text) if nth_text else 1
    if nth < 1:
        raise ValueError(f"the fault point count must be at least 1, not {nth}")
    return point, nth


class KillSwitch:
    """Kills the process at the ``nth`` arrival at the point named in ``env_var``."""

    def __init__(self, env_var: str, points: frozenset[str]) -> None:
        self.env_var = env_var
        self.points = points
        self._lock = threading.Lock()
        self._loaded = False
        self._plan: tuple[str, int] | None = None
        self._seen = 0

    def reached(self, point: str) -> None:
        if self._loaded and self._plan is None:
            return
        with self._lock:
            if not self._loaded:
                text = os.environ.get(self.env_var, "")
                self._plan = parse(text, self.points) if text.strip() else None
                self._loaded = True
            if self._plan is None or self._plan[0] != point:
                return
            self._seen += 1
            if self._seen == self._plan[1]:
                kill_this_process()


def kill_this_process() -> None:
    """SIGKILL ourselves (TerminateProcess on Windows): nothing runs after this."""
    os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))
