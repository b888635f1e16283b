"""The installed version of the app (from the package metadata)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version


def app_version() -> str:
    """``"0.1.0"``, or ``"dev"`` when running from a tree that is not installed."""
    try:
        return version("sfa-desktop")
    except PackageNotFoundError:
        return "dev"
