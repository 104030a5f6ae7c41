"""Plain text for pasting into an EMR, and Markdown (the ``<name>.note.md`` ``run`` writes)."""

from __future__ import annotations

from collections.abc import Sequence

from sidekick.export.layout import (
    BILLING_COLUMNS,
    EXERCISE_COLUMNS,
    MEASURE_COLUMNS,
    billing_rows,
    exercise_row,
    header_rows,
    measure_row,
    signature_lines,
    totals_line,
)
from sidekick.models import NoteDocument


def _aligned(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """A fixed-width table (EMR text boxes keep spaces; most drop tabs and markup)."""
    keep = [i for i in range(len(columns)) if any(r[i] for r in rows) or i == 0]
    cols = [columns[i] for i in keep]
    body = [[r[i] for i in keep] for r in rows]
    widths = [max(len(x) for x in [c, *(r[j] for r in body)]) for j, c in enumerate(cols)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return [fmt.format(*cols).rstrip(), *(fmt.format(*r).rstrip() for r in body)]


def render_text(doc: NoteDocument) -> str:
    """The note as plain text: header, SOAP sections, tables, signature."""
    out = [f"{label}: {value}" for label, value in header_rows(doc)]
    for name, body in doc.note.sections().items():
        out += ["", name.upper(), body.strip() or "(none)"]
    if doc.note.exercises:
        rows = [exercise_row(e) for e in doc.note.exercises]
        out += ["", "EXERCISES", *_aligned(EXERCISE_COLUMNS, rows)]
    if doc.note.measures:
        rows = [measure_row(m) for m in doc.note.measures]
        out += ["", "MEASURES", *_aligned(MEASURE_COLUMNS, rows)]
    billing = billing_rows(doc)
    if billing:
        out += ["", "BILLING", *_aligned(BILLING_COLUMNS, billing)]
        if totals_line(doc):
            out.append(totals_line(doc))
    out += ["", *signature_lines(doc)]
    return "\n".join(out).rstrip() + "\n"


def _md_table(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    keep = [i for i in range(len(columns)) if any(r[i] for r in rows) or i == 0]

    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    head = "| " + " | ".join(columns[i] for i in keep) + " |"
    rule = "| " + " | ".join("---" for _ in keep) + " |"
    return [head, rule, *("| " + " | ".join(cell(r[i]) for i in keep) + " |" for r in rows)]


def render_markdown(doc: NoteDocument) -> str:
    """The note as Markdown: the same content as the text export, with headings and tables."""
    title = f"# SOAP note: {doc.record.patient.id}, {doc.record.visit.date.isoformat()}"
    out = [title, "", *(f"- **{label}:** {value}" for label, value in header_rows(doc))]
    for name, body in doc.note.sections().items():
        out += ["", f"## {name}", "", body.strip() or "_(none)_"]
    if doc.note.exercises:
        out += ["", "## Exercises", "",
                *_md_table(EXERCISE_COLUMNS, [exercise_row(e) for e in doc.note.exercises])]
    if doc.note.measures:
        out += ["", "## Measures", "",
                *_md_table(MEASURE_COLUMNS, [measure_row(m) for m in doc.note.measures])]
    rows = billing_rows(doc)
    if rows:
        out += ["", "## Billing", "", *_md_table(BILLING_COLUMNS, rows)]
        if totals_line(doc):
            out += ["", totals_line(doc)]
    if doc.note.to_add:
        out += ["", "## Still to add", "", *(f"- {item}" for item in doc.note.to_add)]
    if doc.findings and doc.signature is None:
        out += ["", "## Findings", ""]
        out += [f"- **{f.rule_id}** ({f.severity}): {f.message}" for f in doc.findings]
    out += ["", "## Signature", "", *(f"{line}  " for line in signature_lines(doc))]
    return "\n".join(out).rstrip() + "\n"


_SOAP = ("Subjective", "Objective", "Assessment", "Plan")
_OTHER = ("Exercises", "Measures", "Billing", "Still to add", "Findings", "Signature")


def _heading(line: str) -> str | None:
    """The section a heading line of the text or Markdown export opens, if it is one."""
    name = line.strip().lstrip("#").strip().rstrip(":").strip()
    for known in (*_SOAP, *_OTHER):
        if name.lower() == known.lower() and (line.startswith("#") or line.strip().isupper()):
            return known
    return None


def soap_text(text: str) -> str:
    """The SOAP sections of an edited text or Markdown export, as ``Name: body`` blocks.

    The header block and the tables (exercises, billing, signature) are dropped: they are
    rebuilt from the record. Text that is not an export comes back unchanged.
    """
    sections: dict[str, list[str]] = {}
    current: str | None = None
    for line in text.splitlines():
        heading = _heading(line)
        if heading is not None:
            current = heading if heading in _SOAP else None
            if current:
                sections.setdefault(current, [])
            continue
        if current:
            sections[current].append(line)
    if not sections:
        return text
    return "\n\n".join(f"{name}: {chr(10).join(body).strip()}" for name, body in sections.items())
