"""The login gate and per-clinic patients; ``sidekick app``'s command line."""

from __future__ import annotations

import pytest
from app_helpers import errors
from click.testing import CliRunner
from pydantic import SecretStr

from sidekick.models import VisitRecord
from sidekick.store import open_store
from ui.access import NO_CLINIC, NO_LOGIN, WRONG_PASSWORD, is_loopback


@pytest.mark.parametrize(
    ("address", "loopback"),
    [("127.0.0.1", True), ("localhost", True), ("::1", True), ("127.0.0.2", True),
     ("0.0.0.0", False), ("", False), (None, False), ("192.168.1.20", False),
     ("clinic.example", False)],
)
def test_only_loopback_addresses_skip_the_login(address, loopback):
    assert is_loopback(address) is loopback


@pytest.mark.usefixtures("on_network")
def test_served_to_a_network_without_a_login_shows_nothing(make_app):
    at = make_app()
    assert errors(at) == [NO_LOGIN]
    assert not at.selectbox


@pytest.mark.usefixtures("on_network")
def test_served_to_a_network_without_a_clinic_is_refused(make_app, settings):
    at = make_app(settings.model_copy(update={"app_password": SecretStr("s3cret")}),
                  authenticated=True)
    assert errors(at) == [NO_CLINIC]
    assert not at.selectbox


@pytest.mark.usefixtures("on_network")
def test_password_login_comes_before_any_patient_data(make_app, settings):
    gated = settings.model_copy(update={"app_password": SecretStr("s3cret"), "clinic": "North"})
    at = make_app(gated)
    assert not at.selectbox
    at.text_input(key="login_password").input("wrong")
    at = at.button[0].click().run()
    assert errors(at) == [WRONG_PASSWORD]
    assert not at.selectbox
    at.text_input(key="login_password").input("s3cret")
    at = at.button[0].click().run()
    assert errors(at) == []
    assert at.selectbox(key="patient_choice").options == ["New patient…"]


def _record(patient_id: str) -> VisitRecord:
    return VisitRecord.model_validate({
        "id": f"{patient_id}-v1", "patient": {"id": patient_id},
        "visit": {"date": "2026-01-05", "discipline": "PT", "payer": "medicare",
                  "clinician": {"name": "Ana Diaz", "credential": "PT"}},
    })


@pytest.mark.usefixtures("on_localhost")
def test_a_clinic_sees_only_its_own_patients(make_app, settings):
    store = open_store(settings)
    store.save_visit(_record("P-NORTH-1"), "North")
    store.save_visit(_record("P-SOUTH-1"), "South")
    at = make_app(settings.model_copy(update={"clinic": "North"}))
    assert at.selectbox(key="patient_choice").options == ["P-NORTH-1", "New patient…"]
    at.selectbox(key="patient_choice").select("New patient…").run()
    at = at.text_input(key="new_patient_id").input("P-SOUTH-1").run()
    assert errors(at) == [
        "Patient P-SOUTH-1: belongs to another clinic; pick a patient of this clinic."
    ]


def test_app_command_runs_streamlit_on_localhost(monkeypatch):
    from sidekick.cli import app as app_cli
    from sidekick.cli import main

    calls = []
    monkeypatch.setattr(app_cli.subprocess, "call", lambda cmd: calls.append(cmd) or 0)
    result = CliRunner().invoke(main, ["app", "--port", "8600"])
    assert result.exit_code == 0, result.output
    cmd = calls[0]
    assert cmd[1:5] == ["-m", "streamlit", "run", str(app_cli.APP_FILE)]
    assert cmd[cmd.index("--server.address") + 1] == "127.0.0.1"
    assert cmd[cmd.index("--server.port") + 1] == "8600"


def test_app_command_refuses_a_network_host_without_a_login(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("SIDEKICK_APP_PASSWORD", raising=False)
    from sidekick.cli import main

    result = CliRunner().invoke(main, ["app", "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert result.output == (
        "Error: --host 0.0.0.0: serves patient data beyond this machine; set "
        "SIDEKICK_APP_PASSWORD or configure [auth] in .streamlit/secrets.toml first, or use "
        "--host 127.0.0.1\n"
    )
