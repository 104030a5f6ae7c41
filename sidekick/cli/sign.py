"""``sidekick sign`` (sign-off, overrides, addenda) and ``sidekick verify`` (the event log).

``sign`` re-runs the checks, refuses while a block finding is open (unless each is overridden
with a written reason), stores the signed version and writes ``<name>.signed.json`` beside the
note. A signed note never changes: ``--addendum TEXT`` attaches a dated, authored addendum.
``verify`` checks the hash chain of the event log and names the first tampered entry.
"""

from __future__ import annotations

from pathlib import Path

import click

from sidekick.cli import get_settings, main
from sidekick.models import NoteDocument, SoapNote


def _signed_path(source: Path | None, doc: NoteDocument, out: Path | None) -> Path | None:
    if out is not None:
        return out
    if source is None:
        return None
    return source.with_name(f"{doc.name}.signed.json")


def _load(note: str, store: object) -> tuple[NoteDocument, Path | None]:
    from sidekick.export import load_document
    from sidekick.signoff import document_from_store

    path = Path(note)
    if path.is_file():
        return load_document(path), path
    return document_from_store(store, note), None  # type: ignore[arg-type]


def _edited_note(path: Path | None, doc: NoteDocument) -> SoapNote | None:
    if path is None:
        return None
    from sidekick import facts
    from sidekick.errors import InputError
    from sidekick.export.text import soap_text

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot be read as UTF-8 text; pass the edited note") from exc
    edited = facts.parse_note(soap_text(text), doc.record.patient)
    return edited.model_copy(update={"provenance": doc.note.provenance})


@main.command()
@click.argument("note")
@click.option("--clinician", required=True, help="The signing clinician's name.")
@click.option("--credential", required=True, help="PT, PTA, OT, OTA or SLP.")
@click.option("--override", "overrides", multiple=True, metavar='RULE_ID="reason"',
              help="Override an open block finding with a written reason (repeatable).")
@click.option("--note", "edited", type=click.Path(path_type=Path),
              help="The clinician's edited note to sign instead: an edited text or Markdown "
                   "export, or any text with Subjective:/Objective:/Assessment:/Plan: headings.")
@click.option("--addendum", help="Add an addendum to an already signed note.")
@click.option("-o", "--out", type=click.Path(path_type=Path),
              help="Where to write the signed note JSON (default: <name>.signed.json beside).")
@click.option("--db", help="History database (SQLite path or SQLAlchemy URL).")
@click.pass_context
def sign(ctx: click.Context, note: str, clinician: str, credential: str,
         overrides: tuple[str, ...], edited: Path | None, addendum: str | None,
         out: Path | None, db: str | None) -> None:
    """Sign NOTE (a <name>.note.json, or a visit id in the history database).

    Re-runs every check (units and modifiers recomputed), refuses while a block finding is
    open unless each is overridden with --override RULE_ID="reason", and records the signature,
    rule-set and prompt versions. With --addendum, adds a dated addendum to a signed note.
    Exit 0 signed; 1 refused (open block findings); 2 could not run.
    """
    from sidekick.cli.run import format_findings
    from sidekick.pipeline import atomic_write_text
    from sidekick.signoff import SignoffRefused, add_addendum, parse_overrides, sign_note
    from sidekick.store import open_store

    settings = get_settings(ctx)
    if db:
        settings = settings.model_copy(update={"db": db})
    with open_store(settings) as store:
        doc, source = _load(note, store)
        if addendum is not None:
            doc = add_addendum(doc, store, text=addendum, author=clinician, credential=credential)
            message = f"Addendum added to {doc.name} by {clinician}."
        else:
            try:
                doc = sign_note(doc, settings, store, clinician=clinician,
                                credential=credential, overrides=parse_overrides(list(overrides)),
                                note=_edited_note(edited, doc))
            except SignoffRefused as exc:
                for line in format_findings(exc.findings):
                    click.echo(line)
                raise
            message = _signed_message(doc)
    target = _signed_path(source, doc, out)
    if target is not None:
        atomic_write_text(target, doc.model_dump_json(indent=2) + "\n")
        message += f"\nWrote {target}"
    click.echo(message)


def _signed_message(doc: NoteDocument) -> str:
    sig = doc.signature
    assert sig is not None
    lines = [f"Signed {doc.name} by {sig.clinician}, {sig.credential} at "
             f"{sig.signed_at.isoformat(timespec='seconds')} (rules {sig.rule_set_version})."]
    for line in sig.billing:
        lines.append(f"  {line.cpt}: {line.minutes if line.minutes is not None else '-'} min, "
                     f"{line.units if line.units is not None else '-'} unit(s) "
                     f"{' '.join(line.modifiers)}".rstrip())
    lines += [f"  override {o.rule_id}: {o.reason}" for o in sig.overrides]
    return "\n".join(lines)


@main.command()
@click.option("--db", help="History database (SQLite path or SQLAlchemy URL).")
@click.pass_context
def verify(ctx: click.Context, db: str | None) -> None:
    """Check the event log's hash chain; name the first tampered entry (exit 1)."""
    from sidekick.store import open_store

    settings = get_settings(ctx)
    if db:
        settings = settings.model_copy(update={"db": db})
    with open_store(settings) as store:
        result = store.verify_chain()
    if result.ok:
        click.echo(f"Event log intact: {result.count} entries, hash chain verified.")
        return
    click.echo(f"Event log TAMPERED at entry {result.first_bad_index}: {result.reason}.")
    ctx.exit(1)
