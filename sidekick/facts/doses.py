"""The dose grammar of spoken and written therapy: one sentence in, a ``Dose`` out.

``parse_dose`` reads one sentence (number words allowed: it calls ``words_to_digits``) into a
``Dose``: the raw quantities it states (sets, reps, "N times", rounds, holds, bare seconds,
minutes, load, side words, correction markers). Whether "three times" means sets or reps is
decided later, once a whole exercise block is read (``sidekick.facts.exercises``): with a hold
and no reps it is sets ("thirty seconds, three times"), otherwise reps.

Choices, measured on the dev transcripts:
- A hold under two seconds ("hold one second at the top") is a tempo pause, not a dose.
- "N more" and "N more seconds" are continuation cues inside a set; they only add a set when
  no set count was stated ("ten, rest, ten more").
- Loads keep the implement words as said ("15 lb dumbbells"); scoring folds them.
- "N by M" and "N times M" are sets by reps; "Ten." alone or ", twenty," is a count only in
  the turn that introduces the exercise; "stop at twelve" corrects the reps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sidekick.facts.dose_parts import (
    COLOURS,
    _blank_loads,
    _num,
    _read_loads,
    _read_side,
    _shorthand,
    _spoken_minutes,
    _take,
)
from sidekick.facts.numbers import words_to_digits

__all__ = ["COLOURS", "COUNT_NOUNS", "Dose", "parse_dose"]

#: Count nouns: "ten steps", "ten pins" are repetitions.
COUNT_NOUNS = (
    "reps|repetitions|rep|steps|breaths|squeezes|pins|cans|pieces|laps|catches|throws|tosses|"
    "lifts|taps|circles|cycles|nods|presses|pulses|passes|jumps|hops|punches|kicks|marches|"
    "crunches|curls|touches|reaches|transfers|trials|stands|squats|lunges|pumps|slides|tucks|"
    "runs|tries|attempts|turns|swallows|bends|shifts|openings|drops|raises|rolls|lengths|trips"
)
_N = r"(?<![\d.])(\d+(?:\.\d+)?)(?!\.?\d)"  # a whole number: never a part of "24"
_PLURAL = re.compile(
    r"(?<![\d.])([2-9]|[1-9]\d+)\s+((?:[a-z]+\s+){0,2}?)([a-z]{3,}[^s\W]s)"
    r"(?=\s*(?:[,.;!]|$|and\b|each\b|per\b|with\b|on\b|in\b|at\b|using\b|holding\b))"
)
#: Words that make "N ... nouns" a load or a time, not a count ("3 pound ankle weights").
_NOT_COUNT_WORDS = {"pound", "pounds", "lb", "lbs", "kilo", "kilos", "kg", "inch", "minute",
                    "minutes", "second", "seconds", "more", "sets", "set", "of", "hour", "day",
                    "week", "percent", "degree", "degrees", "out", "to"}
#: Plural nouns after a number that are not repetitions ("four directions", "two weeks").
_NOT_COUNTS = {
    "sets", "rounds", "times", "holds", "bouts", "seconds", "secs", "minutes", "mins", "hours",
    "days", "weeks", "months", "years", "pounds", "lbs", "kilos", "kgs", "kilograms", "degrees",
    "inches", "centimeters", "directions", "positions", "ways", "sides", "legs", "arms", "hands",
    "feet", "fingers", "visits", "sessions", "people", "kids", "floors", "stairs", "points",
    "units", "miles", "blocks", "nights", "mornings", "dumbbells", "weights", "kettlebells",
    "bands", "cans", "boxes", "bags", "parts", "things", "exercises", "others",
}
#: A distance after "rounds of" is not a count ("3 rounds of 100 feet").
_DISTANCE = r"(?!\s*(?:feet|foot|ft\b|yards?|meters?|metres?|m\b))"
_SETS_OF = re.compile(
    _N + r"\s+(?:sets?|rounds?)\s+of\s+" + _N + _DISTANCE + r"(?:\s+(seconds?|secs?|minutes?))?"
)
_X = re.compile(
    _N + r"\s?(?:[x×]|\s(?:by|times)\s)\s?" + _N + r"\s*(seconds?|secs?|s\b|minutes?|min\b)?"
)
_A_SET_OF = re.compile(r"\b(?:a|one)\s+set\s+of\s+" + _N)
#: "Twelve, times two": the count first, then how many times through (sets by reps).
_COUNT_COMMA_TIMES = re.compile(  # the count opens its clause: not "hold for five, times three"
    r"(?:^|[.,;:!])\s*" + _N + r"\s*,\s*times\s+" + _N + r"\b(?!\s*(?:seconds?|minutes?))"
)
_XN = re.compile(r"(?:^|(?<=[\s,(]))[x×]\s?" + _N + r"\b(?!\s*(?:sec|s\b|min))")
_HOLDS_OF = re.compile(_N + r"\s+holds?\s+of\s+" + _N)
#: "Five 30-second holds": how many holds, then the length of each.
_N_TIMED_HOLDS = re.compile(_N + r"\s+" + _N + r"[\s-]*(?:seconds?|secs?)[\s-]*holds\b")
_SETS = re.compile(
    r"(?<!last\s)(?<!next\s)(?<!first\s)(?<!other\s)" + _N
    + r"\s+(?:more\s+)?(sets?|rounds?|holds?|bouts?)\b"
)
_TIMES = re.compile(
    _N + r"\s+(?:slow\s+|(more)\s+)?times(\s+through)?\b"
    r"|\b(twice)\b(?!\s+(?:a|per|every|each)\b)"
)
_TIMES_N = re.compile(
    r"(?:(?:^|,\s*)times|(?:(?<=seconds\s)|(?<=second\s)|(?<=minutes\s)|(?<=minute\s))"
    r"(?:times|by))\s+" + _N + r"\b"  # "thirty seconds by three"
)
_REPS = re.compile(
    _N + r"\s+(?:more\s+)?(?:(?:practice|weight|head|small|big|slow|full|good)\s+)?(?:"
    + COUNT_NOUNS + r")\b"
)
#: "Twelve quad sets": exercises whose name ends in "sets" are counted like any other.
_NAMED_SETS = re.compile(
    _N + r"\s+(?:quad|quadriceps|glute|gluteal|hamstring|ab|abdominal)\s+sets\b"
)
_OF_THOSE = re.compile(_N + r"\s+of\s+(?:those|them|these)\b")
_EACH = re.compile(
    _N + r"\s+(?:on\s+|in\s+|with\s+|per\s+)?(?:each|every|per)\s+"
    r"(?:leg|side|way|direction|arm|hand|foot|finger|toe|position|exercise|movement)"
)
_LEADING = re.compile(_N + r"\s+with\s+the\s+(?:right|left)\b")
#: "Three each." (each foot, each side): a count, of reps or of holds, like "three times".
_N_EACH = re.compile(_N + r"\s+each\b(?=\s*(?:[,.;!]|$))")
_LETS_DO = re.compile(
    r"\b(?:let'?s\s+do|give\s+me|do|try)\s+(?:it\s+|another\s+)?" + _N
    + r"\b(?!\s*(?:sets?|more|times|seconds?|minutes?|pounds?|lbs?|rounds?|reps?))"
)
_HOLD = re.compile(
    r"\bhold(?:ing)?\b(?:\s+[a-z']+){0,5}?\s+" + _N
    + r"(?:\s*(?:-\s*)?(seconds?|secs?|minutes?))?"
    r"(?!\s*(?:sets?|reps?|times|rounds?|pounds?|lbs?|kg|kilos?|inch|-?inch|percent|mm))"
)
_N_SEC_HOLD = re.compile(  # "five seconds each": a hold per rep
    _N + r"[\s-]*(?:seconds?|secs?|s)\s*(?:hold|holds|isometric|each\b(?!\s+(?:side|leg|way|arm)))"
)
_SECONDS = re.compile(
    r"(?<!more\s)(?<!rest\s)" + _N + r"\s*(?:-\s*)?(?:seconds?|secs?)\b"
    r"(?!\s+(?:rest|break|between|off|left|to go|up|down|on the way|out|in|back|lowering))"
)
_MINUTES = re.compile(
    r"(?<!every\s)" + _N + r"\s*(?:-\s*)?(?:minutes?|mins?)\b"
    r"(?!\s+(?:rest|break|between|off|at a time))"
)
_MORE = re.compile(_N + r"\s+more\b(?!\s+(?:sets?|rounds?|seconds?|minutes?))")
_REST_MORE = re.compile(  # "ten, rest, ten more"; "fifteen, then fifteen more"; "20, then 20 again"
    r"\b" + _N + r",?\s+(?:rest,?\s+(?:then\s+)?|then\s+)" + _N + r"\s+(?:more|again)\b"
)
_COUNT_THEN = re.compile(r"(?:^|,)\s*" + _N + r",\s+(?:then|rest)\b")
#: "Twelve, five-second hold": a count leading the sentence before its hold or side.
_COUNT_FIRST = re.compile(
    r"^\s*" + _N + r"\s*,\s*(?=(?:\d+[\s-]*(?:seconds?|secs?)[\s-]*)?holds?\b|each\b|per\b)"
)
#: "Ten." alone: a count, when it follows the exercise's introduction in the same turn.
_BARE = re.compile(
    r"(?:^|,)\s*" + _N + r"(?:\s+(?:nice\s+and\s+)?(?:slow(?:ly)?|easy|controlled)"
    r"|\s+on\s+the\s+(?:right|left)(?:\s+side)?)?\s*(?:,|[.!]?\s*$)"  # "fifteen on the right."
)
#: Counting aloud ("five, four, three, two, one") is not a dose.
_COUNTING = re.compile(r"\d+\s*,\s*\d+\s*,\s*\d+")
#: "Okay, second set": there are at least two sets.
_ORDINALS = {"second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
_ORDINAL_SET = re.compile(r"\b(second|2nd|third|3rd|fourth|4th)\s+(?:set|round)\b")
#: "Another ten": one more set of the same count.
_ANOTHER = re.compile(
    r"\banother\s+" + _N + r"\b(?!\s*(?:seconds?|minutes?|pounds?|lbs?|kg|kilos?))"
)
#: "Let's stop at twelve", "both sets to twelve": fewer reps than first said.
_STOP_AT = re.compile(
    r"\b(?:stop\s+(?:it\s+)?at|(?:both|all|the)\s+(?:\w+\s+)?sets\s+to)\s+" + _N
    + r"\b(?!\s*(?:sets?|rounds?|seconds?|minutes?|pounds?|lbs?|kg))"
)
_MAKE_THAT = re.compile(
    r"\b(?:make\s+(?:that|it)|change\s+(?:that|it)\s+to|go\s+(?:up\s+)?to|"
    r"(?:bump|move|increase|take)\s+(?:it|that|you)\s+(?:up\s+)?to|"
    r"(?:drop|bring|cut|lower|reduce)\s+(?:it|that|them|those)\s+(?:down\s+)?to|"
    r"(?:actually|wait|scratch\s+that|sorry|no|oops),?\s+(?:let'?s\s+)?(?:do|go\s+with))\s+"
    r"(?:a\s+)?" + _N
    + r"\b(?!\s*(?:sets?|rounds?|times|reps|seconds?|minutes?|holds?|pounds?|lbs?))"
)
_CORRECTION = re.compile(
    r"\b(actually|make\s+that|make\s+it|instead|change\s+(?:that|it)|switch\s+to|"
    r"let'?s\s+go\s+to|go\s+up\s+to|progress(?:ed)?\s+to|bump\s+it|increase\s+it|"
    r"(?:drop|bring|cut|lower|reduce)\s+(?:it|that|them|those)\s+(?:down\s+)?to|"
    r"wait(?=\s*,)|scratch\s+that|(?:sorry|no|oops),?\s+let'?s\s+(?:do|go\s+with))\b"
)
@dataclass
class Dose:
    """Raw dose quantities read from text; ``resolve`` turns them into exercise fields."""

    sets: int | None = None
    reps: int | None = None
    times: int | None = None
    times_through: bool = False
    rounds: int | None = None
    hold_s: float | None = None
    seconds: float | None = None
    duration_s: float | None = None
    more: int | None = None
    more_times: int | None = None
    counted: int | None = None
    extra_sets: int | None = None
    load: str | None = None
    load_colour: str | None = None
    no_load: bool = False
    same_load: bool = False
    same_dose: bool = False  # "same thing": the dose of the exercise before
    side: str | None = None
    working_side: bool = False  # the side was said as the working limb ("left foot first")
    both_named: bool = False  # "bilateral" only because left and right were both mentioned
    correction: bool = False
    make_that: float | None = None
    bare: int | None = None  # "Ten." alone (a count only right after the introduction)
    of_those: bool = False  # "ten of those": a count of repetitions, even of a hold
    min_sets: int | None = None  # "the second set": at least that many sets
    order: list[str] = field(default_factory=list)  # fields in the order they were stated

    def has_dose(self) -> bool:
        """True when the text states a dose (not only a load or a side)."""
        return any(v is not None for v in (self.sets, self.reps, self.times, self.rounds,
                                           self.hold_s, self.seconds, self.duration_s))

    def _set(self, name: str, value) -> None:
        if getattr(self, name) is None:
            setattr(self, name, value)
            self.order.append(name)


def parse_dose(sentence: str) -> Dose:
    """Read the dose stated in one sentence (number words already allowed)."""
    text = _shorthand(_spoken_minutes(words_to_digits(sentence).lower().replace("’", "'")))
    dose = Dose()
    dose.correction = bool(_CORRECTION.search(text))
    _read_loads(text, dose)
    text = _blank_loads(text)
    _read_side(text, dose)
    found, text = _take(_COUNT_FIRST, text)
    for m in found:
        dose._set("reps", int(_num(m.group(1))))
    for m in _take(_REST_MORE, text)[0]:
        dose._set("reps", int(_num(m.group(1))))
        dose._set("sets", 2)
    text = _take(_REST_MORE, text)[1]
    text = _read_sets_by_reps(text, dose)
    text = _read_holds(text, dose)
    found, text = _take(_MAKE_THAT, text)
    for m in found:
        dose.make_that = _num(m.group(1))
    found, text = _take(_STOP_AT, text)
    for m in found:
        dose.make_that, dose.correction = _num(m.group(1)), True
    bare = None if _COUNTING.search(text) else _BARE.search(text)
    if bare and 2 <= _num(bare.group(1)) <= 30:  # "Seventy-five." is a value, not a count
        dose.bare = int(_num(bare.group(1)))
    _read_counts(text, dose)
    return dose


def _read_sets_by_reps(text: str, dose: Dose) -> str:
    """ "3 sets of 10", "3x10", "3 by 10", "a set of 12", "x5"; the text without them."""
    found, text = _take(_SETS_OF, text)
    for m in found:
        dose._set("sets", int(_num(m.group(1))))
        if m.group(3):
            dose._set("hold_s", _seconds(m.group(2), m.group(3)))
        else:
            dose._set("reps", int(_num(m.group(2))))
    found, text = _take(_X, text)
    for m in found:
        a, b, unit = _num(m.group(1)), _num(m.group(2)), m.group(3)
        if unit:
            if dose.reps is None and dose.sets is None and a >= 5 and b <= 60 and "reps" in text:
                dose._set("reps", int(a))
            else:
                dose._set("sets", int(a))
            dose._set("hold_s", _seconds(str(b), unit))
        else:
            dose._set("sets", int(a))
            dose._set("reps", int(b))
    found, text = _take(_COUNT_COMMA_TIMES, text)
    for m in found:
        dose._set("sets", int(_num(m.group(2))))
        dose._set("reps", int(_num(m.group(1))))
    found, text = _take(_A_SET_OF, text)
    for m in found:
        dose._set("sets", 1)
        dose._set("reps", int(_num(m.group(1))))
    found, text = _take(_XN, text)
    for m in found:
        dose._set("reps", int(_num(m.group(1))))  # "jar opening x5"
    return text


def _read_holds(text: str, dose: Dose) -> str:
    """ "5 holds of 45", "hold it for 10 seconds", "a 5-second hold"; the text without them."""
    found, text = _take(_HOLDS_OF, text)
    for m in found:
        dose._set("sets", int(_num(m.group(1))))
        dose._set("hold_s", _num(m.group(2)))
    found, text = _take(_N_TIMED_HOLDS, text)
    for m in found:
        dose._set("sets", int(_num(m.group(1))))
        dose._set("hold_s", _num(m.group(2)))
    for pattern, name in ((_HOLD, "hold_s"), (_N_SEC_HOLD, "hold_s")):
        found, text = _take(pattern, text)
        for m in found:
            unit = m.group(2) if pattern is _HOLD else "seconds"
            value = _seconds(m.group(1), unit or "seconds")
            if value >= 2:
                dose._set(name, value)
    return text


def _read_counts(text: str, dose: Dose) -> None:
    found, text = _take(_SETS, text)
    for m in found:
        n, word = int(_num(m.group(1))), m.group(2)
        if " more " in m.group(0):
            dose.extra_sets = n
        elif word.startswith("round"):
            dose._set("rounds", n)
        else:
            dose._set("sets", n)
    found, text = _take(_TIMES, text)
    for m in found:
        if m.group(4):
            dose._set("rounds", 2)
        elif m.group(2):
            dose.more_times = int(_num(m.group(1)))
        else:
            dose._set("times", int(_num(m.group(1))))
            dose.times_through = dose.times_through or bool(m.group(3))
    for pattern in (_REPS, _NAMED_SETS, _OF_THOSE, _EACH, _N_EACH, _LEADING, _LETS_DO,
                    _COUNT_THEN, _TIMES_N):
        found, text = _take(pattern, text)
        for m in found:
            if pattern is _REPS and " more " in m.group(0):
                dose.more = int(_num(m.group(1)))
            elif pattern in (_OF_THOSE, _N_EACH, _LETS_DO, _TIMES_N):
                dose._set("times", int(_num(m.group(1))))
                dose.of_those = dose.of_those or pattern is _OF_THOSE
            else:
                dose._set("reps", int(_num(m.group(1))))
    if dose.reps is None and dose.times is None:
        for m in _PLURAL.finditer(text):
            if m.group(3) not in _NOT_COUNTS and not _NOT_COUNT_WORDS & set(m.group(2).split()):
                dose.counted = int(_num(m.group(1)))  # "twenty marbles": reps, if introduced
                break
    found, text = _take(_MINUTES, text)
    for m in found:
        if not re.search(r"\bmore\s*$", text[: m.start()]):
            dose._set("duration_s", _num(m.group(1)) * 60)
    found, text = _take(_SECONDS, text)
    for m in found:
        dose._set("seconds", _num(m.group(1)))
    for m in _MORE.finditer(text):
        dose.more = int(_num(m.group(1)))
    ordinal = _ORDINAL_SET.search(text)
    if ordinal:
        dose.min_sets = _ORDINALS[ordinal.group(1)]
    if re.search(r"\banother\s+(?:set|round)\b", text):  # "a set of fifteen, then another set"
        if dose.sets == 1:
            dose.sets = 2
        else:
            dose.extra_sets = dose.extra_sets or 1
    another = _ANOTHER.search(text)
    if another:
        dose.extra_sets = dose.extra_sets or 1
        dose.bare = dose.bare or int(_num(another.group(1)))


def _seconds(value: str, unit: str) -> float:
    v = _num(value)
    return v * 60 if unit.startswith("min") else v
