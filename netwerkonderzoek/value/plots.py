"""Figures of the value accounting: the value matrix and the partner business cases.

See :mod:`netwerkonderzoek.value` for the rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..figures import check_language, label

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd

from .definition import CELLS, GROUPS
from .matrix import signed_number

__all__ = ["plot_business_case", "plot_business_cases", "plot_value_matrix"]


def plot_value_matrix(matrix: pd.DataFrame, period: str | None = None, language: str = "nl"):
    """The value matrix of one period as a 3 x 2 grid of appreciation bars.

    Each panel is a cell: bars for the groups that rated it (1-10), the words
    *geen gegevens* / *no data* where a group did not, the mean indicator
    change in the title and a red frame where the groups disagree. The panels
    share one scale and are drawn in one axes (frames, grid lines, bars and
    labels placed by hand), not as an axes each, which draws in about half
    the time.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.panels`` maps each cell ``(perspective, form)`` to its panel's
        frame (a rectangle in axes coordinates, red where the groups
        disagree); ``fig.alt`` is the text alternative naming the panels.
    """
    import numpy as np
    from matplotlib.collections import LineCollection
    from matplotlib.patches import Rectangle

    from ..figures import NEUTRAL, STAKEHOLDER_COLOURS, new_figure

    check_language(language)
    period = period or sorted(matrix["period"].unique())[-1]
    part = matrix[matrix["period"] == period]
    fig, ax = new_figure("full-tall")
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    # Per column: room for the group names, then the panel; rows of a third.
    label_width, gap = 0.13, 0.03
    width = (1 - 2 * label_width - gap) / 2
    gap_top, gap_bottom, tick = 0.075, 0.045, 0.008
    ticks = (2, 4, 6, 8, 10)
    names = [label(g, language) for g in GROUPS]
    frames: dict[tuple[str, str], Rectangle] = {}
    grid, spines, titles = [], [], []
    bars: dict[str, list] = {"y": [], "width": [], "left": [], "colour": []}
    for index, (perspective, form) in enumerate(CELLS):
        row, col = divmod(index, 2)
        x0 = label_width + col * (width + label_width + gap)
        x1 = x0 + width
        y0, y1 = 1 - (row + 1) / 3 + gap_bottom, 1 - row / 3 - gap_top
        step = (y1 - y0) / len(GROUPS)

        def x_of(rating, x0=x0, x1=x1):
            return x0 + (rating - 1) / 9 * (x1 - x0)

        cell = part[(part["perspective"] == perspective) & (part["form"] == form)]
        rated = cell[cell["row_type"] == "appreciation"].set_index("stakeholder_group")
        for y_index, group in enumerate(GROUPS):  # the first group at the bottom
            y = y0 + (y_index + 0.5) * step
            ax.text(x0 - tick - 0.004, y, names[y_index], ha="right", va="center", fontsize=7)
            spines.append([(x0 - tick, y), (x0, y)])
            if group in rated.index and rated.loc[group, "appreciation_status"] == "rated":
                bars["y"].append(y)
                bars["left"].append(x0)
                bars["width"].append(x_of(float(rated.loc[group, "appreciation"])) - x0)
                bars["colour"].append(STAKEHOLDER_COLOURS[group])
            else:
                ax.text(
                    x_of(1.2),
                    y,
                    label("no_data", language),
                    va="center",
                    color=NEUTRAL["no_data"],
                    fontsize=8,
                )
        for value_ in ticks:
            grid.append([(x_of(value_), y0), (x_of(value_), y1)])
            spines.append([(x_of(value_), y0 - tick), (x_of(value_), y0)])
            if row == 2:
                ax.text(
                    x_of(value_), y0 - tick - 0.004, f"{value_}", ha="center", va="top", fontsize=7
                )
        if row == 2:
            ax.text(
                (x0 + x1) / 2,
                y0 - 0.032,
                label("rating", language),
                ha="center",
                va="top",
                fontsize=8,
            )
        change = cell.loc[cell["row_type"] == "indicator", "change"]
        title = f"{label(perspective, language)} · {label(form, language).lower()}"
        titles.append(title)
        if change.notna().any():
            title += f"\n{label('change', language)}: {signed_number(float(np.nanmean(change)), language, 2)}"
        ax.text((x0 + x1) / 2, y1 + 0.008, title, ha="center", va="bottom", fontsize=8)
        disagree = bool(len(cell)) and bool(cell["disagree"].iloc[0])
        frame = Rectangle(
            (x0, y0),
            x1 - x0,
            y1 - y0,
            fill=False,
            edgecolor=NEUTRAL["flag"] if disagree else "none",
            linewidth=0.8,
            zorder=3,
        )
        ax.add_patch(frame)
        frames[(perspective, form)] = frame
        if not disagree:  # the house style's left and bottom spines
            spines += [[(x0, y0), (x0, y1)], [(x0, y0), (x1, y0)]]
    ax.add_collection(LineCollection(grid, colors="#dddddd", linewidths=0.5, zorder=1))
    ax.add_collection(LineCollection(spines, colors="black", linewidths=0.8, zorder=3))
    height = 0.8 * (1 / 3 - gap_top - gap_bottom) / len(GROUPS)
    ax.barh(bars["y"], bars["width"], left=bars["left"], height=height, color=bars["colour"])
    suptitle = f"{label('value_matrix', language)} {period}"
    fig.suptitle(suptitle, fontsize=9)
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.02, top=0.95)
    fig.panels = frames
    fig.alt = f"{suptitle}: " + "; ".join(titles)
    return fig


def plot_business_case(case: pd.DataFrame, partner_id: str, language: str = "nl"):
    """One partner's business case over the waves: investment above, value below.

    Returns
    -------
    matplotlib.figure.Figure
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
    return fig


def plot_business_cases(case: pd.DataFrame, language: str = "nl", ncols: int = 5):
    """Small multiples: per partner, hours per month, PARTNER value and own appreciation
    as an index (first wave with data = 100); flagged partners in a red frame.

    Every panel has the same scale (waves on x, the index on y, tick labels
    on the outer panels). The panels are drawn in one axes (frames, grid
    lines, series and labels placed by hand), not as an axes each: the 25
    partners of a network then draw in a fraction of the time.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.panels`` maps each partner id to its panel's frame (a
        rectangle in axes coordinates), for tests and annotation.
    """
    import math

    import numpy as np
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle
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
    # Index series per partner and series, then one scale for all panels.
    lines: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}
    for pid in ids:
        rows = case[case["partner_id"] == pid]
        waves = rows["wave"].to_numpy(dtype=float)
        for column, *_ in series:
            values = rows[column].to_numpy(dtype=float)
            known = values[~np.isnan(values)]
            if len(known) and known[0] > 0:
                lines[(pid, column)] = (waves, 100 * values / known[0])
    shown = [v[~np.isnan(v)] for _, v in lines.values()]
    values = np.concatenate(shown) if shown else np.array([100.0])
    low, high = float(values.min()), float(values.max())
    if low == high:
        low, high = low - 1.0, high + 1.0
    low, high = low - 0.05 * (high - low), high + 0.05 * (high - low)
    y_ticks = [t for t in MaxNLocator(nbins=4).tick_values(low, high) if low <= t <= high]
    x_ticks = sorted(float(w) for w in case["wave"].unique())
    x_low, x_high = (x_ticks[0], x_ticks[-1]) if x_ticks else (0.0, 1.0)
    x_pad = 0.05 * max(x_high - x_low, 1.0)
    x_low, x_high = x_low - x_pad, x_high + x_pad

    fig, ax = new_figure("full-tall")
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    left, right, bottom, top = 0.05, 1.0, 0.0, 1.0
    width, height = (right - left) / ncols, (top - bottom) / nrows
    gap_x, gap_top, gap_bottom = 0.012, 0.035, 0.025
    frames: dict[str, object] = {}
    grid: list = []
    drawn: dict[str, list] = {column: [] for column, *_ in series}
    for index, pid in enumerate(ids):
        row, col = divmod(index, ncols)
        x0, x1 = left + col * width + gap_x, left + (col + 1) * width - gap_x
        y0, y1 = top - (row + 1) * height + gap_bottom, top - row * height - gap_top

        def place(x, y, x0=x0, x1=x1, y0=y0, y1=y1):
            return (
                x0 + (np.asarray(x, dtype=float) - x_low) / (x_high - x_low) * (x1 - x0),
                y0 + (np.asarray(y, dtype=float) - low) / (high - low) * (y1 - y0),
            )

        flagged = bool(case.loc[case["partner_id"] == pid, "flag"].iloc[0])
        frame = Rectangle(
            (x0, y0),
            x1 - x0,
            y1 - y0,
            fill=False,
            edgecolor=NEUTRAL["flag"] if flagged else "#cccccc",
            linewidth=1.0 if flagged else 0.5,
            zorder=3,
        )
        ax.add_patch(frame)
        frames[pid] = frame
        ax.text(
            (x0 + x1) / 2,
            y1 + 0.004,
            pid,
            ha="center",
            va="bottom",
            fontsize=6 if len(pid) <= 22 else 5,  # long ids stay within their panel
        )
        for tick in y_ticks:
            y = float(place(x_low, tick)[1])
            grid.append([(x0, y), (x1, y)])
            if col == 0:
                ax.text(x0 - 0.006, y, f"{tick:g}", ha="right", va="center", fontsize=5)
        if index + ncols >= len(ids):  # no panel below: the wave numbers
            for wave in x_ticks:
                x = float(place(wave, low)[0])
                ax.text(x, y0 - 0.006, f"{wave:g}", ha="center", va="top", fontsize=5)
        for column, *_ in series:
            if (pid, column) not in lines:
                continue
            px, py = place(*lines[(pid, column)])
            known = np.flatnonzero(~np.isnan(py))
            # A missing value breaks the line, as a plot of the series does.
            for run in np.split(known, np.flatnonzero(np.diff(known) > 1) + 1):
                if len(run) > 1:
                    drawn[column].append(np.column_stack([px[run], py[run]]))
    ax.add_collection(LineCollection(grid, colors="#dddddd", linewidths=0.5, zorder=1))
    handles = []
    for column, colour_, style_, key in series:
        ax.add_collection(
            LineCollection(
                drawn[column], colors=colour_, linestyles=style_, linewidths=1, zorder=2
            )
        )
        handles.append(
            Line2D(
                [], [], color=colour_, linestyle=style_, linewidth=1, label=label(key, language)
            )
        )
    fig.legend(handles=handles, loc="lower center", ncols=3, fontsize=6)
    fig.suptitle(
        f"{label('business_cases', language)} — {label('index_first_wave', language)}",
        fontsize=9,
    )
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.07, top=0.94)
    fig.panels = frames
    return fig
