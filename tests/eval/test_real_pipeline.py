"""The harness through the real pipeline on two dev cases (one note case, one drafting case)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from eval.harness import evaluate

REPO = Path(__file__).resolve().parents[2]
DEV = REPO.parent / "shared" / "cases" / "dev"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not DEV.is_dir(), reason="shared/cases/dev is not beside the project"),
]


def test_real_pipeline_runs_a_note_case_and_a_drafting_case(settings):
    report, cases, _ = evaluate(DEV, settings, limit=2, progress=False)
    assert {c["kind"] for c in report["per_case"]} == {"note", "draft"}
    assert report["failed_cases"] == 0, [c["failed"] for c in report["per_case"]]
    drafted = next(c for c in report["per_case"] if c["kind"] == "draft")
    assert drafted["drafter"] == "offline"
    assert drafted["hallucination"] is not None
    assert report["notes"]["drafters"] == ["offline"]


def test_python_m_eval_writes_the_three_reports(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "eval", str(DEV), "-o", str(tmp_path / "out"), "--limit", "1",
         "--no-progress", "--workers", "1"],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "report.html", "report.json", "report.md",
    ]
    assert json.loads((tmp_path / "out" / "report.json").read_text())["cases"] == 1
