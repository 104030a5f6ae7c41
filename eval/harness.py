"""Runs the pipeline on every case of a folder, in parallel where the drafter allows.

The task (what runs per case) is injectable: ``pipeline_task`` is the real one, following
``shared/cases/README.md`` ("How the harness scores a case"); tests pass fakes. A case that
fails is recorded with its error and the run goes on (a batch never stops at one bad item).

Parallelism: the offline drafter is pure Python CPU work, so cases go to a process pool; an LLM
drafter waits on a server, so cases go to a thread pool. ``workers=1`` runs in this process,
in order (the simplest path, and the one tests and ``--debug`` use). The progress bar (tqdm)
writes to stderr.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from tqdm import tqdm

from eval.facts import FactScorer, default_scorer
from eval.metrics import score_case, summarise
from eval.provenance import notes_provenance, run_provenance
from sidekick.cases import load_cases
from sidekick.config import Settings
from sidekick.errors import InputError, SidekickError
from sidekick.models import Case, CheckResult, NoteProvenance, SoapNote

logger = logging.getLogger(__name__)

#: Drafters whose work is local CPU (parallel in processes); any other drafter uses threads.
CPU_DRAFTERS = ("offline", "rules")


@dataclass
class CaseRun:
    """What the task produced for one case (``error`` set when the case could not run)."""

    case_id: str
    drafted: bool
    result: CheckResult | None = None
    note: SoapNote | None = None
    drafter: str | None = None
    fallback_reason: str | None = None
    provenance: NoteProvenance | None = None
    latency_s: float = 0.0
    error: str | None = None


#: A task runs one case: (case, every case of the folder by id, settings, drafter name).
Task = Callable[[Case, Mapping[str, Case], Settings, str | None], CaseRun]


def pipeline_task(
    case: Case, index: Mapping[str, Case], settings: Settings, drafter_name: str | None
) -> CaseRun:
    """Run the real pipeline on one case: check its note, or draft one and check that.

    Latency covers drafting and checking; building the case's history (which may draft the
    earlier visits) is preparation and is not timed.
    """
    from sidekick import pipeline

    history, corpus = pipeline.case_history(case, dict(index), settings)
    start = time.perf_counter()
    if case.note is not None:
        result = pipeline.check_record(case, settings, history=history, corpus=corpus)
        return CaseRun(
            case_id=case.id,
            drafted=False,
            result=result,
            note=result.note,
            latency_s=time.perf_counter() - start,
        )
    from sidekick import draft

    if case.transcript is None:
        raise InputError(f"case {case.id}: transcript: a drafting case needs a transcript")
    drafted = draft.draft_note(case.transcript, case, settings, drafter_name=drafter_name)
    result = pipeline.check_record(
        case, settings, note=drafted.note, history=history, corpus=corpus
    )
    return CaseRun(
        case_id=case.id,
        drafted=True,
        result=result,
        note=drafted.note,
        drafter=drafted.drafter,
        fallback_reason=drafted.fallback_reason,
        provenance=drafted.note.provenance,
        latency_s=time.perf_counter() - start,
    )


def _run_safely(
    task: Task,
    case: Case,
    index: Mapping[str, Case],
    settings: Settings,
    drafter_name: str | None,
    debug: bool,
) -> CaseRun:
    """Run the task; a failure becomes a CaseRun with ``error`` (re-raised with ``debug``)."""
    start = time.perf_counter()
    try:
        return task(case, index, settings, drafter_name)
    except Exception as exc:  # a batch records failed items and goes on
        if debug:
            raise
        if not isinstance(exc, SidekickError):
            logger.debug("case %s failed", case.id, exc_info=True)
        logger.warning("case %s failed: %s", case.id, type(exc).__name__)
        return CaseRun(
            case_id=case.id,
            drafted=case.note is None,
            latency_s=time.perf_counter() - start,
            error=f"{type(exc).__name__}: {exc}",
        )


def executor_kind(drafter_name: str | None) -> str:
    """``process`` for CPU-bound drafters, ``thread`` for drafters that wait on a server."""
    return "process" if (drafter_name or "offline") in CPU_DRAFTERS else "thread"


def drafter_parallel_safe(settings: Settings, drafter_name: str) -> bool:
    """Whether the drafter may draft several cases at once (``Drafter.parallel_safe``).

    Builds the drafter once, so a drafter that cannot be built (no LLM host configured, no
    GGUF file) fails before the run with its ConfigError, not on every case. The ``local``
    drafter is not built here: building it starts its model server; it runs one case at a time.
    """
    if drafter_name.strip().lower() == "local":
        return False
    from sidekick import draft

    return bool(getattr(draft.get_drafter(drafter_name, settings), "parallel_safe", True))


def _make_pool(kind: str, workers: int) -> Executor:
    if kind == "process":
        # spawn, not fork: the parent may hold threads (progress bar, Whisper) at fork time
        return ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"))
    return ThreadPoolExecutor(max_workers=workers)


def run_cases(
    cases: Sequence[Case],
    settings: Settings,
    *,
    drafter_name: str | None = None,
    task: Task = pipeline_task,
    index: Mapping[str, Case] | None = None,
    workers: int = 1,
    executor: str | None = None,
    progress: bool = True,
    debug: bool = False,
    label: str = "eval",
) -> list[CaseRun]:
    """Run ``task`` on every case and return the runs in the cases' order.

    Args:
        cases: The cases to run.
        settings: Settings for the pipeline (built once at the entry point).
        drafter_name: The drafter for drafting cases (None: the settings' drafter).
        task: What runs per case (``pipeline_task``, or a fake in tests).
        index: Every case by id, for histories (default: ``cases`` themselves).
        workers: Parallel workers; 1 runs in this process, in order.
        executor: ``process`` or ``thread``; None picks by drafter (``executor_kind``).
        progress: Show a progress bar on stderr.
        debug: Re-raise a case's exception instead of recording it.
        label: The progress bar's label.

    Returns:
        One CaseRun per case, in the order of ``cases``.
    """
    index = dict(index) if index is not None else {c.id: c for c in cases}
    bar = tqdm(total=len(cases), desc=label, unit="case", disable=not progress, leave=False)
    runs: dict[str, CaseRun] = {}
    try:
        if workers <= 1 or len(cases) <= 1:
            for case in cases:
                runs[case.id] = _run_safely(task, case, index, settings, drafter_name, debug)
                bar.update(1)
        else:
            kind = executor or executor_kind(drafter_name or settings.drafter)
            with _make_pool(kind, workers) as pool:
                futures = {
                    pool.submit(_run_safely, task, c, index, settings, drafter_name, debug): c.id
                    for c in cases
                }
                for future in as_completed(futures):
                    runs[futures[future]] = future.result()
                    bar.update(1)
    finally:
        bar.close()
    logger.info("ran %d case(s), %d failed", len(runs), sum(1 for r in runs.values() if r.error))
    return [runs[c.id] for c in cases]


def evaluate(
    cases_dir: Path,
    settings: Settings,
    *,
    drafter_name: str | None = None,
    task: Task | None = None,
    scorer: FactScorer | None = None,
    workers: int = 1,
    limit: int | None = None,
    progress: bool = True,
    debug: bool = False,
) -> tuple[dict[str, Any], list[Case], dict[str, Case]]:
    """Run and score every case of a folder; return the report and the cases run.

    Raises:
        InputError: the folder is missing, empty, or holds a malformed case.
        ConfigError: the prompt version does not exist or is malformed, or the drafter
            cannot be built (unknown name, no LLM host configured).
    """
    all_cases = load_cases(cases_dir)
    index = {c.id: c for c in all_cases}
    cases = all_cases[:limit] if limit else all_cases
    drafter = drafter_name or settings.drafter
    scorer = scorer or default_scorer()
    report = run_provenance(settings, drafter, Path(cases_dir))  # a bad prompt fails here
    if task is None and not drafter_parallel_safe(settings, drafter):
        workers = 1
    runs = run_cases(
        cases, settings, drafter_name=drafter, task=task or pipeline_task, index=index,
        workers=workers, progress=progress, debug=debug, label="text",
    )
    report["notes"] = notes_provenance([r.provenance for r in runs])
    report.update(score_runs(cases, runs, scorer))
    return report, cases, index


def score_runs(cases: Sequence[Case], runs: Sequence[CaseRun], scorer: FactScorer) -> dict:
    """``cases`` count, the metrics, and ``per_case`` for a list of runs."""
    per_case = [score_case(c, r, scorer) for c, r in zip(cases, runs, strict=True)]
    return {"cases": len(cases), **summarise(per_case), "per_case": per_case}
