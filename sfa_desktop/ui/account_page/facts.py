"""The account's key facts: who owns it, where it is, how to reach it, when to visit next."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette, QTextDocument
from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from sfa_desktop.domain.localized_numbers import round_half_up
from sfa_desktop.domain.money import currency_precision
from sfa_desktop.domain.validation import format_phone
from sfa_desktop.i18n import _, enum_label, ngettext, pgettext
from sfa_desktop.services.account_page import AccountPage
from sfa_desktop.services.customer_values import AccountExplanation
from sfa_desktop.services.value_explanations import (
    ExplainedFigure,
    explain_figures,
    tier_name,
    tier_strategy,
)
from sfa_desktop.ui.account_page.display import show_amount, show_date, show_datetime

_OVERDUE_COLOR = "#c62828"
#: The facts in display order.
FACTS = (
    "owner",
    "stage",
    "channel",
    "tax_id",
    "industry",
    "address",
    "phone",
    "email",
    "website",
    "tags",
    "needs",
    "cadence",
    "last_visit",
    "next_visit",
    "visit_due",
    "value",
    "tier",
    "strategy",
    "lifetime_value",
    "potential",
    "growth_potential",
    "cost_to_serve",
)
#: The facts that say what the account is worth (each with a "why" tooltip).
WORTH_FACTS = (
    "tier",
    "strategy",
    "lifetime_value",
    "potential",
    "growth_potential",
    "cost_to_serve",
)


def _titles() -> dict[str, str]:
    return {
        "owner": _("Owner"),
        "stage": _("Stage"),
        "channel": _("Preferred channel"),
        "tax_id": _("Tax ID"),
        "industry": _("Industry"),
        "address": _("Address"),
        "phone": _("Phone"),
        "email": pgettext("field label", "Email"),
        "website": _("Website"),
        "tags": _("Tags"),
        "needs": _("Needs"),
        "cadence": _("Visit cadence"),
        "last_visit": _("Last visit"),
        "next_visit": _("Next visit"),
        "visit_due": _("Visit due"),
        "value": _("Value"),
        "tier": _("Strategic tier"),
        "strategy": _("Strategy"),
        "lifetime_value": _("Lifetime value"),
        "potential": _("Annual potential"),
        "growth_potential": _("Growth potential"),
        "cost_to_serve": _("Cost to serve"),
    }


def _link(href: str, text: str) -> str:
    return f"<a href='{escape(href, quote=True)}'>{escape(text)}</a>"


def fact_texts(page: AccountPage) -> dict[str, str]:
    """Each fact as rich text ("" when unknown)."""
    account = page.account
    address_parts = [
        account.get("address"),
        " ".join(p for p in (account.get("postal_code"), account.get("city")) if p),
        account.get("region"),
        account.get("country") if account.get("country") != "ES" else None,
    ]
    website = account.get("website") or ""
    email = account.get("email") or ""
    phone = account.get("phone") or ""
    cadence = account.get("visit_cadence_days")
    next_visit = page.next_visit
    due = ""
    overdue_text = escape(_("overdue"))
    overdue = f"<b style='color:{_OVERDUE_COLOR}'>{overdue_text}</b>"
    if page.visit_due is not None and page.visit_due.year > 1:
        due = escape(show_date(page.visit_due)) + (" " + overdue if page.overdue else "")
    elif page.overdue:
        never_text = escape(_("now (never visited)"))
        due = f"<b style='color:{_OVERDUE_COLOR}'>{never_text}</b>"
    return {
        "owner": escape(account.get("owner_name") or ""),
        "stage": escape(enum_label("lifecycle_stage", account.get("lifecycle_stage"))),
        "channel": escape(enum_label("channel", account.get("preferred_channel"))),
        "tax_id": escape(account.get("tax_id") or ""),
        "industry": escape(account.get("industry") or ""),
        "address": "<br>".join(escape(str(p)) for p in address_parts if p),
        "phone": _link(f"tel:{phone}", format_phone(phone)) if phone else "",
        "email": _link(f"mailto:{email}", email) if email else "",
        "website": _link(website if "://" in website else f"https://{website}", website)
        if website
        else "",
        "tags": escape(", ".join(account.get("tags") or ())),
        "needs": escape(account.get("needs") or "").replace("\n", "<br>"),
        "cadence": escape(
            ngettext("Every {count} day", "Every {count} days", cadence).format(count=cadence)
        )
        if cadence
        else escape(_("No fixed cadence")),
        "last_visit": escape(show_date(page.last_visit.astimezone().date()))
        if page.last_visit
        else escape(_("Never visited")),
        "next_visit": escape(
            " · ".join(filter(None, (show_datetime(next_visit.planned_start), next_visit.subject)))
        )
        if next_visit
        else escape(_("None planned")),
        "visit_due": due,
        "value": escape(show_amount(page.value.amount, page.value.currency)) if page.value else "",
        **worth_texts(page),
    }


def _money(currency: str) -> Callable[[Decimal], str]:
    digits = currency_precision(currency)
    return lambda amount: show_amount(round_half_up(amount, digits), currency)


def _explained(page: AccountPage) -> dict[str, ExplainedFigure]:
    worth: AccountExplanation | None = page.worth
    if worth is None:
        return {}
    return {line.key: line for line in explain_figures(worth, _money(worth.currency))}


def worth_texts(page: AccountPage) -> dict[str, str]:
    """What the account is worth: its strategic tier and strategy, lifetime value, potential
    (share of wallet), growth potential and cost to serve against margin ("" without
    figures)."""
    worth: AccountExplanation | None = page.worth
    lines = _explained(page)
    if worth is None or not lines:
        return dict.fromkeys(WORTH_FACTS, "")
    row = worth.value
    tier = row.strategic_tier if row else None
    tier_text = f"<b>{escape(tier_name(tier))}</b>"
    if row is not None:
        tier_text += escape(f" · {row.pareto_tier}")
    potential = growth = ""
    if worth.model.potential is not None:
        potential = escape(
            _("{potential} · {share} reached").format(
                potential=lines["potential"].value, share=lines["share_of_wallet"].value
            )
        )
        growth = escape(lines["growth_potential"].value)
    cost = escape(
        _("{cost} against a margin of {margin}").format(
            cost=lines["cost_to_serve"].value, margin=lines["margin"].value
        )
    )
    return {
        "tier": tier_text,
        "strategy": escape(tier_strategy(tier)),
        "lifetime_value": escape(lines["lifetime_value"].value),
        "potential": potential,
        "growth_potential": growth,
        "cost_to_serve": cost,
    }


def worth_tooltips(page: AccountPage) -> dict[str, str]:
    """How each figure was computed (the "why"), as tooltips of the worth facts; the tier's
    lists every figure."""
    lines = _explained(page)
    if not lines:
        return {}

    def why(*keys: str) -> str:
        return "<br>".join(
            f"<b>{escape(lines[k].label)}</b>: {escape(lines[k].value)}<br>{escape(lines[k].formula)}"
            for k in keys
            if k in lines
        )

    return {
        "tier": why(*lines),
        "strategy": why("lifetime_value", "growth_potential", "contribution"),
        "lifetime_value": why("lifetime_value", "margin", "retention"),
        "potential": why("potential", "share_of_wallet"),
        "growth_potential": why("growth_potential"),
        "cost_to_serve": why("cost_to_serve", "margin", "contribution"),
    }


class KeyFacts(QWidget):
    """Label/value rows; rows without a value are hidden."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keyFacts")
        self._layout = QFormLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self._layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self._titles: dict[str, QLabel] = {}
        self._values: dict[str, QLabel] = {}
        muted = self.palette()
        muted.setColor(
            QPalette.ColorRole.WindowText, QColor(muted.color(QPalette.ColorRole.PlaceholderText))
        )
        for name in FACTS:
            title = QLabel(self)
            title.setPalette(muted)
            value = QLabel(self)
            value.setObjectName(f"fact_{name}")
            value.setWordWrap(True)
            value.setTextFormat(Qt.TextFormat.RichText)
            value.setOpenExternalLinks(True)
            value.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextBrowserInteraction
                | Qt.TextInteractionFlag.TextSelectableByMouse
            )
            self._layout.addRow(title, value)
            self._titles[name] = title
            self._values[name] = value
        self._page: AccountPage | None = None
        self.retranslate()

    def show_page(self, page: AccountPage) -> None:
        self._page = page
        for name, text in fact_texts(page).items():
            self._values[name].setText(text)
            self._layout.setRowVisible(self._values[name], bool(text))
        tooltips = worth_tooltips(page)
        for name in WORTH_FACTS:
            self._values[name].setToolTip(tooltips.get(name, ""))
            self._titles[name].setToolTip(tooltips.get(name, ""))

    def fact_tooltip(self, name: str) -> str:
        """How the fact was computed, as plain text ("" for none)."""
        plain = QTextDocument()
        plain.setHtml(self._values[name].toolTip())
        return plain.toPlainText()

    def fact_text(self, name: str) -> str:
        """The fact as the user reads it (plain text)."""
        plain = QTextDocument()
        plain.setHtml(self._values[name].text())
        return plain.toPlainText()

    def retranslate(self) -> None:
        for name, text in _titles().items():
            self._titles[name].setText(text + ":")
        if self._page is not None:
            self.show_page(self._page)
