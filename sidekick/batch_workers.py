"""The worker side of a batch: the process pool, and the order items are handed to it.

Each worker builds its settings, drafter and Whisper model once (the model on the first audio
item) and runs ``pipeline.run_one`` on one item at a time; every failure comes back as a
message, never as an exception. The main process alone writes files and the database.

Order: a patient's visits run in visit-date order, a later date only after the earlier
dates' drafts are in the history database, so the cloning checks (CL-*) of a later visit see
the earlier visits of the same batch. Different patients, and one patient's visits of the same
date (which are not each other's history), run in parallel.

A worker that dies (a crash in native code, out of memory) breaks the pool: its items go to a
second pool, and what that loses runs alone, so only the item that kills its worker fails.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, NamedTuple

from sidekick.config import Settings
from sidekick.errors import SidekickError
from sidekick.inputs import Transcriber
from sidekick.models import VisitRecord
from sidekick.pipeline import log_ref, run_one, store_history

logger = logging.getLogger(__name__)

Outcome = tuple[str, str, float]  # ("ok", note document JSON, s) or ("failed", message, s)
_DIED = "the worker process died on this item (a crash or out of memory); nothing was written"


class Item(NamedTuple):
    path: Path
    name: str
    patient: str  # a patient's visits run in date order, one date at a time
    sha256: str | None = None  # the input's content hash, computed once by the planner
    date: str = ""  # the visit date, when the planner could read it


_WORKER: dict[str, Any] = {}


def init_worker(settings: Settings, visit: VisitRecord | None, drafter_name: str | None,
                drafter: Any, transcriber: Transcriber | None, use_store: bool) -> None:
    _WORKER.clear()
    _WORKER.update(settings=settings, visit=visit, drafter_name=drafter_name, drafter=drafter,
                   transcriber=transcriber, use_store=use_store, store=None)


def _worker_history() -> Any:
    if not _WORKER["use_store"]:
        return None
    if _WORKER["store"] is None:
        from sidekick.store import open_store

        _WORKER["store"] = open_store(_WORKER["settings"])
    return store_history(_WORKER["store"])


def work(path: str, name: str, sha256: str | None = None) -> Outcome:
    """Run one item in a worker; every failure comes back as a message, never an exception."""
    started = time.perf_counter()
    try:
        doc = run_one(
            Path(path), _WORKER["settings"], visit=_WORKER["visit"],
            drafter_name=_WORKER["drafter_name"], drafter=_WORKER["drafter"],
            transcriber=_WORKER["transcriber"], history_for=_worker_history(), name=name,
            input_sha256=sha256,
        )
        return "ok", doc.model_dump_json(), time.perf_counter() - started
    except SidekickError as exc:
        return "failed", str(exc), time.perf_counter() - started
    except Exception as exc:  # a bug in one item must not stop the batch; keep the traceback
        logger.exception("item %s: internal error", log_ref(name))
        message = f"internal error ({type(exc).__name__}: {exc}); rerun with --debug -vv"
        return "failed", message, time.perf_counter() - started


def in_process(items: list[Item], initargs: tuple) -> Iterator[tuple[Path, Outcome]]:
    """Items one by one in this process (``--jobs 1``), in the given order."""
    init_worker(*initargs)
    for item in items:
        yield item.path, work(str(item.path), item.name, item.sha256)


def _queues(items: list[Item]) -> list[deque[list[Item]]]:
    """Per patient, the items grouped by visit date, earliest first (items come date-sorted)."""
    by_patient: dict[str, deque[list[Item]]] = {}
    for item in items:
        groups = by_patient.setdefault(item.patient, deque())
        if groups and groups[-1][0].date == item.date:
            groups[-1].append(item)
        else:
            groups.append([item])
    return list(by_patient.values())


def _pool_round(items: list[Item], initargs: tuple, jobs: int,
                broken: list[Item]) -> Iterator[tuple[Path, Outcome]]:
    """One pool over ``items``; those lost to a dead worker are appended to ``broken``.

    A patient's visits of one date run together; the next date's are submitted only when the
    consumer has taken (and stored) every result of the previous date.
    """
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=init_worker, initargs=initargs)
    queues = dict(enumerate(_queues(items)))
    outstanding = dict.fromkeys(queues, 0)
    running: dict[Future[Outcome], tuple[Item, int]] = {}

    def submit(queue_id: int) -> None:
        queue = queues[queue_id]
        if outstanding[queue_id] or not queue:
            return
        group = queue.popleft()
        for n, item in enumerate(group):
            try:
                future = pool.submit(work, str(item.path), item.name, item.sha256)
            except BrokenProcessPool:
                broken.extend(group[n:])
                broken.extend(i for later in queue for i in later)
                queue.clear()
                return
            running[future] = (item, queue_id)
            outstanding[queue_id] += 1

    try:
        for queue_id in queues:
            submit(queue_id)
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                item, queue_id = running.pop(future)
                outstanding[queue_id] -= 1
                try:
                    yield item.path, future.result()
                except BrokenProcessPool:
                    broken.append(item)
                submit(queue_id)
    except BaseException:  # Ctrl-C or a failed write: stop now, do not drain the queue
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def pooled(items: list[Item], initargs: tuple, jobs: int) -> Iterator[tuple[Path, Outcome]]:
    """Items over a process pool of ``jobs`` workers, surviving workers that die."""
    broken: list[Item] = []
    yield from _pool_round(items, initargs, jobs, broken)
    if broken:
        logger.warning("a worker process died; retrying %d item(s)", len(broken))
        again: list[Item] = []
        yield from _pool_round(broken, initargs, jobs, again)
        for item in again:
            lost: list[Item] = []
            yield from _pool_round([item], initargs, 1, lost)
            if lost:
                yield item.path, ("failed", _DIED, 0.0)
