"""Clinic-wide audit: the candidate filter against brute force, the report, the CLI."""

from __future__ import annotations

import json
import random

import pytest
from click.testing import CliRunner

from sidekick.audit import BRUTE_FORCE_MAX, AuditNote, NoteIndex, audit_notes, brute_force_pairs
from sidekick.cli import main

WORDS = ("pain knee hip shoulder band yellow red green sets reps hold cues stairs gait balance "
         "walk squat bridge clamshell rows stretch improving limited tolerated progress plan "
         "continue home program daily strength range motion effusion stiffness morning").split()
TEMPLATE = ("Subjective: Pt reports pain {p}/10 on arrival. Objective: knee flexion {f} deg. "
            "Assessment: tolerated session without increase in pain. Plan: continue POC 2x/week. ")


def _note(rnd: random.Random) -> str:
    body = " ".join(rnd.choice(WORDS) for _ in range(170))
    return TEMPLATE.format(p=rnd.randint(0, 9), f=rnd.randint(60, 140)) + body


def _copy(text: str, rnd: random.Random, edits: int) -> str:
    words = text.split()
    for _ in range(edits):
        words[rnd.randrange(len(words))] = rnd.choice(WORDS)
    return " ".join(words)


def _corpus(n: int, seed: int = 1) -> tuple[list[AuditNote], set[tuple[int, int]]]:
    rnd = random.Random(seed)
    texts: list[str] = []
    planted = set()
    for k in range(n):
        if k > 10 and k % 25 == 0:
            src = rnd.randrange(k)
            texts.append(_copy(texts[src], rnd, rnd.randint(2, 25)))
            planted.add((src, k))
        else:
            texts.append(_note(rnd))
    notes = [AuditNote(note_id=f"n{k}", patient_id=f"P{k % 50}", clinician=f"C{k % 3}", text=t)
             for k, t in enumerate(texts)]
    return notes, planted


def test_candidate_filter_keeps_every_pair_brute_force_finds():
    notes, planted = _corpus(BRUTE_FORCE_MAX + 100)
    index = NoteIndex()
    index.add(n.text for n in notes)
    found, checked = index.near_duplicates(90.0)
    truth = brute_force_pairs(index.texts, 90.0)
    assert truth, "the generated corpus must hold pairs above the threshold"
    assert {(i, j) for i, j, _ in found} == truth
    n = len(notes)
    assert checked < n * (n - 1) // 20  # the filter verified under a tenth of all pairs


def test_query_finds_a_copied_note_among_many():
    notes, _ = _corpus(400, seed=3)
    index = NoteIndex()
    index.add(n.text for n in notes)
    probe = _copy(notes[123].text, random.Random(9), 5)
    hits = index.query(probe, 90.0)
    assert hits and hits[0][0] == 123 and hits[0][1] >= 90.0


def test_report_sums_pairs_per_clinician():
    base = _note(random.Random(5))
    notes = [
        AuditNote(note_id="a", patient_id="P1", clinician="Dr A", text=base),
        AuditNote(note_id="b", patient_id="P2", clinician="Dr B", text=base + " today"),
        AuditNote(note_id="c", patient_id="P1", clinician="Dr A", text=_note(random.Random(6))),
    ]
    report = audit_notes(notes, 90.0)
    assert [(p.note_a, p.note_b, p.kind) for p in report.pairs] == [("a", "b", "cross-patient")]
    summary = {s.clinician: (s.notes, s.flagged_notes, s.pairs) for s in report.clinicians}
    assert summary == {"Dr A": (2, 1, 1), "Dr B": (1, 1, 1)}


@pytest.fixture
def notes_dir(tmp_path):
    rnd = random.Random(2)
    base = _note(rnd)
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "visit-1.txt").write_text(base, encoding="utf-8")
    (folder / "visit-2.txt").write_text(_copy(base, rnd, 3), encoding="utf-8")
    (folder / "visit-3.txt").write_text(_note(rnd), encoding="utf-8")
    return folder


def test_cli_audit_of_a_folder_flags_the_pair_and_writes_csv(notes_dir, tmp_path):
    out = tmp_path / "pairs.csv"
    result = CliRunner().invoke(main, ["audit", str(notes_dir), "-o", str(out)])
    assert result.exit_code == 1
    assert "1 pair(s) at or above 90" in result.output
    rows = out.read_text().splitlines()
    assert rows[0] == "note_a,note_b,score,kind,patient_a,patient_b,clinician_a,clinician_b"
    assert rows[1].startswith("visit-1,visit-2,")
    assert (tmp_path / "pairs.clinicians.csv").read_text().splitlines()[1] == "unknown,3,2,1"


def test_cli_audit_json_of_the_dev_cases_finds_the_two_planted_clones(dev_cases):
    from tests.conftest import DEV_CASES

    result = CliRunner().invoke(main, ["audit", str(DEV_CASES), "--json"])
    report = json.loads(result.output[result.output.index("{"):])
    assert {(p["note_a"], p["note_b"]) for p in report["pairs"]} == {
        ("dev-hipoa-r-v05", "dev-hipoa-r-v06"), ("dev-men-l-v03", "dev-men-r-v03")}


def test_cli_audit_of_a_missing_folder_is_a_one_line_error(tmp_path):
    result = CliRunner().invoke(main, ["audit", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert result.output == (
        f"Error: {tmp_path / 'nope'}: not a folder; pass a folder of notes or cases, or --db\n"
    )


def test_cli_audit_of_an_empty_database_says_what_to_do(tmp_path):
    result = CliRunner().invoke(main, ["audit", "--db", str(tmp_path / "h.db")])
    assert result.exit_code == 2
    assert result.output == (
        "Error: the history database holds no notes; run `sidekick history import`\n"
    )
