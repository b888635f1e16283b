"""One editor per catalog field type: the widget, reading its value and showing one.

Every editor is a :class:`FieldEditor`: ``widget`` goes into a form, :meth:`~FieldEditor.value`
returns the Python value typed per the catalog (``None`` when left blank) or raises a
:class:`~sfa_desktop.domain.errors.ValidationError` for input it cannot read (a number typed
wrongly for the locale), and :meth:`~FieldEditor.set_value` shows a stored value. Numbers and
money are read and shown in the UI locale (``1.234,50`` in Spanish) with the domain's parsing.
Dates live in :mod:`.date_editors`, references in :mod:`.reference_picker`.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit, QSpinBox, QWidget

from sfa_desktop.domain.localized_numbers import format_decimal, parse_decimal
from sfa_desktop.domain.money import Money
from sfa_desktop.domain.validation import format_phone
from sfa_desktop.i18n import enum_label, locale_for_formatting
from sync_server.protocol.catalog import FieldSpec, FieldType

#: Shown for "no value" in lists and spin boxes.
NO_VALUE = "—"
#: What the spin box of an optional whole number shows at its "no value" position.
_INT_BOUNDS: dict[str, tuple[int, int]] = {
    "visit_cadence_days": (1, 3650),
    "probability": (0, 100),
}
_DEFAULT_INT_BOUNDS = (0, 1_000_000_000)
_LONG_TEXT_LINES = 4


class FieldEditor(QObject):
    """Edits one field of a record (base class)."""

    #: The user changed the value.
    changed = Signal()

    def __init__(self, entity: str, spec: FieldSpec, parent: QWidget) -> None:
        super().__init__(parent)
        self.entity = entity
        self.spec = spec

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def widget(self) -> QWidget:
        raise NotImplementedError

    def value(self) -> Any:
        """The value typed per the catalog (``None`` if blank); ``ValidationError`` if unreadable."""
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def focus_widget(self) -> QWidget:
        """The widget that takes the keyboard focus when this field has an error."""
        return self.widget

    def retranslate(self) -> None:
        """Re-read translated texts (enum labels, placeholders)."""


class TextEditor(FieldEditor):
    """A single line of text, limited to the field's maximum length."""

    def __init__(self, entity: str, spec: FieldSpec, parent: QWidget) -> None:
        super().__init__(entity, spec, parent)
        self._edit = QLineEdit(parent)
        self._edit.setObjectName(f"field_{spec.name}")
        if spec.max_length is not None and spec.max_length < 32767:
            self._edit.setMaxLength(spec.max_length)
        self._edit.textEdited.connect(self.changed)

    @property
    def widget(self) -> QLineEdit:
        return self._edit

    def value(self) -> str | None:
        text = self._edit.text().strip()
        return text or None

    def set_value(self, value: Any) -> None:
        self._edit.setText("" if value is None else str(value))


class PhoneEditor(TextEditor):
    """A phone number: shown in national form ("954 01 29 66"), stored as E.164 by the rules."""

    def __init__(self, entity: str, spec: FieldSpec, parent: QWidget) -> None:
        super().__init__(entity, spec, parent)
        self._stored: tuple[str, str] | None = None  # (text shown, value stored)

    def value(self) -> str | None:
        text = self._edit.text().strip()
        if self._stored is not None and text == self._stored[0]:
            return self._stored[1]
        return text or None

    def set_value(self, value: Any) -> None:
        if value is None:
            self._stored = None
            self._edit.clear()
            return
        shown = format_phone(str(value))
        self._stored = (shown, str(value))
        self._edit.setText(shown)


class LongTextEditor(FieldEditor):
    """Several lines of free text (notes, needs)."""

    def __init__(self, entity: str, spec: FieldSpec, parent: QWidget) -> None:
        super().__init__(entity, spec, parent)
        self._edit = QPlainTextEdit(parent)
        self._edit.setObjectName(f"field_{spec.name}")
        self._edit.setTabChangesFocus(True)
        lines = self._edit.fontMetrics().lineSpacing() * _LONG_TEXT_LINES
        self._edit.setFixedHeight(lines + 2 * self._edit.frameWidth() + 8)
        self._edit.textChanged.connect(self.changed)

    @property
    def widget(self) -> QPlainTextEdit:
        return self._edit

    def value(self) -> str | None:
        text = self._edit.toPlainText().strip()
        return text or None

    def set_value(self, value: Any) -> None:
        self._edit.setPlainText("" if value is None else str(value))


class TagsEditor(TextEditor):
    """Tags typed as a comma-separated list."""

    def value(self) -> list[str] | None:  # type: ignore[override]
        tags = [part.strip() for part in self._edit.text().split(",")]
        unique = list(dict.fromkeys(tag for tag in tags if tag))
        return unique or None

    def set_value(self, value: Any) -> None:
        self._edit.setText(", ".join(value or ()))


class EnumEditor(FieldEditor):
    """A drop-down of the field's allowed values, with translated labels."""

    def __init__(self, entity: str, spec: FieldSpec, parent: QWidget) -> None:
        super().__init__(entity, spec, parent)
        self._combo = QComboBox(parent)
        self._combo.setObjectName(f"field_{spec.name}")
        if not spec.required:
            self._combo.addItem(NO_VALUE, None)
        for choice in spec.choices:
            self._combo.addItem("", choice)
        self.retranslate()
        self._combo.activated.connect(self.changed)

    @property
    def widget(self) -> QComboBox:
        return self._combo

    def value(self) -> str | None:
        data = self._combo.currentData()
        return data if isinstance(data, str) else None

    def set_value(self, value: Any) -> None:
        index = self._combo.findData(value)
        if index < 0 and isinstance(value, str):  # a value from a newer server: keep it
            self._combo.addItem(enum_label(f"{self.entity}.{self.name}", value), value)
            index = self._combo.count() - 1
        self._combo.setCurrentIndex(max(index, 0))

    def retranslate(self) -> None:
        for index in range(self._combo.count()):
            data = self._combo.itemData(index)
            if isinstance(data, str):
                self._combo.setItemText(index, enum_label(f"{self.entity}.{self.name}", data))


class BoolEditor(FieldEditor):
    """A check box (its text comes from the form's label column)."""

    def __init__(self, entity: str, spec: FieldSpec, parent: QWidget) -> None:
        super().__init__(entity, spec, parent)
        self._box = QCheckBox(parent)
        self._box.setObjectName(f"field_{spec.name}")
        self._box.toggled.connect(self.changed)

    @property
    def widget(self) -> QCheckBox:
        return self._box

    def value(self) -> bool:
        return self._box.isChecked()

    def set_value(self, value: Any) -> None:
        self._box.setChecked(bool(value))


class IntEditor(FieldEditor):
    """A whole number in a spin box; an optional one has a "no value" step below its minimum."""

    def __init__(self, entity: str, spec: FieldSpec, parent: QWidget) -> None:
        super().__init__(entity, spec, parent)
        low, high = _INT_BOUNDS.get(spec.name, _DEFAULT_INT_BOUNDS)
        self._spin = QSpinBox(parent)
        self._spin.setObjectName(f"field_{spec.name}")
        self._optional = not spec.required
        self._spin.setRange(low - 1 if self._optional else low, high)
        if self._optional:
            self._spin.setSpecialValueText(NO_VALUE)
        self._spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        self._spin.setMinimumWidth(self._spin.fontMetrics().averageCharWidth() * 12)
        self._spin.valueChanged.connect(self.changed)

    @property
    def widget(self) -> QSpinBox:
        return self._spin

    def value(self) -> int | None:
        number = self._spin.value()
        if self._optional and number == self._spin.minimum():
            return None
        return number

    def set_value(self, value: Any) -> None:
        if value is None:
            self._spin.setValue(self._spin.minimum())
        else:
            self._spin.setValue(int(value))


class NumberEditor(FieldEditor):
    """A decimal number (rates, quantities, coordinates) typed in the UI locale."""

    def __init__(self, entity: str, spec: FieldSpec, parent: QWidget) -> None:
        super().__init__(entity, spec, parent)
        self._edit = QLineEdit(parent)
        self._edit.setObjectName(f"field_{spec.name}")
        self._edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self._edit.textEdited.connect(self.changed)
        self._is_float = spec.type is FieldType.FLOAT

    @property
    def widget(self) -> QLineEdit:
        return self._edit

    def value(self) -> Decimal | float | None:
        text = self._edit.text()
        if not text.strip():
            return None
        number = parse_decimal(text, locale_for_formatting(), field=self.name)
        return float(number) if self._is_float else number

    def set_value(self, value: Any) -> None:
        if value is None:
            self._edit.clear()
            return
        number = Decimal(str(value)) if isinstance(value, float) else value
        self._edit.setText(format_decimal(number, locale_for_formatting()))


class MoneyEditor(FieldEditor):
    """An amount typed in the UI locale; stored as minor units of the record's currency."""

    def __init__(
        self,
        entity: str,
        spec: FieldSpec,
        parent: QWidget,
        *,
        currency: Callable[[], str | None] = lambda: None,
    ) -> None:
        super().__init__(entity, spec, parent)
        self._currency = currency
        self._edit = QLineEdit(parent)
        self._edit.setObjectName(f"field_{spec.name}")
        self._edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self._edit.textEdited.connect(self.changed)

    @property
    def widget(self) -> QLineEdit:
        return self._edit

    def currency(self) -> str:
        return self._currency() or "EUR"

    def value(self) -> int | None:
        text = self._edit.text()
        if not text.strip():
            return None
        money = Money.parse(text, self.currency(), locale_for_formatting(), field=self.name)
        return money.quantize().to_minor()

    def set_value(self, value: Any) -> None:
        if value is None:
            self._edit.clear()
            return
        money = Money.from_minor(int(value), self.currency())
        self._edit.setText(
            format_decimal(money.amount, locale_for_formatting(), decimals=money.precision)
        )
