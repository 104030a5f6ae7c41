"""How long the app takes to re-check the note after an edit (synthetic sample, no real data).

    python tests/ui/measure_app.py [--runs 10]

Prints the median and max of (1) ``check_record`` on an edited note with the transcript's
facts already extracted (what the app does on every edit) and (2) a whole AppTest rerun of
``ui/app.py`` after a Plan edit (page drawn, findings re-checked).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path[:0] = [str(HERE), str(REPO)]


def _stats(name: str, seconds: list[float]) -> None:
    ms = [s * 1000 for s in seconds]
    print(f"{name}: median {statistics.median(ms):.0f} ms, max {max(ms):.0f} ms, n={len(ms)}")


def measure_check(runs: int) -> None:
    from sidekick import billing, facts, pipeline
    from sidekick.config import Settings
    from sidekick.models import Transcript, VisitRecord

    samples = REPO / "samples"
    record = VisitRecord.model_validate_json((samples / "sample-session.visit.json").read_text())
    transcript = Transcript.model_validate_json(
        (samples / "sample-session.transcript.json").read_text())
    record = record.model_copy(update={"transcript": transcript})
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(_env_file=None, db=str(Path(tmp) / "m.db"), openai_api_key=None,
                            llm_base_url=None)
        doc = pipeline.run_record(record, settings)
        config = billing.load_config(settings)
        seen = facts.extract_from_transcript(transcript, record)
        times = []
        for i in range(runs):
            note = doc.note.model_copy(update={"plan": f"{doc.note.plan} Edit {i}."})
            started = time.perf_counter()
            pipeline.check_record(record, settings, note=note, billing_config=config,
                                  transcript_facts=seen)
            times.append(time.perf_counter() - started)
    _stats("re-check of an edited note (check_record)", times)


def measure_rerun(runs: int) -> None:
    from app_helpers import fill_visit, paste
    from streamlit import config as st_config
    from streamlit.testing.v1 import AppTest

    from sidekick.config import Settings

    st_config.set_option("server.address", "127.0.0.1")
    with tempfile.TemporaryDirectory() as tmp:
        at = AppTest.from_file(str(REPO / "ui" / "app.py"), default_timeout=90)
        at.session_state["settings"] = Settings(_env_file=None, db=str(Path(tmp) / "m.db"),
                                                openai_api_key=None, llm_base_url=None)
        at = paste(fill_visit(at.run()))
        at = at.button(key="draft_button").click().run()
        times = []
        for i in range(runs):
            plan = at.text_area(key="section_plan_1")
            plan.input(f"{plan.value} Edit {i}.")
            started = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - started)
    _stats("app rerun after a Plan edit (AppTest)", times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    measure_check(args.runs)
    measure_rerun(args.runs)


if __name__ == "__main__":
    main()
