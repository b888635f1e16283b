"""The fixed day the agenda tests and the screenshots run on, never the real today: the demo
data is built around :data:`TODAY` and the app reads :data:`CLOCK`."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sfa_desktop.services.visits import AgendaClock

TODAY = dt.date(2026, 11, 25)
MADRID = ZoneInfo("Europe/Madrid")
NOW = dt.datetime(2026, 11, 25, 7, 0, tzinfo=dt.UTC)
CLOCK = AgendaClock.fixed(NOW, MADRID)
