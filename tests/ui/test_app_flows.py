"""AppTest flows of the clinician's app: paste, draft, findings, fix, sign; history plots."""

from __future__ import annotations

import time

import pytest
from app_helpers import errors, fill_visit, finding_ids, paste

from sidekick.store import open_store

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("on_localhost")]

GOAL = "Goal: stairs step over step without the rail in 4 weeks; progressing toward goal."


def _draft(at):
    return at.button(key="draft_button").click().run()


def test_paste_draft_fix_a_finding_and_sign(make_app, settings):
    at = paste(fill_visit(make_app()))
    assert at.dataframe(key="transcript_table_1") is not None
    at = _draft(at)
    assert not at.exception
    assert "MN-GOALS" in finding_ids(at)
    plan = at.text_area(key="section_plan_1")
    at = plan.input(f"{plan.value} {GOAL}").run()
    assert "MN-GOALS" not in finding_ids(at)
    assert not at.button(key="sign").disabled
    at = at.button(key="sign").click().run()
    assert errors(at) == []
    assert at.success[-1].value.startswith("Signed by Sam Rivera, PT at ")
    assert [b.label for b in at.get("download_button")] == ["Text for the EMR", "PDF", "JSON"]
    assert at.button(key="draft_button").disabled
    store = open_store(settings)
    visit_id = at.session_state["visit_id"]
    latest = store.latest_note(visit_id)
    assert latest.status == "signed"
    assert GOAL in latest.note.plan
    assert [p.clinic for p in store.list_patients()] == [None]


def test_open_block_finding_disables_sign_until_overridden(make_app, settings):
    at = _draft(paste(fill_visit(make_app(), session=20)))
    assert "TU-EXCEEDS-SESSION" in finding_ids(at)
    assert at.button(key="sign").disabled
    assert at.warning[-1].value == (
        "Sign-off is disabled: TU-EXCEEDS-SESSION open. Fix the note, or write a reason to "
        "override."
    )
    at = at.text_input(key="override_TU-EXCEEDS-SESSION").input("Clock ran over: 30 min").run()
    assert not at.button(key="sign").disabled
    at = at.button(key="sign").click().run()
    signature = open_store(settings).latest_note(at.session_state["visit_id"]).signature
    assert [(o.rule_id, o.reason) for o in signature.overrides] == [
        ("TU-EXCEEDS-SESSION", "Clock ran over: 30 min")
    ]


def test_fixing_the_billing_clears_the_block_finding(make_app):
    at = _draft(paste(fill_visit(make_app(), session=20)))
    assert "TU-EXCEEDS-SESSION" in finding_ids(at)
    at = at.number_input(key="session_minutes").set_value(45).run()
    assert "TU-EXCEEDS-SESSION" not in finding_ids(at)
    assert not at.button(key="sign").disabled


def test_units_and_8_minute_arithmetic_are_shown_live(make_app):
    at = fill_visit(make_app(), bills=(("97110", 24), ("97112", 10), ("97140", 8)))
    table = at.dataframe[0].value
    assert list(table["units"]) == [2, 1, 0]
    assert list(table["modifiers"]) == ["GP", "GP", "GP"]
    arithmetic = [m.value for m in at.markdown if "8-minute rule" in m.value][0]
    assert "42 timed minutes = 3 units under the 8-minute rule" in arithmetic


def test_stopping_the_timer_adds_its_minutes_to_the_line(make_app):
    at = fill_visit(make_app(), bills=(("97110", 5),))
    at.session_state["timer"] = {"row": 0, "started": time.time() - 10 * 60}
    at = at.run().button(key="timer_stop_0").click().run()
    assert at.number_input(key="bill_min_0").value == 15


def test_unreadable_upload_is_a_message_and_the_transcript_stays(make_app):
    from sidekick.errors import InputError
    from sidekick.transcribe import transcribe

    with pytest.raises(InputError) as expected:
        transcribe(b"this is not audio")
    at = paste(fill_visit(make_app()))
    at.radio(key="capture_mode").set_value("Upload").run()
    at.file_uploader(key="upload").upload("session.wav", b"this is not audio", "audio/wav").run()
    at = at.button(key="transcribe").click().run()
    assert errors(at) == [str(expected.value)]
    assert len(at.session_state["transcript"].turns) == 5


def test_llm_unavailable_keeps_the_offline_draft_with_a_warning(make_app, settings):
    llm = settings.model_copy(update={"drafter": "llm", "llm_base_url": "http://127.0.0.1:9/v1",
                                      "llm_model": "none", "draft_retries": 0})
    at = _draft(paste(fill_visit(make_app(llm))))
    assert errors(at) == []
    assert at.session_state["draft"].drafter == "offline"
    assert any(w.value.startswith("The LLM was unavailable") for w in at.warning)


def test_history_tab_plots_measures_and_dose_progression(make_app, settings, dev_cases):
    from sidekick.pipeline import note_of

    store = open_store(settings)
    visits = sorted((c for c in dev_cases if c.patient.id == "P-DEV-SHD-01"),
                    key=lambda c: c.visit.date)
    for case in visits:
        record = case.model_copy(update={"prior_note_ids": []})
        store.import_record(record, note_of(record), status="signed")
    at = make_app()
    at = at.selectbox(key="patient_choice").select("P-DEV-SHD-01").run()
    history_tab = at.tabs[1]
    assert [e.type for e in history_tab if e.type == "image"] == ["image"]
    doses = [d.value for d in history_tab.dataframe][-1]
    dates = [str(c.visit.date) for c in visits]
    assert [c for c in doses.columns if c != "exercise"] == dates


def test_a_silent_recording_says_there_was_no_speech(make_app):
    from sidekick.models import Transcript
    from ui.setup import NO_SPEECH

    at = fill_visit(make_app(transcriber=lambda data: Transcript()))
    at.audio_input(key="recording").upload("session.wav", b"RIFF....WAVE", "audio/wav").run()
    at = at.button(key="transcribe").click().run()
    assert errors(at) == [NO_SPEECH]
    assert "transcript" not in at.session_state


@pytest.mark.asr
def test_a_browser_recording_is_transcribed_by_whisper(make_app, tmp_path):
    from app_helpers import TRANSCRIPT

    from sidekick.synth import synthesize_dialogue
    from ui.state import parse_pasted

    wav = synthesize_dialogue(parse_pasted(TRANSCRIPT).turns[:3], tmp_path / "take.wav")
    at = fill_visit(make_app())
    at.audio_input(key="recording").upload("take.wav", wav.read_bytes(), "audio/wav").run()
    at = at.button(key="transcribe").click().run()
    assert errors(at) == []
    words = " ".join(t.text.lower() for t in at.session_state["transcript"].turns)
    assert "stairs" in words
    assert not at.button(key="draft_button").disabled


def test_drafting_waits_for_the_clinicians_name(make_app):
    at = paste(fill_visit(make_app(), clinician=""))
    assert [i.value for i in at.sidebar.info] == [
        "Enter the clinician's name: notes are drafted and signed under it."]
    assert not [b for b in at.button if b.key == "draft_button"]
    at = at.text_input(key="clinician").input("Sam Rivera").run()
    assert not at.button(key="draft_button").disabled


def test_a_copied_note_shows_the_earlier_note_it_was_copied_from(make_app, settings):
    import make_screenshots as demo

    demo.build_history(settings.db)
    at = make_app()
    at.selectbox(key="patient_choice").select(demo.PATIENT["id"]).run()
    at.text_input(key="clinician").input("Sam Rivera").run()
    at.selectbox(key="bill_code_0").select("97110")
    at.number_input(key="bill_min_0").set_value(30).run()
    at = _draft(paste(at, demo.transcript(*demo.TODAY[1:])))
    assert finding_ids(at)[0] == "CL-PRIOR"
    copied = next(e for e in at.expander if e.label.startswith("CL-PRIOR"))
    captions = [c.value for c in copied.caption]
    previous = f"{demo.PATIENT['id']}-{demo.VISITS[-1][0]}"
    assert f"Earlier note {previous} ({demo.VISITS[-1][0]}, Sam Rivera):" in captions
    assert copied.text[0].value.startswith("Subjective: ")
