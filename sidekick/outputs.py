"""Output files of ``sidekick run``, written so that a kill never leaves half a file.

Every file goes to a temporary name beside its target, is fsynced, then renamed over the
target (atomic on POSIX file systems): a reader, or a process killed at any moment, sees the
old file or the new one. ``<name>.note.json`` is written last, so its presence marks the item
done.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from sidekick.errors import InputError
from sidekick.models import NoteDocument


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) atomically; see ``atomic_write_bytes``."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, fsync, then rename over ``path``.

    A reader (or a process killed at any moment) sees the old file or the new one, never half.
    Temporary names start with a dot and end in ``.tmp``; ``remove_stale_temporaries`` cleans
    those a killed run left behind.

    Raises:
        InputError: the file cannot be written (folder missing or read-only, disk full).
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise _unwritable(path, exc) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _unwritable(path, exc) from exc
        raise


def _unwritable(path: Path, exc: OSError) -> InputError:
    return InputError(
        f"{path}: cannot be written ({exc.strerror or exc}); check the folder, its "
        "permissions and the free space"
    )


def remove_stale_temporaries(folder: Path) -> int:
    """Delete temporary files a killed run left in ``folder``; return how many."""
    stale = list(folder.glob(".*.tmp")) if folder.is_dir() else []
    for tmp in stale:
        tmp.unlink(missing_ok=True)
    return len(stale)


def findings_payload(doc: NoteDocument) -> dict[str, Any]:
    """The ``<name>.findings.json`` content: ids by severity, then every finding in full."""
    return {
        "name": doc.name,
        "record_id": doc.record.id,
        "rule_set_version": doc.rule_set_version,
        "blocking": [f.rule_id for f in doc.findings if f.blocks],
        "warnings": [f.rule_id for f in doc.findings if not f.blocks],
        "units": doc.units.model_dump(mode="json") if doc.units else None,
        "findings": [f.model_dump(mode="json") for f in doc.findings],
    }


def output_paths(out_dir: Path, name: str) -> dict[str, Path]:
    return {kind: out_dir / f"{name}.{kind}" for kind in ("note.md", "note.json", "findings.json")}


def write_outputs(doc: NoteDocument, out_dir: Path) -> dict[str, Path]:
    """Write ``<name>.note.md``, ``.note.json`` and ``.findings.json`` atomically."""
    from sidekick.export import render

    paths = output_paths(out_dir, doc.name)
    atomic_write_text(paths["findings.json"], json.dumps(findings_payload(doc), indent=2) + "\n")
    atomic_write_text(paths["note.md"], render(doc, "md"))
    atomic_write_text(paths["note.json"], doc.model_dump_json(indent=2) + "\n")  # last: marks done
    return paths
