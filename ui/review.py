"""The draft editor, the findings panel beside it, sign-off and the export buttons."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

from sidekick.config import Settings
from sidekick.errors import SidekickError
from sidekick.models import (
    Evidence,
    Finding,
    HistoricalNote,
    NoteDocument,
    SoapNote,
    Transcript,
)
from ui import state

SEVERITY_TITLES = {"block": "Blocking: fix or override before signing", "warn": "Warnings"}


def draft_editor(doc: NoteDocument, signed: bool) -> SoapNote:
    """Editable SOAP sections and exercise table; returns the note as the clinician left it."""
    gen = st.session_state.get("draft_gen", 0)
    st.caption(state.provenance_text(doc.note, doc.drafter, doc.fallback_reason))
    if doc.fallback_reason:
        st.warning("The LLM was unavailable, so the offline drafter wrote this note. Check the "
                   "LLM host settings (SIDEKICK_LLM_BASE_URL) to use it next time.")
    sections = {}
    for name in state.SECTIONS:
        sections[name] = st.text_area(
            name.capitalize(), value=getattr(doc.note, name), key=f"section_{name}_{gen}",
            height=140, disabled=signed,
        )
    st.markdown("**Exercises**")
    rows = st.data_editor(
        state.exercise_rows(doc.note), key=f"exercises_{gen}", num_rows="dynamic",
        hide_index=True, width="stretch", disabled=signed,
        column_config={
            "name": st.column_config.TextColumn("Exercise", width="medium"),
            "side": st.column_config.SelectboxColumn("Side", options=state.SIDES),
            "sets": st.column_config.NumberColumn("Sets", min_value=0, step=1),
            "reps": st.column_config.NumberColumn("Reps", min_value=0, step=1),
            "hold_s": st.column_config.NumberColumn("Hold (s)", min_value=0),
            "load": st.column_config.TextColumn("Load"),
        },
    )
    try:
        exercises = state.rows_to_exercises(list(rows), doc.note.exercises)
    except SidekickError as exc:  # say which cell; check the drafted exercises meanwhile
        st.error(str(exc))
        exercises = doc.note.exercises
    if doc.note.to_add:
        st.info("Still to add:\n" + "\n".join(f"- {item}" for item in doc.note.to_add))
    return state.edited_note(doc.note, sections, exercises)


def _evidence(ev: Evidence, transcript: Transcript | None,
              history: Sequence[HistoricalNote], shown: set[str]) -> None:
    where = ev.location or ev.where
    if ev.text:
        st.markdown(f"*{where}:* {ev.text}")
    else:
        st.markdown(f"*{where}*")
    if ev.where in ("transcript", "note") and ev.text:
        for turn in state.transcript_passage(ev.location, ev.text, transcript):
            st.caption(f"[{state.clock(turn.start)}] {turn.speaker}: {turn.text}")
    earlier = state.earlier_note(ev.ref, history)
    if earlier is not None and earlier.note_id not in shown:  # each earlier note once
        shown.add(earlier.note_id)
        st.caption(f"Earlier note {earlier.note_id} ({earlier.date}, {earlier.clinician}):")
        with st.container(height=180):
            st.text(earlier.note.text())


def findings_panel(findings: Sequence[Finding], transcript: Transcript | None,
                   history: Sequence[HistoricalNote]) -> None:
    """Findings grouped by severity, each with rule id, evidence (expand to see it) and fix."""
    groups = state.by_severity(findings)
    if not findings:
        st.success("No findings: nothing blocks sign-off.")
        return
    for severity, items in groups.items():
        if not items:
            continue
        st.markdown(f"**{SEVERITY_TITLES[severity]}** ({len(items)})")
        for f in items:
            icon = ":material/block:" if f.blocks else ":material/warning:"
            with st.expander(f"{f.rule_id}: {f.message}", icon=icon):
                shown: set[str] = set()
                for ev in f.evidence:
                    _evidence(ev, transcript, history, shown)
                if f.fix:
                    st.markdown(f"**Fix:** {f.fix}")


def signoff(doc: NoteDocument, findings: Sequence[Finding], sign: Any) -> None:
    """Override reasons for open block findings, then the Sign button (disabled while open)."""
    block_ids = list(dict.fromkeys(f.rule_id for f in findings if f.blocks))
    reasons = {}
    if block_ids:
        st.markdown("Override a blocking finding only with a written reason:")
        for rule_id in block_ids:
            reasons[rule_id] = st.text_input(f"Reason to override {rule_id}",
                                             key=f"override_{rule_id}")
    still_open = state.open_blocks(findings, reasons)
    if still_open:
        st.warning(f"Sign-off is disabled: {', '.join(still_open)} open. Fix the note, or write "
                   "a reason to override.")
    overrides = {k: v.strip() for k, v in reasons.items() if v.strip()}
    st.button("Sign note", key="sign", type="primary", disabled=bool(still_open),
              on_click=sign, args=(overrides,))


def run_sign(doc: NoteDocument, note: SoapNote, settings: Settings, store: Any,
             overrides: dict[str, str]) -> None:
    """Button callback: sign through ``sidekick.signoff``; errors stay on screen."""
    from sidekick.signoff import SignoffRefused, sign_note

    who = doc.record.visit.clinician
    try:
        signed = sign_note(doc, settings, store, clinician=who.name, credential=who.credential,
                           overrides=overrides, note=note)
    except SignoffRefused as exc:
        st.session_state["error"] = str(exc)
        return
    except SidekickError as exc:
        st.session_state["error"] = str(exc)
        return
    st.session_state["signed"] = signed
    st.session_state.pop("error", None)
    st.session_state["history_rev"] = st.session_state.get("history_rev", 0) + 1


def exports(doc: NoteDocument) -> None:
    """Download buttons: text for the EMR, PDF, JSON."""
    from sidekick.export import render_bytes

    c1, c2, c3 = st.columns(3)
    for col, fmt, label, mime, suffix in (
        (c1, "text", "Text for the EMR", "text/plain", "txt"),
        (c2, "pdf", "PDF", "application/pdf", "pdf"),
        (c3, "json", "JSON", "application/json", "json"),
    ):
        try:
            data = render_bytes(doc, fmt)
        except SidekickError as exc:
            col.error(str(exc))
            continue
        col.download_button(label, data=data, file_name=f"{doc.name}.{suffix}", mime=mime,
                            key=f"export_{fmt}")
