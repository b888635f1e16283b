"""Record ids: the canonical text form, recognised without parsing when already canonical."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync_server.protocol.ids import canonical_id, canonical_id_or_none


def _spellings(value: uuid.UUID) -> list[str]:
    text = str(value)
    return [text, text.upper(), value.hex, "{" + text + "}", value.urn]


@given(st.uuids())
def test_every_spelling_of_a_uuid_gives_its_canonical_text(value: uuid.UUID) -> None:
    for spelling in _spellings(value):
        assert canonical_id(spelling) == str(value)


@given(st.text(max_size=40))
def test_any_text_is_read_as_uuid_reads_it(text: str) -> None:
    try:
        expected = str(uuid.UUID(text))
    except ValueError:
        with pytest.raises(ValueError):
            canonical_id(text)
    else:
        assert canonical_id(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "0190a0a0-0000-7000-8000-00000000000",  # one digit short
        "0190a0a0-0000-7000-8000-00000000000g",
        "0190a0a0-0000-7000-8000-000000000000\n",
        " 0190a0a0-0000-7000-8000-000000000000",
        "",
    ],
)
def test_near_misses_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        canonical_id(text)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0190A0A0-0000-7000-8000-000000000000", "0190a0a0-0000-7000-8000-000000000000"),
        ("not an id", None),
        (None, None),
        (42, None),
        (["0190a0a0-0000-7000-8000-000000000000"], None),
    ],
)
def test_canonical_id_or_none(value: object, expected: str | None) -> None:
    assert canonical_id_or_none(value) == expected
