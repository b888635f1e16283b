"""What the ``sfa quote`` commands share: today's date for the command, a quote named by its
number or id, and a status in words."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sfa_desktop.i18n import enum_label
from sfa_desktop.services.errors import RecordNotFound
from sfa_desktop.services.quotes import find_quote_id

from .context import CommandContext


def local_today(ctx: CommandContext) -> dt.date:
    """Today in the computer's time zone, from the command's clock."""
    return ctx.env.now().astimezone().date()


def resolve_quote(session: Any, text: str) -> str:
    """The id of the quote ``text`` names (a number means its latest revision)."""
    quote_id = find_quote_id(session, text)
    if quote_id is None:
        raise RecordNotFound("quote", text)
    return quote_id


def status_label(status: str) -> str:
    return enum_label("quote.status", status)
