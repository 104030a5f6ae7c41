"""Fixtures for the app's tests: AppTest runs of ``ui/app.py`` against a private database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
APP = REPO / "ui" / "app.py"

def _server_address(value: str | None) -> Iterator[None]:
    from streamlit import config

    old = config.get_option("server.address")
    config.set_option("server.address", value)
    try:
        yield
    finally:
        config.set_option("server.address", old)


@pytest.fixture
def on_localhost() -> Iterator[None]:
    """The app served on 127.0.0.1 (what ``sidekick app`` does by default)."""
    yield from _server_address("127.0.0.1")


@pytest.fixture
def on_network() -> Iterator[None]:
    """The app served on every interface (``streamlit run`` without an address)."""
    yield from _server_address("0.0.0.0")


@pytest.fixture
def make_app(settings):
    """Build and run the app once: ``make_app(settings=..., **session_state)``."""
    from streamlit.testing.v1 import AppTest

    def make(app_settings=None, **state):
        at = AppTest.from_file(str(APP), default_timeout=90)
        at.session_state["settings"] = app_settings or settings
        for key, value in state.items():
            at.session_state[key] = value
        return at.run()

    return make
