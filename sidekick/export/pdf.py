"""A one-page PDF (fpdf2): header block, SOAP sections, exercise table, billing table, signature.

fpdf2's core fonts are Latin-1 only, so text is folded to Latin-1 first (dashes, quotes and
the degree sign have Latin-1 forms; anything else becomes "?"). Font sizes step down until the
note fits one page; a very long note keeps the smallest size and flows onto a second page.
"""

from __future__ import annotations

from collections.abc import Sequence

from fpdf import FPDF
from fpdf.fonts import FontFace

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

_FOLD = str.maketrans({
    "\u2013": "-", "\u2014": "-", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
    "\u2026": "...", "\u2022": "-", "\u2264": "<=", "\u2265": ">=", "\u00a0": " ",
})
_SIZES = (10.0, 9.0, 8.0, 7.0)
_GREY = (235, 235, 235)


def _latin1(text: str) -> str:
    return text.translate(_FOLD).encode("latin-1", "replace").decode("latin-1")


def _table(pdf: FPDF, columns: Sequence[str], rows: Sequence[Sequence[str]], size: float) -> None:
    keep = [i for i in range(len(columns)) if any(r[i] for r in rows) or i == 0]
    widths = [3 if i == 0 else 2 if columns[i].startswith("Cue") else 1.2 for i in keep]
    pdf.set_font("Helvetica", size=size - 1)
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=(size - 1) * 0.5,
                   headings_style=FontFace(emphasis="BOLD", fill_color=_GREY)) as table:
        table.row([_latin1(columns[i]) for i in keep])
        for r in rows:
            table.row([_latin1(r[i]) for i in keep])
    pdf.ln(1.5)


def _heading(pdf: FPDF, text: str, size: float) -> None:
    pdf.set_font("Helvetica", "B", size + 1)
    pdf.cell(0, size * 0.6, _latin1(text), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=size)


def _draw(doc: NoteDocument, size: float) -> FPDF:
    pdf = FPDF(format="Letter")
    pdf.set_margins(14, 12, 14)
    pdf.set_auto_page_break(True, margin=12)
    pdf.set_title(f"SOAP note {doc.record.patient.id} {doc.record.visit.date.isoformat()}")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", size + 5)
    pdf.cell(0, size * 0.8, "SOAP note", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=size)
    with pdf.table(col_widths=(1, 3), first_row_as_headings=False, borders_layout="NONE",
                   line_height=size * 0.45, padding=0.5) as table:
        for label, value in header_rows(doc):
            table.row([_latin1(label), _latin1(value)])
    pdf.ln(2)
    for name, body in doc.note.sections().items():
        _heading(pdf, name, size)
        pdf.multi_cell(0, size * 0.45, _latin1(body.strip() or "(none)"),
                       new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)
    if doc.note.exercises:
        _heading(pdf, "Exercises", size)
        _table(pdf, EXERCISE_COLUMNS, [exercise_row(e) for e in doc.note.exercises], size)
    if doc.note.measures:
        _heading(pdf, "Measures", size)
        _table(pdf, MEASURE_COLUMNS, [measure_row(m) for m in doc.note.measures], size)
    rows = billing_rows(doc)
    if rows:
        _heading(pdf, "Billing", size)
        _table(pdf, BILLING_COLUMNS, rows, size)
        if totals_line(doc):
            pdf.multi_cell(0, size * 0.45, _latin1(totals_line(doc)), new_x="LMARGIN",
                           new_y="NEXT")
    _heading(pdf, "Signature", size)
    for line in signature_lines(doc):
        pdf.multi_cell(0, size * 0.45, _latin1(line), new_x="LMARGIN", new_y="NEXT")
    return pdf


def render_pdf(doc: NoteDocument) -> bytes:
    """The note as PDF bytes, on one page when it fits at a readable size."""
    pdf = _draw(doc, _SIZES[0])
    for size in _SIZES[1:]:
        if pdf.page_no() == 1:
            break
        pdf = _draw(doc, size)
    return bytes(pdf.output())
