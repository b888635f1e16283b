"""The version of the app, as the About box shows it (one source for the whole product:
:func:`sync_server.protocol.release.release_version`)."""

from __future__ import annotations

from sync_server.protocol.release import release_version


def app_version() -> str:
    """``"0.1.0"``, or ``"dev"`` when it cannot be found."""
    return release_version()
