"""Reading the inputs of ``sidekick run``: audio, transcripts (JSON/TXT), visit records, flags.

An audio or transcript input needs visit details (patient, payer, discipline, clinician,
billing): from a sidecar ``<name>.visit.json`` beside it, a ``--visit`` file, or flags. A visit
record or gold case carries its own. ``content_hash`` is the batch's resume key.
"""

from __future__ import annotations

import datetime as dt
import glob
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Literal

from sidekick.cases import parse_model, read_json
from sidekick.config import Settings
from sidekick.errors import InputError
from sidekick.models import Case, Transcript, Turn, VisitRecord

AUDIO_SUFFIXES = frozenset({".wav", ".mp3", ".m4a", ".ogg", ".oga", ".opus", ".webm", ".flac"})
INPUT_SUFFIXES = AUDIO_SUFFIXES | {".json", ".txt"}
# files a run writes (or reads beside an input): never inputs themselves
_OUTPUT_SUFFIXES = (".visit.json", ".note.json", ".findings.json", ".signed.json")
_OUTPUT_NAMES = {"summary.jsonl", "run.json", "summary.csv", "rules.csv"}
InputKind = Literal["audio", "transcript", "record"]
Transcriber = Callable[[Path], Transcript]

_SPEAKER_LABELS = {
    "therapist": "therapist", "clinician": "therapist", "physical therapist": "therapist",
    "occupational therapist": "therapist", "speech therapist": "therapist", "dpt": "therapist",
    "ot": "therapist", "slp": "therapist", "pta": "therapist", "cota": "therapist",
    "patient": "patient", "client": "patient",
    "caregiver": "other", "family": "other", "aide": "other", "other": "other",
}
_CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?"
_TXT_TURN = re.compile(  # "[00:04.6-00:08.6] therapist: text" as `sidekick transcribe` writes
    rf"^\s*(?:\[?(?P<ts>{_CLOCK})(?:\s*[-\u2013]\s*(?P<te>{_CLOCK}))?\]?\s+)?"
    r"(?:(?P<who>[A-Za-z][A-Za-z ]{0,24}):\s*)?(?P<text>\S.*?)\s*$"
)


def input_kind(path: Path) -> InputKind:
    """What an input file is, from its name: audio, a transcript, or (JSON) decided on reading."""
    suffix = path.suffix.lower()
    if suffix in AUDIO_SUFFIXES:
        return "audio"
    if suffix == ".txt":
        return "transcript"
    if suffix == ".json":
        return "record"
    raise InputError(
        f"{path}: unsupported input type {suffix or '(no extension)'!r}; pass audio "
        f"({', '.join(sorted(AUDIO_SUFFIXES))}), a transcript (.json, .txt) "
        "or a visit record (.json)"
    )


def sidecar_visit(path: Path) -> Path | None:
    """``<name>.visit.json`` beside an audio or transcript file, if there is one.

    ``<name>`` is the file's stem, or its name up to the first dot, so that
    ``session.ogg`` and ``session.transcript.json`` share ``session.visit.json``.
    """
    for stem in dict.fromkeys((path.stem, path.name.split(".", 1)[0])):
        candidate = path.with_name(f"{stem}.visit.json")
        if candidate.is_file():
            return candidate
    return None


def load_visit(path: Path | str) -> VisitRecord:
    """A visit file: patient, visit and billing as in a case (``id`` defaults to the file name)."""
    path = Path(path)
    data = read_json(path)
    if isinstance(data, dict) and "id" not in data:
        data = {"id": path.name.removesuffix(".json").removesuffix(".visit"), **data}
    return parse_model(VisitRecord, data, str(path))


def _seconds(stamp: str) -> float:
    total = 0.0
    for part in stamp.split(":"):
        total = total * 60 + float(part)
    return total


def read_transcript_text(path: Path) -> Transcript:
    """A plain-text transcript, one turn a line: ``[mm:ss] Speaker: text`` (both optional)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        problem = exc.__class__.__name__
        raise InputError(f"{path}: cannot be read as UTF-8 text ({problem})") from exc
    turns: list[Turn] = []
    start = 0.0
    for line in lines:
        m = _TXT_TURN.match(line)
        if not m:
            continue
        if m["ts"]:
            start = _seconds(m["ts"])
        who = (m["who"] or "").strip().lower()
        speaker = _SPEAKER_LABELS.get(who)
        text = m["text"] if speaker or not who else f"{m['who']}: {m['text']}"
        end = _seconds(m["te"]) if m["te"] else None
        turns.append(Turn(speaker=speaker or "unknown", start=start, end=end,  # type: ignore[arg-type]
                          text=text))
    if not turns:
        raise InputError(
            f"{path}: transcript: holds no text; one turn a line, such as 'Therapist: ...'"
        )
    return Transcript(turns=turns, source=path.name)


def _no_visit(path: Path) -> InputError:
    return InputError(
        f"{path}: visit: no visit details (patient, payer, discipline, clinician); put them in "
        f"{path.stem}.visit.json beside it, or pass --visit VISIT.json or the visit flags"
    )


def load_input(
    path: Path, settings: Settings, *, visit: VisitRecord | None = None,
    transcriber: Transcriber | None = None,
) -> VisitRecord:
    """Read one input (audio, transcript or visit record) into a VisitRecord with its transcript.

    Audio is transcribed (``transcriber`` or the bundled Whisper model). An audio or transcript
    input takes its visit details from ``visit`` (a sidecar ``<name>.visit.json`` wins); a visit
    record or gold case carries its own. The record's id is the file's stem.
    """
    kind = input_kind(path)
    if kind == "record":
        data = read_json(path)
        if isinstance(data, dict) and ("patient" in data or "visit" in data):
            data = {"id": path.stem, **data}
            return parse_model(Case if "gold" in data else VisitRecord, data, str(path))
        if isinstance(data, list):
            data = {"turns": data}
        if not isinstance(data, dict) or "turns" not in data:
            raise InputError(
                f"{path}: (top level): neither a transcript (turns) nor a visit record "
                "(patient, visit); see shared/cases/README.md"
            )
        transcript = parse_model(Transcript, data, str(path))
    sidecar = sidecar_visit(path)
    visit = load_visit(sidecar) if sidecar else visit
    if visit is None:
        raise _no_visit(path)
    if kind == "audio":
        transcript = (transcriber or _default_transcriber(settings))(path)
    elif kind == "transcript":
        transcript = read_transcript_text(path)
    return visit.model_copy(update={"id": path.stem, "transcript": transcript, "note": None})


def _default_transcriber(settings: Settings) -> Transcriber:
    from sidekick import transcribe

    options = transcribe.TranscribeOptions.from_settings(settings)
    return lambda audio: transcribe.transcribe(audio, options)


def content_hash(path: Path, visit: VisitRecord | None = None, extra: str = "") -> str:
    """sha256 of the input's bytes, its visit details and ``extra``: the batch's resume key."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    sidecar = sidecar_visit(path)
    if sidecar is not None:
        digest.update(sidecar.read_bytes())
    elif visit is not None:
        digest.update(visit.model_dump_json().encode())
    digest.update(extra.encode())
    return digest.hexdigest()


def build_visit(
    base: VisitRecord | None = None, *, patient_id: str | None = None, payer: str | None = None,
    discipline: str | None = None, clinician: str | None = None, credential: str | None = None,
    date: str | None = None, session_minutes: int | None = None, bills: Iterable[str] = (),
) -> VisitRecord | None:
    """Visit details from a visit file (``base``) overridden by command-line flags.

    ``bills`` are ``CODE=MINUTES`` strings (``97110=33``). Returns None when there is neither a
    file nor any flag. Raises InputError naming the missing flag.
    """
    bills = list(bills)
    flags = (patient_id, payer, discipline, clinician, credential, date, session_minutes)
    if base is None and not bills and all(v is None for v in flags):
        return None
    data: dict[str, Any] = base.model_dump(mode="json") if base else {"id": "visit"}
    patient, visit = data.setdefault("patient", {}), data.setdefault("visit", {})
    who = visit.setdefault("clinician", {})
    for target, key, value in (
        (patient, "id", patient_id), (visit, "payer", payer), (visit, "discipline", discipline),
        (who, "name", clinician), (who, "credential", credential), (visit, "date", date),
        (visit, "session_minutes", session_minutes),
    ):
        if value is not None:
            target[key] = value
    visit.setdefault("date", dt.date.today().isoformat())
    for value, flag, name in (
        (patient.get("id"), "--patient-id", "patient.id"),
        (visit.get("payer"), "--payer", "visit.payer"),
        (visit.get("discipline"), "--discipline", "visit.discipline"),
        (who.get("name"), "--clinician", "visit.clinician.name"),
        (who.get("credential"), "--credential", "visit.clinician.credential"),
    ):
        if value in (None, ""):
            raise InputError(f"visit details: {name}: is missing; pass {flag} or a --visit file")
    if bills:
        data["billing"] = [_bill_line(b) for b in bills]
    return parse_model(VisitRecord, data, "visit details")


def _bill_line(text: str) -> dict[str, Any]:
    code, sep, minutes = text.partition("=")
    if not sep or not code.strip() or not minutes.strip().isdigit():
        raise InputError(f"--bill {text!r}: expected CODE=MINUTES such as 97110=33")
    return {"cpt": code.strip(), "minutes": int(minutes)}


# --------------------------------------------------------------------------- discovery (batch)


def _is_input(path: Path) -> bool:
    name = path.name
    return (
        path.is_file() and not name.startswith(".") and path.suffix.lower() in INPUT_SUFFIXES
        and not name.endswith(_OUTPUT_SUFFIXES) and name not in _OUTPUT_NAMES
    )


def discover_inputs(specs: Iterable[str | Path]) -> list[Path]:
    """Files named by paths, folders (their inputs, not recursive) and glob patterns.

    Raises:
        InputError: a name matches nothing, or a folder holds no input.
    """
    found: list[Path] = []
    for spec in specs:
        path = Path(spec)
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if _is_input(p))
            if not inside:
                raise InputError(f"{spec}: holds no audio, transcript or visit record files")
            found += inside
        elif path.exists():
            found.append(path)
        elif glob.has_magic(str(spec)):
            matched = sorted(Path(p) for p in glob.glob(str(spec), recursive=True))
            matched = [p for p in matched if _is_input(p)]
            if not matched:
                raise InputError(f"{spec}: matches no audio, transcript or visit record files")
            found += matched
        else:
            raise InputError(f"{spec}: no such file or folder; check the path")
    unique = list(dict.fromkeys(p.resolve() for p in found))
    return unique


def output_names(paths: list[Path]) -> dict[Path, str]:
    """Each input's output name: its stem, made unique when two inputs share one."""
    stems = Counter(p.stem for p in paths)
    names: dict[Path, str] = {}
    for p in paths:
        name = p.stem if stems[p.stem] == 1 else p.name
        if name in names.values():
            name = f"{p.parent.name}-{p.name}"
        names[p] = name
    return names
