"""Units under the 8-minute rules, with the arithmetic a clinician can follow.

* CMS (Medicare and payers that follow it): the total of timed minutes fixes the number of
  units, ``N = floor((T + 7) / 15)`` for ``T >= 8`` (0 below). Each code first gets its whole
  15-minute blocks; the ``N - sum(full)`` units left go, one each, to the codes with the most
  minutes left over (MCPM ch. 5 §20.2; billing-rules.md §2b). Ties are the clinician's
  choice: the engine keeps the code the clinician billed the extra unit on, then the code
  with more minutes, then the lower code, so the result never depends on line order.
* Per code (AMA rule, many commercial payers): each code's own minutes, same table.

Lines with the same code are pooled (units are per code, not per line). A timed line without
minutes counts as 0 minutes (TU-MISSING-TIME reports it). Untimed codes are 1 unit when billed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sidekick.billing.explain import explain
from sidekick.billing.tables import BillingConfig, BillingFieldError, PayerRule
from sidekick.models import BillingLine, UnitsResult, Visit

BLOCK = 15


def units_for_minutes(minutes: int) -> int:
    """Units for one block of minutes under the 8-minute rule (0 below 8 minutes)."""
    return 0 if minutes < 8 else (minutes + 7) // BLOCK


def cms_total_units(total_minutes: int) -> int:
    """CMS: units allowed for the day's total timed minutes."""
    return units_for_minutes(total_minutes)


def allocate_cms(
    minutes: Mapping[str, int], prefer: Mapping[str, int] | None = None
) -> dict[str, int]:
    """Share the CMS total among timed codes: whole blocks first, leftovers by remainder.

    Args:
        minutes: timed minutes per code.
        prefer: units the clinician billed per code; breaks ties between equal remainders.

    Returns:
        Units per code (every code of ``minutes``, 0 included); they sum to the CMS total.
    """
    prefer = prefer or {}
    units = {code: m // BLOCK for code, m in minutes.items()}
    left = cms_total_units(sum(minutes.values())) - sum(units.values())
    candidates = sorted(
        (code for code, m in minutes.items() if m % BLOCK),
        key=lambda c: (
            -(minutes[c] % BLOCK),
            prefer.get(c, 0) <= units[c],
            -minutes[c],
            c,
        ),
    )
    for code in candidates[:left]:
        units[code] += 1
    return units


def allocate_per_code(minutes: Mapping[str, int]) -> dict[str, int]:
    """Per-code (AMA) rule: each code's units from its own minutes."""
    return {code: units_for_minutes(m) for code, m in minutes.items()}


@dataclass
class AllocationCheck:
    """Whether billed timed units are an allocation the CMS rule accepts, and why not."""

    total_allowed: int
    total_billed: int
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_cms_allocation(minutes: Mapping[str, int], billed: Mapping[str, int]) -> AllocationCheck:
    """Validator acceptance for CMS (billing-rules.md §2b): any allocation meeting it is correct.

    Billed units sum to N; each code has its whole blocks or one more; every code given the
    extra unit has at least as many minutes left over as every code that was not.
    """
    total = cms_total_units(sum(minutes.values()))
    got = {code: billed.get(code, 0) for code in minutes}
    check = AllocationCheck(total_allowed=total, total_billed=sum(got.values()))
    if check.total_billed != total:
        check.problems.append(f"{check.total_billed} units billed, {total} allowed")
    plus, rest = [], []
    for code, m in minutes.items():
        full, rem = divmod(m, BLOCK)
        if got[code] == full + 1 and rem:
            plus.append(rem)
        elif got[code] == full:
            rest.append(rem)
        else:
            check.problems.append(
                f"{code} has {m} min, which allows {full} unit(s)"
                + (f" or {full + 1}" if rem else "")
                + f", not {got[code]}"
            )
    if plus and rest and min(plus) < max(rest):
        left = {code: m % BLOCK for code, m in minutes.items()}
        by_left = left.__getitem__
        gave = min((c for c in minutes if got[c] > _whole_blocks(minutes[c])), key=by_left)
        skipped = max((c for c in minutes if got[c] == _whole_blocks(minutes[c])), key=by_left)
        check.problems.append(
            f"the leftover unit went to {gave} ({left[gave]} min left over) instead of "
            f"{skipped} ({left[skipped]} min left over)"
        )
    return check


def _whole_blocks(minutes: int) -> int:
    """Whole 15-minute blocks in ``minutes``."""
    return minutes // BLOCK


def pooled_minutes(lines: Iterable[BillingLine], config: BillingConfig) -> dict[str, int]:
    """Timed minutes per code (lines of the same code added; missing minutes count 0)."""
    out: dict[str, int] = {}
    for line in lines:
        if config.is_timed(line.cpt):
            out[line.cpt] = out.get(line.cpt, 0) + (line.minutes or 0)
    return out


def billed_units(lines: Iterable[BillingLine]) -> dict[str, int]:
    """Units billed per code (lines of the same code added; missing units count 0)."""
    out: dict[str, int] = {}
    for line in lines:
        out[line.cpt] = out.get(line.cpt, 0) + (line.units or 0)
    return out


def _validate_lines(lines: list[BillingLine], config: BillingConfig) -> None:
    for i, line in enumerate(lines):
        config.code(line.cpt, field=f"billing[{i}].cpt")
        if line.minutes is not None and line.minutes < 0:
            raise BillingFieldError(
                f"billing[{i}].minutes",
                f"{line.minutes} is negative; enter the minutes spent on {line.cpt} (0 or more)",
            )
        if line.units is not None and line.units < 0:
            raise BillingFieldError(
                f"billing[{i}].units",
                f"{line.units} is negative; enter the units billed for {line.cpt} (0 or more)",
            )


def compute_units(lines: Iterable[BillingLine], visit: Visit, config: BillingConfig) -> UnitsResult:
    """Units the payer's rule allows for the billed minutes, with the arithmetic.

    Args:
        lines: the visit's billing lines.
        visit: the visit (its payer picks the rule).
        config: the billing tables (``load_config``).

    Returns:
        Allowed units per code (timed and untimed) and the explanation lines.

    Raises:
        BillingFieldError: unknown code or payer, negative minutes or units (an InputError
            whose message is ``<field>: <problem>``; ``.at(file)`` adds the file).
    """
    lines = list(lines)
    payer_key, payer = config.payer(visit.payer)
    _validate_lines(lines, config)
    minutes = pooled_minutes(lines, config)
    billed = billed_units(lines)
    if payer.method == "cms":
        timed = allocate_cms(minutes, billed)
    else:
        timed = allocate_per_code(minutes)
    units: dict[str, int] = {}
    for line in lines:
        units[line.cpt] = timed[line.cpt] if line.cpt in timed else 1
    return UnitsResult(
        method=payer.method,
        payer=payer_key,
        total_timed_minutes=sum(minutes.values()),
        total_units=sum(timed.values()),
        units=units,
        explanation=explain(minutes, timed, payer_key, payer, lines, config),
    )


def payer_rule(visit: Visit, config: BillingConfig) -> PayerRule:
    return config.payer(visit.payer)[1]
