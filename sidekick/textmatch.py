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


# --- notes
# Whole-note and per-section similarity for the cloning checks (CL-*) and the clinic audit.
# Scorer: ``fuzz.ratio`` (normalised Indel similarity) on ``normalise``d text. Measured on the
# dev cases (bench/bench_cloning.py --dev): the two planted clones score 99.0 and 98.4, every
# other pair at most 63.5 (three paraphrased notes of one patient). ``token_set_ratio`` and
# ``WRatio`` ignore order and repetition: they rate paraphrases 79 and unrelated notes up to
# 85.5, so on template-style notes they call everything a clone. Numbers are kept (masking
# them moved no dev pair by more than 1 point), so a note with only new measurements still
# scores as the copy it is.

_WORD = re.compile(r"\S+")


def note_similarity(a: str, b: str, score_cutoff: float = 0.0) -> float:
    """0-100 similarity of two notes' texts (order-sensitive; 0 below ``score_cutoff``)."""
    return float(fuzz.ratio(a, b, processor=_processor, score_cutoff=score_cutoff))


def section_similarity(a: str, b: str) -> float:
    """0-100 similarity of two sections of a note (same scorer as ``note_similarity``)."""
    if not a.strip() or not b.strip():
        return 0.0
    return float(fuzz.ratio(a, b, processor=_processor))


def _words(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    keys: list[str] = []
    spans: list[tuple[int, int]] = []
    for m in _WORD.finditer(text):
        key = normalise(m.group()).strip("./+")
        if key:
            keys.append(key)
            spans.append(m.span())
    return keys, spans


def copied_passages(a: str, b: str, min_words: int = 8) -> list[str]:
    """Passages of ``a`` (as written in ``a``) that also appear word for word in ``b``.

    Words are compared after ``normalise``; runs shorter than ``min_words`` words are left
    out, so shared stock phrases ("pain 2/10 after session") are not reported as copying.
    """
    from rapidfuzz.distance import Indel

    keys_a, spans_a = _words(a)
    keys_b, _ = _words(b)
    out: list[str] = []
    for op in Indel.opcodes(keys_a, keys_b):
        if op.tag == "equal" and op.src_end - op.src_start >= min_words:
            start, end = spans_a[op.src_start][0], spans_a[op.src_end - 1][1]
            out.append(a[start:end])
    return out
