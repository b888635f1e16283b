"""The quick log (Ctrl+Shift+L on an account's page): a call, an e-mail or a note that
already happened, with its subject, the contact (one of the account's, optional), its
outcome and moment (now by default).

Saving runs :func:`sfa_desktop.services.visits.log_interaction` on the database thread; the
record is a *done* activity, so it joins the account's timeline, never the route. Ctrl+Enter
saves, Esc cancels; errors show under their fields with everything typed kept.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from sfa_desktop.i18n import _, pgettext
from sfa_desktop.services.visits import LOG_KINDS, AgendaClock, LoggedInteraction, log_interaction
from sfa_desktop.ui.forms import ContactSource, RecordForm
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.visits.use_case_dialog import UseCaseDialog, Write


def _kind_titles() -> dict[str, str]:
    return {
        "call": pgettext("logged interaction", "Call"),
        "email": pgettext("logged interaction", "Email"),
        "note": pgettext("logged interaction", "Note"),
    }


class LogInteractionDialog(UseCaseDialog):
    """Log a call, e-mail or note with ``account_id`` (named ``account_name`` in the intro)."""

    def __init__(
        self,
        runner: TaskRunner,
        *,
        clock: AgendaClock,
        account_id: str,
        account_name: str = "",
        kind: str = "call",
        parent: QWidget | None = None,
    ) -> None:
        form = RecordForm(
            runner,
            "visit",
            [["subject", "contact_id", "planned_start"]],
            wide=["outcome"],
            references={"contact": ContactSource(account_id)},
            labels={
                "subject": lambda: _("Subject"),
                "planned_start": lambda: _("When"),
                "outcome": lambda: _("Outcome"),
            },
            hints={"subject": lambda: _("What was it about?")},
        )
        super().__init__(runner, form, clock=clock, parent=parent)
        self.setObjectName("logInteractionDialog")
        self._account_id = account_id
        self._account_name = account_name
        self._kind = QComboBox(self)
        self._kind.setObjectName("logKind")
        for name in LOG_KINDS:
            self._kind.addItem("", name)
        self._kind.setCurrentIndex(max(self._kind.findData(kind), 0))
        self._kind_label = QLabel(self)
        self._kind_label.setBuddy(self._kind)
        self._kind_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        kind_row = QFormLayout()
        kind_row.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        kind_row.addRow(self._kind_label, self._kind)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertLayout(1, kind_row)
        form.set_record({"planned_start": clock.now()})
        self.retranslate()
        self.resize(560, self.sizeHint().height())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # the subject first: Ctrl+Shift+L, type, Ctrl+Enter
        self.form.editor("subject").focus_widget().setFocus()

    @property
    def kind_box(self) -> QComboBox:
        return self._kind

    def _align_kind_label(self) -> None:
        """The kind's label right-aligned in the form's label column."""
        labels = [label for label in self.form.findChildren(QLabel) if label.buddy() is not None]
        width = max(label.sizeHint().width() for label in [*labels, self._kind_label])
        for label in labels:
            label.setMinimumWidth(width)
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self._kind_label.setFixedWidth(width)

    def read_form(self) -> Write:
        values: dict[str, Any] = self.form.values(changed_only=False)
        entry = LoggedInteraction(
            account_id=self._account_id,
            kind=str(self._kind.currentData()),
            subject=values.get("subject"),
            at=values.get("planned_start"),
            outcome=values.get("outcome"),
            contact_id=values.get("contact_id"),
        )
        return lambda session, context: log_interaction(session, context, entry)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Log a call, email or note"))
        if self._account_name:
            self.set_intro(self._account_name)
        titles = _kind_titles()
        for row in range(self._kind.count()):
            self._kind.setItemText(row, titles[str(self._kind.itemData(row))])
        self._kind_label.setText(_("&Kind") + ":")
        super().retranslate()
        self._align_kind_label()
        self.save_button().setToolTip(_("Add it to the account's timeline (Ctrl+Enter)"))
