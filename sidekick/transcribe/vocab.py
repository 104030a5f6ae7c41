"""Domain vocabulary: decoding hints and the lexicon repair pass.

Three tricks were measured (``bench/bench_transcribe.py``; figures in the module docstring
there and in the README):

* ``initial_prompt`` / ``hotwords`` with PT/OT terms bias Whisper's decoder. On tiny.en they made
  recognition worse (the model repeats prompt words), so vocabulary mode defaults to ``none``.
* The repair pass (default on) rewrites near-miss words onto the exercise lexicon after
  decoding. Spelling and spacing variants ("clam shells", "ham string curls") are always
  repaired; sound-alike confusions that are ordinary English ("he slides", "one sec") are
  repaired only when the segment (or the one before or after: Whisper segments split
  sentences) is about doing an exercise: a dose (sets, reps, seconds, hold) or a teaching
  phrase ("let's do", "next", "start with"), and not an aside ("give me one sec", "one sec,
  let me grab the band").

The terms are the project's exercise lexicon (``sidekick.facts.lexicon``: names and synonyms)
merged with the built-in list below; only names of 8+ letters and 2+ words (in the name or the
heard text) are fuzzy-repaired, and a heard phrase that is itself a lexicon name or synonym is
never changed.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import fuzz, process, utils

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
    "clamshells": ("clam shells", "clamshell's", "clam shows"),
    "straight leg raises": ("straight leg raids", "straight leg races", "straight lake raises",
                            "straight land raises", "straight lead raises"),
    "short arc quads": ("short ark quads", "short arc wads"),
    "long arc quads": ("long ark quads", "long arc wads"),
    "terminal knee extension": ("terminal need extension",),
    "ankle pumps": ("angle pumps", "ankle bumps"),
    "mini squats": ("many squats", "mini squads", "minis quads"),
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
# "Give me one sec" and "one sec, let me grab the band" are not the exercise.
_NOT_EXERCISE = re.compile(r"\b(give me|just|wait|hang on|hold on|for|in)\s*$", re.IGNORECASE)
_ASIDE_AFTER = re.compile(r"\W*(let me|let's get|i'?ll|i need|i'?m|while|please)\b",
                          re.IGNORECASE)


@lru_cache(maxsize=1)
def lexicon_terms() -> tuple[tuple[str, ...], frozenset[str]]:
    """(canonical exercise names, every accepted spelling as a words key).

    Names come from the project's exercise lexicon (``sidekick/data/lexicon/exercises.yaml``)
    and the built-in list; synonyms are accepted as written but never the target of a repair.
    """
    names = list(BUILTIN_TERMS)
    accepted = list(BUILTIN_TERMS)
    try:
        from sidekick.facts.lexicon import load_lexicon

        for entry in load_lexicon().entries:
            names.append(entry.name)
            accepted += [entry.name, *entry.synonyms]
    except Exception as exc:  # noqa: BLE001 - a broken optional lexicon must not stop ASR
        logger.warning("exercise lexicon unavailable (%s); using the built-in list",
                       type(exc).__name__)
    unique = tuple(dict.fromkeys(names))
    return unique, frozenset(" ".join(_words_key(a)) for a in accepted)


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


def _in_exercise_context(text: str, around: str) -> bool:
    return bool(_DOSE.search(text) or _TEACH.search(text) or _DOSE.search(around))


@lru_cache(maxsize=1)
def _confusion_pattern() -> tuple[re.Pattern[str], dict[str, tuple[str, bool]]]:
    """One pattern for every known confusion; lower-case heard text -> (term, needs context)."""
    lookup: dict[str, tuple[str, bool]] = {}
    for right, wrongs in CONFUSIONS.items():
        for wrong in wrongs:
            spelling = _squash(wrong) == _squash(right)
            lookup.setdefault(wrong.lower(), (right, not spelling))
    alternatives = "|".join(re.escape(w) for w in sorted(lookup, key=len, reverse=True))
    return re.compile(rf"(?<![\w'])(?:{alternatives})(?![\w'])", re.IGNORECASE), lookup


def _fix_confusions(text: str, around: str) -> tuple[str, int]:
    pattern, lookup = _confusion_pattern()
    count = 0

    def swap(match: re.Match[str]) -> str:
        nonlocal count
        right, needs_context = lookup[match.group(0).lower()]
        if needs_context and (not _in_exercise_context(text, around)
                              or _NOT_EXERCISE.search(text[: match.start()])
                              or _ASIDE_AFTER.match(text[match.end():])):
            return match.group(0)
        count += 1
        return _same_case(match.group(0), right)

    return pattern.sub(swap, text), count


@lru_cache(maxsize=1)
def _fuzzy_table() -> dict[str, dict[str, str]]:
    """First letter -> squashed name (no spaces or punctuation) -> canonical name (8+ letters).

    Spelling variants keep their first letter, so each window is compared with one bucket.
    """
    table: dict[str, dict[str, str]] = {}
    for term in lexicon_terms()[0]:
        key = _squash(term)
        if len(key) >= 8:
            table.setdefault(key[0], {}).setdefault(key, term)
    return table


def _words_key(text: str) -> list[str]:
    return [w.rstrip("s") for w in re.findall(r"[a-z0-9]+", text.lower())]


def _fuzzy_fix(text: str, cutoff: float) -> tuple[str, int]:
    """Near spellings of multi-word names: RapidFuzz ratio >= ``cutoff`` with spaces removed."""
    buckets = _fuzzy_table()
    words = text.split()
    out: list[str] = []
    fixes = i = 0
    while i < len(words):
        for size in (4, 3, 2, 1):
            window = " ".join(words[i:i + size])
            core = window.rstrip(".,;:!?")
            squashed = _squash(core)
            if i + size > len(words) or len(squashed) < 8 or squashed[0] not in buckets:
                continue
            table = buckets[squashed[0]]
            match = process.extractOne(squashed, list(table), scorer=fuzz.ratio, processor=None,
                                       score_cutoff=cutoff)
            if match is None:
                continue
            term = table[match[0]]
            n_term = len(term.split())
            if abs(size - n_term) > 1 or max(size, n_term) < 2 or _adds_letters(core, term):
                continue
            if " ".join(_words_key(core)) in lexicon_terms()[1]:
                out.append(window)  # already right: keep it whole
            else:
                plural = core.endswith("s") and not term.endswith("s")
                out.append(_same_case(core, term) + ("s" if plural else "")
                           + window[len(core):])
                fixes += 1
            i += size
            break
        else:
            out.append(words[i])
            i += 1
    return " ".join(out), fixes


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", utils.default_process(text))


def _same_case(heard: str, term: str) -> str:
    return term[:1].upper() + term[1:] if heard[:1].isupper() else term


def _adds_letters(window: str, term: str) -> bool:
    """True when the heard words hold more than the name (beyond a plural s), or run across
    a sentence break: "heel raises on", "chin tucked", "straight leg raise is", "chin tucks.
    A" must not become a name."""
    if any(w[-1] in ".,;:!?" for w in window.split()[:-1]):
        return True
    heard, name = _squash(window), _squash(term)
    return len(heard) > len(name) and heard != name + "s"


_NUMBER = r"(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)"
# "three sets on ten": "of" is heard as "on"/"and" between a dose noun and a number.
_DOSE_OF = re.compile(
    rf"\b(sets?|reps?|rounds?) (?:on|and|in) (?={_NUMBER}\b(?! (sets?|reps?|times|more|of)\b))",
    re.IGNORECASE,
)


# Ratio with spaces removed: 92+ is a spelling or spacing variant ("clam shells", "ham string");
# 88.5+ in exercise context catches one sound off ("he slides", "minis quads", "straight lead
# raises") while "shoulder rolls"/"rows" (88.0) and "external"/"internal rotation" (87.5) stay.
_CUTOFF_ALWAYS = 92.0
_CUTOFF_CONTEXT = 88.5


# Number words misheard right before a dose noun: "free sets of ten", "won set". ("to sets" is
# left alone: "go to sets" is English.)
_DOSE_NUMBER = re.compile(r"\b(free|tree|won)( (?:sets?|reps?|rounds?)\b)", re.IGNORECASE)
_NUMBER_FIX = {"free": "three", "tree": "three", "won": "one"}


def _fix_dose_number(match: re.Match[str]) -> str:
    word = match.group(1)
    return _same_case(word, _NUMBER_FIX[word.lower()]) + match.group(2)


def repair_text(text: str, around: str = "") -> tuple[str, int]:
    """Repair one segment's text; ``around`` is its neighbours' text (context).

    Returns:
        The repaired text and the number of fixes.
    """
    text, fixes = _DOSE_OF.subn(r"\1 of ", text)
    text, n_numbers = _DOSE_NUMBER.subn(_fix_dose_number, text)
    fixes += n_numbers
    text, n = _fix_confusions(text, around)
    cutoff = _CUTOFF_CONTEXT if _in_exercise_context(text, around) else _CUTOFF_ALWAYS
    text, m = _fuzzy_fix(text, cutoff)
    return text, fixes + n + m


def repair_turns(turns: Iterable[Turn], previous: Turn | None = None) -> list[Turn]:
    """The repair pass over turns in order (``previous``: the turn before the first one)."""
    turns = list(turns)
    texts = [previous.text if previous else ""] + [t.text for t in turns] + [""]
    out: list[Turn] = []
    total = 0
    for i, turn in enumerate(turns):
        text, fixes = repair_text(turn.text, f"{texts[i]} {texts[i + 2]}")
        total += fixes
        out.append(turn.model_copy(update={"text": text}) if fixes else turn)
    if total:
        logger.info("lexicon repair: %d fixes", total)
    return out
