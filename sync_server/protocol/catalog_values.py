"""The values the catalog's fields allow (roles, stages, statuses, kinds…) and the defaults an
opportunity's stage gives its probability and forecast category. Re-exported by
:mod:`.catalog`, where both sides look."""

from __future__ import annotations

from .authorities import OPPORTUNITY_STAGE_NAMES
from .quote_totals import LINE_KINDS

ROLES = ("rep", "manager", "admin")
LIFECYCLE_STAGES = ("prospect", "qualified", "customer", "lapsed")
CHANNELS = ("visit", "phone", "email", "video", "chat")
PURCHASE_ROLES = ("decision_maker", "influencer", "user", "gatekeeper", "champion", "other")
ACTIVITY_KINDS = ("visit", "call", "email", "meeting", "task")
ACTIVITY_STATUSES = ("planned", "done", "cancelled", "no_show")
OPPORTUNITY_STAGES: tuple[str, ...] = OPPORTUNITY_STAGE_NAMES
FORECAST_CATEGORIES = ("pipeline", "best_case", "commit", "omitted", "closed")
QUOTE_STATUSES = (
    "draft",
    "pending_approval",
    "approved",
    "sent",
    "accepted",
    "rejected",
    "expired",
)
PRODUCT_KINDS = ("product", "option", "component")
#: A quota for the person's own deals, or for their whole team (overriding the sum of members')
QUOTA_SCOPES = ("personal", "team")
#: What a manager's forecast adjustment adjusts: one person's call, or a manager's team call
ADJUSTMENT_SCOPES = ("rep", "team")
#: item (a priced line), section (a heading with a subtotal), text (a free line): see
#: :mod:`.quote_totals`
QUOTE_LINE_KINDS: tuple[str, ...] = LINE_KINDS
#: The largest logo the company settings carry: 300 KiB of PNG, as base64 text.
LOGO_MAX_BYTES = 300 * 1024
LOGO_MAX_LENGTH = 4 * ((LOGO_MAX_BYTES + 2) // 3)

#: Default win probability (percent) for each opportunity stage; a rep may override it.
STAGE_DEFAULT_PROBABILITY: dict[str, int] = {
    "prospecting": 10,
    "qualification": 20,
    "proposal": 50,
    "negotiation": 75,
    "closed_won": 100,
    "closed_lost": 0,
}
#: Default forecast category for each stage; a rep may override it on open deals. A won deal
#: is ``closed``; a lost one drops out of the forecast (``omitted``); a deal in negotiation is
#: ``best_case`` until the rep commits it (committing is the rep's call, never a default).
STAGE_DEFAULT_FORECAST_CATEGORY: dict[str, str] = {
    "prospecting": "pipeline",
    "qualification": "pipeline",
    "proposal": "pipeline",
    "negotiation": "best_case",
    "closed_won": "closed",
    "closed_lost": "omitted",
}
