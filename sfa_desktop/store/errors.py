"""Errors raised by the local store.

Every error carries a stable machine-readable ``code`` (the UI and the CLI translate by code)
and a plain English ``message`` for logs, tests and the CLI's fallback output.

When opening a database fails with :class:`DatabaseCorrupt`, :class:`DatabaseTooNew`,
:class:`DatabaseLocked`, :class:`ForeignDatabase` or :class:`DataDirError`, the file has not
been written to: it is never overwritten, "repaired", migrated or deleted.
"""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """Base class of every error the store raises on purpose."""

    code: str = "store_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DataDirError(StoreError):
    """The data folder cannot be used (it is a file, or it is not writable)."""

    code = "data_dir"

    def __init__(self, message: str, *, path: Path) -> None:
        super().__init__(message)
        self.path = path


class DatabaseError(StoreError):
    """A problem with the database file itself; ``path`` names the file."""

    def __init__(self, message: str, *, path: Path) -> None:
        super().__init__(message)
        self.path = path


class DiskFull(DatabaseError):
    """The disk holding the database has no room left; the write was undone (nothing half-done)."""

    code = "disk_full"


class DiskIOError(DatabaseError):
    """The disk reported an error reading or writing the database (not a full disk)."""

    code = "disk_io_error"


class DatabaseNotFound(DatabaseError):
    """``open_database(..., create=False)`` was given a path with no file."""

    code = "db_not_found"


class DatabaseCorrupt(DatabaseError):
    """Not an SQLite database, malformed, truncated, or failing its integrity check."""

    code = "db_corrupt"


class DatabaseTooNew(DatabaseError):
    """The file was written by a newer version of the app than this one."""

    code = "db_too_new"


class DatabaseLocked(DatabaseError):
    """Another process (for instance a second copy of the app) is using the file."""

    code = "db_locked"


class ForeignDatabase(DatabaseError):
    """A valid SQLite database that was not created by this app."""

    code = "db_foreign"


class InvalidRecord(StoreError):
    """A record value does not fit the entity catalog (or breaks a store constraint)."""

    code = "invalid_record"

    def __init__(self, entity: str, field: str | None, reason: str) -> None:
        where = f"{entity}.{field}" if field else entity
        super().__init__(f"{where}: {reason}")
        self.entity = entity
        self.field = field
        self.reason = reason


class RecordNotFound(StoreError):
    """No record of that entity has that id."""

    code = "record_not_found"

    def __init__(self, entity: str, record_id: str, message: str | None = None) -> None:
        super().__init__(message or f"no {entity} with id {record_id!r}")
        self.entity = entity
        self.record_id = record_id


class RecordDeleted(RecordNotFound):
    """The record exists only as a tombstone (soft-deleted): it cannot be edited."""

    code = "record_deleted"

    def __init__(self, entity: str, record_id: str) -> None:
        super().__init__(entity, record_id, f"the {entity} {record_id!r} has been deleted")
