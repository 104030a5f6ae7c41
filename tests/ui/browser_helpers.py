"""Serve the app on a free localhost port and drive it in Debian's headless Chromium.

Used by the browser test and by ``make_screenshots.py`` (the README's screenshots). Playwright
drives ``/usr/bin/chromium``: no browser is downloaded.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serve_app(db: Path, log: Path, timeout_s: float = 60.0) -> Iterator[str]:
    """``streamlit run ui/app.py`` on 127.0.0.1 with its own database; yields the URL."""
    port = free_port()
    env = {**os.environ, "SIDEKICK_DB": str(db), "SIDEKICK_DRAFTER": "offline"}
    env.pop("OPENAI_API_KEY", None)
    env.pop("SIDEKICK_LLM_BASE_URL", None)
    cmd = [sys.executable, "-m", "streamlit", "run", str(REPO / "ui" / "app.py"),
           "--server.headless", "true", "--server.port", str(port),
           "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
           "--client.toolbarMode", "minimal"]
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=REPO)
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_healthy(url, proc, timeout_s)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _wait_healthy(url: str, proc: subprocess.Popen, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        time.sleep(0.5)
    raise TimeoutError(f"streamlit did not answer on {url} within {timeout_s:.0f} s")


def launch(playwright):  # noqa: ANN001, ANN201 - Playwright's own types
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def _commit(locator) -> None:  # noqa: ANN001
    locator.press("Enter")


def select(page, label: str, option: str, nth: int = 0) -> None:  # noqa: ANN001
    """Pick ``option`` in the Streamlit selectbox labelled ``label``."""
    box = page.get_by_label(label, exact=True).nth(nth)
    box.click()
    page.keyboard.type(option)
    page.get_by_role("option").first.wait_for()
    page.keyboard.press("Enter")


def fill(page, label: str, value: str, nth: int = 0) -> None:  # noqa: ANN001
    field = page.get_by_label(label, exact=True).nth(nth)
    field.fill(value)
    _commit(field)
    wait_idle(page)


def wait_idle(page, timeout_ms: int = 60_000) -> None:  # noqa: ANN001
    """Wait until the script run the last input started has finished."""
    page.wait_for_timeout(300)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
        timeout=timeout_ms,
    )


def visit_setup(page, patient_id: str, bills: list[tuple[str, int]],  # noqa: ANN001
                session: int | None = None, existing: bool = False) -> None:
    """The sidebar and the billing lines, as a clinician fills them."""
    if existing:
        select(page, "Patient", patient_id)
        wait_idle(page)
    else:
        fill(page, "New patient id", patient_id)
        fill(page, "Diagnosis", "Right total knee arthroplasty, aftercare")
        fill(page, "ICD-10 codes", "Z47.1, Z96.651")
    fill(page, "Clinician", "Sam Rivera")
    if session is not None:
        fill(page, "Session minutes", str(session))
    for i, (code, minutes) in enumerate(bills):
        if i:
            page.get_by_role("button", name="Add a billing line").click()
            wait_idle(page)
        select(page, "Code", code, nth=i)
        wait_idle(page)
        fill(page, "Minutes", str(minutes), nth=i)


def upload_and_draft(page, audio: Path, timeout_ms: int = 90_000) -> None:  # noqa: ANN001
    """Upload the recording, transcribe it, draft the note; returns when findings show."""
    page.get_by_text("Upload", exact=True).click()
    wait_idle(page)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(audio))
    wait_idle(page)
    page.get_by_role("button", name="Transcribe").click()
    page.get_by_text("correct it here").first.wait_for(timeout=timeout_ms)
    wait_idle(page, timeout_ms)
    page.get_by_role("button", name="Draft note").click()
    page.get_by_text("Findings", exact=True).first.wait_for(timeout=timeout_ms)
    wait_idle(page, timeout_ms)
