"""Quality floors: ``--fail-under METRIC=VALUE`` and ``--fail-over METRIC=VALUE``.

METRIC is a dotted path into report.json (``exercises.f1``, ``findings.micro.f1``,
``audio.exercises.f1``). A floor is broken when the value is below it (``under``), above it
(``over``, for rates where lower is better such as ``hallucination_rate``), or missing from
the run (a metric with no value cannot pass a floor).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from eval.report import fmt, lookup
from sidekick.errors import InputError


@dataclass(frozen=True)
class Floor:
    metric: str
    bound: Literal["under", "over"]
    value: float

    def describe(self) -> str:
        return f"--fail-{self.bound} {self.metric}={self.value:g}"


def parse_floor(spec: str, bound: Literal["under", "over"]) -> Floor:
    """``METRIC=VALUE`` into a Floor; InputError naming the option when malformed."""
    metric, sep, value = spec.partition("=")
    if not sep or not metric.strip():
        raise InputError(
            f"--fail-{bound} {spec}: expected METRIC=VALUE, e.g. exercises.f1=0.85"
        )
    try:
        number = float(value)
    except ValueError as exc:
        raise InputError(
            f"--fail-{bound} {spec}: {value!r} is not a number; give e.g. {metric.strip()}=0.85"
        ) from exc
    return Floor(metric.strip(), bound, number)


def parse_floors(under: Iterable[str], over: Iterable[str]) -> list[Floor]:
    return [parse_floor(s, "under") for s in under] + [parse_floor(s, "over") for s in over]


def check_floors(report: dict[str, Any], floors: Iterable[Floor]) -> list[str]:
    """One line per broken floor (empty when all hold).

    Raises:
        InputError: a floor names a metric that report.json does not have.
    """
    broken = []
    for floor in floors:
        try:
            value = lookup(report, floor.metric)
        except KeyError as exc:
            raise InputError(
                f"{floor.describe()}: no metric {floor.metric!r} in report.json; "
                "use a dotted path such as exercises.f1 or findings.micro.f1"
            ) from exc
        if isinstance(value, dict):
            raise InputError(
                f"{floor.describe()}: {floor.metric!r} is a group, not a number; "
                f"pick one of its keys ({', '.join(sorted(value))})"
            )
        if value is None:
            broken.append(f"{floor.metric} has no value in this run ({floor.describe()})")
        elif floor.bound == "under" and value < floor.value:
            broken.append(f"{floor.metric} = {fmt(value)} is below the floor {floor.value:g}")
        elif floor.bound == "over" and value > floor.value:
            broken.append(f"{floor.metric} = {fmt(value)} is above the ceiling {floor.value:g}")
    return broken
