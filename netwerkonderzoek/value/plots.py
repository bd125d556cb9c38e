"""Figures of the value accounting: the value matrix and the partner business cases.

Each figure has several panels, laid out by matplotlib's subplots and its
constrained layout engine, and is returned as the Figure (its panels are
``fig.axes``). Every text is in the requested language, numbers included.
See :mod:`netwerkonderzoek.value` for the rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..figures import check_language, label
from ..formatting import format_number, localise_ticks
from .definition import CELLS, GROUPS

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["plot_business_case", "plot_business_cases", "plot_value_matrix"]

#: Rating scale of the appreciation survey (Dutch report marks).
SCALE = (1, 10)


def _frame(ax, colour: str, width: float) -> None:
    """Draw all four spines of ``ax`` in ``colour`` (a flagged panel)."""
    for spine in ax.spines.values():
        spine.set_visible(True)
        spine.set_edgecolor(colour)
        spine.set_linewidth(width)


def plot_value_matrix(matrix: pd.DataFrame, period: str | None = None, *, language: str = "nl"):
    """The value matrix of one period as a 3 x 2 grid of appreciation bars.

    One panel per cell (rows: the perspectives; columns: direct and
    indirect value): a bar per stakeholder group that rated it (1-10),
    *geen gegevens* / *no data* where a group did not, the mean indicator
    change in the title, and a red frame where the groups disagree. The
    panels share the rating scale.

    Parameters
    ----------
    matrix : DataFrame
        :func:`~netwerkonderzoek.value.value_matrix`.
    period : str, optional
        ``YYYY-MM``; the last period of the matrix by default.
    language : {"nl", "en"}

    Returns
    -------
    matplotlib.figure.Figure
        Its six axes are the cells in the order of
        :data:`~netwerkonderzoek.value.CELLS`.
    """
    import numpy as np

    from ..figures import NEUTRAL, STAKEHOLDER_COLOURS, new_figure

    check_language(language)
    period = period or sorted(matrix["period"].unique())[-1]
    part = matrix[matrix["period"] == period]
    fig, axes = new_figure("full-tall", nrows=3, ncols=2, sharex=True, layout="constrained")
    names = [label(g, language) for g in GROUPS]
    for ax, (perspective, form) in zip(axes.flat, CELLS, strict=True):
        cell = part[(part["perspective"] == perspective) & (part["form"] == form)]
        rated = cell[cell["row_type"] == "appreciation"].set_index("stakeholder_group")
        for y, group in enumerate(GROUPS):  # the first group at the bottom
            if group in rated.index and rated.loc[group, "appreciation_status"] == "rated":
                mark = float(rated.loc[group, "appreciation"])
                ax.barh(
                    y, mark - SCALE[0], left=SCALE[0], height=0.8, color=STAKEHOLDER_COLOURS[group]
                )
            else:
                ax.text(
                    1.2,
                    y,
                    label("no_data", language),
                    va="center",
                    color=NEUTRAL["no_data"],
                    fontsize=8,
                )
        ax.set_yticks(range(len(GROUPS)), names)
        ax.set_ylim(-0.6, len(GROUPS) - 0.4)
        ax.set_xlim(*SCALE)
        ax.set_xticks((2, 4, 6, 8, 10))
        ax.grid(axis="y", visible=False)
        title = f"{label(perspective, language)} · {label(form, language).lower()}"
        change = cell.loc[cell["row_type"] == "indicator", "change"]
        if change.notna().any():
            mean = format_number(float(np.nanmean(change)), 2, language, sign=True)
            title += f"\n{label('change', language)}: {mean}"
        ax.set_title(title, fontsize=8)
        if bool(len(cell)) and bool(cell["disagree"].iloc[0]):
            _frame(ax, NEUTRAL["flag"], 0.8)
    for ax in axes[-1]:
        ax.set_xlabel(label("rating", language))
    fig.suptitle(f"{label('value_matrix', language)} {period}", fontsize=9)
    localise_ticks(fig, language)
    return fig


def plot_business_case(case: pd.DataFrame, partner_id: str, *, language: str = "nl"):
    """One partner's business case over the waves: investment above, value below.

    Returns
    -------
    matplotlib.figure.Figure
        Two panels (hours per month above; PARTNER value and, on a second
        axis, the partner's own appreciation below).
    """
    from ..figures import KIND_COLOURS, NEUTRAL, STAKEHOLDER_COLOURS, new_figure

    check_language(language)
    rows = case[case["partner_id"] == partner_id]
    if rows.empty:
        raise KeyError(f"partner {partner_id!r} is not in the business case table")
    fig, (top, bottom) = new_figure("full", nrows=2, ncols=1, sharex=True)
    kind = rows["kind"].iloc[0]
    top.bar(rows["wave"], rows["hours_per_month"], color=KIND_COLOURS.get(kind, "#999999"))
    top.set_ylabel(label("hours_per_month", language))
    bottom.plot(rows["wave"], rows["partner_value"], marker="o", color=NEUTRAL["reference"])
    bottom.set_ylabel(label("partner_value", language))
    bottom.set_ylim(1, 4)
    right = bottom.twinx()
    right.plot(
        rows["wave"],
        rows["appreciation"],
        marker="s",
        linestyle="--",
        color=STAKEHOLDER_COLOURS["partners"],
    )
    right.set_ylabel(label("own_appreciation", language))
    right.set_ylim(1, 10)
    right.grid(False)
    bottom.set_xlabel(label("wave", language))
    bottom.set_xticks(list(rows["wave"]))
    title = f"{label('business_case', language)}: {rows['name'].iloc[0]}"
    if bool(rows["flag"].iloc[0]):
        title += f" — {label('scissors', language)}"
    top.set_title(title, color=NEUTRAL["flag"] if bool(rows["flag"].iloc[0]) else "black")
    fig.set_layout_engine("tight")  # laid out when drawn: once per save_figure
    localise_ticks(fig, language)
    return fig


def plot_business_cases(case: pd.DataFrame, *, language: str = "nl", ncols: int = 5):
    """Small multiples: per partner, hours per month, PARTNER value and own appreciation
    as an index (first wave with data = 100); flagged partners in a red frame.

    Every panel has the same scales (waves on x, the index on y; tick labels
    on the outer panels). A series whose first value is missing or zero has
    no index and is not drawn; a missing value breaks its line.

    Returns
    -------
    matplotlib.figure.Figure
        One axes per partner (its title is the partner id), in id order;
        panels beyond the last partner are switched off.
    """
    import math

    import numpy as np
    from matplotlib.lines import Line2D
    from matplotlib.ticker import MaxNLocator

    from ..figures import NEUTRAL, STAKEHOLDER_COLOURS, new_figure

    check_language(language)
    ids = sorted(case["partner_id"].unique())
    nrows = max(1, math.ceil(len(ids) / ncols))
    series = (
        ("hours_per_month", NEUTRAL["reference"], "-", "hours_per_month"),
        ("partner_value", STAKEHOLDER_COLOURS["partners"], "-", "partner_value"),
        ("appreciation", STAKEHOLDER_COLOURS["residents"], "--", "own_appreciation"),
    )
    # The index series first, then one scale for every panel. The scales are
    # set on each axes (not shared: matplotlib's shared axes update every
    # sibling's ticks, quadratic in the number of panels).
    lines: dict[str, list] = {}
    for pid in ids:
        rows = case[case["partner_id"] == pid]
        x = rows["wave"].to_numpy(dtype=float)
        lines[pid] = []
        for column, colour_, style_, _ in series:
            values = rows[column].to_numpy(dtype=float)
            known = values[~np.isnan(values)]
            if len(known) and known[0] > 0:
                lines[pid].append((x, 100 * values / known[0], colour_, style_))
    shown = [y[~np.isnan(y)] for drawn in lines.values() for _, y, _, _ in drawn]
    values = np.concatenate(shown) if shown else np.array([100.0])
    low, high = float(values.min()), float(values.max())
    if low == high:
        low, high = low - 1.0, high + 1.0
    low, high = low - 0.05 * (high - low), high + 0.05 * (high - low)
    y_ticks = [t for t in MaxNLocator(nbins=4).tick_values(low, high) if low <= t <= high]
    waves = sorted(int(w) for w in case["wave"].unique())
    x_low, x_high = (waves[0], waves[-1]) if waves else (0, 1)
    pad = 0.05 * max(x_high - x_low, 1)
    # Margins set once (no layout engine): a solver over 25 axes costs more
    # than drawing them.
    fig, axes = new_figure("full-tall", nrows=nrows, ncols=ncols, squeeze=False)
    fig.subplots_adjust(left=0.07, right=0.99, bottom=0.09, top=0.93, hspace=0.45, wspace=0.12)
    for index, ax in enumerate(axes.flat):
        if index >= len(ids):
            ax.set_axis_off()
            continue
        pid = ids[index]
        for x, y, colour_, style_ in lines[pid]:
            ax.plot(x, y, color=colour_, linestyle=style_, linewidth=1)
        ax.set_xlim(x_low - pad, x_high + pad)
        ax.set_ylim(low, high)
        ax.set_xticks(waves)
        ax.set_yticks(y_ticks)
        below = index + ncols < len(ids)  # another panel under this one
        ax.tick_params(labelsize=5, length=2, labelbottom=not below, labelleft=index % ncols == 0)
        ax.set_title(pid, fontsize=6 if len(pid) <= 22 else 5)
        if bool(case.loc[case["partner_id"] == pid, "flag"].iloc[0]):
            _frame(ax, NEUTRAL["flag"], 1.0)
    handles = [
        Line2D([], [], color=c, linestyle=s, linewidth=1, label=label(key, language))
        for _, c, s, key in series
    ]
    fig.legend(handles=handles, loc="lower center", ncols=3, fontsize=6)
    fig.suptitle(
        f"{label('business_cases', language)} — {label('index_first_wave', language)}",
        fontsize=9,
    )
    localise_ticks(fig, language)
    return fig
