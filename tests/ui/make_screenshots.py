"""Take the README's screenshots of the app (synthetic patient, no real data).

    python tests/ui/make_screenshots.py [OUT_DIR]      # default: docs/screenshots

Builds a throwaway history database with three signed visits of a synthetic right-TKA patient
(drafted offline and signed through ``sidekick.signoff``), serves the app on localhost, pastes
the fourth visit's transcript, drafts it, and saves ``draft-findings.png`` (the draft beside
its findings) and ``history.png`` (measures, pain and dose progression over the visits).
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[1])]

from browser_helpers import launch, serve_app, visit_setup, wait_idle  # noqa: E402

PATIENT = {"id": "P-DEMO-TKA", "age": 66, "diagnosis": "Right total knee arthroplasty, aftercare",
           "icd10": ["Z47.1", "Z96.651"], "body_region": "knee"}
_DAY = dt.date.today()
VISITS = [  # date, flexion, pain before/after, SLR sets and load, step height, TUG seconds
    (str(_DAY - dt.timedelta(days=21)), 85, 6, 4, 2, "one pound", "four", "fourteen point two"),
    (str(_DAY - dt.timedelta(days=14)), 92, 5, 3, 3, "one pound", "four", "thirteen point one"),
    (str(_DAY - dt.timedelta(days=7)), 98, 5, 3, 3, "two pound", "six", "twelve point four"),
]
TODAY = (str(_DAY), 104, 4, 2, 3, "two pound", "eight", "eleven point six")


def transcript(flex: int, before: int, after: int, sets: int, load: str, step: str,
               tug: str, heel_slides_dose: bool = True) -> str:
    slides = ("Heel slides, two sets of fifteen." if heel_slides_dose
              else "Now bridges with the red band, hold each one.")
    return "\n".join([
        "[00:00] Therapist: How is the right knee today?",
        f"[00:04] Patient: About a {before} out of ten. Stairs are hard, I need the rail.",
        f"[00:15] Therapist: Knee flexion is {flex} degrees on the right.",
        f"[01:30] Therapist: Timed up and go was {tug} seconds.",
        f"[03:00] Therapist: Straight leg raises on the right with a {load} ankle weight, "
        f"{sets} sets of ten. Tighten the thigh first and keep the knee locked.",
        f"[10:00] Therapist: Step ups on a {step} inch step, two sets of ten. Push through the "
        "heel and keep the knee over the toes.",
        f"[18:00] Therapist: {slides}",
        f"[30:00] Patient: It feels looser. The pain is down to a {after} now.",
        "[30:20] Therapist: Goal is stairs step over step without the rail in four weeks. Next "
        "visit we progress the step height.",
    ])


def _record(date: str, text: str, number: int):  # noqa: ANN202
    from sidekick.models import VisitRecord
    from ui.state import parse_pasted

    return VisitRecord.model_validate({
        "id": f"{PATIENT['id']}-{date}", "patient": PATIENT,
        "visit": {"date": date, "number": number, "discipline": "PT", "payer": "medicare",
                  "clinician": {"name": "Sam Rivera", "credential": "PT"},
                  "session_minutes": 45},
        "billing": [{"cpt": "97110", "minutes": 30}, {"cpt": "97140", "minutes": 10}],
        "transcript": parse_pasted(text).model_dump(mode="json"),
    })


def build_history(db: Path) -> None:
    """Three signed visits of the demo patient, through the library (offline drafter)."""
    from sidekick import pipeline, signoff
    from sidekick.billing import load_config
    from sidekick.config import Settings
    from sidekick.store import open_store
    from ui.state import priced_lines

    settings = Settings(_env_file=None, db=str(db), openai_api_key=None, llm_base_url=None)
    config = load_config(settings)
    store = open_store(settings)
    for number, (date, *values) in enumerate(VISITS, start=3):
        record, _ = priced_lines(_record(date, transcript(*values), number), config)
        doc = pipeline.run_record(record, settings, history=store.patient_history(PATIENT["id"]))
        pipeline.save_draft(store, doc)
        overrides = {f.rule_id: "demo history" for f in doc.findings if f.blocks}
        signoff.sign_note(doc, settings, store, clinician="Sam Rivera", credential="PT",
                          overrides=overrides,
                          now=dt.datetime.fromisoformat(f"{date}T12:00:00+00:00"))


_IMAGE_LOADED = """() => [...document.querySelectorAll('[data-testid="stMain"] img')]
    .some(i => i.complete && i.naturalWidth > 200)"""


def _to_top(page, locator) -> None:  # noqa: ANN001
    locator.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(500)


def main(out_dir: Path) -> None:
    from playwright.sync_api import sync_playwright

    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.db"
        build_history(db)
        with serve_app(db, Path(tmp) / "streamlit.log") as url, sync_playwright() as p:
            browser = launch(p)
            page = browser.new_page(viewport={"width": 1400, "height": 1300})
            page.set_default_timeout(90_000)
            page.goto(url)
            page.get_by_label("Clinician").wait_for()
            visit_setup(page, PATIENT["id"], [("97110", 30), ("97140", 10)], session=45,
                        existing=True)
            page.get_by_text("Paste transcript", exact=True).click()
            wait_idle(page)
            area = page.get_by_label("Transcript", exact=True)
            area.fill(transcript(*TODAY[1:], heel_slides_dose=False))
            area.press("Control+Enter")
            wait_idle(page)
            page.get_by_role("button", name="Use this transcript").click()
            wait_idle(page)
            page.get_by_role("button", name="Draft note").click()
            page.get_by_text("Findings", exact=True).first.wait_for()
            wait_idle(page)
            page.locator("[data-testid='stExpander'] summary").nth(1).click()
            wait_idle(page)
            _to_top(page, page.get_by_text("Transcript (", exact=False).first)
            page.screenshot(path=str(out_dir / "draft-findings.png"))
            page.get_by_role("tab", name="History").click()
            wait_idle(page)
            page.get_by_text("Measures and pain over visits").wait_for()
            page.wait_for_function(_IMAGE_LOADED)
            _to_top(page, page.get_by_text("Similarity of this draft").first)
            page.screenshot(path=str(out_dir / "history.png"))
            browser.close()
    print(out_dir / "draft-findings.png")
    print(out_dir / "history.png")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parents[1] / "docs" / "screenshots")
