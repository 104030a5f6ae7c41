"""``sidekick transcribe AUDIO... [-o DIR]``: recordings to timed transcripts."""

from __future__ import annotations

from pathlib import Path

import click

from sidekick.cli import get_settings, main
from sidekick.errors import SidekickError
from sidekick.models import Transcript


def _clock(seconds: float) -> str:
    minutes, sec = divmod(max(seconds, 0.0), 60)
    return f"{int(minutes):02d}:{sec:04.1f}"


def transcript_text(transcript: Transcript) -> str:
    """The readable form: one line per turn with its time span (and speaker when known)."""
    lines = []
    for turn in transcript.turns:
        span = f"[{_clock(turn.start)}-{_clock(turn.end if turn.end is not None else turn.start)}]"
        who = "" if turn.speaker == "unknown" else f" {turn.speaker}:"
        lines.append(f"{span}{who} {turn.text}")
    return "\n".join(lines) + ("\n" if lines else "")


def _progress_bar(name: str):
    from tqdm import tqdm

    bar = tqdm(total=0, unit="s", unit_scale=False, desc=name, leave=False, disable=None,
               bar_format="{desc}: {percentage:3.0f}%|{bar}| {n:.0f}/{total:.0f} s "
                          "[{elapsed}<{remaining}]")

    def update(done: float, total: float) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    return bar, update


def _transcribe_one(path: Path, out_dir: Path, stem: str, options) -> tuple[Path, Transcript]:
    from sidekick.transcribe import transcribe as run_transcribe

    bar, update = _progress_bar(path.name)
    try:
        transcript = run_transcribe(path, options, progress=update)
    finally:
        bar.close()
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path = out_dir / f"{stem}.transcript.json"
    json_path.write_text(transcript.model_dump_json(indent=2) + "\n", encoding="utf-8")
    (out_dir / f"{stem}.transcript.txt").write_text(transcript_text(transcript), encoding="utf-8")
    return json_path, transcript


def _stems(paths: tuple[Path, ...]) -> list[str]:
    """Output names: the file stem, or the whole name when two inputs share a stem."""
    stems = [p.stem for p in paths]
    return [p.name if stems.count(p.stem) > 1 else p.stem for p in paths]


@main.command()
@click.argument("audio", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("."), show_default=True, help="Folder for the transcripts.")
@click.option("--model", help="embedded (tiny.en), embedded-base, a faster-whisper name or a "
                              "model folder [SIDEKICK_WHISPER_MODEL].")
@click.option("--compute-type", help="CTranslate2 compute type, e.g. int8, float32.")
@click.option("--threads", type=click.IntRange(min=0), help="CPU threads (0: automatic).")
@click.option("--beam-size", type=click.IntRange(min=1), help="Beam size (1: greedy, fastest).")
@click.option("--no-vad", is_flag=True, help="Do not skip silence with VAD.")
@click.option("--vocabulary", type=click.Choice(["none", "prompt", "hotwords"]),
              help="Bias the decoder toward PT/OT terms (measured worse on tiny.en).")
@click.option("--no-repair", is_flag=True, help="Keep Whisper's words: no lexicon repair.")
@click.option("--channels", type=click.Choice(["auto", "mix", "split"]), default="auto",
              show_default=True, help="split: one speaker per stereo channel "
                                      "(left therapist, right patient).")
@click.pass_context
def transcribe(ctx: click.Context, audio: tuple[Path, ...], out_dir: Path, model: str | None,
               compute_type: str | None, threads: int | None, beam_size: int | None,
               no_vad: bool, vocabulary: str | None, no_repair: bool, channels: str) -> None:
    """Transcribe session recordings (wav, mp3, m4a, ogg/opus, webm, flac, video audio).

    Writes <name>.transcript.json (the Transcript) and <name>.transcript.txt (readable, timed)
    for each AUDIO under -o. In a batch a bad file fails alone; the exit code is then 1.
    """
    from sidekick.transcribe import TranscribeOptions

    options = TranscribeOptions.from_settings(
        get_settings(ctx), model=model, compute_type=compute_type, threads=threads,
        beam_size=beam_size, vad=False if no_vad else None, vocabulary=vocabulary,
        repair=False if no_repair else None, channels=channels,
    )
    failed = 0
    for path, stem in zip(audio, _stems(audio), strict=True):
        try:
            json_path, transcript = _transcribe_one(path, out_dir, stem, options)
        except SidekickError as exc:
            if len(audio) == 1:
                raise
            failed += 1
            click.echo(f"Error: {exc}", err=True)
            continue
        if not transcript.turns:
            click.echo(f"Warning: {path.name}: no speech found; the transcript is empty",
                       err=True)
        click.echo(str(json_path))
    if failed:
        click.echo(f"{len(audio) - failed} of {len(audio)} files transcribed, {failed} failed",
                   err=True)
        ctx.exit(1)
