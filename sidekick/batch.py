"""Batch runs of the main job over many inputs: parallel, resumable, and never stopped by one item.

How it survives failures and kills:

* Each input's outputs are written by ``pipeline.write_outputs`` (temporary file, fsync,
  rename), so a file under its final name is always whole.
* After an item's outputs are renamed into place, one line is appended (and fsynced) to
  ``OUT/.journal.jsonl``: the item's content hash, status, time, drafter and rule ids. A run
  killed at any moment has lost at most the items in flight; their outputs are either absent
  or whole, and no journal line claims them.
* A re-run reads the journal, skips every item whose content hash is recorded as done (its
  ``.note.json`` still present), redoes failed and unrecorded items, and deletes temporary
  files a killed run left behind. The store ignores a re-drafted note equal to the stored one,
  so a redone item adds no duplicate version.
* ``summary.csv``, ``summary.jsonl``, ``rules.csv`` and ``run.json`` are rebuilt from the
  journal at the end (atomically), one row per item (the latest attempt), plus totals per rule.

Transcription and drafting run in a process pool (``batch_workers``: one Whisper model per
worker, loaded on the first audio item; a patient's visits in date order so the cloning checks
see the earlier ones); the main process alone writes files and the history database.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from sidekick.batch_workers import Item, Outcome, in_process, pooled
from sidekick.config import Settings
from sidekick.errors import InputError, SidekickError
from sidekick.inputs import (  # discover_inputs, output_names: part of this module's API
    INPUT_SUFFIXES,
    Transcriber,
    content_hash,
    discover_inputs,
    output_names,
    sidecar_visit,
)
from sidekick.models import NoteDocument, VisitRecord
from sidekick.pipeline import (
    atomic_write_text,
    output_paths,
    remove_stale_temporaries,
    save_draft,
    write_outputs,
)

logger = logging.getLogger(__name__)

__all__ = ["INPUT_SUFFIXES", "JOURNAL", "BatchSummary", "ItemResult", "discover_inputs",
           "output_names", "read_journal", "run_batch", "summarize", "write_summaries"]

Status = Literal["ok", "blocked", "failed"]
JOURNAL = ".journal.jsonl"


class ItemResult(BaseModel):
    """One item's outcome: a line of the journal and of ``summary.jsonl``."""

    model_config = ConfigDict(extra="forbid")

    name: str
    input: str
    sha256: str | None
    status: Status
    seconds: float
    drafter: str | None = None
    blocking: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    error: str | None = None


class BatchSummary(BaseModel):
    """What a batch did: every item (latest attempt), counts, totals per rule, throughput."""

    model_config = ConfigDict(extra="forbid")

    items: list[ItemResult]
    processed: int  # items run this time
    skipped: int  # items already done by an earlier run
    seconds: float
    per_rule: dict[str, int]

    def count(self, status: Status) -> int:
        return sum(1 for i in self.items if i.status == status)

    @property
    def items_per_minute(self) -> float:
        return 60.0 * self.processed / self.seconds if self.seconds > 0 else 0.0


# --------------------------------------------------------------------------- journal


def read_journal(out_dir: Path) -> dict[str, ItemResult]:
    """The latest journal entry per content hash (a torn last line is ignored)."""
    path = out_dir / JOURNAL
    latest: dict[str, ItemResult] = {}
    if not path.is_file():
        return latest
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            item = ItemResult.model_validate_json(line)
        except ValueError:
            continue
        latest[item.sha256 or f"name:{item.name}"] = item
    return latest


class _Journal:
    """Append-only, one fsynced JSON line per finished item."""

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / JOURNAL
        self.fh = self.path.open("a+b")
        self.fh.seek(0, io.SEEK_END)
        if self.fh.tell():
            self.fh.seek(-1, io.SEEK_END)
            if self.fh.read(1) != b"\n":  # a line torn by a kill: end it before appending
                self.fh.write(b"\n")

    def append(self, item: ItemResult) -> None:
        self.fh.write(item.model_dump_json().encode("utf-8") + b"\n")
        self.fh.flush()
        os.fsync(self.fh.fileno())

    def close(self) -> None:
        self.fh.close()


# --------------------------------------------------------------------------- the run


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _worker_settings(settings: Settings, jobs: int) -> Settings:
    """Split the cores between Whisper workers instead of letting each take them all."""
    if jobs > 1 and settings.whisper_threads == 0:
        threads = max(1, default_jobs() // jobs)
        return settings.model_copy(update={"whisper_threads": threads})
    return settings


def _finish_item(path: Path, name: str, sha: str | None, outcome: Outcome, out_dir: Path,
                 store: Any) -> ItemResult:
    """Store the draft, write the outputs, and say how the item ended."""
    kind, payload, seconds = outcome
    item = ItemResult(name=name, input=str(path), sha256=sha, status="failed",
                      seconds=round(seconds, 3))
    if kind != "ok":
        return item.model_copy(update={"error": payload})
    doc = NoteDocument.model_validate_json(payload)
    doc.input_sha256 = sha
    try:
        if store is not None:
            save_draft(store, doc)
            doc.visit_key = doc.record.id
        write_outputs(doc, out_dir)
    except (SidekickError, OSError) as exc:
        return item.model_copy(update={"error": str(exc), "drafter": doc.drafter})
    blocking = sorted({f.rule_id for f in doc.findings if f.blocks})
    warnings = sorted({f.rule_id for f in doc.findings if not f.blocks})
    return item.model_copy(update={
        "status": "blocked" if blocking else "ok", "drafter": doc.drafter,
        "blocking": blocking, "warnings": warnings,
    })


def _patient_and_date(path: Path, visit: VisitRecord | None) -> tuple[str, str]:
    """Best-effort (patient id, visit date) of an input, read from its JSON or visit file."""
    sidecar = sidecar_visit(path)
    source = sidecar or (path if path.suffix.lower() == ".json" else None)
    data: Any = None
    if source is not None:
        try:
            data = json.loads(source.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = None
    if not (isinstance(data, dict) and "patient" in data) and visit is not None:
        data = visit.model_dump(mode="json")
    try:
        return str(data["patient"]["id"]), str(data["visit"]["date"])
    except (KeyError, TypeError):
        return f"unknown:{path}", ""


def _plan(paths: list[Path], out_dir: Path, visit: VisitRecord | None, extra: str, force: bool,
          hashes: dict[Path, str | None]) -> tuple[list[Item], list[ItemResult], int]:
    """Items to run (visit-date order), those failed unread, how many skip; fills ``hashes``."""
    names = output_names(paths)
    done = {} if force else read_journal(out_dir)
    todo: list[tuple[Item, str]] = []
    unreadable: list[ItemResult] = []
    skipped = 0
    for p in paths:
        try:
            sha = hashes[p] = content_hash(p, visit, extra)
        except OSError as exc:
            hashes[p] = None
            unreadable.append(ItemResult(name=names[p], input=str(p), sha256=None,
                                         status="failed", seconds=0.0,
                                         error=f"{p}: cannot be read ({exc.strerror})"))
            continue
        prev = done.get(sha)
        finished = output_paths(out_dir, names[p])["note.json"].is_file()
        if prev and prev.status != "failed" and finished:
            skipped += 1
            continue
        patient, date = _patient_and_date(p, visit)
        todo.append((Item(p, names[p], patient, sha, date), date))
    todo.sort(key=lambda t: (t[1], t[0].name))  # earlier visits first: history for CL-*
    return [item for item, _ in todo], unreadable, skipped


def _writable(out_dir: Path) -> None:
    """Create the output folder, or say plainly why it cannot be used (exit 2)."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        probe = out_dir / f".write-test-{os.getpid()}.tmp"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise InputError(
            f"{out_dir}: cannot write the outputs there ({exc.strerror or exc}); "
            "pass -o with a writable folder"
        ) from exc


def _check_drafter(settings: Settings, drafter_name: str | None, drafter: Any) -> bool:
    """Fail before the batch (exit 2), not on every item, when the drafter cannot be built.

    Returns whether the drafter may run in several processes at once (``parallel_safe``).
    """
    name = (drafter_name or settings.drafter).strip().lower()
    if drafter is None and name == "local":  # building it starts its one model server
        return False
    if drafter is None:
        from sidekick import draft

        drafter = draft.get_drafter(name, settings)
    return bool(getattr(drafter, "parallel_safe", True))


def run_batch(
    specs: Iterable[str | Path], out_dir: Path, settings: Settings, *,
    visit: VisitRecord | None = None, drafter_name: str | None = None, drafter: Any = None,
    transcriber: Transcriber | None = None, jobs: int | None = None, store: Any = None,
    progress: bool | None = True, force: bool = False,
    on_item: Callable[[ItemResult], None] | None = None,
) -> BatchSummary:
    """Run the main job over every input; failures are recorded and the rest go on.

    Args:
        specs: Files, folders or glob patterns.
        out_dir: Where outputs, the journal and the summaries go.
        settings: The run's settings (whisper threads are split between workers).
        visit: Visit details for inputs without a ``<name>.visit.json`` beside them.
        drafter_name, drafter, transcriber: Stage choices (fakes in tests; must pickle
            when ``jobs`` > 1).
        jobs: Worker processes (default: the machine's cores; 1 runs in this process).
        store: The history database (drafts saved, history for CL-*), or None.
        progress: Show a progress bar on stderr (None: only when stderr is a terminal).
        force: Redo items the journal records as done.
        on_item: Called in this process after each item.

    Raises:
        InputError: the inputs name nothing to run.
    """
    from tqdm import tqdm

    started = time.perf_counter()
    paths = discover_inputs(specs)
    parallel = _check_drafter(settings, drafter_name, drafter)
    _writable(out_dir)
    stale = remove_stale_temporaries(out_dir)
    if stale:
        logger.info("removed %d temporary file(s) left by an interrupted run", stale)
    hashes: dict[Path, str | None] = {}
    todo, results, skipped = _plan(paths, out_dir, visit, drafter_name or "", force, hashes)
    jobs = max(1, min(jobs or default_jobs(), len(todo) or 1)) if parallel else 1
    initargs = (_worker_settings(settings, jobs), visit, drafter_name, drafter, transcriber,
                store is not None)
    runner = in_process(todo, initargs) if jobs == 1 else pooled(todo, initargs, jobs)
    journal = _Journal(out_dir)
    names = output_names(paths)
    try:
        with tqdm(total=len(paths), initial=skipped + len(results), unit="item",
                  disable=None if progress is None else not progress, dynamic_ncols=True,
                  desc="sidekick run") as bar:
            for item in results:
                journal.append(item)
            for path, outcome in runner:
                item = _finish_item(path, names[path], hashes[path], outcome, out_dir, store)
                journal.append(item)
                bar.update(1)
                if on_item:
                    on_item(item)
    finally:
        journal.close()
    summary = summarize(paths, hashes, out_dir, len(todo) + len(results), skipped,
                        time.perf_counter() - started)
    write_summaries(summary, out_dir, settings, drafter_name or settings.drafter)
    return summary


def summarize(paths: list[Path], hashes: dict[Path, str | None], out_dir: Path, processed: int,
              skipped: int, seconds: float) -> BatchSummary:
    """The latest journal entry of every input, in input order, with totals per rule."""
    journal = read_journal(out_dir)
    by_input = {item.input: item for item in journal.values()}
    items: list[ItemResult] = []
    for p in paths:
        sha = hashes.get(p)
        item = (journal.get(sha) if sha else None) or by_input.get(str(p))
        if item is not None:
            items.append(item)
    per_rule = Counter(rule for i in items for rule in [*i.blocking, *i.warnings])
    return BatchSummary(items=items, processed=processed, skipped=skipped,
                        seconds=round(seconds, 3), per_rule=dict(sorted(per_rule.items())))


def _settings_without_secrets(settings: Settings) -> dict[str, Any]:
    """Settings for ``run.json``: no API key, no password inside a URL (db, LLM host)."""
    data = settings.model_dump(mode="json", exclude={"openai_api_key"})
    data["openai_api_key_set"] = settings.openai_api_key is not None
    for key, value in data.items():
        if isinstance(value, str) and "://" in value:
            data[key] = re.sub(r"://[^/@]+@", "://***@", value)
    return data


def _rules_csv(summary: BatchSummary) -> str:
    """Totals per rule: how many items each rule blocked and warned on."""
    blocked = Counter(r for i in summary.items for r in i.blocking)
    warned = Counter(r for i in summary.items for r in i.warnings)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["rule_id", "items_blocked", "items_warned"])
    for rule in sorted(set(blocked) | set(warned)):
        writer.writerow([rule, blocked[rule], warned[rule]])
    return buf.getvalue()


def write_summaries(summary: BatchSummary, out_dir: Path, settings: Settings,
                    drafter: str) -> None:
    """``summary.csv`` (per item), ``rules.csv`` (totals per rule), ``summary.jsonl`` (per item,
    then a totals line) and ``run.json``, each written atomically."""
    from importlib.metadata import PackageNotFoundError, version

    from sidekick.validators import RULE_SET_VERSION

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["name", "input", "status", "seconds", "drafter", "blocking", "warnings",
                     "error"])
    for i in summary.items:
        writer.writerow([i.name, i.input, i.status, f"{i.seconds:.3f}", i.drafter or "",
                         " ".join(i.blocking), " ".join(i.warnings), i.error or ""])
    atomic_write_text(out_dir / "summary.csv", buf.getvalue())
    atomic_write_text(out_dir / "rules.csv", _rules_csv(summary))
    totals = {"items": len(summary.items), "ok": summary.count("ok"),
              "blocked": summary.count("blocked"), "failed": summary.count("failed"),
              "per_rule": summary.per_rule}
    lines = [i.model_dump_json() for i in summary.items]
    lines.append(json.dumps({"totals": totals}))
    atomic_write_text(out_dir / "summary.jsonl", "\n".join(lines) + "\n")
    try:
        sidekick_version = version("sidekick")
    except PackageNotFoundError:  # pragma: no cover - not installed
        sidekick_version = "unknown"
    run = {
        "versions": {"sidekick": sidekick_version, "rule_set": RULE_SET_VERSION,
                     "draft_prompt": settings.draft_prompt, "whisper_model": settings.whisper_model,
                     "drafter": drafter},
        "settings": _settings_without_secrets(settings),
        "totals": totals, "processed": summary.processed, "skipped": summary.skipped,
        "seconds": summary.seconds, "items_per_minute": round(summary.items_per_minute, 2),
        "items": [{"name": i.name, "status": i.status, "blocking": i.blocking,
                   "warnings": i.warnings, "error": i.error} for i in summary.items],
    }
    atomic_write_text(out_dir / "run.json", json.dumps(run, indent=2) + "\n")
