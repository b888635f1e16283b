"""``--view contacts --screenshot``: the contacts list renders, with data, in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from sfa_desktop.store.database import open_database
from sfa_desktop.store.paths import database_path
from sfa_desktop.store.repositories.records import bulk_insert

from .conftest import NOW, account_rows
from .screenshots import assert_real_screenshot, run_app


@pytest.mark.parametrize("language", ["en", "es"])
def test_contacts_screenshot(
    qapp: object, profile_dir: Path, tmp_path: Path, language: str
) -> None:
    accounts = account_rows(20)
    with open_database(database_path(profile_dir)) as database, database.session() as session:
        bulk_insert(
            session,
            "contact",
            [
                {
                    "account_id": accounts[n % 20]["id"],
                    "first_name": ("Lucía", "Íñigo", "Pilar")[n % 3],
                    "last_name": f"García {n}",
                    "email": f"persona{n}@example.es",
                    "marketing_consent": False,
                }
                for n in range(60)
            ],
            now=NOW,
        )
    shot = tmp_path / f"contacts-{language}.png"
    args = ["--data-dir", str(profile_dir), "--lang", language, "--view", "contacts"]
    assert run_app([*args, "--screenshot", str(shot)]) == 0
    assert_real_screenshot(shot)
