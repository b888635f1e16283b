"""The quote editor window (see :mod:`.editor`) and how the app opens it.

:func:`open_quote_editor` opens a quote (``quote_id``) or a new one (for ``account_id`` and
``opportunity_id`` when given) in a window of its own; ``on_saved`` runs after each save, so
the list or page that opened it refreshes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from sfa_desktop.ui.tasks import TaskRunner

from .editor import QuoteEditor
from .error_text import error_text
from .lines_model import QuoteLinesModel
from .totals_panel import TotalsPanel

__all__ = ["QuoteEditor", "QuoteLinesModel", "TotalsPanel", "error_text", "open_quote_editor"]


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def open_quote_editor(
    runner: TaskRunner,
    parent: QWidget,
    *,
    quote_id: str | None = None,
    account_id: str | None = None,
    opportunity_id: str | None = None,
    now: Callable[[], dt.datetime] = _utc_now,
    on_saved: Callable[[str], None] | None = None,
) -> QuoteEditor:
    """Show the editor (a window of its own, deleted when closed) and return it."""
    editor = QuoteEditor(
        runner,
        parent,
        quote_id=quote_id,
        account_id=account_id,
        opportunity_id=opportunity_id,
        now=now,
    )
    editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if on_saved is not None:
        editor.saved.connect(on_saved)
    editor.show()
    return editor
