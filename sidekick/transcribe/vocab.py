"""Domain vocabulary: decoding hints and the lexicon repair pass.

Three tricks were measured (``bench/bench_transcribe.py``; figures in the module docstring
there and in the README):

* ``initial_prompt`` / ``hotwords`` with PT/OT terms bias Whisper's decoder. On tiny.en they made
  recognition worse (the model repeats prompt words), so vocabulary mode defaults to ``none``.
* The repair pass (default on) rewrites near-miss words onto the exercise lexicon after
  decoding. Spelling and spacing variants ("clam shells", "ham string curls") are always
  repaired; sound-alike confusions that are ordinary English ("he slides", "one sec") are
  repaired only when the turn (or the one before) is about doing an exercise: a dose (sets,
  reps, seconds, hold), or a teaching phrase ("let's do", "next", "start with").

The lexicon is ``sidekick.facts.lexicon`` when that module provides exercise names, merged with
the built-in list below.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from rapidfuzz import fuzz, utils

from sidekick.models import Turn

logger = logging.getLogger(__name__)

# Common PT/OT exercise names as Whisper should write them.
BUILTIN_TERMS = (
    "quad sets", "heel slides", "straight leg raises", "short arc quads", "long arc quads",
    "terminal knee extension", "ankle pumps", "glute sets", "clamshells", "bridges",
    "hamstring curls", "hamstring stretch", "calf raises", "heel raises", "mini squats",
    "wall sits", "step-ups", "lateral step-downs", "sit to stand", "side-lying hip abduction",
    "standing hip abduction", "hip flexor stretch", "lateral band walks", "monster walks",
    "single leg stance", "tandem stance", "bird dog", "dead bug", "cat-camel", "pallof press",
    "chin tucks", "scapular retraction", "scaption", "wall slides", "pendulums",
    "external rotation", "internal rotation", "rows", "tendon glides", "nerve glides",
    "putty", "TheraBand", "dorsiflexion", "plantarflexion", "inversion", "eversion",
    "abduction", "adduction", "quadriceps", "hamstrings", "gastrocnemius", "soleus",
    "recumbent bike", "NuStep", "upper body ergometer", "romanian deadlift", "lunges",
)

# Sound-alike confusions small Whisper models make on these terms. They are ordinary words,
# so they are repaired only in exercise context.
CONFUSIONS: dict[str, tuple[str, ...]] = {
    "quad sets": ("one sec", "one sex", "one test", "one set's", "quad sex", "quad says",
                  "what sets", "quads sets", "quad set's", "word sets", "wad sets", "quad sits"),
    "heel slides": ("he slides", "he'll slides", "he'll slide", "heal slides", "hill slides",
                    "hell slides", "heels slides", "he slights"),
    "heel slide": ("heal slide", "he slide"),
    "glute sets": ("glue sets", "glute sex", "gloot sets"),
    "heel raises": ("heal raises", "he raises", "hill raises"),
    "calf raises": ("cafe raises", "calf races", "caf raises"),
    "clamshells": ("clam shells", "clam shell", "clamshell's", "clam shows"),
    "straight leg raises": ("straight leg raids", "straight leg races", "straight lake raises"),
    "short arc quads": ("short arc quad", "short ark quads", "short arc wads"),
    "long arc quads": ("long arc quad", "long ark quads", "long arc wads"),
    "terminal knee extension": ("terminal need extension", "terminal knee extensions"),
    "ankle pumps": ("angle pumps", "ankle bumps"),
    "mini squats": ("many squats", "mini squads"),
    "bridges": ("bridge is",),
}

_DOSE = re.compile(
    r"\b(\d+|one|two|three|four|five|six|eight|ten|twelve|fifteen|twenty|thirty)\s+"
    r"(sets?|reps?|repetitions|times|seconds?|second hold|rounds?)\b|"
    r"\b(sets? of|reps? of|hold (it|that|for)|holding|each side|per side|another set)\b",
    re.IGNORECASE,
)
_TEACH = re.compile(
    r"\b(let'?s (do|start|try|go)|next (is|up|one|exercise)|start with|move on to|"
    r"show you|we'?ll do|do some|exercise)\b",
    re.IGNORECASE,
)
# "Give me one sec" is not the exercise.
_NOT_EXERCISE = re.compile(r"\b(give me|just|wait|hang on|hold on|for|in)\s*$", re.IGNORECASE)


@lru_cache(maxsize=1)
def lexicon_terms() -> tuple[str, ...]:
    """Exercise names: the shared lexicon when available, plus the built-in list."""
    terms = list(BUILTIN_TERMS)
    try:  # the facts engineer's lexicon (issue: exercise lexicon); optional here
        from sidekick.facts import lexicon as shared  # type: ignore[attr-defined]

        names = getattr(shared, "exercise_names", None)
        if callable(names):
            terms += [n for n in names() if isinstance(n, str)]
    except Exception as exc:  # noqa: BLE001 - a broken optional lexicon must not stop ASR
        logger.debug("shared lexicon unavailable: %s", type(exc).__name__)
    seen: dict[str, str] = {}
    for term in terms:
        seen.setdefault(term.lower(), term)
    return tuple(seen.values())


def decoding_vocabulary(mode: str) -> dict[str, str]:
    """Keyword arguments for faster-whisper: an initial prompt, hotwords, or nothing."""
    if mode == "none":
        return {}
    terms = ", ".join(BUILTIN_TERMS[:30])
    if mode == "prompt":
        return {"initial_prompt": f"Physical therapy session. Exercises: {terms}."}
    if mode == "hotwords":
        return {"hotwords": terms}
    raise ValueError(f"unknown vocabulary mode {mode!r}")


def _in_exercise_context(text: str, before: str) -> bool:
    return bool(_DOSE.search(text) or _TEACH.search(text) or _DOSE.search(before))


def _replace(text: str, wrong: str, right: str, context: str | None) -> tuple[str, int]:
    pattern = re.compile(rf"(?<![\w']){re.escape(wrong)}(?![\w'])", re.IGNORECASE)
    count = 0

    def swap(match: re.Match[str]) -> str:
        nonlocal count
        if context is not None:
            if not _in_exercise_context(text, context):
                return match.group(0)
            if _NOT_EXERCISE.search(text[: match.start()]):
                return match.group(0)
        count += 1
        return _same_case(match.group(0), right)

    return pattern.sub(swap, text), count


def _fuzzy_fix(text: str, terms: Sequence[str]) -> tuple[str, int]:
    """Spelling/spacing variants of multi-word terms (ratio >= 92 with spaces removed)."""
    words = text.split()
    fixes = 0
    for term in terms:
        n = len(term.split())
        if n < 2 or len(words) < n - 1:
            continue
        for size in (n - 1, n, n + 1):
            for i in range(len(words) - size + 1):
                window = " ".join(words[i:i + size])
                core = window.strip(".,;:!?")
                if core.lower().rstrip("s") == term.lower().rstrip("s") or len(core) < 8:
                    continue
                score = fuzz.ratio(_squash(core), _squash(term), processor=None)
                if score >= 92 and not _merges_other_word(core, term):
                    tail = window[len(window.rstrip(".,;:!?")):]
                    words[i:i + size] = [_same_case(core, term) + tail] + [""] * (size - 1)
                    fixes += 1
        words = [w for w in words if w]
    return " ".join(words), fixes


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", utils.default_process(text))


def _same_case(heard: str, term: str) -> str:
    return term[:1].upper() + term[1:] if heard[:1].isupper() else term


def _merges_other_word(window: str, term: str) -> bool:
    """A window with more words than the term must not swallow a real extra word."""
    return len(window.split()) > len(term.split()) and \
        len(window.replace(" ", "")) > len(term.replace(" ", "").replace("-", "")) + 1


_NUMBER = r"(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)"
# "three sets on ten": "of" is heard as "on"/"and" between a dose noun and a number.
_DOSE_OF = re.compile(
    rf"\b(sets?|reps?|rounds?) (?:on|and|in) (?={_NUMBER}\b(?! (sets?|reps?|times|more|of)\b))",
    re.IGNORECASE,
)


def repair_text(text: str, before: str = "") -> tuple[str, int]:
    """Repair one turn's text; ``before`` is the previous turn (context). Returns (text, fixes)."""
    text, fixes = _DOSE_OF.subn(r"\1 of ", text)
    for right, wrongs in CONFUSIONS.items():
        for wrong in wrongs:
            spelling = wrong.replace(" ", "") == right.replace(" ", "").replace("-", "")
            text, n = _replace(text, wrong, right, None if spelling else before)
            fixes += n
    text, n = _fuzzy_fix(text, lexicon_terms())
    return text, fixes + n


def repair_turns(turns: Iterable[Turn], previous: Turn | None = None) -> list[Turn]:
    """The repair pass over turns in order (``previous``: the turn before the first one)."""
    out: list[Turn] = []
    before = previous.text if previous else ""
    total = 0
    for turn in turns:
        text, fixes = repair_text(turn.text, before)
        total += fixes
        out.append(turn.model_copy(update={"text": text}) if fixes else turn)
        before = turn.text
    if total:
        logger.info("lexicon repair: %d fixes", total)
    return out
