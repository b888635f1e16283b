"""The entity catalog: the one definition of what syncs.

Both the desktop client and the sync server build on this module, so the two sides cannot
drift apart. Each entity lists its fields (with a wire type, whether it is required, the
allowed values of an enum, the entity a reference points to), which rule gives a record its
*scope* (who may see it), and whether clients may write it at all.

Every record also carries the common fields in :data:`COMMON_FIELDS` (id, timestamps and the
soft-delete tombstone); they are not repeated in each entity's field list. The spec types and
the field helpers are in :mod:`.catalog_specs` (re-exported here).
"""

from __future__ import annotations

from .authorities import (
    ACCOUNT_AUTHORITY,
    FORECAST_ADJUSTMENT_AUTHORITY,
    FORECAST_SUBMISSION_AUTHORITY,
    OPPORTUNITY_AUTHORITY,
    OPPORTUNITY_STAGE_CHANGE_AUTHORITY,
    QUOTE_AUTHORITY,
    QUOTE_LINE_AUTHORITY,
)
from .catalog_specs import (
    EntitySpec,
    FieldFormat,
    FieldSpec,
    FieldType,
    ScopeRule,
    _currency,
    _enum,
    _long,
    _money,
    _percent,
    _ref,
    _text,
)
from .catalog_values import (
    ACTIVITY_KINDS,
    ACTIVITY_STATUSES,
    ADJUSTMENT_SCOPES,
    CHANNELS,
    FORECAST_CATEGORIES,
    LIFECYCLE_STAGES,
    LOGO_MAX_BYTES,
    LOGO_MAX_LENGTH,
    OPPORTUNITY_STAGES,
    PRODUCT_KINDS,
    PURCHASE_ROLES,
    QUOTA_SCOPES,
    QUOTE_LINE_KINDS,
    QUOTE_STATUSES,
    ROLES,
    STAGE_DEFAULT_FORECAST_CATEGORY,
    STAGE_DEFAULT_PROBABILITY,
)

# The spec types are re-exported with the entities: the catalog is where both sides look.
__all__ = [
    "ACCOUNT",
    "ACTIVITY",
    "ACTIVITY_KINDS",
    "ACTIVITY_STATUSES",
    "ADJUSTMENT_SCOPES",
    "CATALOG",
    "CHANNELS",
    "COMMON_FIELDS",
    "COMMON_FIELD_NAMES",
    "COMPANY",
    "CONFLICT",
    "CONTACT",
    "ENTITIES",
    "FORECAST_ADJUSTMENT",
    "FORECAST_CATEGORIES",
    "FORECAST_SUBMISSION",
    "LIFECYCLE_STAGES",
    "LOGO_MAX_BYTES",
    "LOGO_MAX_LENGTH",
    "OPPORTUNITY",
    "OPPORTUNITY_STAGES",
    "OPPORTUNITY_STAGE_CHANGE",
    "PRICE_LIST",
    "PRICE_LIST_ITEM",
    "PRODUCT",
    "PRODUCT_KINDS",
    "PURCHASE_ROLES",
    "QUOTA",
    "QUOTA_SCOPES",
    "QUOTE",
    "QUOTE_LINE",
    "QUOTE_LINE_KINDS",
    "QUOTE_STATUSES",
    "ROLES",
    "SAVED_SEGMENT",
    "STAGE_DEFAULT_FORECAST_CATEGORY",
    "STAGE_DEFAULT_PROBABILITY",
    "USER",
    "EntitySpec",
    "FieldFormat",
    "FieldSpec",
    "FieldType",
    "ScopeRule",
    "children_of",
    "entity",
    "scope_root",
]

_T = FieldType


# --- common fields -----------------------------------------------------------------------------

#: Fields every record has. ``deleted_at`` set means the record is a tombstone.
COMMON_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("id", FieldType.REF, required=True),
    FieldSpec("created_at", FieldType.DATETIME, required=True),
    FieldSpec("updated_at", FieldType.DATETIME, required=True),
    FieldSpec("deleted_at", FieldType.DATETIME),
)
COMMON_FIELD_NAMES = frozenset(f.name for f in COMMON_FIELDS)

# --- the entities ------------------------------------------------------------------------------

USER = EntitySpec(
    "user",
    (
        _text("name", required=True, search=True),
        _text("email", required=True, max_length=254),
        _enum("role", ROLES, required=True, default="rep"),
        _ref("manager_id", "user"),
        _text("rep_code", required=True, max_length=12),
        _percent("discount_limit_pct", default="10"),
        FieldSpec("active", _T.BOOL, required=True, default=True),
    ),
    scope=ScopeRule.GLOBAL,
    server_managed=True,
)

ACCOUNT = EntitySpec(
    "account",
    (
        _text("name", required=True, search=True),
        _text("tax_id", max_length=20, search=True, format=FieldFormat.TAX_ID),
        _text("industry", max_length=80),
        _text("address", max_length=300),
        _text("postal_code", max_length=12),
        _text("city", max_length=120, search=True),
        _text("region", max_length=120),
        FieldSpec(
            "country",
            _T.TEXT,
            required=True,
            max_length=2,
            default="ES",
            format=FieldFormat.COUNTRY,
        ),
        FieldSpec("latitude", _T.FLOAT, minimum=-90, maximum=90),
        FieldSpec("longitude", _T.FLOAT, minimum=-180, maximum=180),
        _text("phone", max_length=40, format=FieldFormat.PHONE),
        _text("email", max_length=254, format=FieldFormat.EMAIL),
        _text("website", max_length=300, format=FieldFormat.URL),
        _ref("owner_id", "user", required=True),
        _enum("lifecycle_stage", LIFECYCLE_STAGES, required=True, default="prospect"),
        _enum("preferred_channel", CHANNELS, default="visit"),
        FieldSpec("visit_cadence_days", _T.INT, default=30, minimum=1, maximum=3650),
        FieldSpec("tags", _T.TAGS, default=()),
        #: the customer's estimated yearly spend in our categories, in the company's currency
        #: (schema 5): what it could buy from us, against which its value is measured
        FieldSpec("annual_potential", _T.MONEY, currency_field="company.currency", minimum=0),
        _long("needs"),
        _long("notes"),
    ),
    scope=ScopeRule.OWNER,
    scope_field="owner_id",
    authority=ACCOUNT_AUTHORITY,
)

CONTACT = EntitySpec(
    "contact",
    (
        _ref("account_id", "account", required=True),
        _text("first_name", required=True, max_length=100, search=True),
        _text("last_name", max_length=100, search=True),
        _text("job_title", max_length=120),
        _enum("purchase_role", PURCHASE_ROLES),
        _text("email", max_length=254, search=True, format=FieldFormat.EMAIL),
        _text("phone", max_length=40, format=FieldFormat.PHONE),
        _text("mobile", max_length=40, format=FieldFormat.PHONE),
        _enum("preferred_channel", CHANNELS),
        FieldSpec("marketing_consent", _T.BOOL, required=True, default=False),
        FieldSpec("consent_at", _T.DATETIME),
        _text("consent_source", max_length=120),
        _long("notes"),
    ),
    scope=ScopeRule.PARENT,
    scope_field="account_id",
    title_field="first_name",
)

ACTIVITY = EntitySpec(
    "visit",
    (
        _ref("account_id", "account", required=True),
        _ref("contact_id", "contact"),
        _ref("owner_id", "user", required=True),
        _enum("kind", ACTIVITY_KINDS, required=True, default="visit"),
        _text("subject", max_length=200),
        FieldSpec("planned_start", _T.DATETIME),
        FieldSpec("planned_end", _T.DATETIME),
        _enum("status", ACTIVITY_STATUSES, required=True, default="planned"),
        FieldSpec("checked_in_at", _T.DATETIME),
        _text("outcome", max_length=2000),
        _long("notes"),
        _text("next_step", max_length=500),
        FieldSpec("follow_up_date", _T.DATE),
        _ref("follow_up_of_id", "visit"),
    ),
    scope=ScopeRule.PARENT,
    scope_field="account_id",
    title_field="subject",
)

OPPORTUNITY = EntitySpec(
    "opportunity",
    (
        _ref("account_id", "account", required=True),
        _ref("owner_id", "user", required=True),
        _text("name", required=True),
        _enum("stage", OPPORTUNITY_STAGES, required=True, default="prospecting"),
        _money("amount", required=True, minimum=0),
        _currency(),
        FieldSpec("probability", _T.INT, minimum=0, maximum=100),
        FieldSpec("expected_close_date", _T.DATE),
        _enum("forecast_category", FORECAST_CATEGORIES, required=True, default="pipeline"),
        _text("lost_reason", max_length=500),
        _text("next_step", max_length=500),
    ),
    scope=ScopeRule.PARENT,
    scope_field="account_id",
    authority=OPPORTUNITY_AUTHORITY,
)

OPPORTUNITY_STAGE_CHANGE = EntitySpec(
    "opportunity_stage_change",
    (
        _ref("opportunity_id", "opportunity", required=True),
        #: None for the record written when the opportunity was created
        _enum("from_stage", OPPORTUNITY_STAGES),
        _enum("to_stage", OPPORTUNITY_STAGES, required=True),
        FieldSpec("from_close_date", _T.DATE),
        FieldSpec("to_close_date", _T.DATE),
        #: the opportunity's amount when the change was made
        _money("amount", required=True, minimum=0),
        _currency(),
        _ref("changed_by_id", "user", required=True),
        FieldSpec("changed_at", _T.DATETIME, required=True),
    ),
    scope=ScopeRule.PARENT,
    scope_field="opportunity_id",
    title_field="to_stage",
    authority=OPPORTUNITY_STAGE_CHANGE_AUTHORITY,
)
"""An opportunity's stage history: one record per change of its stage or expected close date
(and one at its create), written by the client with the change and read-only after that."""

PRODUCT = EntitySpec(
    "product",
    (
        _text("sku", required=True, max_length=40),
        _text("name", required=True),
        _long("description"),
        _text("family", max_length=80),
        _enum("kind", PRODUCT_KINDS, required=True, default="product"),
        _ref("parent_product_id", "product"),
        _percent("tax_rate_pct", required=True, default="21"),
        FieldSpec("active", _T.BOOL, required=True, default=True),
        #: what one unit costs the company, in the company's currency (schema 5); none known:
        #: the company's default margin applies
        FieldSpec("unit_cost", _T.MONEY, currency_field="company.currency", minimum=0),
    ),
    scope=ScopeRule.GLOBAL,
    server_managed=True,
)

PRICE_LIST = EntitySpec(
    "price_list",
    (
        _text("name", required=True),
        _currency(),
        FieldSpec("valid_from", _T.DATE),
        FieldSpec("valid_to", _T.DATE),
        FieldSpec("active", _T.BOOL, required=True, default=True),
    ),
    scope=ScopeRule.GLOBAL,
    server_managed=True,
)

PRICE_LIST_ITEM = EntitySpec(
    "price_list_item",
    (
        _ref("price_list_id", "price_list", required=True),
        _ref("product_id", "product", required=True),
        _money("unit_price", required=True, minimum=0),
        _currency(),
    ),
    scope=ScopeRule.GLOBAL,
    server_managed=True,
    title_field="product_id",
)

QUOTE = EntitySpec(
    "quote",
    (
        _text("number", required=True, max_length=40, search=True),
        _ref("account_id", "account", required=True),
        _ref("contact_id", "contact"),
        _ref("opportunity_id", "opportunity"),
        _ref("owner_id", "user", required=True),
        FieldSpec("revision", _T.INT, required=True, default=1, minimum=1, maximum=10_000),
        _ref("previous_quote_id", "quote"),
        _enum("status", QUOTE_STATUSES, required=True, default="draft"),
        _currency(),
        _ref("price_list_id", "price_list"),
        FieldSpec("issue_date", _T.DATE),
        FieldSpec("valid_until", _T.DATE),
        _long("terms"),
        _long("notes"),
        _ref("approved_by_id", "user"),
        FieldSpec("approved_at", _T.DATETIME),
        #: the text the customer reads above the lines
        _long("customer_note"),
        FieldSpec("sent_at", _T.DATETIME),
        #: the SHA-256 (hex) of the PDF that was sent
        _text("pdf_sha256", max_length=64),
        #: the manager's note on approving (or sending back) the quote
        _long("decision_note"),
        #: why the customer rejected it (required to mark it rejected)
        _long("rejection_reason"),
    ),
    scope=ScopeRule.PARENT,
    scope_field="account_id",
    title_field="number",
    authority=QUOTE_AUTHORITY,
)

QUOTE_LINE = EntitySpec(
    "quote_line",
    (
        _ref("quote_id", "quote", required=True),
        _ref("product_id", "product"),
        _text("description", required=True, max_length=2000),
        FieldSpec("quantity", _T.DECIMAL, required=True, default="1", minimum=0),
        _money("unit_price", required=True, currency_field="quote_id.currency", minimum=0),
        _percent("discount_pct", required=True, default="0"),
        _percent("tax_rate_pct", required=True, default="21"),
        FieldSpec("position", _T.INT, required=True, default=0, minimum=0, maximum=1_000_000),
        _enum("kind", QUOTE_LINE_KINDS, required=True, default="item"),
        #: an optional item: priced and shown, but left out of the totals
        FieldSpec("optional", _T.BOOL, required=True, default=False),
    ),
    scope=ScopeRule.PARENT,
    scope_field="quote_id",
    title_field="description",
    authority=QUOTE_LINE_AUTHORITY,
)

FORECAST_SUBMISSION = EntitySpec(
    "forecast_submission",
    (
        _ref("owner_id", "user", required=True),
        _text("period", required=True, max_length=7),  # "2026-11" or "2026-Q4"
        _currency(),
        _money("commit_amount", required=True),
        _money("best_case_amount", required=True),
        _money("pipeline_amount", required=True),
        _money("closed_amount", required=True),
        _money("rep_adjustment"),
        _long("rep_note"),
        FieldSpec("submitted_at", _T.DATETIME, required=True),
        _ref("manager_id", "user"),
        _money("manager_adjustment"),
        _long("manager_note"),
        FieldSpec("manager_adjusted_at", _T.DATETIME),
    ),
    scope=ScopeRule.OWNER,
    scope_field="owner_id",
    title_field="period",
    authority=FORECAST_SUBMISSION_AUTHORITY,
)

QUOTA = EntitySpec(
    "quota",
    (
        _ref("user_id", "user", required=True),
        _text("period", required=True, max_length=7),
        _money("amount", required=True, minimum=0),
        _currency(),
        #: ``team``: the quota of the user's whole team, set explicitly (schema 4)
        _enum("scope", QUOTA_SCOPES, required=True, default="personal"),
    ),
    scope=ScopeRule.OWNER,
    scope_field="user_id",
    server_managed=True,
    title_field="period",
)

FORECAST_ADJUSTMENT = EntitySpec(
    "forecast_adjustment",
    (
        #: whose call is adjusted: the rep (scope ``rep``) or the team's manager (``team``)
        _ref("owner_id", "user", required=True),
        _text("period", required=True, max_length=7),
        _enum("scope", ADJUSTMENT_SCOPES, required=True, default="rep"),
        _currency(),
        #: added to the call (negative: lowered), minor units
        _money("amount", required=True),
        _text("note", required=True, max_length=2000),
        _ref("adjusted_by_id", "user", required=True),
        FieldSpec("adjusted_at", _T.DATETIME, required=True),
    ),
    scope=ScopeRule.OWNER,
    scope_field="owner_id",
    title_field="period",
    authority=FORECAST_ADJUSTMENT_AUTHORITY,
)
"""A manager's adjustment of a forecast call, one record per adjustment (the history): the
latest of each manager counts (see :mod:`.forecast_rules`)."""

COMPANY = EntitySpec(
    "company",
    (
        _text("name", required=True),
        _text("tax_id", max_length=20, format=FieldFormat.TAX_ID),
        _text("address", max_length=300),
        _text("postal_code", max_length=12),
        _text("city", max_length=120),
        FieldSpec(
            "country",
            _T.TEXT,
            required=True,
            max_length=2,
            default="ES",
            format=FieldFormat.COUNTRY,
        ),
        _text("phone", max_length=40, format=FieldFormat.PHONE),
        _text("email", max_length=254, format=FieldFormat.EMAIL),
        _text("website", max_length=300, format=FieldFormat.URL),
        _text("bank_line", max_length=300),
        _long("footer"),
        _long("default_terms"),
        FieldSpec("quote_validity_days", _T.INT, required=True, default=30, minimum=1, maximum=365),
        FieldSpec("logo_png", _T.TEXT, max_length=LOGO_MAX_LENGTH, format=FieldFormat.PNG),
        # --- what customers are worth (schema 5); unset: the defaults below apply ---
        #: the company's currency: customer value, potential and costs are in it
        _currency(required=False),
        #: the margin of a sale whose products have no known unit cost
        _percent("default_margin_pct", default="30"),
        #: what one activity of each kind costs to serve a customer (minor units)
        FieldSpec("visit_cost", _T.MONEY, default=6000, currency_field="currency", minimum=0),
        FieldSpec("meeting_cost", _T.MONEY, default=3000, currency_field="currency", minimum=0),
        FieldSpec("call_cost", _T.MONEY, default=800, currency_field="currency", minimum=0),
        FieldSpec("email_cost", _T.MONEY, default=200, currency_field="currency", minimum=0),
        #: the yearly discount rate of future margin in a customer's lifetime value
        _percent("ltv_discount_pct", default="10"),
        #: the visit cadence (days) each strategic tier gets by default
        FieldSpec("cadence_mvc_days", _T.INT, default=14, minimum=1, maximum=3650),
        FieldSpec("cadence_mgc_days", _T.INT, default=21, minimum=1, maximum=3650),
        FieldSpec("cadence_other_days", _T.INT, default=45, minimum=1, maximum=3650),
        FieldSpec("cadence_bz_days", _T.INT, default=90, minimum=1, maximum=3650),
    ),
    scope=ScopeRule.GLOBAL,
    server_managed=True,
)
"""The company settings (letterhead, quote defaults): one record, set with ``sfa-server
company set`` and read-only on clients."""

SAVED_SEGMENT = EntitySpec(
    "saved_segment",
    (
        _ref("owner_id", "user", required=True),
        _text("name", required=True, max_length=120),
        _long("description"),
        #: the segment's criteria (see ``sfa_desktop.domain.segments``): a JSON object
        FieldSpec("definition", _T.JSON, required=True),
    ),
    scope=ScopeRule.OWNER,
    scope_field="owner_id",
)
"""A user's saved customer segment (schema 5): a named set of criteria over the accounts they
see, usable as a filter in Accounts and exported to CSV; synced to the user's devices."""

CONFLICT = EntitySpec(
    "conflict",
    (
        _text("entity", required=True, max_length=40),
        FieldSpec("record_id", _T.REF, required=True),  # any entity: see ``entity``
        _text("field", required=True, max_length=60),
        FieldSpec("kept_value", _T.JSON),
        FieldSpec("lost_value", _T.JSON),
        _ref("kept_by_id", "user"),
        _ref("lost_by_id", "user"),
        _text("kept_device_id", max_length=64),
        _text("lost_device_id", max_length=64),
        _text("kept_hlc", max_length=64),
        _text("lost_hlc", max_length=64),
        _text("reason", max_length=40),
        FieldSpec("occurred_at", _T.DATETIME, required=True),
        FieldSpec("resolved", _T.BOOL, required=True, default=False),
        _ref("resolved_by_id", "user"),
        FieldSpec("resolved_at", _T.DATETIME),
    ),
    scope=ScopeRule.PARTICIPANTS,
    scope_fields=("kept_by_id", "lost_by_id"),
    server_created=True,
    readonly_fields=frozenset(
        {
            "entity",
            "record_id",
            "field",
            "kept_value",
            "lost_value",
            "kept_by_id",
            "lost_by_id",
            "kept_device_id",
            "lost_device_id",
            "kept_hlc",
            "lost_hlc",
            "reason",
            "occurred_at",
        }
    ),
    title_field="field",
)

#: Every synced entity, parents before children (the order records are created in).
ENTITIES: tuple[EntitySpec, ...] = (
    USER,
    PRODUCT,
    PRICE_LIST,
    PRICE_LIST_ITEM,
    QUOTA,
    COMPANY,
    ACCOUNT,
    CONTACT,
    ACTIVITY,
    OPPORTUNITY,
    OPPORTUNITY_STAGE_CHANGE,
    QUOTE,
    QUOTE_LINE,
    FORECAST_SUBMISSION,
    FORECAST_ADJUSTMENT,
    SAVED_SEGMENT,
    CONFLICT,
)

CATALOG: dict[str, EntitySpec] = {e.name: e for e in ENTITIES}


def entity(name: str) -> EntitySpec:
    """The spec of entity ``name``; ``KeyError`` for an unknown entity."""
    return CATALOG[name]


def scope_root(spec: EntitySpec) -> EntitySpec:
    """The entity whose OWNER/PARTICIPANTS/GLOBAL rule decides ``spec``'s scope."""
    current = spec
    while current.scope is ScopeRule.PARENT:
        assert current.scope_field is not None
        current = CATALOG[current.field(current.scope_field).ref or ""]
    return current


def children_of(name: str) -> list[EntitySpec]:
    """Entities whose scope comes directly from ``name`` (e.g. contacts of an account)."""
    return [
        e
        for e in ENTITIES
        if e.scope is ScopeRule.PARENT
        and e.scope_field is not None
        and e.field(e.scope_field).ref == name
    ]
