"""``sidekick app``: start the clinician's Streamlit app (``ui/app.py``), on localhost by default.

Binding another address serves patient data to a network, so the app then asks for a login
(OIDC via ``.streamlit/secrets.toml``, or ``SIDEKICK_APP_PASSWORD``) and shows one clinic's
patients (``SIDEKICK_CLINIC``); this command refuses such a host while neither is configured.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click

from sidekick.cli import get_settings, main
from sidekick.config import REPO_ROOT, Settings
from sidekick.errors import ConfigError

APP_FILE = REPO_ROOT / "ui" / "app.py"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _oidc_configured(cwd: Path) -> bool:
    for folder in (cwd, Path.home()):
        secrets = folder / ".streamlit" / "secrets.toml"
        try:
            if "[auth" in secrets.read_text(encoding="utf-8"):
                return True
        except OSError:
            continue
    return False


def _check_network(host: str, settings: Settings) -> None:
    if host in LOOPBACK:
        return
    if settings.app_password is None and not _oidc_configured(Path.cwd()):
        raise ConfigError(
            f"--host {host}: serves patient data beyond this machine; set SIDEKICK_APP_PASSWORD "
            "or configure [auth] in .streamlit/secrets.toml first, or use --host 127.0.0.1"
        )
    if not settings.clinic:
        raise ConfigError(
            f"--host {host}: set SIDEKICK_CLINIC so clinicians see their clinic's patients only"
        )


def streamlit_command(host: str, port: int) -> list[str]:
    """The ``streamlit run`` command line for the app."""
    return [
        sys.executable, "-m", "streamlit", "run", str(APP_FILE),
        "--server.address", host, "--server.port", str(port), "--server.headless", "true",
        "--browser.gatherUsageStats", "false", "--client.showErrorDetails", "none",
        "--client.toolbarMode", "minimal",
    ]


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but localhost requires a login.")
@click.option("--port", default=8501, show_default=True, type=click.IntRange(1, 65535),
              help="Port to listen on.")
@click.pass_context
def app(ctx: click.Context, host: str, port: int) -> None:
    """Open the clinician's app: record, draft, check, sign and track progress."""
    settings = get_settings(ctx)
    if not APP_FILE.is_file():
        raise ConfigError(
            f"{APP_FILE}: the app is not installed; run `sidekick app` from a source checkout "
            "(pip install -e .)"
        )
    _check_network(host, settings)
    click.echo(f"Sidekick app on http://{host}:{port} (Ctrl+C to stop)", err=True)
    try:
        code = subprocess.call(streamlit_command(host, port))
    except KeyboardInterrupt:
        code = 0
    ctx.exit(code)
