"""compare: metric deltas, changed cases in words, the CLI, and runs with different prompts."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from eval_fakes import case_data, fake_task, finding, write_cases, write_prompt

from eval.__main__ import compare_command
from eval.compare import compare_reports, render_comparison
from eval.facts import FallbackScorer
from eval.harness import evaluate
from eval.report import write_reports


def _report(tmp_path: Path, settings, name: str, task) -> Path:
    folder = write_cases(tmp_path / "cases", [case_data("c1", findings=["TU-UNITS"]),
                                               case_data("c2")])
    report, _, _ = evaluate(folder, settings, task=task, scorer=FallbackScorer(),
                            progress=False)
    write_reports(report, tmp_path / name)
    return tmp_path / name


def _worse_task():
    def edit(case, note):
        if case.id != "c1":
            return note
        slide = note.exercises[0].model_copy(update={"reps": 12})
        return note.model_copy(update={"exercises": [slide]})

    def found(case):
        return [finding("TU-UNITS"), finding("CD-KX")] if case.id == "c1" else []

    return fake_task(edit=edit, findings=found)


def test_metrics_show_delta_and_whether_it_is_better(tmp_path, settings):
    a = json.loads((_report(tmp_path, settings, "a", fake_task()) / "report.json").read_text())
    b = json.loads((_report(tmp_path, settings, "b", _worse_task()) / "report.json").read_text())
    rows = {r["metric"]: r for r in compare_reports(a, b)["metrics"]}
    assert rows["exercises.recall"]["a"] == 1.0
    assert rows["exercises.recall"]["b"] == 0.75
    assert rows["exercises.recall"]["delta"] == -0.25
    assert rows["exercises.recall"]["change"] == "worse"
    assert rows["units_accuracy"]["change"] == "same"
    assert list(rows)[:3] == ["exercises.precision", "exercises.recall", "exercises.f1"]


def test_changed_case_says_what_was_missed_wrong_or_gained(tmp_path, settings):
    a = json.loads((_report(tmp_path, settings, "a", fake_task()) / "report.json").read_text())
    b = json.loads((_report(tmp_path, settings, "b", _worse_task()) / "report.json").read_text())
    cmp = compare_reports(a, b)
    assert [c["id"] for c in cmp["changed_cases"]] == ["c1"]
    changes = cmp["changed_cases"][0]["changes"]
    assert "now missed exercise: straight leg raise" in changes
    assert "new error heel slide: reps 12 != gold 10" in changes
    assert "finding gained CD-KX" in changes
    assert cmp["per_rule"] == [{"rule": "CD-KX", "a": [0, 0, 0], "b": [0, 1, 0]}]
    assert "- CD-KX: 0/0/0 -> 0/1/0" in render_comparison(cmp)
    assert "new extra finding: CD-KX" in changes
    back = compare_reports(b, a)["changed_cases"][0]["changes"]
    assert "now found exercise: straight leg raise" in back
    assert "finding lost CD-KX" in back


def test_identical_runs_show_no_changed_case(tmp_path, settings):
    a = json.loads((_report(tmp_path, settings, "a", fake_task()) / "report.json").read_text())
    text = render_comparison(compare_reports(a, a))
    assert "## Cases that changed (0)\n\nNone." in text


def test_hand_made_reports_that_differ_compare_side_by_side(tmp_path):
    base = {
        "drafter": "offline", "prompt": "draft_soap/v1", "exercises": {"f1": 0.8},
        "hallucination_rate": 0.1,
        "per_case": [{"id": "x", "missed": [], "extra": [], "errors": [],
                      "findings": {"raised": []}, "units": {"correct": True},
                      "sign_ready": True, "hallucination": False}],
    }
    other = json.loads(json.dumps(base))
    other.update(prompt="draft_soap/v2", exercises={"f1": 0.9}, hallucination_rate=0.0)
    other["per_case"][0].update(sign_ready=False, units={"correct": False})
    for name, data in (("a", base), ("b", other)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "report.json").write_text(json.dumps(data))
    result = CliRunner().invoke(compare_command, [str(tmp_path / "a"), str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    assert "| prompt **≠** | draft_soap/v1 | draft_soap/v2 |" in result.stdout
    assert "| exercises.f1 | 0.800 | 0.900 | +0.100 | better |" in result.stdout
    assert "| hallucination_rate | 0.100 | 0.000 | -0.100 | better |" in result.stdout
    assert "  - sign_ready: yes -> no" in result.stdout
    assert "  - units right: yes -> no" in result.stdout
    assert (tmp_path / "b" / "compare.md").read_text() == result.stdout


def test_compare_of_runs_with_two_prompt_versions_records_both(tmp_path, settings):
    for v in (1, 2):
        write_prompt(tmp_path / "prompts", v, system=f"Prompt number {v}.")
    runs = []
    for v, task in ((1, fake_task()), (2, _worse_task())):
        s = settings.model_copy(update={"prompts_dir": tmp_path / "prompts",
                                        "draft_prompt": f"draft_soap/v{v}"})
        runs.append(_report(tmp_path, s, f"v{v}", task))
    out = tmp_path / "cmp.json"
    result = CliRunner().invoke(compare_command, [str(runs[0]), str(runs[1]), "-o", str(out)])
    assert result.exit_code == 0, result.output
    cmp = json.loads(out.read_text())
    prov = {k: (a, b) for k, a, b in cmp["provenance"]}
    assert prov["prompt"] == ("draft_soap/v1", "draft_soap/v2")
    assert prov["prompt_version"] == ("v1", "v2")
    assert prov["prompt_hash"][0] != prov["prompt_hash"][1]


def test_compare_names_a_folder_without_a_report(tmp_path):
    (tmp_path / "a").mkdir()
    result = CliRunner().invoke(compare_command, [str(tmp_path / "a"), str(tmp_path / "a")])
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {tmp_path / 'a' / 'report.json'}: no report here; "
        "pass a folder written by python -m eval\n"
    )


def test_exercise_order_does_not_count_as_a_change(tmp_path, settings):
    def reorder(case, note):
        return note.model_copy(update={"exercises": list(reversed(note.exercises))})

    a = json.loads((_report(tmp_path, settings, "a", fake_task()) / "report.json").read_text())
    b = json.loads((_report(tmp_path, settings, "b", fake_task(edit=reorder)) /
                    "report.json").read_text())
    assert compare_reports(a, b)["changed_cases"] == []


def test_audio_cases_that_changed_are_listed_apart(tmp_path):
    case = {"id": "x", "missed": [], "extra": [], "errors": [], "findings": {"raised": []},
            "units": {"correct": True}, "sign_ready": True, "hallucination": False}
    heard = json.loads(json.dumps(case)) | {"missed": ["exercise: heel slide"]}
    a = {"per_case": [case], "audio": {"wer": 0.2, "per_case": [case]}}
    b = {"per_case": [case], "audio": {"wer": 0.1, "per_case": [heard]}}
    cmp = compare_reports(a, b)
    assert cmp["changed_cases"] == []
    assert cmp["changed_audio_cases"] == [{"id": "x", "changes":
                                           ["now missed exercise: heel slide"]}]
    wer = next(r for r in cmp["metrics"] if r["metric"] == "audio.wer")
    assert (wer["delta"], wer["change"]) == (-0.1, "better")
    assert "## Audio cases that changed (1)" in render_comparison(cmp)
