"""eval/ci_floors.sh: floors come from one file; a malformed line stops CI with its location."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "eval" / "ci_floors.sh"


def _run(floors: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    env = os.environ | {"SIDEKICK_EVAL_FLOORS": str(floors),
                        "SIDEKICK_EVAL_CASES": str(tmp_path / "no-cases"),
                        "SIDEKICK_EVAL_OUT": str(tmp_path / "out")}
    return subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True,
                          timeout=120, check=False)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("exercises.f1 atleast 0.9", "Error: {f}:2: bound must be min or max, got 'atleast'\n"),
        ("exercises.f1 min", "Error: {f}:2: expected 'METRIC min|max VALUE'\n"),
        ("exercises.f1 min 0.9 extra", "Error: {f}:2: expected 'METRIC min|max VALUE'\n"),
    ],
    ids=["bad-bound", "no-value", "extra-word"],
)
def test_malformed_floor_line_stops_with_file_and_line(tmp_path, line, message):
    floors = tmp_path / "floors.txt"
    floors.write_text(f"# comment\n{line}\n", encoding="utf-8")
    done = _run(floors, tmp_path)
    assert done.returncode == 2
    assert done.stderr == message.format(f=floors)


def test_committed_floors_file_parses_and_reaches_the_harness(tmp_path):
    done = _run(REPO / "eval" / "floors.txt", tmp_path)
    # the cases folder does not exist: the harness itself reports it (exit 2), so the floors
    # file was read through without a format error
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == (
        f"Error: {tmp_path / 'no-cases'}: not a folder of cases; "
        "pass a directory of case JSON files"
    )
