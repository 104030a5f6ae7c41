"""The patient's history: visits, measures and pain over visits, dose progression, similarity.

Series are read from the stored notes' structured facts (``Measure``, ``Pain``, ``Exercise``);
the current draft is added as the last point, labelled as such. Manual muscle test grades are
plotted on the 0-5 scale (4- as 3.67, 4+ as 4.33); other text values (positive, negative) are
listed but not plotted.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

import streamlit as st
from matplotlib.figure import Figure

from sidekick.models import Exercise, HistoricalNote, Measure, SoapNote

_GRADE = re.compile(r"^\s*([0-5])\s*([+-])?\s*(?:/\s*5)?\s*$")
_UNIT_TITLES = {"deg": "Range of motion (deg)", "/5": "Strength (MMT, /5)", "s": "Timed tests (s)"}


def measure_value(m: Measure) -> float | None:
    """A plottable number: numbers as they are, MMT grades on the 0-5 scale, else None."""
    if isinstance(m.value, (int, float)):
        return float(m.value)
    g = _GRADE.match(str(m.value))
    if g is None:
        return None
    return int(g[1]) + {"+": 1 / 3, "-": -1 / 3, None: 0.0}[g[2]]


def _label(name: str, side: str | None) -> str:
    return f"{name} ({side[0].upper()})" if side in ("left", "right") else name


def visit_points(history: Sequence[HistoricalNote], current: SoapNote | None,
                 today: dt.date | None) -> list[tuple[str, SoapNote]]:
    """(x label, note) for each earlier visit, then the current draft."""
    points = [(str(h.date or h.note_id), h.note) for h in history]
    if current is not None:
        points.append((f"{today or 'this visit'} (draft)", current))
    return points


def measure_series(points: Sequence[tuple[str, SoapNote]]) -> dict[str, dict[str, list]]:
    """unit -> measure label -> [(x, value)] for plotting."""
    out: dict[str, dict[str, list]] = {}
    for x, note in points:
        for m in note.measures:
            value = measure_value(m)
            if value is None:
                continue
            unit = m.unit or ""
            out.setdefault(unit, {}).setdefault(_label(m.name, m.side), []).append((x, value))
    return out


def pain_series(points: Sequence[tuple[str, SoapNote]]) -> dict[str, list]:
    out: dict[str, list] = {"before": [], "after": []}
    for x, note in points:
        for when in ("before", "after"):
            value = getattr(note.pain, when)
            if value is not None:
                out[when].append((x, value))
    return out


def dose_text(ex: Exercise) -> str:
    parts = []
    if ex.sets and ex.reps:
        parts.append(f"{ex.sets}x{ex.reps}")
    elif ex.sets:
        parts.append(f"{ex.sets} sets")
    if ex.hold_s:
        parts.append(f"{ex.hold_s:g} s hold")
    if ex.duration_s:
        parts.append(f"{ex.duration_s / 60:g} min")
    if ex.load:
        parts.append(ex.load)
    return ", ".join(parts) or "no dose"


def dose_table(points: Sequence[tuple[str, SoapNote]]) -> list[dict[str, str]]:
    """One row per exercise (synonyms joined), one column per visit: the dose given."""
    from sidekick.textmatch import canonical_exercise

    rows: dict[str, dict[str, str]] = {}
    for x, note in points:
        for ex in note.exercises:
            key = _label(canonical_exercise(ex.name), ex.side)
            rows.setdefault(key, {"exercise": key})[x] = dose_text(ex)
    xs = [x for x, _ in points]
    return [{"exercise": r["exercise"], **{x: r.get(x, "") for x in xs}} for r in rows.values()]


def progress_figure(points: Sequence[tuple[str, SoapNote]]) -> Figure | None:
    """Measures (one panel per unit) and pain over the visits; None with nothing to plot."""
    measures = measure_series(points)
    pain = pain_series(points)
    panels: list[tuple[str, dict[str, list]]] = [
        (_UNIT_TITLES.get(unit, f"Measures ({unit})" if unit else "Measures"), series)
        for unit, series in sorted(measures.items())
    ]
    if pain["before"] or pain["after"]:
        panels.append(("Pain (0-10)", {f"pain {k}": v for k, v in pain.items() if v}))
    if not panels:
        return None
    xs = [x for x, _ in points]
    fig = Figure(figsize=(7.5, 2.4 * len(panels)), layout="constrained")
    axes = fig.subplots(len(panels), 1, squeeze=False)[:, 0]
    for ax, (title, series) in zip(axes, panels, strict=True):
        for label, values in series.items():
            ax.plot([xs.index(x) for x, _ in values], [v for _, v in values], marker="o",
                    label=label)
        ax.set_title(title, fontsize=10, loc="left")
        ax.set_xticks(range(len(xs)), xs, fontsize=7, rotation=20)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7, loc="best")
    return fig


@st.cache_data(max_entries=64, show_spinner=False)
def _figure_png(points: list[tuple[str, str]]) -> bytes | None:
    """The progress figure as PNG, drawn once per set of plotted values (text edits redraw none)."""
    import io

    fig = progress_figure([(x, SoapNote.model_validate_json(n)) for x, n in points])
    if fig is None:
        return None
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=110)
    return out.getvalue()


def history_panel(store: Any, patient_id: str, current: SoapNote | None, today: dt.date | None,
                  clone_threshold: float) -> None:
    """The History tab for one patient."""
    from sidekick.textmatch import note_similarity

    visits = store.list_visits(patient_id)
    history = store.patient_history(patient_id, before=today)
    st.subheader(f"Patient {patient_id}")
    if visits:
        st.dataframe([v.model_dump(exclude={"patient_id"}) for v in visits], hide_index=True,
                     width="stretch")
    else:
        st.info("No earlier visits in the history database.")
    if current is not None and history:
        previous = history[-1]
        score = note_similarity(current.text(), previous.note.text())
        st.metric("Similarity of this draft to the previous note", f"{score:.0f} / 100",
                  help=f"CL-PRIOR blocks at {clone_threshold:g} or more "
                       f"(previous note: {previous.date})")
    points = visit_points(history, current, today)
    plotted = [(x, SoapNote(measures=n.measures, pain=n.pain).model_dump_json()) for x, n in points]
    png = _figure_png(plotted)
    if png is None:
        st.info("No measures or pain scores to plot yet.")
    else:
        st.markdown("**Measures and pain over visits**")
        st.image(png)
    table = dose_table(points)
    if table:
        st.markdown("**Exercise dose progression**")
        st.dataframe(table, hide_index=True, width="stretch")
