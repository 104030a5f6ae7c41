"""Loading gold cases and visit records from JSON, with errors that name file and field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from sidekick.errors import InputError
from sidekick.models import Case, VisitRecord

M = TypeVar("M", bound=BaseModel)


def _location(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def _explain(error: Any) -> str:
    kind = error.get("type", "")
    if kind == "missing":
        return "is missing; add it (see shared/cases/README.md for the format)"
    if kind == "extra_forbidden":
        return "is not a known field; check its spelling"
    msg = error.get("msg", "is invalid")
    value = error.get("input")
    shown = json.dumps(value)[:40] if isinstance(value, (str, int, float)) else None
    return f"{msg}" + (f" (got {shown})" if shown is not None else "")


def validation_message(source: str, exc: ValidationError) -> str:
    """One line for the first error of a pydantic ValidationError: ``file: field: problem``."""
    first = exc.errors()[0]
    more = len(exc.errors()) - 1
    suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return f"{source}: {_location(tuple(first['loc']))}: {_explain(first)}{suffix}"


def read_json(path: Path) -> object:
    """Read a JSON file, turning OS and syntax errors into one-line InputErrors."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InputError(f"{path}: file not found; check the path") from exc
    except IsADirectoryError as exc:
        raise InputError(f"{path}: is a directory; pass a JSON file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        kind = exc.__class__.__name__
        raise InputError(f"{path}: cannot be read as UTF-8 text ({kind})") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            "fix the syntax"
        ) from exc


def parse_model(model: type[M], data: object, source: str) -> M:
    """Validate ``data`` into ``model``; a failure is an InputError naming source and field."""
    if not isinstance(data, dict):
        got = type(data).__name__
        raise InputError(f"{source}: (top level): expected a JSON object, got {got}")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError(validation_message(source, exc)) from exc


def load_case(path: Path | str) -> Case:
    """Load one gold case; malformed cases raise InputError naming the file and the field."""
    path = Path(path)
    return parse_model(Case, read_json(path), str(path))


def load_record(path: Path | str) -> VisitRecord:
    """Load a visit record or a gold case (``gold`` is kept when present)."""
    path = Path(path)
    data = read_json(path)
    if isinstance(data, dict) and "gold" in data:
        return parse_model(Case, data, str(path))
    return parse_model(VisitRecord, data, str(path))


def load_cases(folder: Path | str) -> list[Case]:
    """Load every ``*.json`` case in a folder, sorted by file name."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder}: not a folder of cases; pass a directory of case JSON files")
    files = sorted(folder.glob("*.json"))
    if not files:
        raise InputError(f"{folder}: holds no *.json case files")
    return [load_case(f) for f in files]


def index_cases(cases: list[Case]) -> dict[str, Case]:
    """Cases by id (for ``prior_note_ids`` and ``corpus_note_ids``)."""
    return {c.id: c for c in cases}
