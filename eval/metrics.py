"""Scoring one case, and summing the cases into the report's metrics.

Follows ``shared/cases/README.md`` ("How the harness scores a case"):

* Facts: the note's exercises and measures against the gold ones (``eval.facts``).
* Units: right when the engine's units per code equal ``gold.expected_units`` exactly.
* Findings: rule ids raised (any severity) against ``gold.expected_findings``. A note case
  counts every id; a drafting case counts only TU and CD ids (on both sides).
* A drafting case hallucinated when its drafted note drew GR-UNSUPPORTED; it is sign-ready
  when no block finding remains but TU/CD ones the gold list expects (the billing earned
  them; the note cannot fix them).

Precision with nothing predicted is 1.0 when nothing was expected, else 0.0 (and recall
likewise), so an empty run never scores as perfect.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from eval.facts import FactScore, FactScorer
from sidekick.models import Case

if TYPE_CHECKING:
    from eval.harness import CaseRun

DRAFT_COUNTED_FAMILIES = ("TU", "CD")
HALLUCINATION_RULE = "GR-UNSUPPORTED"


def _family(rule_id: str) -> str:
    return rule_id.split("-", 1)[0]


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    """Precision, recall and F1 from counts (see the module docstring for empty cases)."""
    precision = tp / (tp + fp) if tp + fp else (1.0 if fn == 0 else 0.0)
    recall = tp / (tp + fn) if tp + fn else (1.0 if fp == 0 else 0.0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def _fact_block(score: FactScore) -> dict[str, Any]:
    return {
        "tp": score.tp, "fp": score.fp, "fn": score.fn,
        "matched": score.matched, "correct": score.correct,
    }


def _findings_block(case: Case, run: CaseRun) -> dict[str, list[str]]:
    raised = sorted({f.rule_id for f in run.result.findings}) if run.result else []
    expected = sorted(set(case.gold.expected_findings))
    if case.note is None:
        counted = [r for r in raised if _family(r) in DRAFT_COUNTED_FAMILIES]
        expected = [r for r in expected if _family(r) in DRAFT_COUNTED_FAMILIES]
    else:
        counted = raised
    return {
        "raised": raised,
        "expected": expected,
        "tp": sorted(set(counted) & set(expected)),
        "fp": sorted(set(counted) - set(expected)),
        "fn": sorted(set(expected) - set(counted)),
    }


def _unearned_blocks(case: Case, run: CaseRun) -> list[str]:
    """Block rule ids that keep a drafted note from sign-off (beyond the TU/CD ones earned)."""
    if run.result is None:
        return []
    earned = {
        r for r in case.gold.expected_findings if _family(r) in DRAFT_COUNTED_FAMILIES
    }
    return sorted({f.rule_id for f in run.result.findings if f.blocks} - earned)


def score_case(case: Case, run: CaseRun, scorer: FactScorer) -> dict[str, Any]:
    """The report's per-case entry: counts, and what was missed, extra or wrong."""
    note = run.note or (run.result.note if run.result else None)
    ex = scorer.exercises(note.exercises if note else [], case.gold.exercises)
    me = scorer.measures(note.measures if note else [], case.gold.measures)
    got_units = dict(run.result.units.units) if run.result and run.result.units else None
    findings = _findings_block(case, run)
    errors = list(ex.wrong) + list(me.wrong)
    if run.error:
        errors.insert(0, f"failed: {run.error}")
    if got_units != case.gold.expected_units:
        errors.append(f"units: {got_units} != gold {case.gold.expected_units}")
    drafted = case.note is None
    hallucinated = None
    blocking = _unearned_blocks(case, run) if drafted else []
    if drafted and run.result is not None:
        hallucinated = any(f.rule_id == HALLUCINATION_RULE for f in run.result.findings)
        if blocking:
            errors.append("not sign-ready: " + ", ".join(blocking))
    return {
        "id": case.id,
        "kind": "draft" if drafted else "note",
        "drafter": run.drafter,
        "fallback_reason": run.fallback_reason,
        "failed": run.error,
        "latency_s": round(run.latency_s, 4),
        "exercises": _fact_block(ex),
        "measures": _fact_block(me),
        "units": {"expected": case.gold.expected_units, "got": got_units,
                  "correct": got_units == case.gold.expected_units},
        "findings": findings,
        "hallucination": hallucinated,
        "sign_ready": (run.result is not None and not blocking) if drafted else None,
        "blocking": blocking,
        "errors": errors,
        "missed": [f"exercise: {n}" for n in ex.missed] + [f"measure: {n}" for n in me.missed]
        + [f"finding: {r}" for r in findings["fn"]],
        "extra": [f"exercise: {n}" for n in ex.extra] + [f"measure: {n}" for n in me.extra]
        + [f"finding: {r}" for r in findings["fp"]],
    }


def _facts_summary(per_case: Sequence[dict[str, Any]], key: str) -> dict[str, Any]:
    tp = sum(c[key]["tp"] for c in per_case)
    fp = sum(c[key]["fp"] for c in per_case)
    fn = sum(c[key]["fn"] for c in per_case)
    return prf(tp, fp, fn) | {"tp": tp, "fp": fp, "fn": fn}


def _accuracy(per_case: Sequence[dict[str, Any]], key: str) -> float | None:
    correct = sum(c[key]["correct"] for c in per_case)
    return _ratio(correct, sum(c[key]["matched"] for c in per_case))


def _per_rule(per_case: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    counts: dict[str, dict[str, int]] = {}
    for c in per_case:
        for kind in ("tp", "fp", "fn"):
            for rule_id in c["findings"][kind]:
                counts.setdefault(rule_id, {"tp": 0, "fp": 0, "fn": 0})[kind] += 1
    return {r: v | _defined_prf(v["tp"], v["fp"], v["fn"]) for r, v in sorted(counts.items())}


def _defined_prf(tp: int, fp: int, fn: int) -> dict[str, float | None]:
    """Per-rule figures: precision is None for a rule never raised, recall for one never
    expected (a 0 there would read as a failure that did not happen)."""
    scores: dict[str, float | None] = dict(prf(tp, fp, fn))
    if tp + fp == 0:
        scores["precision"] = None
    if tp + fn == 0:
        scores["recall"] = None
    if scores["precision"] is None or scores["recall"] is None:
        scores["f1"] = None
    return scores


def _percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    pos = (len(ordered) - 1) * q
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def _latency(per_case: Sequence[dict[str, Any]]) -> dict[str, float | None]:
    values = [c["latency_s"] for c in per_case if not c["failed"]]
    if not values:
        return {"median": None, "p95": None, "total": 0.0}
    return {
        "median": round(statistics.median(values), 4),
        "p95": round(_percentile(values, 0.95), 4),
        "total": round(sum(values), 4),
    }


def summarise(per_case: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The run's metrics from its per-case entries (the keys of the cases README)."""
    drafting = [c for c in per_case if c["kind"] == "draft"]
    ran_drafting = [c for c in drafting if c["hallucination"] is not None]
    findings = {k: sum(len(c["findings"][k]) for c in per_case) for k in ("tp", "fp", "fn")}
    return {
        "exercises": _facts_summary(per_case, "exercises"),
        "dose_accuracy": _accuracy(per_case, "exercises"),
        "measures": _facts_summary(per_case, "measures"),
        "measure_value_accuracy": _accuracy(per_case, "measures"),
        "units_accuracy": _ratio(sum(c["units"]["correct"] for c in per_case), len(per_case)),
        "findings": {
            "micro": prf(findings["tp"], findings["fp"], findings["fn"]) | findings,
            "per_rule": _per_rule(per_case),
        },
        "hallucination_rate": _ratio(sum(bool(c["hallucination"]) for c in ran_drafting),
                                     len(ran_drafting)),
        "sign_ready_rate": _ratio(sum(bool(c["sign_ready"]) for c in drafting), len(drafting)),
        "latency_s": _latency(per_case),
        "failed_cases": sum(1 for c in per_case if c["failed"]),
        "drafting": {
            "cases": len(drafting),
            "exercises": _facts_summary(drafting, "exercises"),
            "dose_accuracy": _accuracy(drafting, "exercises"),
            "measures": _facts_summary(drafting, "measures"),
            "fallbacks": sum(1 for c in drafting if c["fallback_reason"]),
        },
    }
