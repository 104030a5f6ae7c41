"""The units arithmetic in words, for the clinician (``sidekick units``, ``sidekick check``)."""

from __future__ import annotations

from collections.abc import Mapping

from sidekick.billing.tables import BillingConfig, PayerRule
from sidekick.models import BillingLine

BLOCK = 15


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def bill_text(units: Mapping[str, int]) -> str:
    """``97110 x2, 97140 x1``."""
    return ", ".join(f"{code} x{n}" for code, n in units.items())


def sum_text(minutes: Mapping[str, int]) -> str:
    """``33 + 7 = 40`` (just ``40`` for one code)."""
    total = sum(minutes.values())
    if len(minutes) <= 1:
        return str(total)
    return " + ".join(str(m) for m in minutes.values()) + f" = {total}"


def _cms_lines(minutes: Mapping[str, int], timed: Mapping[str, int]) -> list[str]:
    total = sum(minutes.values())
    n = sum(timed.values())
    out = ["Total timed minutes: " + " + ".join(f"{c} {m}" for c, m in minutes.items())
           + (f" = {total}" if len(minutes) > 1 else "")]
    if total < 8:
        out.append(f"{total} timed minutes is under 8: no timed unit can be billed")
        return out
    out.append(f"{total} timed minutes = {_plural(n, 'unit')} under the 8-minute rule "
               f"(floor(({total} + 7) / 15); 8-22 min = 1, 23-37 = 2, 38-52 = 3, ...)")
    full = {c: m // BLOCK for c, m in minutes.items()}
    parts = [f"{c} {full[c]} ({m % BLOCK} min left over)" for c, m in minutes.items()]
    out.append(f"Whole 15-minute units: {', '.join(parts)} = {sum(full.values())}")
    left = n - sum(full.values())
    if left:
        got = [c for c in minutes if timed[c] > full[c]]
        missed = [c for c in minutes if timed[c] == full[c] and minutes[c] % BLOCK]
        why = "the code(s) with the most minutes left over"
        detail = ", ".join(f"{c} ({minutes[c] % BLOCK} min)" for c in got)
        if missed:
            detail += " over " + ", ".join(f"{c} ({minutes[c] % BLOCK} min)" for c in missed)
            tie = {minutes[c] % BLOCK for c in got} & {minutes[c] % BLOCK for c in missed}
            if tie:
                why += "; equal leftovers are the clinician's choice"
        out.append(f"{_plural(left, 'unit')} left to give: to {why}: {detail}")
    return out


def _per_code_lines(minutes: Mapping[str, int], timed: Mapping[str, int]) -> list[str]:
    out = []
    for code, m in minutes.items():
        note = " (under 8 minutes)" if m < 8 else ""
        out.append(f"{code}: {m} min = {_plural(timed[code], 'unit')}{note}")
    out.append("Leftover minutes are not pooled across codes under the per-code rule")
    return out


def explain(
    minutes: Mapping[str, int],
    timed: Mapping[str, int],
    payer_key: str,
    payer: PayerRule,
    lines: list[BillingLine],
    config: BillingConfig,
) -> list[str]:
    """Explanation lines: the rule, the total, the blocks, who got the leftover unit and why."""
    if payer.method == "cms":
        out = [f"Payer {payer_key}: CMS 8-minute rule on the total of timed minutes"]
        if minutes:
            out += _cms_lines(minutes, timed)
    else:
        out = [f"Payer {payer_key}: per-code 8-minute rule (each code on its own minutes)"]
        out += _per_code_lines(minutes, timed) if minutes else []
    missing = sorted({ln.cpt for ln in lines if config.is_timed(ln.cpt) and ln.minutes is None})
    for code in missing:
        out.append(f"{code}: no minutes documented, counted as 0")
    untimed = [c for c in dict.fromkeys(ln.cpt for ln in lines) if not config.is_timed(c)]
    for code in untimed:
        note = config.codes[code].note
        out.append(f"{code}: untimed (service-based) = 1 unit" + (f"; {note}" if note else ""))
    if timed:
        out.append(f"Units: {bill_text(timed)} (total {sum(timed.values())} timed)")
    return out
