"""The words of a spoken session the measure reader keys on: cues, units, grades, fillers.

Kept apart from the reader (``sidekick.facts.spoken``) so the vocabulary can be read and
extended in one place. Every pattern runs on one sentence or clause of a therapist turn.
"""

from __future__ import annotations

import re

from sidekick.facts.measures import TestDef, scan_numbers
from sidekick.models import Side

NOT_TODAY = re.compile(
    r"\b(last (week|time|visit|month|session)|at (the |your )?(evaluation|eval|start|first visit|"
    r"visit \w+)|when (we|you) (started|began)|a month ago|ago\b|previous|before surgery|"
    r"you were at|you had|had you at|it was|were at|used to|goals?\b|target|aim|want|need|"
    r"normal|should|we'll|next (time|visit|week)|under \w+ would|down from|up from|"
    r"compared|is no |is the most|\bin (a|one|two|three|four|\d+) (weeks?|months?|days?)|"
    r"scores? a hundred|from straight is|within|toward|by (week|the))\b",  # not "shoulder"
    re.I,
)
DOSE = re.compile(
    r"\b(sets?|reps|rounds?|times\b|hold(s|ing)?\b|level \w+|minutes?|laps?|each (side|leg|way)|"
    r"more seconds|seconds? left|ten more|more\b)",
    re.I,
)
NOT_VALUE = re.compile(
    r"\b(grade|level|sets?|reps?|rounds?|minutes?|times|more|inch\w*|steps?|miles?|hours?|days?|"
    r"weeks?|months?|years?|visits?|o'clock|points? apart|am|pm)\b",
    re.I,
)
ROM_CUE = re.compile(
    r"measure|goniometer|inclinometer|as far as|as high as|how far|let's see|on your own|"
    r"yourself|for you|check the motion|rotate out|rotating|straighten|push the (back of the )?"
    r"knee|slide the heel|bend\b|bending|turn your head|lift the \w+ arm|arm up|\bup over\b",
    re.I,
)
MEASURE_CUE = re.compile(
    r"measure|goniometer|inclinometer|as far as|as high as|how far|let's see|check|on your own|"
    r"yourself|for you|passive|all the way|let me see",
    re.I,
)
MMT_CUE = re.compile(
    r"against (my|me|mine)|resist|don't let me|into my hand|\bstrength\b|\bmmt\b|muscle test",
    re.I,
)
PROM_CUE = re.compile(
    r"\bi'?ll (lift|rotate|bend|move|take)|for you\b|passive|i'm going to (lift|bend|rotate)|"
    r"stay (totally )?relaxed",
    re.I,
)
AROM_CUE = re.compile(r"on your own|yourself|\bactive\b|lift the \w+ arm|as far as you can", re.I)
GENERIC_QUESTIONNAIRE = re.compile(r"questionnaire|\bthe form\b|\bthe sheet\b|filled out", re.I)
UNIT_WORDS = {
    "s": r"seconds?|secs?",
    "reps": r"reps|times",
    "deg": r"degrees?",
    "cm": r"centimeters?|cm",
    "mm": r"millimeters?|mm",
    "kg": r"kilos?|kilograms?|kg",
    "lb": r"pounds?|lbs?",
    "%": r"percent|%",
    "m": r"meters?",
    "in": r"inches|inch|in",
    "ft": r"feet|foot|ft",
    "bpm": r"beats( per minute)?|bpm",
    "m/s": r"meters? per second|m/s",
    "kPa": r"kilopascals?|kpa",
    "blocks": r"blocks?",
    "dB": r"decibels?|db",
}
LEVEL = re.compile(
    r"\b(first|second|third|fourth|fifth|\d)(?:st|nd|rd|th)? (lumbar|thoracic|sacral)|"
    r"\b([LTS]\d{1,2})\b",
    re.I,
)
ORDINAL = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}
GRADE_WORD = re.compile(
    r"\b(zero|one|two|three|four|five|[0-5])(\s*(?:plus|minus|\+|-)(?![\w-]))?"
    r"(\s*(?:out of (?:five|5)|/5))?",
    re.I,
)
SCORE_CUE = re.compile(
    r"\bscor\w*|\bis\b|out of|percent|%|came out|total|\blevel\b|"
    # "44 of 56"
    r"\bof\s+(?:\d+|twenty|thirty|forty|fifty|sixty|seventy|eighty|(?:a|one)\s+hundred)\b",
    re.I,
)
GRADES = {"zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5"}


GRADE_OF_FIVE = re.compile(r"out of (five|5)\b|\b[0-5][+-]?/5\b", re.I)
#: A strength grade said with its muscle ("glute med is a three plus", "four out of five").
GRADE_SAID = re.compile(
    r"out of (five|5)\b|\b[0-5][+-]?/5\b|\b(is|are) (a |at )?(zero|one|two|three|four|five)"
    r"\s*(plus|minus)\b",
    re.I,
)


def value_first(low: str) -> bool:
    """A measure said name-then-value without a cue ("Left rotation seventy.", "Passive
    flexion is ninety-five degrees."): a value in degrees, or a short sentence of a number."""
    if prescription(low) or DOSE.search(low) or GRADE_OF_FIVE.search(low):
        return False
    nums = scan_numbers(low)
    if not nums:
        return False
    has_deg = bool(re.search(r"\d\s*(°|deg)|\bdegrees?\b", low))
    clauses = [c for c in re.split(r"[,;]|\band\b", low) if c.strip()]
    return has_deg or all(_only_rom_words(c) for c in clauses)


_ROM_WORDS = {
    "cervical", "lumbar", "trunk", "adduction", "plantarflexion", "supination", "pronation",
    "bending", "lateral", "are",
}  # fmt: skip


def _only_rom_words(clause: str) -> bool:
    """A clause of at most one number and words naming the motion ("left rotation seventy"),
    not an exercise with its reps ("thoracic extension over the roll, ten")."""
    nums = scan_numbers(clause)
    if len(nums) > 1:
        return False
    rest = clause[: nums[0].start] + clause[nums[0].end :] if nums else clause
    words = re.findall(r"[a-z']+", rest.lower())
    return all(w in FILLER or w in _ROM_WORDS for w in words)


_BEST = re.compile(r"\b(best|highest|strongest|max(imum)?) (is|was|of|one)\b", re.I)


def level_score(test: TestDef | None, low: str) -> bool:
    """ "Level six" while a scale is open is its score, not an exercise level."""
    return (
        bool(test and test.kind == "score" and re.search(r"\blevel \w+", low))
        and len(scan_numbers(low)) == 1
    )


def not_best(turn: str, clause: str) -> bool:
    """Trials said in a row and then the best ("Thirty-six, thirty-eight. Best is thirty-eight"):
    only the best is the measure."""
    return bool(_BEST.search(turn)) and not _BEST.search(clause)


def unnamed(clause: str, test: TestDef) -> str:
    """A clause without the test's own name and item count ("the EAT-10, the ten questions")."""
    for pattern in test.triggers:
        clause = re.sub(pattern, " ", clause, flags=re.I)
    return re.sub(r"\b\w+(-\w+)? (questions|items)\b", " ", clause, flags=re.I)


def counting(sentence: str) -> bool:
    """True for counting aloud ("five, six, seven, eight"): not values."""
    values = [n.value for n in scan_numbers(sentence)]
    runs = sum(1 for a, b in zip(values, values[1:], strict=False) if b == a + 1)
    return runs >= 2


def prescription(low: str) -> bool:
    """An exercise dose ("three sets of ten", "hold thirty seconds, three times"), which ends a
    measuring context; a lone result ("12 reps.", "Eighteen seconds.") does not."""
    if not (DOSE.search(low) and scan_numbers(low)):
        return False
    return bool(
        re.search(r"\b(sets?|rounds?|times|hold(s|ing)?|each|more|level|minutes?)\b", low)
        or len(scan_numbers(low)) >= 2
    )


def first_side(text: str) -> Side | None:
    low = text.lower()
    for m in re.finditer(r"\b(right|left)\b", low):
        after, before = low[m.end() : m.end() + 7], low[max(0, m.start() - 11) : m.start()]
        if re.match(r"\s+(now|here|there|away|in\b|below|above|at\b|way|spot|into)", after):
            continue
        if re.search(r"(all |that's |seconds |minutes |ones |is )$", before):
            continue
        return m.group(1)  # type: ignore[return-value]
    return None


def bare(clause: str) -> float | None:
    """The number of a short clause that is only a value ("Twenty on the right.")."""
    nums = scan_numbers(clause)
    if len(nums) != 1 or NOT_VALUE.search(clause) or nums[0].value == 1:
        return None
    rest = clause[: nums[0].start] + clause[nums[0].end :]
    words = [w for w in re.findall(r"[a-z']+", rest.lower()) if w not in FILLER]
    return nums[0].value if not words else None


FILLER = {
    "on",
    "the",
    "right",
    "left",
    "side",
    "side's",
    "is",
    "that's",
    "a",
    "to",
    "goes",
    "time",
    "it's",
    "of",
    "and",
    "now",
    "even",
    "solid",
    "this",
    "you",
    "did",
    "okay",
    "good",
    "that",
    "at",
    "just",
    "about",
    "sitting",
    "today",
    "your",
    "with",
    "flexion",
    "extension",
    "bend",
    "make",
    "it",
    "made",
    "get",
    "got",
    "down",
    "up",
    "knee",
    "hip",
    "shoulder",
    "ankle",
    "wrist",
    "elbow",
    "neck",
    "rotation",
    "abduction",
    "external",
    "internal",
    "dorsiflexion",
    "degrees",
    "was",
    "measures",
    "active",
    "passive",
    "supination",
    "pronation",
    "adduction",
    "plantarflexion",
    "forearm",
    "took",
    "takes",
}


def with_unit(clause: str, unit: str) -> float | None:
    pattern = UNIT_WORDS.get(unit)
    if not pattern:
        return None
    for num in scan_numbers(clause):
        if re.match(rf"\s*({pattern})\b", clause[num.end :], re.I) and not _difference(
            clause[num.end :], pattern
        ):
            return num.value
    return None


def _difference(after: str, unit: str) -> bool:
    """True for a change, not a value ("eleven seconds faster than", "five degrees more")."""
    return bool(
        re.match(
            rf"\s*({unit})\s+(faster|slower|quicker|better|worse|more|less|longer|shorter|"
            r"further|farther|higher|lower)\b",
            after,
            re.I,
        )
    )
