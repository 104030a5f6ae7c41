"""What a session transcript supports: the comparisons behind the grounding rules (GR-*).

Exercises are matched by lexicon entry (two different entries never match, except cardio
machines of one family: a recumbent and a stationary bike), then by shared words; a dose number
is supported when the transcript's reading has it, or it is said in the exercise's own turn or
correction, or (when the reading has none) near the exercise. Mentions are split into sentences
about today's work and sentences about a later visit or the home program.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from sidekick.facts.measures import scan_numbers, split_sentences
from sidekick.facts.raw_support import raw_support
from sidekick.models import Exercise, Measure, SoapFacts, SoapNote, Transcript
from sidekick.textmatch import exercise_similarity, normalise

FUTURE = re.compile(
    r"\b(next (time|visit|week|session|appointment)|we'?ll (add|start|try|progress|begin)|"
    r"i'?d like to (add|start|try)|(want|plan|going) to (add|start|try)|not today|for home|"
    r"at home|home program|hep|homework|every (day|other day|morning|night)|daily|"
    r"(once|twice|\w+ times) (a|per) (day|week)|until we see|maybe next|eventually|someday|"
    r"later this|in a (week|few weeks|couple))\b",
    re.I,
)
STOP_WORDS = {
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


def exercise_lexicon():  # -> sidekick.facts.lexicon.Lexicon | None
    try:
        from sidekick.facts.lexicon import load_lexicon
    except ImportError:  # the exercise lexicon ships with issue 3 part A
        return None
    return load_lexicon()


def entry_name(lex, name: str) -> str | None:  # noqa: ANN001 - Lexicon is optional
    if lex is None:
        return None
    entry = lex.lookup(name) or lex.detect(name)
    return entry.name if entry else None


def entries_in(lex, text: str) -> set[str]:  # noqa: ANN001
    if lex is None:
        return set()
    from sidekick.facts.lexicon import words

    tokens = words(text)
    named = {h.entry.name for h in lex.names(tokens) if h.via == "name"}
    return named | {h.entry.name for h in lex.descriptions(tokens)}


@dataclass
class Mentions:
    """What the transcript shows: exercises named today, named only for later, every number."""

    performed: set[str] = field(default_factory=set)
    later: set[str] = field(default_factory=set)
    later_quotes: dict[str, str] = field(default_factory=dict)
    today_sentences: list[set[str]] = field(default_factory=list)
    numbers: set[float] = field(default_factory=set)
    text: str = ""


def read_mentions(transcript: Transcript, lex) -> Mentions:  # noqa: ANN001
    s = Mentions(text=transcript.text().lower())
    for turn in transcript.turns:
        for _, sentence in split_sentences(turn.text):
            found = entries_in(lex, sentence)
            if FUTURE.search(sentence):
                s.later |= found
                for name in found:
                    s.later_quotes.setdefault(name, sentence.strip())
            else:
                s.performed |= found
                s.today_sentences.append(content_words(sentence))
        s.numbers |= {n.value for n in scan_numbers(turn.text)}
    return s


def content_words(text: str) -> set[str]:
    words = re.findall(r"[a-z]+", normalise(text))
    return {w.rstrip("s") for w in words if w not in STOP_WORDS and len(w) > 2}


def window_numbers(transcript: Transcript, ex: Exercise) -> set[float]:
    turn = ex.span.turn if ex.span and ex.span.turn is not None else None
    turns = transcript.turns if turn is None else transcript.turns[max(0, turn - 1) : turn + 9]
    return {n.value for t in turns for n in scan_numbers(t.text)}


def window_text(transcript: Transcript, ex: Exercise) -> str:
    turn = ex.span.turn if ex.span and ex.span.turn is not None else None
    turns = transcript.turns if turn is None else transcript.turns[max(0, turn - 1) : turn + 9]
    return " ".join(t.text for t in turns).lower()


def similarity(a: str, b: str, lex) -> float:  # noqa: ANN001
    """Name similarity where two different lexicon exercises never match (a step-up is not a
    step-down, though they share a family)."""
    ea, eb = lexicon_entry(lex, a), lexicon_entry(lex, b)
    if ea and eb and ea.name != eb.name:
        cardio = ea.kind == eb.kind == "timed" and ea.family and ea.family == eb.family
        return exercise_similarity(a, b) if cardio else 0.0  # recumbent vs upright bike
    return exercise_similarity(a, b)


def lexicon_entry(lex, name: str):  # noqa: ANN001, ANN202 - LexiconEntry is optional
    return (lex.lookup(name) or lex.detect(name)) if lex is not None else None


def match_exercise(
    note_ex: Exercise,
    said: list[Exercise],
    lex,  # noqa: ANN001
) -> Exercise | None:
    """The transcript exercise the note's exercise is (best name match, else shared words)."""
    scored = [(similarity(note_ex.name, ex.name, lex), i) for i, ex in enumerate(said)]
    best = max(scored, default=(0.0, -1))
    if best[0] >= 80:
        return said[best[1]]
    words = content_words(note_ex.span.text if note_ex.span else note_ex.name) | content_words(
        note_ex.name
    )
    for ex in said:
        if len(words & content_words(ex.name)) >= 2:
            return ex
    return None


def dose_text(ex: Exercise) -> str:
    parts = []
    if ex.sets or ex.reps:
        parts.append(f"{ex.sets or '?'}x{ex.reps}" if ex.reps else f"{ex.sets} sets")
    if ex.hold_s:
        parts.append(f"{ex.hold_s:g} s hold")
    if ex.load:
        parts.append(ex.load)
    return ", ".join(parts) or "no dose"


def load_key(load: str) -> str:
    colour = re.search(
        r"red|yellow|green|blue|black|silver|gold|gr[ae]y|orange|purple|tan", load, re.I
    )
    if colour:
        return colour.group().lower()
    amount = re.search(r"\d+(\.\d+)?", load)
    return amount.group() if amount else normalise(load)


def dose_gaps(note_ex: Exercise, said: Exercise, transcript: Transcript) -> list[str]:
    """Dose numbers of the note the transcript does not support (near the exercise)."""
    near = window_numbers(transcript, said)
    own = own_numbers(transcript, said)
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
        heard = getattr(said, DOSE_FIELDS[label])
        if label == "minutes" and heard:
            heard = heard / 60
        if value == heard or (heard is None and value in near) or value in own:
            continue
        if heard is not None and heard in stated:
            continue  # the note's line says the transcript's number: a reading slip, not a claim
        gaps.append(f"{label} {value:g}")
    if note_ex.load and said.load != note_ex.load:
        key = load_key(note_ex.load)
        if _other_amount(key, said.load):
            gaps.append(f"load '{note_ex.load}'")  # "2 kg" where "one and a half kilos" was said
        elif key not in window_text(transcript, said) and key not in (said.load or "").lower():
            if not (key.replace(".", "").isdigit() and float(key) in near):
                gaps.append(f"load '{note_ex.load}'")
    return gaps


DOSE_FIELDS = {"sets": "sets", "reps": "reps", "hold": "hold_s", "minutes": "duration_s"}


def _other_amount(key: str, said_load: str | None) -> bool:
    """The note's load amount differs from the amount said for the same exercise."""
    said_key = load_key(said_load) if said_load else ""
    numeric = key.replace(".", "", 1).isdigit() and said_key.replace(".", "", 1).isdigit()
    return numeric and float(key) != float(said_key)


def own_numbers(transcript: Transcript, ex: Exercise) -> set[float]:
    """Numbers said in the exercise's own turn and in a correction right after it."""
    turn = ex.span.turn if ex.span and ex.span.turn is not None else None
    if turn is None:
        return set()
    out = {n.value for n in scan_numbers(transcript.turns[turn].text)}
    for t in transcript.turns[turn + 1 : turn + 4]:
        if t.speaker != "patient" and re.search(r"make that|let's do|switch|instead", t.text, re.I):
            out |= {n.value for n in scan_numbers(t.text)}
    return out


def dosed(ex: Exercise) -> bool:
    return bool(ex.sets or ex.reps or ex.hold_s or ex.duration_s)


def unsupported_exercises(
    note: SoapNote,
    facts: SoapFacts,
    transcript: Transcript,
    lex,  # noqa: ANN001
) -> Iterator[tuple[Exercise, str]]:
    session = read_mentions(transcript, lex)
    seen: set[str] = set()
    dosed_spans = {e.span.text for e in note.exercises if e.span and dosed(e)}
    for ex in note.exercises:
        if ex.name in seen or (not dosed(ex) and ex.span and ex.span.text in dosed_spans):
            continue  # named twice, or a word inside another exercise's line
        seen.add(ex.name)
        said = match_exercise(ex, facts.exercises, lex)
        if said is not None:
            gaps = dose_gaps(ex, said, transcript)
            if gaps:
                yield (
                    ex,
                    (
                        f"the transcript does not support {', '.join(gaps)}; it has "
                        f"{said.name} {dose_text(said)}"
                    ),
                )
            continue
        entry = entry_name(lex, ex.name)
        if entry is None or entry in session.performed:
            continue  # an activity the lexicon does not know, or named today: not judged
        words = content_words(ex.span.text if ex.span else ex.name) - {
            n for n in content_words(ex.name) if n.isdigit()
        }
        if any(
            len(words & sentence) >= max(2, -(-3 * len(words) // 4))
            for sentence in session.today_sentences
        ) or raw_support(ex, transcript):
            continue
        if entry in session.later:
            quote = session.later_quotes.get(entry, "")
            yield (
                ex,
                (
                    "the transcript mentions it only for a later visit or the home program"
                    + (f' ("{quote}")' if quote else "")
                ),
            )
        else:
            yield ex, "the transcript has nothing about it"


PAIN_TALK = re.compile(r"pain|zero to ten|out of ten|down to|up to|hurt", re.I)


def said_measure(m: Measure, facts: SoapFacts) -> Measure | None:
    """The transcript's measure of the same test and side, if the extractor found one."""
    best, score = None, 0.0
    for f in facts.measures:
        if f.side != m.side:
            continue
        s = fuzz.token_set_ratio(f.name, m.name, processor=normalise)
        if s > score:
            best, score = f, s
    return best if score >= 85 else None


def same_value(a: float | str, b: float | str) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(float(a) - float(b)) < 1e-6
    return str(a).strip().lower() == str(b).strip().lower()


def text_near(transcript: Transcript, m: Measure) -> str:
    turn = m.span.turn if m.span and m.span.turn is not None else None
    if turn is None:
        return ""
    return " ".join(t.text for t in transcript.turns[max(0, turn - 2) : turn + 3]).lower()


def fmt_value(value: float | str) -> str:
    return f"{value:g}" if isinstance(value, (int, float)) else str(value)


def numbers_in(text: str) -> set[float]:
    return {n.value for n in scan_numbers(text)}


def value_said(value: float | str, session_text: str, numbers: set[float]) -> bool:
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
