"""Normalising, synonyms and fuzzy matching, behind names that say what they mean.

Every RapidFuzz call passes ``processor=`` explicitly: since RapidFuzz 3.0 the default is no
normalising at all.
"""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

_SPACE = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s/+.-]")


def normalise(text: str) -> str:
    """Lower-case, strip accents and punctuation, fold whitespace (for matching only)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _PUNCT.sub(" ", text.lower().replace("-", " "))
    return _SPACE.sub(" ", text).strip()


def _processor(text: str) -> str:
    return normalise(text)


# --------------------------------------------------------------------------- exercises

#: One synonym table: each key is the canonical plain clinical name.
EXERCISE_SYNONYMS: dict[str, list[str]] = {
    "straight leg raise": ["slr", "straight leg raises", "straight leg lift"],
    "terminal knee extension": ["tke", "terminal knee extensions"],
}


def canonical_exercise(name: str) -> str:
    """The canonical name for an exercise name or synonym (normalised text otherwise)."""
    n = normalise(name)
    for canon, syns in EXERCISE_SYNONYMS.items():
        if n == canon or n in syns:
            return canon
    return n


def exercise_similarity(a: str, b: str) -> float:
    """0-100 similarity of two exercise names after synonym folding."""
    ca, cb = canonical_exercise(a), canonical_exercise(b)
    if ca == cb:
        return 100.0
    return float(fuzz.token_sort_ratio(ca, cb, processor=_processor))


def same_exercise(a: str, b: str, threshold: float = 80.0) -> bool:
    """True when two names denote the same exercise."""
    return exercise_similarity(a, b) >= threshold
