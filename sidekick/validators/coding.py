"""CD-*: coding and modifiers (rule-catalog.md).

Which payers need therapy modifiers, assistant modifiers and KX is payer-table data
(``sidekick/data/billing/payers.yaml``); thresholds and NCCI pairs are data too.

CD-KX reads ``visit.ytd_therapy_amount_usd`` as the amount incurred this year before this
visit, as the clinic's system reports it, and fires when it is above the threshold of the
date-of-service year (equal does not pass it). Today's charges are not estimated: a visit
that would cross the threshold today is not flagged (no fee schedule is applied).
"""

from __future__ import annotations

from collections.abc import Iterator

from sidekick.billing import ASSISTANT_MODIFIER, DISTINCT_MODIFIERS, THERAPY_MODIFIER
from sidekick.billing.lines import join_codes, line_evidence
from sidekick.models import BillingLine, Finding
from sidekick.validators import rule
from sidekick.validators.base import Rule, RuleContext
from sidekick.validators.time_units import allowed_units, tables

_THERAPY_MODS = frozenset(THERAPY_MODIFIER.values())


def _payer(ctx: RuleContext):  # -> PayerRule | None
    config = tables(ctx)
    key = config.payer_key(ctx.record.visit.payer)
    return config.payers[key] if key is not None else None


def _lines_without(ctx: RuleContext, modifier: str) -> list[tuple[int, BillingLine]]:
    return [(i, ln) for i, ln in enumerate(ctx.record.billing) if modifier not in ln.modifiers]


@rule
class TherapyModifier(Rule):
    """CD-THERAPY-MODIFIER fires when a Medicare therapy line lacks GP, GO or GN, or carries
    the wrong one for the discipline (GP for PT, GO for OT, GN for SLP)."""

    id = "CD-THERAPY-MODIFIER"
    severity = "block"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        payer = _payer(ctx)
        if payer is None or not payer.therapy_modifiers:
            return
        discipline = ctx.record.visit.discipline
        want = THERAPY_MODIFIER[discipline]
        for i, line in enumerate(ctx.record.billing):
            have = [m for m in line.modifiers if m in _THERAPY_MODS]
            if have == [want]:
                continue
            wrong = [m for m in have if m != want]
            if wrong:
                problem = f"carries {' and '.join(wrong)}, which is not the {discipline} modifier"
                fix = f"Replace {' and '.join(wrong)} with {want} on {line.cpt}."
            else:
                problem = "has no therapy modifier"
                fix = f"Add {want} to {line.cpt}."
            yield self.finding(
                f"{line.cpt} {problem}; Medicare needs {want} on every line under a "
                f"{discipline} plan of care.",
                evidence=line_evidence(i, line),
                fix=fix,
            )


@rule
class AssistantModifier(Rule):
    """CD-ASSISTANT fires when a service furnished in whole or in part by a PTA or OTA lacks
    CQ (PTA) or CO (OTA) (Medicare)."""

    id = "CD-ASSISTANT"
    severity = "block"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        payer = _payer(ctx)
        credential = ctx.record.visit.clinician.credential
        if payer is None or not payer.assistant_modifiers or credential not in ASSISTANT_MODIFIER:
            return
        want = ASSISTANT_MODIFIER[credential]
        missing = _lines_without(ctx, want)
        if not missing:
            return
        codes = join_codes([ln.cpt for _, ln in missing])
        yield self.finding(
            f"The visit was furnished by a {credential}, but {codes} "
            f"{'lacks' if len(missing) == 1 else 'lack'} {want}; Medicare needs {want} on "
            f"services a {credential} furnished in whole or in part (paid at 85%).",
            evidence=[line_evidence(i, ln) for i, ln in missing],
            fix=f"Add {want} to {codes}.",
        )


@rule
class KxModifier(Rule):
    """CD-KX fires when the patient's year-to-date therapy amount passes the KX threshold of
    the date-of-service year and a line has no KX."""

    id = "CD-KX"
    severity = "block"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        payer = _payer(ctx)
        visit = ctx.record.visit
        if payer is None or not payer.kx or visit.ytd_therapy_amount_usd is None:
            return
        found = tables(ctx).kx_threshold(visit.date)
        if found is None:
            return
        year, threshold = found
        ytd = visit.ytd_therapy_amount_usd
        if ytd <= threshold:
            return
        missing = _lines_without(ctx, "KX")
        if not missing:
            return
        codes = join_codes([ln.cpt for _, ln in missing])
        table_note = "" if year == visit.date.year else f" (the {year} figure, the latest known)"
        yield self.finding(
            f"Year-to-date therapy is ${ytd:,.2f}, above the ${threshold:,.0f} KX threshold for "
            f"{visit.date.year}{table_note}, but {codes} {'has' if len(missing) == 1 else 'have'}"
            " no KX; without it Medicare denies the line.",
            evidence=[line_evidence(i, ln) for i, ln in missing],
            fix=f"Add KX to {codes}, and make sure the note shows why continued therapy is "
            "medically necessary.",
        )


@rule
class NcciPairModifier(Rule):
    """CD-NCCI fires when an NCCI procedure-to-procedure pair is billed the same day without a
    distinct-service modifier (59, XE, XS, XP, XU) where the edit allows one (on the column-2
    code; on either line when the column order is not established), or at all when the edit
    allows none (modifier indicator 0)."""

    id = "CD-NCCI"
    severity = "block"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        config = tables(ctx)
        date = ctx.record.visit.date
        codes = list(dict.fromkeys(ln.cpt for ln in ctx.record.billing))
        for a_i, code_a in enumerate(codes):
            for code_b in codes[a_i + 1:]:
                edit = config.ncci_edit(code_a, code_b, date)
                if edit is not None:
                    yield from self._judge(ctx, edit)

    def _judge(self, ctx: RuleContext, edit) -> Iterator[Finding]:
        col1, col2 = edit.column_1, edit.column_2
        pair = [(i, ln) for i, ln in enumerate(ctx.record.billing) if ln.cpt in (col1, col2)]
        evidence = [line_evidence(i, ln) for i, ln in pair]
        if edit.modifier_indicator == "0":
            yield self.finding(
                f"{col1} and {col2} form an NCCI edit that no modifier can bypass: {col2} is "
                f"denied when billed with {col1} on the same day.",
                evidence=evidence,
                fix=f"Bill only one of {col1} and {col2} for this date.",
            )
            return

        def distinct(ln: BillingLine) -> bool:
            return bool(DISTINCT_MODIFIERS & set(ln.modifiers))

        if edit.order_known:
            if all(distinct(ln) for _, ln in pair if ln.cpt == col2):
                return
            where = f"on {col2} (the column-2 code)"
        else:
            if any(distinct(ln) for _, ln in pair):
                return
            where = f"on {col2} or {col1} (column order not established)"
        yield self.finding(
            f"{col1} and {col2} are an NCCI pair: billed the same day without a distinct-"
            f"service modifier, {col2} is denied.",
            evidence=evidence,
            fix=f"If they were done in separate time blocks and the note shows it, add 59 or the "
            f"matching X modifier (XU, XE, XS, XP) {where}; otherwise bill only one of them.",
        )


@rule
class DuplicateCode(Rule):
    """CD-DUPLICATE fires when the same code appears on more than one line of the visit."""

    id = "CD-DUPLICATE"
    severity = "warn"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        seen: dict[str, list[int]] = {}
        for i, line in enumerate(ctx.record.billing):
            seen.setdefault(line.cpt, []).append(i)
        dupes = {code: idx for code, idx in seen.items() if len(idx) > 1}
        if not dupes:
            return
        units = allowed_units(ctx).units
        lines = ctx.record.billing
        for code, idx in dupes.items():
            minutes = [lines[i].minutes or 0 for i in idx]
            yield self.finding(
                f"{code} is billed on {len(idx)} lines; one code goes on one line with all its "
                f"minutes ({' + '.join(map(str, minutes))} = {sum(minutes)} min).",
                evidence=[line_evidence(i, lines[i]) for i in idx],
                fix=f"Merge them into one line: {code}, {sum(minutes)} min, x{units.get(code, 0)}.",
            )
