"""Fact scorers: a note's exercises and measures against the gold ones.

A scorer is a small object returning counts and reasons (what was missed, what was extra,
which dose was wrong), so the report can say *why* a case scored as it did. The matching
itself (names with synonyms, one-to-one; loads normalised) belongs to ``eval/scoring.py``;
this module adapts it to one shape, ``FactScore``. When ``eval/scoring.py`` is not there
(or cannot be imported), a small private matcher stands in so the harness still runs.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sidekick import textmatch
from sidekick.models import Exercise, GoldExercise, GoldMeasure, Measure

logger = logging.getLogger(__name__)

DOSE_FIELDS = ("sets", "reps", "hold_s", "load")


@dataclass
class FactScore:
    """Counts for one kind of fact in one case, with the reasons behind them."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    matched: int = 0  # matched pairs whose dose/value was compared
    correct: int = 0  # matched pairs whose dose/value equals the gold one
    missed: list[str] = field(default_factory=list)  # gold names with no match
    extra: list[str] = field(default_factory=list)  # predicted names with no gold match
    wrong: list[str] = field(default_factory=list)  # "name: sets 2 != gold 3"


class FactScorer(Protocol):
    def exercises(self, pred: Sequence[Exercise], gold: Sequence[GoldExercise]) -> FactScore: ...

    def measures(self, pred: Sequence[Measure], gold: Sequence[GoldMeasure]) -> FactScore: ...


# --------------------------------------------------------------------------- fallback matcher


def _normalise_load(load: str | None) -> str | None:
    if load is None:
        return None
    try:
        from eval import scoring

        return scoring.normalise_load(load)
    except (ImportError, AttributeError):
        pass
    text = textmatch.normalise(load)
    for word in ("theraband", "thera band", "resistance", "tubing", "band"):
        text = text.replace(word, " ")
    text = text.replace("pounds", "lb").replace("pound", "lb").replace("lbs", "lb")
    text = " ".join(text.split())
    return text or None


def _same_value(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    try:
        return abs(float(a) - float(b)) < 1e-6
    except (TypeError, ValueError):
        return textmatch.normalise(str(a)) == textmatch.normalise(str(b))


def _pair(pred_names: list[str], gold_names: list[str], threshold: float) -> list[tuple[int, int]]:
    """One-to-one pairs (pred index, gold index), best similarity first."""
    scored = [
        (textmatch.exercise_similarity(p, g), i, j)
        for i, p in enumerate(pred_names)
        for j, g in enumerate(gold_names)
    ]
    pairs, used_p, used_g = [], set(), set()
    for score, i, j in sorted(scored, reverse=True):
        if score < threshold or i in used_p or j in used_g:
            continue
        pairs.append((i, j))
        used_p.add(i)
        used_g.add(j)
    return pairs


def _dose_errors(pred: Exercise, gold: GoldExercise) -> list[str]:
    errors = []
    for name in DOSE_FIELDS:
        got, want = getattr(pred, name), getattr(gold, name)
        if name == "load":
            same = _normalise_load(got) == _normalise_load(want)
        else:
            same = _same_value(got, want)
        if not same:
            errors.append(f"{gold.name}: {name} {got!r} != gold {want!r}")
    return errors


def _score(pred: Sequence[Any], gold: Sequence[Any], compare, label) -> FactScore:
    pairs = _pair([label(p) for p in pred], [label(g) for g in gold], 80.0)
    score = FactScore(tp=len(pairs), fp=len(pred) - len(pairs), fn=len(gold) - len(pairs))
    matched_p = {i for i, _ in pairs}
    matched_g = {j for _, j in pairs}
    score.missed = [label(g) for j, g in enumerate(gold) if j not in matched_g]
    score.extra = [label(p) for i, p in enumerate(pred) if i not in matched_p]
    for i, j in pairs:
        errors = compare(pred[i], gold[j])
        score.matched += 1
        score.correct += not errors
        score.wrong.extend(errors)
    return score


class FallbackScorer:
    """Greedy one-to-one name matching with the project's synonym table (RapidFuzz >= 80)."""

    def exercises(self, pred: Sequence[Exercise], gold: Sequence[GoldExercise]) -> FactScore:
        return _score(pred, gold, _dose_errors, lambda e: e.name)

    def measures(self, pred: Sequence[Measure], gold: Sequence[GoldMeasure]) -> FactScore:
        def label(m: Any) -> str:
            return f"{m.name} ({m.side})" if m.side else m.name

        def compare(p: Measure, g: GoldMeasure) -> list[str]:
            if _same_value(p.value, g.value):
                return []
            return [f"{label(g)}: value {p.value!r} != gold {g.value!r}"]

        return _score(pred, gold, compare, label)


def _adapt(score: Any) -> FactScore:
    """``eval.scoring``'s score (counts plus ``errors`` lines) in this module's shape.

    Its ``errors`` list holds "missed: NAME", "extra: NAME" and the dose/value mismatches.
    """
    out = FactScore(tp=score.tp, fp=score.fp, fn=score.fn, matched=score.total,
                    correct=score.correct)
    for line in score.errors:
        if line.startswith("missed: "):
            out.missed.append(line.removeprefix("missed: "))
        elif line.startswith("extra: "):
            out.extra.append(line.removeprefix("extra: "))
        else:
            out.wrong.append(line)
    return out


class ScoringModuleScorer:
    """The project's scorer, ``eval/scoring.py`` (synonyms, fuzzy names, load folding)."""

    def __init__(self) -> None:
        from eval import scoring

        self._scoring = scoring

    def exercises(self, pred: Sequence[Exercise], gold: Sequence[GoldExercise]) -> FactScore:
        return _adapt(self._scoring.score_exercises(list(pred), list(gold)))

    def measures(self, pred: Sequence[Measure], gold: Sequence[GoldMeasure]) -> FactScore:
        return _adapt(self._scoring.score_measures(list(pred), list(gold)))


def default_scorer() -> FactScorer:
    """The project's scorer from ``eval/scoring.py`` when present, else the fallback."""
    try:
        return ScoringModuleScorer()
    except ImportError:
        logger.warning("eval.scoring is not available: using the fallback fact scorer")
        return FallbackScorer()
