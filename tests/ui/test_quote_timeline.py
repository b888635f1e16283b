"""A quote's life on its account's page: it leaves the open quotes once valid-until has
passed, and the timeline lists each revision, the approval (by whom, with the note), the send
(to whom), a return for changes and the customer's answer."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from sfa_desktop.i18n import set_language
from sfa_desktop.services.account_page import TimelineEntry, load_account_page
from sfa_desktop.services.editing import load_edit_context
from sfa_desktop.services.quote_lifecycle import (
    approve_quote,
    reject_quote,
    return_quote,
    revise_quote,
)
from sfa_desktop.services.quote_sending import send_quote
from sfa_desktop.store.database import Database
from sfa_desktop.ui.account_page.summary_models import quotes_model
from sfa_desktop.ui.account_page.timeline_text import entry_headline, entry_summary

from .fixed_clock import NOW, TODAY
from .quote_fixtures import SampleQuotes, prepare_quotes, quote_values, sign_in_as

LATER = NOW + dt.timedelta(minutes=30)


def _timeline(database: Database, account_id: str, now: dt.datetime) -> list[TimelineEntry]:
    with database.session() as session:
        page = load_account_page(session, account_id, now=now, timeline_limit=200)
        assert page is not None
        return page.timeline.entries


def _quote_entries(entries: list[TimelineEntry], ids: set[str]) -> list[str]:
    return [entry_headline(e) for e in entries if e.source == "quote" and e.record_id in ids]


def test_the_timeline_tells_each_step(demo_db: Database, tmp_path: Path) -> None:
    samples: SampleQuotes = prepare_quotes(demo_db, tmp_path / "sent")
    first, second = samples.pending
    sign_in_as(demo_db, samples.manager_id)
    with demo_db.session() as session:
        ctx = load_edit_context(session, now=lambda: LATER)
        approve_quote(session, ctx, first, note="Cliente estratégico", now=LATER)
        return_quote(session, ctx, second, note="Máximo 15 %")
    sign_in_as(demo_db, samples.rep_id)
    later = LATER + dt.timedelta(minutes=5)
    with demo_db.session() as session:
        ctx = load_edit_context(session, now=lambda: later)
        send_quote(session, ctx, first, folder=tmp_path / "sent", now=later)
        reject_quote(session, ctx, samples.sent, reason="Precio")
        new_id = revise_quote(session, ctx, samples.sent, today=TODAY)
    number = quote_values(demo_db, first)["number"]
    sent_number = quote_values(demo_db, samples.sent)["number"]
    entries = _timeline(demo_db, samples.account_id, later + dt.timedelta(minutes=1))
    headlines = _quote_entries(entries, {first, second, samples.sent, new_id})
    assert f"Quote {number} sent to {samples.contact_email}" in headlines
    assert f"Quote {number} approved" in headlines
    assert f"Quote {number} created" in headlines
    assert f"Quote {quote_values(demo_db, second)['number']} returned for changes" in headlines
    assert f"Quote {sent_number} rejected by the customer" in headlines
    assert f"Quote {sent_number} rev. 2 created" in headlines
    # newest first: the send after the approval after the creation
    assert headlines.index(f"Quote {number} sent to {samples.contact_email}") < headlines.index(
        f"Quote {number} approved"
    )
    approved = next(
        e for e in entries if e.record_id == first and entry_headline(e).endswith("approved")
    )
    summary = entry_summary(approved)
    assert samples.manager_name in summary  # who approved
    assert "Manager's note: Cliente estratégico" in summary
    returned = next(e for e in entries if e.record_id == second and e.event == "returned")
    assert "Manager's note: Máximo 15 %" in entry_summary(returned)
    rejected = next(e for e in entries if e.record_id == samples.sent and e.event == "rejected")
    assert "Reason: Precio" in entry_summary(rejected)
    set_language("es")
    assert entry_headline(rejected) == f"Presupuesto {sent_number} rechazado por el cliente"
    revision = next(e for e in entries if e.record_id == new_id)
    assert entry_headline(revision) == f"Presupuesto {sent_number} rev. 2 creado"


def test_open_quotes_leave_the_page_once_expired(demo_db: Database, tmp_path: Path) -> None:
    """Past its valid-until date a quote is no longer open: it leaves the open quotes (its
    timeline entries stay), and a row shown as expired says so."""
    samples = prepare_quotes(demo_db, tmp_path / "sent")
    valid_until = dt.date.fromisoformat("2026-12-25")  # 30 days after the fixed day
    with demo_db.session() as session:
        page = load_account_page(session, samples.account_id, now=NOW)
        later = load_account_page(
            session,
            samples.account_id,
            now=dt.datetime.combine(valid_until + dt.timedelta(days=1), dt.time(12), dt.UTC),
        )
    assert page is not None and later is not None
    ours = {samples.approved, samples.sent, *samples.pending}
    before = {q.id: q.shown_status for q in page.open_quotes if q.id in ours}
    assert before == {
        samples.approved: "approved",
        samples.sent: "sent",
        **dict.fromkeys(samples.pending, "pending_approval"),
    }
    assert [q.id for q in later.open_quotes if q.id in ours] == []
    model = quotes_model()
    sent = next(q for q in page.open_quotes if q.id == samples.sent)
    model.set_rows([dataclasses.replace(sent, shown_status="expired")])
    assert model.data(model.index(0, 1)) == "Expired"
