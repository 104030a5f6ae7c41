"""GR-*: grounding (rule-catalog.md). Does the note say only what the session shows?

Both rules need the session transcript and run only when there is one. They compare the note's
facts with the transcript's facts and, because an extractor can miss or misname, with the raw
transcript text as well: an exercise the lexicon finds in a sentence about today's work, or a
number said near the exercise, supports the note. What the transcript says only about a later
visit or the home program ("next visit we'll add lateral step-downs") does not support a note
that lists it as performed. Clinical labels the therapist supplies (a manual-therapy grade, the
name of a questionnaire) are out of scope: only exercises, dose numbers and measured values are
checked.
"""

from __future__ import annotations

from collections.abc import Iterator

from sidekick.facts.measures import scan_numbers, split_sentences
from sidekick.facts.notes import exercise_lines
from sidekick.facts.support import (
    PAIN_TALK,
    content_words,
    dose_text,
    entries_in,
    entry_name,
    exercise_lexicon,
    fmt_value,
    load_key,
    numbers_in,
    said_measure,
    same_value,
    similarity,
    text_near,
    unsupported_exercises,
    value_said,
)
from sidekick.models import Evidence, Exercise, Finding, Measure, SoapFacts, SoapNote, Transcript
from sidekick.textmatch import normalise, same_exercise
from sidekick.validators import rule
from sidekick.validators.base import Rule, RuleContext


@rule
class Unsupported(Rule):
    """GR-UNSUPPORTED fires when the note states an exercise, a dose number (sets, reps, hold,
    load) or a measured value that the transcript does not support. Clinical labels the
    therapist supplies (a manual-therapy grade, a questionnaire's name) are not in scope."""

    id = "GR-UNSUPPORTED"
    severity = "block"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        note, transcript = ctx.note, ctx.transcript
        if note is None or transcript is None or not transcript.turns:
            return
        facts = ctx.transcript_facts or SoapFacts()
        lex = exercise_lexicon()
        for ex, why in unsupported_exercises(note, facts, transcript, lex):
            claim = (ex.span.text if ex.span else ex.name).strip().rstrip(".")
            yield self.finding(
                f"The note states '{claim}', but {why}.",
                evidence=[
                    Evidence(where="note", text=claim, location="note:Objective"),
                    Evidence(where="transcript", text=None, location="transcript"),
                ],
                fix="Remove it from the note or correct it to what was done in the session.",
            )
        text = transcript.text().lower()
        numbers = {n.value for t in transcript.turns for n in scan_numbers(t.text)}
        for m in note.measures:
            said = said_measure(m, facts)
            if said is not None and same_value(said.value, m.value):
                continue
            near = text_near(transcript, said) if said is not None else None
            if not value_said(m.value, near or text, numbers_in(near) if near else numbers):
                yield self._measure_finding(m, facts)
        yield from self._pain_findings(note, facts, transcript)

    def _pain_findings(
        self, note: SoapNote, facts: SoapFacts, transcript: Transcript
    ) -> Iterator[Finding]:
        spoken = {
            n.value
            for t in transcript.turns
            if t.speaker == "patient" or PAIN_TALK.search(t.text)
            for n in scan_numbers(t.text)
        }
        for when, value, said in (
            ("before", note.pain.before, facts.pain.before),
            ("after", note.pain.after, facts.pain.after),
        ):
            if value is None or said is None or value == said or value in spoken:
                continue
            yield self.finding(
                f"The note states pain {value:g}/10 {when} the session, but the transcript has "
                f"{said:g}/10.",
                evidence=Evidence(where="note", text=f"{value:g}/10", location="note:Subjective"),
                fix="Correct the pain score to what the patient reported.",
            )

    def _measure_finding(self, m: Measure, facts: SoapFacts) -> Finding:
        claim = (m.span.text if m.span else f"{m.name} {fmt_value(m.value)}").strip().rstrip(".")
        same = [f for f in facts.measures if same_exercise(f.name, m.name, 70) and f.side == m.side]
        instead = (
            f"the transcript has {fmt_value(same[0].value)}{same[0].unit or ''}"
            if same
            else "the transcript has no such value"
        )
        return self.finding(
            f"The note states '{claim}' ({m.name} {fmt_value(m.value)}{m.unit or ''}), "
            f"but {instead}.",
            evidence=Evidence(where="note", text=claim, location="note:Objective"),
            fix="Correct the value to the one measured in the session, or remove it.",
        )


def _in_note(
    ex: Exercise,
    note: SoapNote,
    listed: str,
    note_entries: set[str],
    lex,  # noqa: ANN001
) -> bool:
    entry = entry_name(lex, ex.name)
    if entry is None:
        return True  # an unnamed activity: not judged
    if entry in note_entries:
        return True
    words = content_words(ex.name)
    if len(words) >= 2 and any(words <= content_words(s) for _, s in split_sentences(listed)):
        return True
    for n in note.exercises:
        if similarity(n.name, ex.name, lex) >= 80 or entry == entry_name(lex, n.name):
            return True
        same_dose = (n.sets, n.reps, n.hold_s) == (ex.sets, ex.reps, ex.hold_s)
        shared = content_words(n.name) & content_words(ex.name)
        if same_dose and (shared or (n.load and ex.load and load_key(n.load) == load_key(ex.load))):
            return True
    return False


def _measure_in_note(m: Measure, note_text: str, numbers: set[float]) -> bool:
    return (
        value_said(m.value, note_text, numbers)
        if not isinstance(m.value, str)
        else (_grade_in_note(str(m.value), m.name, note_text))
    )


def _grade_in_note(value: str, name: str, text: str) -> bool:
    if value in ("positive", "negative"):
        key = normalise(name).split()[0]
        return key in normalise(text)
    return value.lower() in text


@rule
class Omitted(Rule):
    """GR-OMITTED fires when an exercise or a measurement clearly performed in the transcript
    is missing from the note."""

    id = "GR-OMITTED"
    severity = "warn"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        note, facts = ctx.note, ctx.transcript_facts
        if note is None or facts is None or ctx.transcript is None:
            return
        lex = exercise_lexicon()
        text = note.text()
        listed = exercise_lines(note.objective) if note.objective.strip() else text
        entries = entries_in(lex, listed)
        numbers = {n.value for n in scan_numbers(text)}
        missing = [
            f"{ex.name} ({dose_text(ex)})"
            for ex in facts.exercises
            if not _in_note(ex, note, listed, entries, lex)
        ]
        missing += [
            f"{m.name}{' ' + m.side if m.side else ''} {fmt_value(m.value)}{m.unit or ''}"
            for m in facts.measures
            if not _measure_in_note(m, text.lower(), numbers)
            and not any(said_measure(n, SoapFacts(measures=[m])) for n in note.measures)
        ]
        if not missing:
            return
        yield self.finding(
            f"Performed in the session but missing from the note: {'; '.join(missing)}.",
            evidence=Evidence(where="transcript", text="; ".join(missing), location="transcript"),
            fix="Add what was done and measured today to the Objective, with its dose or value.",
        )
