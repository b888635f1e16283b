"""The lists of the Today workspace: the route, the follow-ups due, the overdue accounts and,
for a manager, the quotes awaiting their approval.

Each is a :class:`~sfa_desktop.ui.models.column_table.RowsTableModel` over rows of
:class:`~sfa_desktop.services.today.TodayData`. The account column and the last ("action")
column are links: one click opens the account, or checks in / logs the outcome / plans a visit;
in the approvals list the quote number and the action open the quote in the Quotes view.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.numbers import format_compact_currency, format_percent
from PySide6.QtCore import QObject

from sfa_desktop.i18n import _, format_count, locale_for_formatting, ngettext, pgettext
from sfa_desktop.services.quote_review import ApprovalRow
from sfa_desktop.services.today import FollowUpRow, OverdueAccount, RouteStop, TaskDue
from sfa_desktop.ui.account_page.display import show_amount, show_date
from sfa_desktop.ui.models.column_table import RowsTableModel
from sfa_desktop.ui.models.list_query import RIGHT_ALIGNED, TableColumn
from sfa_desktop.ui.visits.display import kind_label, show_km, show_time, time_range

#: The currency values are shown in (a territory sells in one currency).
VALUE_CURRENCY = "EUR"
ACCOUNT = "account"
ACTION = "action"
QUOTE = "quote"


def no_location_text() -> str:
    return _("No location — not in the route")


def stop_action_text(stop: RouteStop) -> str:
    """What one click on the stop's action does: check in, then log the outcome."""
    if stop.done:
        return ""
    return _("Check in") if stop.stop.checked_in_at is None else _("Log outcome…")


def stop_warning(stop: RouteStop) -> str:
    """Why the rep should look twice at this stop: late for the appointment, or no room."""
    if stop.late:
        minutes = max(1, round(stop.late_minutes))
        return ngettext("{count} min late", "{count} min late", minutes).format(
            count=format_count(minutes)
        )
    if not stop.fits:
        return _("Does not fit the working day")
    return ""


def stop_position(stop: RouteStop) -> str:
    """The place in the route; a tick for a visit done, a dash for one without location."""
    if stop.done:
        return "✓"
    return str(stop.position) if stop.position is not None else "—"


def stop_distance(stop: RouteStop) -> str:
    if stop.done:
        return ""
    return show_km(stop.leg_km) if stop.leg_km is not None else no_location_text()


def route_model(tz: ZoneInfo, parent: QObject | None = None) -> RowsTableModel[RouteStop]:
    def place(stop: RouteStop) -> str:
        row = stop.stop
        town = " ".join(part for part in (row.postal_code, row.city) if part)
        return ", ".join(part for part in (row.address, town) if part)

    def time(stop: RouteStop) -> str:
        row = stop.stop
        if stop.done:
            return pgettext("activity status", "Done")
        times = (
            _("Any time") if stop.flexible else time_range(row.planned_start, row.planned_end, tz)
        )
        if row.checked_in_at is None:
            return times
        arrived = _("Checked in at {time}").format(time=show_time(row.checked_in_at, tz))
        return f"{times} · {arrived}"

    def arrival(stop: RouteStop) -> str:
        if stop.arrival is None or stop.done:
            return ""
        text = _("≈ {time}").format(time=show_time(stop.arrival, tz))
        warning = stop_warning(stop)
        return f"{text} · {warning}" if warning else text

    columns = (
        TableColumn("position", lambda: "#", cell=stop_position),
        TableColumn("time", lambda: _("Time"), cell=time, translated=True),
        TableColumn("arrival", lambda: _("Arrival"), cell=arrival, translated=True),
        TableColumn(ACCOUNT, lambda: _("Account"), cell=lambda s: s.stop.account_name or "?"),
        TableColumn("place", lambda: _("Address"), cell=place),
        TableColumn("contact", lambda: _("Contact"), cell=lambda s: s.stop.contact_name or ""),
        TableColumn("leg", lambda: _("Distance"), cell=stop_distance, translated=True),
        TableColumn(ACTION, lambda: _("Action"), cell=stop_action_text, translated=True),
    )
    return RowsTableModel(
        columns,
        row_id=lambda stop: stop.stop.visit_id,
        link_columns=(ACCOUNT, ACTION),
        muted=lambda stop, column: (
            stop.done or (not stop.located and column.attribute in ("position", "leg"))
        ),
        flagged=lambda stop, column: column.attribute == "arrival" and bool(stop_warning(stop)),
        parent=parent,
    )


FollowUp = TaskDue | FollowUpRow
"""A row of the follow-ups list: an open task due, or a done activity still to follow up."""


def follow_up_due(row: FollowUp) -> date:
    return row.due if isinstance(row, TaskDue) else row.follow_up_date


def follow_up_overdue(row: FollowUp, today: date) -> bool:
    return row.overdue if isinstance(row, TaskDue) else row.follow_up_date < today


def follow_up_action(row: FollowUp) -> str:
    """A task is ticked off; a follow-up not planned yet is planned."""
    return _("Mark done") if isinstance(row, TaskDue) else _("Plan")


def follow_ups_model(
    today: Callable[[], date], parent: QObject | None = None
) -> RowsTableModel[FollowUp]:
    def due(row: FollowUp) -> str:
        day = show_date(follow_up_due(row))
        return _("{date} · overdue").format(date=day) if follow_up_overdue(row, today()) else day

    columns = (
        TableColumn("due", lambda: _("Due"), cell=due, translated=True),
        TableColumn(ACCOUNT, lambda: _("Account"), cell=lambda r: follow_up_account(r) or "?"),
        TableColumn("next_step", lambda: _("Next step"), cell=follow_up_text),
        TableColumn(ACTION, lambda: _("Action"), cell=follow_up_action, translated=True),
    )
    return RowsTableModel(
        columns,
        row_id=lambda row: row.visit_id,
        link_columns=(ACCOUNT, ACTION),
        flagged=lambda row, column: column.attribute == "due" and follow_up_overdue(row, today()),
        parent=parent,
    )


def follow_up_account(row: FollowUp) -> str | None:
    return row.task.account_name if isinstance(row, TaskDue) else row.account_name


def follow_up_text(row: FollowUp) -> str:
    """A task's subject; else the next step, else what happened last time (kind and date)."""
    if isinstance(row, TaskDue):
        return row.task.subject or kind_label("task")
    if row.next_step:
        return row.next_step
    day = show_date(row.planned_start.date()) if row.planned_start else ""
    return " · ".join(part for part in (kind_label(row.kind), day) if part)


def show_value(account: OverdueAccount) -> str:
    """ "250,6 mil €" / "€250.6K": a compact amount ranks accounts at a glance."""
    whole = account.value.quantize(Decimal(1))
    if not whole:
        return "—"
    return str(
        format_compact_currency(
            whole, VALUE_CURRENCY, locale=locale_for_formatting(), fraction_digits=1
        )
    )


def overdue_text(account: OverdueAccount) -> str:
    if account.last_visit is None:
        return _("Never visited")
    days = account.days_overdue or 0
    return ngettext("{count} day", "{count} days", days).format(count=format_count(days))


def overdue_model(
    parent: QObject | None = None, *, next_action: Callable[[str], str | None] = lambda _id: None
) -> RowsTableModel[OverdueAccount]:
    """The overdue accounts; an account's tooltip adds its next best action (``next_action``
    of its id, once known)."""
    columns = (
        TableColumn(
            ACCOUNT,
            lambda: _("Account"),
            cell=lambda a: a.name,
            tooltip=lambda a: "\n".join(filter(None, (a.name, next_action(a.account_id)))),
        ),
        TableColumn("value", lambda: _("Value"), cell=show_value, alignment=RIGHT_ALIGNED),
        TableColumn("overdue", lambda: _("Overdue"), cell=overdue_text, alignment=RIGHT_ALIGNED),
        TableColumn("next_planned", lambda: _("Next planned"), text=show_date),
        TableColumn(ACTION, lambda: _("Action"), cell=overdue_action, translated=True),
    )
    return RowsTableModel(
        columns, row_id=lambda a: a.account_id, link_columns=(ACCOUNT, ACTION), parent=parent
    )


def overdue_action(row: OverdueAccount) -> str:
    """Plan a visit; a below-zero account is called or e-mailed instead (its page opens)."""
    return _("Plan") if "visit" in row.channels else _("Call or e-mail")


def show_discount(row: ApprovalRow) -> str:
    """The largest line discount: ``22,5 %`` / ``22.5%``."""
    return str(
        format_percent(
            row.max_discount_pct / 100,
            format="#,##0.##%",
            locale=locale_for_formatting(),
        )
    )


def approvals_model(parent: QObject | None = None) -> RowsTableModel[ApprovalRow]:
    def number(row: ApprovalRow) -> str:
        quote = row.quote
        if quote.revision <= 1:
            return quote.number
        return _("{number} rev. {revision}").format(number=quote.number, revision=quote.revision)

    columns = (
        TableColumn(QUOTE, lambda: _("Quote"), cell=number, translated=True),
        TableColumn(ACCOUNT, lambda: _("Account"), cell=lambda r: r.quote.account_name),
        TableColumn("owner", lambda: _("Owner"), cell=lambda r: r.quote.owner_name or ""),
        TableColumn(
            "total",
            lambda: _("Total"),
            cell=lambda r: show_amount(r.quote.total, r.quote.currency),
            alignment=RIGHT_ALIGNED,
            translated=True,
        ),
        TableColumn(
            "discount",
            lambda: _("Max. discount"),
            cell=show_discount,
            alignment=RIGHT_ALIGNED,
            translated=True,
        ),
        TableColumn(
            "valid_until", lambda: _("Valid until"), cell=lambda r: show_date(r.quote.valid_until)
        ),
        TableColumn(ACTION, lambda: _("Action"), cell=lambda _r: _("Review"), translated=True),
    )
    return RowsTableModel(
        columns, row_id=lambda r: r.id, link_columns=(QUOTE, ACCOUNT, ACTION), parent=parent
    )


#: The approvals list's columns shown whole (the account and owner names give way).
APPROVALS_WHOLE = (QUOTE, "total", "discount", "valid_until")
