"""``sidekick draft``: a transcript or case to a note (JSON and text)."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from sidekick.cli import get_settings, main
from sidekick.config import Settings
from sidekick.draft import Drafter, draft_note, get_drafter
from sidekick.errors import InputError, SidekickError
from sidekick.models import VisitRecord

logger = logging.getLogger(__name__)


def _record(path: Path, visit_path: Path | None, settings: Settings) -> VisitRecord:
    from sidekick.inputs import load_input, load_visit

    visit = load_visit(visit_path) if visit_path else None
    record = load_input(path, settings, visit=visit)
    if record.transcript is None or not record.transcript.turns:
        raise InputError(f"{path}: transcript: is empty; there is nothing to draft from")
    return record


def _draft_one(
    path: Path, visit: Path | None, settings: Settings, drafter: Drafter, out_dir: Path
) -> None:
    record = _record(path, visit, settings)
    assert record.transcript is not None
    result = draft_note(record.transcript, record, settings, drafter=drafter)
    note = result.note
    prov = note.provenance
    name = path.name.removesuffix(".json").removesuffix(".txt")
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path = out_dir / f"{name}.note.json"
    text_path = out_dir / f"{name}.note.txt"
    json_path.write_text(note.model_dump_json(indent=2) + "\n", encoding="utf-8")
    text_path.write_text(note.text() + "\n", encoding="utf-8")
    prompt = f"{prov.prompt_id}/{prov.prompt_version} ({prov.prompt_hash})" if (
        prov and prov.prompt_id) else "none"
    model = prov.model if prov and prov.model else "none"
    click.echo(
        f"{path.name}: drafter {result.drafter}, model {model}, prompt {prompt}, "
        f"{result.latency_s:.1f} s -> {json_path}, {text_path}"
    )
    if result.fallback_reason:
        click.echo(f"  LLM draft failed, kept the offline note: {result.fallback_reason}")
    for item in note.to_add:
        click.echo(f"  to add: {item}")


@main.command()
@click.argument("inputs", nargs=-1, required=True,
                type=click.Path(path_type=Path, dir_okay=False))
@click.option("--visit", "visit", type=click.Path(path_type=Path, dir_okay=False),
              help="Visit details (patient, visit, billing) for a bare transcript.")
@click.option("--drafter", type=click.Choice(["offline", "llm", "local"]),
              help="offline (default, nothing leaves the machine), llm or local.")
@click.option("--prompt", "prompt", help="Prompt version, e.g. draft_soap/v1.")
@click.option("--model", "model", help="LLM model name (overrides SIDEKICK_LLM_MODEL).")
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("."), show_default=True, help="Folder for the note files.")
@click.pass_context
def draft(ctx: click.Context, inputs: tuple[Path, ...], visit: Path | None,
          drafter: str | None, prompt: str | None, model: str | None, out_dir: Path) -> None:
    """Draft a SOAP note from a case, a visit record or a transcript.

    INPUTS are gold case or visit record JSON files, transcript JSON ({"turns": [...]} or a
    list of turns) or plain-text transcripts (one turn a line, "Therapist: ..."). A bare
    transcript needs --visit or a NAME.visit.json beside it. Writes NAME.note.json and
    NAME.note.txt under -o, and prints the drafter, model and prompt version used and what
    the clinician must still add.
    """
    settings = get_settings(ctx)
    update = {k: v for k, v in
              {"drafter": drafter, "draft_prompt": prompt, "llm_model": model}.items() if v}
    if update:
        settings = settings.model_copy(update=update)
    chosen = get_drafter(settings.drafter, settings)  # fails early on a bad configuration
    failed = 0
    for path in inputs:
        try:
            _draft_one(path, visit, settings, chosen, out_dir)
        except SidekickError as exc:
            if len(inputs) == 1:
                raise
            failed += 1
            click.echo(f"Error: {exc}", err=True)
    if failed:
        click.echo(f"{failed} of {len(inputs)} input(s) failed", err=True)
        ctx.exit(1)
