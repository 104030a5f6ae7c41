"""Fact scoring: predicted exercises and measures against a case's gold ones.

The rules are those of ``shared/cases/README.md``:

- Exercises are paired with gold exercises one to one, by name (the lexicon's synonyms, then
  fuzzy matching: ``sidekick.textmatch.exercise_similarity`` >= ``MATCH_THRESHOLD``), best
  pair first. Precision, recall and F1 count names.
- Dose accuracy is the share of matched exercises whose sets, reps, hold and load ALL equal
  gold. The predicted hold is ``hold_s`` if set, else ``duration_s`` (gold writes "bike 8
  minutes" as sets=1, hold_s=480). Loads are compared after ``normalise_load``.
- Measures are paired by name (fuzzy) and side, one to one; a value is right when numbers
  agree within 0.01 or strings agree after normalising ("4 minus" = "4-" = "4-/5").

Every scorer returns numbers plus the reasons behind them (``errors``: each dose or value
mismatch, each missed and each extra fact), so a report can say why a case scored as it did.
These names are imported by the evaluation harness; keep them stable.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from sidekick.facts.numbers import words_to_digits
from sidekick.models import Exercise, GoldExercise, GoldMeasure, Measure
from sidekick.textmatch import MATCH_THRESHOLD, exercise_similarity, normalise

MEASURE_THRESHOLD = 80.0
VALUE_TOLERANCE = 0.01


@dataclass
class FactScore:
    """Counts for one kind of fact (one case, or summed over cases) and the reasons."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    correct: int = 0  # matched pairs whose dose (or value) equals gold
    total: int = 0  # matched pairs compared
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def accuracy(self) -> float:
        """Share of matched facts whose dose (or value) is right (1.0 when none matched)."""
        return self.correct / self.total if self.total else 1.0

    @property
    def reason(self) -> str:
        return "; ".join(self.errors) if self.errors else "all facts match"

    def __add__(self, other: FactScore) -> FactScore:
        return type(self)(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn,
                          self.correct + other.correct, self.total + other.total,
                          self.errors + other.errors)


@dataclass
class ExerciseScore(FactScore):
    """Exercise names (P/R/F1) and doses (``dose_correct`` of ``dose_total``)."""

    @property
    def dose_correct(self) -> int:
        return self.correct

    @property
    def dose_total(self) -> int:
        return self.total

    @property
    def dose_accuracy(self) -> float:
        return self.accuracy


@dataclass
class MeasureScore(FactScore):
    """Measure names+sides (P/R/F1) and values (``value_correct`` of ``value_total``)."""

    @property
    def value_correct(self) -> int:
        return self.correct

    @property
    def value_total(self) -> int:
        return self.total


def micro_average(scores: Iterable[FactScore]) -> FactScore:
    """Sum counts over cases (micro-average): P/R/F1 and accuracy of the pooled counts."""
    scores = list(scores)
    if not scores:
        return FactScore()
    total = scores[0]
    for score in scores[1:]:
        total = total + score
    return total


# --------------------------------------------------------------------------- loads

_UNIT = [
    (r"\b(pounds?|lbs?|#)\b", "lb"), (r"\b(kilograms?|kilos?|kgs?)\b", "kg"),
    (r"\b(inches|inch|in)\b", "inch"),
]
_BAND = r"\b(thera\s*band|theraband|resistance\s+band|resistive\s+band|tubing|loop|bands?)\b"
_NO_LOAD = re.compile(r"^(no\s+(weight|load|resistance)s?|none|body\s*weight|bw|unweighted|-)$")
_BAR = r"\b(flex\s*bar|flexbar|rubber\s+bar|twist\s+bar|bar)\b"


def normalise_load(text: str | None) -> str | None:
    """A load as a comparable key, or None for no load.

    "red band" = "Red TheraBand" = "red theraband"; "2 lb ankle weight" = "2-pound ankle
    weight" = "2 lbs weight" ("2 lb": the amount is the dose, the implement is not);
    "level 3" = "Level three"; "6-inch step" = "6 inch box" ("6 inch"); "red rubber bar" =
    "red FlexBar"; "no weight" and "bodyweight" are no load (None).
    """
    if text is None:
        return None
    t = words_to_digits(normalise(text))
    if not t or _NO_LOAD.match(t):
        return None
    for pattern, unit in _UNIT:
        t = re.sub(pattern, unit, t)
    t = re.sub(r"(\d)\s*(lb|kg|inch)\b", r"\1 \2", t)
    amount = re.search(r"(\d+(?:\.\d+)?)\s+(lb|kg|inch|mmhg)\b", t)
    if amount:
        return f"{float(amount.group(1)):g} {amount.group(2)}"
    level = re.search(r"\blevel\s+(\d+(?:\.\d+)?)", t)
    if level:
        return f"level {float(level.group(1)):g}"
    t = re.sub(_BAND, "band", t)
    t = re.sub(_BAR, "flexbar", t)
    t = re.sub(r"\b(theraputty|therapy putty)\b", "putty", t)
    t = re.sub(r"\b(the|a|an|with|of)\b", " ", t)
    return " ".join(t.split()) or None


# --------------------------------------------------------------------------- exercises


def _pairs(scored: list[tuple[float, int, int]], threshold: float) -> list[tuple[int, int, float]]:
    out, used_p, used_g = [], set(), set()
    for score, i, j in sorted(scored, key=lambda s: (-s[0], s[1], s[2])):
        if score < threshold or i in used_p or j in used_g:
            continue
        out.append((i, j, score))
        used_p.add(i)
        used_g.add(j)
    return out


def match_exercises(
    pred: Sequence[Exercise], gold: Sequence[GoldExercise], threshold: float = MATCH_THRESHOLD
) -> list[tuple[Exercise, GoldExercise, float]]:
    """One-to-one pairs (predicted, gold, similarity), the most similar pairs first."""
    scored = [(exercise_similarity(p.name, g.name), i, j)
              for i, p in enumerate(pred) for j, g in enumerate(gold)]
    return [(pred[i], gold[j], s) for i, j, s in _pairs(scored, threshold)]


def _same_number(a: float | int | None, b: float | int | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= VALUE_TOLERANCE


def dose_errors(pred: Exercise, gold: GoldExercise) -> list[str]:
    """What differs between a predicted dose and the gold one (empty when all equal)."""
    hold = pred.hold_s if pred.hold_s is not None else pred.duration_s
    errors = []
    for name, got, want in (("sets", pred.sets, gold.sets), ("reps", pred.reps, gold.reps),
                            ("hold", hold, gold.hold_s)):
        if not _same_number(got, want):
            errors.append(f"{gold.name}: {name} {got} != gold {want}")
    if normalise_load(pred.load) != normalise_load(gold.load):
        errors.append(f"{gold.name}: load {pred.load!r} != gold {gold.load!r}")
    return errors


def score_exercises(pred: Sequence[Exercise], gold: Sequence[GoldExercise]) -> ExerciseScore:
    """Name P/R/F1 and dose accuracy of ``pred`` against ``gold``, with the reasons."""
    pairs = match_exercises(pred, gold)
    score = ExerciseScore(tp=len(pairs), fp=len(pred) - len(pairs), fn=len(gold) - len(pairs))
    matched_p = {id(p) for p, _, _ in pairs}
    matched_g = {id(g) for _, g, _ in pairs}
    for p, g, _ in pairs:
        errors = dose_errors(p, g)
        score.total += 1
        score.correct += not errors
        score.errors.extend(errors)
    score.errors += [f"missed: {g.name}" for g in gold if id(g) not in matched_g]
    score.errors += [f"extra: {p.name}" for p in pred if id(p) not in matched_p]
    return score


# --------------------------------------------------------------------------- measures


def normalise_value(value: float | int | str) -> float | str:
    """A measure value as a number when it is one, else a normalised grade ("4 minus" -> "4-")."""
    if isinstance(value, (int, float)):
        return float(value)
    t = re.sub(r"\s+", "", words_to_digits(str(value)).lower())
    t = re.sub(r"/5$|outof5$", "", t.replace("minus", "-").replace("plus", "+"))
    try:
        return float(t)
    except ValueError:
        return t


def _same_value(a: float | int | str, b: float | int | str) -> bool:
    va, vb = normalise_value(a), normalise_value(b)
    if isinstance(va, float) and isinstance(vb, float):
        return abs(va - vb) <= VALUE_TOLERANCE
    return va == vb


def measure_similarity(a: str, b: str) -> float:
    """0-100 similarity of two measure names (token order and extra words forgiven a little)."""
    return float(max(fuzz.token_sort_ratio(a, b, processor=normalise),
                     0.9 * fuzz.token_set_ratio(a, b, processor=normalise)))


def match_measures(
    pred: Sequence[Measure], gold: Sequence[GoldMeasure], threshold: float = MEASURE_THRESHOLD
) -> list[tuple[Measure, GoldMeasure, float]]:
    """One-to-one pairs by name (fuzzy) and side (must be equal)."""
    scored = [(measure_similarity(p.name, g.name), i, j)
              for i, p in enumerate(pred) for j, g in enumerate(gold) if p.side == g.side]
    return [(pred[i], gold[j], s) for i, j, s in _pairs(scored, threshold)]


def _label(m: Measure | GoldMeasure) -> str:
    return f"{m.name} ({m.side})" if m.side else m.name


def score_measures(pred: Sequence[Measure], gold: Sequence[GoldMeasure]) -> MeasureScore:
    """Measure P/R/F1 (name and side) and value accuracy, with the reasons."""
    pairs = match_measures(pred, gold)
    score = MeasureScore(tp=len(pairs), fp=len(pred) - len(pairs), fn=len(gold) - len(pairs))
    for p, g, _ in pairs:
        score.total += 1
        if _same_value(p.value, g.value):
            score.correct += 1
        else:
            score.errors.append(f"{_label(g)}: value {p.value!r} != gold {g.value!r}")
    matched_p = {id(p) for p, _, _ in pairs}
    matched_g = {id(g) for _, g, _ in pairs}
    score.errors += [f"missed: {_label(g)}" for g in gold if id(g) not in matched_g]
    score.errors += [f"extra: {_label(p)}" for p in pred if id(p) not in matched_p]
    return score
