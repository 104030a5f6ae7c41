"""Batch runs: a corrupt item never stops the rest; re-runs resume; a SIGKILL loses nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sidekick.batch import JOURNAL, discover_inputs, read_journal, run_batch
from sidekick.errors import InputError
from sidekick.pipeline import atomic_write_text
from sidekick.store import open_store

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def make_items(folder: Path, count: int, corrupt: set[int] = frozenset()) -> list[Path]:
    """``count`` transcript inputs with sidecar visits (distinct patients); some corrupt."""
    folder.mkdir(parents=True, exist_ok=True)
    transcript = json.loads((SAMPLES / "sample-session.transcript.json").read_text())
    visit = json.loads((SAMPLES / "sample-session.visit.json").read_text())
    paths = []
    for i in range(count):
        path = folder / f"item{i:02d}.json"
        if i in corrupt:
            path.write_text('{"turns": [ this is not json')
        else:
            path.write_text(json.dumps(transcript))
            v = {**visit, "id": f"item{i:02d}", "patient": {**visit["patient"], "id": f"P-{i}"}}
            (folder / f"item{i:02d}.visit.json").write_text(json.dumps(v))
        paths.append(path)
    return paths


def test_corrupt_file_in_the_middle_is_recorded_and_the_rest_go_on(tmp_path, settings):
    make_items(tmp_path / "in", 5, corrupt={2})
    out = tmp_path / "out"
    with open_store(settings) as store:
        summary = run_batch([tmp_path / "in"], out, settings, store=store, jobs=2,
                            progress=False)
    by_name = {i.name: i for i in summary.items}
    assert list(by_name) == [f"item{i:02d}" for i in range(5)]
    assert by_name["item02"].status == "failed"
    assert by_name["item02"].error.startswith(f"{tmp_path / 'in' / 'item02.json'}: not valid JSON")
    for name in ("item00", "item01", "item03", "item04"):
        assert by_name[name].status in ("ok", "blocked")
        assert by_name[name].drafter == "offline"
        for suffix in ("note.md", "note.json", "findings.json"):
            assert (out / f"{name}.{suffix}").is_file()
    assert not (out / "item02.note.json").exists()
    lines = (out / "summary.jsonl").read_text().splitlines()
    assert len(lines) == 6 and json.loads(lines[-1])["totals"]["failed"] == 1
    assert (out / "summary.csv").read_text().count("\n") == 6
    rules = (out / "rules.csv").read_text().splitlines()
    assert rules[0] == "rule_id,items_blocked,items_warned"
    per_rule = json.loads(lines[-1])["totals"]["per_rule"]
    assert {r.split(",")[0]: int(r.split(",")[1]) + int(r.split(",")[2])
            for r in rules[1:]} == per_rule


def test_rerun_skips_done_items_and_redoes_failed_ones(tmp_path, settings):
    paths = make_items(tmp_path / "in", 3, corrupt={1})
    out = tmp_path / "out"
    first = run_batch([tmp_path / "in"], out, settings, jobs=1, progress=False)
    assert [i.status for i in first.items].count("failed") == 1
    paths[1].write_text(paths[0].read_text())  # the user fixes the broken file
    (tmp_path / "in" / "item01.visit.json").write_text(
        (tmp_path / "in" / "item00.visit.json").read_text().replace('"item00"', '"item01"')
    )
    second = run_batch([tmp_path / "in"], out, settings, jobs=1, progress=False)
    assert (second.processed, second.skipped) == (1, 2)
    assert all(i.status != "failed" for i in second.items)


def test_run_json_keeps_no_secret(tmp_path, settings):
    from pydantic import SecretStr

    make_items(tmp_path / "in", 1)
    secret = settings.model_copy(update={"openai_api_key": SecretStr("sk-test-do-not-log"),
                                         "llm_base_url": "https://bob:hunter2@llm.local/v1"})
    run_batch([tmp_path / "in"], tmp_path / "out", secret, jobs=1, progress=False)
    run = (tmp_path / "out" / "run.json").read_text()
    assert "sk-test-do-not-log" not in run and "hunter2" not in run
    assert json.loads(run)["settings"]["openai_api_key_set"] is True
    assert json.loads(run)["settings"]["llm_base_url"] == "https://***@llm.local/v1"


def test_folder_without_inputs_is_an_input_error(tmp_path):
    (tmp_path / "x.visit.json").write_text("{}")
    with pytest.raises(InputError) as err:
        discover_inputs([tmp_path])
    assert str(err.value) == f"{tmp_path}: holds no audio, transcript or visit record files"


def test_failed_atomic_write_keeps_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "a.note.json"
    atomic_write_text(target, "old")

    def boom(fd):
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(InputError) as err:
        atomic_write_text(target, "new")
    assert str(err.value) == (
        f"{target}: cannot be written (disk full); check the folder, its permissions and the "
        "free space"
    )
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.note.json"]


def _name(line: str) -> str | None:
    try:
        return json.loads(line)["name"]
    except ValueError:
        return None


def _run_cli(folder: Path, out: Path, db: Path, jobs: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "sidekick", "run", str(folder), "-o", str(out), "--db", str(db),
         "-j", str(jobs), "--no-progress"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "SIDEKICK_DRAFTER": "offline"},
    )


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [1, 2], ids=["in-process", "pool"])
def test_batch_killed_with_sigkill_resumes_without_duplicates_or_losses(tmp_path, jobs):
    count = 24
    make_items(tmp_path / "in", count)
    out, db = tmp_path / "out", tmp_path / "h.db"
    proc = _run_cli(tmp_path / "in", out, db, jobs)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(read_journal(out)) < 3:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    killed_after = len(read_journal(out))
    assert 3 <= killed_after < count, "the kill must land mid-batch"
    for note in out.glob("*.note.json"):  # every file under a final name is whole
        json.loads(note.read_text())

    rerun = _run_cli(tmp_path / "in", out, db, jobs)
    assert rerun.wait(timeout=600) in (0, 1)
    names = [_name(line) for line in (out / JOURNAL).read_text().splitlines()]
    names = [n for n in names if n]  # a line torn by the kill does not count
    assert sorted(set(names)) == [f"item{i:02d}" for i in range(count)]
    assert len(names) == count  # nothing done twice
    summary = [json.loads(x) for x in (out / "summary.jsonl").read_text().splitlines()]
    assert len(summary) == count + 1 and summary[-1]["totals"]["failed"] == 0
    assert not list(out.glob(".*.tmp"))
    with open_store(str(db)) as store:
        for i in range(count):
            assert len(store.note_versions(f"item{i:02d}")) == 1
        assert store.verify_chain().ok


def crashing_transcriber(path: Path):
    """Kills its worker process on a recording named ``crash*`` (a native crash, say)."""
    from sidekick.models import Transcript, Turn

    if path.name.startswith("crash"):
        os._exit(3)
    return Transcript(turns=[Turn(speaker="therapist", text="Bridges, two sets of twelve.")])


def test_a_worker_that_dies_fails_only_its_own_item(tmp_path, settings):
    folder = tmp_path / "in"
    folder.mkdir()
    visit = json.loads((SAMPLES / "sample-session.visit.json").read_text())
    for name in ("a", "b", "crash", "c", "d"):
        (folder / f"{name}.wav").write_bytes(b"RIFF fake audio")
        (folder / f"{name}.visit.json").write_text(json.dumps({**visit, "id": name}))
    summary = run_batch([folder], tmp_path / "out", settings, jobs=2, progress=False,
                        transcriber=crashing_transcriber)
    status = {i.name: i.status for i in summary.items}
    assert status.pop("crash") == "failed"
    assert set(status.values()) <= {"ok", "blocked"} and len(status) == 4
    crashed = next(i for i in summary.items if i.name == "crash")
    assert crashed.error.startswith("the worker process died on this item")


def test_visits_of_one_patient_run_in_date_order_so_a_batch_catches_its_own_clones(
    tmp_path, settings
):
    folder = tmp_path / "in"
    make_items(folder, 3)  # other patients, run in parallel with these
    visit = json.loads((SAMPLES / "sample-session.visit.json").read_text())
    transcript = (SAMPLES / "sample-session.transcript.json").read_text()
    for name, date in (("a-week2", "2026-03-10"), ("b-week1", "2026-03-03")):
        (folder / f"{name}.json").write_text(transcript)
        (folder / f"{name}.visit.json").write_text(
            json.dumps({**visit, "id": name, "visit": {**visit["visit"], "date": date}}))
    with open_store(settings) as store:
        summary = run_batch([folder], tmp_path / "out", settings, store=store, jobs=2,
                            progress=False)
    found = {i.name: {*i.blocking, *i.warnings} for i in summary.items}
    assert "CL-PRIOR" in found["a-week2"]  # the later visit, checked after the earlier one
    assert "CL-PRIOR" not in found["b-week1"]


def test_globs_and_folders_name_each_input_once_with_unique_output_names(tmp_path):
    from sidekick.batch import output_names

    for sub in ("x", "y"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "visit.json").write_text("{}")
    (tmp_path / "x" / "visit.wav").write_bytes(b"")
    (tmp_path / "x" / "visit.note.json").write_text("{}")  # an output, never an input
    found = discover_inputs([str(tmp_path / "*" / "*.json"), tmp_path / "x"])
    assert found == [tmp_path / "x" / "visit.json", tmp_path / "y" / "visit.json",
                     tmp_path / "x" / "visit.wav"]
    assert list(output_names(found).values()) == ["visit.json", "y-visit.json", "visit.wav"]


def test_a_patients_visits_are_grouped_by_date_for_the_pool():
    from sidekick.batch_workers import Item, _queues

    items = [Item(Path(n), n, patient, None, date) for n, patient, date in (
        ("a1", "A", "2026-01-01"), ("b1", "B", "2026-01-01"), ("a2", "A", "2026-01-01"),
        ("a3", "A", "2026-01-08"), ("b2", "B", "2026-01-09"))]
    groups = [[[i.name for i in group] for group in queue] for queue in _queues(items)]
    assert groups == [[["a1", "a2"], ["a3"]], [["b1"], ["b2"]]]
