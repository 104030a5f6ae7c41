"""Session facts from speech that ``sidekick.facts.session`` leaves out or over-reads.

- plan: "We'll recheck next visit" or "Two more sessions, then..." said at any point of the
  session is a plan statement, not only in its closing third;
- progress: a value compared with an earlier one ("Up from forty-eight", "Eighty-five and
  fifteen last week") is progress toward goals;
- skilled: only cue, correction, progression, regression, modification or reasoning sentences,
  never a dose, a measure, a home-program or next-visit remark, or a one-word "Better.";
- pain: a 0-10 rating of another symptom (nausea, dizziness, effort) is not pain, and a rating
  "when I got here" is the pain on arrival.
"""

from __future__ import annotations

import re

from sidekick.facts.measures import scan_numbers, split_sentences
from sidekick.models import Turn

NEXT = re.compile(
    r"\b(next (visit|session|time|week|appointment)|(\w+|\d+) more (\w+ )?(sessions?|visits?|"
    r"weeks?)|we'?ll (recheck|re-?test|re-?assess|reassess|progress|add|start|try|move)|"
    r"then we (move|go|start|add|progress)|see you (on |next )?\w+day|see you next)\b",
    re.I,
)
EARLIER = re.compile(
    r"\b(up|down) from\b|\blast (week|time|visit|session|month)\b|\bat (the |your )?"
    r"(evaluation|eval|start|first visit)\b|\bbetter than (last|before)\b|\bimproved from\b|"
    r"\bwas \w+(-\w+)? (at|last|on)\b",
    re.I,
)


def spoken_plan(turns: list[Turn]) -> list[str]:
    """Next-visit plans the therapist states anywhere in the session."""
    out: list[str] = []
    for turn in turns:
        if turn.speaker in ("patient", "other"):
            continue
        out += [s for _, s in split_sentences(turn.text) if NEXT.search(s)]
    return out


def spoken_progress(text: str) -> list[str]:
    """Values compared with an earlier visit: "Up from forty-eight", "Last week twenty-eight"
    (not a dose kept from last time: "Same as last time, two sets of twelve")."""
    return [
        s
        for _, s in split_sentences(text)
        if EARLIER.search(s) and scan_numbers(s) and not _DOSE.search(s)
    ]


_NOT_PLAN = re.compile(r"^(i|you|we|she|he)( know)?( you| i| we)? (will|won't)\W*$", re.I)


def real_plan(sentence: str) -> bool:
    """A plan statement, not a reply ("I will.", "I know you will.")."""
    return not _NOT_PLAN.match(sentence.strip())


# --------------------------------------------------------------------------- skilled

_HOME_OR_LATER = re.compile(
    r"\b(at home|for home|home (program|exercises?)|hep|every (day|morning|night|\w+ hours?)|"
    r"daily|times a day|next (visit|time|week|session)|week \w+ we)\b",
    re.I,
)
_DOSE = re.compile(
    r"\b(sets?|reps?|by|times|seconds?|minutes?|rounds?|of those|each (side|way|leg)|holds?)\b",
    re.I,
)
_CHANGE = re.compile(
    r"\b(drop (to|it)|reduce|if (you|it)|instead|make (it|that)|progress\w*|regress\w*|easier|"
    r"harder|lighter|heavier|modif\w*|because|so (that|you|the|we))\b",
    re.I,
)
_TEST = re.compile(
    r"\btest\b|questionnaire|\bmeasure\b|out of (ten|five|\d+)|as (hard|far|fast|long) as you can",
    re.I,
)
_ALONE = re.compile(r"^(slow(er)?|breathe|relax|easy|gently|control|think big|louder)\b", re.I)
_TRANSITION = re.compile(r"^(now|okay|ok|next|then|first|last one|alright|all right)\b", re.I)
_DIRECTIVE = re.compile(
    r"\b(keep|don'?t|do not|stay|push|press|squeeze|tighten|bring|drop|relax|slow|control|pinch|"
    r"watch|look|breathe|straighten|soft|level|tall|in line|drift\w*|leaning|shift\w*|only|not|"
    r"let|feel|toward|through|correct|guard\w*|swing|think|eyes up|head up)\b",
    re.I,
)


_FAULT = re.compile(r"\b(is|are|you're|it's) \w+ing\b|\bno \w+ing\b", re.I)


def is_skilled(sentence: str, *, hands_on: bool = False) -> bool:
    """True for a cue, correction, progression, regression, modification or reasoning."""
    s = sentence.strip()
    if _HOME_OR_LATER.search(s) or _TEST.search(s):
        return False
    if scan_numbers(s) and _DOSE.search(s) and not _CHANGE.search(s):
        return False  # an exercise's dose ("Heel slides, two sets of twelve")
    words = re.findall(r"[a-z']+", s.lower())
    if len(words) < 3 and not _ALONE.search(s):
        return False  # "Better.", "Chin tucks.", "Okay, splint."
    if hands_on or _CHANGE.search(s):
        return True
    if re.search(r"\b(yes|no|okay)[.!]?$", s, re.I):
        return False  # an answer ("Lower body yes.")
    return bool(_DIRECTIVE.search(s) or _FAULT.search(s)) and not (
        _TRANSITION.search(s) and not _DIRECTIVE.search(s)
    )


# --------------------------------------------------------------------------- pain

OTHER_RATING = re.compile(
    r"\b(nause\w*|queas\w*|dizz\w*|spinning|vertigo|effort|exertion|rpe|how hard|breathless\w*|"
    r"short of breath|fatigue|tired|confiden\w*|anxi\w*|stress\w*|numb\w*|tingl\w*)\b",
    re.I,
)
_PAIN_WORD = re.compile(r"\b(pain\w*|hurt\w*|sore\w*|ache|aching)\b", re.I)
ARRIVAL = re.compile(
    r"\b(when i (got|came|walked) (here|in)|on (the way|arrival)|coming in|walking in)\b", re.I
)


def other_rating(question: str) -> bool:
    """The question asks for a 0-10 rating of something other than pain."""
    return bool(OTHER_RATING.search(question)) and not _PAIN_WORD.search(question)


def arrival_pain(answer: str) -> float | None:
    """A rating the patient ties to arriving ("Five when I got here")."""
    for _, sentence in split_sentences(answer):
        if ARRIVAL.search(sentence):
            nums = [n.value for n in scan_numbers(sentence) if 0 <= n.value <= 10]
            if nums:
                return nums[0]
    return None
