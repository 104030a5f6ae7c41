"""Exercises and their doses, read from a session transcript or a written note.

A session introduces an exercise in a therapist turn ("Clamshells with the yellow band. Two
sets of twelve each side.") and the turns after it may change the dose ("Actually, let's
make that fifteen", "let's switch to the two pound weights"). The reader walks the turns and
keeps one *block* per exercise: a lexicon name or description opens (or re-opens) a block;
dose phrases fill it. What the intro turn and corrections say wins; later cue turns only fill
what is still missing. Patient turns never change a dose (they count, they do not prescribe).

Not performed today, so never extracted: sentences about the future or the home program
("next time we'll add step-downs", "for home, keep the ..."), goals, questions, earlier
visits ("last week was red"), tests ("as many as you can in thirty seconds") and the
therapist's hands-on work ("I'm gliding the kneecap"). After a home-program remark, later
turns may add a new exercise but never re-dose one done today.

Choices measured on the dev transcripts (``python bench/score_extraction.py``):
- A description beats a name when it spells the named exercise out and more ("band" +
  "side step" is a lateral band walk, not side stepping), or when it scores higher.
- A description in an undosed turn ("the strap goes behind both knees...") names the
  dose of the next turn ("forty-five seconds, five times") instead of an unnamed activity.
- A series said once ("four directions, two sets of fifteen each") doses the undosed
  exercises of the same family that follow it.
- Bare seconds are a hold only for hold/timed exercises; for repetitions they are tempo.

An activity the lexicon does not know is still kept when the therapist gives it a dose of
its own ("ten pins along the edge"): it is named from the words of the introducing sentence.
In a transcript an exercise without any dose is dropped (gold notes only list dosed work);
in a note it is kept, so the MN-PARAMS rule can flag it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from sidekick.facts.doses import Dose, parse_dose
from sidekick.facts.exercise_blocks import (
    _FUTURE,
    _GOAL,
    _INTRO,
    _MANUAL,
    _MEASURE,
    _NEW_TOPIC,
    _SUMMARY,
    _TEST_SETUP,
    _TIME_TALK,
    _absorb,
    _activity_name,
    _any,
    _Block,
    _carry_unit,
    _drop,
    _drop_past,
    _fresh,
    _hits,
    _inherit,
    _sentences,
    _split_at_hits,
    _to_exercise,
    diagnosis_side,
)
from sidekick.facts.exercise_notes import extract_exercises_from_text
from sidekick.facts.lexicon import Hit, Lexicon, LexiconEntry, load_lexicon
from sidekick.facts.measures import load_lexicon as measure_lexicon
from sidekick.facts.variants import isometric_variant, one_leg_variant, position_variant
from sidekick.models import Exercise, Span, Transcript, VisitRecord

__all__ = ["diagnosis_side", "extract_exercises", "extract_exercises_from_text"]

logger = logging.getLogger(__name__)

#: A rest or a drink between sets: its time is nobody's dose.
_REST = re.compile(r"\b(rest|break|breather|breath|water|sit\s+down)\b", re.I)

# --------------------------------------------------------------------------- transcripts


@dataclass
class _Reader:
    lexicon: Lexicon
    blocks: list[_Block] = field(default_factory=list)
    current: _Block | None = None
    pending: Hit | None = None  # named in an undosed turn, dosed in the next one
    home: bool = False  # inside the home-program talk: no unnamed activities
    context: str = ""  # the diagnosis, for the body part of a bare "isometrics"

    def _open(self, entry: LexiconEntry | None, name: str, span: Span) -> bool:
        """Make ``entry`` the current block; True when it is new (its dose comes next)."""
        found = None
        if entry is not None:
            found = next((b for b in self.blocks if b.entry is not None
                          and b.entry.name == entry.name), None)
        if found is None:
            found = _Block(entry=entry, name=name, span=span, prev=self.current)
            self.blocks.append(found)
        self.current = found
        return not found.has_dose()

    def turn(self, text: str, span: Span) -> None:
        """Read one therapist turn: open blocks where exercises are named, fold doses in."""
        pending, self.pending = self.pending, None
        raw = _sentences(text)
        if _any(raw, _TIME_TALK):
            self.current = None  # the session's minutes read out: billing talk, not a dose
            return
        kept = self._split_lists(_kept_sentences(raw))
        if len(kept) < len([s for s in raw if not s.rstrip().endswith("?")]):
            self.home = self.home or any(_FUTURE.search(s) for s in raw)
        if not kept:
            if _any(raw, _MANUAL) or _any(raw, _TEST_SETUP) or _names_test(raw):
                self.current = None  # hands-on work or a test ends the exercise before it
            return
        doses = [parse_dose(_drop_past(_carry_unit(s))) for s in kept]
        named = next((i for i, s in enumerate(kept) if _hits(self.lexicon, s)), 0)
        for i, dose in enumerate(doses):
            if i < named or _any(raw, _MEASURE):
                dose.bare = None  # "Three. Now step-ups": an echo; "Palm down. 75.": a measure
        fresh = any(_fresh(d) for d in doses) or self._new_timed_task(doses, kept)
        intro = any(_INTRO.search(s) for s in kept)
        dosed = any(d.has_dose() or d.bare is not None or d.counted for d in doses)
        opens = self._turn_hits(kept, intro or dosed,
                                fresh or any(d.same_dose or d.bare for d in doses))
        if not any(opens) and (_any(raw, _MANUAL) or _any(raw, _TEST_SETUP) or _names_test(raw)):
            self.current = None  # hands-on work or a test ends the exercise before it
            return
        single = one_leg_variant(self.lexicon, self.current.entry if self.current else None,
                                 " ".join(kept)) if not any(opens) and fresh else None
        if single is not None:
            opens[0] = [Hit(single, 0, 1, 3.0, "name")]  # "now the same on one leg"
        if not any(opens) and fresh and (intro or pending) and not self.home \
                and not _any(raw, _MEASURE) and not any(d.correction for d in doses) \
                and not _SUMMARY.search(kept[0]) \
                and (self.current is None or self.current.has_dose()):
            opens[0] = [pending] if pending else [None]
        if self.home:
            if not any(opens) or not any(d.has_dose() for d in doses) or any(
                    self._known(h) for hs in opens for h in hs):
                return  # the home program repeats today's exercises: not a new dose
            self.home = False
        correcting = opened_here = False
        for sentence, dose, hits in zip(kept, doses, opens, strict=True):
            opened = self._open_hits(hits, kept, span.model_copy(update={"text": sentence}))
            opened_here = opened_here or opened
            correcting = correcting or dose.correction
            if self.current is not None and (dose.correction or not _SUMMARY.search(sentence)):
                _absorb(self.current, dose, sentence, override=opened or correcting,
                        new=opened_here)

    def _new_timed_task(self, doses: list[Dose], kept: list[str]) -> bool:
        """ "Now the pallet stacking, two minutes" after squats 3 by 8: a time is a new task's,
        not a duration for an exercise already dosed in sets and reps."""
        cur = self.current
        return (cur is not None and cur.entry is not None and cur.entry.kind == "reps"
                and all(cur.fields.get(k) is not None for k in ("sets", "reps"))
                and any(d.duration_s is not None for d in doses)
                and not _any(kept, _REST))

    def _split_lists(self, sentences: list[str]) -> list[str]:
        """ "Ten clamshells and ten bridges": one piece per exercise, each with its dose."""
        out: list[str] = []
        for sentence in sentences:
            strong = [h for h in _hits(self.lexicon, _drop_past(sentence)) if h.via == "name"]
            if len({h.entry.name for h in strong}) > 1:
                out.extend(piece for _, piece in _split_at_hits(sentence, strong))
            else:
                out.append(sentence)
        return out

    def _known(self, hit: Hit | None) -> bool:
        return hit is not None and any(b.entry is hit.entry for b in self.blocks)

    def _open_hits(self, hits: list[Hit | None], kept: list[str], span: Span) -> bool:
        opened = False
        for hit in hits:
            if hit is None:
                self.current = _Block(None, _activity_name(kept), span, prev=self.current)
                self.blocks.append(self.current)
                opened = True
            else:
                entry = self._variant(hit, " ".join(kept))
                if self.current is None or self.current.entry is not entry:
                    opened = self._open(entry, entry.name, span)
        return opened

    def _variant(self, hit: Hit, text: str) -> LexiconEntry:
        """The position ("standing") or body part ("calf isometrics") the turn asks for."""
        entry = position_variant(self.lexicon, hit.entry, text)
        if hit.via == "weak":
            entry = isometric_variant(self.lexicon, entry, text, self.context)
        return entry

    def _turn_hits(self, kept: list[str], intro: bool, fresh: bool) -> list[list[Hit | None]]:
        out: list[list[Hit | None]] = [[] for _ in kept]
        per_sentence = [[h for h in _hits(self.lexicon, _drop_past(s)) if h.via == "name"]
                        for s in kept]
        whole = _hits(self.lexicon, " ".join(_drop_past(s) for s in kept))
        strong = [h for hs in per_sentence for h in hs]
        if len({h.entry.name for h in strong}) > 1:
            return per_sentence  # type: ignore[return-value]
        best = whole[0] if whole else None
        if best is None:
            return out
        named = any(h.entry is best.entry for h in strong)  # "Buttoning now. Five buttons."
        if best.via != "name" and not intro and not named:
            self.pending = best
            return out
        if not fresh and best.via == "name" and self._same_family(best):
            return out  # "the bike tends to be friendly": still the upright bike
        out[0] = [best]  # the whole turn: equipment is often named before the exercise
        return out

    def _same_family(self, hit: Hit) -> bool:
        cur = self.current.entry if self.current else None
        return bool(cur and cur is not hit.entry and cur.family and cur.family == hit.entry.family)


def _kept_sentences(sentences: list[str]) -> list[str]:
    """Sentences about today's work: up to a future/home remark, without tests and questions."""
    kept: list[str] = []
    later = False  # after a remark about the future: only a new topic brings today back
    for sentence in sentences:
        if _FUTURE.search(sentence):
            later = True
            continue
        if later and not _NEW_TOPIC.match(sentence):
            break
        later = False
        if sentence.rstrip().endswith("?") or _GOAL.search(sentence) or _MANUAL.search(sentence):
            continue
        clean = _drop(sentence, _MEASURE) if _MEASURE.search(sentence) else sentence
        if clean.strip():
            kept.append(clean)
    return kept


def _names_test(sentences: list[str]) -> bool:
    """A turn naming a known test ("Grip strength check."): its values are the test's."""
    return measure_lexicon().find_test(" ".join(sentences)) is not None


def extract_exercises(
    transcript: Transcript, record: VisitRecord | None = None, lexicon: Lexicon | None = None
) -> list[Exercise]:
    """Exercises performed in this session, each with its dose and the turn it came from.

    Args:
        transcript: the session; speaker roles are used when present.
        record: the visit, for the diagnosis side of one-sided exercises.
        lexicon: the exercise lexicon (default: the built-in one).

    Returns:
        One ``Exercise`` per exercise performed, in the order first introduced.
    """
    reader = _Reader(lexicon or load_lexicon(),
                     context=record.patient.diagnosis or "" if record else "")
    for index, turn in enumerate(transcript.turns):
        if turn.speaker in ("patient", "other") or not turn.text.strip():
            continue
        span = Span(source="transcript", text=turn.text, turn=index, time_s=turn.start)
        reader.turn(turn.text, span)
    _inherit(reader.blocks)
    dx_side = diagnosis_side(record.patient.diagnosis if record else None)
    out = [_to_exercise(b, dx_side) for b in reader.blocks if b.has_dose()]
    logger.debug("exercises: %d from %d turns", len(out), len(transcript.turns))
    return out
