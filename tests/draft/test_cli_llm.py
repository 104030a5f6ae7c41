"""``sidekick draft --drafter llm`` end to end against the scripted localhost stub."""

from __future__ import annotations

import re

from click.testing import CliRunner
from draft_helpers import llm_answer, short_record

from sidekick.cli import main
from sidekick.models import SoapNote
from sidekick.prompts import load_prompt


def test_llm_draft_prints_drafter_model_and_prompt_version(openai_stub, tmp_path):
    record = short_record()
    path = tmp_path / "visit.json"
    path.write_text(record.model_dump_json())
    openai_stub.replies = [llm_answer()]
    env = {"SIDEKICK_LLM_BASE_URL": openai_stub.base_url, "OPENAI_API_KEY": None,
           "SIDEKICK_DRAFT_PROMPT": None, "SIDEKICK_DRAFTER": None}
    result = CliRunner().invoke(
        main, ["draft", str(path), "--drafter", "llm", "--model", "stub-model", "-o",
               str(tmp_path)], env=env)
    assert result.exit_code == 0, result.output
    digest = load_prompt("draft_soap/v1").hash
    assert re.fullmatch(
        rf"visit\.json: drafter llm, model stub-model, prompt draft_soap/v1 \({digest}\), "
        r"\d+\.\d s -> .*visit\.note\.json, .*visit\.note\.txt", result.output.splitlines()[0])
    assert "discipline: PT" in openai_stub.requests[0]["messages"][1]["content"]
    note = SoapNote.model_validate_json((tmp_path / "visit.note.json").read_text())
    assert note.provenance.prompt_hash == digest and note.provenance.model == "stub-model"
