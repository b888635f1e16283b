"""Website addresses and latitude/longitude."""

from __future__ import annotations

import ipaddress
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sfa_desktop.domain.errors import ValidationError
from sfa_desktop.domain.validation import validate_lat_lon, validate_url


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("example.com", "https://example.com"),
        ("  Example.COM/Tienda?q=1 ", "https://example.com/Tienda?q=1"),
        ("http://www.ejemplo.es", "http://www.ejemplo.es"),
        ("HTTPS://Shop.Example.org:8443/a", "https://shop.example.org:8443/a"),
        ("cañas.es", "https://cañas.es"),
        ("localhost:8000", "https://localhost:8000"),
        ("http://192.168.1.10/intranet", "http://192.168.1.10/intranet"),
        ("http://[2001:DB8::1]:8080/x", "http://[2001:db8::1]:8080/x"),
        ("cafe.de", "https://cafe.de"),
    ],
)
def test_valid_urls(text: str, expected: str) -> None:
    assert validate_url(text) == expected


@given(st.ip_addresses())
def test_every_ip_address_is_a_host(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> None:
    host = f"[{address}]" if address.version == 6 else str(address)
    assert validate_url(f"http://{host}/a") == f"http://{host}/a"


@pytest.mark.parametrize(
    "text",
    [
        "https://1.2.3",
        "https://[::g]/",
        "ftp://example.com",
        "javascript:alert(1)",
        "mailto:ventas@example.com",
        "https://user:pw@example.com",
        "example",
        "exa mple.com",
        "https://-bad-.com",
        "https://example.com:99999",
        "https://1.2.3.999",
        "https://",
    ],
)
def test_invalid_urls(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_url(text)
    assert (caught.value.code, caught.value.field) == ("invalid_url", "website")


def test_blank_url_is_required() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_url("")
    assert caught.value.code == "required"


def test_lat_lon() -> None:
    assert validate_lat_lon(40.4168, -3.7038) == (40.4168, -3.7038)
    assert validate_lat_lon(Decimal("-90"), 180) == (-90.0, 180.0)


@pytest.mark.parametrize(
    ("lat", "lon", "code", "field"),
    [
        (90.5, 0, "out_of_range", "lat"),
        (0, -180.1, "out_of_range", "lon"),
        (float("nan"), 0, "invalid_number", "lat"),
        (0, float("inf"), "invalid_number", "lon"),
        ("40", 0, "invalid_number", "lat"),
    ],
)
def test_lat_lon_rejects(lat: object, lon: object, code: str, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_lat_lon(lat, lon)  # type: ignore[arg-type]
    assert (caught.value.code, caught.value.field) == (code, field)
