"""Special tests said in a session: "Straight leg raise is negative on the right. Left as well."

A special test's result is a clause with the test's name and "positive" or "negative"; a next
sentence that names only the other side ("Left as well", "and the right is the same") repeats
the result for that side.
"""

from __future__ import annotations

import re

from sidekick.facts.measures import MeasureLexicon
from sidekick.facts.spoken_words import first_side
from sidekick.models import Measure, Side, Span

_SAME_OTHER_SIDE = re.compile(
    r"^(and )?(the |on the )?(right|left)( side)?( is| was)?( the same| as well| too| also)\b",
    re.I,
)

_BOTH = re.compile(r"\b(both sides|bilateral(ly)?|on both|each side)\b", re.I)


_RESULT_FIRST = re.compile(r"^(?:it'?s\s+|it\s+is\s+|that'?s\s+)?(positive|negative)\b", re.I)


def special_tests(
    sentence: str,
    span: Span,
    lex: MeasureLexicon,
    found: list[Measure],
    fallback_side: Side | None,
    previous: str = "",
) -> list[Measure]:
    """The special-test results of one sentence; ``found`` is what the session said so far.

    ``previous`` is the sentence before it in the same turn: "Straight leg raise on the right.
    Positive at fifty degrees." names the test in one sentence and gives its result in the next.
    """
    if _RESULT_FIRST.match(sentence.strip()) and previous \
            and not re.search(r"\b(?:positive|negative)\b", previous, re.I):
        sentence = f"{previous.rstrip(' .!')} {sentence.strip()}"
    same = _SAME_OTHER_SIDE.match(sentence.strip())
    last = found[-1] if found and found[-1].unit == "result" else None
    if same and last is not None and last.side != same.group(3).lower():
        return [last.model_copy(update={"side": same.group(3).lower(), "span": span})]
    out: list[Measure] = []
    for clause in re.split(r",|;|\band\b|\bbut\b", sentence):
        low = clause.lower()
        result = re.search(r"\b(positive|negative)\b", low)
        if not result:
            continue
        for st in lex.special_tests:
            if any(re.search(t, low) for t in st.triggers):
                side: Side | None = first_side(clause) or first_side(sentence) or fallback_side
                if _BOTH.search(sentence):
                    side = "bilateral"
                sides: list[Side | None] = ["right", "left"] if side == "bilateral" else [side]
                out += [
                    Measure(name=st.name, side=one, value=result.group(1), unit="result", span=span)
                    for one in sides
                ]
    return out
