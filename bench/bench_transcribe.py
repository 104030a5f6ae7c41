"""Transcription benchmark: speed, memory and accuracy of each configuration on synthetic speech.

Sessions are synthesized with espeak-ng (two voices: therapist and patient) from the dev gold
cases' transcripts, and cached:

* ``short``: one session (about 6 minutes), 0.6 s pauses between turns;
* ``long``: several sessions back to back (about 30 minutes), keeping the silences implied by
  the turn timestamps, capped at 20 s (the quiet of exercise sets).

Each configuration runs in its own subprocess (so peak RSS is that configuration's) and the
report gives: model load time, wall time, real-time factor (audio seconds per wall second),
peak RSS, WER raw and with number words normalised to digits (jiwer), and the share of domain
key phrases (24 PT terms) recognised.

Figures measured on the shared 2-core machine under load (load average 8-11 from other jobs,
so wall times and "x RT" are pessimistic; "cpu s" is the process's own CPU time), espeak-ng
speech, tiny.en int8, beam 1 unless named. WER "norm" maps number words to digits.

short (6.4 min dialogue, 0.6 s pauses)::

    config      cpu s  x RT  RSS MB  WER raw  WER norm  key phrases
    default      13.6  14.1     411    17.2%     17.0%     18/22
    no-repair    13.3  12.9     393    18.4%     18.2%     17/22
    digits       13.8   8.6     391    22.3%     18.9%     15/22   (digit tokens allowed)
    prompt       10.2  10.7     360    38.2%     38.2%     18/22   (initial_prompt of terms)
    hotwords      9.5  13.8     395    39.7%     39.7%     11/22
    beam5        16.1   6.9     398    16.2%     16.0%     16/22
    no-vad       11.0  11.0     328    16.5%     16.4%     14/22
    cond-prev    12.7   9.4     368    19.4%     19.5%     17/22
    block240     11.4  10.1     538    17.0%     17.0%     16/22
    base         23.7   5.5     456    13.6%     13.7%     20/22   (embedded-base)
    base-hotw    44.7   3.2     531    21.2%     21.4%     22/22

long (29.6 min, silences of sets kept up to 20 s)::

    default      26.4  42.6     414    19.0%     19.0%     28/38   (67x audio per CPU second)
    no-repair    26.6  23.5     371    19.8%     19.8%     23/38
    no-vad       59.6   8.6     366    26.3%     26.4%     18/38
    base         44.6  12.3     438    15.9%     16.1%     29/38

(default rows are from the final code, no-repair and base from the run before the last
repair-pass changes; the other rows from an earlier run: the later changes only touch repaired
text.)

Usage (from the repo root)::

    python bench/bench_transcribe.py                       # short session, main configs
    python bench/bench_transcribe.py --session long --configs default,no-vad
    python bench/bench_transcribe.py --list                # the configurations
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CASES = REPO.parent / "shared" / "cases" / "dev"
CACHE = Path.home() / ".cache" / "sidekick" / "bench"

CONFIGS: dict[str, dict] = {
    "default": {},
    "no-repair": {"repair": False},
    "no-vad": {"vad": False},
    "prompt": {"vocabulary": "prompt"},
    "hotwords": {"vocabulary": "hotwords"},
    "beam5": {"beam_size": 5},
    "condition-prev": {"condition_on_previous_text": True},
    "digits": {"numbers": "digits"},
    "threads2": {"threads": 2},
    "block60": {"block_s": 60},
    "block240": {"block_s": 240},
    "base": {"model": "embedded-base"},
    "base-hotwords": {"model": "embedded-base", "vocabulary": "hotwords"},
}
SESSIONS = {
    "short": {"cases": ["dev-tka-l-v03"], "max_pause_s": None},
    "long": {"cases": ["dev-tka-l-v03", "dev-men-l-v03", "dev-koa-bil-v06", "dev-hipoa-r-v05",
                       "dev-pfp-r-v02", "dev-tha-r-v04", "dev-tka-l-v11", "dev-rcr-r-v21",
                       "dev-ankle-r-v03", "dev-glut-l-v05"],
             "max_pause_s": 20.0, "target_s": 1800.0},
}
KEY_PHRASES = (
    "quad sets", "heel slides", "straight leg raise", "long arc quad", "terminal knee extension",
    "mini squat", "step up", "clamshell", "bridge", "hamstring", "heel raise", "sit to stand",
    "external rotation", "internal rotation", "scaption", "abduction", "dorsiflexion",
    "flexion", "extension", "thigh", "quad", "glute", "band", "balance", "foam", "lunge",
)

_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * (i + 2) for i, w in enumerate(
    "twenty thirty forty fifty sixty seventy eighty ninety".split())}


def normalise(text: str, numbers: bool = False) -> str:
    """Lower case, no punctuation; with ``numbers``, number words become digits."""
    text = text.lower().replace("-", " ").replace("%", " percent")
    text = re.sub(r"[^a-z0-9' ]", " ", text)
    words = [{"ok": "okay"}.get(w, w) for w in text.split()]
    return " ".join(_digits(words) if numbers else words)


def _digits(words: list[str]) -> list[str]:
    out: list[str] = []
    value: int | None = None
    for w in words + [""]:
        if w in _TENS and (value is None or value % 100 == 0):
            value = (value or 0) + _TENS[w]
        elif w in _UNITS and (value is None or (value % 100 >= 20 and value % 10 == 0)
                              or (value % 100 == 0 and value)):
            value = (value or 0) + _UNITS[w]
        elif w == "hundred" and value is not None and value < 10:
            value *= 100
        else:
            if value is not None:
                out.append(str(value))
                value = None
            if w in _UNITS or w in _TENS:
                value = _UNITS.get(w, _TENS.get(w))
            elif w:
                out.append(w)
    return out


def key_phrase_share(ref: str, hyp: str) -> tuple[int, int]:
    """(phrases recognised, phrases said): occurrences, plural-insensitive, capped per phrase."""
    found = said = 0
    for phrase in KEY_PHRASES:
        stem = phrase[:-1] if phrase.endswith("s") else phrase
        pattern = rf"\b{stem.replace(' ', ' ?')}s?\b"
        n_ref = len(re.findall(pattern, ref))
        said += n_ref
        found += min(n_ref, len(re.findall(pattern, hyp)))
    return found, said


def _load_turns(case_ids: list[str]):
    from sidekick.models import Turn

    turns, offset = [], 0.0
    for cid in case_ids:
        data = json.loads((CASES / f"{cid}.json").read_text())
        for t in data["transcript"]:
            turns.append(Turn(speaker=t["speaker"], start=offset + t["start"], text=t["text"]))
        offset = turns[-1].start + 30.0
    return turns


def build_session(name: str) -> tuple[Path, str]:
    """Synthesize (or reuse) a session; return its WAV and reference text."""
    from sidekick.synth import synthesize_dialogue

    spec = SESSIONS[name]
    wav, ref = CACHE / f"{name}.wav", CACHE / f"{name}.ref.txt"
    if not wav.exists():
        turns = _load_turns(spec["cases"])
        if spec.get("target_s"):
            turns = _trim(turns, spec)
        synthesize_dialogue(turns, wav, max_pause_s=spec["max_pause_s"])
        ref.write_text("\n".join(t.text for t in turns))
    return wav, ref.read_text()


def _trim(turns, spec):
    """Keep whole turns until the synthesized length would pass the target (estimate)."""
    kept, est = [], 0.0
    for i, t in enumerate(turns):
        speech = len(t.text.split()) / 2.6  # ~ seconds at 165 wpm incl. pauses
        nxt = turns[i + 1].start if i + 1 < len(turns) else t.start
        est += speech + min(max(nxt - t.start - speech, 0.6), spec["max_pause_s"])
        kept.append(t)
        if est >= spec["target_s"]:
            break
    return kept


def worker(config: str, wav: str) -> None:
    """Run one configuration in this process and print its figures as JSON."""
    import resource

    from sidekick.transcribe import TranscribeOptions, load_model, transcribe

    opts = TranscribeOptions(**CONFIGS[config])
    t0 = time.perf_counter()
    load_model(opts)
    load_s = time.perf_counter() - t0
    before = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    tr = transcribe(Path(wav), opts)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    print(json.dumps({"load_s": load_s, "wall_s": wall, "cpu_s": cpu, "audio_s": tr.duration_s,
                      "rss_mb": after.ru_maxrss / 1024, "text": tr.text()}))


def run(config: str, wav: Path, ref: str) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--worker", config, str(wav)],
                          capture_output=True, text=True, timeout=3600)
    if proc.returncode:
        return {"config": config, "error": proc.stderr.strip().splitlines()[-1:]}
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    import jiwer

    hyp = res["text"]
    res["wer_raw"] = jiwer.wer(normalise(ref), normalise(hyp))
    res["wer_norm"] = jiwer.wer(normalise(ref, True), normalise(hyp, True))
    res["keys_found"], res["keys_said"] = key_phrase_share(normalise(ref), normalise(hyp))
    res["config"] = config
    res["rtf"] = res["audio_s"] / res["wall_s"]
    return res


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--session", choices=sorted(SESSIONS), default="short")
    ap.add_argument("--configs", default="default,no-repair,prompt,hotwords")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--json", type=Path, help="also write the results here")
    ap.add_argument("--worker", nargs=2, metavar=("CONFIG", "WAV"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(*args.worker)
        return 0
    if args.list:
        for name, cfg in CONFIGS.items():
            print(f"{name:15} {cfg}")
        return 0
    wav, ref = build_session(args.session)
    print(f"session {args.session}: {wav}", file=sys.stderr)
    header = f"{'config':15} {'load s':>6} {'wall s':>7} {'cpu s':>6} {'audio s':>7} {'x RT':>6} " \
             f"{'RSS MB':>7} {'WER raw':>8} {'WER norm':>8} {'key phrases':>11}"
    print(header)
    results = []
    for config in args.configs.split(","):
        res = run(config, wav, ref)
        results.append(res)
        if "error" in res:
            print(f"{config:15} failed: {res['error']}")
            continue
        print(f"{config:15} {res['load_s']:6.2f} {res['wall_s']:7.1f} {res['cpu_s']:6.1f} "
              f"{res['audio_s']:7.0f} "
              f"{res['rtf']:6.1f} {res['rss_mb']:7.0f} {res['wer_raw']:8.1%} "
              f"{res['wer_norm']:8.1%} {res['keys_found']:>5}/{res['keys_said']:<5}", flush=True)
    if args.json:  # with each configuration's transcript text, for error analysis
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
