"""Billing lines as evidence: where a line is and what it says, for findings."""

from __future__ import annotations

from sidekick.models import BillingLine, Evidence


def line_label(line: BillingLine) -> str:
    """``97110 33 min x2 GP`` (what the clinician entered)."""
    minutes = f"{line.minutes} min" if line.minutes is not None else "no minutes"
    units = f"x{line.units}" if line.units is not None else "no units"
    mods = " ".join(line.modifiers)
    return f"{line.cpt} {minutes} {units}" + (f" {mods}" if mods else "")


def line_evidence(index: int, line: BillingLine) -> Evidence:
    """Evidence pointing at one billing line: ``billing[1] 97140``."""
    return Evidence(where="billing", location=f"billing[{index}] {line.cpt}", text=line_label(line))


def join_codes(codes: list[str]) -> str:
    """``97110``, ``97110 and 97140``, ``97110, 97112 and 97140``."""
    if len(codes) <= 1:
        return "".join(codes)
    return ", ".join(codes[:-1]) + f" and {codes[-1]}"
