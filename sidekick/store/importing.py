"""Importing a folder of gold cases (or visit records) into the store, in date order.

Each case is one transaction (patient, visit, note version, event), so killing the process
mid-import leaves whole visits only; re-running the import skips visits already stored.
A case with a written ``note`` is stored as a signed version authored by its clinician. A
case without one is stored with the note ``note_for`` returns for it (the CLI passes the
offline drafter's note, as ``pipeline.case_history`` does; status ``draft``), or as a visit
with its transcript only when ``note_for`` returns None.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from sidekick.cases import load_record
from sidekick.errors import InputError
from sidekick.models import SoapNote, VisitRecord

logger = logging.getLogger(__name__)

NoteFor = Callable[[VisitRecord], SoapNote | None]


class ImportSummary(BaseModel):
    model_config = ConfigDict(extra="forbid")

    imported: int = 0
    skipped: int = 0  # already in the store
    without_note: int = 0


def plain_note(text: str) -> SoapNote:
    """A SoapNote from note text, sections split on their headings, no facts extracted."""
    import re

    heads = re.compile(r"^\s*(Subjective|Objective|Assessment|Plan)\s*:", re.I | re.M)
    parts: dict[str, str] = {}
    marks = list(heads.finditer(text))
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        parts[m.group(1).lower()] = text[m.end():end].strip()
    if not parts:
        parts["subjective"] = text.strip()
    return SoapNote.model_validate(parts)


def default_note_for(record: VisitRecord) -> SoapNote | None:
    """The record's written note, with facts from ``sidekick.facts`` when it is installed."""
    if not record.note:
        return None
    try:
        from sidekick import facts
    except ImportError:
        return plain_note(record.note)
    return facts.parse_note(record.note, record.patient)


def read_folder(folder: Path) -> list[VisitRecord]:
    """Every ``*.json`` record in a folder, oldest visit first (ties by id)."""
    if not folder.is_dir():
        raise InputError(f"{folder}: not a folder of cases; pass a directory of case JSON files")
    files = sorted(folder.glob("*.json"))
    if not files:
        raise InputError(f"{folder}: holds no *.json case files")
    records = [load_record(f) for f in files]
    return sorted(records, key=lambda r: (r.visit.date, r.id))


def import_folder(
    store: object, folder: Path | str, note_for: NoteFor | None = None,
    clinic: str | None = None, progress: Callable[[int, int], None] | None = None,
) -> ImportSummary:
    """Import every case of ``folder`` into ``store`` (a ``Store``), one transaction each."""
    from sidekick.store.core import Store

    assert isinstance(store, Store)
    records = read_folder(Path(folder))
    note_for = note_for or default_note_for
    summary = ImportSummary()
    for i, record in enumerate(records, 1):
        note = note_for(record)
        status = "signed" if record.note else "draft"
        author = record.visit.clinician.name if record.note else "sidekick-offline"
        if store.import_record(record, note, status=status, author=author, clinic=clinic):
            summary.imported += 1
            summary.without_note += note is None
        else:
            summary.skipped += 1
        if progress:
            progress(i, len(records))
    logger.info("import: %d imported, %d skipped", summary.imported, summary.skipped)
    return summary
