"""TU-*: time and units (rule-catalog.md), checked against the payer's 8-minute rule.

Units come from ``sidekick.billing`` (CMS total-time rule or per-code rule, by payer). Lines
of the same code are pooled. A timed line without minutes is TU-MISSING-TIME's business;
TU-UNITS then stays silent, because the allowed units cannot be known.

TU-TOTALS judges a note only (a visit without a note has nothing to judge). It reads the
note's structured totals when set, and also scans the note text itself for "total timed
minutes 40", "Total treatment time: 45 min", "timed 38 min / total 45 min" and the like. A
drafted (structured) note takes its totals from the billing, so while a timed line lacks its
minutes TU-TOTALS leaves it to TU-MISSING-TIME (one cause, one finding, one fix); a note
written elsewhere is always judged on its own text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from sidekick.billing import (
    BillingConfig,
    bill_text,
    billed_units,
    builtin_config,
    check_cms_allocation,
    compute_units,
    pooled_minutes,
    sum_text,
)
from sidekick.billing.lines import join_codes, line_evidence
from sidekick.models import Evidence, Finding, UnitsResult
from sidekick.validators import rule
from sidekick.validators.base import Rule, RuleContext


def tables(ctx: RuleContext) -> BillingConfig:
    """The context's billing tables, or the built-in ones."""
    return ctx.billing_config if ctx.billing_config is not None else builtin_config()


def allowed_units(ctx: RuleContext) -> UnitsResult:
    """The context's units, or the engine's for its billing."""
    if ctx.units is not None:
        return ctx.units
    return compute_units(ctx.record.billing, ctx.record.visit, tables(ctx))


def _units_word(n: int) -> str:
    return f"{n} unit" + ("" if n == 1 else "s")


@rule
class TimedCodeWithoutMinutes(Rule):
    """TU-MISSING-TIME fires when a timed code is billed without its minutes."""

    id = "TU-MISSING-TIME"
    severity = "block"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        config = tables(ctx)
        for i, line in enumerate(ctx.record.billing):
            if line.minutes is None and config.is_timed(line.cpt):
                what = config.codes[line.cpt].description
                yield self.finding(
                    f"{line.cpt} ({what}) is a timed code but no minutes are documented for it, "
                    "so its units cannot be checked against the 8-minute rule.",
                    evidence=line_evidence(i, line),
                    fix=f"Enter the minutes spent on {line.cpt} this session, or remove the line.",
                )


@rule
class TimedUnitsMatchMinutes(Rule):
    """TU-UNITS fires when billed timed units differ from what the payer's 8-minute rule allows.

    CMS payers: the total of timed minutes fixes the units, shared by whole blocks then by the
    largest leftovers; any sharing that meets billing-rules.md §2b is accepted (ties are the
    clinician's). Per-code payers: each code on its own minutes.
    """

    id = "TU-UNITS"
    severity = "block"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        config = tables(ctx)
        lines = ctx.record.billing
        timed = [(i, ln) for i, ln in enumerate(lines) if config.is_timed(ln.cpt)]
        if not timed or any(ln.minutes is None for _, ln in timed):
            return
        units = allowed_units(ctx)
        minutes = pooled_minutes(lines, config)
        billed = {code: n for code, n in billed_units(lines).items() if code in minutes}
        allowed = {code: units.units[code] for code in minutes}
        if units.method == "cms":
            message = self._cms_message(minutes, billed)
        else:
            message = self._per_code_message(minutes, billed, allowed, units.payer)
        if message is None:
            return
        bill = f"Bill {bill_text(allowed)}."
        yield self.finding(
            f"{message} {bill}",
            evidence=[line_evidence(i, ln) for i, ln in timed],
            fix=f"Change the units to {bill_text(allowed)}"
            + (" (a code with 0 units stays documented but is not billed)."
               if 0 in allowed.values() else "."),
        )

    @staticmethod
    def _cms_message(minutes: dict[str, int], billed: dict[str, int]) -> str | None:
        check = check_cms_allocation(minutes, billed)
        if check.ok:
            return None
        head = (f"{sum_text(minutes)} timed minutes = {_units_word(check.total_allowed)} "
                "under the 8-minute rule")
        if check.total_billed != check.total_allowed:
            return f"{head}; you billed {check.total_billed}."
        return f"{head} and you billed {check.total_billed}, but " + "; ".join(check.problems) + "."

    @staticmethod
    def _per_code_message(
        minutes: dict[str, int], billed: dict[str, int], allowed: dict[str, int], payer: str
    ) -> str | None:
        wrong = [code for code in minutes if billed.get(code, 0) != allowed[code]]
        if not wrong:
            return None
        parts = [
            f"{code} {minutes[code]} min = {_units_word(allowed[code])}, you billed "
            f"{billed.get(code, 0)}"
            for code in wrong
        ]
        return (f"Under the per-code 8-minute rule ({payer}) each code counts only its own "
                f"minutes: {'; '.join(parts)}.")


_TIMED = re.compile(
    r"\btimed(?:[\s-]+code)?(?:[\s-]+(?:treatment|therapy|tx))?"
    r"(?:\s+(?:minutes|mins?|time))?\s*(?:[:=(]|was|of|is|-)?\s*\d{1,3}\b"
    r"|\b\d{1,3}\s*(?:minutes|mins?)\.?\s+(?:of\s+)?timed\b"
    r"|\b\d{1,3}\s+timed(?:[\s-]+code)?\s+(?:minutes|mins?)\b"
    r"|\(\s*\d{1,3}\s*(?:min\w*\s+)?timed\s*\)|\bttm\s*[:=]?\s*\d{1,3}\b",  # "(33 timed)"
    re.IGNORECASE,
)
_TOTAL = re.compile(
    r"\btotal(?!\s+timed)(?:\s+(?:treatment|tx|session|visit|therapy))?"
    r"(?:\s+(?:time|minutes|mins?))\s*(?:[:=(]|was|of|is|-)?\s*\d{1,3}\b"
    r"|\btotal(?!\s+timed)(?:\s+(?:treatment|tx|session|visit|therapy))?\s*(?:[:=(]|was|of|is|-)?"
    r"\s*\d{1,3}\s*(?:minutes|mins?)\b"
    r"|\btreatment\s+(?:time|minutes)\s*(?:[:=(]|was|of|is|-)?\s*\d{1,3}\b"
    r"|\b\d{1,3}\s*(?:minutes|mins?)\s+(?:in\s+)?total\b(?!\s+timed)"
    r"|\b\d{1,3}\s+total\s+(?:treatment\s+|session\s+)?(?:minutes|mins?)\b"
    r"|\bttt\s*[:=]?\s*\d{1,3}\b",  # "TTT 45": total treatment time
    re.IGNORECASE,
)


def note_totals(text: str) -> tuple[bool, bool]:
    """Whether a note's text states (total timed minutes, total treatment minutes)."""
    return bool(_TIMED.search(text)), bool(_TOTAL.search(text))


@rule
class NoteStatesTotals(Rule):
    """TU-TOTALS fires when the note does not state both total timed-code minutes and total
    treatment minutes (Medicare requires both). Only a note is judged; no note, no finding."""

    id = "TU-TOTALS"
    severity = "warn"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        note = ctx.note
        if note is None:
            return
        config = tables(ctx)
        key = config.payer_key(ctx.record.visit.payer)
        if key is not None and not config.payers[key].requires_totals:
            return
        if note.structured and any(
            ln.minutes is None and config.is_timed(ln.cpt) for ln in ctx.record.billing
        ):
            return  # a drafted note takes its totals from billing: TU-MISSING-TIME says what to add
        text = note.text()
        if not note.structured and ctx.record.note:
            text += "\n" + ctx.record.note
        timed_said, total_said = note_totals(text)
        has_timed = note.total_timed_minutes is not None or timed_said
        has_total = note.total_treatment_minutes is not None or total_said
        if has_timed and has_total:
            return
        missing = [name for name, ok in (("total timed-code minutes", has_timed),
                                         ("total treatment minutes", has_total)) if not ok]
        timed = sum(pooled_minutes(ctx.record.billing, config).values())
        total = sum(ln.minutes or 0 for ln in ctx.record.billing)
        yield self.finding(
            f"The note does not state the {' or the '.join(missing)}; Medicare requires both "
            "(timed-code minutes, and all treatment minutes, timed and untimed).",
            evidence=Evidence(where="note", location="note", text=None),
            fix=f"Add a line such as 'Total timed minutes {timed}; total treatment minutes "
            f"{total}.' (use the real times from the session).",
        )


@rule
class MinutesWithinSession(Rule):
    """TU-EXCEEDS-SESSION fires when the documented minutes (all billed lines, timed and
    untimed, or the note's stated totals) exceed the session's length."""

    id = "TU-EXCEEDS-SESSION"
    severity = "block"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        session = ctx.record.visit.session_minutes
        where = "visit.session_minutes"
        if session is None and ctx.transcript is not None and ctx.transcript.duration_s:
            session = int(ctx.transcript.duration_s // 60 + (ctx.transcript.duration_s % 60 > 0))
            where = "transcript duration"
        if session is None:
            return
        lines = [(i, ln) for i, ln in enumerate(ctx.record.billing) if ln.minutes]
        billed = {f"{ln.cpt}#{i}": ln.minutes or 0 for i, ln in lines}
        documented = sum(billed.values())
        stated = max((v for v in (getattr(ctx.note, "total_treatment_minutes", None),
                                  getattr(ctx.note, "total_timed_minutes", None)) if v), default=0)
        if max(documented, stated) <= session:
            return
        if documented > session:
            message = (f"The billed minutes add up to {sum_text(billed)} min, more than the "
                       f"{session}-minute session ({where}).")
            evidence = [line_evidence(i, ln) for i, ln in lines]
        else:
            message = (f"The note states {stated} treatment minutes, more than the "
                       f"{session}-minute session ({where}).")
            evidence = [Evidence(where="note", location="note", text=f"{stated} minutes")]
        yield self.finding(
            message,
            evidence=evidence,
            fix=f"Correct the minutes to what was done: together they cannot exceed {session} "
            "(or correct the session length if it was entered wrong).",
        )


@rule
class UntimedCodeOneUnit(Rule):
    """TU-UNTIMED-UNITS fires when an untimed (service-based) code such as an evaluation or
    97150 is billed with more than 1 unit."""

    id = "TU-UNTIMED-UNITS"
    severity = "block"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        config = tables(ctx)
        for i, line in enumerate(ctx.record.billing):
            info = config.codes.get(line.cpt)
            if info is None or info.timed or (line.units or 0) <= 1:
                continue
            yield self.finding(
                f"{line.cpt} ({info.description}) is untimed: it is billed once per session "
                f"(1 unit) whatever its minutes; you billed {line.units}.",
                evidence=line_evidence(i, line),
                fix=f"Bill {line.cpt} x1.",
            )


__all__ = ["allowed_units", "join_codes", "note_totals", "tables"]
