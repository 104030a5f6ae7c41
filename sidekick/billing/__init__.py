"""The billing engine: code, payer, KX and NCCI tables, and units under the 8-minute rules.

Public names::

    load_config(settings) -> BillingConfig          the tables (data files in data/billing/)
    compute_units(lines, visit, config) -> UnitsResult
    allocate_cms / allocate_per_code / check_cms_allocation / units_for_minutes
"""

from sidekick.billing.explain import bill_text, sum_text
from sidekick.billing.ncci import NcciPair, NcciTable, load_cms_ptp_file
from sidekick.billing.tables import (
    ASSISTANT_MODIFIER,
    DISTINCT_MODIFIERS,
    THERAPY_MODIFIER,
    BillingConfig,
    BillingFieldError,
    CodeInfo,
    PayerRule,
    builtin_config,
    load_config,
)
from sidekick.billing.units import (
    AllocationCheck,
    allocate_cms,
    allocate_per_code,
    billed_units,
    check_cms_allocation,
    cms_total_units,
    compute_units,
    pooled_minutes,
    units_for_minutes,
)

__all__ = [
    "ASSISTANT_MODIFIER", "DISTINCT_MODIFIERS", "THERAPY_MODIFIER", "AllocationCheck",
    "BillingConfig", "BillingFieldError", "CodeInfo", "NcciPair", "NcciTable", "PayerRule",
    "allocate_cms", "allocate_per_code", "bill_text", "billed_units", "builtin_config",
    "check_cms_allocation", "cms_total_units", "compute_units", "load_cms_ptp_file",
    "load_config", "pooled_minutes", "sum_text", "units_for_minutes",
]
