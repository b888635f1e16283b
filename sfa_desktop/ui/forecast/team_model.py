"""The team review as a tree (``QStandardItemModel``): a manager's row carries their team's
roll-up, with their own deals as a first child row, then their reports (recursively); a rep's
row carries their own figures. Amounts one currency a line."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel

from sfa_desktop.i18n import _
from sfa_desktop.services.forecasts import AdjustmentRow, ForecastLine, PersonForecast, TeamReview
from sfa_desktop.ui.account_page.display import show_date
from sfa_desktop.ui.forecast.display import (
    per_currency,
    show_money,
    show_pct,
    show_signed_money,
)
from sync_server.protocol.forecast_rules import standing_adjustments

USER_ROLE = Qt.ItemDataRole.UserRole + 1
#: "person" (a rep, or a manager's own deals) or "team" (a manager's roll-up)
KIND_ROLE = Qt.ItemDataRole.UserRole + 2

COLUMNS: tuple[str, ...] = (
    "person",
    "submitted",
    "call",
    "closed",
    "commit",
    "best_case",
    "pipeline",
    "quota",
    "attainment",
    "gap",
    "accuracy",
    "adjustment",
)


def _headers() -> dict[str, str]:
    return {
        "person": _("Person"),
        "submitted": _("Latest submission"),
        "call": _("Call"),
        "adjustment": _("Manager adjustment"),
        "closed": _("Closed won"),
        "commit": _("Commit"),
        "best_case": _("Best case"),
        "pipeline": _("Pipeline"),
        "quota": _("Quota"),
        "attainment": _("Attainment"),
        "gap": _("Gap to quota"),
        "accuracy": _("Accuracy"),
    }


def _kind_text(kind: str | None) -> str:
    return {"direct": _("direct"), "indirect": _("indirect")}.get(kind or "", "")


_LINE_VALUES: dict[str, Callable[[ForecastLine], str]] = {
    "call": lambda line: show_money(line.call, line.currency),
    "closed": lambda line: show_money(line.figures.closed, line.currency),
    "commit": lambda line: show_money(line.figures.commit, line.currency),
    "best_case": lambda line: show_money(line.figures.best_case, line.currency),
    "pipeline": lambda line: show_money(line.figures.pipeline, line.currency),
    "quota": lambda line: show_money(line.quota, line.currency),
    "attainment": lambda line: show_pct(line.attainment_pct),
    "gap": lambda line: show_money(line.gap, line.currency),
    "accuracy": lambda line: show_pct(line.accuracy_pct),
}


def _adjustments(adjustments: Sequence[AdjustmentRow]) -> str:
    """Each standing adjustment: amount, direct or indirect (who and why: the tooltip)."""
    return "\n".join(
        _("{amount} ({kind})").format(
            amount=show_signed_money(row.amount, row.currency), kind=_kind_text(row.kind)
        )
        for row in adjustments
    )


def _adjustment_notes(adjustments: Sequence[AdjustmentRow]) -> str:
    return "\n".join(
        _("{amount} by {manager}: {note}").format(
            amount=show_signed_money(row.amount, row.currency),
            manager=row.adjusted_by_name or "\u2014",
            note=row.note or "",
        )
        for row in adjustments
    )


def standing_team_adjustments(
    history: Sequence[AdjustmentRow], owner_id: str
) -> tuple[AdjustmentRow, ...]:
    """The team adjustments standing on ``owner_id``'s team, as the rules layer them (each
    manager's latest)."""
    candidates = {r.id: r for r in history if r.owner_id == owner_id and r.scope == "team"}
    standing = standing_adjustments(row.rule for row in candidates.values())
    return tuple(candidates[item.id] for item in standing)


def _submitted(row: PersonForecast) -> str:
    latest = max(row.latest, key=lambda s: s.submitted_at, default=None)
    return show_date(latest.submitted_at.astimezone().date()) if latest is not None else "\u2014"


def _cells(
    row: PersonForecast, kind: str, history: Sequence[AdjustmentRow]
) -> tuple[dict[str, str], str]:
    """The texts of a row, and the tooltip of its adjustment cell."""
    lines = row.team if kind == "team" else row.own
    cells = {name: per_currency(lines, value) for name, value in _LINE_VALUES.items()}
    if kind == "team":
        adjustments = standing_team_adjustments(history, row.user_id)
        cells["person"] = _("{name} · team").format(name=row.name)
        cells["submitted"] = _("{submitted}/{members} submitted").format(
            submitted=row.submitted, members=row.members
        )
    else:
        adjustments = tuple(a for s in row.latest for a in s.adjustments)
        own = _("{name} (own deals)").format(name=row.name) if row.is_manager else row.name
        cells["person"] = own
        cells["submitted"] = _submitted(row)
    cells["adjustment"] = _adjustments(adjustments)
    return cells, _adjustment_notes(adjustments)


class TeamTreeModel(QStandardItemModel):
    """The review's rows as a tree; :meth:`show_review` rebuilds it."""

    def __init__(self) -> None:
        super().__init__()
        self._review: TeamReview | None = None
        self._rows: dict[str, PersonForecast] = {}
        self._history: tuple[AdjustmentRow, ...] = ()
        self.retranslate()

    @property
    def review(self) -> TeamReview | None:
        return self._review

    def person(self, user_id: str) -> PersonForecast | None:
        return self._rows.get(user_id)

    def column_of(self, name: str) -> int:
        return COLUMNS.index(name)

    def retranslate(self) -> None:
        headers = _headers()
        self.setHorizontalHeaderLabels([headers[name] for name in COLUMNS])
        if self._review is not None:
            self.show_review(self._review, self._history)

    def _items(self, row: PersonForecast, kind: str) -> list[QStandardItem]:
        cells, notes = _cells(row, kind, self._history)
        items = []
        for name in COLUMNS:
            item = QStandardItem(cells[name])
            if name == "adjustment" and notes:
                item.setToolTip(notes)
            item.setEditable(False)
            item.setData(row.user_id, USER_ROLE)
            item.setData(kind, KIND_ROLE)
            if name not in ("person", "adjustment"):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if kind == "team":
                font = QFont()
                font.setBold(True)
                item.setFont(font)
            items.append(item)
        return items

    def show_review(self, review: TeamReview, history: Sequence[AdjustmentRow] = ()) -> None:
        """Show ``review``; ``history``: the period's manager adjustments (team ones shown)."""
        self._review = review
        self._history = tuple(history)
        self._rows = {row.user_id: row for row in review.rows}
        self.removeRows(0, self.rowCount())
        parents: list[QStandardItem] = []
        for row in review.rows:
            del parents[row.depth :]
            parent = parents[-1] if parents else self.invisibleRootItem()
            if row.is_manager:
                items = self._items(row, "team")
                parent.appendRow(items)
                if row.own or row.latest:
                    items[0].appendRow(self._items(row, "person"))
                parents.append(items[0])
            else:
                items = self._items(row, "person")
                parent.appendRow(items)
                parents.append(items[0])

    def rows_shown(self) -> Sequence[PersonForecast]:
        return tuple(self._rows.values())

    def history_of(self, user_id: str, scope: str) -> tuple[AdjustmentRow, ...]:
        """Every adjustment of ``user_id``'s call (``rep``) or team call (``team``)."""
        return tuple(r for r in self._history if r.owner_id == user_id and r.scope == scope)
