"""Benchmark and measurements for the cloning checks and the clinic-wide audit.

    python bench/bench_cloning.py --dev            # scorer table on the dev cases
    python bench/bench_cloning.py --scorers 1000   # pairs >= 85 per scorer, generated notes
    python bench/bench_cloning.py --query 10000    # one note against 10,000 earlier notes
    python bench/bench_cloning.py --audit 10000 --audit 100000 --sample 1000

Notes are generated (template-style, about 1,500 characters, synthetic) with planted
near-duplicates: a copy of an earlier note with numbers and a few words changed. Each audit
size runs in a child process so its peak memory (ru_maxrss) is its own.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sidekick.audit import NoteIndex, brute_force_pairs  # noqa: E402
from sidekick.textmatch import normalise  # noqa: E402

EXERCISES = [
    "straight leg raise", "quad sets", "short arc quads", "heel slides", "mini squats",
    "step-ups on 4 inch step", "lateral step-downs", "bridges", "clamshells", "side-lying hip "
    "abduction", "standing hip extension", "heel raises", "toe raises", "seated knee extension",
    "hamstring curls", "wall slides", "rows", "shoulder ER", "shoulder IR", "prone Y raises",
    "scapular retraction", "wall push-ups", "bird dogs", "dead bugs", "pelvic tilts",
    "single leg stance", "tandem stance", "sit to stand", "lunges", "monster walks",
    "ankle alphabet", "calf stretch", "hamstring stretch", "chin tucks", "thoracic extension",
    "bicep curls", "wrist extension", "grip strengthening", "putty pinch", "UBE",
]
LOADS = ["", " with yellow band", " with red band", " with green band", " with blue band",
         " with 2 lb ankle weight", " with 3 lb weight", " with 5 lb dumbbell", ""]
REGIONS = ["R knee", "L knee", "R hip", "L hip", "R shoulder", "L shoulder", "low back",
           "neck", "R ankle", "L ankle", "R wrist", "L elbow"]
SUBJ = [
    "Pt reports {r} pain {p}/10 on arrival with stiffness in the morning lasting about {m} "
    "minutes.", "Pain {p}/10 today, worse after prolonged sitting and on stairs.",
    "Pt states {r} feels {f} than last visit; sleeping {s}.",
    "Reports difficulty with {act} and {act2}; using {dev} in the community.",
    "HEP completed {h} of 7 days with no increase in symptoms.",
    "Pt notes pain {p}/10 after {act}, easing with rest within {m} minutes.",
]
FEEL = ["better", "about the same", "a little stiffer", "stronger", "more stable"]
SLEEP = ["through the night", "with one waking", "poorly due to pain", "on the affected side"]
ACTS = ["stairs", "getting in and out of the car", "putting on socks", "reaching overhead",
        "carrying groceries", "kneeling", "walking to the mailbox", "lifting a laundry basket",
        "dressing", "driving", "standing to cook", "getting up from the floor"]
DEVICES = ["a single-point cane", "no assistive device", "a rolling walker", "a knee brace"]
ASSESS = [
    "Pt demonstrates improving strength and balance with decreased need for UE support.",
    "Continues to require cues to maintain alignment with single-limb tasks.",
    "Remains limited in walking distance and stair negotiation.",
    "Tolerated progression of resistance without increase in pain.",
    "ROM improving steadily; end-range stiffness persists.",
    "Pt would benefit from continued skilled PT to progress strength and reduce fall risk.",
    "Progressing toward goals; functional reach and transfers improving.",
    "Deficits in strength and endurance continue to limit community ambulation.",
]
PLAN = [
    "Continue POC {x}x/week.", "Progress strengthening and balance as tolerated.",
    "Add {e} next visit.", "HEP reviewed: {e} and {e2} daily.",
    "Reassess goals in {w} weeks.", "Goals: {act} without pain, {act2} independently.",
]
CLINICIANS = [f"Clinician {c}" for c in "ABCDEFGHIJKLMNOPQRST"]


def _fill(t: str, rnd: random.Random) -> str:
    return t.format(
        r=rnd.choice(REGIONS), p=rnd.randint(0, 8), m=rnd.choice([10, 15, 20, 30, 45]),
        f=rnd.choice(FEEL), s=rnd.choice(SLEEP), act=rnd.choice(ACTS), act2=rnd.choice(ACTS),
        dev=rnd.choice(DEVICES), h=rnd.randint(2, 7), x=rnd.choice([1, 2, 3]),
        e=rnd.choice(EXERCISES), e2=rnd.choice(EXERCISES), w=rnd.choice([2, 3, 4, 6]),
    )


def make_note(rnd: random.Random) -> str:
    subj = " ".join(_fill(t, rnd) for t in rnd.sample(SUBJ, 5))
    exs = "; ".join(
        f"{e}{rnd.choice(LOADS)} {rnd.randint(1, 3)}x{rnd.choice([8, 10, 12, 15, 20])}"
        for e in rnd.sample(EXERCISES, rnd.randint(7, 11))
    )
    obj = (f"{rnd.choice(REGIONS)} AROM flexion {rnd.randint(60, 165)} deg, extension "
           f"{rnd.randint(-10, 5)} deg. TUG {rnd.uniform(8, 20):.1f} sec. Ther ex (97110, "
           f"{rnd.randint(15, 40)} min): {exs}. Verbal and tactile cues for "
           f"{rnd.choice(['alignment', 'posture', 'pacing', 'breathing', 'weight shift'])}. "
           f"Pain {rnd.randint(0, 6)}/10 after session. Total timed minutes "
           f"{rnd.randint(23, 53)}.")
    assess = " ".join(rnd.sample(ASSESS, 4))
    plan = " ".join(_fill(t, rnd) for t in rnd.sample(PLAN, 4))
    return f"Subjective: {subj}\n\nObjective: {obj}\n\nAssessment: {assess}\n\nPlan: {plan}"


def mutate(text: str, rnd: random.Random, edits: int = 8) -> str:
    """A planted near-duplicate: ``edits`` numbers or words changed (45 edits: ratio about 88)."""
    words = text.split(" ")
    for _ in range(edits):
        k = rnd.randrange(len(words))
        w = words[k]
        if any(ch.isdigit() for ch in w):
            words[k] = "".join(str(rnd.randint(0, 9)) if ch.isdigit() else ch for ch in w)
        else:
            words[k] = rnd.choice(["today", "noted", "again", "mild", "moderate", "slight"])
    return " ".join(words)


def corpus(n: int, planted: float = 0.02, seed: int = 1):
    """n notes (text, patient, clinician) and the planted pairs (i, j) with j a copy of i."""
    rnd = random.Random(seed)
    texts: list[str] = []
    meta: list[tuple[str, str]] = []
    pairs: list[tuple[int, int]] = []
    for k in range(n):
        if texts and rnd.random() < planted:
            src = rnd.randrange(len(texts))
            texts.append(mutate(texts[src], rnd, edits=rnd.randint(4, 45)))
            same = rnd.random() < 0.5
            meta.append((meta[src][0] if same else f"P{k}", rnd.choice(CLINICIANS)))
            pairs.append((src, k))
        else:
            texts.append(make_note(rnd))
            meta.append((f"P{k}", rnd.choice(CLINICIANS)))
    return texts, meta, pairs


# --------------------------------------------------------------------------- measurements


def bench_dev() -> None:
    """Scorer table on the dev cases: every note case with history vs each prior/corpus note."""
    from sidekick.cases import index_cases, load_cases

    cases = load_cases(ROOT.parent / "shared" / "cases" / "dev")
    idx = index_cases(cases)
    scorers = {"ratio": fuzz.ratio, "token_sort": fuzz.token_sort_ratio,
               "token_set": fuzz.token_set_ratio, "WRatio": fuzz.WRatio}
    print(f"{'case':22} {'vs':22} {'relation':14} " + " ".join(f"{s:>10}" for s in scorers))
    rows = []
    for c in cases:
        for ids, rel in ((c.prior_note_ids, "same patient"), (c.corpus_note_ids, "other patient")):
            for other in ids:
                o = idx[other]
                if c.note and o.note:
                    rows.append((c.id, o.id, rel, c.note, o.note))
    for a, b, rel, ta, tb in rows:
        vals = " ".join(f"{scorers[s](ta, tb, processor=normalise):10.1f}" for s in scorers)
        print(f"{a:22} {b:22} {rel:14} {vals}")
    notes = [c for c in cases if c.note]
    planted = {frozenset(r[:2]) for r in rows if r[0] in ("dev-hipoa-r-v06", "dev-men-l-v03")}
    for name, scorer in scorers.items():
        best = max(scorer(x.note, y.note, processor=normalise)
                   for i, x in enumerate(notes) for y in notes[i + 1:]
                   if frozenset((x.id, y.id)) not in planted
                   and not {x.id, y.id} <= {"dev-hipoa-r-v06", "dev-hipoa-r-v05"}
                   and not {x.id, y.id} <= {"dev-men-l-v03", "dev-men-r-v03"})
        print(f"highest non-clone pair with {name}: {best:.1f}")


def bench_scorers(n: int) -> dict:
    """All pairs of n generated notes: how many each scorer rates >= 85 (planted ones apart)."""
    texts, _, planted = corpus(n, planted=0.0, seed=6)
    norm = [normalise(t) for t in texts]
    out: dict = {"notes": n, "pairs": n * (n - 1) // 2}
    for name, scorer in (("ratio", fuzz.ratio), ("token_set_ratio", fuzz.token_set_ratio),
                         ("token_sort_ratio", fuzz.token_sort_ratio)):
        m = process.cdist(norm, norm, scorer=scorer, processor=None, workers=-1,
                          dtype=np.uint8)
        out[f"{name}>=85"] = int((np.triu(m, k=1) >= 85).sum())
    return out


def bench_query(n: int, repeats: int = 30) -> dict:
    texts, _, _ = corpus(n + repeats, seed=2)
    rnd = random.Random(3)
    earlier, probes = texts[:n], [mutate(texts[rnd.randrange(n)], rnd) for _ in range(repeats)]
    t0 = time.perf_counter()
    index = NoteIndex()
    index.add(earlier)
    index.rows()
    build = time.perf_counter() - t0
    times, hits = [], 0
    for p in probes:
        t = time.perf_counter()
        hits += bool(index.query(p, 90.0))
        times.append((time.perf_counter() - t) * 1000)
    norm = [normalise(t) for t in earlier]
    brute = []
    for p in probes[:5]:
        t = time.perf_counter()
        process.cdist([normalise(p)], norm, scorer=fuzz.ratio, processor=None, workers=-1)
        brute.append((time.perf_counter() - t) * 1000)
    return {"earlier_notes": n, "index_build_s": round(build, 2),
            "query_median_ms": round(statistics.median(times), 2),
            "query_p95_ms": round(sorted(times)[int(0.95 * len(times))], 2),
            "planted_copies_found": f"{hits}/{repeats}",
            "brute_force_median_ms": round(statistics.median(brute), 1)}


def bench_audit(n: int, sample: int) -> dict:
    texts, _, planted = corpus(n, seed=4)
    t0 = time.perf_counter()
    index = NoteIndex()
    index.add(texts)
    t_index = time.perf_counter() - t0
    found, checked = index.near_duplicates(90.0)
    total = time.perf_counter() - t0
    flagged = {(i, j) for i, j, _ in found}
    # recall vs brute force on a sample holding planted pairs and random notes
    rnd = random.Random(5)
    chosen = set()
    for i, j in rnd.sample(planted, min(len(planted), sample // 4)):
        chosen.update((i, j))
    while len(chosen) < min(sample, n):
        chosen.add(rnd.randrange(n))
    ids = sorted(chosen)
    t1 = time.perf_counter()
    brute = brute_force_pairs([index.texts[i] for i in ids], 90.0)
    t_brute = time.perf_counter() - t1
    truth = {(ids[a], ids[b]) for a, b in brute}
    recall = len(truth & flagged) / len(truth) if truth else 1.0
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"notes": n, "index_s": round(t_index, 1), "audit_s": round(total, 1),
            "candidates_verified": checked, "pairs_flagged": len(found),
            "planted_pairs": len(planted), "peak_rss_mb": round(rss_mb),
            "sample": len(ids), "brute_pairs_in_sample": len(truth),
            "recall_vs_brute_force": round(recall, 4), "brute_force_sample_s": round(t_brute, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--dev", action="store_true")
    ap.add_argument("--query", type=int, action="append", default=[])
    ap.add_argument("--audit", type=int, action="append", default=[])
    ap.add_argument("--sample", type=int, default=1000)
    ap.add_argument("--scorers", type=int, help="all pairs of N notes: pairs >= 85 per scorer")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(bench_audit(args.child, args.sample)))
        return
    if args.dev:
        bench_dev()
    if args.scorers:
        print("scorers on template notes:", json.dumps(bench_scorers(args.scorers)))
    for n in args.query:
        print("one note vs earlier notes:", json.dumps(bench_query(n)))
    for n in args.audit:
        out = subprocess.run([sys.executable, __file__, "--child", str(n), "--sample",
                              str(args.sample)], capture_output=True, text=True, check=True)
        print("clinic audit:", out.stdout.strip())
    if not (args.dev or args.scorers or args.query or args.audit):
        ap.print_help()


if __name__ == "__main__":
    main()
