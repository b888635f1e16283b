"""The sync layer's types that the UI and the CLI name: a sync's progress and report, the
engine :func:`~sfa_desktop.services.sync_account.connect` returns, the keyring and the retry
policy. Re-exported here so that those layers import the services only (ARCHITECTURE.md).
"""

from __future__ import annotations

from sfa_desktop.sync.engine import SyncEngine
from sfa_desktop.sync.report import SyncPhase, SyncProgress, SyncReport
from sfa_desktop.sync.tokens import TokenStore
from sfa_desktop.sync.transport import RetryPolicy

__all__ = [
    "RetryPolicy",
    "SyncEngine",
    "SyncPhase",
    "SyncProgress",
    "SyncReport",
    "TokenStore",
]
