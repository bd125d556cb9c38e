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

    Examples
    --------
    The matrix of the :func:`~netwerkonderzoek.value.value_matrix` example:
    in the first panel, bars for residents (5) and partners (8) from the
    scale's 1, *no data* for the funders, the change in the title.

    >>> import matplotlib.pyplot as plt
    >>> from netwerkonderzoek.value import value_matrix
    >>> import pandas as pd
    >>> from netwerkonderzoek.config import NetworkConfig
    >>> config = NetworkConfig.model_validate({"network_id": "x", "name": "X",
    ...     "mission": "m", "task": "t", "study": {"start": "2024-01", "end": "2024-12",
    ...     "waves": [{"wave": 1, "date": "2024-06-01"}]},
    ...     "indicators": [{"id": "a", "label_nl": "Overlast", "label_en": "Nuisance",
    ...                     "unit": "n", "perspective": "societal", "form": "direct",
    ...                     "direction": "decrease"}]})
    >>> rows = pd.DataFrame({"indicator_id": "a", "area": "z",
    ...     "period": [f"2024-0{m}" for m in range(1, 7)], "value": [9., 10, 11, 6, 7, 8]})
    >>> ratings = pd.DataFrame({"period": "2024-06", "perspective": "societal",
    ...     "form": "direct", "stakeholder_group": ["residents"] * 3 + ["partners"] * 3,
    ...     "rating": [4, 5, 6, 7, 8, 9]})
    >>> fig = plot_value_matrix(value_matrix(rows, ratings, config), language="en")
    >>> first = fig.axes[0]
    >>> len(fig.axes), fig.get_suptitle()
    (6, 'Value matrix 2024-06')
    >>> print(first.get_title())
    Societal value · direct
    Change since baseline: +3.00
    >>> [float(b.get_x() + b.get_width()) for b in first.patches]  # where the bars end
    [5.0, 8.0]
    >>> [t.get_text() for t in first.texts]
    ['no data']
    >>> plt.close("all")
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

    Parameters
    ----------
    case : DataFrame
        :func:`~netwerkonderzoek.value.business_case`.
    partner_id : str
        The partner to draw.
    language : {"nl", "en"}

    Returns
    -------
    matplotlib.figure.Figure
        Two panels (hours per month above; PARTNER value and, on a second
        axis, the partner's own appreciation below).

    Raises
    ------
    KeyError
        If ``partner_id`` is not in ``case``.

    Examples
    --------
    Partner a of the :func:`~netwerkonderzoek.value.business_case` example
    is flagged: the title says so.

    >>> import matplotlib.pyplot as plt
    >>> from netwerkonderzoek.value import business_case
    >>> import pandas as pd
    >>> from types import SimpleNamespace
    >>> from netwerkonderzoek.config import NetworkConfig
    >>> config = NetworkConfig.model_validate({"network_id": "x", "name": "X",
    ...     "mission": "m", "task": "t", "study": {"start": "2024-01", "end": "2024-12",
    ...     "waves": [{"wave": w, "date": f"2024-0{w}-15"} for w in (1, 2, 3)]},
    ...     "indicators": [{"id": "i", "label_nl": "I", "label_en": "I", "unit": "n",
    ...                     "perspective": "societal", "form": "direct",
    ...                     "direction": "decrease"}]})
    >>> partners = pd.DataFrame({"partner_id": ["a", "b"], "name": ["A", "B"],
    ...     "kind": "welfare", "joined": pd.Timestamp("2023-01-01"), "left": pd.NaT})
    >>> contributions = pd.DataFrame({"partner_id": ["a"] * 3 + ["b"] * 3,
    ...     "period": ["2024-01", "2024-02", "2024-03"] * 2,
    ...     "hours": [10.0, 12, 15, 6, 5, 4], "costs_eur": 0.0})
    >>> ties = pd.DataFrame({"wave": [1, 2, 3] * 2, "source": ["b"] * 3 + ["a"] * 3,
    ...     "target": ["a"] * 3 + ["b"] * 3, "tie_type": "information", "weight": 1.0,
    ...     "reliability": 3, "mission_support": 3, "open_discussion": 3,
    ...     "power_influence": [4, 3, 2, 2, 3, 3], "involvement": [4, 3, 2, 2, 3, 3],
    ...     "resource_contribution": [4, 3, 2, 2, 3, 3]})
    >>> data = SimpleNamespace(partners=partners, contributions=contributions, ties=ties,
    ...     indicators=pd.DataFrame(columns=["indicator_id", "period", "area", "value"]))
    >>> case = business_case(data, config)
    >>> fig = plot_business_case(case, "a", language="en")
    >>> fig.axes[0].get_title()
    'Partner business case: A — Investment rises, value falls'
    >>> [ax.get_ylabel() for ax in fig.axes]
    ['Hours per month', 'Value attributed by partners (1-4)', 'Own appreciation (1-10)']
    >>> plot_business_case(case, "c")
    Traceback (most recent call last):
    ...
    KeyError: "partner 'c' is not in the business case table"
    >>> plt.close("all")
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

    Examples
    --------
    The two partners of the :func:`~netwerkonderzoek.value.business_case`
    example in a row of three panels: the third is switched off, a's
    (flagged) has a red frame.

    >>> import matplotlib.pyplot as plt
    >>> from netwerkonderzoek.figures import NEUTRAL
    >>> from matplotlib.colors import to_hex
    >>> from netwerkonderzoek.value import business_case
    >>> import pandas as pd
    >>> from types import SimpleNamespace
    >>> from netwerkonderzoek.config import NetworkConfig
    >>> config = NetworkConfig.model_validate({"network_id": "x", "name": "X",
    ...     "mission": "m", "task": "t", "study": {"start": "2024-01", "end": "2024-12",
    ...     "waves": [{"wave": w, "date": f"2024-0{w}-15"} for w in (1, 2, 3)]},
    ...     "indicators": [{"id": "i", "label_nl": "I", "label_en": "I", "unit": "n",
    ...                     "perspective": "societal", "form": "direct",
    ...                     "direction": "decrease"}]})
    >>> partners = pd.DataFrame({"partner_id": ["a", "b"], "name": ["A", "B"],
    ...     "kind": "welfare", "joined": pd.Timestamp("2023-01-01"), "left": pd.NaT})
    >>> contributions = pd.DataFrame({"partner_id": ["a"] * 3 + ["b"] * 3,
    ...     "period": ["2024-01", "2024-02", "2024-03"] * 2,
    ...     "hours": [10.0, 12, 15, 6, 5, 4], "costs_eur": 0.0})
    >>> ties = pd.DataFrame({"wave": [1, 2, 3] * 2, "source": ["b"] * 3 + ["a"] * 3,
    ...     "target": ["a"] * 3 + ["b"] * 3, "tie_type": "information", "weight": 1.0,
    ...     "reliability": 3, "mission_support": 3, "open_discussion": 3,
    ...     "power_influence": [4, 3, 2, 2, 3, 3], "involvement": [4, 3, 2, 2, 3, 3],
    ...     "resource_contribution": [4, 3, 2, 2, 3, 3]})
    >>> data = SimpleNamespace(partners=partners, contributions=contributions, ties=ties,
    ...     indicators=pd.DataFrame(columns=["indicator_id", "period", "area", "value"]))
    >>> case = business_case(data, config)
    >>> fig = plot_business_cases(case, language="en", ncols=3)
    >>> [(ax.get_title(), ax.axison) for ax in fig.axes]
    [('a', True), ('b', True), ('', False)]
    >>> red = to_hex(NEUTRAL["flag"])
    >>> [to_hex(ax.spines["top"].get_edgecolor()) == red for ax in fig.axes[:2]]
    [True, False]
    >>> plt.close("all")
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
