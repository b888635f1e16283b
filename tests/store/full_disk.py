"""A profile folder whose disk fills up on demand, two ways (both deterministic).

* ``tmpfs``: the folder is a 2 MiB tmpfs and a filler file takes every free block, so the
  kernel answers ENOSPC exactly as a full disk does. Needs root and permission to mount
  (skipped where either is missing).
* ``rlimit``: no privileges: ``RLIMIT_FSIZE`` is set to 0 for this process, so the kernel
  refuses every write that would put a byte in a file (EFBIG; Python ignores SIGXFSZ), and the
  store's free-space probe (:func:`sfa_desktop.store.diskspace.free_bytes`) reports 0 bytes
  for this folder, as it would on a full disk. SQLite meets the same failures as on a full disk
  (its shared-memory index cannot grow, its WAL cannot be written); only the errno differs.

Outside :meth:`FullDisk.full` the disk has room again.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from sfa_desktop.store import diskspace

KINDS = ["rlimit", "tmpfs"]


class FullDisk:
    def __init__(self, kind: str, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.kind = kind
        self.folder = folder
        self._monkeypatch = monkeypatch

    @contextmanager
    def full(self) -> Iterator[None]:
        if self.kind == "tmpfs":
            filler = self.folder.parent / f"filler-{uuid.uuid4().hex}"
            try:
                fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o644)
                try:
                    while True:
                        try:
                            os.write(fd, b"\0" * 4096)
                        except OSError:
                            break
                finally:
                    os.close(fd)
                assert shutil.disk_usage(self.folder).free == 0
                yield
            finally:
                filler.unlink(missing_ok=True)
            return
        real_free_bytes = diskspace.free_bytes
        folder = self.folder.resolve()

        def free_bytes(path: Path) -> int | None:
            inside = Path(path).resolve().is_relative_to(folder)
            return 0 if inside else real_free_bytes(path)

        soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        self._monkeypatch.setattr(diskspace, "free_bytes", free_bytes)
        resource.setrlimit(resource.RLIMIT_FSIZE, (0, hard))
        try:
            yield
        finally:
            resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
            self._monkeypatch.setattr(diskspace, "free_bytes", real_free_bytes)


@contextmanager
def full_disk(kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FullDisk]:
    """A profile folder (``.folder``, not created) on a disk that :meth:`FullDisk.full` fills."""
    if kind == "rlimit":
        yield FullDisk(kind, tmp_path / "profile", monkeypatch)
        return
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount_point)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield FullDisk(kind, mount_point / "profile", monkeypatch)
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)
