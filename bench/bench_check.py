"""How long checking N visits takes: billing engine + every TU-* and CD-* rule.

    python bench/bench_check.py            # 10,000 synthetic visits
    python bench/bench_check.py -n 2000

Visits are synthetic and seeded (payers, disciplines, assistants, KX amounts, NCCI pairs,
duplicate and untimed lines, missing minutes), built before the clock starts. The figure is
the wall and CPU time of ``compute_units`` + building the rule context +
``run_rules(("TU", "CD"))`` (CPU time is the steadier figure on a shared machine).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time

from sidekick.billing import builtin_config, compute_units
from sidekick.models import BillingLine, Clinician, Patient, Visit, VisitRecord
from sidekick.validators import RuleContext, run_rules

TIMED = ["97110", "97112", "97116", "97140", "97530", "97535", "97035"]
UNTIMED = ["97161", "97162", "97164", "97150"]
PAYERS = ["medicare", "medicare", "commercial", "medicaid", "medicare_advantage"]


def synthetic_visit(rng: random.Random, i: int) -> VisitRecord:
    discipline = rng.choice(["PT", "PT", "PT", "OT"])
    credential = rng.choice([discipline, discipline, discipline + "A"])
    mod = "GP" if discipline == "PT" else "GO"
    lines = []
    for code in rng.sample(TIMED, rng.randint(1, 4)):
        minutes = None if rng.random() < 0.02 else rng.randint(0, 40)
        mods = [mod] if rng.random() > 0.05 else []
        mods += ["CQ" if credential == "PTA" else "CO"] if credential.endswith("A") else []
        mods += ["59"] if rng.random() < 0.2 else []
        lines.append(BillingLine(cpt=code, minutes=minutes, units=rng.randint(0, 3),
                                 modifiers=mods))
    if rng.random() < 0.15:
        lines.append(BillingLine(cpt=rng.choice(UNTIMED), minutes=30, units=rng.randint(1, 2),
                                 modifiers=[mod]))
    if rng.random() < 0.05:
        lines.append(lines[0].model_copy())
    return VisitRecord(
        id=f"bench-{i}",
        patient=Patient(id=f"P-{i}"),
        visit=Visit(
            date=dt.date(rng.choice([2024, 2025, 2026]), rng.randint(1, 12), rng.randint(1, 28)),
            discipline=discipline, payer=rng.choice(PAYERS),
            clinician=Clinician(name="Bench", credential=credential),
            session_minutes=rng.randint(30, 75), ytd_therapy_amount_usd=rng.uniform(0, 3200),
        ),
        billing=lines,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10_000, help="visits to check (default 10000)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    records = [synthetic_visit(rng, i) for i in range(args.n)]
    config = builtin_config()
    findings = 0
    start, cpu = time.perf_counter(), time.process_time()
    for record in records:
        units = compute_units(record.billing, record.visit, config)
        ctx = RuleContext(record=record, units=units, billing_config=config)
        findings += len(run_rules(ctx, ("TU", "CD")))
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"checked {args.n:,} visits (billing + TU/CD rules) in {elapsed:.3f} s wall, "
          f"{cpu:.3f} s CPU ({elapsed / args.n * 1e6:.0f} us/visit, {findings:,} findings)")


if __name__ == "__main__":
    main()
