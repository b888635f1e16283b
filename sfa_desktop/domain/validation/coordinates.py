"""Geographic coordinates (WGS 84 degrees) of an account's address."""

from __future__ import annotations

import math
from decimal import Decimal

from sfa_desktop.domain.errors import ValidationError
from sync_server.protocol.catalog import ACCOUNT

#: The bounds the catalog declares for an account's coordinates (the server checks the same).
_LIMITS = {
    "lat": ACCOUNT.field("latitude").maximum or 90,
    "lon": ACCOUNT.field("longitude").maximum or 180,
}


def _coordinate(value: Decimal | float, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, Decimal | float | int):
        raise ValidationError("invalid_number", field=field, params={"value": value})
    number = float(value)
    if not math.isfinite(number):
        raise ValidationError("invalid_number", field=field, params={"value": str(value)})
    limit = _LIMITS[field]
    if not -limit <= number <= limit:
        raise ValidationError(
            "out_of_range", field=field, params={"min": -limit, "max": limit, "value": value}
        )
    return number


def validate_lat_lon(lat: Decimal | float, lon: Decimal | float) -> tuple[float, float]:
    """Return ``(lat, lon)`` as floats if within ±90 / ±180 degrees.

    Coordinates are measurements, not money, so floats are the right type here. Fails with
    ``"invalid_number"`` or ``"out_of_range"`` on field ``"lat"`` or ``"lon"``.
    """
    return _coordinate(lat, "lat"), _coordinate(lon, "lon")
