"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
${imports if imports else ""}

revision: str = ${repr(up_revision)}
down_revision: str | None = ${repr(down_revision)}
branch_labels: str | Sequence[str] | None = ${repr(branch_labels)}
depends_on: str | Sequence[str] | None = ${repr(depends_on)}

# Write types as the SQLite storage they produce (sa.String(27) for UTCDateTime,
# sa.String(40) for ExactDecimal), not as app types: a revision must not change later.
# Bump migrator.STORE_SCHEMA_VERSION together with these two numbers.
SCHEMA_VERSION: int = 0  # the store schema version this revision produces
PREVIOUS_SCHEMA_VERSION: int = 0  # ...and the one it starts from


def _record_schema_version(version: int) -> None:
    op.execute(
        sa.text("UPDATE app_meta SET value = :v WHERE key = 'schema_version'").bindparams(
            v=str(version)
        )
    )


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}
    _record_schema_version(SCHEMA_VERSION)


def downgrade() -> None:
    ${downgrades if downgrades else "pass"}
    _record_schema_version(PREVIOUS_SCHEMA_VERSION)
