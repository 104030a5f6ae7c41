"""CL-*: cloned documentation (a note copied from an earlier one, or a program that never moves).

Similarity is ``textmatch.note_similarity`` (``fuzz.ratio`` on normalised text, order- and
repetition-sensitive; the measurements behind that choice are in ``textmatch``'s notes
section and ``bench/bench_cloning.py --dev``). Thresholds come from ``ctx.options``:

- ``clone_threshold`` (CL-PRIOR, default 90): the dev clones score 98.4-99.0, every other
  pair of dev notes at most 63.5; 90 leaves room for a copied note with ten percent edited.
- ``section_threshold`` (CL-SECTION, default 95): "word for word" allows only punctuation
  and a few changed words; sections under ``MIN_SECTION_CHARS`` (a bare "Continue POC") are
  too short to call copied.
- ``cross_threshold`` (CL-CROSS, default 90): the same scorer against other patients' notes.
- ``static_visits`` (CL-STATIC, default 3): the current note and the N-1 before it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence

from sidekick.models import Evidence, Exercise, Finding, HistoricalNote, SoapNote
from sidekick.textmatch import (
    copied_passages,
    normalise,
    same_exercise,
    section_similarity,
    similar_notes,
)
from sidekick.validators import rule
from sidekick.validators.base import Rule, RuleContext

#: Sections shorter than this (normalised characters) are never reported as copied.
MIN_SECTION_CHARS = 60
#: How many copied passages a finding quotes, and how long each quote may be.
MAX_PASSAGES = 3
MAX_PASSAGE_CHARS = 240

#: A documented reason to keep the same program (skilled maintenance, Jimmo v. Sebelius).
_MAINTENANCE = re.compile(
    r"\b(maintenance|maintain(?:ing)? (?:current|function|strength|range|mobility|status)"
    r"|prevent(?:ing)? (?:decline|deterioration|regression|further)|jimmo"
    r"|slow(?:ing)? (?:decline|deterioration|progression))",
    re.I,
)


def _pct(score: float) -> str:
    """Rounded down to one decimal, so a note that is not identical never reads "100.0"."""
    return f"{math.floor(score * 10) / 10:.1f}"


def _label(h: HistoricalNote) -> str:
    return f"{h.note_id} ({h.date.isoformat()})" if h.date else h.note_id


def _quote(passage: str) -> str:
    flat = " ".join(passage.split())
    return flat if len(flat) <= MAX_PASSAGE_CHARS else flat[: MAX_PASSAGE_CHARS - 1] + "…"


def _passage_evidence(text: str, earlier: HistoricalNote, other_text: str) -> list[Evidence]:
    found = copied_passages(text, other_text)
    longest = sorted(range(len(found)), key=lambda i: -len(found[i]))[:MAX_PASSAGES]
    passages = [found[i] for i in sorted(longest)]  # the longest few, in note order
    where = f"{earlier.note_id} {earlier.date.isoformat() if earlier.date else ''}".strip()
    if not passages:
        return [Evidence(where="history", location=where, ref=earlier.note_id)]
    return [
        Evidence(where="history", text=_quote(p), location=where, ref=earlier.note_id)
        for p in passages
    ]


def best_match(
    text: str, notes: Sequence[HistoricalNote], threshold: float
) -> tuple[HistoricalNote, float, int] | None:
    """The most similar note at or above ``threshold``, its score and how many others were."""
    found = similar_notes(text, [h.note.text() for h in notes], threshold)
    if not found:
        return None
    index, score = found[0]
    return notes[index], score, len(found) - 1


@rule
class ClonedFromPrior(Rule):
    """CL-PRIOR: fires when the note is near-identical to one of the same patient's earlier
    notes (whole-note similarity at or above ``clone_threshold``)."""

    id = "CL-PRIOR"
    severity = "block"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if ctx.note is None or not ctx.history:
            return
        text = ctx.note.text()
        match = best_match(text, ctx.history, ctx.options.clone_threshold)
        if match is None:
            return
        earlier, score, others = match
        more = f" (and {others} other earlier note{'s' if others > 1 else ''})" if others else ""
        yield self.finding(
            f"note is {_pct(score)}% identical to the earlier note {_label(earlier)}{more} "
            f"(threshold {ctx.options.clone_threshold:.0f})",
            evidence=_passage_evidence(text, earlier, earlier.note.text()),
            fix="Rewrite the note from today's session: today's subjective report, measures, "
            "dose changes, the patient's response and the plan for this visit.",
        )


@rule
class CopiedSection(Rule):
    """CL-SECTION: fires when the Assessment or Plan section is copied word for word from an
    earlier note of the same patient (section similarity at or above ``section_threshold``)."""

    id = "CL-SECTION"
    severity = "warn"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if ctx.note is None or not ctx.history:
            return
        for name in ("Assessment", "Plan"):
            body = ctx.note.sections()[name]
            if len(normalise(body)) < MIN_SECTION_CHARS:
                continue
            best: tuple[HistoricalNote, float] | None = None
            for h in ctx.history:
                score = section_similarity(body, h.note.sections()[name])
                if score >= ctx.options.section_threshold and (best is None or score > best[1]):
                    best = (h, score)
            if best is None:
                continue
            earlier, score = best
            yield self.finding(
                f"{name} is copied ({_pct(score)}% identical) from the earlier note "
                f"{_label(earlier)}",
                evidence=_passage_evidence(body, earlier, earlier.note.sections()[name]),
                fix=f"Write today's {name}: the patient's response and progress this visit"
                + (" and what changes next." if name == "Plan" else "."),
            )


@rule
class ClonedAcrossPatients(Rule):
    """CL-CROSS: fires when the note is near-identical to another patient's note
    (whole-note similarity at or above ``cross_threshold``)."""

    id = "CL-CROSS"
    severity = "warn"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if ctx.note is None or not ctx.corpus:
            return
        others = [h for h in ctx.corpus if h.patient_id != ctx.record.patient.id]
        text = ctx.note.text()
        match = best_match(text, others, ctx.options.cross_threshold)
        if match is None:
            return
        earlier, score, more = match
        extra = f" (and {more} more)" if more else ""
        yield self.finding(
            f"note is {_pct(score)}% identical to the note {_label(earlier)} of another patient"
            f"{extra} (threshold {ctx.options.cross_threshold:.0f})",
            evidence=_passage_evidence(text, earlier, earlier.note.text()),
            fix="Document this patient's own session: their report, measures, doses and response.",
        )


# --------------------------------------------------------------------------- CL-STATIC


#: An exercise bout longer than this is not compared: it is usually a billed block's minutes
#: read as the exercise's duration ("Ther ex, 31 min: bike 5 min ...").
MAX_BOUT_S = 30 * 60
#: Share of the earlier note's exercises that must reappear for the program to count as the same.
MIN_COVERAGE = 0.6

#: Progression written into the note itself ("(progressed from yellow)", "(new)").
_PROGRESSION = re.compile(
    r"\bprogress(?:ed|ion)\s+(?:to|from)\b|\(progressed|\(new\)|\bnew exercise"
    r"|\bincreased\s+(?:to|from)\b|\badvanced\s+(?:to|from)\b",
    re.I,
)


def _norm_load(load: str | None) -> str | None:
    if not load:
        return None
    n = normalise(load).replace("theraband", "band").replace("resistance band", "band")
    return n or None


def _dose(ex: Exercise) -> dict[str, object]:
    bout = ex.duration_s if ex.duration_s is not None and ex.duration_s <= MAX_BOUT_S else None
    return {"sets": ex.sets, "reps": ex.reps, "hold_s": ex.hold_s, "load": _norm_load(ex.load),
            "duration_s": bout}


_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_COLOUR = re.compile(r"\b(yellow|red|green|blue|black|silver|gold|purple|orange|grey|gray)\b",
                     re.I)


def _written_dose(ex: Exercise) -> tuple[list[str], list[str]] | None:
    """The numbers and band colours written where the exercise was read (None: no span)."""
    if ex.span is None or not ex.span.text:
        return None
    text = ex.span.text
    return sorted(_NUMBER.findall(text)), sorted(c.lower() for c in _COLOUR.findall(text))


def _conflicts(a: Exercise, b: Exercise) -> bool:
    """True when a dose field both exercises state differs (a progression or regression).

    When both notes wrote the exercise with the same numbers and band colours, a difference
    in the fields read from them is a reading error, not a change of dose.
    """
    da, db = _dose(a), _dose(b)
    if not any(da[k] is not None and db[k] is not None and da[k] != db[k] for k in da):
        return False
    wa, wb = _written_dose(a), _written_dose(b)
    return wa is None or wa != wb


def _counterpart(ex: Exercise, others: Sequence[Exercise]) -> Exercise | None:
    """The same exercise in another note: by name, or by identical dose and a shared word."""
    for o in others:
        if same_exercise(o.name, ex.name):
            return o
    words = set(normalise(ex.name).split())
    dose = _dose(ex)
    for o in others:
        stated = sum(v is not None for v in dose.values())
        if stated >= 2 and _dose(o) == dose and words & set(normalise(o.name).split()):
            return o
    return None


def same_program(a: Sequence[Exercise], b: Sequence[Exercise]) -> bool:
    """True when ``a`` repeats ``b``: every exercise of ``a`` is in ``b`` with no dose changed,
    and most of ``b`` reappears in ``a``.

    Tolerant of how free text is read: a dose field only one note states is not a change,
    and an exercise named differently matches when its dose is identical.
    """
    if not a or not b:
        return False
    matched: list[int] = []
    for ex in a:
        other = _counterpart(ex, b)
        if other is None or _conflicts(ex, other):
            return False
        matched.append(id(other))
    return len(set(matched)) >= MIN_COVERAGE * len(b)


def _has_rationale(note: SoapNote) -> bool:
    return bool(_MAINTENANCE.search(f"{note.assessment}\n{note.plan}"))


@rule
class StaticProgram(Rule):
    """CL-STATIC: fires when the same exercises with the same parameters appear for
    ``static_visits`` visits in a row (this note included) with no progression and no reason
    given (a documented skilled-maintenance rationale is a reason, per Jimmo)."""

    id = "CL-STATIC"
    severity = "warn"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        n = ctx.options.static_visits
        note = ctx.note
        if note is None or len(note.exercises) < 2 or n < 2 or len(ctx.history) < n - 1:
            return
        earlier = ctx.history[-(n - 1):]
        if not all(same_program(note.exercises, h.note.exercises) for h in earlier):
            return
        if _has_rationale(note) or _PROGRESSION.search(f"{note.objective}\n{note.assessment}"):
            return
        names = ", ".join(ex.name for ex in note.exercises[:6])
        yield self.finding(
            f"the same {len(note.exercises)} exercises with the same doses for {n} visits in a "
            f"row (since {_label(earlier[0])}) with no progression and no maintenance rationale",
            evidence=[Evidence(where="note", text=names, location="note:Objective")]
            + [Evidence(where="history", location=_label(h), ref=h.note_id) for h in earlier],
            fix="Progress the program (load, sets, reps, difficulty) or document why it stays "
            "the same, e.g. a skilled-maintenance rationale.",
        )
