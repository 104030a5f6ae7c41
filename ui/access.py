"""Who may see patient data: the login gate, run before anything else is drawn.

On a loopback address (``sidekick app`` binds 127.0.0.1 by default) the clinician at the
machine is trusted. Any other address (including Streamlit's default, all interfaces) needs a
login first: Streamlit's built-in OIDC (``st.login``) when ``[auth]`` is configured in
``.streamlit/secrets.toml``, else the password ``SIDEKICK_APP_PASSWORD``. Served to a network,
the app shows one clinic's patients: the ``clinic`` claim of the OIDC identity, else
``SIDEKICK_CLINIC``; without either it refuses to start rather than show every clinic.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging

import streamlit as st

from sidekick.config import Settings

logger = logging.getLogger(__name__)

NO_LOGIN = (
    "This app is served beyond localhost, and no login is configured: set "
    "SIDEKICK_APP_PASSWORD, or configure [auth] (OIDC) in .streamlit/secrets.toml, or start it "
    "with `sidekick app` (localhost only)."
)
NO_CLINIC = (
    "This app is served beyond localhost, and no clinic is set: set SIDEKICK_CLINIC so that "
    "clinicians see their clinic's patients only."
)
WRONG_PASSWORD = "Wrong password. Try again, or ask the clinic's administrator."


def is_loopback(address: str | None) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``; False for unset (all interfaces)."""
    if not address:
        return False
    if address.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:
        return False


def _oidc_configured() -> bool:
    try:
        return st.secrets.load_if_toml_exists() and "auth" in st.secrets
    except Exception:  # noqa: BLE001 - an unreadable secrets file means no OIDC
        logger.warning("secrets.toml could not be read; OIDC login is off")
        return False


def _password_form(settings: Settings) -> None:
    assert settings.app_password is not None
    st.title("Sidekick")
    with st.form("login"):
        given = st.text_input("Password", type="password", key="login_password")
        if st.form_submit_button("Log in"):
            wanted = settings.app_password.get_secret_value().encode("utf-8")
            if hmac.compare_digest(given.encode("utf-8"), wanted):
                st.session_state["authenticated"] = True
                st.rerun()
            st.error(WRONG_PASSWORD)
    st.stop()


def require_access(settings: Settings) -> str | None:
    """Stop the page until the user may see patient data; return the clinic they see.

    Returns ``settings.clinic`` on localhost (None: every patient in the database).
    """
    if is_loopback(st.get_option("server.address")):
        return settings.clinic
    if _oidc_configured():
        if not st.user.is_logged_in:
            st.title("Sidekick")
            st.button("Log in", on_click=st.login, type="primary")
            st.stop()
        clinic = st.user.get("clinic") or settings.clinic
    elif settings.app_password is not None:
        if not st.session_state.get("authenticated"):
            _password_form(settings)
        clinic = settings.clinic
    else:
        st.error(NO_LOGIN)
        st.stop()
    if not clinic:
        st.error(NO_CLINIC)
        st.stop()
    return str(clinic)
