"""What syncs: entity catalog, wire models, versions, hybrid logical clock, conflict rule.

Imports neither FastAPI nor Qt: the desktop client and the server both depend on it.
"""

from .catalog import CATALOG, COMMON_FIELDS, ENTITIES, EntitySpec, FieldSpec, FieldType, ScopeRule
from .hlc import HybridLogicalClock, Stamp
from .ids import new_id, uuid7
from .versions import PROTOCOL_VERSION, SCHEMA_VERSION

__all__ = [
    "CATALOG",
    "COMMON_FIELDS",
    "ENTITIES",
    "PROTOCOL_VERSION",
    "SCHEMA_VERSION",
    "EntitySpec",
    "FieldSpec",
    "FieldType",
    "HybridLogicalClock",
    "ScopeRule",
    "Stamp",
    "new_id",
    "uuid7",
]
