"""Sidekick: a recorded therapy session to a checked, compliant SOAP note.

The public surface is small: the models, Settings, and the pipeline entry points.
"""

from sidekick.config import Settings
from sidekick.errors import SidekickError
from sidekick.models import Case, CheckResult, Finding, SoapNote, Transcript, VisitRecord

__all__ = [
    "Case", "CheckResult", "Finding", "Settings", "SidekickError", "SoapNote", "Transcript",
    "VisitRecord",
]
__version__ = "0.1.0"
