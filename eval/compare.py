"""Side-by-side comparison of two runs: every metric with its delta, and what changed per case.

``python -m eval compare OUT_A OUT_B`` reads the two ``report.json`` files. A is the baseline,
B the candidate: a delta is B - A, and "better"/"worse" knows which metrics are better lower
(hallucination rate, latency, failed cases). A case changed when anything it is judged on
changed: an exercise or measure missed or found, a dose or value wrong or fixed, a finding
gained or lost, units, sign-readiness, hallucination, or a failure.
"""

from __future__ import annotations

from typing import Any

from eval.report import HEADLINE, PROVENANCE, fmt, lookup

LOWER_IS_BETTER = ("hallucination_rate", "latency_s", "failed_cases", "wer")
_SKIP = ("per_case", "per_rule", "notes")


def _numeric_paths(report: dict[str, Any], prefix: str = "") -> list[str]:
    paths = []
    for key, value in report.items():
        if key in _SKIP:
            continue
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            paths += _numeric_paths(value, path + ".")
        elif isinstance(value, int | float) and not isinstance(value, bool):
            paths.append(path)
    return paths


def metric_paths(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """Headline metrics first, then every other number either report holds."""
    rest = sorted(set(_numeric_paths(a)) | set(_numeric_paths(b)))
    audio = [f"audio.{p}" for p in HEADLINE] + ["audio.wer", "audio.wer_numbers_as_digits"]
    ordered = list(HEADLINE) + [p for p in audio if p in rest]
    return ordered + [p for p in rest if p not in ordered and p != "cases"]


def _get(report: dict[str, Any], path: str) -> Any:
    try:
        return lookup(report, path)
    except KeyError:
        return None


def _verdict(path: str, delta: float | None) -> str:
    if delta is None or abs(delta) < 1e-9:
        return "" if delta is None else "same"
    lower = any(part in LOWER_IS_BETTER for part in path.split("."))
    return "better" if (delta < 0) == lower else "worse"


def metric_rows(a: dict[str, Any], b: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for path in metric_paths(a, b):
        va, vb = _get(a, path), _get(b, path)
        delta = None
        if isinstance(va, int | float) and isinstance(vb, int | float):
            delta = round(vb - va, 4)
        rows.append({"metric": path, "a": va, "b": vb, "delta": delta,
                     "change": _verdict(path, delta)})
    return rows


def rule_rows(a: dict[str, Any], b: dict[str, Any]) -> list[dict[str, Any]]:
    """Rules whose tp/fp/fn differ between the runs, with both counts."""
    rules_a = a.get("findings", {}).get("per_rule", {})
    rules_b = b.get("findings", {}).get("per_rule", {})
    empty = {"tp": 0, "fp": 0, "fn": 0}
    rows = []
    for rule_id in sorted(set(rules_a) | set(rules_b)):
        ra, rb = rules_a.get(rule_id, empty), rules_b.get(rule_id, empty)
        counts_a = [ra.get(k, 0) for k in ("tp", "fp", "fn")]
        counts_b = [rb.get(k, 0) for k in ("tp", "fp", "fn")]
        if counts_a != counts_b:
            rows.append({"rule": rule_id, "a": counts_a, "b": counts_b})
    return rows


def _set_changes(a: list[str], b: list[str], gained: str, lost: str) -> list[str]:
    sa, sb = set(a), set(b)
    return [f"{gained} {x}" for x in sorted(sb - sa)] + [f"{lost} {x}" for x in sorted(sa - sb)]


def case_changes(ca: dict[str, Any], cb: dict[str, Any]) -> list[str]:
    """What differs between two runs of one case, in words (empty when nothing does)."""
    changes = _set_changes(ca["missed"], cb["missed"], "now missed", "now found")
    changes += _set_changes(ca["extra"], cb["extra"], "new extra", "extra gone")
    changes += _set_changes(ca["errors"], cb["errors"], "new error", "error fixed")
    changes += _set_changes(
        ca["findings"]["raised"], cb["findings"]["raised"], "finding gained", "finding lost"
    )
    for key in ("sign_ready", "hallucination"):
        if ca.get(key) != cb.get(key):
            changes.append(f"{key}: {fmt(ca.get(key))} -> {fmt(cb.get(key))}")
    if ca["units"]["correct"] != cb["units"]["correct"]:
        was, now = fmt(ca["units"]["correct"]), fmt(cb["units"]["correct"])
        changes.append(f"units right: {was} -> {now}")
    return changes


def changed_cases(per_case_a: list[dict], per_case_b: list[dict]) -> list[dict[str, Any]]:
    """Cases present in both runs whose judgement changed, with what changed."""
    cases_b = {c["id"]: c for c in per_case_b}
    changed = []
    for case in per_case_a:
        if case["id"] in cases_b:
            changes = case_changes(case, cases_b[case["id"]])
            if changes:
                changed.append({"id": case["id"], "changes": changes})
    return changed


def compare_reports(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """The comparison as data: provenance, metric rows, and changed cases (text and audio)."""
    ids_a = {c["id"] for c in a["per_case"]}
    ids_b = {c["id"] for c in b["per_case"]}
    audio_a, audio_b = a.get("audio"), b.get("audio")
    return {
        "provenance": [[k, a.get(k), b.get(k)] for k in PROVENANCE],
        "metrics": metric_rows(a, b),
        "per_rule": rule_rows(a, b),
        "changed_cases": changed_cases(a["per_case"], b["per_case"]),
        "changed_audio_cases": (
            changed_cases(audio_a["per_case"], audio_b["per_case"]) if audio_a and audio_b
            else []
        ),
        "only_in_a": sorted(ids_a - ids_b),
        "only_in_b": sorted(ids_b - ids_a),
    }


def _case_lines(cases: list[dict[str, Any]]) -> list[str]:
    lines = []
    for case in cases:
        lines.append(f"- **{case['id']}**")
        lines += [f"  - {change}" for change in case["changes"]]
    return lines


def render_comparison(cmp: dict[str, Any], name_a: str = "A", name_b: str = "B") -> str:
    """The comparison as Markdown: provenance, metrics with deltas, changed cases."""
    lines = [f"# Comparison: A = {name_a}, B = {name_b}", "", "| run | A | B |", "|---|---|---|"]
    for key, va, vb in cmp["provenance"]:
        mark = "" if va == vb else " **≠**"
        lines.append(f"| {key}{mark} | {fmt(va)} | {fmt(vb)} |")
    lines += ["", "## Metrics (delta = B - A)", "", "| metric | A | B | delta | change |",
              "|---|---|---|---|---|"]
    for row in cmp["metrics"]:
        delta = "–" if row["delta"] is None else f"{row['delta']:+.3f}"
        lines.append(
            f"| {row['metric']} | {fmt(row['a'])} | {fmt(row['b'])} | {delta} | {row['change']} |"
        )
    lines += ["", "## Findings per rule that changed (tp/fp/fn)", ""]
    if not cmp.get("per_rule"):
        lines.append("None.")
    for row in cmp.get("per_rule", []):
        lines.append(f"- {row['rule']}: {'/'.join(map(str, row['a']))} -> "
                     f"{'/'.join(map(str, row['b']))}")
    lines += ["", f"## Cases that changed ({len(cmp['changed_cases'])})", ""]
    if not cmp["changed_cases"]:
        lines.append("None.")
    lines += _case_lines(cmp["changed_cases"])
    if cmp.get("changed_audio_cases"):
        lines += ["", f"## Audio cases that changed ({len(cmp['changed_audio_cases'])})", ""]
        lines += _case_lines(cmp["changed_audio_cases"])
    for key, label in (("only_in_a", "Only in A"), ("only_in_b", "Only in B")):
        if cmp[key]:
            lines += ["", f"{label}: " + ", ".join(cmp[key])]
    return "\n".join(lines) + "\n"
