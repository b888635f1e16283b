"""A loopback TCP proxy in front of the server that cuts connections on demand.

Listens on 127.0.0.1 (a port the OS picks) and forwards every connection to the server's
current port. A :class:`Cut` armed with :meth:`CuttingProxy.arm` picks one HTTP request by its
path (the ``skip`` matching ones before it pass) and closes both sides of its connection
either part-way through the request (the server never gets all of it) or part-way through the
response body (the server has answered, the client never hears it all). Exactly where is a
fraction of the body (of the head for a request without one), so a seeded fraction gives a
repeatable cut.

HTTP/1.1 without pipelining (httpx): on one connection a request is sent whole before its
response comes back, so new client bytes after server bytes start a new request.
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading
from dataclasses import dataclass
from typing import Literal

#: a connection idle this long is closed (only ever one a client or a test abandoned)
IDLE_TIMEOUT_S = 600.0
HEADER_END = b"\r\n\r\n"


@dataclass
class Cut:
    path: str
    where: Literal["request", "response"]
    #: the share of the body that gets through before the cut (0 ≤ fraction < 1)
    fraction: float
    #: let this many matching requests through first
    skip: int = 0


class _Connection:
    def __init__(self, proxy: CuttingProxy, client: socket.socket) -> None:
        self.proxy = proxy
        self.client = client
        self.upstream = socket.create_connection(("127.0.0.1", proxy.target_port), timeout=10)
        self.last_from_server = True  # the next client bytes start a request
        self.recognised = False
        #: the cut this connection is carrying out, once its request has been recognised
        self.cut: Cut | None = None
        self.request_head = b""
        self.response_head = b""
        self.budget: int | None = None  # bytes still to forward before cutting

    def run(self) -> None:
        try:
            self._pump()
        except OSError:
            pass
        finally:
            self.close()

    def close(self) -> None:
        for sock in (self.client, self.upstream):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                sock.close()

    def _pump(self) -> None:
        sockets = [self.client, self.upstream]
        while True:
            readable, _, _ = select.select(sockets, [], [], IDLE_TIMEOUT_S)
            if not readable:
                return
            for sock in readable:
                data = sock.recv(65536)
                if not data:
                    return
                if sock is self.client:
                    if not self._from_client(data):
                        return
                elif not self._from_server(data):
                    return

    # --- client → server ------------------------------------------------------------------

    def _from_client(self, data: bytes) -> bool:
        if self.last_from_server:  # a new request starts
            self.last_from_server = False
            self.recognised = False
            self.request_head = self.response_head = b""
            self.cut = None
            self.budget = None
        if not self.recognised:
            self.request_head += data
            if HEADER_END not in self.request_head:
                return True  # hold the bytes until the request line and headers are here
            data, self.request_head = self.request_head, b""
            self.recognised = True
            self.cut = self.proxy._claim(_path_of(data))
            if self.cut is not None and self.cut.where == "request":
                self.budget = _cut_offset(data, self.cut.fraction)
        if self.cut is not None and self.cut.where == "request":
            return self._forward_budget(self.upstream, data)
        self.upstream.sendall(data)
        return True

    # --- server → client ------------------------------------------------------------------

    def _from_server(self, data: bytes) -> bool:
        self.last_from_server = True
        if self.cut is None or self.cut.where != "response":
            self.client.sendall(data)
            return True
        if self.budget is None:
            self.response_head += data
            if HEADER_END not in self.response_head:
                return True
            data, self.response_head = self.response_head, b""
            self.budget = _cut_offset(data, self.cut.fraction)
        return self._forward_budget(self.client, data)

    def _forward_budget(self, target: socket.socket, data: bytes) -> bool:
        """Forward what the budget allows; False (close the connection) once it is spent."""
        assert self.budget is not None
        target.sendall(data[: self.budget])
        self.budget -= min(len(data), self.budget)
        if self.budget > 0:
            return True
        self.proxy._done()
        return False


def _cut_offset(message: bytes, fraction: float) -> int:
    """Where to cut a message whose head is in ``message``: that share of its body, or of its
    head when it has no body (a GET)."""
    head, _, _ = message.partition(HEADER_END)
    length = _content_length(head)
    if length == 0:
        return max(1, int(fraction * len(head)))
    return len(head) + len(HEADER_END) + min(int(fraction * length), length - 1)


def _path_of(head: bytes) -> str:
    line = head.split(b"\r\n", 1)[0].decode("latin-1")
    parts = line.split(" ")
    return parts[1].split("?", 1)[0] if len(parts) >= 2 else ""


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return 0


class CuttingProxy:
    """Forwards 127.0.0.1:``port`` to 127.0.0.1:``target_port``; cuts what :meth:`arm` says."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._listener.getsockname()[1])
        self._lock = threading.Lock()
        self._cut: Cut | None = None
        self._seen = 0
        self.cuts_done = 0
        self._connections: list[_Connection] = []
        self._threads: list[threading.Thread] = []
        self._closed = False
        self._acceptor = threading.Thread(target=self._accept, name="cutting-proxy", daemon=True)
        self._acceptor.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def arm(self, cut: Cut) -> None:
        with self._lock:
            self._cut, self._seen = cut, 0

    def disarm(self) -> None:
        with self._lock:
            self._cut = None

    def _claim(self, path: str) -> Cut | None:
        """The armed cut if it applies to this request (it then applies to no other)."""
        with self._lock:
            cut = self._cut
            if cut is None or not path.endswith(cut.path):
                return None
            self._seen += 1
            if self._seen <= cut.skip:
                return None
            self._cut = None
            return cut

    def _done(self) -> None:
        with self._lock:
            self.cuts_done += 1

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            try:
                connection = _Connection(self, client)
            except OSError:  # the server is down: the client sees a closed connection
                client.close()
                continue
            thread = threading.Thread(target=connection.run, daemon=True)
            with self._lock:
                if self._closed:
                    connection.close()
                    return
                self._connections.append(connection)
                self._threads.append(thread)
            thread.start()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            connections = list(self._connections)
            threads = list(self._threads)
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        with contextlib.suppress(OSError):
            self._listener.close()
        for connection in connections:
            connection.close()
        for thread in threads:
            thread.join(timeout=5)
        self._acceptor.join(timeout=5)
