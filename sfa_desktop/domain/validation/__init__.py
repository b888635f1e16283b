"""Field validation: each function returns the normalized value or raises ValidationError.

Import from here; the submodules group the rules by subject.
"""

from sfa_desktop.domain.validation.basic import (
    require,
    validate_choice,
    validate_length,
    validate_percent,
)
from sfa_desktop.domain.validation.contact_points import (
    format_phone,
    validate_email,
    validate_phone,
)
from sfa_desktop.domain.validation.coordinates import validate_lat_lon
from sfa_desktop.domain.validation.dates import (
    ensure_aware_utc,
    parse_date,
    short_date_pattern,
    validate_date_range,
)
from sfa_desktop.domain.validation.spanish_tax_ids import (
    cif_check_digit,
    cif_control,
    nie_check_letter,
    nif_check_letter,
    normalize_tax_id,
    validate_cif,
    validate_nie,
    validate_nif,
    validate_spanish_tax_id,
)
from sfa_desktop.domain.validation.tax_ids import validate_country_code, validate_tax_id
from sfa_desktop.domain.validation.web import validate_url

__all__ = [
    "cif_check_digit",
    "cif_control",
    "ensure_aware_utc",
    "format_phone",
    "nie_check_letter",
    "nif_check_letter",
    "normalize_tax_id",
    "parse_date",
    "require",
    "short_date_pattern",
    "validate_choice",
    "validate_cif",
    "validate_country_code",
    "validate_date_range",
    "validate_email",
    "validate_lat_lon",
    "validate_length",
    "validate_nie",
    "validate_nif",
    "validate_percent",
    "validate_phone",
    "validate_spanish_tax_id",
    "validate_tax_id",
    "validate_url",
]
