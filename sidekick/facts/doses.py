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

from sidekick.facts.numbers import _format, words_to_digits

COLOURS = ("red", "green", "blue", "yellow", "black", "silver", "gold", "orange", "purple",
           "light", "medium", "heavy",
           "tan", "grey", "gray", "pink", "white")
_COLOUR = "|".join(COLOURS)
_KIND_WORDS = {
    "band": "band", "bands": "band", "theraband": "band", "thera-band": "band",
    "tubing": "band", "loop": "band", "putty": "putty", "theraputty": "putty",
    "flexbar": "FlexBar", "bar": "FlexBar", "ball": "ball", "foam": "foam",
}
#: Count nouns: "ten steps", "ten pins" are repetitions.
COUNT_NOUNS = (
    "reps|repetitions|rep|steps|breaths|squeezes|pins|cans|pieces|laps|catches|throws|tosses|"
    "lifts|taps|circles|cycles|nods|presses|pulses|passes|jumps|hops|punches|kicks|marches|"
    "crunches|curls|touches|reaches|transfers|trials|stands|squats|lunges|pumps|slides|tucks|"
    "runs|tries|attempts|turns|swallows|bends|shifts|openings|drops|raises|rolls"
)
_IMPLEMENTS = (
    r"ankle weights?|cuff weights?|wrist weights?|dumbbells?|kettlebells?|weights?|bags?|boxe?s?|"
    r"baskets?|cans?|medicine balls?|balls?|plates?|bars?|sandbags?|jugs?|buckets?|crates?|"
    r"bottles?|laundry baskets?"
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
_SETS_OF = re.compile(
    _N + r"\s+(?:sets?|rounds?)\s+of\s+" + _N + r"(?:\s+(seconds?|secs?|minutes?))?"
)
_X = re.compile(
    _N + r"\s?(?:[x×]|\s(?:by|times)\s)\s?" + _N + r"\s*(seconds?|secs?|s\b|minutes?|min\b)?"
)
_A_SET_OF = re.compile(r"\b(?:a|one)\s+set\s+of\s+" + _N)
_XN = re.compile(r"(?:^|(?<=[\s,(]))[x×]\s?" + _N + r"\b(?!\s*(?:sec|s\b|min))")
_MMHG = re.compile(_N + r"\s*mm\s*hg\b")
_HOLDS_OF = re.compile(_N + r"\s+holds?\s+of\s+" + _N)
_SETS = re.compile(
    r"(?<!last\s)(?<!next\s)(?<!first\s)(?<!other\s)" + _N
    + r"\s+(?:more\s+)?(sets?|rounds?|holds?|bouts?)\b"
)
_TIMES = re.compile(
    _N + r"\s+(?:slow\s+|(more)\s+)?times(\s+through)?\b"
    r"|\b(twice)\b(?!\s+(?:a|per|every|each)\b)"
)
_TIMES_N = re.compile(
    r"(?:^|,\s*|(?<=seconds\s)|(?<=second\s)|(?<=minutes\s)|(?<=minute\s))times\s+" + _N + r"\b"
)
_REPS = re.compile(
    _N + r"\s+(?:more\s+)?(?:(?:practice|weight|head|small|big|slow|full|good)\s+)?(?:"
    + COUNT_NOUNS + r")\b"
)
_OF_THOSE = re.compile(_N + r"\s+of\s+(?:those|them|these)\b")
_EACH = re.compile(
    _N + r"\s+(?:on\s+|in\s+|with\s+|per\s+)?(?:each|every|per)\s+"
    r"(?:leg|side|way|direction|arm|hand|foot|finger|toe|position|exercise|movement)"
)
_LEADING = re.compile(_N + r"\s+with\s+the\s+(?:right|left)\b")
_LETS_DO = re.compile(
    r"\b(?:let'?s\s+do|give\s+me|do|try)\s+(?:it\s+|another\s+)?" + _N
    + r"\b(?!\s*(?:sets?|more|times|seconds?|minutes?|pounds?|lbs?|rounds?|reps?))"
)
_HOLD = re.compile(
    r"\bhold(?:ing)?\b(?:\s+[a-z']+){0,5}?\s+" + _N
    + r"(?:\s*(?:-\s*)?(seconds?|secs?|minutes?))?"
    r"(?!\s*(?:sets?|reps?|times|rounds?|pounds?|lbs?|kg|kilos?|inch|-?inch|percent|mm))"
)
_N_SEC_HOLD = re.compile(_N + r"[\s-]*(?:seconds?|secs?|s)\s*(?:hold|holds|isometric)")
_SECONDS = re.compile(
    r"(?<!more\s)(?<!rest\s)" + _N + r"\s*(?:-\s*)?(?:seconds?|secs?)\b"
    r"(?!\s+(?:rest|break|between|off|left|to go|up|down|on the way|out|in|back|lowering))"
)
_MINUTES = re.compile(
    r"(?<!every\s)" + _N + r"\s*(?:-\s*)?(?:minutes?|mins?)\b"
    r"(?!\s+(?:rest|break|between|off|at a time))"
)
_MORE = re.compile(_N + r"\s+more\b(?!\s+(?:sets?|rounds?|seconds?|minutes?))")
_REST_MORE = re.compile(r"\b" + _N + r",?\s+rest,?\s+(?:then\s+)?" + _N + r"\s+more\b")
_COUNT_THEN = re.compile(r"(?:^|,)\s*" + _N + r",\s+(?:then|rest)\b")
#: "Twelve, five-second hold": a count leading the sentence before its hold or side.
_COUNT_FIRST = re.compile(
    r"^\s*" + _N + r"\s*,\s*(?=(?:\d+[\s-]*(?:seconds?|secs?)[\s-]*)?holds?\b|each\b|per\b)"
)
#: "Ten." alone: a count, when it follows the exercise's introduction in the same turn.
_BARE = re.compile(r"(?:^|,)\s*" + _N + r"\s*(?:,|[.!]?\s*$)")
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
    r"(?:bump|move|increase|take)\s+(?:it|that|you)\s+(?:up\s+)?to)\s+(?:a\s+)?" + _N
    + r"\b(?!\s*(?:sets?|rounds?|times|reps|seconds?|minutes?|holds?|pounds?|lbs?))"
)
_CORRECTION = re.compile(
    r"\b(actually|make\s+that|make\s+it|instead|change\s+(?:that|it)|switch\s+to|"
    r"let'?s\s+go\s+to|go\s+up\s+to|progress(?:ed)?\s+to|bump\s+it|increase\s+it)\b"
)
_WEIGHT = re.compile(
    _N + r"\s*(?:-\s*)?(pounds?|lbs?|kilos?|kilograms?|kgs?)\b\.?"
    r"(?:\s+(?:each|in\s+it|in\s+each\s+hand))?(?:\s+(?:of\s+)?(" + _IMPLEMENTS + r"))?"
)
_IMPLEMENT_WEIGHT = re.compile(
    r"(?:the\s+)?" + _N + r"\s*(?:-\s*)?pound\s+(" + _IMPLEMENTS + r")"
)
_IMPLEMENT_IS = re.compile(
    r"\b(" + _IMPLEMENTS + r")\s+(?:is|weighs|has)\s+(?:about\s+)?" + _N
    + r"\s*(?:-\s*)?(pounds?|lbs?|kilos?|kg)\b"
)
_LEVEL = re.compile(r"\b(?:level|resistance)\s+(?:level\s+)?" + _N)
_SPEED = re.compile(_N + r"\s*(?:mph|miles\s+(?:an|per)\s+hour)\b")
_HEIGHT = re.compile(
    _N + r"\s*(?:-\s*)?(?:inch|in\.?|\")\s*(steps?|box(?:es)?|platforms?|stools?|benches?)"
)
#: "the step, the eight inch one": the height of the step named just before.
_HEIGHT_ONE = re.compile(
    r"\b(steps?|box(?:es)?|platforms?)\b[^.]{0,30}?\b" + _N
    + r"\s*(?:-\s*)?inch(?:\s+(?:one|1)\b(?!\s*(?:sets?|reps?|times))|(?=\s*[,.;]|\s*$))"
)
_COLOUR_KIND = re.compile(
    r"\b(" + _COLOUR + r")\s+(?:rubber\s+|resistance\s+|thera\s*)?"
    r"(band|bands|theraband|thera-band|tubing|loop|putty|theraputty|flexbar|flex\s+bar|bar|ball)\b"
)
_KIND_COLOUR = re.compile(r"\b(band|putty|flexbar|tubing)[,.]?\s+(" + _COLOUR + r")\b")
_BARE_COLOUR = re.compile(
    r"(?:\b(?:with|to|on|the|today|try)\s+(?:the\s+)?|^\s*)(" + _COLOUR + r")\b"
    r"(?!\s+(?:foam|pad|cone|line|mat|light|chair|dot|tape))"
)
_RUBBER_BAND = re.compile(r"\brubber\s+band\b")
#: Pool equipment is the load in water ("the foam cuff on your ankle" = foam ankle cuff).
_FLOAT = re.compile(
    r"\b(foam|buoyancy|flotation|floatation)\s+(?:(ankle|wrist)\s+)?(cuffs?|dumbbells?|bells?)\b"
    r"(?:\s+on\s+(?:your|the)\s+(?:right\s+|left\s+)?(ankle|wrist)s?\b)?"
)
_NO_LOAD = re.compile(r"\b(no\s+weights?|body\s*weight|unweighted|without\s+weights?)\b")
#: "Clamshells, same thing": the dose of the exercise before.
_SAME_DOSE = re.compile(
    r"\bsame\s+(?:thing|again|dose|sets?(?:\s+and\s+reps)?|as\s+(?:before|that|the\s+last\s+one))\b"
)
_SAME_LOAD = re.compile(r"\bsame\s+(band|dumbbells?|weights?|putty|bar|ball|box|bag|step)\b")
_BILATERAL = re.compile(
    r"\b(each|both|either)\s+(legs?|sides?|arms?|feet|hands?|knees?|hips?|shoulders?|ways?|"
    r"directions?)\b|\bbilateral(ly)?\b|\bswitch\s+(legs?|sides?|arms?|feet)\b|"
    r"\bother\s+(leg|side|arm|foot)\b|\bthen\s+the\s+(?:left|right)\b"
)
_SIDE = re.compile(
    r"\b(?:(?:on|with|of)\s+(?:the|your)\s+)?(left|right)\s+(leg|arm|foot|hand|knee|hip|"
    r"shoulder|ankle|wrist|elbow|thumb|heel|side|one)\b|\b(?:on|with)\s+the\s+(left|right)\b|"
    r"\b(left|right)\s+(?:leg\s+)?leading\b"
)
_LYING_SIDE = re.compile(
    r"\b(?:lie|lying|roll|rolled|turn)\s+(?:\w+\s+)?(?:on(?:to)?\s+)?(?:your|the)\s+"
    r"(?:left|right)\s+side\b"
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


def _take(pattern: re.Pattern[str], text: str) -> tuple[list[re.Match[str]], str]:
    """All matches of ``pattern`` and the text with them blanked out (no double counting)."""
    found = list(pattern.finditer(text))
    for m in found:
        text = text[: m.start()] + " " * (m.end() - m.start()) + text[m.end():]
    return found, text


def _num(text: str) -> float:
    return float(text)


_MINUTE_WORDS = (
    (re.compile(r"\b(?:a|1)\s+minute\s+and\s+a\s+half\b"), "90 seconds"),
    (re.compile(r"\bhalf\s+(?:a|1)\s+minute\b"), "30 seconds"),
)


#: Written shorthand of treatment notes, rewritten in the long form the grammar reads.
_SHORTHAND = (
    (re.compile(r"\bw/\s*"), "with "),
    (re.compile(r"(\d)\s*#"), r"\1 lb"),
    (re.compile(r"(?:^|(?<=[\s,(]))x\s?(\d+)\s*x\s?(\d+)\b"), r"\2 sets of \1"),  # x10 x2
    (re.compile(r"\b(\d+)\s*reps?\s*[x×]\s*(\d+)\s*sets?\b"), r"\2 sets of \1"),
    (re.compile(r"\b(\d+)\s*sets?\s*[x×]\s*(\d+)\s*reps?\b"), r"\1 sets of \2"),
    (re.compile(r"\b(\d+)\s*'(?![\d'])"), r"\1 minutes"),  # "bike 10'"
    (re.compile(r"\b(\d+)\s*(?:\"|'')(?!\s*(?:steps?|box|platform|stool|bench))"), r"\1 seconds"),
    (re.compile(r"\b(?:lvl\s*|l)(\d+)\b"), r"level \1"),  # "NuStep L5"
    (re.compile(r"\btb\b"), "band"),
    (re.compile(r"(?<=lb\s)aw\b|(?<=kg\s)aw\b"), "ankle weight"),  # not "aw, nice"
    (re.compile(r"\b(?:ble|bue|bilat)\b|(?<=\d)\s+b\b"), " bilateral"),
    (re.compile(r"\b(?:rle|rue)\b|(?<=\d)\s+r\b"), " right side"),
    (re.compile(r"\b(?:lle|lue)\b|(?<=\d)\s+l\b"), " left side"),
    (re.compile(r"\bea\b"), "each side"),
)


def _shorthand(text: str) -> str:
    """ "SLR x10 x2", "LAQ 2# 2x12 R", "bike 10'", "NuStep L5": note shorthand in long form."""
    for pattern, value in _SHORTHAND:
        text = pattern.sub(value, text)
    return text


def _spoken_minutes(text: str) -> str:
    """ "half a minute", "a minute and a half" as numbers ("for a minute" is often a rest)."""
    for pattern, value in _MINUTE_WORDS:
        text = pattern.sub(value, text)
    return text


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
    found, text = _take(_A_SET_OF, text)
    for m in found:
        dose._set("sets", 1)
        dose._set("reps", int(_num(m.group(1))))
    found, text = _take(_XN, text)
    for m in found:
        dose._set("reps", int(_num(m.group(1))))  # "jar opening x5"
    found, text = _take(_HOLDS_OF, text)
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
    for pattern in (_REPS, _OF_THOSE, _EACH, _LEADING, _LETS_DO, _COUNT_THEN, _TIMES_N):
        found, text = _take(pattern, text)
        for m in found:
            if pattern is _REPS and " more " in m.group(0):
                dose.more = int(_num(m.group(1)))
            elif pattern in (_OF_THOSE, _LETS_DO, _TIMES_N):
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


def _read_loads(text: str, dose: Dose) -> None:
    """The load named in the sentence; the last one stated wins ("switch to the 2 lb")."""
    found: list[tuple[int, str]] = []
    for m in _IMPLEMENT_WEIGHT.finditer(text):
        found.append((m.start(), f"{_format(_num(m.group(1)))} lb {m.group(2)}"))
    for m in _IMPLEMENT_IS.finditer(text):
        unit = "kg" if m.group(3).startswith("k") else "lb"
        found.append((m.start(2), f"{_format(_num(m.group(2)))} {unit} {m.group(1)}"))
    for m in _WEIGHT.finditer(text):
        if any(abs(m.start() - s) <= 4 for s, _ in found):
            continue
        unit = "kg" if m.group(2).startswith("k") else "lb"
        implement = f" {m.group(3)}" if m.group(3) else ""
        found.append((m.start(), f"{_format(_num(m.group(1)))} {unit}{implement}"))
    for m in _MMHG.finditer(text):
        found.append((m.start(), f"{_format(_num(m.group(1)))} mmHg"))
    for m in _SPEED.finditer(text):
        found.append((m.start(), f"{_format(_num(m.group(1)))} mph"))
    for m in _LEVEL.finditer(text):
        found.append((m.start(), f"level {_format(_num(m.group(1)))}"))
    for m in _HEIGHT.finditer(text):
        kind = "box" if m.group(2).startswith("box") else m.group(2).rstrip("s")
        found.append((m.start(), f"{_format(_num(m.group(1)))} inch {kind}"))
    for m in _HEIGHT_ONE.finditer(text):
        kind = "box" if m.group(1).startswith("box") else m.group(1).rstrip("s")
        found.append((m.start(2), f"{_format(_num(m.group(2)))} inch {kind}"))
    for m in _COLOUR_KIND.finditer(text):
        kind = _KIND_WORDS.get(m.group(2).replace(" ", ""), m.group(2))
        found.append((m.start(), f"{m.group(1)} {kind}"))
    for m in _KIND_COLOUR.finditer(text):
        found.append((m.start(), f"{m.group(2)} {_KIND_WORDS.get(m.group(1), m.group(1))}"))
    for m in _FLOAT.finditer(text):
        where = m.group(2) or m.group(4)
        found.append((m.start(), " ".join(w for w in (m.group(1), where, m.group(3)) if w)))
    for m in _RUBBER_BAND.finditer(text):
        if not re.search(r"(" + _COLOUR + r")\s+$", text[: m.start()]):
            found.append((m.start(), "rubber band"))
    if found:
        dose.load = sorted(found)[-1][1]
        dose.order.append("load")
    else:
        colours = list(_BARE_COLOUR.finditer(text))
        if colours:
            dose.load_colour = colours[-1].group(1)
    dose.no_load = bool(_NO_LOAD.search(text))
    dose.same_load = bool(_SAME_LOAD.search(text))
    dose.same_dose = bool(_SAME_DOSE.search(text))


def _blank_loads(text: str) -> str:
    for pattern in (_IMPLEMENT_WEIGHT, _WEIGHT, _LEVEL, _HEIGHT):
        text = _take(pattern, text)[1]
    return text


#: The working limb, said outright: it wins over "both feet" in the set-up.
_WORKING_SIDE = re.compile(
    r"\b(left|right)\s+(?:foot|leg|arm|hand)\s+(?:up\s+|goes\s+)?first\b|"
    r"\b(?:down|lower)\s+slow(?:ly)?\s+on\s+the\s+(left|right)\b|"
    r"\b(left|right)\s+(?:leg|foot|arm|hand)\s+only\b|\blead(?:ing)?\s+with\s+the\s+(left|right)\b"
)
#: Equipment placed on a side is not the side worked ("rail on the right").
_EQUIPMENT_SIDE = re.compile(
    r"\b(?:rail|handrail|bars?|wall|counter|table|chair|mirror|cone|cane|walker)\s+(?:is\s+)?"
    r"(?:on|to)\s+(?:the|your)\s+(?:left|right)\b"
)


def _read_side(text: str, dose: Dose) -> None:
    text = _EQUIPMENT_SIDE.sub(" ", text)
    working = {g for m in _WORKING_SIDE.finditer(text) for g in m.groups() if g}
    if len(working) == 1:
        dose.side, dose.working_side = working.pop(), True
        return
    if _BILATERAL.search(text):
        dose.side = "bilateral"
        return
    cleaned = _LYING_SIDE.sub(" ", text)
    sides = {next(g for g in m.groups() if g in ("left", "right")) for m in _SIDE.finditer(cleaned)
             if any(g in ("left", "right") for g in m.groups())}
    if len(sides) == 1:
        dose.side = sides.pop()
    elif len(sides) == 2:
        dose.side, dose.both_named = "bilateral", True  # "use the left hand to lift the right"
