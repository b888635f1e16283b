"""The ORM models of the local database, one per catalog entity plus local tables.

``MODEL_BY_ENTITY`` maps each catalog entity name (``"account"``) to its model; a test proves
it covers ``sync_server.protocol.catalog.ENTITIES`` with matching columns.
"""

from __future__ import annotations

from .activities import Visit
from .base import Base, SyncedRecord
from .conflicts import Conflict
from .customers import Account, Contact
from .local import (
    AccountSegmentCache,
    AccountValueCache,
    AccountValueChange,
    AccountVisitDue,
    AccountVisitSummary,
    AppMeta,
    PendingFollowUp,
    VisitMonthCount,
)
from .quote_numbers import QuoteNumberBlock, QuoteNumberFallback
from .reference import Company, PriceList, PriceListItem, Product, Quota, User
from .sales import (
    ForecastAdjustment,
    ForecastSubmission,
    Opportunity,
    OpportunityStageChange,
    Quote,
    QuoteLine,
)
from .segments import SavedSegment
from .sync_state import (
    DeferredDrop,
    OutboxEntry,
    RecordSyncState,
    RejectedMutation,
    RestoreCheck,
    ShadowValue,
)

SYNCED_MODELS: tuple[type[SyncedRecord], ...] = (
    User,
    Product,
    PriceList,
    PriceListItem,
    Quota,
    Company,
    Account,
    Contact,
    Visit,
    Opportunity,
    OpportunityStageChange,
    Quote,
    QuoteLine,
    ForecastSubmission,
    ForecastAdjustment,
    SavedSegment,
    Conflict,
)

MODEL_BY_ENTITY: dict[str, type[SyncedRecord]] = {m.entity_name: m for m in SYNCED_MODELS}

#: Columns of synced tables that exist only locally (never sent, never received).
LOCAL_ONLY_COLUMNS: dict[str, frozenset[str]] = {
    "account": frozenset({"search_text"}),
    "contact": frozenset({"search_text"}),
}

__all__ = [
    "MODEL_BY_ENTITY",
    "SYNCED_MODELS",
    "Account",
    "AccountSegmentCache",
    "AccountValueCache",
    "AccountValueChange",
    "AccountVisitDue",
    "AccountVisitSummary",
    "AppMeta",
    "Base",
    "Company",
    "Conflict",
    "Contact",
    "DeferredDrop",
    "ForecastAdjustment",
    "ForecastSubmission",
    "Opportunity",
    "OpportunityStageChange",
    "OutboxEntry",
    "PendingFollowUp",
    "PriceList",
    "PriceListItem",
    "Product",
    "Quota",
    "Quote",
    "QuoteLine",
    "QuoteNumberBlock",
    "QuoteNumberFallback",
    "RecordSyncState",
    "RejectedMutation",
    "RestoreCheck",
    "SavedSegment",
    "ShadowValue",
    "SyncedRecord",
    "User",
    "Visit",
    "VisitMonthCount",
]
