"""The Forecast workspace: a rep's forecast for a month or a quarter, and for managers the
team review.

* **My forecast** — the figure cards (closed, commit, best case, pipeline, quota, attainment,
  gap to quota; one line per currency, nothing converted), an adjustment with a note and
  **Submit…** (a confirmation says what will be stored; a submission is a dated snapshot that
  cannot change), the "Submitted on …" line and this period's submissions as a chart.
  Submitting again with nothing changed stores nothing (it says so).
* **Team review** (only for someone with reports) — the team tree with roll-up rows per
  manager, the latest submission, call, manager adjustment (direct or indirect), the live
  figures, quota, attainment and, once the period has ended, accuracy; Adjust…, Deals… (Enter)
  and Export…; the trend of the team's submitted call.

One database task loads a period (figures are built there too); stores go through the same
task runner. Keyboard: Alt+Left / Alt+Right previous / next period, Alt+Home the current
one, Alt+M / Alt+Q months / quarters, F5 reloads, Ctrl+Enter submits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from matplotlib.figure import Figure
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sfa_desktop.domain.errors import ValidationError
from sfa_desktop.i18n import _
from sfa_desktop.services.forecasts import (
    PersonForecast,
    TeamReview,
    current_period,
    my_forecast,
    rep_deals,
    submission_history,
    team_review,
    team_trend,
)
from sfa_desktop.services.visits import AgendaClock
from sfa_desktop.ui.account_page.display import show_datetime
from sfa_desktop.ui.error_text import describe_error
from sfa_desktop.ui.forecast.adjust_dialog import AdjustDialog, AdjustRequest, manager_name
from sfa_desktop.ui.forecast.deals_dialog import DealsDialog
from sfa_desktop.ui.forecast.figures import history_figure, trend_figure
from sfa_desktop.ui.forecast.my_panel import (
    Adjustment,
    MyForecastPanel,
    confirmation_text,
    same_as_latest,
)
from sfa_desktop.ui.forecast.period_picker import PeriodPicker
from sfa_desktop.ui.forecast.team_panel import TeamPanel
from sfa_desktop.ui.forecast.writes import store_submission
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.widgets.empty_state import EmptyState
from sfa_desktop.ui.widgets.paged_table_view import muted_label
from sfa_desktop.ui.workspaces.base import Workspace, header_label
from sync_server.protocol.forecast_rules import Period, PeriodKind


@dataclass(frozen=True)
class ForecastPage:
    """One period as the workspace shows it (built on the database thread)."""

    period: Period
    mine: PersonForecast | None
    review: TeamReview | None
    history_figure: Figure | None
    trend_figure: Figure | None

    @property
    def manages(self) -> bool:
        return self.review is not None and any(row.is_manager for row in self.review.rows)


def load_page(session: Any, period: Period, today: dt.date, zone: ZoneInfo) -> ForecastPage:
    """The current user's forecast, their history chart and, for a manager, the team review
    and its trend chart."""
    mine = my_forecast(session, period, today)
    if mine is None:
        return ForecastPage(period, None, None, None, None)
    history = submission_history(session, mine.user_id, period)
    review = team_review(session, period, today)
    manages = any(row.is_manager for row in review.rows)
    trend = team_trend(session, period, zone=zone) if manages else []
    return ForecastPage(
        period=period,
        mine=mine,
        review=review if manages else None,
        history_figure=history_figure(history, period) if history else None,
        trend_figure=trend_figure(trend, period) if trend else None,
    )


class ForecastWorkspace(Workspace):
    """Your sales forecast for the month and the quarter; your team's for a manager."""

    view_id = "forecast"
    #: open this account (from a deal of the drill-down)
    account_requested = Signal(str)
    #: a one-line message for the user
    notice_shown = Signal(str)
    #: a submission or an adjustment was stored
    stored = Signal()

    def __init__(
        self,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        clock: AgendaClock | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._clock = clock or AgendaClock()
        self._page: ForecastPage | None = None
        self._busy = False
        self._task_key = ("forecast", id(self))
        self.dialog: QWidget | None = None

        self._title_label = header_label(self)
        self.picker = PeriodPicker(self._current, self)
        self.picker.changed.connect(lambda _period: self.refresh())
        self._refresh = QPushButton(self)
        self._refresh.setObjectName("forecastRefresh")
        self._refresh.clicked.connect(lambda _checked=False: self.refresh())
        QShortcut(QKeySequence("F5"), self).activated.connect(self.refresh)
        QShortcut(QKeySequence("Ctrl+Return"), self).activated.connect(self.submit)
        self._notice = muted_label(self, "forecastNotice")
        self.mine = MyForecastPanel(self)
        self.mine.submit_requested.connect(self.submit)
        self.team = TeamPanel(self)
        self.team.deals_requested.connect(self.open_deals)
        self.team.adjust_requested.connect(self.adjust)
        self.team.export_requested.connect(self.export)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("forecastTabs")
        self.tabs.addTab(self.mine, "")
        self.tabs.addTab(self.team, "")
        self.tabs.setTabVisible(1, False)
        self.empty_state = EmptyState(self)
        self.empty_state.set_icon(self.icon())
        self._stack = QStackedWidget(self)
        self._stack.addWidget(self.empty_state)
        self._stack.addWidget(self.tabs)

        header = QHBoxLayout()
        header.addWidget(self._title_label)
        header.addSpacing(24)
        header.addWidget(self.picker, 0, Qt.AlignmentFlag.AlignBottom)
        header.addStretch(1)
        header.addWidget(self._refresh)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.setSpacing(10)
        layout.addLayout(header)
        layout.addWidget(self._notice)
        layout.addWidget(self._stack, 1)
        self.retranslate()
        self.refresh()

    def _current(self, kind: PeriodKind) -> Period:
        return current_period(self._clock.today(), kind)

    # --- public API -----------------------------------------------------------------------------

    def title(self) -> str:
        return _("Forecast")

    def description(self) -> str:
        return _("Your sales forecast for the month and the quarter.")

    @property
    def page(self) -> ForecastPage | None:
        return self._page

    @property
    def period(self) -> Period:
        return self.picker.period

    def notice_text(self) -> str:
        return self._notice.text()

    def show_team(self) -> bool:
        """Bring the team review forward; False when the user has no team."""
        if not self.tabs.isTabVisible(1):
            return False
        self.tabs.setCurrentIndex(1)
        return True

    def refresh(self) -> None:
        """Reload the period shown (one database task)."""
        period, today, zone = self.period, self._clock.today(), self._clock.tz
        self._runner.run_db(
            lambda session: load_page(session, period, today, zone),
            on_done=self._loaded,
            on_error=self._failed,
            key=self._task_key,
            owner=self,
        )

    # --- loading --------------------------------------------------------------------------------

    def _loaded(self, page: ForecastPage) -> None:
        if page.period != self.period:
            return
        self._page = page
        if page.mine is None:
            self._show_empty(
                _("Nobody is signed in"),
                _("Sign in (or open the demo) to see and submit your forecast."),
            )
        else:
            self._stack.setCurrentWidget(self.tabs)
            self.mine.show_forecast(page.mine, page.history_figure)
            self.tabs.setTabVisible(1, page.manages)
            if page.review is not None:
                self.team.show_review(page.review, page.trend_figure)
        self._mark_ready()

    def _show_empty(self, title: str, message: str) -> None:
        self.empty_state.set_text(title, message)
        self._stack.setCurrentWidget(self.empty_state)

    def _failed(self, error: BaseException) -> None:
        self._page = None
        self._show_empty(_("The forecast could not be loaded"), describe_error(error))
        self._mark_ready()

    def _notify(self, message: str) -> None:
        self._notice.setText(message)
        self.notice_shown.emit(message)

    # --- submitting -----------------------------------------------------------------------------

    def submit(self) -> QMessageBox | None:
        """Confirm, then store the forecast as it is now (a dated snapshot per currency)."""
        page = self._page
        if self._busy or page is None or page.mine is None or not page.mine.own:
            return None
        try:
            typed = self.mine.adjustment()
        except ValidationError as error:
            self.mine.message.setText(describe_error(error))
            return None
        self.mine.message.setText("")
        mine = page.mine
        if same_as_latest(mine.own, mine.latest, typed):
            latest = max(mine.latest, key=lambda row: row.submitted_at)
            self.mine.message.setText(
                _("Nothing has changed since your submission on {when}: nothing to store.").format(
                    when=show_datetime(latest.submitted_at)
                )
            )
            return None
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Submit the forecast"),
            confirmation_text(page.period, mine.own, typed),
            QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("forecastSubmitConfirmation")
        box.button(QMessageBox.StandardButton.Ok).setText(_("Submit"))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.accepted.connect(lambda: self._store(page.period, typed))
        box.finished.connect(lambda _result: self._dialog_closed(box))
        self.dialog = box
        box.open()
        return box

    def _store(self, period: Period, typed: Adjustment) -> None:
        self._set_busy(True)
        now = self._clock.now
        self._runner.run_db(
            lambda session: store_submission(session, period, typed, now),
            on_done=self._submitted,
            on_error=self._store_failed,
            owner=self,
        )

    def _submitted(self, _ids: object) -> None:
        self._set_busy(False)
        self.mine.clear_input()
        self._notify(_("Forecast submitted. It will be sent to the server at the next sync."))
        self.stored.emit()
        self.refresh()

    def _store_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.mine.message.setText(describe_error(error))

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.mine.submit_button.setEnabled(not busy)

    def _dialog_closed(self, dialog: QWidget) -> None:
        if self.dialog is dialog:
            self.dialog = None

    # --- the team -------------------------------------------------------------------------------

    def open_deals(self, user_id: str) -> None:
        """The drill-down: ``user_id``'s deals in the period (a dialog)."""
        person = self.team.model.person(user_id)
        if person is None:
            return
        period = self.period

        def opened(deals: Any) -> None:
            dialog = DealsDialog(person.name, period, deals, self)
            dialog.account_requested.connect(self.account_requested.emit)
            self._open(dialog)

        self._runner.run_db(
            lambda session: rep_deals(session, user_id, period),
            on_done=opened,
            on_error=lambda error: self._notify(describe_error(error)),
            owner=self,
        )

    def adjust(self, user_id: str, team: bool) -> AdjustDialog | None:
        """The manager adjustment dialog for ``user_id`` (their team's call with ``team``)."""
        page = self._page
        person = self.team.model.person(user_id)
        if page is None or page.mine is None or page.review is None or person is None:
            return None
        if person.user_id == page.mine.user_id and not team:
            self._notify(_("Adjust your own call when you submit it, on “My forecast”."))
            return None
        dialog = AdjustDialog(
            person,
            page.period,
            me=page.mine.user_id,
            manager_name=manager_name(page.review.rows, person),
            team=team,
            parent=self,
        )
        dialog.chosen.connect(lambda request: self._store_adjustment(dialog, request))
        self._open(dialog)
        return dialog

    def _store_adjustment(self, dialog: AdjustDialog, request: AdjustRequest) -> None:
        period, now = self.period, self._clock.now
        write = adjustment_writer(request, period, now)

        def done(_result: object) -> None:
            dialog.done_ok()
            self._notify(_("Adjustment stored with its note."))
            self.stored.emit()
            self.refresh()

        self._runner.run_db(write, on_done=done, on_error=dialog.show_error, owner=dialog)

    def export(self) -> None:
        self._notify(_("Export is not available yet."))

    def _open(self, dialog: QWidget) -> None:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        finished = getattr(dialog, "finished", None)
        if finished is not None:
            finished.connect(lambda _result: self._dialog_closed(dialog))
        opener: Callable[[], None] = dialog.open  # type: ignore[attr-defined]
        opener()

    # --- texts ----------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self._title_label.setText(self.title())
        self._refresh.setText(_("Refresh"))
        self._refresh.setToolTip(_("Reload the figures (F5)"))
        self.tabs.setTabText(0, _("My forecast"))
        self.tabs.setTabText(1, _("Team review"))
        self.picker.retranslate()
        self.mine.retranslate()
        self.team.retranslate()
        if self._page is not None:
            self.refresh()


def adjustment_writer(
    request: AdjustRequest, period: Period, now: Callable[[], dt.datetime]
) -> Callable[[Any], object]:
    """The database work of a manager adjustment (the forecast writing service)."""

    def write(_session: Any) -> object:
        raise ValidationError("not_available", field="adjustment")

    return write
