"""Today's overdue list: a below-zero account is called or e-mailed, not visited."""

from __future__ import annotations

from decimal import Decimal

from sfa_desktop.i18n import set_language
from sfa_desktop.services.today import OverdueAccount
from sfa_desktop.ui.today.lists import overdue_action


def _row(channels: tuple[str, ...]) -> OverdueAccount:
    return OverdueAccount("a", "Ebro", None, 90, None, 3, None, Decimal(10), "bz", channels)


def test_the_action_follows_the_tier_channels() -> None:
    set_language("es")
    try:
        assert overdue_action(_row(("phone", "email"))) == "Llamar o escribir"
        assert overdue_action(_row(("visit",))) == "Planificar"
    finally:
        set_language("en")
    assert overdue_action(_row(("phone", "email"))) == "Call or e-mail"
