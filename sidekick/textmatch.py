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

# The one synonym table is the exercise lexicon, ``sidekick/data/lexicon/exercises.yaml``
# (read by ``sidekick.facts.lexicon``): canonical names, synonyms (SLR = straight leg raise,
# TKE = terminal knee extension), colloquial descriptions and families of variants.
#
# Similarity, from strongest to weakest evidence:
#   100  same canonical name (a name or synonym of one lexicon entry);
#    95  both names contain the same lexicon exercise ("lateral step-down with mirror
#        feedback" and "step downs");
#    85  both contain exercises of one family (recumbent and upright bike);
#   else RapidFuzz: max(token_sort_ratio, 0.9 * token_set_ratio) of the canonical names, so
#        a name that is a word subset of the other ("bridge" / "bridge with band") scores 90;
#        capped at 70 when both names are names of two different, unrelated lexicon exercises
#        ("band external rotation" / "band internal rotation" would score 86).
# The match threshold (80) was chosen on the dev cases with bench/score_extraction.py: it
# keeps distinct exercises of one session apart while accepting descriptive gold names.

MATCH_THRESHOLD = 80.0
DISTINCT_CAP = 70.0  # names of two different lexicon exercises never match


def _lexicon():
    from sidekick.facts.lexicon import load_lexicon  # late: the lexicon imports normalise

    return load_lexicon()


def canonical_exercise(name: str) -> str:
    """The canonical name for an exercise name or synonym (normalised text otherwise)."""
    entry = _lexicon().lookup(name)
    return normalise(entry.name) if entry is not None else normalise(name)


_POSITION = re.compile(r"\b(standing|seated|sitting|side[\s-]?lying|supine|prone|quadruped|"
                       r"kneeling)\b")


def _other_positions(a: str, b: str) -> bool:
    """True when both names state a position and the positions differ (seated / standing)."""
    pa = {p.replace("sitting", "seated") for p in _POSITION.findall(normalise(a))}
    pb = {p.replace("sitting", "seated") for p in _POSITION.findall(normalise(b))}
    return bool(pa and pb and not pa & pb)


def exercise_similarity(a: str, b: str) -> float:
    """0-100 similarity of two exercise names after synonym folding."""
    ca, cb = canonical_exercise(a), canonical_exercise(b)
    if ca == cb:
        return 100.0
    lex = _lexicon()
    ea, eb = lex.detect(a), lex.detect(b)
    if ea is not None and eb is not None:
        if ea.name == eb.name:
            return 95.0
        if ea.family and ea.family == eb.family and not _other_positions(a, b):
            return 85.0
    la, lb = lex.lookup(a), lex.lookup(b)
    distinct = la is not None and lb is not None  # two known, unrelated exercises ("ER" / "IR")
    sort = fuzz.token_sort_ratio(ca, cb, processor=_processor)
    subset = 0.9 * fuzz.token_set_ratio(ca, cb, processor=_processor)
    score = float(max(sort, subset))
    return min(score, DISTINCT_CAP) if distinct else score


def same_exercise(a: str, b: str, threshold: float = MATCH_THRESHOLD) -> bool:
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


def similar_notes(text: str, others: list[str], threshold: float) -> list[tuple[int, float]]:
    """(index, score) of the ``others`` at or above ``threshold``, best first.

    Same scorer as ``note_similarity``; ``text`` is normalised once, not once per other note.
    """
    from rapidfuzz import process

    if threshold > 100 or not others:  # a threshold above 100 turns the check off
        return []
    # the cut-off is loosened a hair: RapidFuzz turns it into a distance and, in floating
    # point, can drop a pair that scores exactly the threshold; the filter below is exact
    found = process.extract(text, others, scorer=fuzz.ratio, processor=_processor,
                            score_cutoff=max(0.0, threshold - 1e-3), limit=None)
    return [(int(index), float(score)) for _, score, index in found if score >= threshold]


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
