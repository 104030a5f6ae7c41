"""The ``--audio`` path: what a user experiences end to end.

For each case the transcript is spoken (espeak-ng, two voices, pauses between turns,
``sidekick.synth``), transcribed with the configured Whisper model (``sidekick.transcribe``),
and the case runs again with the *recognised* transcript in place of the written one: the
note is drafted from what Whisper heard, checked, and scored against the same gold.

Speech and recognised transcripts are cached (keyed by the transcript's text, and for the
recognition also by the Whisper options and the transcription code), so a second run with
another prompt costs only the drafting.

Word error rate is computed on normalised text (lower case, no punctuation), per case and
over the whole set (total errors / total reference words), raw and with spelled numbers
turned into digits on both sides.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from tqdm import tqdm

from eval import harness
from eval.facts import FactScorer
from eval.harness import CaseRun, Task, run_cases, score_runs
from sidekick.config import Settings
from sidekick.models import Case, Transcript

logger = logging.getLogger(__name__)


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _turns_key(case: Case) -> str:
    turns = case.transcript.turns if case.transcript else []
    return _key(json.dumps([[t.speaker, t.text] for t in turns]))


def speech_for(case: Case, cache_dir: Path) -> Path:
    """The case's transcript spoken to a WAV (cached)."""
    from sidekick.synth import synthesize_dialogue

    wav = cache_dir / f"{case.id}-{_turns_key(case)}.wav"
    if not wav.exists():
        partial = wav.with_suffix(".part.wav")
        synthesize_dialogue(case.transcript.turns if case.transcript else [], partial)
        partial.replace(wav)
    return wav


@functools.cache
def _asr_code_key() -> str:
    """A hash of the transcription code, so a changed stage never reuses stale recognitions.

    Computed once per process (at the first recognition, when the stage is loaded), so every
    case of a run carries the key of the code that actually ran.
    """
    import sidekick.audio
    import sidekick.transcribe

    files = sorted(Path(sidekick.transcribe.__file__).parent.glob("*.py"))
    files.append(Path(sidekick.audio.__file__))
    return _key("".join(f.read_text(encoding="utf-8") for f in files))


def recognise(case: Case, settings: Settings, cache_dir: Path) -> Transcript:
    """What Whisper hears in the case's spoken transcript.

    Cached per transcript text, Whisper options and transcription code.
    """
    from sidekick.transcribe import TranscribeOptions, transcribe

    options = TranscribeOptions.from_settings(settings)
    asr_key = _key(options.model_dump_json() + _asr_code_key())
    cached = cache_dir / f"{case.id}-{_turns_key(case)}-{asr_key}.json"
    if cached.exists():
        return Transcript.model_validate_json(cached.read_text(encoding="utf-8"))
    wav = speech_for(case, cache_dir)
    recognised = transcribe(wav, options)
    cached.write_text(recognised.model_dump_json(), encoding="utf-8")
    return recognised


_NOT_WORD = re.compile(r"[^\w\s']+")


def _wer_text(text: str, digits: bool) -> str:
    if digits:
        from sidekick.facts.numbers import words_to_digits

        text = words_to_digits(text)
    return " ".join(_NOT_WORD.sub(" ", text.lower()).split())


def word_error_rate(
    references: Sequence[str], hypotheses: Sequence[str], *, digits: bool = False
) -> float | None:
    """WER over all pairs (total errors / total reference words) after normalising both.

    Normalising lower-cases and drops punctuation; with ``digits`` spelled numbers also become
    digits on both sides ("three sets of ten" = "3 sets of 10"), since Whisper writes either.
    None when there is no reference text.
    """
    import jiwer

    pairs = [
        (_wer_text(r, digits), _wer_text(h, digits))
        for r, h in zip(references, hypotheses, strict=True)
    ]
    pairs = [(r, h) for r, h in pairs if r]
    if not pairs:
        return None
    return round(float(jiwer.wer([r for r, _ in pairs], [h for _, h in pairs])), 4)


def recognise_cases(
    cases: Sequence[Case], settings: Settings, cache_dir: Path, *, progress: bool = True
) -> tuple[dict[str, Case], dict[str, str]]:
    """Cases with recognised transcripts by id, and the errors of those that failed."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    heard: dict[str, Case] = {}
    errors: dict[str, str] = {}
    for case in tqdm(cases, desc="speech+asr", unit="case", disable=not progress, leave=False):
        if case.transcript is None or not case.transcript.turns:
            errors[case.id] = "InputError: the case has no transcript to speak"
            continue
        try:
            transcript = recognise(case, settings, cache_dir)
        except Exception as exc:  # a batch records failed items and goes on
            logger.warning("case %s: speech or recognition failed: %s", case.id, type(exc).__name__)
            errors[case.id] = f"{type(exc).__name__}: {exc}"
            continue
        heard[case.id] = case.model_copy(update={"transcript": transcript})
    return heard, errors


def _text(case: Case | None) -> str:
    return case.transcript.text() if case is not None and case.transcript else ""


def evaluate_audio(
    cases: Sequence[Case],
    index: Mapping[str, Case],
    settings: Settings,
    *,
    cache_dir: Path,
    scorer: FactScorer,
    drafter_name: str | None = None,
    task: Task | None = None,
    workers: int = 1,
    progress: bool = True,
    debug: bool = False,
) -> dict[str, Any]:
    """The ``audio`` block of a report: the same metrics on recognised transcripts, plus WER."""
    heard, errors = recognise_cases(cases, settings, cache_dir, progress=progress)
    ran = run_cases(
        [heard[c.id] for c in cases if c.id in heard], settings, drafter_name=drafter_name,
        task=task or harness.pipeline_task, index=index, workers=workers, progress=progress,
        debug=debug, label="audio",
    )
    by_id = {r.case_id: r for r in ran}
    runs = [
        by_id.get(c.id) or CaseRun(case_id=c.id, drafted=c.note is None, error=errors[c.id])
        for c in cases
    ]
    block = score_runs(cases, runs, scorer)
    refs = [_text(c) for c in cases]
    hyps = [_text(heard.get(c.id)) for c in cases]
    for entry, ref, hyp in zip(block["per_case"], refs, hyps, strict=True):
        entry["wer"] = word_error_rate([ref], [hyp]) if entry["id"] in heard else None
    kept = [(r, h) for r, h, c in zip(refs, hyps, cases, strict=True) if c.id in heard]
    block["wer"] = word_error_rate([r for r, _ in kept], [h for _, h in kept])
    block["wer_numbers_as_digits"] = word_error_rate(
        [r for r, _ in kept], [h for _, h in kept], digits=True
    )
    block["whisper_model"] = settings.whisper_model
    return block
