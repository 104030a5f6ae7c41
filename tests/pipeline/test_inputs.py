"""Reading run inputs: transcripts (TXT/JSON), visit files and flags, sidecars, content hashes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sidekick.errors import InputError
from sidekick.inputs import (
    build_visit,
    content_hash,
    input_kind,
    load_input,
    load_visit,
    read_transcript_text,
    sidecar_visit,
)

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
VISIT = {
    "patient": {"id": "P-T-01"},
    "visit": {"date": "2026-01-05", "discipline": "PT", "payer": "commercial",
              "clinician": {"name": "Ana Cruz", "credential": "DPT"}},
    "billing": [{"cpt": "97110", "minutes": 20}],
}


def test_text_transcript_reads_times_speakers_and_unlabelled_lines(tmp_path):
    path = tmp_path / "s.txt"
    path.write_text("[00:05] Therapist: Three sets of ten.\n\nPatient: Okay.\n"
                    "[1:02:03] Note: pain 3/10\nplain line\n")
    turns = read_transcript_text(path).turns
    assert [(t.speaker, t.start, t.text) for t in turns] == [
        ("therapist", 5.0, "Three sets of ten."),
        ("patient", 5.0, "Okay."),
        ("unknown", 3723.0, "Note: pain 3/10"),
        ("unknown", 3723.0, "plain line"),
    ]


def test_text_transcript_reads_the_time_spans_sidekick_transcribe_writes(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("[00:04.6-00:08.6] therapist: Three sets of ten.\n[01:02.0-01:03.5] Okay.\n")
    turns = read_transcript_text(path).turns
    assert [(t.speaker, t.start, t.end, t.text) for t in turns] == [
        ("therapist", 4.6, 8.6, "Three sets of ten."),
        ("unknown", 62.0, 63.5, "Okay."),
    ]


def test_empty_text_transcript_is_an_input_error(tmp_path):
    path = tmp_path / "e.txt"
    path.write_text("\n  \n")
    with pytest.raises(InputError) as err:
        read_transcript_text(path)
    assert str(err.value) == (
        f"{path}: transcript: holds no text; one turn a line, such as 'Therapist: ...'"
    )


def test_unsupported_input_type_names_what_is_accepted(tmp_path):
    with pytest.raises(InputError) as err:
        input_kind(tmp_path / "notes.docx")
    assert str(err.value).startswith(f"{tmp_path / 'notes.docx'}: unsupported input type '.docx'")


def test_transcript_without_visit_details_says_where_to_put_them(tmp_path, settings):
    path = tmp_path / "s1.json"
    path.write_text(json.dumps({"turns": [{"speaker": "therapist", "text": "hi"}]}))
    with pytest.raises(InputError) as err:
        load_input(path, settings)
    assert str(err.value) == (
        f"{path}: visit: no visit details (patient, payer, discipline, clinician); put them in "
        "s1.visit.json beside it, or pass --visit VISIT.json or the visit flags"
    )


def test_json_that_is_neither_transcript_nor_record_is_refused(tmp_path, settings):
    path = tmp_path / "x.json"
    path.write_text('{"hello": 1}')
    with pytest.raises(InputError) as err:
        load_input(path, settings)
    assert str(err.value) == (
        f"{path}: (top level): neither a transcript (turns) nor a visit record "
        "(patient, visit); see shared/cases/README.md"
    )


def test_sidecar_visit_is_shared_by_recording_and_transcript():
    assert sidecar_visit(SAMPLES / "sample-session.ogg") == SAMPLES / "sample-session.visit.json"
    assert sidecar_visit(SAMPLES / "sample-session.transcript.json") == (
        SAMPLES / "sample-session.visit.json"
    )


def test_transcript_takes_sidecar_visit_and_its_own_name_as_id(settings):
    record = load_input(SAMPLES / "sample-session.transcript.json", settings)
    assert record.id == "sample-session.transcript"
    assert record.patient.id == "P-SAMPLE-01"
    assert record.transcript is not None and len(record.transcript.turns) == 12


def test_audio_is_transcribed_by_the_injected_transcriber(tmp_path, settings):
    from sidekick.models import Transcript, Turn

    audio = tmp_path / "a.wav"
    audio.write_bytes(b"RIFF")
    seen = []

    def fake(path):
        seen.append(path)
        return Transcript(turns=[Turn(text="three sets of ten")])

    visit = build_visit(None, patient_id="P1", payer="medicare", discipline="PT",
                        clinician="Ana", credential="PT")
    record = load_input(audio, settings, visit=visit, transcriber=fake)
    assert seen == [audio]
    assert record.transcript.turns[0].text == "three sets of ten"


def test_flags_override_the_visit_file_and_bills_replace_billing(tmp_path):
    path = tmp_path / "v.visit.json"
    path.write_text(json.dumps(VISIT))
    visit = build_visit(load_visit(path), payer="medicare", bills=["97110=33", "97140 = 8"])
    assert visit.id == "v"
    assert visit.visit.payer == "medicare"
    assert visit.visit.clinician.credential == "PT"
    assert [(b.cpt, b.minutes, b.units) for b in visit.billing] == [
        ("97110", 33, None), ("97140", 8, None)
    ]


def test_no_visit_file_and_no_flags_means_no_visit():
    assert build_visit(None) is None


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        ({"patient_id": "P1"},
         "visit details: visit.payer: is missing; pass --payer or a --visit file"),
        ({"patient_id": "P1", "payer": "medicare", "discipline": "PT", "clinician": "A",
          "credential": "PT", "bills": ["97110"]},
         "--bill '97110': expected CODE=MINUTES such as 97110=33"),
        ({"patient_id": "P1", "payer": "medicare", "discipline": "PT", "clinician": "A",
          "credential": "XX"},
         "visit details: visit.clinician.credential: Input should be 'PT', 'PTA', 'OT', 'OTA' "
         "or 'SLP' (got \"XX\")"),
    ],
    ids=["missing-payer", "bad-bill", "bad-credential"],
)
def test_bad_visit_flags_give_one_line_errors(flags, message):
    with pytest.raises(InputError) as err:
        build_visit(None, **flags)
    assert str(err.value) == message


def test_content_hash_changes_with_the_input_the_visit_and_the_drafter(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("Therapist: hi")
    visit = build_visit(None, patient_id="P1", payer="medicare", discipline="PT",
                        clinician="A", credential="PT")
    first = content_hash(path, visit)
    assert first == content_hash(path, visit)
    assert first != content_hash(path, visit, "llm")
    assert first != content_hash(path, visit.model_copy(update={"id": "other"}))
    path.write_text("Therapist: hello")
    assert first != content_hash(path, visit)
