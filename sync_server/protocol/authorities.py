"""The entities' write rules, declared with the mechanism of :mod:`.authority`: quotes and their
lines (status flow, frozen content, approvers, revisions, unique numbers), accounts (unique tax
id), forecast submissions and adjustments, opportunities and their stage history. The catalog
attaches them to its entities; both sides check them."""

from __future__ import annotations

from .authority import (
    MANAGER,
    FrozenOutside,
    FrozenWithParent,
    Grant,
    MatchesParent,
    RecordAuthority,
    RevisionOf,
    Role,
    StatusFlow,
    Transition,
)

#: The stages of an opportunity (the catalog's ``OPPORTUNITY_STAGES`` are these).
OPPORTUNITY_STAGE_NAMES = (
    "prospecting",
    "qualification",
    "proposal",
    "negotiation",
    "closed_won",
    "closed_lost",
)

#: Quote statuses in which the content (fields and lines) may still change.
QUOTE_EDITABLE_STATUSES = frozenset({"draft", "pending_approval"})

#: A rep approves their own quote when every discount is within their limit; otherwise (or for
#: someone else's quote) the owner's manager chain or an admin approves.
_APPROVERS = (Grant(Role.MANAGER), Grant(Role.ANYONE, "discounts_within_limit"))
#: Expiry is a fact of the date: anybody moves a quote whose valid-until has passed.
_ONCE_PASSED = (Grant(Role.ANYONE, "valid_until_passed"),)

QUOTE_STATUS_FLOW = StatusFlow(
    "status",
    (
        Transition(None, "draft"),
        Transition("draft", "pending_approval"),
        # the rep withdraws the request (to edit again), or a manager sends it back
        Transition("pending_approval", "draft"),
        Transition("draft", "approved", by=_APPROVERS),
        Transition("pending_approval", "approved", by=_APPROVERS),
        Transition("approved", "sent"),
        Transition("sent", "accepted"),
        Transition("sent", "rejected"),
        Transition("pending_approval", "expired", by=_ONCE_PASSED),
        Transition("approved", "expired", by=_ONCE_PASSED),
        Transition("sent", "expired", by=_ONCE_PASSED),
    ),
    reasons=(("rejected", "rejection_reason"),),
)

QUOTE_AUTHORITY = RecordAuthority(
    manager_fields=frozenset({"approved_by_id", "approved_at", "decision_note"}),
    actor_fields=frozenset({"approved_by_id"}),
    status=QUOTE_STATUS_FLOW,
    frozen_outside=FrozenOutside(
        QUOTE_EDITABLE_STATUSES,
        still_written=frozenset(
            {
                "owner_id",
                "sent_at",
                "pdf_sha256",
                "approved_by_id",
                "approved_at",
                "decision_note",
                "rejection_reason",
            }
        ),
    ),
    # the revisions of a quote keep its number ("Q-ANA-2026-0012 rev. 2")
    unique_keys=(("number", "revision"),),
    revision_of=RevisionOf("previous_quote_id", "number", "revision"),
)

#: Accounts: no two share a tax id (stored canonical, so "b-1234567-4" and "B12345674" are
#: the same); accounts without one never clash.
ACCOUNT_AUTHORITY = RecordAuthority(unique_keys=(("tax_id",),))

QUOTE_LINE_AUTHORITY = RecordAuthority(
    owner_field=None,
    frozen_with_parent=FrozenWithParent("quote_id", "quote", QUOTE_AUTHORITY),
)

FORECAST_SUBMISSION_AUTHORITY = RecordAuthority(
    manager_fields=frozenset(
        {"manager_id", "manager_adjustment", "manager_note", "manager_adjusted_at"}
    ),
    actor_fields=frozenset({"manager_id"}),
    frozen_after_create=True,
)

#: A manager's adjustment of a forecast call (a rep's, or a whole team's): a record of its own
#: per adjustment, so the history is kept; made only by a manager above the owner (the rep, or
#: the team's manager) or an admin, in their own name, and never changed or deleted after that.
FORECAST_ADJUSTMENT_AUTHORITY = RecordAuthority(
    created_by=MANAGER,
    actor_fields=frozenset({"adjusted_by_id"}),
    frozen_after_create=True,
    frozen_code="history_read_only",
)

#: Opportunity stages: a deal moves freely between stages (and is created in any of them, or
#: reopened after closing); closing it lost needs the reason.
OPPORTUNITY_STAGE_FLOW = StatusFlow(
    "stage",
    tuple(
        Transition(source, target)
        for source in (None, *OPPORTUNITY_STAGE_NAMES)
        for target in OPPORTUNITY_STAGE_NAMES
        if source != target
    ),
    reasons=(("closed_lost", "lost_reason"),),
)

OPPORTUNITY_AUTHORITY = RecordAuthority(status=OPPORTUNITY_STAGE_FLOW)

#: An opportunity's stage history: written with the change (its new stage and close date are
#: the opportunity's), by whoever makes it, in their own name, and read-only after that
#: (nobody rewrites or deletes the history).
OPPORTUNITY_STAGE_CHANGE_AUTHORITY = RecordAuthority(
    owner_field=None,
    actor_fields=frozenset({"changed_by_id"}),
    frozen_after_create=True,
    frozen_code="history_read_only",
    matches_parent=MatchesParent(
        "opportunity_id",
        "opportunity",
        (("to_stage", "stage"), ("to_close_date", "expected_close_date")),
        changes=(("from_stage", "to_stage"), ("from_close_date", "to_close_date")),
    ),
)
