"""``sidekick audit``: near-duplicate notes across a whole clinic, with a per-clinician summary.

    sidekick audit [--db PATH]                   every latest note in the history database
    sidekick audit NOTES_DIR                     *.json visit records/cases with a note, *.txt notes
    sidekick audit ... -o pairs.csv              flagged pairs as CSV (+ pairs.clinicians.csv)
    sidekick audit ... -o report.json            the whole report as JSON

Exit 0 when no pair reaches the threshold, 1 when some do, 2 when the input cannot be read.
"""

from __future__ import annotations

import csv
from pathlib import Path

import click

from sidekick.audit import AuditNote, AuditReport, audit_notes
from sidekick.cases import load_record
from sidekick.cli import get_settings, main
from sidekick.errors import InputError

PAIR_COLUMNS = ("note_a", "note_b", "score", "kind", "patient_a", "patient_b", "clinician_a",
                "clinician_b")
SUMMARY_COLUMNS = ("clinician", "notes", "flagged_notes", "pairs")


def notes_from_folder(folder: Path) -> tuple[list[AuditNote], int]:
    """Notes of a folder: ``*.json`` records with a note, ``*.txt`` note files; and skipped."""
    if not folder.is_dir():
        raise InputError(f"{folder}: not a folder; pass a folder of notes or cases, or --db")
    notes: list[AuditNote] = []
    skipped = 0
    for path in sorted(folder.iterdir()):
        if path.suffix == ".json":
            record = load_record(path)
            if not record.note:
                skipped += 1
                continue
            notes.append(AuditNote(note_id=record.id, patient_id=record.patient.id,
                                   clinician=record.visit.clinician.name,
                                   date=record.visit.date.isoformat(), text=record.note))
        elif path.suffix == ".txt":
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise InputError(f"{path}: cannot be read as UTF-8 text") from exc
            notes.append(AuditNote(note_id=path.stem, patient_id=path.stem, text=text))
    if not notes:
        raise InputError(f"{folder}: holds no notes (*.json with a note, or *.txt)")
    return notes, skipped


def _write(report: AuditReport, output: Path) -> list[Path]:
    try:
        if output.suffix == ".json":
            output.write_text(report.model_dump_json(indent=2) + "\n", encoding="utf-8")
            return [output]
        summary = output.with_name(output.stem + ".clinicians.csv")
        with output.open("w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=PAIR_COLUMNS)
            w.writeheader()
            for p in report.pairs:
                w.writerow(p.model_dump(include=set(PAIR_COLUMNS)))
        with summary.open("w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=SUMMARY_COLUMNS)
            w.writeheader()
            for s in report.clinicians:
                w.writerow(s.model_dump())
        return [output, summary]
    except OSError as exc:
        raise InputError(
            f"{output}: cannot write ({exc.strerror}); choose another -o path"
        ) from exc


def _print(report: AuditReport, limit: int) -> None:
    click.echo(f"{report.notes} notes, {report.candidates} candidate pairs verified, "
               f"{len(report.pairs)} pair(s) at or above {report.threshold:g}")
    for p in report.pairs[:limit]:
        click.echo(f"  {p.score:5.1f}  {p.note_a}  {p.note_b}  ({p.kind})")
    if len(report.pairs) > limit:
        click.echo(f"  ... {len(report.pairs) - limit} more (use -o to write them all)")
    click.echo("clinician\tnotes\tflagged_notes\tpairs")
    for s in report.clinicians:
        click.echo(f"{s.clinician}\t{s.notes}\t{s.flagged_notes}\t{s.pairs}")


@main.command()
@click.argument("source", required=False, type=click.Path(path_type=Path))
@click.option("--db", help="History database (path or SQLAlchemy URL) when no folder is given.")
@click.option("--clinic", help="Only this clinic's notes (database source).")
@click.option("--threshold", type=click.FloatRange(0, 100),
              help="Similarity (0-100) that flags a pair [default: clone_threshold setting].")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Write pairs as CSV (+ .clinicians.csv summary) or the report as .json.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--show", default=20, show_default=True, help="Pairs to print.")
@click.pass_context
def audit(ctx: click.Context, source: Path | None, db: str | None, clinic: str | None,
          threshold: float | None, output: Path | None, as_json: bool, show: int) -> None:
    """Find near-duplicate notes across a clinic (same scorer as CL-PRIOR).

    Candidates come from centred random projections of each note's word trigrams; each is
    verified with fuzz.ratio on normalised text. Without SOURCE the history database is read.
    """
    settings = get_settings(ctx)
    if source is not None:
        notes, skipped = notes_from_folder(source)
        if skipped:
            click.echo(f"skipped {skipped} file(s) without a note", err=True)
    else:
        from sidekick.store import open_store

        with open_store(settings.model_copy(update={"db": db}) if db else settings) as store:
            notes = [AuditNote(note_id=n.visit_id, patient_id=n.patient_id, clinician=n.clinician,
                               date=n.date.isoformat() if n.date else None, text=n.text)
                     for n in store.note_texts(clinic)]
        if not notes:
            raise InputError("the history database holds no notes; run `sidekick history import`")
    report = audit_notes(notes, threshold if threshold is not None else settings.clone_threshold)
    if output is not None:
        for path in _write(report, output):
            click.echo(f"wrote {path}", err=True)
    if as_json:
        click.echo(report.model_dump_json(indent=2))
    else:
        _print(report, show)
    if report.pairs:
        ctx.exit(1)
