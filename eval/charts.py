"""Inline SVG bar charts for report.html: per-rule precision/recall, dose errors, latency, WER.

Hand-drawn SVG keeps the report one self-contained file with no network assets and no
plotting backend to configure; the charts are simple horizontal bars with labels.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

COLOURS = ("#3b76c4", "#e08a2c", "#4aa564")
ROW_H = 16
LABEL_W = 190
BAR_W = 420


def bars(
    title: str,
    rows: Sequence[tuple[str, Sequence[float | None]]],
    series: Sequence[str],
    *,
    maximum: float | None = None,
    number: str = "{:.2f}",
) -> str:
    """Horizontal grouped bars: one group per row, one bar per series; None draws no bar."""
    if not rows:
        return f"<p><em>{html.escape(title)}: nothing to show.</em></p>"
    values = [v for _, vs in rows for v in vs if v is not None]
    top = maximum or max(values, default=0.0) or 1.0
    group_h = ROW_H * len(series) + 6
    height = 40 + group_h * len(rows)
    width = LABEL_W + BAR_W + 70
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="{html.escape(title)}">',
        f'<text x="0" y="14" font-size="13" font-weight="bold">{html.escape(title)}</text>',
    ]
    for k, name in enumerate(series):
        x = LABEL_W + k * 110
        out.append(f'<rect x="{x}" y="22" width="10" height="10" fill="{COLOURS[k % 3]}"/>')
        out.append(f'<text x="{x + 14}" y="31" font-size="11">{html.escape(name)}</text>')
    for i, (label, vs) in enumerate(rows):
        y0 = 40 + i * group_h
        out.append(
            f'<text x="{LABEL_W - 6}" y="{y0 + group_h / 2 + 3}" font-size="11" '
            f'text-anchor="end">{html.escape(label)}</text>'
        )
        for k, v in enumerate(vs):
            if v is None:
                continue
            w = max(0.0, min(1.0, v / top)) * BAR_W
            y = y0 + k * ROW_H
            out.append(
                f'<rect x="{LABEL_W}" y="{y}" width="{w:.1f}" height="{ROW_H - 3}" '
                f'fill="{COLOURS[k % 3]}"/>'
            )
            out.append(
                f'<text x="{LABEL_W + w + 4:.1f}" y="{y + ROW_H - 5}" font-size="10">'
                f"{number.format(v)}</text>"
            )
    out.append("</svg>")
    return "".join(out)


def rule_bars(report: dict[str, Any]) -> str:
    per_rule = report.get("findings", {}).get("per_rule", {})
    rows = [(r, (v.get("precision"), v.get("recall"))) for r, v in per_rule.items()]
    return bars("Findings: precision and recall per rule", rows, ("precision", "recall"),
                maximum=1.0)


def dose_error_bars(report: dict[str, Any]) -> str:
    rows = [
        (c["id"], (float(c["exercises"]["matched"] - c["exercises"]["correct"]),
                   float(c["exercises"]["fn"])))
        for c in report.get("per_case", [])
    ]
    return bars("Exercises per case: wrong doses and missed exercises", rows,
                ("wrong dose", "missed"), number="{:.0f}")


def latency_bars(report: dict[str, Any]) -> str:
    rows = [(c["id"], (c["latency_s"],)) for c in report.get("per_case", [])]
    return bars("Latency per case (drafting + checking)", rows, ("seconds",), number="{:.2f} s")


def wer_bars(audio: dict[str, Any]) -> str:
    rows = [(c["id"], (c.get("wer"),)) for c in audio.get("per_case", [])]
    return bars("Word error rate per case", rows, ("WER",), maximum=1.0)
