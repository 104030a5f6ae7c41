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

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from sidekick.facts.measures import scan_numbers, split_sentences
from sidekick.facts.notes import exercise_lines
from sidekick.models import Evidence, Exercise, Finding, Measure, SoapFacts, SoapNote, Transcript
from sidekick.textmatch import exercise_similarity, normalise, same_exercise
from sidekick.validators import rule
from sidekick.validators.base import Rule, RuleContext

_FUTURE = re.compile(
    r"\b(next (time|visit|week|session|appointment)|we'?ll (add|start|try|progress|begin)|"
    r"i'?d like to (add|start|try)|(want|plan|going) to (add|start|try)|not today|for home|"
    r"at home|home program|hep|homework|every (day|other day|morning|night)|daily|"
    r"(once|twice|\w+ times) (a|per) (day|week)|until we see|maybe next|eventually|someday|"
    r"later this|in a (week|few weeks|couple))\b",
    re.I,
)
_STOP = {
    "with",
    "the",
    "a",
    "an",
    "on",
    "of",
    "to",
    "at",
    "in",
    "and",
    "each",
    "side",
    "leg",
    "legs",
    "arm",
    "arms",
    "right",
    "left",
    "r",
    "l",
    "bilateral",
    "from",
    "for",
    "x",
    "sec",
    "min",
    "reps",
    "sets",
    "off",
    "into",
    "per",
    "progressed",
    "inch",
    "lb",
    "kg",
    "band",
    "exercise",
    "exercises",
    "hold",
    "set",
    "rep",
    "by",
    "using",
    "up",
    "down",
    "over",
}


def _lexicon():  # -> sidekick.facts.lexicon.Lexicon | None
    try:
        from sidekick.facts.lexicon import load_lexicon
    except ImportError:  # the exercise lexicon ships with issue 3 part A
        return None
    return load_lexicon()


def _entry_name(lex, name: str) -> str | None:  # noqa: ANN001 - Lexicon is optional
    if lex is None:
        return None
    entry = lex.lookup(name) or lex.detect(name)
    return entry.name if entry else None


def _entries_in(lex, text: str) -> set[str]:  # noqa: ANN001
    if lex is None:
        return set()
    from sidekick.facts.lexicon import words

    tokens = words(text)
    named = {h.entry.name for h in lex.names(tokens) if h.via == "name"}
    return named | {h.entry.name for h in lex.descriptions(tokens)}


@dataclass
class _Session:
    """What the transcript shows: exercises named today, named only for later, every number."""

    performed: set[str] = field(default_factory=set)
    later: set[str] = field(default_factory=set)
    later_quotes: dict[str, str] = field(default_factory=dict)
    today_sentences: list[set[str]] = field(default_factory=list)
    numbers: set[float] = field(default_factory=set)
    text: str = ""


def _read_session(transcript: Transcript, lex) -> _Session:  # noqa: ANN001
    s = _Session(text=transcript.text().lower())
    for turn in transcript.turns:
        for _, sentence in split_sentences(turn.text):
            found = _entries_in(lex, sentence)
            if _FUTURE.search(sentence):
                s.later |= found
                for name in found:
                    s.later_quotes.setdefault(name, sentence.strip())
            else:
                s.performed |= found
                s.today_sentences.append(_content(sentence))
        s.numbers |= {n.value for n in scan_numbers(turn.text)}
    return s


def _content(text: str) -> set[str]:
    words = re.findall(r"[a-z]+", normalise(text))
    return {w.rstrip("s") for w in words if w not in _STOP and len(w) > 2}


def _window_numbers(transcript: Transcript, ex: Exercise) -> set[float]:
    turn = ex.span.turn if ex.span and ex.span.turn is not None else None
    turns = transcript.turns if turn is None else transcript.turns[max(0, turn - 1) : turn + 9]
    return {n.value for t in turns for n in scan_numbers(t.text)}


def _window_text(transcript: Transcript, ex: Exercise) -> str:
    turn = ex.span.turn if ex.span and ex.span.turn is not None else None
    turns = transcript.turns if turn is None else transcript.turns[max(0, turn - 1) : turn + 9]
    return " ".join(t.text for t in turns).lower()


def _similarity(a: str, b: str, lex) -> float:  # noqa: ANN001
    """Name similarity where two different lexicon exercises never match (a step-up is not a
    step-down, though they share a family)."""
    ea, eb = _entry(lex, a), _entry(lex, b)
    if ea and eb and ea.name != eb.name:
        cardio = ea.kind == eb.kind == "timed" and ea.family and ea.family == eb.family
        return exercise_similarity(a, b) if cardio else 0.0  # recumbent vs upright bike
    return exercise_similarity(a, b)


def _entry(lex, name: str):  # noqa: ANN001, ANN202 - LexiconEntry is optional
    return (lex.lookup(name) or lex.detect(name)) if lex is not None else None


def _match(note_ex: Exercise, said: list[Exercise], lex) -> Exercise | None:  # noqa: ANN001
    """The transcript exercise the note's exercise is (best name match, else shared words)."""
    scored = [(_similarity(note_ex.name, ex.name, lex), i) for i, ex in enumerate(said)]
    best = max(scored, default=(0.0, -1))
    if best[0] >= 80:
        return said[best[1]]
    words = _content(note_ex.span.text if note_ex.span else note_ex.name) | _content(note_ex.name)
    for ex in said:
        if len(words & _content(ex.name)) >= 2:
            return ex
    return None


def _dose(ex: Exercise) -> str:
    parts = []
    if ex.sets or ex.reps:
        parts.append(f"{ex.sets or '?'}x{ex.reps}" if ex.reps else f"{ex.sets} sets")
    if ex.hold_s:
        parts.append(f"{ex.hold_s:g} s hold")
    if ex.load:
        parts.append(ex.load)
    return ", ".join(parts) or "no dose"


def _load_key(load: str) -> str:
    colour = re.search(
        r"red|yellow|green|blue|black|silver|gold|gr[ae]y|orange|purple|tan", load, re.I
    )
    if colour:
        return colour.group().lower()
    amount = re.search(r"\d+(\.\d+)?", load)
    return amount.group() if amount else normalise(load)


def _dose_gaps(note_ex: Exercise, said: Exercise, transcript: Transcript) -> list[str]:
    """Dose numbers of the note the transcript does not support (near the exercise)."""
    near = _window_numbers(transcript, said)
    own = _own_numbers(transcript, said)
    stated = {n.value for n in scan_numbers(note_ex.span.text)} if note_ex.span else set()
    gaps = []
    minutes = note_ex.duration_s / 60 if note_ex.duration_s else None
    fields = (
        ("sets", note_ex.sets),
        ("reps", note_ex.reps),
        ("hold", note_ex.hold_s),
        ("minutes", minutes),
    )
    for label, value in fields:
        if value is None:
            continue
        heard = getattr(said, _FIELD[label])
        if label == "minutes" and heard:
            heard = heard / 60
        if value == heard or (heard is None and value in near) or value in own:
            continue
        if heard is not None and heard in stated:
            continue  # the note's line says the transcript's number: a reading slip, not a claim
        gaps.append(f"{label} {value:g}")
    if note_ex.load and said.load != note_ex.load:
        key = _load_key(note_ex.load)
        if key not in _window_text(transcript, said) and key not in (said.load or "").lower():
            if not (key.replace(".", "").isdigit() and float(key) in near):
                gaps.append(f"load '{note_ex.load}'")
    return gaps


_FIELD = {"sets": "sets", "reps": "reps", "hold": "hold_s", "minutes": "duration_s"}


def _own_numbers(transcript: Transcript, ex: Exercise) -> set[float]:
    """Numbers said in the exercise's own turn and in a correction right after it."""
    turn = ex.span.turn if ex.span and ex.span.turn is not None else None
    if turn is None:
        return set()
    out = {n.value for n in scan_numbers(transcript.turns[turn].text)}
    for t in transcript.turns[turn + 1 : turn + 4]:
        if t.speaker != "patient" and re.search(r"make that|let's do|switch|instead", t.text, re.I):
            out |= {n.value for n in scan_numbers(t.text)}
    return out


def _dosed(ex: Exercise) -> bool:
    return bool(ex.sets or ex.reps or ex.hold_s or ex.duration_s)


def _unsupported_exercises(
    note: SoapNote,
    facts: SoapFacts,
    transcript: Transcript,
    lex,  # noqa: ANN001
) -> Iterator[tuple[Exercise, str]]:
    session = _read_session(transcript, lex)
    seen: set[str] = set()
    dosed_spans = {e.span.text for e in note.exercises if e.span and _dosed(e)}
    for ex in note.exercises:
        if ex.name in seen or (not _dosed(ex) and ex.span and ex.span.text in dosed_spans):
            continue  # named twice, or a word inside another exercise's line
        seen.add(ex.name)
        said = _match(ex, facts.exercises, lex)
        if said is not None:
            gaps = _dose_gaps(ex, said, transcript)
            if gaps:
                yield (
                    ex,
                    (
                        f"the transcript does not support {', '.join(gaps)}; it has "
                        f"{said.name} {_dose(said)}"
                    ),
                )
            continue
        entry = _entry_name(lex, ex.name)
        if entry is None or entry in session.performed:
            continue  # an activity the lexicon does not know, or named today: not judged
        words = _content(ex.span.text if ex.span else ex.name) - {
            n for n in _content(ex.name) if n.isdigit()
        }
        if any(
            len(words & sentence) >= max(2, -(-3 * len(words) // 4))
            for sentence in session.today_sentences
        ):
            continue
        if entry in session.later:
            said = session.later_quotes.get(entry, "")
            yield (
                ex,
                (
                    "the transcript mentions it only for a later visit or the home program"
                    + (f' ("{said}")' if said else "")
                ),
            )
        else:
            yield ex, "the transcript has nothing about it"


_PAIN_TALK = re.compile(r"pain|zero to ten|out of ten|down to|up to|hurt", re.I)


def _said_measure(m: Measure, facts: SoapFacts) -> Measure | None:
    """The transcript's measure of the same test and side, if the extractor found one."""
    best, score = None, 0.0
    for f in facts.measures:
        if f.side != m.side:
            continue
        s = fuzz.token_set_ratio(f.name, m.name, processor=normalise)
        if s > score:
            best, score = f, s
    return best if score >= 85 else None


def _same_value(a: float | str, b: float | str) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(float(a) - float(b)) < 1e-6
    return str(a).strip().lower() == str(b).strip().lower()


def _near(transcript: Transcript, m: Measure) -> str:
    turn = m.span.turn if m.span and m.span.turn is not None else None
    if turn is None:
        return ""
    return " ".join(t.text for t in transcript.turns[max(0, turn - 2) : turn + 3]).lower()


def _fmt(value: float | str) -> str:
    return f"{value:g}" if isinstance(value, (int, float)) else str(value)


def _numbers(text: str) -> set[float]:
    return {n.value for n in scan_numbers(text)}


def _value_said(value: float | str, session_text: str, numbers: set[float]) -> bool:
    if isinstance(value, (int, float)):
        return abs(value) in numbers or value in numbers
    text = str(value).lower()
    if text in ("positive", "negative"):
        return text in session_text
    if re.fullmatch(r"[0-5][+-]?", text):
        word = ["zero", "one", "two", "three", "four", "five"][int(text[0])]
        sign = {"+": r"\s*(plus|\+)", "-": r"\s*(minus|-)"}.get(text[1:], "")
        return bool(re.search(rf"\b({word}|{text[0]}){sign}", session_text))
    return text in session_text


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
        lex = _lexicon()
        for ex, why in _unsupported_exercises(note, facts, transcript, lex):
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
            said = _said_measure(m, facts)
            if said is not None and _same_value(said.value, m.value):
                continue
            near = _near(transcript, said) if said is not None else None
            if not _value_said(m.value, near or text, _numbers(near) if near else numbers):
                yield self._measure_finding(m, facts)
        yield from self._pain_findings(note, facts, transcript)

    def _pain_findings(
        self, note: SoapNote, facts: SoapFacts, transcript: Transcript
    ) -> Iterator[Finding]:
        spoken = {
            n.value
            for t in transcript.turns
            if t.speaker == "patient" or _PAIN_TALK.search(t.text)
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
        claim = (m.span.text if m.span else f"{m.name} {_fmt(m.value)}").strip().rstrip(".")
        same = [f for f in facts.measures if same_exercise(f.name, m.name, 70) and f.side == m.side]
        instead = (
            f"the transcript has {_fmt(same[0].value)}{same[0].unit or ''}"
            if same
            else "the transcript has no such value"
        )
        return self.finding(
            f"The note states '{claim}' ({m.name} {_fmt(m.value)}{m.unit or ''}), but {instead}.",
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
    entry = _entry_name(lex, ex.name)
    if entry is None:
        return True  # an unnamed activity: not judged
    if entry in note_entries:
        return True
    words = _content(ex.name)
    if len(words) >= 2 and any(words <= _content(s) for _, s in split_sentences(listed)):
        return True
    for n in note.exercises:
        if _similarity(n.name, ex.name, lex) >= 80 or entry == _entry_name(lex, n.name):
            return True
        same_dose = (n.sets, n.reps, n.hold_s) == (ex.sets, ex.reps, ex.hold_s)
        shared = _content(n.name) & _content(ex.name)
        if same_dose and (
            shared or (n.load and ex.load and _load_key(n.load) == _load_key(ex.load))
        ):
            return True
    return False


def _measure_in_note(m: Measure, note_text: str, numbers: set[float]) -> bool:
    return (
        _value_said(m.value, note_text, numbers)
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
        lex = _lexicon()
        text = note.text()
        listed = exercise_lines(note.objective) if note.objective.strip() else text
        entries = _entries_in(lex, listed)
        numbers = {n.value for n in scan_numbers(text)}
        missing = [
            f"{ex.name} ({_dose(ex)})"
            for ex in facts.exercises
            if not _in_note(ex, note, listed, entries, lex)
        ]
        missing += [
            f"{m.name}{' ' + m.side if m.side else ''} {_fmt(m.value)}{m.unit or ''}"
            for m in facts.measures
            if not _measure_in_note(m, text.lower(), numbers)
            and not any(_said_measure(n, SoapFacts(measures=[m])) for n in note.measures)
        ]
        if not missing:
            return
        yield self.finding(
            f"Performed in the session but missing from the note: {'; '.join(missing)}.",
            evidence=Evidence(where="transcript", text="; ".join(missing), location="transcript"),
            fix="Add what was done and measured today to the Objective, with its dose or value.",
        )
