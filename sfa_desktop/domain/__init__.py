"""Pure-Python business rules: money, validation, and (later) quotes, forecasts, value tiers.

No Qt, no SQL. Import the submodules directly (``from sfa_desktop.domain.money import Money``).
"""
