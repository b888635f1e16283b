"""A keyring backend in a JSON file, so that ``sfa`` processes started by the tests share
sign-ins without touching the OS keyring. Subprocesses load it with
``PYTHON_KEYRING_BACKEND=faults.file_keyring.FileKeyring`` and ``SFA_TEST_KEYRING_FILE``."""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

PATH_ENV = "SFA_TEST_KEYRING_FILE"


class FileKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self, path: Path | None = None) -> None:
        super().__init__()
        self.path = path if path is not None else Path(os.environ[PATH_ENV])

    def _read(self) -> dict[str, str]:
        if not self.path.exists():
            return {}
        entries: dict[str, str] = json.loads(self.path.read_text())
        return entries

    def _write(self, entries: dict[str, str]) -> None:
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(entries))
        temporary.replace(self.path)

    def set_password(self, service: str, username: str, password: str) -> None:
        entries = self._read()
        entries[f"{service}\n{username}"] = password
        self._write(entries)

    def get_password(self, service: str, username: str) -> str | None:
        return self._read().get(f"{service}\n{username}")

    def delete_password(self, service: str, username: str) -> None:
        entries = self._read()
        if entries.pop(f"{service}\n{username}", None) is None:
            raise PasswordDeleteError("not found")
        self._write(entries)
