"""Adding a product line by typing its SKU, name or family.

A line edit with a completion pop-up, like :class:`~sfa_desktop.ui.forms.ReferencePicker`: each
pause in typing runs :func:`~sfa_desktop.services.quote_drafts.search_products` on the database
thread (over the synced catalog, offline) and lists "SKU · name · price". Down/Up move in the
list, Enter adds the highlighted product (or the first one when none is highlighted, so typing
an exact SKU and Enter is enough), Esc closes the list.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QCompleter, QLineEdit, QWidget

from sfa_desktop.domain.money import Money
from sfa_desktop.i18n import _, locale_for_formatting
from sfa_desktop.services.quote_drafts import ProductChoice, search_products
from sfa_desktop.ui.tasks import TaskRunner

SEARCH_DELAY_MS = 150
_CHOICE_ROLE = Qt.ItemDataRole.UserRole + 1


def choice_label(choice: ProductChoice) -> str:
    price = Money(choice.unit_price, choice.currency).format(locale_for_formatting())
    family = f" · {choice.family}" if choice.family else ""
    return f"{choice.sku} · {choice.name}{family} · {price}"


class ProductPicker(QLineEdit):
    """Type to search the price list's products; choosing one emits :attr:`chosen`."""

    #: The user chose a product (Enter or a click in the list).
    chosen = Signal(object)
    #: A search's results are listed.
    choices_loaded = Signal()

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("productPicker")
        self.setClearButtonEnabled(True)
        self._runner = runner
        self._price_list_id: str | None = None
        self._task_key = ("product-picker", id(self))
        self._choices: list[ProductChoice] = []
        #: the text the listed choices were found for
        self._searched: str | None = None
        #: Enter was pressed before the search answered: choose the first result then
        self._choose_when_loaded = False
        self._model = QStandardItemModel(self)
        self._completer = QCompleter(self._model, self)
        self._completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self._completer.setMaxVisibleItems(12)
        self._completer.setWidget(self)
        self._completer.activated[QModelIndex].connect(self._on_activated)  # type: ignore[index]
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.search_now)
        self.textEdited.connect(self._on_text_edited)
        self.retranslate()

    @property
    def choices(self) -> list[ProductChoice]:
        return list(self._choices)

    @property
    def completer_popup(self) -> QAbstractItemView:
        popup = self._completer.popup()
        assert popup is not None  # QCompleter makes its list view
        return popup

    def set_price_list(self, price_list_id: str | None) -> None:
        self._price_list_id = price_list_id
        self._show_choices([])
        self._searched = None

    def search(self, text: str) -> None:
        """Search ``text`` now (what typing does after a pause)."""
        self.setText(text)
        self.search_now()

    def search_now(self) -> None:
        self._timer.stop()
        text, price_list_id = self.text(), self._price_list_id
        if price_list_id is None or not text.strip():
            self._show_choices([])
            self._searched = text
            return
        self._runner.run_db(
            lambda session: search_products(session, price_list_id, text),
            on_done=lambda found: self._loaded(text, found),
            key=self._task_key,
            owner=self,
        )

    def choose(self, choice: ProductChoice) -> None:
        self.completer_popup.hide()
        self.clear()
        self._show_choices([])
        self._searched = None
        self.chosen.emit(choice)

    def choose_first(self) -> bool:
        """Enter with nothing highlighted: the first result, once the search for the text
        shown has answered."""
        if self._searched == self.text() and self._choices:
            self.choose(self._choices[0])
            return True
        if self.text().strip():
            self._choose_when_loaded = True
            self.search_now()
        return False

    def _on_text_edited(self, _text: str) -> None:
        self._choose_when_loaded = False
        self._timer.start()

    def _loaded(self, text: str, found: list[ProductChoice]) -> None:
        if text != self.text():
            return  # typed on meanwhile: a newer search follows
        self._searched = text
        self._show_choices(found)
        if self._choose_when_loaded:
            self._choose_when_loaded = False
            if found:
                self.choose(found[0])
                return
        if found and self.hasFocus():
            self._completer.complete()
        self.choices_loaded.emit()

    def _show_choices(self, choices: list[ProductChoice]) -> None:
        self._choices = list(choices)
        self._model.clear()
        for choice in choices:
            item = QStandardItem(choice_label(choice))
            item.setData(choice, _CHOICE_ROLE)
            item.setEditable(False)
            self._model.appendRow(item)

    def _on_activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        choice = index.data(_CHOICE_ROLE)
        if isinstance(choice, ProductChoice):
            self.choose(choice)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        popup = self.completer_popup
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            current = popup.currentIndex() if popup.isVisible() else QModelIndex()
            if current.isValid():
                self._on_activated(current)
            else:
                self.choose_first()
            event.accept()
            return
        if event.key() == Qt.Key.Key_Down and not popup.isVisible() and self._choices:
            self._completer.complete()
            event.accept()
            return
        super().keyPressEvent(event)

    def retranslate(self) -> None:
        self.setPlaceholderText(_("Add a product: type its SKU, name or family (Ctrl+L)"))
        self.setToolTip(
            _("Type part of a SKU, a name or a family; Down and Enter pick from the list")
        )
