"""Regenerate the sample recording from its transcript (synthetic speech, no real patient).

    python samples/make_sample.py

Speaks ``sample-session.transcript.json`` with espeak-ng (``sidekick.synth``) and encodes it to
Ogg/Opus at 32 kbit/s with ffmpeg, so the committed file stays small. The visit details are
in ``sample-session.visit.json``; ``sidekick run samples/sample-session.ogg`` finds them.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

from sidekick.models import Transcript
from sidekick.synth import synthesize_dialogue

HERE = Path(__file__).resolve().parent


def main() -> None:
    transcript = Transcript.model_validate(
        json.loads((HERE / "sample-session.transcript.json").read_text(encoding="utf-8"))
    )
    with tempfile.TemporaryDirectory() as tmp:
        # Voices and rate chosen by measurement (tiny.en, default options): en-gb-x-rp for the
        # therapist and en-gb+f1 for the patient at 125 wpm gave WER 17 % and kept "degrees",
        # "mini squats" and the pain scores; en-gb/en-us+f3 at 130 gave 23 % and lost them.
        wav = synthesize_dialogue(transcript.turns, Path(tmp) / "sample.wav", pause_s=0.8,
                                  rate=125, voices=("en-gb-x-rp", "en-gb+f1"))
        subprocess.run(
            ["ffmpeg", "-y", "-loglevel", "error", "-i", str(wav), "-c:a", "libopus",
             "-b:a", "32k", "-ac", "1", str(HERE / "sample-session.ogg")],
            check=True,
        )
    print(HERE / "sample-session.ogg")


if __name__ == "__main__":
    main()
