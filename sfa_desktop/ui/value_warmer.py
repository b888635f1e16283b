"""The value table warmed in the background: after start-up and after each sync.

The account page, Today and the Customers workspace read each account's value figures and
tiers from the value table's cache (:mod:`sfa_desktop.services.customer_values`); a first
table of a big territory takes a minute, so nothing the user waits for should have to make
it. :class:`ValueWarmer` makes it in small steps on the database thread
(:func:`~sfa_desktop.services.customer_values.warm_step`, one task each, the next one
submitted when the last is done), so the UI's own reads and edits queue behind one step at
most. A day or a sync later it computes again only what moved.

Once a warm-up has computed something, :func:`settle_long_lived` takes the table (100,000
rows on a big territory, kept in memory) out of the garbage collector's reach: otherwise every
full collection walks it again, and one landing in a Today load doubled its time (p95 285 ms
against p50 98 ms on 100,000 accounts).
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from sfa_desktop.services.customer_values import WARM_STEP, WarmStep, warm_step
from sfa_desktop.ui.main_window import MainWindow
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.workspaces.accounts import AccountsWorkspace

_log = logging.getLogger(__name__)

#: How often a running app looks whether the day moved some figures.
HOUR_MS = 3_600_000


def settle_long_lived() -> None:
    """Objects alive now are long-lived (the value table just made): a full collection (so no
    garbage is frozen with them), then :func:`gc.freeze` moves them out of the collector's
    generations. They are still freed when dropped (the table's rows hold no cycles). The
    collection walks only what is not frozen yet: the whole heap once, little after that."""
    gc.collect()
    gc.freeze()


class ValueWarmer(QObject):
    """Warms the value table in steps on the runner's database thread (module doc)."""

    #: The table is warm after a warm-up that computed something (the figures shown may
    #: have changed: lists and pages that show them reload).
    warmed = Signal()

    def __init__(
        self,
        runner: TaskRunner,
        *,
        today: Callable[[], dt.date],
        step: int = WARM_STEP,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._limit = step
        self._today = today
        self._running = False
        self._again = False
        self._changed = False

    @property
    def running(self) -> bool:
        return self._running

    def warm(self) -> None:
        """Warm the table; while a warm-up runs, another one follows it (data changed)."""
        if self._running:
            self._again = True
            return
        self._running, self._again, self._changed = True, False, False
        self._step()

    def _step(self) -> None:
        today, limit = self._today(), self._limit
        self._runner.run_db(
            lambda session: warm_step(session, today=today, limit=limit),
            on_done=self._stepped,
            on_error=self._failed,
            owner=self,
        )

    def _stepped(self, step: WarmStep) -> None:
        self._changed = self._changed or step.changed
        if not step.done:
            self._step()
            return
        self._running = False
        if self._changed:
            settle_long_lived()
            self.warmed.emit()
        if self._again:
            self.warm()

    def _failed(self, error: BaseException) -> None:
        # a derived table: the pages that need it make it themselves; try again next time
        self._running = False
        _log.warning("the value table could not be warmed: %s", error)


def connect_value_warmer(
    window: MainWindow, runner: TaskRunner, *, today: Callable[[], dt.date]
) -> ValueWarmer:
    """A :class:`ValueWarmer` for ``window``'s run: once it has computed something, the
    workspaces that can reload do, and so does an account page on screen (its figures and
    tiers). An edit made on the account page warms the table again (its row was dropped), and
    so does every hour (a new day)."""
    warmer = ValueWarmer(runner, today=today, parent=window)

    def reload() -> None:
        window.refresh_workspaces()
        accounts = _accounts(window)
        if isinstance(accounts, AccountsWorkspace) and accounts.showing_account_page():
            accounts.account_page.reload()

    warmer.warmed.connect(reload)
    hourly = QTimer(warmer)  # a new day moves some figures (the app may run overnight)
    hourly.setInterval(HOUR_MS)
    hourly.timeout.connect(warmer.warm)
    hourly.start()
    if isinstance(accounts := _accounts(window), AccountsWorkspace):  # an edit on the page
        accounts.account_page.account_changed.connect(lambda _account_id: warmer.warm())
    return warmer


def _accounts(window: MainWindow) -> object:
    return window.workspace("accounts") if "accounts" in window.view_ids else None
