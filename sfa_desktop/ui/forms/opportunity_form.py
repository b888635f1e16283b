"""The opportunity editor: a new deal or an existing one, and its stage history.

Fields: account, name, stage, amount, currency, probability, expected close, forecast category,
next step, and the lost reason, shown (and required) only when the stage is *Closed lost*.
Probability and forecast category follow the stage's defaults the way the services apply them
(:func:`sfa_desktop.domain.opportunity_stages.stage_defaults`): changing the stage moves a
value still at the old stage's default to the new one, a value the rep chose stays, a closed
stage sets both; the line under them says what the stage's defaults are. Saving writes through
:mod:`sfa_desktop.services.opportunities` on the database thread (``new_opportunity`` /
``update_opportunity``), so the stage history is written with the change; a refusal is shown
under its field (a missing lost reason) or above the form.

An existing deal shows, below the form, how long it has been in its stage and its history (when,
from → to, who, the close date it moved from and to), read-only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sfa_desktop.domain.errors import ValidationError, ValidationErrors
from sfa_desktop.domain.opportunity_stages import CLOSED_STAGES, stage_defaults
from sfa_desktop.i18n import _, enum_label, ngettext
from sfa_desktop.services.editing import load_edit_context
from sfa_desktop.services.opportunities import (
    StageHistory,
    load_stage_history,
    new_opportunity,
    update_opportunity,
)
from sfa_desktop.ui.account_page.display import show_date, show_datetime
from sfa_desktop.ui.tasks import TaskRunner
from sync_server.protocol.catalog import (
    STAGE_DEFAULT_FORECAST_CATEGORY,
    STAGE_DEFAULT_PROBABILITY,
)

from .record_dialog import RecordDialog
from .record_form import RecordForm

OPPORTUNITY_COLUMNS = (
    ("account_id", "name", "stage", "amount", "currency"),
    ("probability", "forecast_category", "expected_close_date", "next_step", "lost_reason"),
)
_LOST = "closed_lost"


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class OpportunityDialog(RecordDialog):
    """Creates or edits one opportunity through the opportunities service."""

    #: The stage history of the edited deal is shown.
    history_shown = Signal()

    def __init__(
        self,
        runner: TaskRunner,
        *,
        record_id: str | None = None,
        initial: Mapping[str, Any] | None = None,
        now: Callable[[], dt.datetime] = _utc_now,
        parent: QWidget | None = None,
    ) -> None:
        form = RecordForm(
            runner,
            "opportunity",
            OPPORTUNITY_COLUMNS,
            hints={
                "next_step": lambda: _("e.g. Send the revised quote on Friday"),
                "lost_reason": lambda: _("Why the customer said no"),
            },
        )
        self._now = now
        self._stage: str | None = None
        self._history: StageHistory | None = None
        self._defaults_label = QLabel(form)
        self._defaults_label.setObjectName("stageDefaults")
        self._defaults_label.setWordWrap(True)
        self._history_box = QGroupBox()
        self._age_label = QLabel(self._history_box)
        self._age_label.setObjectName("ageInStage")
        self._history_list = QTreeWidget(self._history_box)
        self._history_list.setObjectName("stageHistory")
        self._history_list.setRootIsDecorated(False)
        self._history_list.setColumnCount(4)
        self._history_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._history_list.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        history_layout = QVBoxLayout(self._history_box)
        history_layout.addWidget(self._age_label)
        history_layout.addWidget(self._history_list)
        self._history_box.setVisible(record_id is not None)
        super().__init__(
            runner,
            form,
            title=(lambda: _("New opportunity"))
            if record_id is None
            else (lambda: _("Edit opportunity")),
            record_id=record_id,
            initial=initial,
            parent=parent,
        )
        self._history_box.setParent(self)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(layout.indexOf(form) + 1, self._defaults_label)
        layout.insertWidget(layout.indexOf(self._defaults_label) + 1, self._history_box, 1)
        stage = form.editor("stage")
        stage.changed.connect(self._stage_changed)
        self._stage = stage.value()
        self._show_stage()
        if record_id is not None:
            self.record_loaded.connect(self._record_shown)
            self._load_history()
        self.resize(860, self.sizeHint().height())

    # --- public API ------------------------------------------------------------------------

    @property
    def history(self) -> StageHistory | None:
        """The stage history shown (None until it is read, and for a new deal)."""
        return self._history

    @property
    def history_list(self) -> QTreeWidget:
        return self._history_list

    @property
    def age_text(self) -> str:
        return self._age_label.text()

    @property
    def defaults_text(self) -> str:
        return self._defaults_label.text()

    # --- the stage's defaults --------------------------------------------------------------

    def _record_shown(self) -> None:
        self._stage = self._form.editor("stage").value()
        self._show_stage()

    def _stage_changed(self) -> None:
        """Follow the services' rule: a probability or category still at the old stage's
        default moves to the new one's; a closed stage sets both."""
        form = self._form
        new_stage = form.editor("stage").value()
        if new_stage is None or new_stage == self._stage:
            return
        current = {
            "stage": self._stage,
            "probability": form.editor("probability").value(),
            "forecast_category": form.editor("forecast_category").value(),
        }
        for name, value in stage_defaults(current, new_stage, {}).items():
            form.editor(name).set_value(value)
        self._stage = new_stage
        self._show_stage()

    def _show_stage(self) -> None:
        stage = self._stage
        lost = stage == _LOST
        self._form.set_field_visible("lost_reason", lost)
        for name in ("probability", "forecast_category"):
            self._form.editor(name).widget.setEnabled(stage not in CLOSED_STAGES)
        if stage is None:
            self._defaults_label.clear()
            return
        self._defaults_label.setText(
            _(
                "{stage} brings a probability of {probability} % and the category {category}."
            ).format(
                stage=enum_label("opportunity_stage", stage),
                probability=STAGE_DEFAULT_PROBABILITY[stage],
                category=enum_label("forecast_category", STAGE_DEFAULT_FORECAST_CATEGORY[stage]),
            )
            + " "
            + (
                _("A closed deal keeps them.")
                if stage in CLOSED_STAGES
                else _("Change them to override the stage's defaults.")
            )
        )

    # --- history ---------------------------------------------------------------------------

    def _load_history(self) -> None:
        record_id, now = self._record_id, self._now()
        if record_id is None:
            return
        self._runner.run_db(
            lambda session: load_stage_history(session, record_id, now=now),
            on_done=self._show_history,
            key=("opportunity-history", id(self)),
            owner=self,
        )

    def _show_history(self, history: StageHistory) -> None:
        self._history = history
        self._history_list.clear()
        for change in reversed(history.changes):
            moved = (
                enum_label("opportunity_stage", change.to_stage)
                if change.from_stage is None
                else "{} → {}".format(
                    enum_label("opportunity_stage", change.from_stage),
                    enum_label("opportunity_stage", change.to_stage),
                )
            )
            if change.from_stage is None:
                moved = _("Created in {stage}").format(stage=moved)
            elif not change.moved_stage:
                moved = enum_label("opportunity_stage", change.to_stage)
            close = show_date(change.to_close_date)
            if change.from_stage is not None and change.from_close_date != change.to_close_date:
                close = "{} → {}".format(show_date(change.from_close_date) or "—", close or "—")
            item = QTreeWidgetItem(
                [
                    show_datetime(change.changed_at),
                    moved,
                    close,
                    history.names.get(change.changed_by_id, ""),
                ]
            )
            if change.slip_days:
                item.setToolTip(
                    2,
                    ngettext(
                        "The close date slipped {days} day",
                        "The close date slipped {days} days",
                        change.slip_days,
                    ).format(days=change.slip_days),
                )
            self._history_list.addTopLevelItem(item)
        self._show_age()
        self.history_shown.emit()

    def _show_age(self) -> None:
        facts = None if self._history is None else self._history.facts
        if facts is None or self._stage is None:
            self._age_label.clear()
            return
        text = ngettext(
            "In {stage} for {days} day.", "In {stage} for {days} days.", facts.age_in_stage_days
        ).format(stage=enum_label("opportunity_stage", self._stage), days=facts.age_in_stage_days)
        if facts.slip_count:
            text += " " + ngettext(
                "The close date slipped {count} time ({days} days in all).",
                "The close date slipped {count} times ({days} days in all).",
                facts.slip_count,
            ).format(count=facts.slip_count, days=facts.slipped_days)
        self._age_label.setText(text)

    # --- saving ----------------------------------------------------------------------------

    def writer(self, values: Mapping[str, Any]) -> Callable[[Any], str]:
        record_id, today = self._record_id, self._now().astimezone().date()
        changes = dict(values)
        if changes.get("stage", self._form.initial_value("stage")) != _LOST:
            changes.pop("lost_reason", None)  # hidden: what it held is not sent

        def write(session: Any) -> str:
            context = load_edit_context(session)
            if record_id is None:
                if not changes.get("account_id"):
                    raise ValidationErrors([ValidationError("required", field="account_id")])
                return new_opportunity(
                    session,
                    context,
                    account_id=changes.get("account_id", ""),
                    name=changes.get("name", ""),
                    amount=changes.get("amount", 0),
                    today=today,
                    stage=changes.get("stage", "prospecting"),
                    currency=changes.get("currency"),
                    close_date=changes.get("expected_close_date"),
                    probability=changes.get("probability"),
                    forecast_category=changes.get("forecast_category"),
                    lost_reason=changes.get("lost_reason"),
                    next_step=changes.get("next_step"),
                )
            update_opportunity(session, context, record_id, changes, today=today)
            return record_id

        return write

    def retranslate(self) -> None:
        super().retranslate()
        self._history_box.setTitle(_("Stage history"))
        self._history_list.setHeaderLabels([_("When"), _("Stage"), _("Close date"), _("By")])
        if hasattr(self, "_stage"):
            self._show_stage()
            if self._history is not None:
                self._show_history(self._history)


def opportunity_dialog(
    runner: TaskRunner,
    *,
    record_id: str | None = None,
    initial: Mapping[str, Any] | None = None,
    now: Callable[[], dt.datetime] = _utc_now,
    parent: QWidget | None = None,
) -> OpportunityDialog:
    """The editor on a new opportunity (``initial``: e.g. its account) or on ``record_id``."""
    return OpportunityDialog(runner, record_id=record_id, initial=initial, now=now, parent=parent)
