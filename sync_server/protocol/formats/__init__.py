"""The value formats of text fields (e-mail, phone, web address, country, currency, tax id,
PNG image).

Each function returns the value in its canonical form or raises
:class:`~sync_server.protocol.rejections.ValueRejected` with the code and params the desktop
client shows (``invalid_email`` with ``value``…). The server runs them on every pushed value;
``sfa_desktop.domain.validation`` wraps them, so both sides apply one definition.
"""

from .contact_points import normalize_email, normalize_phone
from .images import normalize_png_base64
from .places import normalize_country, normalize_currency
from .tax_ids import normalize_tax_id_for_country
from .web import normalize_url

__all__ = [
    "normalize_country",
    "normalize_currency",
    "normalize_email",
    "normalize_phone",
    "normalize_png_base64",
    "normalize_tax_id_for_country",
    "normalize_url",
]
