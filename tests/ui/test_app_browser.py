"""The app in a real browser: served on localhost, driven in headless Chromium (Playwright)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from app_helpers import TRANSCRIPT
from browser_helpers import CHROMIUM, launch, serve_app, upload_and_draft, visit_setup

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
    pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed"),
]

RULE = re.compile(r"\b((?:MN|TU|CD|CL|GR)-[A-Z0-9-]+): ")


def test_uploaded_recording_reaches_a_draft_with_findings(tmp_path):
    from playwright.sync_api import sync_playwright

    from sidekick.synth import synthesize_dialogue
    from ui.state import parse_pasted

    audio = synthesize_dialogue(parse_pasted(TRANSCRIPT).turns, tmp_path / "session.wav")
    with serve_app(tmp_path / "app.db", tmp_path / "streamlit.log") as url, \
            sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 2200})
            page.set_default_timeout(60_000)
            page.goto(url)
            page.get_by_label("New patient id").wait_for()
            visit_setup(page, "P-BROWSER-01", [("97110", 24)])
            upload_and_draft(page, audio)
            page.screenshot(path=str(tmp_path / "draft-with-findings.png"))
            findings = page.locator("[data-testid='stExpander'] summary").all_inner_texts()
            page_text = page.inner_text("body")
        finally:
            browser.close()
    assert "Drafted by offline" in page_text
    rule_ids = [m[1] for f in findings if (m := RULE.search(f))]
    assert rule_ids, findings
    assert "Traceback" not in page_text
    assert (tmp_path / "draft-with-findings.png").stat().st_size > 10_000
