"""Support for a note's exercise from the raw transcript text, when the extractor missed it.

The exercise reader can miss an exercise the therapist describes in plain words ("Heel to toe
in the bars, three times thirty seconds"). Grounding must not call such a note line unsupported,
so a line the transcript's facts do not cover is also looked for in the raw text: at least half
the words of its name (or a common spoken synonym) in one therapist sentence about today's
work, and every dose number it claims said in that turn or the next one. A sentence about a
later visit or the home program never supports a line.
"""

from __future__ import annotations

import re

from sidekick.facts.measures import scan_numbers, split_sentences
from sidekick.models import Exercise, Transcript, Turn
from sidekick.textmatch import normalise

#: Spoken words for the names written in notes (note word -> what a therapist says).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "inversion": ("turn in", "turning in", "roll in", "in against"),
    "eversion": ("turn out", "turning out", "roll out", "out against"),
    "tandem": ("heel to toe", "one foot in front", "heel-to-toe"),
    "stance": ("stand", "standing", "balance"),
    "opposition": ("touch the thumb", "thumb to each", "thumb to the", "making an o"),
    "transfer": ("into the car", "car", "get in", "sit, then swing", "swing both legs"),
    "ambulation": ("walk", "walking"),
    "gait": ("walk", "walking"),
    "shift": ("shift", "weight onto", "lean onto"),
    "extension": ("lean back", "arch back", "straighten", "extend"),
    "flexion": ("bend", "curl"),
    "abduction": ("out to the side", "lift out", "apart"),
    "adduction": ("squeeze together", "pull in"),
    "isometric": ("hold", "push against", "press against", "don't let"),
    "retraction": ("squeeze your shoulder blades", "pinch your shoulder blades", "chin back"),
    "protraction": ("reach forward", "punch"),
    "rotation": ("turn", "rotate"),
    "elevation": ("shrug", "lift"),
    "raise": ("lift", "up on your toes", "raise"),
    "lift": ("raise", "lift"),
    "swallow": ("swallow",),
    "excursion": ("slide", "side to side", "left and right"),
}
_STOP = {
    "with",
    "the",
    "and",
    "for",
    "each",
    "side",
    "from",
    "into",
    "onto",
    "over",
    "using",
    "exercise",
    "exercises",
    "sets",
    "set",
    "reps",
    "rep",
    "hold",
    "holds",
    "sec",
    "min",
    "right",
    "left",
    "bilateral",
    "leg",
    "legs",
    "arm",
    "arms",
    "practice",
    "training",
    "feedback",
    "cued",
    "cues",
    "cue",
    "mirror",
    "bars",
    "parallel",
    "simulator",
    "times",
}
FUTURE = re.compile(
    r"\b(next (time|visit|week|session|appointment)|we'?ll (add|start|try|progress|begin)|"
    r"i'?d like to (add|start|try)|(want|plan|going) to (add|start|try)|not today|for home|"
    r"at home|home program|hep|homework|(once|twice|\w+ times) (a|per) (day|week)|"
    r"maybe next|eventually|later this)\b",
    re.I,
)


def name_words(name: str) -> list[str]:
    """The words of an exercise name that identify it (no side, dose or setting words)."""
    words = re.findall(r"[a-z]+", normalise(name))
    return [w for w in dict.fromkeys(words) if len(w) > 2 and w not in _STOP]


def _stem(word: str) -> str:
    return re.sub(r"(ing|es|s|ed)$", "", word) if len(word) > 4 else word


def word_said(word: str, text: str) -> bool:
    """A name word, or one of its spoken synonyms, in lower-case ``text``."""
    stem = _stem(word)
    if re.search(rf"\b{re.escape(stem)}", text):
        return True
    return any(s in text for s in SYNONYMS.get(word, ()))


def _today_sentences(turn: Turn) -> list[str]:
    return [s.lower() for _, s in split_sentences(turn.text) if not FUTURE.search(s)]


def claimed_numbers(ex: Exercise) -> set[float]:
    """The dose numbers a note line states: sets, reps, hold, minutes, load amount."""
    out = {float(v) for v in (ex.sets, ex.reps, ex.hold_s) if v}
    if ex.duration_s:
        out.add(ex.duration_s / 60 if ex.duration_s % 60 == 0 else float(ex.duration_s))
    if ex.load:
        out |= {n.value for n in scan_numbers(ex.load)}
    return {v for v in out if v != 1}  # one set is rarely said


def raw_support(ex: Exercise, transcript: Transcript) -> bool:
    """True when a therapist turn about today names the exercise and says its dose numbers."""
    words = name_words(ex.name)
    if not words:
        return False
    need = max(1, -(-len(words) // 2))  # at least half of the name's words
    wanted = claimed_numbers(ex)
    turns = transcript.turns
    for i, turn in enumerate(turns):
        if turn.speaker in ("patient", "other"):
            continue
        if not any(sum(word_said(w, s) for w in words) >= need for s in _today_sentences(turn)):
            continue
        near = {n.value for t in turns[i : i + 2] for n in scan_numbers(t.text)}
        if wanted <= near:
            return True
    return False
