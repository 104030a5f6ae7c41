"""``sidekick run``: every stage, for one visit or a folder (batch) of recordings or transcripts.

One input prints the note and its findings. Several inputs, a folder or a glob run as a batch:
a progress bar on stderr, work over the machine's cores, failed items recorded and skipped,
re-runs resume (items already done are skipped by content hash). Outputs go under ``-o``:
``<name>.note.md``, ``<name>.note.json``, ``<name>.findings.json``, ``summary.csv``,
``summary.jsonl`` and ``run.json``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from sidekick.cli import get_settings, main
from sidekick.config import Settings
from sidekick.errors import SidekickError
from sidekick.models import Finding, NoteDocument, Transcript

if TYPE_CHECKING:
    from sidekick.batch import BatchSummary
    from sidekick.inputs import Transcriber

DEFAULT_OUT = Path("sidekick-out")


def format_findings(findings: list[Finding]) -> list[str]:
    """Findings as lines, blocking first: ``BLOCK MN-PARAMS: message`` plus evidence and fix."""
    if not findings:
        return ["No findings: nothing blocks sign-off."]
    lines = []
    for f in sorted(findings, key=lambda f: not f.blocks):
        lines.append(f"{'BLOCK' if f.blocks else 'WARN '} {f.rule_id}: {f.message}")
        for ev in f.evidence[:2]:
            where = ev.location or ev.where
            if ev.text:
                lines.append(f"      evidence ({where}): {ev.text[:160]}")
        if f.fix:
            lines.append(f"      fix: {f.fix}")
    return lines


def _audio_with_progress(settings: Settings) -> Transcriber:
    """The bundled Whisper model with a seconds-transcribed bar on stderr (one recording)."""
    from tqdm import tqdm

    from sidekick.transcribe import TranscribeOptions, transcribe

    options = TranscribeOptions.from_settings(settings)

    def run(path: Path) -> Transcript:
        with tqdm(total=0, unit="s", desc="transcribing", leave=False, disable=None,
                  bar_format="{desc}: {percentage:3.0f}%|{bar}| {n:.0f}/{total:.0f} s "
                             "[{elapsed}<{remaining}]") as bar:

            def update(done: float, total: float) -> None:
                bar.total, bar.n = total, done
                bar.refresh()

            return transcribe(path, options, progress=update)

    return run


def _echo_single(doc: NoteDocument, out_dir: Path) -> None:
    from sidekick.export import render_text
    from sidekick.pipeline import output_paths

    click.echo(render_text(doc))
    click.echo("Findings")
    for line in format_findings(doc.findings):
        click.echo(line)
    if doc.fallback_reason:
        click.echo(f"Note: drafted offline because {doc.fallback_reason}")
    paths = output_paths(out_dir, doc.name)
    click.echo(f"\nWrote {', '.join(str(p) for p in paths.values())}")


def _echo_batch(summary: BatchSummary, out_dir: Path) -> None:
    s = summary
    click.echo(
        f"{len(s.items)} item(s): {s.count('ok')} ok, {s.count('blocked')} with blocking "
        f"findings, {s.count('failed')} failed; {s.processed} run now, {s.skipped} already "
        f"done; {s.items_per_minute:.1f} items/min"
    )
    for item in s.items:
        if item.status == "failed":
            click.echo(f"FAILED {item.name}: {item.error}")
    if s.per_rule:
        click.echo("Findings per rule: " + ", ".join(f"{r} {n}" for r, n in s.per_rule.items()))
    click.echo(f"Summary: {out_dir / 'summary.csv'}, {out_dir / 'summary.jsonl'}, "
               f"{out_dir / 'run.json'}")


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--visit", "visit_file", type=click.Path(path_type=Path),
              help="Visit details (patient, visit, billing) for audio and transcripts.")
@click.option("--patient-id", help="Patient id (overrides the visit file).")
@click.option("--payer", help="Payer, such as medicare or commercial.")
@click.option("--discipline", type=click.Choice(["PT", "OT", "SLP"]), help="Discipline.")
@click.option("--clinician", help="Treating clinician's name.")
@click.option("--credential", help="Treating clinician's credential (PT, PTA, OT, OTA, SLP).")
@click.option("--date", "visit_date", help="Date of service, YYYY-MM-DD (default today).")
@click.option("--session-minutes", type=int, help="Session length in minutes.")
@click.option("--bill", "bills", multiple=True, metavar="CODE=MINUTES",
              help="A billed code and its minutes, such as 97110=33 (repeatable).")
@click.option("--drafter", help="offline, llm or local (default: the settings' drafter).")
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), default=DEFAULT_OUT,
              show_default=True, help="Folder for the outputs.")
@click.option("--db", help="History database (SQLite path or SQLAlchemy URL).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Worker processes (default: cores).")
@click.option("--force", is_flag=True, help="Redo items already done.")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar on stderr (default: batches, when stderr is a terminal).")
@click.pass_context
def run(ctx: click.Context, inputs: tuple[str, ...], visit_file: Path | None,
        patient_id: str | None, payer: str | None, discipline: str | None, clinician: str | None,
        credential: str | None, visit_date: str | None, session_minutes: int | None,
        bills: tuple[str, ...], drafter: str | None, out_dir: Path, db: str | None,
        jobs: int | None, force: bool, progress: bool | None) -> None:
    """Every stage: INPUT (audio, transcript JSON/TXT, or visit/case JSON) to a checked note.

    Transcribes audio with the bundled Whisper model, drafts the note, checks it, stores the
    draft in the history database and writes <name>.note.md, .note.json and .findings.json
    under -o. A folder, a glob or several inputs run as a resumable batch. Audio and
    transcripts take their visit details from <name>.visit.json beside them, --visit, or the
    flags. Exit 0 nothing blocks; 1 blocking findings or failed items; 2 could not run.
    """
    from sidekick.batch import run_batch
    from sidekick.export import load_document
    from sidekick.pipeline import build_visit, input_kind, load_visit, output_paths
    from sidekick.store import open_store

    settings = get_settings(ctx)
    if db:
        settings = settings.model_copy(update={"db": db})
    visit = build_visit(
        load_visit(visit_file) if visit_file else None, patient_id=patient_id, payer=payer,
        discipline=discipline, clinician=clinician, credential=credential, date=visit_date,
        session_minutes=session_minutes, bills=bills,
    )
    single = len(inputs) == 1 and Path(inputs[0]).is_file()
    transcriber = None
    if single and progress is not False and input_kind(Path(inputs[0])) == "audio":
        transcriber = _audio_with_progress(settings)
    with open_store(settings) as store:
        summary = run_batch(
            inputs, out_dir, settings, visit=visit, drafter_name=drafter, jobs=jobs,
            store=store, progress=(None if not single else False) if progress is None else progress,
            force=force,
            transcriber=transcriber,
        )
    if single and summary.items:
        item = summary.items[0]
        if item.status == "failed":
            raise SidekickError(item.error or f"{inputs[0]}: failed")
        _echo_single(load_document(output_paths(out_dir, item.name)["note.json"]), out_dir)
    else:
        _echo_batch(summary, out_dir)
    if any(i.status != "ok" for i in summary.items):
        ctx.exit(1)
