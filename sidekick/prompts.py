"""Finds, checks and renders prompt files (``prompts/<name>/vN.yaml``).

One file per prompt version. A file holds ``id``, ``version``, ``system``, ``user``,
``changes`` (what changed and why), the ``variables`` its templates use, and optionally the
name of a file of worked examples beside it. Files are checked when loaded: an unknown key,
a placeholder that is not declared, or a missing examples file is a ``ConfigError``, so a
broken prompt fails at start, not in the middle of a batch.

Placeholders are ``string.Template`` ones (``$transcript``): JSON braces in examples need no
escaping, and LangChain receives finished messages. A version that has been evaluated is
never edited: copy it to the next version.

``prompt_hash`` is a short sha256 of the version file's bytes followed by its examples file's
bytes, so a changed example changes the hash recorded on every note.
"""

from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path
from string import Template

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sidekick.config import REPO_ROOT
from sidekick.errors import ConfigError

logger = logging.getLogger(__name__)

DEFAULT_PROMPTS_DIR = REPO_ROOT / "prompts"
_VERSION = re.compile(r"^v(\d+)$")


class PromptFile(BaseModel):
    """The content of one prompt version file."""

    model_config = ConfigDict(extra="forbid")

    id: str
    version: str
    changes: str
    system: str
    user: str
    variables: list[str] = Field(default_factory=list)
    examples: str | None = None  # file name beside the version file


class Prompt(BaseModel):
    """A loaded, checked prompt version: the file, its examples text and its hash."""

    model_config = ConfigDict(extra="forbid")

    file: PromptFile
    path: Path
    hash: str
    examples_text: str = ""

    @property
    def spec(self) -> str:
        return f"{self.file.id}/{self.file.version}"


def _versions(folder: Path) -> list[Path]:
    found = [p for p in folder.glob("v*.yaml") if _VERSION.match(p.stem)]
    return sorted(found, key=lambda p: int(_VERSION.match(p.stem).group(1)))  # type: ignore[union-attr]


def _placeholders(text: str) -> set[str]:
    return set(Template(text).get_identifiers())


def _read_file(path: Path) -> PromptFile:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot be read as YAML ({exc.__class__.__name__})") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping with id, version, system, user, changes")
    try:
        return PromptFile.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "(top level)"
        problem = "is missing" if err["type"] == "missing" else (
            "is not a known field" if err["type"] == "extra_forbidden" else err["msg"])
        raise ConfigError(f"{path}: {field}: {problem}") from exc


def _check(file: PromptFile, path: Path) -> None:
    if f"{file.id}/{file.version}" != f"{path.parent.name}/{path.stem}":
        raise ConfigError(
            f"{path}: id/version say {file.id}/{file.version}; "
            f"they must match the file's place ({path.parent.name}/{path.stem})"
        )
    declared = set(file.variables)
    for field in ("system", "user"):
        unknown = sorted(_placeholders(getattr(file, field)) - declared)
        if unknown:
            raise ConfigError(
                f"{path}: {field}: unknown variable {', '.join('$' + u for u in unknown)}; "
                f"declare it under 'variables' or fix the spelling"
            )


def load_prompt(spec: str, prompts_dir: Path | None = None) -> Prompt:
    """Load and check a prompt version.

    Args:
        spec: ``"draft_soap/v1"`` for a version, or ``"draft_soap"`` for the latest one.
        prompts_dir: the folder of prompt folders (``Settings.prompts_dir``).

    Returns:
        The checked prompt, with its examples text and hash.

    Raises:
        ConfigError: unknown prompt or version, a malformed file, an undeclared placeholder,
            a missing examples file.
    """
    root = Path(prompts_dir or DEFAULT_PROMPTS_DIR)
    name, _, version = spec.strip().partition("/")
    folder = root / name
    versions = _versions(folder) if name and folder.is_dir() else []
    if not versions:
        known = ", ".join(_available(root)) or "none"
        raise ConfigError(f"unknown prompt '{spec}' in {root}; available: {known}")
    if version:
        path = folder / f"{version}.yaml"
        if path not in versions:
            known = ", ".join(f"{name}/{p.stem}" for p in versions)
            raise ConfigError(f"unknown prompt version '{spec}'; available: {known}")
    else:
        path = versions[-1]
    file = _read_file(path)
    _check(file, path)
    raw = path.read_bytes()
    examples_text = ""
    if file.examples:
        ex_path = path.parent / file.examples
        if not ex_path.is_file():
            raise ConfigError(f"{path}: examples: file {ex_path.name} not found beside it")
        ex_raw = ex_path.read_bytes()
        raw += ex_raw
        examples_text = ex_raw.decode("utf-8")
    digest = hashlib.sha256(raw).hexdigest()[:12]
    logger.debug("prompt %s/%s loaded (hash %s)", file.id, file.version, digest)
    return Prompt(file=file, path=path, hash=digest, examples_text=examples_text)


def _available(root: Path) -> list[str]:
    if not root.is_dir():
        return []
    return [
        f"{folder.name}/{path.stem}"
        for folder in sorted(p for p in root.iterdir() if p.is_dir())
        for path in _versions(folder)
    ]


def list_prompts(prompts_dir: Path | None = None) -> list[Prompt]:
    """Every prompt version on disk, by name then version number (each one checked)."""
    root = Path(prompts_dir or DEFAULT_PROMPTS_DIR)
    return [load_prompt(spec, root) for spec in _available(root)]


def render(prompt: Prompt, **variables: str) -> list[tuple[str, str]]:
    """The finished messages, ``[("system", ...), ("user", ...)]``.

    ``$examples`` is filled from the examples file when the prompt declares it and the caller
    does not pass it.

    Raises:
        ConfigError: a declared variable was not given ("Missing variables: visit").
    """
    values = dict(variables)
    if "examples" in prompt.file.variables and "examples" not in values:
        values["examples"] = prompt.examples_text
    missing = [v for v in prompt.file.variables if v not in values]
    if missing:
        raise ConfigError(f"Missing variables: {', '.join(missing)}")
    return [
        ("system", Template(prompt.file.system).substitute(values)),
        ("user", Template(prompt.file.user).substitute(values)),
    ]
