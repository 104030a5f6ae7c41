"""Adapters between the widgets and the library's models (no Streamlit in this module).

The app keeps plain rows in its widgets (billing lines, transcript turns, exercises) and turns
them into the models the pipeline takes here. Everything that decides something (units,
modifiers, findings, similarity) is a call into ``sidekick``; these helpers only reshape data.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from sidekick.errors import InputError
from sidekick.models import (
    BillingLine,
    Exercise,
    Finding,
    HistoricalNote,
    SoapNote,
    Transcript,
    Turn,
    UnitsResult,
    VisitRecord,
)

SECTIONS = ("subjective", "objective", "assessment", "plan")
EXERCISE_COLUMNS = ("name", "side", "sets", "reps", "hold_s", "load")
SIDES = ("left", "right", "bilateral")
SPEAKERS = ("therapist", "patient", "other", "unknown")


# --------------------------------------------------------------------------- visit and billing


def parse_modifiers(text: str) -> list[str]:
    """``"59, XU"`` -> ``["59", "XU"]``."""
    return [m for m in re.split(r"[\s,;]+", text.strip().upper()) if m]


def billing_lines(rows: Iterable[Mapping[str, Any]]) -> list[BillingLine]:
    """The entered lines (code, minutes, extra modifiers) as BillingLines; empty codes skipped."""
    lines = []
    for row in rows:
        code = str(row.get("cpt") or "").strip()
        if not code:
            continue
        minutes = row.get("minutes")
        lines.append(BillingLine(
            cpt=code, minutes=int(minutes) if minutes is not None else None,
            modifiers=parse_modifiers(str(row.get("modifiers") or "")),
        ))
    return lines


def priced_lines(record: VisitRecord, config: Any) -> tuple[VisitRecord, UnitsResult]:
    """The record with units and modifiers the payer's rule allows, and the units arithmetic.

    Units come from ``billing.compute_units`` and modifiers from ``signoff.recompute_billing``
    (the same functions sign-off uses), so the live entry matches what will be signed.

    Raises:
        InputError: an unknown code or payer (BillingFieldError names the field).
    """
    from sidekick import billing
    from sidekick.signoff import recompute_billing

    units = billing.compute_units(record.billing, record.visit, config)
    signed = recompute_billing(record, units, config)
    lines = [BillingLine(cpt=s.cpt, minutes=s.minutes, units=s.units, modifiers=s.modifiers)
             for s in signed]
    return record.model_copy(update={"billing": lines}), units


def visit_record(
    visit_id: str, patient: Mapping[str, Any], visit: Mapping[str, Any],
    lines: Sequence[BillingLine], transcript: Transcript | None,
) -> VisitRecord:
    """A VisitRecord from the setup widgets; a bad field is an InputError naming it."""
    from sidekick.cases import parse_model

    data = {
        "id": visit_id, "patient": dict(patient), "visit": dict(visit),
        "billing": [line.model_dump(mode="json") for line in lines],
        "transcript": transcript.model_dump(mode="json") if transcript else None,
    }
    return parse_model(VisitRecord, data, "visit setup")


def new_visit_id(patient_id: str, date: dt.date, now: dt.datetime | None = None) -> str:
    """``P-01-2026-03-10-1412``: patient, date of service and the time the draft was made."""
    now = now or dt.datetime.now(dt.UTC)
    return f"{patient_id}-{date.isoformat()}-{now:%H%M%S}"


def elapsed_minutes(started: float, stopped: float) -> int:
    """Whole minutes on an activity timer (rounded to the nearest minute)."""
    return max(0, int(math.floor((stopped - started) / 60.0 + 0.5)))


# --------------------------------------------------------------------------- transcript


def clock(seconds: float) -> str:
    """``75.0`` -> ``"01:15"`` (``h:mm:ss`` past an hour)."""
    total = int(round(seconds))
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


def parse_pasted(text: str) -> Transcript:
    """A pasted transcript (``[mm:ss] Speaker: text`` a line, both optional) as a Transcript."""
    from sidekick.inputs import read_transcript_text

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pasted.txt"
        path.write_text(text, encoding="utf-8")
        try:
            transcript = read_transcript_text(path)
        except InputError as exc:
            raise InputError(str(exc).replace(str(path), "pasted transcript")) from exc
    return transcript.model_copy(update={"source": "pasted"})


def transcript_rows(transcript: Transcript) -> list[dict[str, Any]]:
    return [{"time": clock(t.start), "speaker": t.speaker, "text": t.text}
            for t in transcript.turns]


def _seconds(stamp: str, row: int) -> float:
    try:
        total = 0.0
        for part in str(stamp).strip().split(":"):
            total = total * 60 + float(part)
    except ValueError as exc:
        raise InputError(
            f"transcript table: row {row + 1}: time {stamp!r} is not mm:ss; write it as 01:15"
        ) from exc
    return total


def rows_to_transcript(rows: Sequence[Mapping[str, Any]], base: Transcript) -> Transcript:
    """The corrected transcript table back into a Transcript (empty rows dropped)."""
    turns = []
    for i, row in enumerate(rows):
        text = str(row.get("text") or "").strip()
        if not text or text == "nan":
            continue
        speaker = str(row.get("speaker")) if row.get("speaker") in SPEAKERS else "unknown"
        turns.append(Turn(speaker=speaker, start=_seconds(row.get("time") or "0", i),  # type: ignore[arg-type]
                          text=text))
    return base.model_copy(update={"turns": turns})


# --------------------------------------------------------------------------- the edited note


def exercise_rows(note: SoapNote) -> list[dict[str, Any]]:
    return [{c: getattr(ex, c) for c in EXERCISE_COLUMNS} for ex in note.exercises]


def _clean(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _number(value: Any, column: str, row: int, kind: type) -> Any:
    value = _clean(value)
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise InputError(
            f"exercise table: row {row + 1}: {column} {value!r} is not a number; write a number "
            "or leave it empty"
        ) from exc
    return int(number) if kind is int else number


def rows_to_exercises(
    rows: Sequence[Mapping[str, Any]], original: Sequence[Exercise]
) -> list[Exercise]:
    """The exercise table back into Exercises; a row keeps its original's transcript span."""
    out = []
    for i, row in enumerate(rows):
        name = _clean(row.get("name"))
        if name is None:
            continue
        side = _clean(row.get("side"))
        values = {
            "name": str(name).strip(),
            "side": side if side in SIDES else None,
            "sets": _number(row.get("sets"), "sets", i, int),
            "reps": _number(row.get("reps"), "reps", i, int),
            "hold_s": _number(row.get("hold_s"), "hold_s", i, float),
            "load": _clean(row.get("load")),
        }
        before = original[i] if i < len(original) else None
        if before is not None and before.name == values["name"]:
            out.append(before.model_copy(update=values))
        else:
            out.append(Exercise(**values))
    return out


def edited_note(
    draft: SoapNote, sections: Mapping[str, str], exercises: list[Exercise]
) -> SoapNote:
    """The draft with the clinician's section text and exercise table."""
    update: dict[str, Any] = {s: sections.get(s, getattr(draft, s)) for s in SECTIONS}
    update["exercises"] = exercises
    return draft.model_copy(update=update)


def provenance_text(note: SoapNote, drafter: str, fallback: str | None) -> str:
    """``Drafted by offline`` / ``Drafted by llm (gpt-4o-mini, prompt draft_soap v1 #ab12cd)``."""
    prov = note.provenance
    parts = []
    if prov is not None:
        if prov.model:
            parts.append(prov.model)
        if prov.prompt_id:
            label = f"prompt {prov.prompt_id} {prov.prompt_version or ''}".strip()
            parts.append(label + (f" #{prov.prompt_hash[:8]}" if prov.prompt_hash else ""))
    text = f"Drafted by {drafter}" + (f" ({', '.join(parts)})" if parts else "")
    if fallback:
        text += f"; the LLM draft was replaced by the offline one: {fallback}"
    return text


# --------------------------------------------------------------------------- findings


def by_severity(findings: Sequence[Finding]) -> dict[str, list[Finding]]:
    """Blocking findings first, then warnings (order within each kept)."""
    return {
        "block": [f for f in findings if f.blocks],
        "warn": [f for f in findings if not f.blocks],
    }


def open_blocks(findings: Sequence[Finding], reasons: Mapping[str, str]) -> list[str]:
    """Ids of block findings without a written override reason."""
    ids = dict.fromkeys(f.rule_id for f in findings if f.blocks)
    return [i for i in ids if not str(reasons.get(i) or "").strip()]


_AT = re.compile(r"transcript@(?:(\d+):)?(\d+):(\d+)")


def _best_turn(piece: str, turns: Sequence[Turn]) -> int | None:
    """The turn sharing the most words (at least two) with an evidence quote."""
    from sidekick.textmatch import normalise

    words = set(normalise(piece).split())
    scores = [len(words & set(normalise(t.text).split())) for t in turns]
    best = max(range(len(turns)), key=lambda i: scores[i])
    return best if scores[best] >= min(2, len(words)) and scores[best] > 0 else None


def transcript_passage(location: str | None, text: str | None, transcript: Transcript | None,
                       width: int = 1) -> list[Turn]:
    """The turns an evidence item points at (by ``transcript@mm:ss``, else by its words)."""
    if transcript is None or not transcript.turns:
        return []
    turns = transcript.turns
    hits: list[int] = []
    m = _AT.search(location or "")
    if m:
        at = int(m[1] or 0) * 3600 + int(m[2]) * 60 + int(m[3])
        hits.append(min(range(len(turns)), key=lambda i: abs(turns[i].start - at)))
    elif text:
        hits = [i for i in (_best_turn(p, turns) for p in text.split("; ")) if i is not None]
    keep = sorted({j for i in hits for j in range(i - width, i + width + 1) if 0 <= j < len(turns)})
    return [turns[j] for j in keep]


def earlier_note(ref: str | None, history: Sequence[HistoricalNote]) -> HistoricalNote | None:
    return next((h for h in history if ref and h.note_id == ref), None)
