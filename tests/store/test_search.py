"""Search over accounts and contacts, with FTS5 and with the LIKE fallback (``search_db``)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.orm import Session

from sfa_desktop.store.database import Database
from sfa_desktop.store.repositories.accounts import count_accounts, list_accounts
from sfa_desktop.store.repositories.contacts import count_contacts, list_contacts
from sfa_desktop.store.repositories.records import insert_record, soft_delete, update_record
from sfa_desktop.store.search import fold, fts5_query, rebuild_search_index, search_terms

from .conftest import NOW, add_account, add_contact, add_user

LATER = NOW + dt.timedelta(hours=1)


@pytest.fixture
def s(search_db: Database, match_strategy: str) -> Iterator[Session]:
    with search_db.session() as session:
        yield session


def account_names(session: Session, query: str, **filters: object) -> list[str]:
    rows = list_accounts(session, search=query, limit=1000, **filters)  # type: ignore[arg-type]
    assert count_accounts(session, search=query, **filters) == len(rows)  # type: ignore[arg-type]
    return [row.name for row in rows]


def contact_names(session: Session, query: str) -> list[str]:
    rows = list_contacts(session, search=query, limit=1000)
    assert count_contacts(session, search=query) == len(rows)
    return [f"{row.first_name} {row.last_name}" for row in rows]


# --- accents, case, prefixes, words ------------------------------------------------------------


def test_accents_and_case_both_ways(s: Session) -> None:
    owner = add_user(s)
    add_account(s, owner, "Frutas Málaga S.L.")
    add_account(s, owner, "Transportes Malaga")
    add_account(s, owner, "CAFÉS ÁVILA")
    add_account(s, owner, "Ferretería Sevilla")
    both = ["Frutas Málaga S.L.", "Transportes Malaga"]
    assert account_names(s, "malaga") == both
    assert account_names(s, "MÁLAGA") == both
    assert account_names(s, "Málaga") == both
    assert account_names(s, "mala") == both
    assert account_names(s, "cafes avila") == ["CAFÉS ÁVILA"]
    assert account_names(s, "ferreteria") == ["Ferretería Sevilla"]


def test_every_word_must_match_as_a_prefix(s: Session) -> None:
    owner = add_user(s)
    add_account(s, owner, "Frutas Málaga")
    add_account(s, owner, "Frutas Sevilla")
    add_account(s, owner, "Vinos Málaga")
    assert account_names(s, "fru mal") == ["Frutas Málaga"]
    assert account_names(s, "mal fru") == ["Frutas Málaga"]
    assert account_names(s, "frutas") == ["Frutas Málaga", "Frutas Sevilla"]
    assert account_names(s, "rutas") == []  # a prefix of a word, not a substring
    assert account_names(s, "frutas cadiz") == []


def test_accounts_are_found_by_tax_id_city_and_region(s: Session) -> None:
    owner = add_user(s)
    add_account(s, owner, "Acme", tax_id="B-12345678", city="Córdoba", region="Andalucía")
    add_account(s, owner, "Zeta", tax_id="A87654321", city="León", region="Castilla y León")
    assert account_names(s, "b123") == ["Acme"]
    assert account_names(s, "B-1234") == ["Acme"]
    assert account_names(s, "A876") == ["Zeta"]
    assert account_names(s, "a8765") == ["Zeta"]
    assert account_names(s, "cordoba") == ["Acme"]
    assert account_names(s, "andalu") == ["Acme"]
    assert account_names(s, "leon") == ["Zeta"]


def test_contacts_by_name_email_and_account(s: Session) -> None:
    owner = add_user(s)
    acme = add_account(s, owner, "Aceites del Sur")
    add_contact(s, acme, "José", last_name="García Pérez", email="jgarcia@aceites.es")
    add_contact(s, acme, "María José", last_name="Núñez")
    other = add_account(s, owner, "Bodegas Norte")
    add_contact(s, other, "Josefa", last_name="Gil")
    assert contact_names(s, "jose gar") == ["José García Pérez"]
    assert contact_names(s, "JOSÉ") == ["José García Pérez", "Josefa Gil", "María José Núñez"]
    assert contact_names(s, "nunez") == ["María José Núñez"]
    assert contact_names(s, "jgarcia") == ["José García Pérez"]
    assert contact_names(s, "aceites") == ["José García Pérez", "María José Núñez"]
    assert contact_names(s, "bodegas jos") == ["Josefa Gil"]


# --- the index follows every change ------------------------------------------------------------


def test_updates_and_deletes_are_followed(s: Session) -> None:
    owner = add_user(s)
    acme = add_account(s, owner, "Acme Málaga")
    contact = add_contact(s, acme, "Ana", last_name="López")
    update_record(s, "account", acme, {"name": "Zeta Cádiz"}, now=LATER)
    assert account_names(s, "acme") == []
    assert account_names(s, "cadiz") == ["Zeta Cádiz"]
    assert contact_names(s, "acme") == []
    assert contact_names(s, "zeta") == ["Ana López"]
    update_record(s, "account", acme, {"city": "Lugo"}, now=LATER)
    assert account_names(s, "lugo zeta") == ["Zeta Cádiz"]
    update_record(s, "contact", contact, {"last_name": "Ruiz"}, now=LATER)
    assert contact_names(s, "lopez") == []
    assert contact_names(s, "ruiz") == ["Ana Ruiz"]
    soft_delete(s, "contact", contact, now=LATER)
    assert contact_names(s, "ana") == []
    soft_delete(s, "account", acme, now=LATER)
    assert account_names(s, "zeta") == []


def test_a_contact_moved_to_another_account(s: Session) -> None:
    owner = add_user(s)
    first = add_account(s, owner, "Primera")
    second = add_account(s, owner, "Segunda")
    contact = add_contact(s, first, "Ana")
    update_record(s, "contact", contact, {"account_id": second}, now=LATER)
    assert contact_names(s, "primera") == []
    assert contact_names(s, "segunda ana") == ["Ana None"]


def test_hard_deletes_leave_nothing_behind(s: Session) -> None:
    owner = add_user(s)
    acme = add_account(s, owner, "Acme")
    add_contact(s, acme, "Ana")
    s.execute(text("DELETE FROM contacts"))
    s.execute(text("DELETE FROM accounts"))
    assert account_names(s, "acme") == []
    assert contact_names(s, "ana") == []


def test_an_account_arriving_after_its_contacts(s: Session) -> None:
    owner = add_user(s)
    account_id = str(uuid.uuid4())
    insert_record(
        s, "contact", {"account_id": account_id, "first_name": "Ana"}, now=NOW, check_refs=False
    )
    assert contact_names(s, "acme") == []
    add_account(s, owner, "Acme", id=account_id)
    assert contact_names(s, "acme ana") == ["Ana None"]


def test_rebuilding_the_index(s: Session, search_db: Database) -> None:
    owner = add_user(s)
    acme = add_account(s, owner, "Acme", tax_id="B-1234")
    add_contact(s, acme, "Ana")
    soft_delete(s, "account", add_account(s, owner, "Acme Gone"), now=LATER)
    before = [account_names(s, q) for q in ("acme", "b12", "b-12")]
    if search_db.search_mode.value == "fts5":
        s.execute(text("DELETE FROM accounts_fts"))
        s.execute(text("DELETE FROM contacts_fts"))
    else:
        s.execute(text("UPDATE accounts SET search_text = NULL"))
        s.execute(text("UPDATE contacts SET search_text = NULL"))
    assert account_names(s, "acme") == []
    rebuild_search_index(s)
    assert [account_names(s, q) for q in ("acme", "b12", "b-12")] == before
    assert account_names(s, "acme") == ["Acme"]
    assert contact_names(s, "acme") == ["Ana None"]


# --- hostile input -----------------------------------------------------------------------------

HOSTILE = [
    '"',
    '""',
    "*",
    "(",
    ")",
    "NEAR",
    "AND",
    "OR",
    "NOT",
    "near(acme frutas)",
    "acme AND",
    "acme OR zeta",
    '"acme',
    "acme*",
    "a*b",
    "-acme",
    "^acme",
    "name:acme",
    "{name}: acme",
    "%",
    "_",
    "\\",
    "'; DROP TABLE accounts; --",
    "\x00",
    "🍊",
    "acme" * 100,
    " ".join(["a"] * 50),
]


def test_hostile_input_is_just_text(s: Session) -> None:
    owner = add_user(s)
    add_account(s, owner, "Acme Frutas")
    add_account(s, owner, "Near And Or Not")
    for query in HOSTILE:
        names = account_names(s, query)
        assert set(names) <= {"Acme Frutas", "Near And Or Not"}, query
        contact_names(s, query)
    assert s.execute(text("SELECT count(*) FROM accounts")).scalar() == 2


def test_operator_words_are_searched_as_words(s: Session) -> None:
    owner = add_user(s)
    add_account(s, owner, "Acme Frutas")
    add_account(s, owner, "Near And Or Not")
    assert account_names(s, "NEAR") == ["Near And Or Not"]
    assert account_names(s, "and or") == ["Near And Or Not"]
    assert account_names(s, '"acme') == ["Acme Frutas"]
    assert account_names(s, "acme*") == ["Acme Frutas"]


@pytest.mark.parametrize("query", ["", "   ", "!!", None])
def test_an_empty_search_lists_everything(s: Session, query: str | None) -> None:
    owner = add_user(s)
    add_account(s, owner, "Acme")
    add_account(s, owner, "Zeta")
    assert [r.name for r in list_accounts(s, search=query)] == ["Acme", "Zeta"]
    assert count_accounts(s, search=query) == 2


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=40))
def test_no_text_makes_search_fail(search_db: Database, query: str) -> None:
    with search_db.session() as session:
        rows = list_accounts(session, search=query)
        assert count_accounts(session, search=query) >= len(rows)
        list_contacts(session, search=query)


# --- both implementations agree with a plain reference -----------------------------------------

WORDS = ["Málaga", "malagueña", "Ávila", "avellana", "Núñez", "nube", "García", "garaje", "Ñandú"]


def reference_match(name: str, query: str) -> bool:
    words = [fold(w) for w in name.replace("-", " ").split()]
    return all(any(w.startswith(fold(t)) for w in words) for t in search_terms(query))


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    names=st.lists(
        st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join),
        min_size=1,
        max_size=8,
        unique=True,
    ),
    query_words=st.lists(
        st.tuples(st.sampled_from(WORDS), st.integers(1, 8), st.booleans()), min_size=1, max_size=2
    ),
)
def test_results_match_a_plain_reference(
    search_db: Database, names: list[str], query_words: list[tuple[str, int, bool]]
) -> None:
    query = " ".join(w[:n].upper() if up else fold(w[:n]) for w, n, up in query_words)
    with search_db.session() as session:
        session.execute(text("DELETE FROM accounts"))
        owner = add_user(session, rep_code="R")
        for name in names:
            add_account(session, owner, name)
        found = sorted(r.name for r in list_accounts(session, search=query, limit=100))
        assert found == sorted(n for n in names if reference_match(n, query))
        session.rollback()


# --- query building ----------------------------------------------------------------------------


def test_search_terms() -> None:
    assert search_terms("  José   GARCÍA ") == ["josé", "garcía"]
    assert search_terms('"near" AND (x*) -y') == ["near", "and", "x", "y"]
    assert search_terms("a a A") == ["a"]
    assert search_terms("b-123") == ["b", "123"]
    assert search_terms("") == search_terms(None) == search_terms("*()") == []
    assert len(search_terms(" ".join(f"w{i}" for i in range(30)))) == 8


def test_fts5_query_quotes_every_term() -> None:
    assert fts5_query(["near", "jos"]) == '"near"* "jos"*'


def test_fold() -> None:
    assert fold("José MÁLAGA Ñandú Çà") == "jose malaga nandu ca"
