"""The app_meta key/value table."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from sfa_desktop.store.meta import MetaKey, get_meta, get_meta_int, set_meta


def test_set_get_replace_and_remove(session: Session) -> None:
    assert get_meta(session, MetaKey.USER_ID) is None
    set_meta(session, MetaKey.USER_ID, "u-1")
    set_meta(session, MetaKey.USER_ID, "u-2")
    assert get_meta(session, MetaKey.USER_ID) == "u-2"
    assert get_meta(session, "user_id") == "u-2"  # keys are plain strings
    set_meta(session, MetaKey.USER_ID, None)
    assert get_meta(session, MetaKey.USER_ID) is None


def test_integers(session: Session) -> None:
    assert get_meta_int(session, MetaKey.SCHEMA_VERSION) == 1
    set_meta(session, "broken", "not a number")
    assert get_meta_int(session, "broken") is None


def test_values_must_be_text(session: Session) -> None:
    with pytest.raises(TypeError):
        set_meta(session, "n", 5)  # type: ignore[arg-type]
