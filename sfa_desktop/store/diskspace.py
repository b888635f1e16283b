"""How much room the disk of a folder has left: tells a full disk from other I/O errors."""

from __future__ import annotations

import shutil
from pathlib import Path

#: With less free space than this, a failed write is reported as a full disk.
FULL_BELOW_BYTES = 1024 * 1024


def free_bytes(folder: Path) -> int | None:
    """Bytes this process may still write on ``folder``'s disk (``None``: cannot tell)."""
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def looks_full(folder: Path) -> bool:
    free = free_bytes(folder)
    return free is not None and free < FULL_BELOW_BYTES
