"""The extra synthetic gold cases (tests/data/cases-extra) load and are well-formed.

They are a second, independent yardstick beside shared/cases/dev: written after the extractor
and rules were tuned, to measure how Sidekick generalises. Their scores live in the eval
report, not in asserts; this test only guards the files themselves.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sidekick.cases import load_case, load_cases

EXTRA = Path(__file__).resolve().parent / "data" / "cases-extra"
FILES = sorted(EXTRA.glob("*.json"))
CATALOG = Path(__file__).resolve().parents[2] / "shared" / "reference" / "rule-catalog.md"


def _catalog_ids() -> set[str]:
    return set(re.findall(r"^\| ([A-Z]{2}-[A-Z-]+) \|", CATALOG.read_text(), re.MULTILINE))


def test_extra_folder_loads_with_unique_ids():
    cases = load_cases(EXTRA)
    ids = [c.id for c in cases]
    assert len(cases) == len(FILES) >= 14
    assert len(set(ids)) == len(ids)
    assert all(i.startswith("extra-") for i in ids)


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_extra_case_is_valid(path):
    case = load_case(path)
    assert case.id == path.stem
    assert case.gold is not None
    assert case.gold.exercises, "every extra case has at least one gold exercise"
    assert 25 <= len(case.transcript.turns) <= 60
    if CATALOG.is_file():
        assert set(case.gold.expected_findings) <= _catalog_ids()
    billed = {line.cpt for line in case.billing}
    assert set(case.gold.expected_units) == billed
