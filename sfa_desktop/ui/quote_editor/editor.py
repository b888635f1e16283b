"""The quote editor: a window with the header, the lines, the totals and the actions.

Opened from the Quotes workspace (New quote, Ctrl+N; Enter or a double-click on a quote), from
an account's page (New quote) and from one of its opportunities. It loads the quote (or a new
draft with the defaults) and the owner's discount limit once, on the database thread; from
then on every keystroke in a quantity or a discount recomputes the totals in memory
(:class:`~.lines_model.QuoteLinesModel`). Save and Submit write on the database thread
(:func:`~sfa_desktop.services.quote_drafts.save_quote_draft`,
:func:`~sfa_desktop.services.quote_writing.submit_quote`), all or nothing.

A quote past approval (approved, sent, accepted, rejected, expired) opens read-only with a
banner: it is changed by revising it. The quote's lifecycle actions
(:class:`~sfa_desktop.ui.quotes.quote_actions.QuoteActions`: approve, return, withdraw, send,
accept, reject, revise — those that apply) sit in the action row after Save and Submit; more can
be added there with :meth:`QuoteEditor.add_action`. They act on the saved quote, so they wait
while there are unsaved changes; after one, the editor shows the quote again (Revise: the new
revision).

Keyboard: Ctrl+L adds a product (type its SKU, name or family), Ctrl+Shift+H a section heading,
Ctrl+Shift+T a text line, Ctrl+D duplicates the line, Del deletes it, Alt+Up/Alt+Down move it,
Ctrl+Shift+O makes it optional (or not); Ctrl+S saves, Esc closes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from sfa_desktop.domain.errors import ValidationError
from sfa_desktop.domain.localized_numbers import format_percent
from sfa_desktop.i18n import _, enum_label, error_message, locale_for_formatting
from sfa_desktop.services.current_user import current_user_id
from sfa_desktop.services.editing import load_edit_context
from sfa_desktop.services.quote_draft_saving import save_quote_draft
from sfa_desktop.services.quote_drafts import (
    DraftLine,
    DraftSetup,
    ProductChoice,
    QuoteDraft,
    new_quote_draft,
    open_quote_draft,
    reprice_lines,
)
from sfa_desktop.services.quote_writing import submit_quote
from sfa_desktop.ui.error_text import describe_error

# the module, not its names: it imports the account page's helpers, whose page opens editors
from sfa_desktop.ui.quotes import quote_actions
from sfa_desktop.ui.tasks import TaskRunner

from .error_text import error_text
from .header_form import HeaderForm
from .lines_model import (
    DESCRIPTION_COLUMN,
    QUANTITY_COLUMN,
    QuoteLinesModel,
)
from .lines_table import LinesTable
from .product_picker import ProductPicker
from .totals_panel import TotalsPanel


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class QuoteEditor(QDialog):
    """Edits one quote (or a new one); see the module docstring."""

    #: The quote (or the new draft) is shown, ready to edit.
    loaded = Signal()
    #: The quote was saved (argument: its id) — after Save or Submit.
    saved = Signal(str)
    #: The quote was submitted (argument: its new status).
    submitted = Signal(str)
    #: A save or submit failed; the message is shown in the window.
    failed = Signal(str)

    def __init__(
        self,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        quote_id: str | None = None,
        account_id: str | None = None,
        opportunity_id: str | None = None,
        now: Callable[[], dt.datetime] = _utc_now,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("quoteEditor")
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.setSizeGripEnabled(True)
        self._runner = runner
        self._now = now
        self._task_key = ("quote-editor", id(self))
        self._draft: QuoteDraft | None = None
        self._dirty = False
        self._busy = False
        self._message_text = ""

        self._model = QuoteLinesModel(self)
        self._build()
        self._bind_keys()
        self._model.totals_changed.connect(self._totals_changed)
        self._model.edited.connect(self._mark_dirty)
        self._header.edited.connect(self._mark_dirty)
        self._header.price_list_chosen.connect(self._change_price_list)
        self._picker.chosen.connect(self.add_product)
        self._quote_actions = quote_actions.QuoteActions(runner, self, now=now)
        for action in self._quote_actions.actions():
            self.add_action(action)
        self._quote_actions.quote_changed.connect(self._changed_by_action)
        self._quote_actions.revised.connect(lambda _old, new_id: self._changed_by_action(new_id))
        self.retranslate()
        self.resize(1180, 760)
        self._load(quote_id, account_id, opportunity_id)

    # --- building -------------------------------------------------------------------------------

    def _build(self) -> None:
        self._title = QLabel(self)
        self._title.setObjectName("quoteEditorTitle")
        font = self._title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self._title.setFont(font)
        self._status = QLabel(self)
        self._status.setObjectName("quoteEditorStatus")
        self._frozen_banner = self._banner("quoteFrozenBanner", "#e8eef7", "#30476b")
        self._approval_banner = self._banner("quoteApprovalBanner", "#fff4d6", "#6b4f00")
        self._message = self._banner("quoteEditorMessage", "#fbe9e7", "#8c1d18")
        self._header = HeaderForm(self._runner, self, now=self._now)
        self._picker = ProductPicker(self._runner, self)
        self._table = LinesTable(self._model, self)
        self._totals = TotalsPanel(self)

        self._add_section_button = self._button("addSection", self.add_section)
        self._add_text_button = self._button("addText", self.add_text)
        self._duplicate_button = self._button("duplicateLine", self.duplicate_line)
        self._optional_button = self._button("toggleOptional", self.toggle_optional)
        self._delete_button = self._button("deleteLine", self.delete_line)
        self._save_button = self._button("saveQuote", self.save)
        self._submit_button = self._button("submitQuote", self.submit)
        self._close_button = self._button("closeQuote", self.close)
        self._line_buttons = (
            self._add_section_button,
            self._add_text_button,
            self._duplicate_button,
            self._optional_button,
            self._delete_button,
        )

        title_row = QHBoxLayout()
        title_row.addWidget(self._title)
        title_row.addSpacing(12)
        title_row.addWidget(self._status, 0, Qt.AlignmentFlag.AlignBottom)
        title_row.addStretch(1)
        line_row = QHBoxLayout()
        line_row.addWidget(self._picker, 1)
        for button in self._line_buttons:
            line_row.addWidget(button)
        #: Save, Submit, then the lifecycle actions (:meth:`add_action`), Close on the right
        self._lifecycle_bar = QToolBar(self)
        self._lifecycle_bar.setObjectName("quoteEditorActions")
        self._lifecycle_bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self._actions = QHBoxLayout()
        self._actions.addWidget(self._save_button)
        self._actions.addWidget(self._submit_button)
        self._actions.addWidget(self._lifecycle_bar)
        self._actions.addStretch(1)
        self._actions.addWidget(self._close_button)
        bottom = QHBoxLayout()
        bottom.addLayout(self._actions, 1)
        bottom.addSpacing(24)
        bottom.addWidget(self._totals, 0, Qt.AlignmentFlag.AlignTop)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(8)
        layout.addLayout(title_row)
        for banner in (self._frozen_banner, self._approval_banner, self._message):
            layout.addWidget(banner)
        layout.addWidget(self._header)
        layout.addLayout(line_row)
        layout.addWidget(self._table, 1)
        layout.addLayout(bottom)

    def _banner(self, name: str, background: str, color: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setStyleSheet(
            f"QLabel#{name} {{ background: {background}; color: {color}; "
            "border-radius: 4px; padding: 6px 10px; }"
        )
        label.hide()
        return label

    def _button(self, name: str, slot: Callable[[], Any]) -> QPushButton:
        button = QPushButton(self)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _bind_keys(self) -> None:
        window_keys: tuple[tuple[str, Callable[[], Any]], ...] = (
            ("Ctrl+S", self.save),
            ("Ctrl+L", self.focus_picker),
            ("Ctrl+Shift+H", self.add_section),
            ("Ctrl+Shift+T", self.add_text),
            ("Ctrl+D", self.duplicate_line),
            ("Ctrl+Shift+O", self.toggle_optional),
        )
        for sequence, slot in window_keys:
            QShortcut(QKeySequence(sequence), self).activated.connect(slot)
        table_keys: tuple[tuple[str, Callable[[], Any]], ...] = (
            ("Alt+Up", lambda: self.move_line(-1)),
            ("Alt+Down", lambda: self.move_line(1)),
            ("Del", self.delete_line),
        )
        for sequence, slot in table_keys:
            shortcut = QShortcut(QKeySequence(sequence), self._table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)

    # --- public API -----------------------------------------------------------------------------

    @property
    def model(self) -> QuoteLinesModel:
        return self._model

    @property
    def table(self) -> QTableView:
        return self._table

    @property
    def header_form(self) -> HeaderForm:
        return self._header

    @property
    def picker(self) -> ProductPicker:
        return self._picker

    @property
    def totals_panel(self) -> TotalsPanel:
        return self._totals

    @property
    def draft(self) -> QuoteDraft | None:
        """The quote as last loaded or saved."""
        return self._draft

    @property
    def quote_id(self) -> str | None:
        return self._draft.quote_id if self._draft else None

    @property
    def is_dirty(self) -> bool:
        return self._dirty

    @property
    def read_only(self) -> bool:
        return self._model.read_only

    @property
    def approval_banner(self) -> QLabel:
        return self._approval_banner

    @property
    def frozen_banner(self) -> QLabel:
        return self._frozen_banner

    @property
    def message_text(self) -> str:
        return self._message_text

    @property
    def save_button(self) -> QPushButton:
        return self._save_button

    @property
    def submit_button(self) -> QPushButton:
        return self._submit_button

    def needs_approval(self) -> bool:
        return self._approval_banner.isVisibleTo(self)

    @property
    def quote_actions(self) -> quote_actions.QuoteActions:
        return self._quote_actions

    def add_action(self, action: QAction) -> None:
        """Put an action on the quote in the action row, after Submit (shown while visible)."""
        self._lifecycle_bar.addAction(action)
        button = self._lifecycle_bar.widgetForAction(action)
        if button is not None:
            button.setObjectName(f"{action.objectName()}Button")

    def focus_picker(self) -> None:
        if not self.read_only:
            self._picker.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self._picker.selectAll()

    # --- loading --------------------------------------------------------------------------------

    def _today(self) -> dt.date:
        return self._now().astimezone().date()

    def _load(
        self, quote_id: str | None, account_id: str | None, opportunity_id: str | None
    ) -> None:
        today = self._today()

        def read(session: Any) -> DraftSetup:
            if quote_id is not None:
                return open_quote_draft(session, quote_id)
            return new_quote_draft(
                session,
                current_user_id(session),
                today,
                account_id=account_id,
                opportunity_id=opportunity_id,
            )

        self._set_busy(True)
        self._runner.run_db(
            read,
            on_done=self.show_setup,
            on_error=self._load_failed,
            key=self._task_key,
            owner=self,
        )

    def show_setup(self, setup: DraftSetup) -> None:
        """Show ``setup`` (what loading or saving read), ready to edit unless frozen."""
        self._set_busy(False)
        draft = setup.draft
        self._draft = draft
        read_only = not draft.editable
        self._header.show_header(draft.header, setup.price_lists, setup.account)
        self._header.set_read_only(read_only)
        self._picker.set_price_list(draft.header.price_list_id)
        self._model.set_lines(
            draft.lines,
            draft.header.currency,
            discount_limit=setup.discount_limit_pct,
            read_only=read_only,
        )
        for widget in (self._picker, *self._line_buttons):
            widget.setVisible(not read_only)
        self._dirty = False
        self._quote_actions.show_quote(draft.quote_id)
        self._show_state()
        if not read_only:
            if draft.header.account_id is None:
                self._header.account.widget.setFocus(Qt.FocusReason.OtherFocusReason)
            else:
                self.focus_picker()
        self.loaded.emit()

    def _load_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self._show_message(describe_error(error))
        self._save_button.setEnabled(False)
        self._submit_button.setEnabled(False)
        self.loaded.emit()

    # --- lines ----------------------------------------------------------------------------------

    def _insert_row(self) -> int:
        """Where a new line goes: after the selected one, else at the end."""
        current = self._table.currentIndex()
        return current.row() + 1 if current.isValid() else self._model.rowCount()

    def add_product(self, choice: ProductChoice) -> None:
        """A line of one unit of ``choice`` at its price-list price; the quantity is edited."""
        if self.read_only:
            return
        row = self._model.insert_line(self._insert_row(), choice.as_line())
        self._edit_cell(row, QUANTITY_COLUMN)

    def add_line(self, line: DraftLine) -> int:
        """Insert ``line`` after the selected one (or at the end); returns its row."""
        row = self._model.insert_line(self._insert_row(), line)
        self._table.selectRow(row)
        return row

    def add_section(self) -> None:
        if not self.read_only:
            row = self.add_line(DraftLine(kind="section", description=_("New section")))
            self._edit_cell(row, DESCRIPTION_COLUMN)

    def add_text(self) -> None:
        if not self.read_only:
            row = self.add_line(DraftLine(kind="text", description=_("Text")))
            self._edit_cell(row, DESCRIPTION_COLUMN)

    def _edit_cell(self, row: int, column: int) -> None:
        index = self._model.index(row, column)
        self._table.setFocus(Qt.FocusReason.OtherFocusReason)
        self._table.setCurrentIndex(index)
        self._table.edit(index)

    def _current_row(self) -> int | None:
        index = self._table.currentIndex()
        return index.row() if index.isValid() else None

    def duplicate_line(self) -> None:
        row = self._current_row()
        if row is not None and not self.read_only:
            self._table.selectRow(self._model.duplicate(row))

    def delete_line(self) -> None:
        row = self._current_row()
        if row is None or self.read_only:
            return
        self._model.remove_rows([row])
        if self._model.rowCount():
            self._table.selectRow(min(row, self._model.rowCount() - 1))

    def toggle_optional(self) -> None:
        row = self._current_row()
        if row is not None:
            self._model.toggle_optional(row)

    def move_line(self, step: int) -> None:
        """Alt+Up (-1) / Alt+Down (+1): move the selected line, keeping it selected."""
        row = self._current_row()
        if row is None or self.read_only:
            return
        column = self._table.currentIndex().column()
        if self._model.move_row(row, row + step):
            self._table.setCurrentIndex(self._model.index(row + step, column))
            self._table.selectRow(row + step)

    # --- price list -----------------------------------------------------------------------------

    def _change_price_list(self, price_list_id: str) -> None:
        lines, previous = self._model.lines, self._header.price_list_id

        def done(repriced: tuple[tuple[DraftLine, ...], str]) -> None:
            new_lines, currency = repriced
            self._header.set_price_list(price_list_id)
            self._picker.set_price_list(price_list_id)
            self._model.set_currency(currency)
            self._model.replace_lines(new_lines)
            self._mark_dirty()

        def refused(error: BaseException) -> None:
            self._header.set_price_list(previous)
            self._show_error(error)

        def read(session: Any) -> tuple[tuple[DraftLine, ...], str]:
            return reprice_lines(session, price_list_id, lines)

        self._runner.run_db(read, on_done=done, on_error=refused, owner=self)

    # --- saving ---------------------------------------------------------------------------------

    def _draft_now(self) -> QuoteDraft | None:
        """The draft as shown, or None (with the message shown) when the header is not valid."""
        if self._draft is None:
            return None
        try:
            header = self._header.header()
        except ValidationError as error:
            self._show_error(error)
            return None
        return QuoteDraft(
            header=header,
            lines=self._model.lines,
            quote_id=self._draft.quote_id,
            number=self._draft.number,
            revision=self._draft.revision,
            status=self._draft.status,
            owner_id=self._draft.owner_id,
        )

    def save(self) -> None:
        """Ctrl+S: write the quote (a new one gets its number), then show it as saved."""
        if self._busy or self.read_only:
            return
        draft = self._draft_now()
        if draft is None:
            return
        today, now = self._today(), self._now

        def write(session: Any) -> DraftSetup:
            context = load_edit_context(session, now=now)
            quote_id = save_quote_draft(session, context, draft, today)
            return open_quote_draft(session, quote_id)

        self._write(write, self._saved)

    def submit(self) -> None:
        """Save, then submit: approved at once within the discount limit, else pending the
        manager's approval."""
        if self._busy or self.read_only or self._draft is None:
            return
        if self._draft.status != "draft":
            self._show_message(error_message("quote_not_draft"))
            return
        draft = self._draft_now()
        if draft is None:
            return
        today, now = self._today(), self._now

        def write(session: Any) -> tuple[DraftSetup, str]:
            context = load_edit_context(session, now=now)
            quote_id = save_quote_draft(session, context, draft, today)
            status = submit_quote(session, context, quote_id)
            return open_quote_draft(session, quote_id), status

        self._write(write, self._submitted)

    def _write(self, write: Callable[[Any], Any], on_done: Callable[[Any], None]) -> None:
        self._show_message("")
        self._set_busy(True)
        self._runner.run_db(
            write, on_done=on_done, on_error=self._write_failed, key=self._task_key, owner=self
        )

    def _saved(self, setup: DraftSetup) -> None:
        self.show_setup(setup)
        assert setup.draft.quote_id is not None
        self.saved.emit(setup.draft.quote_id)

    def _submitted(self, result: tuple[DraftSetup, str]) -> None:
        setup, status = result
        self._saved(setup)
        self._status.setText(enum_label("quote_status", status))
        self.submitted.emit(status)

    def _write_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self._show_error(error)

    def _show_error(self, error: BaseException) -> None:
        self._show_message(error_text(error))
        self.failed.emit(self._message_text)

    def _show_message(self, text: str) -> None:
        self._message_text = text
        self._message.setText(text)
        self._message.setVisible(bool(text))

    # --- state ----------------------------------------------------------------------------------

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        editable = not busy and not self.read_only and self._draft is not None
        self._save_button.setEnabled(editable)
        self._submit_button.setEnabled(
            editable and self._draft is not None and self._draft.status == "draft"
        )

    def _mark_dirty(self) -> None:
        if not self._dirty and self._draft is not None:
            self._dirty = True
            self._lifecycle_bar.setEnabled(False)  # they act on the saved quote: save first
            self._lifecycle_bar.setToolTip(_("Save the changes first"))
            self._show_title()

    def _changed_by_action(self, quote_id: str) -> None:
        """An action changed the quote (or made a revision): show it as it is now."""
        self.saved.emit(quote_id)
        self._load(quote_id, None, None)

    def _totals_changed(self) -> None:
        self._totals.show_totals(self._model.totals)
        self._show_approval()

    def _show_approval(self) -> None:
        needed = self._model.needs_approval() and not self.read_only
        if needed:
            limit = format_percent(self._model.discount_limit, locale_for_formatting())
            self._approval_banner.setText(
                _(
                    "Discount above your limit ({limit}): submitting will ask your manager "
                    "for approval."
                ).format(limit=limit)
            )
        self._approval_banner.setVisible(needed)

    def _show_state(self) -> None:
        self._show_title()
        draft = self._draft
        if draft is None:
            return
        self._status.setText(enum_label("quote_status", draft.status))
        if self.read_only:
            self._frozen_banner.setText(
                _(
                    "This quote is {status} and can no longer be changed. To change it, "
                    "revise it: the revision starts as a draft with the same lines."
                ).format(status=enum_label("quote_status", draft.status).lower())
            )
        self._frozen_banner.setVisible(self.read_only)
        self._lifecycle_bar.setEnabled(not self._dirty)
        self._lifecycle_bar.setToolTip("")
        self._set_busy(self._busy)
        self._show_approval()

    def _show_title(self) -> None:
        draft = self._draft
        if draft is None or draft.number is None:
            title = _("New quote")
        else:
            title = _("Quote {number} (revision {revision})").format(
                number=draft.number, revision=draft.revision
            )
        self._title.setText(title)
        self.setWindowTitle(f"{title} *" if self._dirty else title)

    # --- closing --------------------------------------------------------------------------------

    def reject(self) -> None:
        """Esc or Close: ask before dropping unsaved changes."""
        if self._busy:
            return
        if self._dirty and not self.confirm_discard():
            return
        self._dirty = False
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._busy or (self._dirty and not self.confirm_discard()):
            event.ignore()
            return
        self._dirty = False
        super().closeEvent(event)

    def confirm_discard(self) -> bool:
        """Ask whether to drop the unsaved changes (True: drop them and close)."""
        answer = QMessageBox.question(
            self,
            self.windowTitle(),
            _("Close the quote without saving your changes?"),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter alone never saves or closes by accident (no default button)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)

    # --- texts ----------------------------------------------------------------------------------

    def retranslate(self) -> None:
        texts = (
            (self._add_section_button, _("Section"), _("Add a section heading (Ctrl+Shift+H)")),
            (self._add_text_button, _("Text line"), _("Add a line of free text (Ctrl+Shift+T)")),
            (self._duplicate_button, _("Duplicate"), _("Duplicate the selected line (Ctrl+D)")),
            (
                self._optional_button,
                _("Optional"),
                _("Make the selected line optional, or not (Ctrl+Shift+O)"),
            ),
            (self._delete_button, _("Delete line"), _("Delete the selected line (Del)")),
            (self._save_button, _("&Save"), _("Save the quote (Ctrl+S)")),
            (
                self._submit_button,
                _("Su&bmit"),
                _(
                    "Save and submit: approved at once within your discount limit, else sent to "
                    "your manager"
                ),
            ),
            (self._close_button, _("Close"), _("Close the quote (Esc)")),
        )
        for button, text, tip in texts:
            button.setText(text)
            button.setToolTip(tip)
        self._table.setToolTip(
            _("Alt+Up and Alt+Down move the selected line; drag a line to move it")
        )
        self._header.retranslate()
        self._quote_actions.retranslate()
        self._picker.retranslate()
        self._table.retranslate()
        self._totals.retranslate()
        self._show_state()
        if self._draft is None:
            self._show_title()
