"""Regenerate the sample recording from its transcript (synthetic speech, no real patient).

    python samples/make_sample.py

Speaks ``sample-session.transcript.json`` with espeak-ng (``sidekick.synth``) and encodes it to
Ogg/Opus at 24 kbit/s with ffmpeg, so the committed file stays small. The visit details are
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
        # en-gb speaks doses ("three sets of ten") that tiny.en hears right; en-us+m3 did not.
        wav = synthesize_dialogue(transcript.turns, Path(tmp) / "sample.wav", pause_s=0.8,
                                  rate=130, voices=("en-gb", "en-us+f3"))
        subprocess.run(
            ["ffmpeg", "-y", "-loglevel", "error", "-i", str(wav), "-c:a", "libopus",
             "-b:a", "24k", "-ac", "1", str(HERE / "sample-session.ogg")],
            check=True,
        )
    print(HERE / "sample-session.ogg")


if __name__ == "__main__":
    main()
