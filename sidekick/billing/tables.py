"""The billing tables: codes, payers, KX thresholds and NCCI pairs, read from data files.

The built-in tables live in ``sidekick/data/billing/`` (YAML and CSV, with their sources).
A clinic replaces the payer table with ``settings.payers_file`` (same YAML format) and the
NCCI pairs with ``settings.ncci_file`` (CMS's quarterly practitioner PTP file, see
``sidekick.billing.ncci``). Tables are read once per distinct set of files and cached.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sidekick.billing.ncci import NcciPair, NcciTable, load_builtin_pairs, load_cms_ptp_file
from sidekick.errors import ConfigError, InputError

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "billing"
CODES_FILE = DATA_DIR / "codes.yaml"
PAYERS_FILE = DATA_DIR / "payers.yaml"
KX_FILE = DATA_DIR / "kx_thresholds.yaml"

THERAPY_MODIFIER = {"PT": "GP", "OT": "GO", "SLP": "GN"}
ASSISTANT_MODIFIER = {"PTA": "CQ", "OTA": "CO"}
DISTINCT_MODIFIERS = frozenset({"59", "XE", "XS", "XP", "XU"})


class BillingFieldError(InputError):
    """A billing field cannot be used; ``at(source)`` names the file as well.

    ``str(err)`` is ``<field>: <problem>``; the CLI, which knows the file, re-raises
    ``err.at(path)`` so the user reads ``<file>: <field>: <problem>``.
    """

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem

    def at(self, source: str) -> InputError:
        return InputError(f"{source}: {self.field}: {self.problem}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CodeInfo(_Strict):
    timed: bool
    description: str
    note: str | None = None


class PayerRule(_Strict):
    method: Literal["cms", "per_code"]
    therapy_modifiers: bool = False
    assistant_modifiers: bool = False
    kx: bool = False
    requires_totals: bool = True


class _PayerTable(_Strict):
    payers: dict[str, PayerRule]
    aliases: dict[str, str] = Field(default_factory=dict)


class BillingConfig(BaseModel):
    """Every billing table one check needs (codes, payers, KX thresholds, NCCI pairs)."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    codes: dict[str, CodeInfo]
    payers: dict[str, PayerRule]
    aliases: dict[str, str] = Field(default_factory=dict)
    kx_thresholds: dict[int, float]
    ncci: NcciTable
    payers_source: str = str(PAYERS_FILE)

    def code(self, cpt: str, field: str = "cpt") -> CodeInfo:
        """The code's entry; an unknown code is a BillingFieldError naming ``field``."""
        info = self.codes.get(cpt)
        if info is None:
            raise BillingFieldError(
                field,
                f"'{cpt}' is not in the code table; use a code from "
                "sidekick/data/billing/codes.yaml",
            )
        return info

    def is_timed(self, cpt: str) -> bool:
        info = self.codes.get(cpt)
        return bool(info and info.timed)

    def payer_key(self, payer: str) -> str | None:
        if payer in self.payers:
            return payer
        key = re.sub(r"[^a-z0-9]+", "_", payer.lower()).strip("_")
        key = self.aliases.get(key, key)
        return key if key in self.payers else None

    def payer(self, payer: str, field: str = "visit.payer") -> tuple[str, PayerRule]:
        """The payer's table key and rule; an unknown payer is a BillingFieldError."""
        key = self.payer_key(payer)
        if key is None:
            known = ", ".join(sorted(self.payers))
            raise BillingFieldError(
                field,
                f"'{payer}' is not in the payer table; use one of {known}, or add it to a "
                "payers file (SIDEKICK_PAYERS_FILE)",
            )
        return key, self.payers[key]

    def kx_threshold(self, date: dt.date) -> tuple[int, float] | None:
        """(table year, threshold) for the date of service; later years use the last entry."""
        years = sorted(y for y in self.kx_thresholds if y <= date.year)
        if not years:
            return None
        return years[-1], self.kx_thresholds[years[-1]]

    def ncci_edit(self, code_a: str, code_b: str, date: dt.date) -> NcciPair | None:
        return self.ncci.edit(code_a, code_b, date)


def _read_yaml(path: Path, what: str) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: {what} file not found; check the path") from exc
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(
            f"{path}: cannot read the {what} as YAML ({exc.__class__.__name__})"
        ) from exc


def _validate(model: type[_Strict], data: Any, path: Path, what: str) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
        raise ConfigError(f"{path}: {loc}: {err['msg']}; fix the {what}") from exc


def _load_codes(path: Path) -> dict[str, CodeInfo]:
    data = _read_yaml(path, "code table")
    if not isinstance(data, dict) or not isinstance(data.get("codes"), dict):
        raise ConfigError(f"{path}: codes: missing; the code table needs a 'codes' mapping")
    out: dict[str, CodeInfo] = {}
    for code, entry in data["codes"].items():
        out[str(code).upper()] = _validate(CodeInfo, entry, path, "code table")
    return out


def load_payers(path: Path) -> _PayerTable:
    """Read a payer table (the built-in one or a clinic's ``payers_file``)."""
    table = _validate(_PayerTable, _read_yaml(path, "payer table"), path, "payer table")
    payers = {k.strip().lower(): v for k, v in table.payers.items()}
    aliases = {k.strip().lower(): v.strip().lower() for k, v in table.aliases.items()}
    for alias, target in aliases.items():
        if target not in payers:
            raise ConfigError(f"{path}: aliases.{alias}: '{target}' is not a payer in the table")
    return _PayerTable(payers=payers, aliases=aliases)


def _load_kx(path: Path) -> dict[int, float]:
    data = _read_yaml(path, "KX threshold table")
    rows = data.get("thresholds") if isinstance(data, dict) else None
    if not isinstance(rows, dict) or not rows:
        raise ConfigError(f"{path}: thresholds: missing; list year: amount pairs")
    try:
        return {int(y): float(v) for y, v in rows.items()}
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{path}: thresholds: years and amounts must be numbers") from exc


@functools.lru_cache(maxsize=8)
def _cached_config(payers_file: Path | None, ncci_file: Path | None) -> BillingConfig:
    codes = _load_codes(CODES_FILE)
    payers = load_payers(payers_file or PAYERS_FILE)
    if ncci_file is not None:
        ncci = load_cms_ptp_file(ncci_file, keep=set(codes))
    else:
        ncci = load_builtin_pairs()
    logger.debug("billing tables: %d codes, %d payers, %d NCCI pairs", len(codes),
                 len(payers.payers), len(ncci))
    return BillingConfig(
        codes=codes,
        payers=payers.payers,
        aliases=payers.aliases,
        kx_thresholds=_load_kx(KX_FILE),
        ncci=ncci,
        payers_source=str(payers_file or PAYERS_FILE),
    )


def load_config(settings: Any = None) -> BillingConfig:
    """The billing tables for these settings (built-in, or the clinic's payer / NCCI files).

    Args:
        settings: ``sidekick.config.Settings`` (``payers_file``, ``ncci_file``); None for the
            built-in tables.

    Raises:
        ConfigError: a table file is missing or malformed.
    """
    payers_file = getattr(settings, "payers_file", None)
    ncci_file = getattr(settings, "ncci_file", None)
    return _cached_config(
        Path(payers_file) if payers_file else None, Path(ncci_file) if ncci_file else None
    )


def builtin_config() -> BillingConfig:
    """The built-in tables (used when a rule context carries none)."""
    return _cached_config(None, None)
