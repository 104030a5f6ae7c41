"""``sidekick export``: a note as plain text (for an EMR), Markdown, PDF, JSON or FHIR R4."""

from __future__ import annotations

from pathlib import Path

import click

from sidekick.cli import get_settings, main


@main.command()
@click.argument("note")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "md", "pdf", "json", "fhir"]),
              default="text", show_default=True, help="Export format.")
@click.option("-o", "--out", type=click.Path(path_type=Path),
              help="Output file (default: stdout; required for pdf).")
@click.option("--db", help="History database, when NOTE is a visit id.")
@click.pass_context
def export(ctx: click.Context, note: str, fmt: str, out: Path | None, db: str | None) -> None:
    """Export NOTE (<name>.note.json or .signed.json, or a visit id in the history database).

    text is laid out for pasting into an EMR; pdf is a one-page layout with the header, SOAP
    sections, exercise and billing tables and the signature; fhir is a FHIR R4 document
    Bundle (needs the fhir extra: pip install 'sidekick[fhir]').
    """
    from sidekick.errors import InputError
    from sidekick.export import export_note, load_document, render

    path = Path(note)
    if path.is_file():
        doc = load_document(path)
    else:
        from sidekick.signoff import document_from_store
        from sidekick.store import open_store

        settings = get_settings(ctx)
        if db:
            settings = settings.model_copy(update={"db": db})
        with open_store(settings) as store:
            doc = document_from_store(store, note)
    if out is None:
        if fmt == "pdf":
            raise InputError("--format pdf: needs an output file; pass -o NOTE.pdf")
        click.echo(render(doc, fmt), nl=False)
        return
    export_note(doc, fmt, out)
    click.echo(f"Wrote {out}")
