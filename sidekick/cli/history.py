"""``sidekick history``: import gold cases into the history database, list and export it.

    sidekick history import CASES_DIR [--db PATH]     cases in date order, one transaction each
    sidekick history list [PATIENT_ID] [--db PATH]    patients, or one patient's visits
    sidekick history export PATIENT_ID [-o FILE]      a patient's visits and note versions (JSON)
    sidekick history verify [--db PATH]               check the event log's hash chain
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from sidekick.cli import get_settings, main
from sidekick.config import Settings
from sidekick.errors import InputError
from sidekick.models import SoapNote, VisitRecord

DB_HELP = (
    "History database: a file path or SQLAlchemy URL "
    "(default: SIDEKICK_DB or the user data dir)."
)


def store_settings(ctx: click.Context, db: str | None) -> Settings:
    """Settings with ``--db`` applied."""
    settings = get_settings(ctx)
    return settings.model_copy(update={"db": db}) if db else settings


def _note_for(settings: Settings, draft_missing: bool):  # noqa: ANN202 - a NoteFor
    from sidekick import pipeline

    def note_for(record: VisitRecord) -> SoapNote | None:
        note = pipeline.note_of(record)
        if note is None and draft_missing and record.transcript and record.transcript.turns:
            from sidekick import draft

            drafted = draft.draft_note(record.transcript, record, settings, drafter_name="offline")
            note = drafted.note
        return note

    return note_for


@main.group()
def history() -> None:
    """The history database: patients, visits, note versions and the event log."""


@history.command("import")
@click.argument("cases_dir", type=click.Path(path_type=Path))
@click.option("--db", help=DB_HELP)
@click.option("--clinic", help="Clinic name to file the patients under (for CL-CROSS and audits).")
@click.option("--draft-missing/--no-draft-missing", default=True, show_default=True,
              help="Store the offline drafter's note for cases without a written note.")
@click.pass_context
def import_cmd(ctx: click.Context, cases_dir: Path, db: str | None, clinic: str | None,
               draft_missing: bool) -> None:
    """Import a folder of gold cases (or visit records), oldest visit first.

    Each visit is saved in one transaction with its note; visits already stored are skipped,
    so an interrupted import can simply be run again.
    """
    from sidekick.store import import_folder, open_store

    settings = store_settings(ctx, db)
    with open_store(settings) as store:
        summary = import_folder(store, cases_dir, note_for=_note_for(settings, draft_missing),
                                clinic=clinic)
        click.echo(f"imported {summary.imported} visit(s), skipped {summary.skipped} already "
                   f"stored, {summary.without_note} without a note -> {store.where}")


@history.command("list")
@click.argument("patient_id", required=False)
@click.option("--db", help=DB_HELP)
@click.option("--json", "as_json", is_flag=True, help="JSON instead of a table.")
@click.pass_context
def list_cmd(ctx: click.Context, patient_id: str | None, db: str | None, as_json: bool) -> None:
    """List the patients (or, with PATIENT_ID, that patient's visits and note status)."""
    from sidekick.store import open_store

    cols: tuple[str, ...]
    with open_store(store_settings(ctx, db)) as store:
        if patient_id is None:
            rows = [p.model_dump(mode="json") for p in store.list_patients()]
            cols = ("patient_id", "visits", "last_visit", "clinic")
        else:
            if store.get_patient(patient_id) is None:
                raise _unknown(patient_id, store.where)
            rows = [v.model_dump(mode="json") for v in store.list_visits(patient_id)]
            cols = ("visit_id", "date", "clinician", "versions", "status")
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    click.echo("\t".join(cols))
    for row in rows:
        click.echo("\t".join("" if row[c] is None else str(row[c]) for c in cols))


@history.command("export")
@click.argument("patient_id")
@click.option("--db", help=DB_HELP)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write JSON here.")
@click.pass_context
def export_cmd(ctx: click.Context, patient_id: str, db: str | None, output: Path | None) -> None:
    """Export one patient's visits and every note version (with findings, addenda) as JSON."""
    from sidekick.store import open_store

    with open_store(store_settings(ctx, db)) as store:
        data = store.export_patient(patient_id)
        if data is None:
            raise _unknown(patient_id, store.where)
    text = json.dumps(data, indent=2, ensure_ascii=False)
    if output is None:
        click.echo(text)
        return
    try:
        output.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise InputError(
            f"{output}: cannot write ({exc.strerror}); choose another -o path"
        ) from exc
    click.echo(f"wrote {output}", err=True)


@history.command("verify")
@click.option("--db", help=DB_HELP)
@click.pass_context
def verify_cmd(ctx: click.Context, db: str | None) -> None:
    """Recompute the event log's hash chain; exit 1 at the first entry that does not verify."""
    from sidekick.store import open_store

    with open_store(store_settings(ctx, db)) as store:
        result = store.verify_chain()
    if result.ok:
        click.echo(f"event log intact: {result.count} entries verify")
        return
    click.echo(f"event log BROKEN at entry {result.first_bad_index}: {result.reason}")
    ctx.exit(1)


def _unknown(patient_id: str, where: str) -> InputError:
    return InputError(
        f"{where}: patient {patient_id} is not in the history; see `sidekick history list`"
    )
