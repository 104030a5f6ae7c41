"""Stage 3: the rule registry.

``@rule`` is the only way to register a rule; it instantiates the class and refuses a second
rule with the same id. Family modules (``time_units``, ``coding``, ``necessity``,
``grounding``, ``cloning``) register their rules on import.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging

from sidekick.models import Finding
from sidekick.validators.base import Rule, RuleContext, RuleOptions

logger = logging.getLogger(__name__)

#: Bumped whenever a rule's logic changes, so reports and signed notes say which rules ran.
RULE_SET_VERSION = "catalog-v1/rules-1"

RULES: dict[str, Rule] = {}

FAMILY_MODULES = ("time_units", "coding", "necessity", "grounding", "cloning")


def rule(cls: type[Rule]) -> type[Rule]:
    """Register a rule class (decorator). Duplicate ids are a programming error."""
    if cls.id in RULES:
        raise ValueError(f"rule id {cls.id} registered twice")
    RULES[cls.id] = cls()
    return cls


def run_rules(ctx: RuleContext, families: tuple[str, ...] | None = None) -> list[Finding]:
    """Run every registered rule (or those of ``families``) and return their findings.

    Findings come back in catalog-family order, blocking ones first within a family.
    """
    findings: list[Finding] = []
    for rule_id, r in RULES.items():
        if families and r.family not in families:
            continue
        found = list(r.check(ctx))
        if found:
            logger.debug("rule %s: %d finding(s)", rule_id, len(found))
        findings.extend(found)
    findings.sort(key=lambda f: (f.severity != "block",))
    return findings


def _load_families() -> None:
    for name in FAMILY_MODULES:
        full = f"{__name__}.{name}"
        if importlib.util.find_spec(full) is not None:
            importlib.import_module(full)


_load_families()

__all__ = ["RULES", "RULE_SET_VERSION", "Rule", "RuleContext", "RuleOptions", "rule", "run_rules"]
