"""The account page widget: facts, lists, the timeline and "show older", actions, languages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from store.account_history import ACCOUNT_ID, QUIET_ACCOUNT_ID, History, add_history

from sfa_desktop.i18n import set_language
from sfa_desktop.store.database import Database
from sfa_desktop.store.repositories.records import bulk_insert
from sfa_desktop.ui.account_page import AccountPageView
from sfa_desktop.ui.account_page.timeline_model import ENTRY_ROLE, HTML_ROLE
from sfa_desktop.ui.tasks import TaskRunner

from .conftest import NOW, USERS, WAIT_MS
from .locale_text import medium_date, money


@pytest.fixture
def history(database: Database) -> History:
    with database.session() as session:
        return add_history(session, NOW)


@pytest.fixture
def page(qtbot: QtBot, db_runner: TaskRunner, history: History) -> Iterator[AccountPageView]:
    view = AccountPageView(db_runner, now=lambda: NOW)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=WAIT_MS):
        view.show_account(ACCOUNT_ID)
    yield view


def test_the_page_shows_the_key_facts(page: AccountPageView) -> None:
    facts = page.facts
    assert page.page is not None and page.page.name == "Ferretería Histórica S.L."
    assert facts.fact_text("owner") == USERS[0]["name"]
    assert facts.fact_text("stage") == "Customer"
    assert facts.fact_text("channel") == "Phone"
    assert facts.fact_text("address") == "Calle Feria 12\n41003 Sevilla\nAndalucía"
    assert facts.fact_text("phone") == "954 01 29 66"
    assert facts.fact_text("email") == "compras@historica.es"
    assert facts.fact_text("tags") == "ferretería, mayorista"
    assert facts.fact_text("cadence") == "Every 30 days"
    assert facts.fact_text("last_visit") == medium_date(dt.date(2026, 11, 22), "en")
    assert facts.fact_text("next_visit").endswith("Próxima visita")
    assert facts.fact_text("visit_due") == medium_date(dt.date(2026, 12, 22), "en")
    assert facts.fact_text("value") == money("8000", "EUR", "en")


def test_the_lists_of_contacts_opportunities_and_quotes(
    page: AccountPageView, qtmodeltester: ModelTester
) -> None:
    contacts, opportunities, quotes = page.contacts, page.opportunities, page.quotes
    for model in (contacts, opportunities, quotes):
        qtmodeltester.check(model)
    assert [contacts.data(contacts.index(r, 0)) for r in range(2)] == [
        "Pedro Alonso",
        "Lucía Suárez",
    ]
    assert contacts.data(contacts.index(1, 2)) == "Decision maker"
    assert contacts.data(contacts.index(1, 3)) == "612 34 56 78"
    assert [opportunities.data(opportunities.index(0, c)) for c in range(4)] == [
        "Reforma del almacén",
        "Negotiation",
        money("10000", "EUR", "en"),
        medium_date(dt.date(2026, 12, 15), "en"),
    ]
    assert quotes.rowCount() == 2
    assert [quotes.data(quotes.index(0, c)) for c in range(3)] == [
        "Q-AGA-2026-0001",
        "Sent",
        money("320", "EUR", "en"),
    ]


def test_the_timeline_newest_first_then_older_on_demand(
    qtbot: QtBot, db_runner: TaskRunner, history: History, qtmodeltester: ModelTester
) -> None:
    with bulk_session(db_runner) as session:
        add_calls(session, 60)
    view = AccountPageView(db_runner, now=lambda: NOW)
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=WAIT_MS):
        view.show_account(ACCOUNT_ID)
    timeline = view.timeline
    qtmodeltester.check(timeline)
    assert timeline.rowCount() == 50 and timeline.has_more
    assert view.more_button.isVisible() and view.more_button.text() == "Show older interactions"
    times = [timeline.entry_at(r).at for r in range(timeline.rowCount())]
    assert times == sorted(times, reverse=True)
    first = timeline.data(timeline.index(0, 0))
    assert first.startswith("Quote Q-AGA-2026-0002 created")
    with qtbot.waitSignal(timeline.rowsInserted, timeout=WAIT_MS):
        view.more_button.click()
    assert timeline.rowCount() == 76 and not timeline.has_more
    assert not view.more_button.isVisible()
    ids = [(timeline.entry_at(r).record_id, timeline.entry_at(r).event) for r in range(76)]
    assert len(set(ids)) == 76
    oldest = timeline.data(timeline.index(75, 0), ENTRY_ROLE)
    assert (oldest.source, oldest.title) == ("opportunity", "Carretillas")


def test_a_visit_entry_says_what_happened(page: AccountPageView) -> None:
    timeline = page.timeline
    call = next(
        timeline.data(timeline.index(r, 0))
        for r in range(timeline.rowCount())
        if timeline.entry_at(r).source == "visit" and timeline.entry_at(r).status == "done"
    )
    lines = call.splitlines()
    assert lines[0] == "Call · Done"
    assert lines[1].startswith(medium_date(dt.date(2026, 11, 22), "en") + ", ") and lines[
        1
    ].endswith(" · Ana García · with Lucía Suárez")
    assert lines[2:] == ["Conversación 1", "Outcome: Resultado 1", "Next step: Paso 1"]
    html = timeline.data(timeline.index(0, 0), HTML_ROLE)
    assert html.startswith("<b>Quote Q-AGA-2026-0002 created</b>")


def test_an_account_without_interactions_invites_a_visit(
    qtbot: QtBot, db_runner: TaskRunner, history: History
) -> None:
    view = AccountPageView(db_runner, now=lambda: NOW)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=WAIT_MS):
        view.show_account(QUIET_ACCOUNT_ID)
    assert view.showing_empty_timeline()
    assert view.timeline_empty_text() == "No interactions yet."
    assert view.facts.fact_text("last_visit") == "Never visited"
    assert "overdue" in view.facts.fact_text("visit_due")


def test_a_missing_account_says_so(qtbot: QtBot, db_runner: TaskRunner) -> None:
    view = AccountPageView(db_runner, now=lambda: NOW)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=WAIT_MS):
        view.show_account("01900000-0000-7000-9000-999999999999")
    assert view.page is None
    assert view.message_text() == "This account no longer exists"


def test_add_contact_saves_and_reloads_the_page(
    qtbot: QtBot, page: AccountPageView, history: History
) -> None:
    page.add_contact()
    dialog = page.open_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.form.editor("account_id").value() == ACCOUNT_ID, timeout=WAIT_MS)
    dialog.form.editor("first_name").set_value("Marta")
    dialog.form.editor("last_name").set_value("Vidal")
    with qtbot.waitSignals([dialog.saved, page.loaded, page.account_changed], timeout=WAIT_MS):
        dialog.save()
    assert [c.full_name for c in page.page.contacts] == [  # type: ignore[union-attr]
        "Pedro Alonso",
        "Lucía Suárez",
        "Marta Vidal",
    ]


def test_edit_account_from_the_page(qtbot: QtBot, page: AccountPageView) -> None:
    page.edit_account()
    dialog = page.open_dialog
    assert dialog is not None
    qtbot.waitUntil(
        lambda: dialog.form.editor("name").value() == "Ferretería Histórica S.L.", timeout=WAIT_MS
    )
    dialog.form.editor("visit_cadence_days").set_value(14)
    with qtbot.waitSignals([dialog.saved, page.loaded], timeout=WAIT_MS):
        dialog.save()
    assert page.facts.fact_text("cadence") == "Every 14 days"


def test_the_page_speaks_spanish(qtbot: QtBot, page: AccountPageView) -> None:
    set_language("es")
    page.retranslate()
    assert page.facts.fact_text("stage") == "Cliente"
    # the label shows rich text; its plain text has ordinary spaces
    assert page.facts.fact_text("value") == money("8000", "EUR", "es").replace("\xa0", " ")
    assert page.facts.fact_text("last_visit") == medium_date(dt.date(2026, 11, 22), "es")
    assert page.timeline.data(page.timeline.index(0, 0)).startswith(
        "Presupuesto Q-AGA-2026-0002 creado"
    )
    assert page.more_button.text() == "Ver interacciones anteriores"


# --- helpers -------------------------------------------------------------------------------


def bulk_session(runner: TaskRunner):  # type: ignore[no-untyped-def]
    database = runner.database
    assert database is not None
    return database.session()


def add_calls(session, count: int) -> None:  # type: ignore[no-untyped-def]
    """``count`` more calls to the account, one per day from 40 days ago backwards."""
    bulk_insert(
        session,
        "visit",
        [
            {
                "account_id": ACCOUNT_ID,
                "owner_id": USERS[0]["id"],
                "kind": "call",
                "status": "done",
                "subject": f"Llamada {number}",
                "planned_start": NOW - dt.timedelta(days=41 + number),
            }
            for number in range(count)
        ],
        now=NOW - dt.timedelta(days=41 + count),
    )
