"""Account name normalization and similarity (the duplicate warning's rules)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sfa_desktop.domain.account_names import (
    SIMILARITY,
    normalized_name,
    similar_names,
    similarity,
)

_NAMES = st.text(
    alphabet=st.sampled_from("abcdefghijklmnñopqrstuvwxyzáéíóúüÁÉÍÓÚÑ0123456789 .,-"),
    min_size=1,
    max_size=30,
)
_FORMS = st.sampled_from(["S.L.", "S.A.", "S.L.U.", "SAS", "GmbH", ", S.L.", "s.a.u.", "SL"])


@pytest.mark.parametrize(
    ("name", "normalized"),
    [
        ("Ferretería Martínez, S.L.", "ferreteria martinez"),
        ("TALLERES GÓMEZ S.A.U.", "talleres gomez"),
        ("Distribuciones Ebro S.L.U.", "distribuciones ebro"),
        ("Müller GmbH", "muller"),
        ("Óptica Sol SAS", "optica sol"),
        ("S.L.", "s l"),  # only a legal form: kept, never empty
        ("Ferretería Sala", "ferreteria sala"),  # "sala" is a word, not a form
    ],
)
def test_names_are_folded_and_lose_their_legal_form(name: str, normalized: str) -> None:
    assert normalized_name(name) == normalized


@given(_NAMES, _FORMS)
def test_a_legal_form_or_the_case_never_makes_a_name_different(name: str, form: str) -> None:
    if not normalized_name(name):
        return
    assert similarity(name, f"{name} {form}") == 100.0
    assert similarity(name.upper(), name) == 100.0


@given(_NAMES, _NAMES)
def test_similarity_is_symmetric_and_bounded(left: str, right: str) -> None:
    score = similarity(left, right)
    assert score == similarity(right, left)
    assert 0.0 <= score <= 100.0


@pytest.mark.parametrize(
    ("left", "right", "similar"),
    [
        ("Ferretería Martínez", "Ferreteria Martines", True),
        ("Ferretería Martínez", "Martínez Ferretería S.L.", True),
        ("Bar Manolo", "Bar Manoli", True),
        ("Ferretería Martínez", "Ferretería López", False),
        ("Óptica Sol", "Óptica Luna", False),
        ("Construcciones Pérez", "Construcciones Pérez e Hijos", False),
        ("Panadería 3", "Panadería 33", False),
    ],
)
def test_the_threshold(left: str, right: str, similar: bool) -> None:
    assert (similarity(left, right) >= SIMILARITY) is similar


def test_similar_names_ranks_by_score_then_order() -> None:
    found = similar_names(
        "Ferreteria Martinez", ["Otra", "Ferretería Martín", "FERRETERIA MARTINEZ"]
    )
    assert [m.index for m in found] == [2, 1]
