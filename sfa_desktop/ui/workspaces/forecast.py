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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from matplotlib.figure import Figure
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sfa_desktop.domain.errors import ValidationError
from sfa_desktop.i18n import _, current_language
from sfa_desktop.services.exports.forecast_charts import (
    HistoryPoint,
    submission_history_figure,
    team_trend_figure,
)
from sfa_desktop.services.exports.forecast_review_document import ReviewLanguage
from sfa_desktop.services.forecast_export import export_review
from sfa_desktop.services.forecast_writing import forecast_currency
from sfa_desktop.services.forecasts import (
    AdjustmentRow,
    PersonForecast,
    SubmissionRow,
    TeamReview,
    adjustment_history,
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
from sfa_desktop.ui.forecast.my_panel import (
    Adjustment,
    MyForecastPanel,
    confirmation_text,
    same_as_latest,
)
from sfa_desktop.ui.forecast.period_picker import PeriodPicker
from sfa_desktop.ui.forecast.team_panel import TeamPanel
from sfa_desktop.ui.forecast.writes import store_adjustment, store_submission
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.widgets.empty_state import EmptyState
from sfa_desktop.ui.widgets.paged_table_view import muted_label
from sfa_desktop.ui.workspaces.base import Workspace, header_label
from sync_server.protocol.forecast_rules import Period, PeriodKind, TrendPoint


@dataclass(frozen=True)
class ForecastPage:
    """One period as the workspace shows it (built on the database thread)."""

    period: Period
    mine: PersonForecast | None
    #: the currency the rep's adjustment is in (the forecast service's choice)
    currency: str = "EUR"
    review: TeamReview | None = None
    #: the period's manager adjustments (the history: nothing is overwritten)
    adjustments: tuple[AdjustmentRow, ...] = ()
    history_figure: Figure | None = None
    trend_figure: Figure | None = None

    @property
    def manages(self) -> bool:
        return self.review is not None


def _history_chart(
    rows: Sequence[SubmissionRow], mine: PersonForecast, currency: str, place: _Place
) -> Figure:
    line = next((line for line in mine.own if line.currency == currency), None)
    return submission_history_figure(
        [
            HistoryPoint(r.submitted_at, r.commit, r.best_case)
            for r in rows
            if r.currency == currency
        ],
        period=place.period,
        currency=currency,
        language=place.language,
        quota=line.quota if line is not None else None,
        closed=line.figures.closed if line is not None else None,
        zone=place.zone,
        today=place.today,
    )


def _trend_chart(
    points: Sequence[TrendPoint], review: TeamReview, currency: str, place: _Place
) -> Figure:
    tops = [
        line
        for row in review.rows
        if row.depth == 0
        for line in row.team
        if line.currency == currency
    ]
    quotas = [line.quota for line in tops if line.quota is not None]
    return team_trend_figure(
        [(point.day, point.call[currency]) for point in points if currency in point.call],
        period=place.period,
        currency=currency,
        language=place.language,
        quota=sum(quotas) if quotas else None,
        closed=sum(line.figures.closed for line in tops) if tops else None,
        today=place.today,
    )


@dataclass(frozen=True)
class _Place:
    """Where and when a page is read: its period, today, the time zone and the language."""

    period: Period
    today: dt.date
    zone: ZoneInfo
    language: str


def load_page(session: Any, place: _Place) -> ForecastPage:
    """The current user's forecast and history chart and, for a manager, the team review, the
    period's adjustments and the team's trend chart."""
    period = place.period
    mine = my_forecast(session, period, place.today)
    if mine is None:
        return ForecastPage(period, None)
    currency = forecast_currency(session, mine.user_id, period)
    history = submission_history(session, mine.user_id, period)
    page = ForecastPage(
        period, mine, currency, history_figure=_history_chart(history, mine, currency, place)
    )
    review = team_review(session, period, place.today)
    if not any(row.is_manager for row in review.rows):
        return page
    trend = team_trend(session, period, zone=place.zone)
    return replace(
        page,
        review=review,
        adjustments=tuple(adjustment_history(session, period)),
        trend_figure=_trend_chart(trend, review, currency, place),
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
    #: the review was exported to this file
    exported = Signal(str)

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
        self._page_count = 0
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
        self.exported.connect(self._exported)
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

    @staticmethod
    def _language() -> str:
        return "es" if current_language() == "es" else "en"

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
        place = _Place(self.period, self._clock.today(), self._clock.tz, self._language())
        self._runner.run_db(
            lambda session: load_page(session, place),
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
            assert page.history_figure is not None
            self.mine.show_forecast(page.mine, page.currency, page.history_figure)
            first = not self.tabs.isTabVisible(1) and self._page_count == 0
            self.tabs.setTabVisible(1, page.manages)
            if first and page.manages:
                self.tabs.setCurrentIndex(1)  # a manager comes for the team first
            self._page_count += 1
            if page.review is not None and page.trend_figure is not None:
                self.team.show_review(page.review, page.adjustments, page.trend_figure)
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
        box.button(QMessageBox.StandardButton.Cancel).setText(_("Cancel"))
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
            history=self.team.model.history_of(person.user_id, "team" if team else "rep"),
            parent=self,
        )
        dialog.chosen.connect(lambda request: self._store_adjustment(dialog, request))
        self._open(dialog)
        return dialog

    def _store_adjustment(self, dialog: AdjustDialog, request: AdjustRequest) -> None:
        period, now = self.period, self._clock.now

        def write(session: Any) -> str:
            return store_adjustment(session, request, period, now)

        def done(_result: object) -> None:
            dialog.done_ok()
            self._notify(_("Adjustment stored with its note."))
            self.stored.emit()
            self.refresh()

        self._runner.run_db(write, on_done=done, on_error=dialog.show_error, owner=dialog)

    def export(self) -> QFileDialog:
        """Ask where to save the team review (CSV, Excel or PDF by the file's extension)."""
        dialog = QFileDialog(self, _("Export the forecast review"))
        dialog.setObjectName("forecastExportDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        filters = {
            _("Excel workbook (*.xlsx)"): ".xlsx",
            _("CSV file (*.csv)"): ".csv",
            _("PDF document (*.pdf)"): ".pdf",
        }
        dialog.setNameFilters(list(filters))
        dialog.selectFile(_("forecast-{period}.xlsx").format(period=self.period))

        def chosen(path: str) -> None:
            target = Path(path)
            if not target.suffix:
                target = target.with_suffix(filters.get(dialog.selectedNameFilter(), ".xlsx"))
            self.export_to(target)

        dialog.fileSelected.connect(chosen)
        self._open(dialog)
        return dialog

    def export_to(self, path: Path) -> None:
        """Write the team review of the period shown to ``path`` (off the UI thread)."""
        period, today, zone = self.period, self._clock.today(), self._clock.tz
        language: ReviewLanguage = "es" if self._language() == "es" else "en"

        def write(session: Any) -> int:
            return export_review(session, period, today, language, path, team=True, zone=zone)

        def failed(error: BaseException) -> None:
            reason = error.strerror if isinstance(error, OSError) else None
            self._notify(
                _("The review could not be saved to {path}: {reason}").format(
                    path=path, reason=reason or describe_error(error)
                )
                if isinstance(error, OSError)
                else describe_error(error)
            )

        self._runner.run_db(
            write,
            on_done=lambda _size: self.exported.emit(str(path)),
            on_error=failed,
            owner=self,
        )

    def _exported(self, path: str) -> None:
        self._notify(_("Review saved to {path}.").format(path=path))

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
