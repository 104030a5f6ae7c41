"""Writing a run's report: ``report.json`` (for scripts), ``report.md`` (tables) and
``report.html`` (the same tables with charts).

Charts are inline SVG drawn here (``eval.charts``): no network assets, no image files, and
the HTML opens anywhere, including a CI artifact viewer.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from eval import charts
from sidekick.errors import InputError

#: The headline metrics, as dotted paths into report.json, in display order.
HEADLINE = (
    "exercises.precision", "exercises.recall", "exercises.f1", "dose_accuracy",
    "measures.precision", "measures.recall", "measures.f1", "measure_value_accuracy",
    "units_accuracy", "findings.micro.precision", "findings.micro.recall", "findings.micro.f1",
    "hallucination_rate", "sign_ready_rate", "latency_s.median", "latency_s.p95",
    "failed_cases", "drafting.fallbacks",
)

PROVENANCE = (
    "drafter", "prompt", "prompt_version", "prompt_hash", "model", "rule_set_version",
    "code_version", "cases_dir", "timestamp", "cases",
)


def lookup(report: dict[str, Any], path: str) -> Any:
    """The value at a dotted path (``findings.micro.f1``); KeyError when it is not there."""
    value: Any = report
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            raise KeyError(path)
        value = value[part]
    return value


def fmt(value: Any) -> str:
    """A metric as a table cell: 3 decimals for floats, an en dash for missing."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _value(report: dict[str, Any], path: str) -> Any:
    try:
        return lookup(report, path)
    except KeyError:
        return None


def _table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(fmt(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def summary_rows(report: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """Headline metrics: one column for text, and one for audio when the run has it."""
    audio = report.get("audio")
    header = ["metric", "text"] + (["audio"] if audio else [])
    rows = []
    for path in HEADLINE:
        row = [path, _value(report, path)]
        if audio:
            row.append(_value(audio, path))
        rows.append(row)
    if audio:
        rows.append(["wer", None, audio.get("wer")])
        rows.append(["wer_numbers_as_digits", None, audio.get("wer_numbers_as_digits")])
    return header, rows


def _rule_rows(report: dict[str, Any]) -> list[list[Any]]:
    per_rule = report.get("findings", {}).get("per_rule", {})
    return [
        [r, v["tp"], v["fp"], v["fn"], v.get("precision"), v.get("recall")]
        for r, v in per_rule.items()
    ]


def _case_rows(report: dict[str, Any]) -> list[list[Any]]:
    rows = []
    for c in report.get("per_case", []):
        ex = c["exercises"]
        rows.append([
            c["id"], c["kind"], f'{ex["tp"]}/{ex["fp"]}/{ex["fn"]}',
            f'{ex["correct"]}/{ex["matched"]}', c["units"]["correct"],
            " ".join(c["findings"]["fp"]) or "–", " ".join(c["findings"]["fn"]) or "–",
            c["sign_ready"], c["latency_s"], _status(c),
        ])
    return rows


def _status(case: dict[str, Any]) -> str:
    if case["failed"]:
        return "failed"
    return "offline fallback" if case.get("fallback_reason") else "ok"


CASE_HEADER = [
    "case", "kind", "exercises tp/fp/fn", "dose ok/matched", "units ok",
    "findings extra", "findings missed", "sign-ready", "latency s", "status",
]


def _problems(report: dict[str, Any]) -> list[str]:
    lines = []
    for c in report.get("per_case", []):
        items = [f"error: {e}" for e in c["errors"]] + [f"missed {m}" for m in c["missed"]]
        if c.get("fallback_reason"):
            items.insert(0, f"drafter fell back to offline: {c['fallback_reason']}")
        items += [f"extra {x}" for x in c["extra"]]
        if items:
            lines.append(f"- **{c['id']}**: " + "; ".join(items))
    return lines


def render_markdown(report: dict[str, Any]) -> str:
    """The report as Markdown tables."""
    prov = [[k, report.get(k)] for k in PROVENANCE]
    header, rows = summary_rows(report)
    parts = [
        "# Evaluation report", "", _table(["run", "value"], prov), "",
        "## Metrics", "", _table(header, rows), "",
        "## Findings per rule", "",
        _table(["rule", "tp", "fp", "fn", "precision", "recall"], _rule_rows(report)), "",
        "## Cases", "", _table(CASE_HEADER, _case_rows(report)), "",
        "## What went wrong, per case", "",
        *(_problems(report) or ["Nothing: every case matched."]),
    ]
    if report.get("audio"):
        audio = report["audio"]
        rows = [[row[0], c.get("wer"), *row[1:]]
                for row, c in zip(_case_rows(audio), audio["per_case"], strict=True)]
        parts += ["", "## Audio (end to end: speech → Whisper → draft → check)", "",
                  _table([CASE_HEADER[0], "wer", *CASE_HEADER[1:]], rows), "",
                  "### What went wrong from audio, per case", "",
                  *(_problems(audio) or ["Nothing: every case matched."])]
    return "\n".join(parts) + "\n"


def _html_table(header: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(fmt(c))}</td>" for c in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


_CSS = (
    "body{font-family:system-ui,sans-serif;margin:2em;max-width:72em}"
    "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:2px 8px;"
    "text-align:left;font-size:90%}th{background:#f4f4f4}svg{display:block;margin:1em 0}"
)


def render_html(report: dict[str, Any]) -> str:
    """The report as one self-contained HTML page with SVG charts."""
    prov = [[k, report.get(k)] for k in PROVENANCE]
    header, rows = summary_rows(report)
    problems = "".join(
        f"<li>{html.escape(line[2:]).replace('**', '')}</li>" for line in _problems(report)
    )
    sections = [
        "<h1>Evaluation report</h1>", _html_table(["run", "value"], prov),
        "<h2>Metrics</h2>", _html_table(header, rows),
        "<h2>Findings per rule</h2>", charts.rule_bars(report),
        _html_table(["rule", "tp", "fp", "fn", "precision", "recall"], _rule_rows(report)),
        "<h2>Dose errors per case</h2>", charts.dose_error_bars(report),
        "<h2>Latency per case</h2>", charts.latency_bars(report),
        "<h2>Cases</h2>", _html_table(CASE_HEADER, _case_rows(report)),
        "<h2>What went wrong, per case</h2>", f"<ul>{problems or '<li>Nothing.</li>'}</ul>",
    ]
    if report.get("audio"):
        sections += ["<h2>Audio: word error rate per case</h2>", charts.wer_bars(report["audio"])]
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>Sidekick evaluation</title>"
        f"<style>{_CSS}</style></head><body>{''.join(sections)}</body></html>\n"
    )


def write_reports(report: dict[str, Any], out_dir: Path) -> list[Path]:
    """Write report.json, report.md and report.html under ``out_dir`` (created if needed)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files = {
        "report.json": json.dumps(report, indent=2, ensure_ascii=False) + "\n",
        "report.md": render_markdown(report),
        "report.html": render_html(report),
    }
    paths = []
    for name, text in files.items():
        path = out_dir / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def load_report(path: Path) -> dict[str, Any]:
    """A report.json from a run folder (or the file itself); InputError when unusable."""
    path = Path(path)
    file = path / "report.json" if path.is_dir() else path
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError(
            f"{file}: no report here; pass a folder written by python -m eval"
        ) from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{file}: not a readable report.json ({type(exc).__name__})") from exc
    if not isinstance(data, dict) or "per_case" not in data:
        raise InputError(
            f"{file}: per_case: missing; this is not a report written by python -m eval"
        )
    return data
