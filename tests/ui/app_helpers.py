"""Helpers for the app's AppTest flows: fill the page as a clinician would."""

from __future__ import annotations

TRANSCRIPT = """\
[00:00] Therapist: Good morning. How is the right knee today?
[00:04] Patient: Sore this morning, about a five out of ten. Stairs are still hard, I need the rail.
[00:12] Therapist: Knee flexion is one hundred degrees on the right.
[01:00] Therapist: Straight leg raises on the right with a two pound ankle weight. Three sets of \
ten. Tighten the thigh first and keep the knee locked.
[20:00] Patient: The pain is down to a three now.
"""


def fill_visit(at, patient_id="P-UI-01", payer="medicare", bills=(("97110", 24),),
               session=None, clinician="Sam Rivera"):
    """New patient, payer, clinician, billing lines and session length, as a clinician would."""
    at.selectbox(key="patient_choice").select("New patient…").run()
    at.text_input(key="new_patient_id").input(patient_id)
    at.text_input(key="new_patient_diagnosis").input("Right total knee arthroplasty, aftercare")
    at.text_input(key="clinician").input(clinician)
    at.selectbox(key="payer").select(payer)
    if session is not None:
        at.number_input(key="session_minutes").set_value(session)
    at.run()
    for i, (code, minutes) in enumerate(bills):
        if i:
            at.button(key="bill_add").click().run()
        at.selectbox(key=f"bill_code_{i}").select(code)
        at.number_input(key=f"bill_min_{i}").set_value(minutes).run()
    return at


def paste(at, text=TRANSCRIPT):
    at.radio(key="capture_mode").set_value("Paste transcript").run()
    at.text_area(key="pasted").input(text).run()
    return at.button(key="use_pasted").click().run()


def finding_ids(at) -> list[str]:
    """Rule ids of the findings panel (expander labels ``RULE-ID: message``)."""
    return [e.label.split(":", 1)[0] for e in at.expander if not e.label.startswith("Transcript")]


def errors(at) -> list[str]:
    return [e.value for e in at.error]
