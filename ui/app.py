"""Sidekick's clinician app: from the end of a session to a signed note on one screen.

Run with ``sidekick app`` (localhost) or ``streamlit run ui/app.py``. The page: visit setup in
the sidebar; billing with live units; capture (record, upload, paste); the draft beside its
findings, re-checked on every edit; sign-off; exports; the patient's history.

State lives in ``st.session_state`` (settings, the store, the transcript, the draft, the signed
note); every action is a call into ``sidekick``. A ``SidekickError`` is shown as a one-line
message and the work so far stays on screen and in the database. Tests may preset
``settings`` and ``transcriber`` in ``session_state`` before the first run.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
from pathlib import Path
from typing import Any

import streamlit as st

if __package__ in (None, ""):  # run as a script by Streamlit: make ``ui`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sidekick.config import Settings  # noqa: E402
from sidekick.errors import SidekickError  # noqa: E402
from sidekick.models import CheckResult, NoteDocument, SoapNote, VisitRecord  # noqa: E402
from ui import access, history, review, setup, state  # noqa: E402

logger = logging.getLogger(__name__)


def _settings() -> Settings:
    if "settings" not in st.session_state:
        st.session_state["settings"] = Settings()
    return st.session_state["settings"]


def _store(settings: Settings) -> Any:
    if "store" not in st.session_state:
        from sidekick.store import open_store

        st.session_state["store"] = open_store(settings)
    return st.session_state["store"]


def _show_error() -> None:
    message = st.session_state.get("error")
    if message:
        st.error(message)


def _history(store: Any, record: VisitRecord, clinic: str | None) -> tuple[list, list]:
    """The patient's earlier notes and the clinic corpus (cached until something is saved)."""
    key = (record.patient.id, record.visit.date, record.id, st.session_state.get("history_rev"))
    cached = st.session_state.get("history_cache")
    if cached is None or cached[0] != key:
        earlier = store.patient_history(record.patient.id, before=record.visit.date,
                                        exclude_visit_id=record.id)
        corpus = store.corpus(record.patient.id, clinic=clinic, limit=2000)
        st.session_state["history_cache"] = cached = (key, (earlier, corpus))
    return cached[1]


def _facts(record: VisitRecord) -> Any:
    """The transcript's facts, extracted once per transcript (the checks reuse them)."""
    if record.transcript is None or not record.transcript.turns:
        return None
    from sidekick import facts

    key = (record.transcript.model_dump_json(), record.patient.model_dump_json())
    cached = st.session_state.get("facts_cache")
    if cached is None or cached[0] != key:
        cached = (key, facts.extract_from_transcript(record.transcript, record))
        st.session_state["facts_cache"] = cached
    return cached[1]


def _draft(record: VisitRecord, settings: Settings, store: Any, clinic: str | None) -> None:
    """Button callback: draft and check, store the visit and its draft."""
    from sidekick import pipeline

    if not st.session_state.get("visit_id"):
        st.session_state["visit_id"] = record.id
    earlier, corpus = _history(store, record, clinic)
    try:
        doc = pipeline.run_record(record, settings, name=record.id, history=earlier,
                                  corpus=corpus, drafter=st.session_state.get("drafter"))
        store.save_visit(doc.record, clinic)
        pipeline.save_draft(store, doc)
    except SidekickError as exc:
        st.session_state["error"] = str(exc)
        return
    st.session_state.update(draft=doc, signed=None, draft_gen=st.session_state.get("draft_gen",
                                                                                  0) + 1)
    st.session_state.pop("error", None)


def _check(record: VisitRecord, note: SoapNote, settings: Settings, config: Any,
           earlier: list, corpus: list) -> CheckResult:
    from sidekick.pipeline import check_record

    return check_record(record, settings, note=note, history=earlier, corpus=corpus,
                        billing_config=config, transcript_facts=_facts(record))


def _review(doc: NoteDocument, record: VisitRecord, settings: Settings, store: Any,
            config: Any, clinic: str | None) -> SoapNote:
    """Draft and findings side by side, sign-off and exports; returns the edited note."""
    signed: NoteDocument | None = st.session_state.get("signed")
    earlier, corpus = _history(store, record, clinic)
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.subheader("Draft")
        note = review.draft_editor(doc, signed is not None)
    try:
        check = _check(record, note, settings, config, earlier, corpus)
    except SidekickError as exc:
        st.error(str(exc))
        return note
    current = doc.model_copy(update={"record": record, "note": note, "findings": check.findings,
                                     "units": check.units})
    with right:
        st.subheader("Findings")
        review.findings_panel(check.findings, record.transcript, earlier)
        st.divider()
        if signed is not None:
            sig = signed.signature
            st.success(f"Signed by {sig.clinician}, {sig.credential} at "
                       f"{sig.signed_at:%Y-%m-%d %H:%M} UTC" if sig else "Signed")
        else:
            review.signoff(current, check.findings, lambda overrides: review.run_sign(
                current, note, settings, store, overrides))
        st.markdown("**Export**")
        review.exports(signed or current)
    return note


def _new_visit() -> None:
    for key in ("transcript", "draft", "signed", "visit_id", "error", "facts_cache"):
        st.session_state.pop(key, None)


def _follow_patient(patient_id: str) -> None:
    """Another patient picked: the visit in progress (if any) belongs to the previous one."""
    if st.session_state.get("active_patient") not in (None, patient_id):
        for key in ("draft", "signed", "visit_id"):
            st.session_state.pop(key, None)
    st.session_state["active_patient"] = patient_id


def _session_tab(settings: Settings, store: Any, config: Any, clinic: str | None,
                 setup_values: tuple[dict, dict | None] | None) -> SoapNote | None:
    bill_col, capture_col = st.columns([3, 2], gap="large")
    with bill_col:
        st.subheader("Billing")
        rows = setup.billing_entry(config)
        units_slot = st.container()
    with capture_col:
        st.subheader("Capture")
        setup.capture(settings)
    transcript = st.session_state.get("transcript")
    if transcript is not None:
        with st.expander(f"Transcript ({len(transcript.turns)} turns): correct it here",
                         expanded=st.session_state.get("draft") is None):
            transcript = setup.transcript_editor(transcript)
    if setup_values is None or setup_values[1] is None:
        return None
    record = _record((setup_values[0], setup_values[1]), rows, transcript, config, units_slot)
    if record is None:
        return None
    signed = st.session_state.get("signed") is not None  # a signed note changes by addenda
    st.button("Draft note", key="draft_button", type="primary",
              disabled=signed or transcript is None or not transcript.turns,
              on_click=_draft, args=(record, settings, store, clinic))
    doc: NoteDocument | None = st.session_state.get("draft")
    if doc is None:
        return None
    return _review(doc, record, settings, store, config, clinic)


def _record(setup_values: tuple[dict, dict], rows: list, transcript: Any, config: Any,
            units_slot: Any) -> VisitRecord | None:
    """The visit as entered, priced by the payer's rule; the units arithmetic drawn beside."""
    patient, visit = setup_values
    _follow_patient(patient["id"])
    visit_id = st.session_state.setdefault("visit_id", state.new_visit_id(
        patient["id"], dt.date.fromisoformat(visit["date"])))
    try:
        base = state.visit_record(visit_id, patient, visit, state.billing_lines(rows), transcript)
        record, units = state.priced_lines(base, config)
    except SidekickError as exc:
        units_slot.error(str(exc))
        return None
    with units_slot:
        setup.units_panel(record, units)
    return record


def main() -> None:
    st.set_page_config(page_title="Sidekick", page_icon="📝", layout="wide")
    settings = _settings()
    clinic = access.require_access(settings)
    try:
        from sidekick import billing

        store = _store(settings)
        config = billing.load_config(settings)
    except SidekickError as exc:
        st.error(str(exc))
        st.stop()
    top, button = st.columns([5, 1], vertical_alignment="bottom")
    top.title("Sidekick")
    button.button("New visit", key="new_visit", on_click=_new_visit,
                  help="Clear the transcript and draft (saved drafts stay in the database).")
    _show_error()
    setup_values = setup.visit_setup(store, config, clinic)
    session, past = st.tabs(["Session", "History"])
    with session:
        note = _session_tab(settings, store, config, clinic, setup_values)
    with past:
        if setup_values is None:
            st.info("Pick a patient to see their history.")
        else:
            history.history_panel(store, setup_values[0]["id"], note,
                                  st.session_state.get("visit_date"), settings.clone_threshold)


main()
