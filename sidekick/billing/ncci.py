"""NCCI procedure-to-procedure (PTP) pairs: the built-in table, or CMS's quarterly file.

The built-in table (``sidekick/data/billing/ncci_pairs.csv``) holds the small set of
well-established therapy pairs from ``shared/reference/billing-rules.md`` 5a; pairs whose
column order is not established carry ``order_known=false`` (a distinct-service modifier on
either line then satisfies the edit). Unconfirmed pairs (5b, and 97530/97535) are left out.

``settings.ncci_file`` replaces it with CMS's practitioner PTP edit file, as CSV or
tab-separated text. What is accepted:

* CMS's column layout, by position: column 1, column 2, "in existence prior to 1996" flag,
  effective date, deletion date (``*`` or empty = none), modifier indicator (0 = never
  together, 1 = allowed with 59/XE/XS/XP/XU, 9 = not applicable), rationale. Dates are
  ``YYYYMMDD`` or ``YYYY-MM-DD``.
* Or any file with a header row naming the columns (``column 1``/``column_1``,
  ``column 2``, ``effective``, ``deletion``, ``modifier``).
* Title, copyright and header lines are skipped: a data row starts with two 5-character codes.

Only pairs whose two codes are both in the code table are kept (the CMS file holds about a
million pairs, nearly all outside therapy). In CMS's file the column order is always known.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from sidekick.errors import ConfigError

logger = logging.getLogger(__name__)

BUILTIN_FILE = Path(__file__).resolve().parent.parent / "data" / "billing" / "ncci_pairs.csv"
_CODE = re.compile(r"^[0-9A-Z]\d{3}[0-9A-Z]$")


class NcciPair(BaseModel):
    """One PTP edit: the column-2 code is denied with column 1 unless a modifier is allowed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    column_1: str
    column_2: str
    effective: dt.date | None = None
    deleted: dt.date | None = None
    modifier_indicator: Literal["0", "1", "9"]
    order_known: bool = True
    source: str = ""

    def active_on(self, date: dt.date) -> bool:
        if self.modifier_indicator == "9":
            return False
        if self.effective and date < self.effective:
            return False
        return not (self.deleted and date >= self.deleted)


class NcciTable:
    """PTP pairs indexed by (column 1, column 2) for fast same-day lookups."""

    def __init__(self, pairs: list[NcciPair], source: str) -> None:
        self.source = source
        self._by_pair: dict[tuple[str, str], list[NcciPair]] = {}
        for pair in pairs:
            self._by_pair.setdefault((pair.column_1, pair.column_2), []).append(pair)

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_pair.values())

    def edit(self, code_a: str, code_b: str, date: dt.date) -> NcciPair | None:
        """The edit active on ``date`` between two codes (either column order), if any."""
        for key in ((code_a, code_b), (code_b, code_a)):
            for pair in self._by_pair.get(key, ()):
                if pair.active_on(date):
                    return pair
        return None


def _date(text: str, path: Path, line: int) -> dt.date | None:
    text = text.strip()
    if not text or text == "*":
        return None
    for fmt in ("%Y%m%d", "%Y-%m-%d", "%m/%d/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ConfigError(f"{path}: line {line}: '{text}' is not a date (use YYYYMMDD)")


def _columns(header: list[str]) -> dict[str, int] | None:
    """Column positions from a header row, or None when the row is not a header."""
    names = [re.sub(r"[\s_]+", " ", h.strip().lower()) for h in header]
    found: dict[str, int] = {}
    for i, name in enumerate(names):
        if name.startswith("column 1") or name == "column1":
            found.setdefault("col1", i)
        elif name.startswith("column 2") or name == "column2":
            found.setdefault("col2", i)
        elif name.startswith("effective"):
            found.setdefault("eff", i)
        elif name.startswith("deletion"):
            found.setdefault("del", i)
        elif name.startswith("modifier"):
            found.setdefault("mod", i)
        elif name.startswith("order known"):
            found.setdefault("order", i)
        elif name == "source":
            found.setdefault("src", i)
    return found if {"col1", "col2", "mod"} <= set(found) else None


_CMS_LAYOUT = {"col1": 0, "col2": 1, "eff": 3, "del": 4, "mod": 5}


def _rows(text: str) -> list[list[str]]:
    sample = "\n".join(text.splitlines()[:50])
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _parse(text: str, path: Path, keep: set[str] | None) -> list[NcciPair]:
    cols = dict(_CMS_LAYOUT)
    pairs: list[NcciPair] = []
    for line, row in enumerate(_rows(text), start=1):
        cells = [c.strip().upper() for c in row]
        if len(cells) < 2 or not (_CODE.match(cells[0]) and _CODE.match(cells[1])):
            header = _columns(row)
            if header:
                cols = header
            continue
        if keep is not None and not (cells[0] in keep and cells[1] in keep):
            continue
        pairs.append(_pair(cells, cols, path, line))
    return pairs


def _pair(cells: list[str], cols: dict[str, int], path: Path, line: int) -> NcciPair:
    def cell(key: str) -> str:
        i = cols.get(key)
        return cells[i] if i is not None and i < len(cells) else ""

    indicator = cell("mod")[:1]
    if indicator not in ("0", "1", "9"):
        raise ConfigError(
            f"{path}: line {line}: modifier indicator '{cell('mod')}' must be 0, 1 or 9"
        )
    order = cell("order").lower()
    return NcciPair(
        column_1=cell("col1"),
        column_2=cell("col2"),
        effective=_date(cell("eff"), path, line),
        deleted=_date(cell("del"), path, line),
        modifier_indicator=indicator,  # type: ignore[arg-type]
        order_known=order not in ("false", "no", "0"),
        source=cell("src"),
    )


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig", errors="replace")
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: NCCI file not found; check SIDEKICK_NCCI_FILE") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the NCCI file ({exc.__class__.__name__})") from exc


def load_builtin_pairs() -> NcciTable:
    """The built-in table of well-established therapy pairs."""
    return NcciTable(_parse(_read(BUILTIN_FILE), BUILTIN_FILE, None), str(BUILTIN_FILE))


def load_cms_ptp_file(path: Path, keep: set[str] | None = None) -> NcciTable:
    """Read a CMS quarterly practitioner PTP file (CSV or tab-separated).

    Args:
        path: the file.
        keep: codes to keep (pairs with a code outside it are dropped); None keeps all.

    Raises:
        ConfigError: unreadable file, bad date or modifier indicator, or no pairs at all.
    """
    pairs = _parse(_read(path), path, keep)
    if not pairs:
        logger.warning("NCCI file holds no pairs among the known codes")
    return NcciTable(pairs, str(path))
