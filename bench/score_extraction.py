"""Score the deterministic extractor on a folder of gold cases (issue 3 "done when").

Usage (from the repo root):
    python bench/score_extraction.py [CASES_DIR] [--errors] [--notes]

Extracts from each case's TRANSCRIPT (all cases, including those with a note) and scores
against ``gold`` with ``eval/scoring.py``: per case and overall (micro-averaged) exercise
P/R/F1 and dose accuracy, and measure P/R/F1 and value accuracy. Measures come from
``sidekick.facts.extract_from_transcript(...).measures`` when that exists, else "n/a".
``--errors`` also prints every dose mismatch, missed and extra fact. ``--notes`` instead
reads the exercises written in each case's NOTE (cases with a note only).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from eval.scoring import micro_average, score_exercises, score_measures  # noqa: E402
from sidekick.cases import load_cases  # noqa: E402
from sidekick.facts.exercises import (  # noqa: E402
    extract_exercises,
    extract_exercises_from_text,
)
from sidekick.models import Transcript  # noqa: E402


def _measure_extractor():
    try:
        from sidekick.facts import extract_from_transcript
    except ImportError:
        return None
    return extract_from_transcript


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="?", default=str(REPO.parent / "shared" / "cases" / "dev"))
    parser.add_argument("--errors", action="store_true", help="print each mismatch")
    parser.add_argument("--notes", action="store_true", help="read the notes, not transcripts")
    args = parser.parse_args(argv)
    cases = load_cases(Path(args.cases))
    if args.notes:
        cases = [c for c in cases if c.note]
    measures_of = None if args.notes else _measure_extractor()
    ex_scores, m_scores = [], []
    print(f"{'case':<24} {'ex P':>5} {'ex R':>5} {'ex F1':>5} {'dose':>5} {'m F1':>5} {'value':>5}")
    for case in cases:
        transcript = case.transcript or Transcript()
        if args.notes:
            pred = extract_exercises_from_text(case.note or "", case.patient, "Objective")
        else:
            pred = extract_exercises(transcript, case)
        ex = score_exercises(pred, case.gold.exercises)
        ex_scores.append(ex)
        m_text = "  n/a   n/a"
        if measures_of is not None:
            m = score_measures(measures_of(transcript, case).measures, case.gold.measures)
            m_scores.append(m)
            m_text = f"{m.f1:5.2f} {m.accuracy:5.2f}"
        print(f"{case.id:<24} {ex.precision:5.2f} {ex.recall:5.2f} {ex.f1:5.2f} "
              f"{ex.accuracy:5.2f} {m_text}")
        if args.errors:
            for error in ex.errors + (m_scores[-1].errors if m_scores else []):
                print(f"    {error}")
    ex = micro_average(ex_scores)
    print(f"\n{len(cases)} cases, micro-averaged:")
    print(f"exercises  P {ex.precision:.3f}  R {ex.recall:.3f}  F1 {ex.f1:.3f}  "
          f"(tp {ex.tp}, fp {ex.fp}, fn {ex.fn})")
    print(f"dose accuracy {ex.accuracy:.3f}  ({ex.correct}/{ex.total} matched exercises)")
    if m_scores:
        m = micro_average(m_scores)
        print(f"measures   P {m.precision:.3f}  R {m.recall:.3f}  F1 {m.f1:.3f}  "
              f"(tp {m.tp}, fp {m.fp}, fn {m.fn}); value accuracy {m.accuracy:.3f}")
    else:
        print("measures   n/a (sidekick.facts.extract_from_transcript not available yet)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
