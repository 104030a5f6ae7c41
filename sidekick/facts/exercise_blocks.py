"""The building blocks of exercise reading: patterns, the exercise block and its dose.

Shared by ``sidekick.facts.exercises`` (sessions) and ``sidekick.facts.exercise_notes``
(written notes): which sentences are about today, the lexicon hits of a text, how one
sentence's ``Dose`` folds into an exercise block, and how a block becomes an ``Exercise``
(sets, reps, hold and duration resolved from the raw quantities; the side from the words or
the diagnosis).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sidekick.facts.doses import Dose, parse_dose
from sidekick.facts.lexicon import Hit, Lexicon, LexiconEntry, words
from sidekick.facts.numbers import words_to_digits
from sidekick.models import Exercise, Side, Span

_SENTENCE = re.compile(r"(?:[^.!?;\n]|(?<=\d)\.(?=\d))+[.!?;]*")  # "0.5 kg" is one sentence
_FUTURE = re.compile(
    r"\b(next\s+(?:time|visit|week|session|appointment)|we'?ll\s+(?:add|start|try|progress|"
    r"work\s+up|go\s+up)|(?:i|we)\s+(?:want|plan|hope)\s+to\s+(?:add|try|start)|i'?d\s+like\s+to\s+"
    r"(?:add|try|start)|going\s+to\s+add|not\s+today|home|hep|homework|"
    r"(?:once|twice|\w+\s+times)\s+(?:a|per)\s+(?:day|week)|every\s+(?:day|other\s+day|morning|"
    r"night|evening)|each\s+(?:day|morning|night)|daily(?!\s+exercises)|before\s+bed|maybe\s+next|"
    r"until\s+we\s+see|skip\s+the|no\s+\w+\s+yet)\b",
    re.I,
)
_GOAL = re.compile(r"\b(goals?|aim(?:ing)?\s+for|target|want\s+to\s+get\s+you)\b", re.I)
_PAST = re.compile(
    r"\b((?<!as\s)(?<!like\s)last\s+(?:time|week|visit|session|month|tuesday|thursday|monday|"
    r"wednesday|friday)|yesterday|used\s+to|at\s+(?:the|your)\s+(?:evaluation|eval|start|first\s+visit)|"
    r"previously|was|were|(?:moved|progressed|switched|changed|went|bumped)\s+(?:up\s+|down\s+)?"
    r"from|up\s+from\s+(?:last|\d)|than\s+the|"
    r"from\s+the\s+(?:red|green|blue|yellow|black|silver|orange|purple)|"
    r"we\s+did|you\s+(?:just\s+)?did|we\s+used|you'?ve\s+(?:moved|gone|been))\b",
    re.I,
)
_MEASURE = re.compile(
    r"\b(degrees?|percent(?!\s+(?:incline|grade))|out\s+of\s+(?:5|five|10|ten|100)|(?:is|was)\s+[\w-]+\s+out\s+of|questions|score[ds]?|tests?|tested|measure|"
    r"measuring|goniometer|inclinometer|dynamometer|as\s+many(?:\s+times)?\s+as|as\s+long\s+as|"
    r"as\s+fast\s+as|as\s+hard\s+as|i'?m\s+timing|zero\s+to\s+ten|0\s+to\s+10|centimeters?(?!\s+(?:steps?|box|platform|stool|curb))|"
    r"millimeters?|pain[\s-]free|questionnaire|fast\s+as\s+you|timing|stopwatch)\b|\d\.\d+\s*(?:seconds?|secs?|s\b|cm|centimeters?|"
    r"(?:kg|kilo(?:gram)?s?|pounds?|lbs?)\b(?!\s+(?:ankle|cuff|wrist|dumbbells?|weights?|kettlebells?|balls?|medicine|plates?|bars?)))|"
    r"\bpoint\s+\w+\s+seconds|\b\S+\s+(?:pounds?|kilos?|kg|lbs?)\s+(?:on\s+the\s+)?(?:left|right)\b|"
    r"\b(?:30|thirty)[\s-]*s(?:ec(?:ond)?)?\s+(?:chair\s+stand|sit[\s-]+to[\s-]+stand)|"
    r"\b(?:5|five)\s*x?\s*(?:times\s+)?sit[\s-]+to[\s-]+stand|\btug\b|timed\s+up\s+and\s+go|"
    r"\bberg\b|dynamic\s+gait\s+index|\b(?:6|six)[\s-]*minute\s+walk|"  # named tests
    r"\bthe\s+chair\s+stand\b(?!s)|\bstands\s+in\s+(?:30|thirty)\s+seconds|"  # 30-s chair stand
    r"\bbalance\s+scale|\btimed\s+walk|\bwalk(?:ing)?\s+speed|\bmeters?\s+(?:per|a)\s+second|"
    r"\b(?:grip|pinch)\s+(?:strength|is|was)\b|\bstrength\s+(?:is|was)\b|"  # strength values
    r"\b(?:[0-5]|one|two|three|four|five)\s+(?:minus|plus)\b",
    re.I,
)
#: The therapist's hands-on work (manual therapy) is not an exercise the patient performs.
_MANUAL = re.compile(
    r"\b(i'?m\s+(?:going\s+to\s+)?(?:glid|mobiliz|massag|press|releas|distract|manipulat|"
    r"work(?:ing)?\s+(?:on|along)|push(?:ing)?\s+(?:on|down)|pull(?:ing)?\s+the)|"
    r"(?:i'?ll|i\s+will)\s+(?:glide|mobilize|work\s+(?:on|along)|keep\s+the\s+glide)|hands-on|"
    r"soft\s+tissue|manual\s+therapy|"
    r"joint\s+(?:work|mobilization)|grade\s+(?:one|two|three|four|i{1,3}|iv|[1-4])\b|"
    r"interferential|e-?stim|electrical\s+stim\w*|ultrasound|iontophoresis|hot\s+packs?|"
    r"cold\s+packs?|ice\s+packs?|moist\s+heat|mechanical\s+traction|tens\s+unit|thermoplastic)",
    re.I,
)
#: The therapist reading out the session's time ("twenty-four minutes of exercise, ten of
#: balance work... forty-two timed minutes"): billing talk, never an exercise's dose.
_TIME_TALK = re.compile(
    r"\b(?:timed\s+minutes|minute\s+(?:visit|session)|treatment\s+time|total\s+(?:timed\s+)?"
    r"minutes)\b|(?:\bminutes?\s+(?:of|on)\b.*){2,}",
    re.I,
)
#: A test being set up: the values that follow are the test's, not the last exercise's.
_TEST_SETUP = re.compile(
    r"\b(as\s+(?:long|many(?:\s+times)?|fast|far|high)\s+as\s+you\s+can|i'?m\s+timing|"
    r"stopwatch|(?:balance|strength|walk|questionnaire)\s+test|let'?s\s+(?:test|measure|check)|"
    r"(?:some|more|the)\s+testing)\b",
    re.I,
)
_INTRO = re.compile(
    r"^\s*(?:\w+[,.!]\s+)?(?:now|next|okay|ok|alright|all\s+right|first|then|last\s+one|"
    r"let'?s|time\s+for|over\s+to|on\s+to|back\s+to|and)\b",
    re.I,
)
#: "Then next time we try four. Okay, practical stuff." - back to today after a future remark.
_NEW_TOPIC = re.compile(
    r"^\s*(?:good[,.!]?\s+)?(?:now|okay|ok|alright|all\s+right|let'?s\s+(?!see|talk)|time\s+for|"
    r"on\s+to|back\s+to)\b", re.I,
)
_SUMMARY = re.compile(r"^\s*(?:\w+[,.]?\s+)?(?:that'?s|that\s+was|you\s+did|those\s+were)\b", re.I)
_CLAUSE = re.compile(r"[^,;()]+")
_FILLER = re.compile(
    r"^(?:(?:good|great|nice|okay|ok|alright|perfect|now|next|so|then|and|last\s+one|first|"
    r"let'?s|do|try|we'?ll\s+do|time\s+for|over\s+to|the|a|an|some|this|here'?s|on\s+to|on\s+with|"
    r"back\s+to|real[- ]life\s+stuff|last|i\s+want\s+you\s+to|i'?d\s+like\s+you\s+to|"
    r"we'?re\s+going\s+to|you'?re\s+going\s+to|go\s+ahead\s+and|start\s+with|"
    r"(?:over\s+)?(?:at|to|on)\s+the\s+(?:table|mat|wall|counter|bars|parallel\s+bars|plinth|"
    r"sink|stairs))\b[\s,.:!]*)+",
    re.I,
)
_DOSE_WORDS = re.compile(
    r"\b(\d+|sets?|reps?|of|times?|rounds?|hold|for|seconds?|minutes?|each|side|leg|with|"
    r"the|and|a|an)\b", re.I,
)


_QTY = ("sets", "reps", "times", "rounds", "hold_s", "seconds", "duration_s", "more_times")
_FRESH = ("sets", "reps", "times", "rounds")
_GENERIC_LOADS = {"band", "putty", "FlexBar", "weight", "ankle weight", "dumbbell", "kettlebell",
                  "level", "step", "box", "bag", "basket", "can", "rubber band", "mmHg"}


@dataclass
class _Block:
    """One exercise being read: what is known so far and where it came from."""

    entry: LexiconEntry | None
    name: str
    span: Span
    prev: _Block | None = None  # the block before it (for "same band", "the bag")
    fields: dict[str, object] = field(default_factory=dict)
    last: str | None = None  # the dose field stated last (what "make that N" changes)
    load: str | None = None
    side: Side | None = None
    working_side: bool = False
    both_named: bool = False

    def has_dose(self) -> bool:
        return any(self.fields.get(k) is not None for k in _QTY)


def _absorb(block: _Block, dose: Dose, text: str, *, override: bool, new: bool = False) -> None:
    """Fold one sentence's dose into a block (override: intro or correction; new: its turn)."""
    if dose.make_that is not None and dose.correction:
        _apply_make_that(block, dose.make_that)
    if dose.same_dose and not block.has_dose() and block.prev is not None:
        block.fields = dict(block.prev.fields)  # "Clamshells, same thing."
    for name in dose.order:
        value = getattr(dose, name) if name != "load" else None
        if value is None:
            continue
        if override or block.fields.get(name) is None:
            block.fields[name] = value
            block.last = name
    if dose.counted is not None and (override or new) and block.fields.get("reps") is None:
        block.fields["reps"] = dose.counted
    if dose.bare is not None and new and not (block.fields.get("reps")
                                              or block.fields.get("times")):
        block.fields["reps"] = dose.bare  # "Hold three seconds. Ten." in the intro turn
    if dose.times_through:
        block.fields["times_through"] = True
    if dose.of_those:
        block.fields["of_those"] = True
    if dose.min_sets and dose.min_sets > int(block.fields.get("min_sets") or 0):  # type: ignore[call-overload]
        block.fields["min_sets"] = dose.min_sets
    for name in ("more_times", "extra_sets"):
        if getattr(dose, name) is not None:
            block.fields.setdefault(name, getattr(dose, name))
    _absorb_load(block, dose, text)
    if block.side in ("left", "right") and dose.side in ("left", "right") \
            and dose.side != block.side and _SWITCH_SIDE.search(text):
        block.side = "bilateral"  # "fifteen on the right. Now flip over, the left": both sides
    elif dose.side and (override or block.side is None or dose.working_side):
        block.side = dose.side  # type: ignore[assignment]
        block.working_side, block.both_named = dose.working_side, dose.both_named


#: Moving on to the other limb with the same exercise ("Now the left", "flip over", "switch").
_SWITCH_SIDE = re.compile(r"\b(?:now|then)\s+(?:the\s+)?(?:left|right)\b|\bflip\s+over\b|\bswitch\b"
                          r"|\bother\s+(?:side|leg|arm)\b", re.I)


def _apply_make_that(block: _Block, value: float) -> None:
    number = re.match(r"(\d+(?:\.\d+)?)\s+(lb|kg)\b(.*)", block.load or "")
    if value > 50 and number:
        block.load = f"{value:g} {number.group(2)}{number.group(3)}"
        return
    if block.last == "duration_s" and block.fields.get("reps") is None and value <= 60:
        block.fields["duration_s"] = value * 60  # "fifteen minutes ... make it ten": minutes
        return
    target = block.last if block.last in ("reps", "hold_s", "seconds", "times") else "reps"
    if target == "reps" and block.fields.get("reps") is None and block.fields.get("times"):
        target = "times"
    block.fields[target] = int(value) if target in ("reps", "times") else value
    block.last = target


def _same_implement(new: str, old: str | None) -> str:
    """ "drop to the one pound" after "the two pound weight": still the weight (1 lb weight)."""
    implement = re.match(r"\d+(?:\.\d+)?\s+(lb|kg)\s+(\D+)$", old or "")
    bare = re.fullmatch(r"\d+(?:\.\d+)?\s+(lb|kg)", new)
    if implement and bare and implement.group(1) == bare.group(1):
        return f"{new} {implement.group(2)}"
    return new


def _absorb_load(block: _Block, dose: Dose, text: str) -> None:
    loads = block.entry.loads if block.entry else []
    if dose.no_load:
        block.load = None
    elif dose.load:
        block.load = _same_implement(dose.load, block.load)
    elif dose.load_colour:
        current = re.match(r"\w+\s+(band|putty|FlexBar)$", block.load or "")
        kinds = [k for k in ("band", "putty", "FlexBar") if k in loads]
        if current:
            block.load = f"{dose.load_colour} {current.group(1)}"
        elif kinds:
            block.load = f"{dose.load_colour} {kinds[0]}"
    if block.load is not None:
        return
    low = text.lower()
    prev_load = block.prev.load if block.prev else None
    implement = re.search(r"\b(bag|box|basket|dumbbells?|kettlebell|ball|cans?|bar|band|putty)$",
                          prev_load or "")
    named = implement and re.search(
        rf"(?:^\s*|\b(?:the|this|that|your|same)\s+){implement.group()}\b", low)
    if prev_load and (dose.same_load or named):
        block.load = prev_load
        return
    for kind in loads:
        if kind not in _GENERIC_LOADS and re.search(rf"\b{re.escape(kind)}\b", low):
            block.load = kind


# --------------------------------------------------------------------------- helpers


def _sentences(text: str) -> list[str]:
    text = re.sub(r"\b(Dr|Mr|Mrs|Ms|St|Mt)\.", r"\1", text)
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def _drop(sentence: str, pattern: re.Pattern[str]) -> str:
    """The sentence without its clauses that match ``pattern`` (earlier visits, tests)."""
    kept = [c for c in _CLAUSE.findall(sentence) if c.strip() and not pattern.search(c)]
    return ", ".join(c.strip() for c in kept)


_CARRY = re.compile(
    r"(\d+)\s+(pounds?|lbs?|kilos?|kg)\b([^.]*?\b(?:today|now)\b\D{0,15}?)(\d+)\b"
    r"(?!\s*(?:pounds?|lbs?|kilos?|kg|sets?|reps?|times|seconds?|minutes?))"
)


def _carry_unit(sentence: str) -> str:
    """ "Last time we did fifteen pounds, today it's twenty" -> "... today it's 20 pounds"."""
    text = words_to_digits(sentence)
    return _CARRY.sub(lambda m: f"{m.group(1)} {m.group(2)}{m.group(3)}{m.group(4)} {m.group(2)}",
                      text)


def _drop_past(sentence: str) -> str:
    return _drop(sentence, _PAST)


def _score(hit: Hit) -> float:
    return hit.score * 2 if hit.via == "describe" else hit.score


def _covers(desc: Hit, strong: Hit) -> bool:
    """True when a description spells out a named exercise and more ("band" + "side step")."""
    desc_words = {w for items in desc.entry.describe for item in items for w in words(item)}
    return any(set(words(p)) <= desc_words for p in [strong.entry.name, *strong.entry.synonyms])


def _hits(lexicon: Lexicon, text: str) -> list[Hit]:
    """Exercises named in ``text``: synonyms, or the best description or weak word."""
    tokens = words(text)
    names = lexicon.names(tokens)
    strong = [h for h in names if h.via == "name"]
    best_desc = max(lexicon.descriptions(tokens), key=_score, default=None)
    if strong:
        if best_desc and len({h.entry.name for h in strong}) == 1 and (
            _score(best_desc) > strong[0].score or _covers(best_desc, strong[0])
        ):
            return [best_desc]
        return strong
    candidates = [h for h in names if h.via == "weak"] + ([best_desc] if best_desc else [])
    best = max(candidates, key=_score, default=None)
    return [best] if best else []


def diagnosis_side(text: str | None) -> Side | None:
    """The side named in a diagnosis ("Right total knee arthroplasty" -> right)."""
    t = (text or "").lower()
    if "bilateral" in t or ("left" in t and "right" in t):
        return "bilateral"
    if re.search(r"\b(left|l)\b", t):
        return "left"
    if re.search(r"\b(right|r)\b", t):
        return "right"
    return None


def _default_side(entry: LexiconEntry | None, dx_side: Side | None) -> Side | None:
    if entry is None:
        return dx_side
    if entry.laterality == "bilateral":
        return "bilateral"
    if entry.laterality == "unilateral":
        return dx_side
    return None


#: Dose shorthand left in a written name ("2x10", "3#", "2 lb", a side letter).
_WRITTEN_DOSE = re.compile(
    r"\b\d+(?:\.\d+)?\s*(?:[x×]\s*\d+|#|lbs?\b|kg\b|sec\b|min\b|reps?\b|sets?\b)|"
    r"\b[x×]\s*\d+\b|\b(?:lbs?|kg|w|ea|[lrb]|rle|lle|ble|rue|lue|bue)\b", re.I,
)


def _activity_name(sentences: list[str]) -> str:
    """A short name for an activity the lexicon does not know, from its intro words."""
    ordered = sorted(sentences, key=lambda t: bool(parse_dose(t).has_dose()))
    for sentence in ordered:
        clause = _FILLER.sub("", _FILLER.sub("", sentence).split(",")[0]).strip(" .!:")
        if parse_dose(clause).has_dose():
            digits = words_to_digits(clause)
            head = re.split(r"\s+(?=\d|[x×]\s?\d)", digits)[0]  # "marble transfers 2x10 R ..."
            clause = head if len(head) >= 3 and not head[0].isdigit() else digits
            clause = _DOSE_WORDS.sub(" ", _WRITTEN_DOSE.sub(" ", clause))
        name = " ".join(clause.split()[:6]).strip(" .,").lstrip("-*• ").lower()
        if len(name) >= 3 and not re.fullmatch(r"[\d\s]+", name):
            return name
    return "unnamed activity"


def _resolve(block: _Block) -> dict[str, float | None]:
    """Sets, reps, hold and duration from the raw quantities read for one exercise."""
    f = block.fields
    sets, reps, hold = f.get("sets"), f.get("reps"), f.get("hold_s")
    seconds, times, rounds = f.get("seconds"), f.get("times"), f.get("rounds")
    duration = f.get("duration_s")
    kind = block.entry.kind if block.entry else None
    isometric = bool(block.entry and "isometric" in block.entry.name.lower())  # seconds: a hold
    if hold is None and seconds is not None:
        if kind == "timed" and not (times or rounds or sets):
            duration = duration or seconds
        elif kind in ("hold", "timed") or (kind is None and reps is None) or isometric:
            hold = seconds  # "thirty seconds, three times"; for reps it is tempo
        elif reps is None and not (times or rounds or sets):
            duration = duration or seconds  # "marches, thirty seconds": a timed bout
        elif reps is None and float(seconds) >= 10:  # type: ignore[arg-type]
            hold = seconds  # "head turns, thirty seconds, three rounds": repeated timed bouts
    bouts = kind == "reps" and hold is not None and hold == seconds and f.get("hold_s") is None \
        and float(seconds) >= 10  # type: ignore[arg-type]
    if hold is None and duration is not None and times is not None and reps is None \
            and sets is None:
        hold, duration, sets, times = duration, None, times, None  # "one minute, three times"
    if times is not None:
        if f.get("times_through") and reps is None:
            reps = times
        elif hold is not None and reps is None and sets is None and (kind != "reps" or bouts) \
                and not (f.get("of_those") and float(hold) < 30):  # type: ignore[arg-type]
            sets = times  # "thirty seconds, three times"; a rep exercise's hold is per rep
        elif reps is None:
            reps = times
        elif sets is None:
            sets = times
    if rounds is not None and sets is None:
        many = int(rounds) >= 5  # type: ignore[call-overload]
        if kind == "reps" and many and reps is None and hold is None and duration is None:
            reps = rounds  # "Ten rounds" alone counts repetitions
        sets = rounds if reps is not rounds else None
    if reps is None and f.get("more_times") and sets is None:
        reps = 1 + int(f["more_times"])  # type: ignore[call-overload]
    if sets is None and reps is not None and f.get("extra_sets"):
        sets = 1 + int(f["extra_sets"])  # type: ignore[call-overload]
    least = f.get("min_sets")
    if least and (reps is not None or hold is not None) and (sets is None or sets < least):  # type: ignore[operator]
        sets = least  # "okay, second set": at least two
    if sets is None and (reps is not None or hold is not None or duration is not None):
        sets = 1
    return {"sets": sets, "reps": reps, "hold_s": hold, "duration_s": duration}  # type: ignore[dict-item]


def _to_exercise(block: _Block, dx_side: Side | None) -> Exercise:
    r = _resolve(block)
    side = block.side or _default_side(block.entry, dx_side)
    if block.entry is not None and block.entry.laterality == "none":
        side = None  # cardio, trunk, jaw, whole-body tasks: a side word is about something else
    elif block.entry is not None and block.entry.laterality == "bilateral" and side in (
            "left", "right") and not block.working_side:
        side = "bilateral"  # "push through the left too": a cue for a two-legged exercise
    elif block.entry is not None and block.entry.laterality == "unilateral" and block.both_named \
            and dx_side in ("left", "right"):
        side = dx_side  # "left leg on the box, lower the right heel": the affected side works
    return Exercise(
        name=block.name, side=side,
        sets=_int(r["sets"]), reps=_int(r["reps"]), hold_s=r["hold_s"], load=block.load,
        duration_s=r["duration_s"], span=block.span,
    )


def _int(v: object) -> int | None:
    return None if v is None else int(float(v))  # type: ignore[arg-type]


def _inherit(blocks: list[_Block]) -> None:
    """A dose said once for a series ("four directions, two sets of fifteen each")."""
    for prev, block in zip(blocks, blocks[1:], strict=False):
        if block.entry is None or prev.entry is None or not block.entry.family:
            continue
        if block.entry.family != prev.entry.family:
            continue
        if not block.has_dose() and prev.has_dose():
            block.fields = dict(prev.fields)
        if block.load is None and prev.load and "band" in block.entry.loads:
            block.load = prev.load


def _any(sentences: list[str], pattern: re.Pattern[str]) -> bool:
    return any(pattern.search(s) for s in sentences)


def _fresh(dose: Dose) -> bool:
    return any(getattr(dose, k) is not None for k in (*_FRESH, "counted"))


def _split_at_hits(text: str, hits: list[Hit]) -> list[tuple[Hit, str]]:
    """Each hit with the text from it to the next hit (its dose follows its name)."""
    if len(hits) == 1:
        return [(hits[0], text)]
    pieces = [p for p in re.split(r",\s*|\band\b", text) if p.strip()]
    out: list[tuple[Hit, str]] = []
    for piece in pieces:
        found = _hits_names(piece, hits)
        if found is not None:
            out.append((found, piece))
        elif out:
            out[-1] = (out[-1][0], out[-1][1] + ", " + piece)
    return out or [(hits[0], text)]


def _hits_names(piece: str, hits: list[Hit]) -> Hit | None:
    tokens = words(piece)
    for hit in hits:
        for phrase in [hit.entry.name, *hit.entry.synonyms, *hit.entry.weak]:
            key = words(phrase)
            if key and any(tokens[i:i + len(key)] == key for i in range(len(tokens))):
                return hit
    return None
