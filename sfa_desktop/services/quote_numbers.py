"""The number of a new quote, unique with no connection (``sync_server/protocol/quote_numbers.py``).

:func:`next_quote_number` is called in the transaction that saves the new quote (the quote
editor, ``sfa quote new``): ``Q-<owner's rep code>-<year>-<seq>`` from a block the server leased
to this device, or, when none is left, this device's fallback ``Q-<rep>-<year>-D<code>-<n>``.
A number already on one of this device's quotes is skipped (belt and braces: by construction
it cannot happen).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from sfa_desktop.store import quote_numbers as numbers
from sfa_desktop.store.models.reference import User
from sfa_desktop.store.models.sales import Quote
from sfa_desktop.store.quote_numbers import QuoteNumberUnavailable
from sfa_desktop.sync.write_turns import take_write_lock
from sync_server.protocol.quote_numbers import fallback_number, leased_number

from .current_user import current_user_id

__all__ = ["QuoteNumberUnavailable", "next_quote_number"]


def next_quote_number(session: Session, owner_id: str, today: dt.date) -> str:
    """Take the next number for a quote of ``owner_id`` dated ``today`` (in this transaction).

    Raises :class:`QuoteNumberUnavailable` before this device's first sync (it has neither
    a block nor a device code) or when the owner's rep code is not known here.
    """
    take_write_lock(session)
    rep_code = _rep_code(session, owner_id)
    year = today.year
    while True:
        seq = numbers.take_leased(session, rep_code=rep_code, year=year)
        if seq is not None:
            number = leased_number(rep_code, year, seq)
        else:
            device = numbers.device_code(session)
            if device is None:
                raise QuoteNumberUnavailable(
                    "this device has no quote numbers yet: sync once, then create the quote"
                )
            n = numbers.take_fallback(session, rep_code=rep_code, year=year, device=device)
            number = fallback_number(rep_code, year, device, n)
        if session.execute(select(Quote.id).where(Quote.number == number)).first() is None:
            return number


def _rep_code(session: Session, owner_id: str) -> str:
    user = session.get(User, owner_id)
    if user is not None and user.rep_code:
        return user.rep_code
    if owner_id == current_user_id(session):
        leased = numbers.leased_rep_code(session)
        if leased:
            return leased
    raise QuoteNumberUnavailable(f"the rep code of user {owner_id} is not known on this device")
