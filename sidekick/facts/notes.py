"""Reading a written note: SOAP sections, then its facts.

Headings come in many spellings: ``S:``, ``Subjective:``, ``SUBJECTIVE``, ``Subjective -``,
markdown ``## Subjective`` or ``**Subjective**``, and a merged ``Assessment/Plan``. A heading
starts a line, or follows the end of a sentence when a note is one paragraph. A merged
Assessment/Plan fills both sections. A note with no heading at all is kept whole in Subjective
(nothing is lost) and its facts are read from the whole text; ``to_add`` asks for headings.
"""

from __future__ import annotations

import logging
import re

from sidekick.facts import session
from sidekick.facts.written import measures_from_note_text
from sidekick.models import Exercise, Patient, SoapNote

logger = logging.getLogger(__name__)

SECTIONS = ("Subjective", "Objective", "Assessment", "Plan")

_NAMES = {
    "s": "Subjective",
    "subjective": "Subjective",
    "subj": "Subjective",
    "o": "Objective",
    "objective": "Objective",
    "obj": "Objective",
    "a": "Assessment",
    "assessment": "Assessment",
    "assess": "Assessment",
    "p": "Plan",
    "plan": "Plan",
    "plan of care": "Plan",
    "a/p": "Assessment/Plan",
    "assessment/plan": "Assessment/Plan",
    "assessment and plan": "Assessment/Plan",
    "assessment & plan": "Assessment/Plan",
}
_WORD = (
    r"subjective|subj|objective|obj|assessment\s*(?:/|and|&)\s*plan|assessment|assess|"
    r"plan of care|plan|a/p"
)
_HEADING = re.compile(
    rf"(?:^|(?<=\n)|(?<=[.!?]\s))[ \t]*(?:#+[ \t]*)?(?:\*\*|__)?"
    rf"(?P<name>{_WORD}|[SOAP])(?:\*\*|__)?"
    rf"[ \t]*(?:(?P<sep>:|-|–|—)|(?=\s*\n)|(?=\s*$))(?:\*\*|__)?[ \t]*",
    re.I,
)


def split_sections(text: str) -> dict[str, str]:
    """The note's SOAP sections by canonical name; a heading-less note is all Subjective.

    Returns:
        ``{"Subjective": ..., "Objective": ..., "Assessment": ..., "Plan": ...}`` with only the
        sections found (a merged Assessment/Plan fills both).
    """
    heads = [m for m in _HEADING.finditer(text or "") if _is_heading(m, text)]
    if not heads:
        return {"Subjective": (text or "").strip()} if (text or "").strip() else {}
    out: dict[str, str] = {}
    preface = text[: heads[0].start()].strip()
    for m, nxt in zip(heads, [*heads[1:], None], strict=True):
        body = text[m.end() : nxt.start() if nxt else len(text)].strip()
        name = _NAMES[re.sub(r"\s+", " ", m.group("name").lower()).replace(" / ", "/")]
        targets = ["Assessment", "Plan"] if name == "Assessment/Plan" else [name]
        for target in targets:
            out[target] = (out[target] + "\n" + body).strip() if target in out else body
    if preface:
        out["Subjective"] = (preface + "\n" + out.get("Subjective", "")).strip()
    return out


def _is_heading(m: re.Match[str], text: str) -> bool:
    name = m.group("name")
    key = re.sub(r"\s+", " ", name.lower()).replace(" / ", "/")
    if key not in _NAMES:
        return False
    line_start = m.start() == 0 or text[m.start() - 1] == "\n" or text[: m.start()].endswith("\n")
    if len(name) == 1:  # a single letter needs a colon or dash ("S:"), upper case
        return bool(m.group("sep")) and name.isupper() and (line_start or m.group("sep") == ":")
    if m.group("sep"):
        return line_start or m.group("sep") == ":"
    return line_start and (name.isupper() or name.istitle())


def parse_note(text: str, patient: Patient | None = None) -> SoapNote:
    """A note written elsewhere read into a ``SoapNote`` (``structured=False``).

    Never raises on odd text: an empty, heading-less or non-English note gives a note whose
    missing facts the rules then report.
    """
    text = text or ""
    sections = split_sections(text)
    has_heads = any(k != "Subjective" for k in sections) or bool(
        re.search(r"^\s*(subjective|s)\s*[:\-]", text, re.I | re.M)
    )
    objective = sections.get("Objective", "") if has_heads else text
    region = patient.body_region if patient else None
    diagnosis = patient.diagnosis if patient else None
    note = SoapNote(
        subjective=sections.get("Subjective", ""),
        objective=sections.get("Objective", ""),
        assessment=sections.get("Assessment", ""),
        plan=sections.get("Plan", ""),
        structured=False,
        exercises=_exercises(objective, patient),
        measures=measures_from_note_text(
            objective, section="Objective", region=region, diagnosis=diagnosis
        ),
        pain=session.note_pain(sections),
        diagnosis=session.diagnosis_in(text),
        functional_limitations=session.limitations(
            "\n".join([sections.get("Subjective", ""), sections.get("Assessment", "")])
        ),
        goals=session.goals(text),
        skilled=session.skilled(text),
        responses=session.responses(text),
        plan_items=session.plan_items(sections.get("Plan", "") if has_heads else text),
        home_program=session.home_program(text),
        total_timed_minutes=_minutes(text, r"total timed(?: code)?(?: minutes| min)?"),
        total_treatment_minutes=_minutes(text, r"total treatment(?: time| minutes| min)?"),
    )
    if not has_heads and text.strip():
        note.to_add.append("SOAP headings (Subjective, Objective, Assessment, Plan)")
    if not looks_english(text):
        note.to_add.append("the note in English: the checks read English clinical phrasing")
    logger.debug(
        "parsed note: %d section(s), %d exercise(s), %d measure(s)",
        len(sections),
        len(note.exercises),
        len(note.measures),
    )
    return note


_ENGLISH = frozenset(
    "the and with of to in on for at is was after before pt patient pain min sec reps sets "
    "today visit continue right left knee shoulder hip back no not per x".split()
)


def looks_english(text: str) -> bool:
    """False for a text of some length with almost no common English or clinical words."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    if len(words) < 5:
        return True
    return sum(w in _ENGLISH for w in words) / len(words) >= 0.05


def _minutes(text: str, label: str) -> int | None:
    m = re.search(rf"{label}\s*[:=]?\s*(\d+)", text, re.I)
    return int(m.group(1)) if m else None


_NOT_EXERCISE_LINE = re.compile(
    r"^\s*(cues?\b|cueing|verbal|tactile|skilled\b|therapist (corrected|cued)|pain\b(?!-)|"
    r"billed|measures?:|response|goals?:|"
    r"post[- ]treatment|end[- ]of[- ]session|symptoms|total|\d{5} x \d+ units?|manual therapy|"
    r"97140|mt\b|joint mob|modalit|assessment|plan)",
    re.I,
)


_INTERVENTION_HEAD = re.compile(
    r"97\d{3}|\bther\b|therap|exercise|neuro|activit|self[- ]care|gait|training|re-?ed", re.I
)


#: A sentence break before a treatment heading written mid-line ("... 70 deg R. Ther ex (97110,
#: 25 min) consisted of ..."): the heading starts a line of its own.
_LATER_HEADING = re.compile(r"(?<=[.;])[ \t]+(?=[^.;()\n]{0,60}\(\s*9\d{4}\b)")


def exercise_lines(text: str) -> str:
    """The lines of an Objective that list interventions: cues, pain, totals, manual therapy
    and measure lines are left out (the measures are read separately)."""
    kept = []
    for line in _LATER_HEADING.sub("\n", text).splitlines():
        if not line.strip() or _NOT_EXERCISE_LINE.search(line):
            continue
        head = line.split(":")[0] if ":" in line[:80] else ""
        if measures_from_note_text(line) and not _INTERVENTION_HEAD.search(head):
            continue
        if head and _INTERVENTION_HEAD.search(head):
            line = line[len(head) + 1 :]  # "Therapeutic exercise, 31 min:" is not a dose
        kept.append(line)
    return "\n".join(kept)


def _exercises(text: str, patient: Patient | None) -> list[Exercise]:
    """Exercises of the note's Objective, read by part A's extractor when it is installed."""
    text = exercise_lines(text)
    if not text.strip():
        return []
    try:
        from sidekick.facts.exercises import extract_exercises_from_text
    except ImportError:  # the exercise reader ships separately (issue 3, part A)
        logger.debug("exercise extractor not available; note exercises left empty")
        return []
    return list(extract_exercises_from_text(text, patient=patient, section="Objective"))
