"""The company settings reach every laptop read-only (issue 10)."""

from __future__ import annotations

import pytest

from sfa_desktop.domain.errors import DomainError
from sync_server.api.deps import ServerState
from sync_server.services.company import set_company

from .harness import Fleet


def test_the_company_settings_are_pulled_and_read_only(fleet: Fleet, state: ServerState) -> None:
    rep = fleet.profile("rep", fleet.team.rep_a)
    company_id, _ = set_company(
        state.database,
        context=state.sync,
        values={"name": "Suministros Ebro S.L.", "tax_id": "B12345674", "footer": "Gracias"},
    )
    rep.sync()
    company = rep.get("company", company_id)
    assert company is not None
    assert (company["name"], company["tax_id"], company["country"]) == (
        "Suministros Ebro S.L.",
        "B12345674",
        "ES",
    )
    assert company["quote_validity_days"] == 30 and company["logo_png"] is None
    set_company(state.database, context=state.sync, values={"quote_validity_days": 15})
    rep.sync()
    assert rep.get("company", company_id)["quote_validity_days"] == 15  # type: ignore[index]
    with pytest.raises(DomainError) as refused:
        rep.edit("company", company_id, name="Otra")
    assert refused.value.code == "read_only"
