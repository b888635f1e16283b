"""Where the sign-in token lives: the operating system's keyring, never a plain file (SPEC §6).

Entries are stored under service ``sfa-desktop`` with the server URL and e-mail as the key.
When no usable keyring exists (no backend, or keyring's "fail" backend), the token is kept in
memory for this run only and :attr:`TokenStore.persistent` is False, so the caller can tell
the user they will be asked to sign in again next time.
"""

from __future__ import annotations

import contextlib
import threading

import keyring
import keyring.errors
from keyring.backend import KeyringBackend
from keyring.backends import fail

SERVICE = "sfa-desktop"


def token_key(server_url: str, email: str) -> str:
    return f"{server_url} {email.strip().lower()}"


class TokenStore:
    """Tokens by (server, e-mail). Pass ``backend`` to choose the keyring (tests do)."""

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._backend = backend
        self._memory: dict[str, str] = {}
        self._lock = threading.Lock()
        self._usable: bool | None = None

    def _keyring(self) -> KeyringBackend | None:
        backend = self._backend if self._backend is not None else keyring.get_keyring()
        if isinstance(backend, fail.Keyring):
            return None
        return backend

    @property
    def persistent(self) -> bool:
        """Whether tokens survive this run (a working keyring is available)."""
        if self._usable is None:
            self._usable = self._keyring() is not None
        return self._usable

    def save(self, server_url: str, email: str, token: str) -> bool:
        """Store the token; returns False when it is only kept in memory for this run."""
        key = token_key(server_url, email)
        with self._lock:
            self._memory[key] = token
        backend = self._keyring() if self.persistent else None
        if backend is None:
            return False
        try:
            backend.set_password(SERVICE, key, token)
        except keyring.errors.KeyringError:
            self._usable = False
            return False
        return True

    def load(self, server_url: str, email: str) -> str | None:
        key = token_key(server_url, email)
        with self._lock:
            if key in self._memory:
                return self._memory[key]
        backend = self._keyring() if self.persistent else None
        if backend is None:
            return None
        try:
            return backend.get_password(SERVICE, key)
        except keyring.errors.KeyringError:
            return None

    def delete(self, server_url: str, email: str) -> None:
        key = token_key(server_url, email)
        with self._lock:
            self._memory.pop(key, None)
        backend = self._keyring() if self.persistent else None
        if backend is None:
            return
        # nothing stored (PasswordDeleteError), or the keyring went away
        with contextlib.suppress(keyring.errors.KeyringError):
            backend.delete_password(SERVICE, key)
