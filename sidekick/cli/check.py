"""``sidekick check``: findings for visits with notes (or gold cases), as a table or JSON.

One file, or many files and folders (a folder = every ``*.json`` in it: a batch audit). In
a batch a bad file is reported and the rest go on. Exit 0 when nothing blocks, 1 when a
finding blocks or a file failed, 2 when a single input cannot be read.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import click

from sidekick.billing import BillingFieldError
from sidekick.cases import load_record
from sidekick.cli import get_settings, main
from sidekick.config import Settings
from sidekick.errors import InputError, SidekickError
from sidekick.models import Case, CheckResult, Finding, HistoricalNote, VisitRecord

logger = logging.getLogger(__name__)

_SEVERITY_TITLE = {"block": "BLOCK (must be fixed before signing)", "warn": "WARN"}


def expand_inputs(inputs: tuple[Path, ...]) -> list[Path]:
    """Files as given, folders as their ``*.json`` files (sorted)."""
    files: list[Path] = []
    for path in inputs:
        if path.is_dir():
            found = sorted(p for p in path.glob("*.json") if p.is_file())
            if not found:
                raise InputError(f"{path}: holds no *.json files; pass a visit or case JSON")
            files.extend(found)
        else:
            files.append(path)
    return files


def _folder_index(folder: Path, cache: dict[Path, dict[str, Case]]) -> dict[str, Case]:
    """The gold cases in a folder by id (unreadable files skipped), read once per folder."""
    if folder not in cache:
        index: dict[str, Case] = {}
        for path in sorted(folder.glob("*.json")):
            try:
                record = load_record(path)
            except SidekickError:
                continue
            if isinstance(record, Case):
                index[record.id] = record
        cache[folder] = index
    return cache[folder]


def _history(
    record: VisitRecord, path: Path, settings: Settings, cache: dict[Path, dict[str, Case]]
) -> tuple[list[HistoricalNote], list[HistoricalNote]]:
    """Earlier notes named by ``prior_note_ids`` / ``corpus_note_ids`` in the same folder."""
    if not (record.prior_note_ids or record.corpus_note_ids):
        return [], []
    from sidekick import pipeline

    try:
        return pipeline.case_history(record, _folder_index(path.parent, cache), settings)
    except (ImportError, AttributeError) as exc:  # drafting or facts module not installed
        logger.warning("history skipped for %s: %s", record.id, exc.__class__.__name__)
    except SidekickError as exc:
        logger.warning("history skipped for %s: %s", record.id, exc.__class__.__name__)
    return [], []


def check_file(path: Path, settings: Settings, cache: dict[Path, dict[str, Case]]) -> CheckResult:
    """Check one visit file; InputErrors name the file and the field."""
    from sidekick import pipeline

    record = load_record(path)
    history, corpus = _history(record, path, settings, cache)
    try:
        return pipeline.check_record(record, settings, history=history, corpus=corpus)
    except BillingFieldError as exc:
        raise exc.at(str(path)) from exc


def result_json(result: CheckResult, path: Path | None = None) -> dict[str, Any]:
    """The machine form: findings, units (and the file, in a batch)."""
    out: dict[str, Any] = {"file": str(path)} if path is not None else {}
    out["record_id"] = result.record_id
    out["findings"] = [
        {
            "rule_id": f.rule_id,
            "severity": f.severity,
            "message": f.message,
            "evidence": [e.model_dump(exclude_none=True) for e in f.evidence],
            "fix": f.fix,
        }
        for f in result.findings
    ]
    out["units"] = result.units.model_dump() if result.units else None
    out["blocking"] = len(result.blocking)
    out["rule_set_version"] = result.rule_set_version
    return out


def _wrap(text: str, indent: str) -> list[str]:
    """One output line (not wrapped: messages stay greppable and copyable)."""
    return [indent + text]


def _finding_lines(finding: Finding) -> list[str]:
    lines = _wrap(f"{finding.rule_id}  {finding.message}", "  ")
    for ev in finding.evidence:
        where = ev.location or ev.where
        lines += _wrap(f"evidence: {where}" + (f": {ev.text}" if ev.text else ""), "      ")
    if finding.fix:
        lines += _wrap(f"fix: {finding.fix}", "      ")
    return lines


def render_table(result: CheckResult, path: Path) -> str:
    """Findings grouped by severity (block first), then the units block."""
    blocks = len(result.blocking)
    warns = len(result.findings) - blocks
    out = [f"{path}: {blocks} blocking, {warns} warning{'s' if warns != 1 else ''}"]
    for severity in ("block", "warn"):
        group = [f for f in result.findings if f.severity == severity]
        if group:
            out.append(_SEVERITY_TITLE[severity])
            for finding in group:
                out += _finding_lines(finding)
    if not result.findings:
        out.append("  No findings.")
    if result.units is not None:
        out.append("Units the payer's rule allows")
        for line in result.units.explanation:
            out += _wrap(line, "  ")
    return "\n".join(out)


@main.command()
@click.argument("inputs", nargs=-1, required=True,
                type=click.Path(path_type=Path, exists=False))
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@click.pass_context
def check(ctx: click.Context, inputs: tuple[Path, ...], as_json: bool) -> None:
    """Check visits with notes (or gold cases) the way an auditor would.

    INPUTS are visit-with-note JSON files, gold case files, or folders of them. Prints the
    findings grouped by severity (rule id, message, evidence, fix) and the units the payer's
    8-minute rule allows, with the arithmetic. --json prints
    {"findings": [...], "units": {...}} (a list of those, each with "file", for several).

    Exit 0 when nothing blocks, 1 when a finding blocks (or, in a batch, a file failed),
    2 when the input cannot be read.
    """
    settings = get_settings(ctx)
    files = expand_inputs(inputs)
    cache: dict[Path, dict[str, Case]] = {}
    if len(files) == 1 and not any(p.is_dir() for p in inputs):
        result = check_file(files[0], settings, cache)
        click.echo(json.dumps(result_json(result), indent=2) if as_json
                   else render_table(result, files[0]))
        ctx.exit(1 if result.blocking else 0)
    ctx.exit(_batch(files, settings, cache, as_json))


def _batch(files: list[Path], settings: Settings, cache: dict[Path, dict[str, Case]],
           as_json: bool) -> int:
    items: list[dict[str, Any]] = []
    blocked = failed = 0
    for path in files:
        try:
            result = check_file(path, settings, cache)
        except SidekickError as exc:
            failed += 1
            items.append({"file": str(path), "error": str(exc)})
            click.echo(f"Error: {exc}", err=True)
            continue
        blocked += bool(result.blocking)
        items.append(result_json(result, path))
        if not as_json:
            click.echo(render_table(result, path) + "\n")
    clean = len(files) - blocked - failed
    if as_json:
        click.echo(json.dumps(items, indent=2))
    else:
        click.echo(f"{len(files)} files: {clean} clear to sign, {blocked} with blocking "
                   f"findings, {failed} failed")
    return 1 if blocked or failed else 0
