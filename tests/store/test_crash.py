"""Killing an import (SIGKILL) mid-way leaves a consistent database that a re-run completes."""

from __future__ import annotations

import datetime as dt
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sidekick.models import Clinician, Patient, Visit, VisitRecord
from sidekick.store import open_store

N_CASES = 300


def _write_cases(folder: Path) -> None:
    folder.mkdir()
    start = dt.date(2025, 1, 1)
    for i in range(N_CASES):
        record = VisitRecord(
            id=f"gen-{i:04d}",
            patient=Patient(id=f"P-GEN-{i % 40:02d}", diagnosis="synthetic knee pain"),
            visit=Visit(date=start + dt.timedelta(days=i // 40), discipline="PT",
                        payer="commercial",
                        clinician=Clinician(name=f"Clinician {i % 5}", credential="PT")),
            note=(f"Subjective: Pt reports knee pain {i % 10}/10 on visit {i}.\n\n"
                  f"Objective: Knee flexion {90 + i % 40} deg. Ther ex (97110, 25 min): "
                  f"quad sets 2x10; straight leg raise 3x{8 + i % 5}; mini squats 2x15.\n\n"
                  "Assessment: Improving quad control; stairs still limited.\n\n"
                  "Plan: Continue PT 2x/week; progress step-ups."),
        )
        (folder / f"{record.id}.json").write_text(record.model_dump_json(), encoding="utf-8")


def _count(db: Path, sql: str) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute(sql).fetchone()[0])
    except sqlite3.Error:
        return 0


@pytest.mark.slow
def test_sigkill_mid_import_leaves_whole_visits_and_a_valid_chain(tmp_path):
    cases, db = tmp_path / "cases", tmp_path / "history.db"
    _write_cases(cases)
    cmd = [sys.executable, "-m", "sidekick", "history", "import", str(cases), "--db", str(db),
           "--no-draft-missing"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while _count(db, "SELECT count(*) FROM visits") < 25:
        assert proc.poll() is None, "import finished before it could be killed"
        assert time.monotonic() < deadline, "import made no progress"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stderr.close()

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        visits = conn.execute("SELECT count(*) FROM visits").fetchone()[0]
        orphans = conn.execute(
            "SELECT count(*) FROM visits v WHERE NOT EXISTS "
            "(SELECT 1 FROM note_versions n WHERE n.visit_id = v.id)").fetchone()[0]
        versions = conn.execute("SELECT count(*) FROM note_versions").fetchone()[0]
        events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    assert 25 <= visits < N_CASES
    assert orphans == 0
    assert versions == visits == events

    with open_store(str(db)) as store:
        assert store.verify_chain().ok
        summary = store.import_cases(cases)
        assert (summary.imported, summary.skipped) == (N_CASES - visits, visits)
        assert store.verify_chain().count == N_CASES


_WRITER = """
import sys
from sidekick.store import open_store
with open_store(sys.argv[1]) as store:
    for i in range(40):
        store.append_event("test.concurrent", {"writer": sys.argv[2], "i": i}, "writer")
"""


@pytest.mark.slow
def test_two_processes_writing_at_once_keep_one_valid_chain(tmp_path):
    db = tmp_path / "history.db"
    open_store(str(db)).close()
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(db), name],
                              stderr=subprocess.PIPE, text=True) for name in ("a", "b")]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    with open_store(str(db)) as store:
        result = store.verify_chain()
        writers = sorted(e.payload["writer"] for e in store.events())
    assert result.ok and result.count == 80
    assert writers == ["a"] * 40 + ["b"] * 40
