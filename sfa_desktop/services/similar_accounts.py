"""Accounts that may already be the one being created (issue 12): a similar name in the same
city. A warning, never a refusal — two shops may share a name; the user decides.

::

    similar_accounts(session, "Ferreteria Martinez", "Zaragoza", exclude_id=editing_id)

The city narrows first (an index range: accents and case aside), then names are compared with
:func:`sfa_desktop.domain.account_names.similar_names`. No city (or no name): no candidates.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from sfa_desktop.domain.account_names import SIMILARITY, similar_names
from sfa_desktop.store.repositories.accounts import accounts_in_city

#: At most this many candidates are listed (the most similar).
MAX_CANDIDATES = 5


@dataclass(frozen=True)
class SimilarAccount:
    id: str
    name: str
    city: str
    owner_name: str | None
    score: float  #: 0-100, how alike the names are


def similar_accounts(
    session: Session,
    name: str | None,
    city: str | None,
    exclude_id: str | None = None,
    *,
    threshold: float = SIMILARITY,
) -> list[SimilarAccount]:
    """The live accounts of ``city`` whose name is similar to ``name``, most similar first
    (``exclude_id``: the account being edited)."""
    if not name or not name.strip() or not city or not city.strip():
        return []
    accounts = accounts_in_city(session, city.strip(), exclude_id=exclude_id)
    matches = similar_names(
        name, [a.name for a in accounts], threshold=threshold, limit=MAX_CANDIDATES
    )
    return [
        SimilarAccount(
            accounts[m.index].id,
            accounts[m.index].name,
            accounts[m.index].city,
            accounts[m.index].owner_name,
            m.score,
        )
        for m in matches
    ]
