"""Full-text search over accounts and contacts: query sanitizing, folding, index upkeep.

Two interchangeable implementations, chosen once when the schema is created (recorded in
``app_meta["search_mode"]``):

* ``fts5`` — FTS5 tables ``accounts_fts`` / ``contacts_fts`` (tokenizer ``unicode61
  remove_diacritics 2``, so "malaga" finds "Málaga" and "MÁLAGA" finds "Malaga"), keyed by the
  base table's ``rowid`` and kept current by triggers (insert, update, delete, soft delete, and
  an account rename updating its contacts' ``account_name``).
* ``fallback`` — when SQLite lacks FTS5: a folded ``search_text`` column (lowercase, accents
  removed) filled by triggers through the ``sfa_fold`` SQL function that
  :func:`~sfa_desktop.store.database.open_database` registers on every connection, and searched
  with ``LIKE '% word%'`` (prefix of a word). Correct but a table scan.

User input never reaches SQL as syntax: :func:`search_terms` keeps only word characters, so
quotes, ``*``, parentheses, ``-`` and words such as ``AND``/``NEAR`` are plain terms. Each term
is a prefix and all terms must match (in any searchable column).

The FTS rowid is the base row's rowid. SQLite's VACUUM keeps rowids, but anything that
rebuilds a table from a dump does not: call :func:`rebuild_search_index` after such a repair.
Never write accounts/contacts with ``INSERT OR REPLACE`` (its implicit delete bypasses the
triggers); use ``INSERT ... ON CONFLICT DO UPDATE``.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

from sqlalchemy import text
from sqlalchemy.orm import Session

from .meta import MetaKey, get_meta


class SearchMode(StrEnum):
    FTS5 = "fts5"
    FALLBACK = "fallback"


#: The account columns in the search index: the catalog's searchable fields plus ``region``.
ACCOUNT_SEARCH_COLUMNS = ("name", "tax_id", "city", "region")
#: The contact columns in the search index, plus the name of the contact's account.
CONTACT_SEARCH_COLUMNS = ("first_name", "last_name", "email")
#: FTS5 tables (and the prefix of their shadow tables): not part of the ORM metadata.
FTS_TABLES = ("accounts_fts", "contacts_fts")

MAX_TERMS = 8
MAX_TERM_LENGTH = 40
_WORD = re.compile(r"[^\W_]+")


def fold(value: str) -> str:
    """Lowercase ``value`` and strip accents ("José MÁLAGA" → "jose malaga")."""
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).lower()


def search_terms(query: str | None) -> list[str]:
    """The words of a user's query, in order, without duplicates; ``[]`` if there are none.

    Only letters and digits survive, so the result is always safe to quote into an FTS5
    query or a LIKE pattern. At most :data:`MAX_TERMS` terms of :data:`MAX_TERM_LENGTH`.
    """
    if not query:
        return []
    words = _WORD.findall(unicodedata.normalize("NFC", query))
    terms: list[str] = []
    for word in words:
        term = word.lower()[:MAX_TERM_LENGTH]
        if term not in terms:
            terms.append(term)
        if len(terms) == MAX_TERMS:
            break
    return terms


def fts5_query(terms: list[str]) -> str:
    """An FTS5 MATCH expression requiring every term as a prefix: ``"jose"* "gar"*``."""
    return " ".join('"' + term.replace('"', '""') + '"*' for term in terms)


def like_patterns(terms: list[str]) -> list[str]:
    """LIKE patterns (one per term) matching a word prefix in a ``search_text`` value."""
    return ["% " + fold(term) + "%" for term in terms]


def fold_for_search(*values: object) -> str:
    """The ``search_text`` of a row: its folded words, space separated, with edge spaces.

    Registered as the SQL function ``sfa_fold`` (any number of arguments; NULLs ignored).
    """
    words: list[str] = []
    for value in values:
        if value is not None:
            words.extend(_WORD.findall(fold(str(value))))
    return " " + " ".join(words) + " "


def search_mode(session: Session) -> SearchMode:
    """Which search implementation this database file uses."""
    recorded = get_meta(session, MetaKey.SEARCH_MODE)
    if recorded in (SearchMode.FTS5, SearchMode.FALLBACK):
        return SearchMode(recorded)
    has_fts = session.execute(
        text("SELECT 1 FROM sqlite_master WHERE name = 'accounts_fts'")
    ).first()
    return SearchMode.FTS5 if has_fts else SearchMode.FALLBACK


#: The indexed form of a tax id: as written and compacted ("B-12.345.678 B12345678"), so
#: "b123" and "b-123" both find it. Same expression as the migration's triggers.
_TAX_ID_WORDS = "tax_id || ' ' || replace(replace(replace(replace(tax_id, '-', ''), '.', ''), ' ', ''), '/', '')"


#: The smallest rowid: "after" it, every row.
_ALL_ROWS = -(2**63)


def index_accounts(session: Session, after: int = _ALL_ROWS) -> None:
    """Add the live accounts with a rowid past ``after`` to the FTS5 index (they are not in it)."""
    session.connection().exec_driver_sql(
        "INSERT INTO accounts_fts(rowid, name, tax_id, city, region) "
        f"SELECT rowid, name, {_TAX_ID_WORDS}, city, region FROM accounts "
        "WHERE deleted_at IS NULL AND rowid > ?",
        (after,),
    )


def index_contacts(session: Session, after: int = _ALL_ROWS) -> None:
    """Add the live contacts with a rowid past ``after`` to the FTS5 index, with their
    account's name (they are not in it)."""
    session.connection().exec_driver_sql(
        "INSERT INTO contacts_fts(rowid, first_name, last_name, email, account_name) "
        "SELECT c.rowid, c.first_name, c.last_name, c.email, a.name "
        "FROM contacts AS c LEFT JOIN accounts AS a ON a.id = c.account_id "
        "WHERE c.deleted_at IS NULL AND c.rowid > ?",
        (after,),
    )


def rebuild_search_index(session: Session) -> None:
    """Recompute the whole search index from the accounts and contacts tables."""
    if search_mode(session) is SearchMode.FTS5:
        session.execute(text("DELETE FROM accounts_fts"))
        session.execute(text("DELETE FROM contacts_fts"))
        index_accounts(session)
        index_contacts(session)
    else:
        session.execute(
            text(f"UPDATE accounts SET search_text = sfa_fold(name, {_TAX_ID_WORDS}, city, region)")
        )
        session.execute(
            text(
                "UPDATE contacts SET search_text = sfa_fold(first_name, last_name, email, "
                "(SELECT a.name FROM accounts AS a WHERE a.id = contacts.account_id))"
            )
        )
