"""Parts of the dose grammar: loads, sides and the written and spoken forms of a dose.

``sidekick.facts.doses.parse_dose`` first rewrites note shorthand ("SLR x10 x2", "3#", "7'",
"L5", "BLE") and spoken minutes ("half a minute") in long form, then reads the load named
in the sentence (the last one stated wins) and the side worked: the working limb said
outright ("left foot up first") wins over "both feet" in the set-up, equipment placed on a
side ("rail on the right") is not a side, and left and right both named (a helping hand)
is marked so the exercise can take the affected side.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sidekick.facts.numbers import _format

if TYPE_CHECKING:
    from sidekick.facts.doses import Dose

COLOURS = ("red", "green", "blue", "yellow", "black", "silver", "gold", "orange", "purple",
           "light", "medium", "heavy",
           "tan", "grey", "gray", "pink", "white")
_COLOUR = "|".join(COLOURS)
_KIND_WORDS = {
    "band": "band", "bands": "band", "theraband": "band", "thera-band": "band",
    "tubing": "band", "loop": "band", "putty": "putty", "theraputty": "putty",
    "flexbar": "FlexBar", "bar": "FlexBar", "ball": "ball", "foam": "foam",
}
_IMPLEMENTS = (
    r"ankle weights?|cuff weights?|wrist weights?|dumbbells?|kettlebells?|weights?|bags?|boxe?s?|"
    r"baskets?|cans?|medicine balls?|balls?|plates?|bars?|sandbags?|jugs?|buckets?|crates?|"
    r"bottles?|laundry baskets?"
)

_N = r"(?<![\d.])(\d+(?:\.\d+)?)(?!\.?\d)"  # a whole number: never a part of "24"
_MMHG = re.compile(_N + r"\s*mm\s*hg\b")
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
_SPEED_KM = re.compile(_N + r"\s*(?:km/h|kph|kilometers?\s+(?:an|per)\s+hour)(?!\w)")
_HEIGHT = re.compile(
    _N + r"\s*(?:-\s*)?(inch|in\.?|\"|cm|centimeters?)\s*"
    r"(steps?|box(?:es)?|platforms?|stools?|benches?|curbs?|hurdles?)"
)
#: "the step, the eight inch one": the height of the step named just before.
_HEIGHT_ONE = re.compile(
    r"\b(steps?|box(?:es)?|platforms?)\b[^.]{0,30}?\b" + _N
    + r"\s*(?:-\s*)?inch(?:\s+(?:one|1)\b(?!\s*(?:sets?|reps?|times))|(?=\s*[,.;]|\s*$))"
)
#: "Let's go up to the six inch": a step height with the step left unsaid.
_HEIGHT_BARE = re.compile(r"\bthe\s+" + _N + r"\s*(?:-\s*)?inch(?:es)?\b(?=\s*[,.;!]|\s*$)")
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
    (re.compile(r"\b(?:a|1)\s+quarter\s+of\s+an\s+hour\b"), "15 minutes"),
    (re.compile(r"\bhalf\s+an\s+hour\b"), "30 minutes"),
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
    (re.compile(r"\b(r|g|y|b|bl|blk)tb\b"),  # "GTB": green theraband
     lambda m: {"r": "red", "g": "green", "y": "yellow", "b": "blue", "bl": "blue",
                "blk": "black"}[m.group(1)] + " band"),
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
    for m in _SPEED_KM.finditer(text):
        found.append((m.start(), f"{_format(_num(m.group(1)))} km/h"))
    for m in _LEVEL.finditer(text):
        found.append((m.start(), f"level {_format(_num(m.group(1)))}"))
    for m in _HEIGHT.finditer(text):
        kind = "box" if m.group(3).startswith("box") else m.group(3).rstrip("s")
        unit = "cm" if m.group(2).startswith("c") else "inch"
        found.append((m.start(), f"{_format(_num(m.group(1)))} {unit} {kind}"))
    for m in _HEIGHT_BARE.finditer(text):
        found.append((m.start(), f"{_format(_num(m.group(1)))} inch step"))
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
