"""A form for one record, built from the entity catalog: an editor and an error line per field.

::

    form = RecordForm(runner, "contact", [["first_name", "last_name", "email"], ["notes"]])
    form.set_record(current_values)      # what "changed" is measured against
    form.values()                        # {field: new value} of the changed fields only
    form.set_errors(validation_errors)   # each message under its field, translated

Each inner list is a column of fields (label on the left); long text fields listed in
``wide`` span the whole width below the columns. :meth:`RecordForm.values` raises
:class:`~sfa_desktop.domain.errors.ValidationErrors` for input the editors cannot read
(a malformed number, a reference not picked from the list), so the form shows those inline
without a trip to the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from sfa_desktop.domain.errors import ValidationError, ValidationErrors
from sfa_desktop.i18n import error_message
from sfa_desktop.ui.tasks import TaskRunner
from sync_server.protocol.catalog import CATALOG, FieldSpec, FieldType

from .date_editors import DateTimeEditor
from .field_editors import (
    BoolEditor,
    EnumEditor,
    FieldEditor,
    IntEditor,
    LongTextEditor,
    MoneyEditor,
    NumberEditor,
    PhoneEditor,
    TagsEditor,
    TextEditor,
)
from .field_labels import field_label
from .reference_picker import (
    AccountSource,
    ContactSource,
    ReferencePicker,
    ReferenceSource,
    UserSource,
)

#: Text fields longer than this get a multi-line editor.
LONG_TEXT_MIN_LENGTH = 2000
PHONE_FIELDS = frozenset({"phone", "mobile"})
_ERROR_COLOR = "#c62828"

#: The editor of each field type that needs nothing but the field (references, money and
#: text have their own choice, see ``RecordForm._make_editor``).
_EDITOR_TYPES: dict[FieldType, Callable[[str, FieldSpec, QWidget], FieldEditor]] = {
    FieldType.ENUM: EnumEditor,
    FieldType.BOOL: BoolEditor,
    FieldType.INT: IntEditor,
    FieldType.DECIMAL: NumberEditor,
    FieldType.FLOAT: NumberEditor,
    FieldType.DATE: DateTimeEditor,
    FieldType.DATETIME: DateTimeEditor,
    FieldType.TAGS: TagsEditor,
}


def default_reference_sources() -> dict[str, ReferenceSource]:
    """The picker source for each referenced entity."""
    return {"user": UserSource(), "account": AccountSource(), "contact": ContactSource()}


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, list | tuple) or isinstance(new, list | tuple):
        return list(old or ()) == list(new or ())
    return type(old) is type(new) and bool(old == new)


class RecordForm(QWidget):
    """Editors for some fields of one entity, laid out in columns, with inline errors."""

    #: The user changed a value.
    changed = Signal()

    def __init__(
        self,
        runner: TaskRunner,
        entity: str,
        columns: Sequence[Sequence[str]],
        *,
        wide: Sequence[str] = (),
        references: Mapping[str, ReferenceSource] | None = None,
        labels: Mapping[str, Callable[[], str]] | None = None,
        hints: Mapping[str, Callable[[], str]] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"{entity}Form")
        self._entity = entity
        self._spec = CATALOG[entity]
        self._runner = runner
        self._sources = {**default_reference_sources(), **(references or {})}
        self._custom_labels = dict(labels or {})
        self._hints = dict(hints or {})
        self._editors: dict[str, FieldEditor] = {}
        self._labels: dict[str, QLabel] = {}
        self._errors: dict[str, QLabel] = {}
        self._initial: dict[str, Any] = {}
        self._shown_errors: list[ValidationError] = []

        self._banner = QLabel(self)
        self._banner.setObjectName("formErrors")
        self._banner.setWordWrap(True)
        self._banner.hide()
        self._paint_error(self._banner)

        row = QHBoxLayout()
        row.setSpacing(24)
        for names in columns:
            layout = self._form_layout()
            for name in names:
                self._add_field(layout, name)
            row.addLayout(layout, 1)
        wide_layout = self._form_layout()
        for name in wide:
            self._add_field(wide_layout, name)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._banner)
        outer.addLayout(row)
        outer.addLayout(wide_layout)
        outer.addStretch(1)
        self.retranslate()
        self.set_record({})

    # --- building ----------------------------------------------------------------------------

    @staticmethod
    def _form_layout() -> QFormLayout:
        layout = QFormLayout()
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        layout.setVerticalSpacing(4)
        return layout

    def _add_field(self, layout: QFormLayout, name: str) -> None:
        spec = self._spec.field(name)
        cell = QWidget(self)
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 2)
        column.setSpacing(1)
        editor = self._make_editor(spec, cell)
        column.addWidget(editor.widget)
        error = QLabel(cell)
        error.setObjectName(f"error_{name}")
        error.setWordWrap(True)
        error.hide()
        self._paint_error(error)
        column.addWidget(error)
        label = QLabel(self)
        label.setBuddy(editor.focus_widget())
        layout.addRow(label, cell)
        editor.changed.connect(self.changed)
        self._editors[name] = editor
        self._labels[name] = label
        self._errors[name] = error

    def _make_editor(self, spec: FieldSpec, parent: QWidget) -> FieldEditor:
        entity = self._entity
        if spec.type is FieldType.REF:
            source = self._sources[spec.ref or ""]
            return ReferencePicker(entity, spec, parent, runner=self._runner, source=source)
        if spec.type is FieldType.MONEY:
            return MoneyEditor(entity, spec, parent, currency=self._currency)
        editor_type = _EDITOR_TYPES.get(spec.type)
        if editor_type is not None:
            return editor_type(entity, spec, parent)
        if spec.name in PHONE_FIELDS:
            return PhoneEditor(entity, spec, parent)
        if (spec.max_length or 0) >= LONG_TEXT_MIN_LENGTH:
            return LongTextEditor(entity, spec, parent)
        return TextEditor(entity, spec, parent)

    def _currency(self) -> str | None:
        editor = self._editors.get("currency")
        if editor is not None:
            value = editor.value()
            return str(value) if value else None
        value = self._initial.get("currency")
        return str(value) if value else None

    @staticmethod
    def _paint_error(label: QLabel) -> None:
        palette = label.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor(_ERROR_COLOR))
        label.setPalette(palette)

    # --- values ------------------------------------------------------------------------------

    @property
    def entity(self) -> str:
        return self._entity

    def field_names(self) -> tuple[str, ...]:
        return tuple(self._editors)

    def editor(self, name: str) -> FieldEditor:
        return self._editors[name]

    def set_record(self, values: Mapping[str, Any]) -> None:
        """Show ``values`` (missing fields are left blank) and measure changes against them."""
        self._initial = dict(values)
        for name, editor in self._editors.items():
            editor.set_value(values.get(name))
        self.clear_errors()

    def focus_first_empty(self) -> None:
        """Put the keyboard focus in the first field without a value (else the first one)."""
        editors = list(self._editors.values())
        for editor in editors:
            try:
                empty = editor.value() in (None, "", [])
            except ValidationError:
                empty = False
            if empty and editor.focus_widget().isEnabled():
                editor.focus_widget().setFocus(Qt.FocusReason.OtherFocusReason)
                return
        if editors:
            editors[0].focus_widget().setFocus(Qt.FocusReason.OtherFocusReason)

    def set_field_visible(self, name: str, visible: bool) -> None:
        """Show or hide a field with its label (a field that only some values need)."""
        self._labels[name].setVisible(visible)
        cell = self._editors[name].widget.parentWidget()
        if cell is not None:
            cell.setVisible(visible)

    def field_visible(self, name: str) -> bool:
        return not self._labels[name].isHidden()

    def initial_value(self, name: str) -> Any:
        return self._initial.get(name)

    def values(self, *, changed_only: bool = True) -> dict[str, Any]:
        """The fields' values (only those that differ from :meth:`set_record`'s by default).

        Raises :class:`ValidationErrors` listing every field whose input cannot be read.
        """
        read: dict[str, Any] = {}
        problems: list[ValidationError] = []
        for name, editor in self._editors.items():
            try:
                read[name] = editor.value()
            except ValidationErrors as many:
                problems.extend(many.errors)
            except ValidationError as error:
                error.field = error.field or name
                problems.append(error)
        if problems:
            raise ValidationErrors(problems)
        if not changed_only:
            return read
        return {
            name: value for name, value in read.items() if not _same(self._initial.get(name), value)
        }

    # --- errors ------------------------------------------------------------------------------

    def set_errors(self, errors: Iterable[ValidationError], *, focus: bool = True) -> None:
        """Show each error under its field (errors of other fields go to the top).

        The first field in error takes the keyboard focus unless ``focus`` is false.
        """
        self.clear_errors()
        self._shown_errors = list(errors)
        loose: list[str] = []
        first: FieldEditor | None = None
        for error in self._shown_errors:
            text = error_message(error.code, **error.params)
            label = self._errors.get(error.field or "")
            if label is None:
                loose.append(text)
                continue
            label.setText("\n".join(filter(None, (label.text(), text))))
            label.show()
            if first is None:
                first = self._editors[error.field or ""]
        if loose:
            self.show_message("\n".join(loose))
        if first is not None and focus:
            first.focus_widget().setFocus(Qt.FocusReason.OtherFocusReason)

    def show_message(self, text: str) -> None:
        """A message about the whole record, above the fields."""
        self._banner.setText(text)
        self._banner.setVisible(bool(text))

    def clear_errors(self) -> None:
        self._shown_errors = []
        for label in self._errors.values():
            label.clear()
            label.hide()
        self.show_message("")

    def error_text(self, name: str) -> str:
        """The error shown under field ``name`` ("" if none)."""
        label = self._errors[name]
        return label.text() if not label.isHidden() else ""

    def message_text(self) -> str:
        return self._banner.text() if not self._banner.isHidden() else ""

    def retranslate(self) -> None:
        for name, label in self._labels.items():
            custom = self._custom_labels.get(name)
            label.setText((custom() if custom else field_label(self._entity, name)) + ":")
            self._editors[name].retranslate()
        for name, hint in self._hints.items():
            widget = self._editors[name].widget
            if isinstance(widget, QLineEdit | QPlainTextEdit):
                widget.setPlaceholderText(hint())
        if self._shown_errors:
            self.set_errors(list(self._shown_errors), focus=False)
