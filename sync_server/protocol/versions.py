"""Protocol and schema versions, sent with every request (headers) and checked by the server.

Bump ``PROTOCOL_VERSION`` when the wire format changes and ``SCHEMA_VERSION`` when the entity
catalog changes; a test pins the catalog's fingerprint so a change cannot slip through unbumped.
"""

from __future__ import annotations

import hashlib
import json

from .catalog import ENTITIES

#: 2: the ``undelete`` mutation; the server epoch (``X-SFA-Epoch`` header, ``GET /sync/epoch``,
#: 409 ``epoch_changed``) that tells clients the server was restored from a backup. Protocol 1
#: clients are still served: they never send either and ignore the header.
#: 3: ``POST /sync/number-blocks`` leases blocks of quote numbers (protocol/quote_numbers.py);
#: older clients never call it.
PROTOCOL_VERSION = 3
#: 2: quote line kinds (item, section, text) and optional lines; the quote's customer note,
#: sending (sent_at, pdf_sha256) and decision fields (decision_note, rejection_reason); the
#: ``company`` settings. Schema 1 clients are still served: a pull skips entities and fields
#: they do not know, and a create without the new fields gets the catalog defaults.
#: 3: ``opportunity_stage_change``, an opportunity's read-only stage history. Schema 1 and 2
#: clients are still served: their pulls skip the entity, and the opportunity changes they push
#: simply leave no history.
#: 4: ``forecast_adjustment``, a manager's adjustments of forecast calls (one record each, the
#: history), and the quota's ``scope`` (``personal`` or ``team``). Older clients are still
#: served: their pulls skip the entity and the field (a team quota then reads as personal).
#: 5: what customers are worth: the account's ``annual_potential``, the product's
#: ``unit_cost``, the company's value settings (currency, default margin, cost per activity kind,
#: lifetime value discount, cadence per strategic tier) and ``saved_segment``. Older clients are
#: still served: their pulls skip the entity and the fields.
SCHEMA_VERSION = 5

#: Oldest client protocol/schema the server still accepts.
MIN_PROTOCOL_VERSION = 1
MIN_SCHEMA_VERSION = 1

PROTOCOL_HEADER = "X-SFA-Protocol"
SCHEMA_HEADER = "X-SFA-Schema"


def catalog_fingerprint() -> str:
    """A hash of everything in the catalog that affects storage or the wire.

    Deliberately left out: the rules that only narrow which writes the server accepts — a
    field's ``format``, ``minimum`` and ``maximum`` and an entity's ``authority`` (manager-only
    fields, status transitions, frozen snapshots). They change neither a stored column nor a
    wire message: a client that does not know a new rule still speaks the protocol, and the
    server refuses the offending mutation with its code (shown to the user as rejected with a
    reason). Pinning them would force every client to upgrade for a tightened rule.
    """
    shape = [
        [
            e.name,
            e.scope.value,
            e.scope_field,
            list(e.scope_fields),
            e.server_managed,
            e.server_created,
            sorted(e.readonly_fields),
            [
                [
                    f.name,
                    f.type.value,
                    f.required,
                    list(f.choices),
                    f.ref,
                    f.currency_field,
                    f.max_length,
                ]
                for f in e.fields
            ],
        ]
        for e in ENTITIES
    ]
    return hashlib.sha256(json.dumps(shape, sort_keys=True).encode()).hexdigest()[:16]
