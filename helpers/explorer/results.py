"""The explorer's runs side by side: a table (rows, then HTML) and their curves overlaid.

Used by the training explorer in notebooks 02 and 09.
"""
from __future__ import annotations

import html
from typing import Any, Sequence

from matplotlib.figure import Figure

from helpers.explorer.runs import RunRecord
from helpers.explorer.settings import RunSettings
from helpers.live import curves_figure


def runs_table(records: Sequence[RunRecord]) -> list[dict[str, Any]]:
    """One row per run: its settings, final validation accuracy, seconds per epoch, updates.

    Args:
        records: The runs, oldest first (numbered from 1).

    Returns:
        One dict per run, the same keys in the same order for every run.
    """
    rows = []
    for i, r in enumerate(records, start=1):
        s = r.settings
        rows.append({
            "run": i, "optimizer": s.optimizer, "learning rate": s.learning_rate,
            "batch size": s.batch_size, "epochs": r.epochs_run, "val fraction": s.val_fraction,
            "final val accuracy": r.final_val_accuracy,
            "s / epoch": r.seconds_per_epoch, "updates": r.updates,
        })
    return rows


def table_html(rows: Sequence[dict[str, Any]]) -> str:
    """Render ``runs_table`` rows as a small HTML table (``""`` for no rows).

    Floats get three significant digits, ``None`` a dash, text is escaped.
    """
    if not rows:
        return ""

    def cell(value: Any) -> str:
        if value is None:
            return "–"
        return f"{value:.3g}" if isinstance(value, float) else html.escape(str(value))

    pad = 'style="padding:2px 10px;text-align:right;border-bottom:1px solid #ddd"'
    head = "".join(f"<th {pad}>{html.escape(k)}</th>" for k in rows[0])
    body = "".join("<tr>" + "".join(f"<td {pad}>{cell(v)}</td>" for v in row.values()) + "</tr>"
                   for row in rows)
    return (f'<table class="explorer-runs" style="border-collapse:collapse">'
            f"<tr>{head}</tr>{body}</table>")


def run_label(number: int, settings: RunSettings) -> str:
    """The legend label of run ``number``: its number and settings.

    >>> run_label(2, RunSettings())
    '#2 adam lr=0.001 batch=32 epochs=10'
    """
    return f"#{number} {settings.label}"


def runs_figure(records: Sequence[RunRecord], **kwargs: Any) -> Figure:
    """All runs' curves overlaid, each labelled by its settings.

    Args:
        records: The runs, oldest first; the last is drawn on top.
        **kwargs: ``metrics`` and ``figsize``, passed to ``helpers.live.curves_figure``.

    Returns:
        A ``matplotlib.figure.Figure`` (not registered with pyplot).
    """
    return curves_figure(
        [(run_label(i, r.settings), r.history) for i, r in enumerate(records, start=1)], **kwargs)
