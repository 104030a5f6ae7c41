"""Exercise names: normalising, the synonym table, fuzzy matching (sidekick.textmatch)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sidekick.textmatch import (
    MATCH_THRESHOLD,
    canonical_exercise,
    exercise_similarity,
    normalise,
    same_exercise,
)


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("SLR", "straight leg raise"),
        ("straight leg raises", "straight leg raise"),
        ("TKE", "terminal knee extension"),
        ("Clamshells", "clamshell"),
        ("LAQ", "long arc quad"),
        ("shoulder blade squeezes", "scapular retraction"),
        ("UBE", "upper body ergometer"),
        ("Some New Drill", "some new drill"),
    ],
    ids=["slr", "plural", "tke", "case-plural", "laq", "colloquial", "ube", "unknown-kept"],
)
def test_synonyms_fold_to_the_canonical_name(name, canonical):
    assert canonical_exercise(name) == canonical


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("SLR", "straight leg raise"),
        ("TKE", "terminal knee extension"),
        ("step downs", "lateral step-down with mirror feedback"),
        ("stationary bike", "recumbent bike"),
        ("band row", "rows with red band"),
        ("clamshell", "clam shells"),
        ("single leg deadlift", "single leg Romanian deadlift"),
    ],
    ids=["slr", "tke", "named-inside", "family", "subset", "spelling", "extra-word"],
)
def test_names_of_one_exercise_are_the_same_exercise(a, b):
    assert same_exercise(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("clamshell", "side-lying hip abduction"),
        ("bridge", "bird dog"),
        ("straight leg raise", "heel slide"),
        ("band external rotation", "band internal rotation"),
        ("sit to stand", "standing heel raise"),
    ],
    ids=["hip", "core", "knee", "rotations", "standing"],
)
def test_different_exercises_are_not_the_same(a, b):
    assert not same_exercise(a, b)


def test_similarity_is_100_for_synonyms_and_below_threshold_for_strangers():
    assert exercise_similarity("SLR", "straight leg raise") == 100.0
    assert exercise_similarity("SLR", "pallof press") < MATCH_THRESHOLD


@given(st.text(max_size=40))
def test_normalise_is_idempotent(text):
    assert normalise(normalise(text)) == normalise(text)


@given(st.text(alphabet=st.characters(categories=["L", "N", "Zs", "P"]), max_size=40))
def test_normalise_ignores_case_and_surrounding_space(text):
    assert normalise(f"  {text.upper()} ") == normalise(text.lower()) or text.upper().lower() != \
        text.lower()


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("seated calf raise", "standing heel raise", False),
        ("standing hip abduction", "side-lying hip abduction", False),
        ("standing hip abduction (pool)", "standing hip abduction", True),
        ("recumbent bike", "upright bike", True),
    ],
    ids=["seated-vs-standing", "standing-vs-side-lying", "same-position", "family-no-position"],
)
def test_family_variants_in_different_positions_are_different_exercises(a, b, same):
    assert same_exercise(a, b) is same
