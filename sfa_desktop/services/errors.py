"""The errors the UI and the CLI catch by type, from the layers below the services.

Store errors concern a record or the profile's files; sync errors the server and the sign-in.
Each carries a ``code``: :mod:`sfa_desktop.services.messages` turns it into a sentence.
"""

from __future__ import annotations

from sfa_desktop.store.errors import RecordNotFound, StoreError
from sfa_desktop.sync.errors import (
    CaFileUnusable,
    CertificateNotTrusted,
    ClientOutdated,
    NotSignedIn,
    ServerTimedOut,
    ServerUnreachable,
    SignInRequired,
    SyncError,
)

__all__ = [
    "CaFileUnusable",
    "CertificateNotTrusted",
    "ClientOutdated",
    "NotSignedIn",
    "RecordNotFound",
    "ServerTimedOut",
    "ServerUnreachable",
    "SignInRequired",
    "StoreError",
    "SyncError",
]
