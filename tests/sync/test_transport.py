"""The client's HTTP layer on its own: timeouts, and answers that must not be retried.

A "silent port" is a local listening socket that never calls ``accept``: the kernel completes
the TCP handshake from its backlog, so a client connects, sends its request and waits for an
answer that never comes, exactly like a hung server or a wrong service behind the port.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import pytest

from sfa_desktop.i18n import set_language
from sfa_desktop.services.messages import error_text
from sfa_desktop.sync.errors import ClientOutdated, RateLimited, ServerTimedOut, ServerUnreachable
from sfa_desktop.sync.transport import (
    CONNECT_TIMEOUT_S,
    DEFAULT_TIMEOUT,
    READ_TIMEOUT_S,
    RetryPolicy,
    SyncApi,
)

SHORT_TIMEOUT = httpx.Timeout(0.2)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def silent_server() -> Iterator[socket.socket]:
    """A listening socket that accepts connections (in its backlog) and never answers."""
    with socket.create_server(("127.0.0.1", 0), backlog=16) as server:
        yield server


def connections_made(server: socket.socket) -> int:
    server.setblocking(False)
    count = 0
    while True:
        try:
            connection, _address = server.accept()
        except BlockingIOError:
            return count
        connection.close()
        count += 1


def sign_in(api: SyncApi) -> None:
    api.login(email="ana@example.com", password="secret", device_name="laptop")


def test_a_port_that_accepts_and_never_answers_times_out_once(
    silent_server: socket.socket,
) -> None:
    slept: list[float] = []
    port = silent_server.getsockname()[1]
    with httpx.Client(timeout=SHORT_TIMEOUT) as http:
        api = SyncApi(f"http://127.0.0.1:{port}", http=http, retry=RetryPolicy(sleep=slept.append))
        with pytest.raises(ServerTimedOut) as caught:
            sign_in(api)
    assert isinstance(caught.value, ServerUnreachable)  # the app treats it as "offline"
    assert caught.value.timeout_seconds == 0.2
    assert (connections_made(silent_server), slept) == (1, [])  # one wait, no retries
    assert error_text(caught.value) == (
        "The server did not answer within 0.2 seconds. Try again later; your changes are kept."
    )
    set_language("es")
    assert error_text(caught.value) == (
        "El servidor no ha respondido en 0.2 segundos. Inténtalo más tarde; "
        "tus cambios se conservan."
    )


def test_the_production_timeouts_are_bounded_and_used() -> None:
    limits = (DEFAULT_TIMEOUT.connect, DEFAULT_TIMEOUT.read, DEFAULT_TIMEOUT.write)
    assert all(limit is not None and 0 < limit <= 30 for limit in limits)
    assert DEFAULT_TIMEOUT.pool is not None and DEFAULT_TIMEOUT.pool <= 30
    assert (DEFAULT_TIMEOUT.connect, DEFAULT_TIMEOUT.read) == (CONNECT_TIMEOUT_S, READ_TIMEOUT_S)
    api = SyncApi("https://sfa.example.com")
    try:
        assert api.http.timeout == DEFAULT_TIMEOUT
    finally:
        api.close()


def test_a_429_that_says_how_long_to_wait_is_answered_at_once() -> None:
    requests: list[httpx.Request] = []

    def rate_limited(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        body = {"code": "rate_limited", "message": "too many failed sign-in attempts"}
        return httpx.Response(429, json=body, headers={"Retry-After": "840"})

    slept: list[float] = []
    with httpx.Client(transport=httpx.MockTransport(rate_limited)) as http:
        api = SyncApi("https://sfa.example.com", http=http, retry=RetryPolicy(sleep=slept.append))
        with pytest.raises(RateLimited) as caught:
            sign_in(api)
    assert (len(requests), slept, caught.value.retry_after) == (1, [], 840)
    assert error_text(caught.value) == "Too many attempts. Try again in 14 minutes."
    caught.value.retry_after = 1
    assert error_text(caught.value) == "Too many attempts. Try again in 1 second."
    set_language("es")
    assert error_text(caught.value) == "Demasiados intentos. Vuelve a intentarlo en 1 segundo."


def outdated(details: object) -> ClientOutdated:
    """What signing in raises when the server answers 426 with these details."""

    def too_old(_request: httpx.Request) -> httpx.Response:
        body = {"code": "client_outdated", "message": "too old", "details": details}
        return httpx.Response(426, json=body)

    with httpx.Client(transport=httpx.MockTransport(too_old)) as http:
        api = SyncApi(
            "https://sfa.example.com", http=http, retry=RetryPolicy(sleep=lambda _s: None)
        )
        with pytest.raises(ClientOutdated) as caught:
            sign_in(api)
    return caught.value


def test_an_outdated_client_is_told_the_protocol_and_where_to_update() -> None:
    url = "https://downloads.example.com/sfa/"
    told = outdated({"required_protocol": 4, "download_url": url})
    assert (told.required_protocol, told.download_url) == (4, url)
    assert error_text(told) == (
        f"The server needs a newer SFA Desktop (protocol 4). Install the latest version from {url}"
    )
    ask = (
        "The server needs a newer SFA Desktop (protocol 4). "
        "Install the latest version: your administrator can tell you where to get it."
    )
    assert error_text(outdated({"required_protocol": 4, "download_url": None})) == ask
    # an address that is not one plain http(s) URL is never shown; the protocol still is
    for bad in ("javascript:alert(1)", "https://x.example/<a href=evil>", 7):
        assert error_text(outdated({"required_protocol": 4, "download_url": bad})) == ask
    # an older server says nothing more: the general sentence
    general = "This version of SFA Desktop is too old for the server. Please update it."
    for nothing in (None, {}, {"required_protocol": "four"}, ["x"]):
        assert error_text(outdated(nothing)) == general
    set_language("es")
    assert error_text(told) == (
        "El servidor necesita un SFA Desktop más reciente (protocolo 4). "
        f"Instala la última versión desde {url}"
    )


def test_a_429_without_a_wait_is_still_retried_with_backoff() -> None:
    answers = [429, 429, 200]

    def busy_then_fine(request: httpx.Request) -> httpx.Response:
        status = answers.pop(0)
        if status == 429:
            return httpx.Response(429, json={"code": "rate_limited", "message": "busy"})
        body = {
            "token": "t",
            "device_id": "d",
            "user": {
                "id": "u",
                "name": "Ana",
                "email": "ana@example.com",
                "role": "rep",
                "rep_code": "A1",
            },
        }
        return httpx.Response(200, json=body)

    slept: list[float] = []
    policy = RetryPolicy(sleep=slept.append, random=lambda: 1.0)
    with httpx.Client(transport=httpx.MockTransport(busy_then_fine)) as http:
        sign_in(SyncApi("https://sfa.example.com", http=http, retry=policy))
    assert slept == [0.5, 1.0]
