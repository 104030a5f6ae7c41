"""The registry agrees with shared/reference/rule-catalog.md, family by family."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sidekick.validators import RULES

CATALOG = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "rule-catalog.md"
_ROW = re.compile(r"^\|\s*(?P<id>[A-Z]{2}-[A-Z0-9-]+)\s*\|\s*(?P<severity>block|warn)\s*\|")


def catalog_rules(text: str) -> dict[str, str]:
    """Rule id -> severity, from the catalog's markdown tables."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        match = _ROW.match(line.strip())
        if match:
            out[match["id"]] = match["severity"]
    return out


@pytest.fixture(scope="module")
def catalog() -> dict[str, str]:
    if not CATALOG.is_file():
        pytest.skip("shared/reference/rule-catalog.md is not beside the project")
    return catalog_rules(CATALOG.read_text(encoding="utf-8"))


def test_catalog_parser_reads_ids_and_severities():
    text = "| id | severity | fires when |\n| --- | --- | --- |\n| TU-UNITS | block | x |\n"
    assert catalog_rules(text) == {"TU-UNITS": "block"}


def test_catalog_holds_the_families_of_the_issue(catalog):
    families = {rule_id.split("-")[0] for rule_id in catalog}
    assert {"MN", "TU", "CD", "CL", "GR"} <= families


def test_every_registered_rule_is_in_the_catalog_with_its_severity(catalog):
    for rule_id, rule in RULES.items():
        assert rule_id in catalog, f"{rule_id} is not in the catalog"
        assert rule.severity == catalog[rule_id], rule_id


def test_every_family_with_a_rule_has_all_its_catalog_rules(catalog):
    built = {r.family for r in RULES.values()}
    for family in sorted(built):
        expected = {rid for rid in catalog if rid.split("-")[0] == family}
        got = {rid for rid in RULES if rid.split("-")[0] == family}
        assert got == expected, family


def test_time_and_coding_families_are_registered(catalog):
    assert {rid for rid in catalog if rid.startswith(("TU-", "CD-"))} <= set(RULES)


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_docstring_opens_with_its_id_and_fires_when(rule_id):
    doc = (type(RULES[rule_id]).__doc__ or "").strip()
    assert doc.startswith(f"{rule_id} fires when") or doc.startswith(f"{rule_id}:"), rule_id
