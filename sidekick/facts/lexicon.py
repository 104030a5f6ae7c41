"""The exercise lexicon: canonical names, synonyms and colloquial descriptions.

The data lives in ``sidekick/data/lexicon/exercises.yaml`` (the one synonym table of the
project); a user file in the same format (``Settings.lexicon_file``) adds entries or extends
existing ones by name. Matching works on normalised, lightly stemmed words (plural -s and
-es dropped), so "Clamshells", "clam shell" and "CLAMSHELL" are one phrase.

Scores decide between overlapping candidates in one turn: a synonym scores 3 per word, a
"weak" synonym 1 per word, a description 1 per item. So "single-leg heel raise" beats "heel
raise", and "cut the putty" (a 2-item description) beats the weak word "putty".
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sidekick.errors import ConfigError
from sidekick.textmatch import normalise

logger = logging.getLogger(__name__)

BUILTIN = Path(__file__).resolve().parent.parent / "data" / "lexicon" / "exercises.yaml"


class LexiconEntry(BaseModel):
    """One exercise: its canonical name and the ways people name or describe it."""

    model_config = ConfigDict(extra="forbid")

    name: str
    synonyms: list[str] = Field(default_factory=list)
    weak: list[str] = Field(default_factory=list)
    describe: list[list[str]] = Field(default_factory=list)
    region: str | None = None
    laterality: Literal["unilateral", "bilateral", "none"] = "none"
    family: str | None = None
    loads: list[str] = Field(default_factory=list)
    kind: Literal["reps", "hold", "timed"] = "reps"


class LexiconFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    exercises: list[LexiconEntry]


@dataclass(frozen=True)
class Hit:
    """An exercise found in text: which entry, where (word indexes), how strongly."""

    entry: LexiconEntry
    start: int
    end: int
    score: float
    via: Literal["name", "weak", "describe"]


def stem(word: str) -> str:
    """A light stemmer for matching: drops plural endings only."""
    w = word.strip(".'")
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith(("ches", "shes", "sses", "xes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def words(text: str) -> list[str]:
    """Normalised, stemmed words of ``text``."""
    return list(_words(text))


@functools.lru_cache(maxsize=20000)
def _words(text: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in normalise(text).replace("/", " ").split() if stem(w))


class Lexicon:
    """Entries plus the phrase index used to find them in text."""

    def __init__(self, entries: list[LexiconEntry]):
        self.entries = entries
        self._phrases: dict[tuple[str, ...], tuple[LexiconEntry, bool]] = {}
        self._by_name: dict[str, LexiconEntry] = {}
        for entry in entries:
            for phrase in [entry.name, *entry.synonyms]:
                key = tuple(words(phrase))
                if key:
                    self._phrases.setdefault(key, (entry, False))
                    self._by_name.setdefault(" ".join(key), entry)
            for phrase in entry.weak:
                key = tuple(words(phrase))
                if key:
                    self._phrases.setdefault(key, (entry, True))
        self._longest = max((len(k) for k in self._phrases), default=1)
        self._described = [(entry, [[_item_pattern(item) for item in items]
                                    for items in sorted(entry.describe, key=len, reverse=True)])
                           for entry in entries]  # the fullest description of an entry first

    def lookup(self, name: str) -> LexiconEntry | None:
        """The entry whose name or synonym is exactly ``name`` (after normalising)."""
        return self._by_name.get(" ".join(words(name)))

    def names(self, tokens: list[str]) -> list[Hit]:
        """Synonym hits in stemmed ``tokens``: longest first, not overlapping."""
        hits: list[Hit] = []
        taken = [False] * len(tokens)
        for size in range(min(self._longest, len(tokens)), 0, -1):
            for i in range(len(tokens) - size + 1):
                if any(taken[i:i + size]):
                    continue
                found = self._phrases.get(tuple(tokens[i:i + size]))
                if found:
                    entry, weak = found
                    score = size * (1.0 if weak else 3.0)
                    hits.append(Hit(entry, i, i + size, score, "weak" if weak else "name"))
                    taken[i:i + size] = [True] * size
        return sorted(hits, key=lambda h: h.start)

    def descriptions(self, tokens: list[str]) -> list[Hit]:
        """Entries whose colloquial description fits ``tokens`` (every item present)."""
        joined = " " + " ".join(tokens) + " "
        hits = []
        for entry, descriptions in self._described:
            for patterns in descriptions:
                found = [p.search(joined) for p in patterns]
                if patterns and all(found):
                    first = min(joined.count(" ", 0, m.start()) for m in found if m) - 1
                    hits.append(Hit(entry, first, first + 1, float(len(patterns)), "describe"))
                    break
        return hits

    def detect(self, name: str) -> LexiconEntry | None:
        """The entry named inside a longer name ("lateral step-down with mirror" -> step-down)."""
        hits = self.names(words(name))
        strong = [h for h in hits if h.via == "name"] or hits
        return max(strong, key=lambda h: h.score).entry if strong else None


def _item_pattern(item: str) -> re.Pattern[str]:
    """A description item as a regex over " "-joined stemmed words.

    Each word matches any word starting with it ("rotat" ~ "rotating"); a trailing "$" on
    the item asks for the exact word; an item with spaces is a phrase (consecutive words).
    """
    exact = item.endswith("$")
    parts = words(item.rstrip("$"))
    tail = " " if exact else r"\S* "
    return re.compile(" " + "".join(re.escape(p) + (tail if k == len(parts) - 1 else r"\S* ")
                                    for k, p in enumerate(parts)))


def _read(path: Path) -> list[LexiconEntry]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the lexicon file ({exc.strerror}).") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML; fix the syntax ({exc}).") from exc
    try:
        return LexiconFile.model_validate(data).exercises
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise ConfigError(
            f"{path}: {where}: {err['msg']}; see {BUILTIN.name} for the format."
        ) from exc


def _merge(base: list[LexiconEntry], extra: list[LexiconEntry]) -> list[LexiconEntry]:
    by_name = {normalise(e.name): e for e in base}
    out = list(base)
    for entry in extra:
        old = by_name.get(normalise(entry.name))
        if old is None:
            out.insert(0, entry)  # user entries win ties
            continue
        merged = old.model_copy(update={
            "synonyms": old.synonyms + entry.synonyms,
            "weak": old.weak + entry.weak,
            "describe": old.describe + entry.describe,
        })
        out[out.index(old)] = merged
    return out


#: The clinic's own lexicon file (``Settings.lexicon_file``), set once by ``use_settings``.
_user_file: Path | None = None


def use_settings(settings: Any) -> None:
    """Make ``settings.lexicon_file`` (when set) extend every later ``load_lexicon()``.

    Entry points (the CLI, the pipeline, the app, the eval harness) call this once with their
    Settings, so every reader (exercises, grounding, the ASR repair pass) sees the same words.

    Raises:
        ConfigError: the file is missing, not YAML, or not in the lexicon format.
    """
    global _user_file
    path = getattr(settings, "lexicon_file", None)
    _user_file = Path(path) if path else None
    if _user_file is not None:
        load_lexicon()  # fail now, at the entry point, with the file's name


def load_lexicon(extra: Path | None = None) -> Lexicon:
    """The built-in lexicon, extended by ``extra`` or the configured user file.

    Raises:
        ConfigError: the extra file is missing, not YAML, or not in the lexicon format.
    """
    return _load(Path(extra) if extra is not None else _user_file)


@functools.lru_cache(maxsize=8)
def _load(extra: Path | None) -> Lexicon:
    entries = _read(BUILTIN)
    if extra is not None:
        entries = _merge(entries, _read(Path(extra)))
    logger.debug("lexicon: %d exercises", len(entries))
    return Lexicon(entries)
