"""Visit setup (sidebar), billing entry with live units and the activity timer, and capture."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import streamlit as st

from sidekick.config import Settings
from sidekick.errors import SidekickError
from sidekick.models import Transcript, UnitsResult, VisitRecord
from ui import state

NEW_PATIENT = "New patient…"
CREDENTIALS = ("PT", "PTA", "OT", "OTA", "SLP")
DISCIPLINES = ("PT", "OT", "SLP")
NO_SPEECH = (
    "No speech was found in the recording; check the microphone and record again, or paste "
    "the transcript."
)
NO_MIC_HINT = (
    "No microphone, or the browser blocked it? Upload the recording or paste the transcript "
    "instead."
)


def _patient(store: Any, clinic: str | None) -> dict[str, Any] | None:
    """Pick a patient of this clinic from the history database, or enter a new one."""
    known = [p.patient_id for p in store.list_patients(clinic=clinic)]
    choice = st.selectbox("Patient", [*known, NEW_PATIENT], key="patient_choice")
    if choice != NEW_PATIENT:
        stored = store.get_patient(choice)
        patient = stored.model_dump(mode="json") if stored else {"id": choice}
        st.caption(f"{patient.get('diagnosis') or 'no diagnosis on file'} "
                   f"{' '.join(patient.get('icd10') or [])}")
        return patient
    pid = st.text_input("New patient id", key="new_patient_id").strip()
    diagnosis = st.text_input("Diagnosis", key="new_patient_diagnosis")
    icd10 = st.text_input("ICD-10 codes", key="new_patient_icd10", help="Z47.1, Z96.651")
    age = st.number_input("Age", min_value=0, max_value=120, value=None, key="new_patient_age")
    if not pid:
        st.info("Enter the new patient's id, or pick a patient.")
        return None
    if pid in {p.patient_id for p in store.list_patients()} and pid not in known:
        st.error(f"Patient {pid}: belongs to another clinic; pick a patient of this clinic.")
        return None
    return {"id": pid, "diagnosis": diagnosis.strip(), "age": age,
            "icd10": state.parse_modifiers(icd10)}


def visit_setup(store: Any, config: Any,
                clinic: str | None) -> tuple[dict, dict | None] | None:
    """The sidebar: patient, date, discipline, payer, clinician.

    Returns None until a patient is set, and (patient, None) until the clinician is named.
    """
    with st.sidebar:
        st.header("Visit")
        if clinic:
            st.caption(f"Clinic: {clinic}")
        patient = _patient(store, clinic)
        date = st.date_input("Date of service", value=dt.date.today(), key="visit_date")
        discipline = st.selectbox("Discipline", DISCIPLINES, key="discipline")
        payers = sorted(config.payers)
        payer = st.selectbox("Payer", payers, key="payer",
                             index=payers.index("medicare") if "medicare" in payers else 0)
        clinician = st.text_input("Clinician", key="clinician")
        credential = st.selectbox("Credential", CREDENTIALS, key="credential")
        session = st.number_input("Session minutes", min_value=0, max_value=600, value=None,
                                  key="session_minutes", help="Length of the whole visit.")
        ytd = st.number_input("Year-to-date therapy amount (USD)", min_value=0.0, value=None,
                              key="ytd_amount", help="For the KX threshold (Medicare).")
    if patient is None:
        return None
    if not clinician.strip():
        st.sidebar.info("Enter the clinician's name: notes are drafted and signed under it.")
        return patient, None
    visit = {
        "date": date.isoformat(), "discipline": discipline, "payer": payer,
        "clinician": {"name": clinician.strip(), "credential": credential},
        "session_minutes": session, "ytd_therapy_amount_usd": ytd,
    }
    return patient, visit


# --------------------------------------------------------------------------- billing


def _rows() -> list[int]:
    return st.session_state.setdefault("bill_rows", [0])


def _add_row() -> None:
    rows = _rows()
    rows.append(max(rows, default=-1) + 1)


def _remove_row(row: int) -> None:
    rows = _rows()
    if row in rows:
        rows.remove(row)


def _start_timer(row: int) -> None:
    st.session_state["timer"] = {"row": row, "started": time.time()}


def _stop_timer() -> None:
    timer = st.session_state.pop("timer", None)
    if timer is None:
        return
    key = f"bill_min_{timer['row']}"
    added = state.elapsed_minutes(timer["started"], time.time())
    st.session_state[key] = int(st.session_state.get(key) or 0) + added


def billing_entry(config: Any) -> list[dict[str, Any]]:
    """Code, minutes and extra modifiers per line; a start/stop timer adds to a line's minutes."""
    codes = sorted(config.codes)
    timer = st.session_state.get("timer")
    rows = []
    for row in list(_rows()):
        c1, c2, c3, c4, c5 = st.columns([3, 2, 2, 2, 1], vertical_alignment="bottom")
        code = c1.selectbox(
            "Code", codes, key=f"bill_code_{row}", index=None, placeholder="CPT code",
            format_func=lambda c: f"{c} {config.codes[c].description}",
        )
        minutes = c2.number_input("Minutes", min_value=0, max_value=600, value=None, step=1,
                                  key=f"bill_min_{row}")
        mods = c3.text_input("Modifiers", key=f"bill_mod_{row}", help="59, XE, XS, XP, XU; "
                             "GP/GO/GN, CQ/CO and KX are set from the payer's rules")
        if timer and timer["row"] == row:
            running = int((time.time() - timer["started"]) // 60)
            c4.button(f"Stop ({running} min)", key=f"timer_stop_{row}", on_click=_stop_timer)
        else:
            c4.button("Start timer", key=f"timer_start_{row}", on_click=_start_timer,
                      args=(row,), disabled=timer is not None)
        c5.button("✕", key=f"bill_del_{row}", on_click=_remove_row, args=(row,),
                  help="Remove this line")
        rows.append({"cpt": code, "minutes": minutes, "modifiers": mods})
    st.button("Add a billing line", on_click=_add_row, key="bill_add")
    return rows


def units_panel(record: VisitRecord, units: UnitsResult) -> None:
    """The lines as they will be billed, and the 8-minute-rule arithmetic beside them."""
    if not record.billing:
        st.caption("No billing lines yet: pick a code and enter its minutes.")
        return
    st.dataframe(
        [{"code": b.cpt, "minutes": b.minutes, "units": b.units, "modifiers": " ".join(b.modifiers)}
         for b in record.billing],
        hide_index=True, width="stretch",
    )
    st.markdown("\n".join(f"- {line}" for line in units.explanation))


# --------------------------------------------------------------------------- capture


@st.cache_resource(show_spinner="Loading the Whisper model…")
def whisper_model(options_json: str) -> Any:
    """The faster-whisper model, loaded once per server process."""
    from sidekick.transcribe import TranscribeOptions, load_model

    return load_model(TranscribeOptions.model_validate_json(options_json))


def _transcribe(data: bytes, name: str, settings: Settings) -> Transcript:
    """Transcribe with a progress bar (or the transcriber a test put in session_state)."""
    custom = st.session_state.get("transcriber")
    if custom is not None:
        return custom(data)
    from sidekick.transcribe import TranscribeOptions, transcribe

    options = TranscribeOptions.from_settings(settings)
    whisper_model(options.model_dump_json())
    bar = st.progress(0.0, text="Transcribing…")

    def progress(done: float, total: float) -> None:
        share = min(1.0, done / total) if total else 0.0
        bar.progress(share, text=f"Transcribing… {done:.0f} of {total:.0f} s")

    transcript = transcribe(data, options, progress=progress)
    bar.empty()
    return transcript.model_copy(update={"source": name})


def capture(settings: Settings) -> None:
    """Record, upload or paste; the transcript lands in ``session_state["transcript"]``."""
    how = st.radio("Capture", ("Record", "Upload", "Paste transcript"), horizontal=True,
                   key="capture_mode", label_visibility="collapsed")
    data = name = None
    if how == "Record":
        clip = st.audio_input("Record the session", key="recording")
        st.caption(NO_MIC_HINT)
        if clip is not None:
            data, name = clip.getvalue(), "recording"
    elif how == "Upload":
        upload = st.file_uploader(
            "Session recording", key="upload",
            type=["wav", "mp3", "m4a", "ogg", "oga", "opus", "webm", "flac", "mp4"],
        )
        if upload is not None:
            data, name = upload.getvalue(), upload.name
    else:
        text = st.text_area("Transcript", key="pasted", height=200,
                            placeholder="[00:05] Therapist: How is the knee today?")
        if st.button("Use this transcript", key="use_pasted", disabled=not text.strip()):
            _set_transcript(lambda: state.parse_pasted(text))
        return
    if st.button("Transcribe", key="transcribe", disabled=data is None, type="primary"):
        assert data is not None and name is not None
        _set_transcript(lambda: _transcribe(data, name, settings))


def _set_transcript(make: Any) -> None:
    """Make the transcript, keep it (or the error), then redraw the page with it."""
    try:
        transcript = make()
    except SidekickError as exc:
        st.session_state["error"] = str(exc)
        st.rerun()
    if not transcript.turns:
        st.session_state["error"] = NO_SPEECH
        st.rerun()
    st.session_state["transcript"] = transcript
    st.session_state["transcript_gen"] = st.session_state.get("transcript_gen", 0) + 1
    st.session_state.pop("error", None)
    st.rerun()


def transcript_editor(transcript: Transcript) -> Transcript:
    """The transcript with timestamps, correctable in place; returns the corrected one."""
    gen = st.session_state.get("transcript_gen", 0)
    rows = st.data_editor(
        state.transcript_rows(transcript), key=f"transcript_table_{gen}", num_rows="dynamic",
        width="stretch", hide_index=True,
        column_config={
            "time": st.column_config.TextColumn("Time", width="small"),
            "speaker": st.column_config.SelectboxColumn("Speaker", options=state.SPEAKERS,
                                                        width="small"),
            "text": st.column_config.TextColumn("Text", width="large"),
        },
    )
    try:
        return state.rows_to_transcript(list(rows), transcript)
    except SidekickError as exc:  # a mistyped time: say where, keep the last good transcript
        st.error(str(exc))
        return transcript
