"""What a run was: prompt id, version and file hash, model, drafter, rule set, code version.

Every report records these so that two runs can be compared knowing what changed between
them. The prompt's version and hash come from ``sidekick.prompts.load_prompt``: the same
short hash the drafter records on every note (the version file and its examples file).
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import logging
import subprocess
from pathlib import Path
from typing import Any

from sidekick.config import REPO_ROOT, Settings

logger = logging.getLogger(__name__)


def prompt_info(settings: Settings) -> dict[str, Any]:
    """Prompt id, version, file and hash, as ``sidekick.prompts`` loads and hashes them.

    Raises:
        ConfigError: the prompt or version does not exist, or its file is malformed.
    """
    from sidekick.prompts import load_prompt

    prompt = load_prompt(settings.draft_prompt, settings.prompts_dir)
    return {
        "prompt": prompt.spec,
        "prompt_version": prompt.file.version,
        "prompt_hash": prompt.hash,
        "prompt_file": str(prompt.path),
        "prompt_changes": prompt.file.changes,
    }


def code_version(root: Path = REPO_ROOT) -> str:
    """``git describe --always --dirty`` of the work tree, else the package version."""
    try:
        done = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=root, capture_output=True, text=True, timeout=10, check=False,
        )
        if done.returncode == 0 and done.stdout.strip():
            return done.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        return importlib.metadata.version("sidekick")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def model_name(settings: Settings, drafter: str) -> str | None:
    """The model a drafter uses (None for the offline drafter, which uses none)."""
    if drafter in ("offline", "rules"):
        return None
    if drafter == "local" and settings.llm_gguf:
        return Path(settings.llm_gguf).name
    return settings.llm_model or settings.draft_model


def run_provenance(settings: Settings, drafter: str, cases_dir: Path) -> dict[str, Any]:
    """The provenance block of a report."""
    from sidekick.validators import RULE_SET_VERSION

    return {
        "drafter": drafter,
        **prompt_info(settings),
        "model": model_name(settings, drafter),
        "rule_set_version": RULE_SET_VERSION,
        "code_version": code_version(),
        "cases_dir": str(cases_dir),
        "timestamp": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "whisper_model": settings.whisper_model,
    }


def notes_provenance(provenances: list[Any]) -> dict[str, Any]:
    """What the drafted notes themselves recorded (drafters, models, prompt hashes seen)."""
    seen: dict[str, set[str]] = {"drafters": set(), "models": set(), "prompt_hashes": set()}
    for p in provenances:
        if p is None:
            continue
        seen["drafters"].add(p.drafter)
        if p.model:
            seen["models"].add(p.model)
        if p.prompt_hash:
            seen["prompt_hashes"].add(p.prompt_hash)
    return {k: sorted(v) for k, v in seen.items()}
