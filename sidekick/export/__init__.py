"""Exports of a note document: plain text for an EMR, Markdown, PDF, JSON, FHIR R4.

``render(doc, fmt)`` returns the export as bytes (``str`` for the text formats through
``render_text``); ``export_note(doc, fmt, path)`` writes it atomically. ``load_document`` reads
a ``<name>.note.json`` (or ``.signed.json``) that ``sidekick run`` / ``sidekick sign`` wrote.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from sidekick.cases import parse_model, read_json
from sidekick.errors import InputError
from sidekick.export.pdf import render_pdf
from sidekick.export.text import render_markdown, render_text
from sidekick.models import NoteDocument

Format = Literal["text", "md", "pdf", "json", "fhir"]
FORMATS: tuple[str, ...] = ("text", "md", "pdf", "json", "fhir")
SUFFIXES = {"text": ".txt", "md": ".md", "pdf": ".pdf", "json": ".json", "fhir": ".fhir.json"}


def render(doc: NoteDocument, fmt: str) -> str:
    """A text export (``text``, ``md`` or ``json``) as a string."""
    if fmt == "text":
        return render_text(doc)
    if fmt == "md":
        return render_markdown(doc)
    if fmt == "json":
        return doc.model_dump_json(indent=2) + "\n"
    if fmt == "fhir":
        from sidekick.export.fhir import render_fhir

        return render_fhir(doc)
    raise InputError(f"--format {fmt!r}: not a text format; use text, md, json or fhir (or pdf)")


def render_bytes(doc: NoteDocument, fmt: str) -> bytes:
    """Any export as bytes."""
    if fmt == "pdf":
        return render_pdf(doc)
    return render(doc, fmt).encode("utf-8")


def load_document(path: Path | str) -> NoteDocument:
    """Read a note document written by ``sidekick run`` or ``sidekick sign``."""
    path = Path(path)
    return parse_model(NoteDocument, read_json(path), str(path))


def export_note(doc: NoteDocument, fmt: str, path: Path) -> Path:
    """Write the export to ``path`` (temporary file, then rename)."""
    from sidekick.outputs import atomic_write_bytes

    if fmt not in FORMATS:
        raise InputError(f"--format {fmt!r}: unknown; use one of {', '.join(FORMATS)}")
    atomic_write_bytes(path, render_bytes(doc, fmt))
    return path


__all__ = [
    "FORMATS", "export_note", "load_document", "render", "render_bytes", "render_markdown",
    "render_pdf", "render_text",
]
