"""Batch throughput of ``sidekick run``: items per minute for transcripts and for recordings.

    python bench/bench_batch.py                      # 50 transcripts + 10 recordings
    python bench/bench_batch.py --recordings 0       # transcripts only (no Whisper)
    python bench/bench_batch.py --transcripts 50 --recordings 10 --jobs 2 --turns 16

Inputs are built from the gold cases' transcripts (synthetic): each becomes a transcript JSON
with a sidecar visit file, or a recording synthesized with espeak-ng (``sidekick.synth``,
first ``--turns`` turns; synthesis is not timed). Each set runs through ``batch.run_batch``
(offline drafter, a fresh history database, ``--jobs`` worker processes) exactly as
``sidekick run DIR -o OUT`` does, and the wall time covers transcription, drafting, checking,
the store and the output files. ``cpu s/item`` (this process and its workers) does not depend
on what else the machine is doing; items/min does: note the load average beside the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sidekick.batch import default_jobs, run_batch  # noqa: E402
from sidekick.cases import load_cases  # noqa: E402
from sidekick.config import Settings  # noqa: E402
from sidekick.store import open_store  # noqa: E402

DEV = REPO.parent / "shared" / "cases" / "dev"


def _visit(case, item_id: str) -> dict:
    data = case.model_dump(mode="json", include={"patient", "visit", "billing"})
    return {"id": item_id, **data}


def make_transcripts(folder: Path, cases: list, count: int) -> None:
    folder.mkdir(parents=True)
    usable = [c for c in cases if c.transcript and c.transcript.turns]
    for i in range(count):
        case = usable[i % len(usable)]
        name = f"t{i:03d}"
        (folder / f"{name}.json").write_text(case.transcript.model_dump_json())
        (folder / f"{name}.visit.json").write_text(json.dumps(_visit(case, name)))


def make_recordings(folder: Path, cases: list, count: int, turns: int) -> float:
    from sidekick.synth import synthesize_dialogue

    folder.mkdir(parents=True)
    usable = [c for c in cases if c.transcript and c.transcript.turns]
    seconds = 0.0
    for i in range(count):
        case = usable[i % len(usable)]
        name = f"r{i:03d}"
        wav = synthesize_dialogue(case.transcript.turns[:turns], folder / f"{name}.wav")
        seconds += wav.stat().st_size / 32000  # 16 kHz mono 16-bit
        (folder / f"{name}.visit.json").write_text(json.dumps(_visit(case, name)))
    return seconds


def measure(label: str, folder: Path, work: Path, jobs: int) -> dict:
    settings = Settings(_env_file=None, db=str(work / f"{label}.db"), drafter="offline",
                        openai_api_key=None, llm_base_url=None)
    started, cpu0 = time.perf_counter(), _cpu_seconds()
    with open_store(settings) as store:
        summary = run_batch([folder], work / f"{label}-out", settings, store=store, jobs=jobs,
                            progress=True)
    wall, cpu = time.perf_counter() - started, _cpu_seconds() - cpu0
    return {
        "set": label, "items": len(summary.items), "jobs": jobs, "seconds": round(wall, 2),
        "items_per_minute": round(60 * len(summary.items) / wall, 1),
        "cpu_s_per_item": round(cpu / max(1, len(summary.items)), 2),
        "failed": summary.count("failed"),
    }


def _cpu_seconds() -> float:
    """CPU time of this process and its finished workers (independent of other load)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--transcripts", type=int, default=50)
    parser.add_argument("--recordings", type=int, default=10)
    parser.add_argument("--turns", type=int, default=16, help="turns spoken per recording")
    parser.add_argument("--jobs", type=int, default=default_jobs())
    parser.add_argument("--cases", type=Path, default=DEV)
    args = parser.parse_args()
    cases = load_cases(args.cases)
    rows = []
    with tempfile.TemporaryDirectory(prefix="sidekick-bench-") as tmp:
        work = Path(tmp)
        if args.transcripts:
            make_transcripts(work / "transcripts", cases, args.transcripts)
            rows.append(measure("transcripts", work / "transcripts", work, args.jobs))
        if args.recordings:
            audio_s = make_recordings(work / "recordings", cases, args.recordings, args.turns)
            row = measure("recordings", work / "recordings", work, args.jobs)
            row["audio_minutes"] = round(audio_s / 60, 1)
            rows.append(row)
    print(f"{'set':<12} {'items':>5} {'jobs':>4} {'seconds':>8} {'items/min':>10} "
          f"{'cpu s/item':>10} {'failed':>6}")
    for r in rows:
        print(f"{r['set']:<12} {r['items']:>5} {r['jobs']:>4} {r['seconds']:>8.2f} "
              f"{r['items_per_minute']:>10.1f} {r['cpu_s_per_item']:>10.2f} {r['failed']:>6}"
              + (f"   ({r['audio_minutes']} min of audio)" if "audio_minutes" in r else ""))
    load = os.getloadavg()[0]
    print(f"load average (1 min) at the end: {load:.1f} on {default_jobs()} core(s)")
    print(json.dumps({"load_avg_1m": round(load, 1), "rows": rows}))


if __name__ == "__main__":
    main()
