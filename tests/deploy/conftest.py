"""Fixtures for the deployment suite: the server suite's databases (SQLite and PostgreSQL)."""

# ruff: noqa: F401  (pytest fixtures re-exported from the server suite)
from __future__ import annotations

from server.conftest import (
    backend,
    database_url,
    postgres_available,
    postgres_scratch,
    sqlite_template,
)
