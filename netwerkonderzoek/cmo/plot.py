"""Figures of a programme theory's evidence: the evidence matrix and an effect plot.

Both follow the house style of :mod:`netwerkonderzoek.figures` (labels in
Dutch by default), take ``ax=None`` and return the axes; export them with
:func:`netwerkonderzoek.figures.save_figure`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import figures
from ..figures import style_axes
from ..formatting import localise_ticks

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .model import ProgrammeTheory

__all__ = ["DIRECTION_COLOURS", "interval_label", "plot_effects", "plot_evidence_matrix"]

# Okabe & Ito (2008) colours, fixed per direction of evidence.
DIRECTION_COLOURS = {
    "supports": "#009E73",
    "contradicts": "#D55E00",
    "refines": "#0072B2",
    "inconclusive": "#BBBBBB",
    "insufficient_data": "#F2F2F2",
}
_VERDICT_DIRECTION = {
    "supported": "supports",
    "contradicted": "contradicts",
    "refined": "refines",
    "inconclusive": "inconclusive",
    "insufficient_data": "insufficient_data",
}


def plot_evidence_matrix(
    evidence: pd.DataFrame,
    *,
    theory: ProgrammeTheory | None = None,
    column: str = "source",
    ax=None,
    language: str = "nl",
):
    """Draw the CMO evidence matrix: configurations × evidence sources.

    Each cell is coloured by the direction of the evidence of that source
    about that configuration (the first whole-sample item; the number of
    items is written in the cell when there are several). Hatched cells: too
    little data for a direction; white cells: no evidence from that source.

    Parameters
    ----------
    evidence : DataFrame
        The evidence ledger (:func:`netwerkonderzoek.cmo.ledger`).
    theory : ProgrammeTheory, optional
        Gives the row order (and rows for configurations without evidence).
    column : str
        Ledger column that defines the evidence sources (``source`` or ``kind``).
    ax : matplotlib Axes, optional
    language : {"nl", "en"}

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> from netwerkonderzoek.cmo import EvidenceItem, ledger
    >>> items = [EvidenceItem("cmo-01", "quantitative", "supports", source="toets"),
    ...          EvidenceItem("cmo-01", "qualitative", "contradicts", source="bewoners")]
    >>> ax = plot_evidence_matrix(ledger(items))
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['toets', 'bewoners']
    """
    import matplotlib.patches as mpatches
    import numpy as np

    from .evidence import ledger

    figures.check_language(language)
    table = ledger(evidence)
    table = table[table["subgroup"] == ""]
    rows = list(dict.fromkeys(table["cmo_id"]))
    if theory is not None:
        rows = theory.ids + [r for r in rows if r not in theory]
    cols = list(dict.fromkeys(table[column]))
    if ax is None:
        height = max(2.0, 0.35 * len(rows) + 1.4)
        _, ax = figures.new_figure("full")
        ax.figure.set_size_inches(figures.SIZES["full"][0], height)
    else:
        figures.style_axes(ax)  # the house style in the caller's own axes
    with figures.house_style():
        ax.set_xlim(-0.5, max(len(cols), 1) - 0.5)
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.grid(False)
        for i, cmo_id in enumerate(rows):
            for j, source in enumerate(cols):
                cell = table[(table["cmo_id"] == cmo_id) & (table[column] == source)]
                hatch = None
                if cell.empty:
                    colour, edge = "white", "#dddddd"
                else:
                    direction = cell["direction"].iloc[0]
                    colour, edge = DIRECTION_COLOURS[direction], "white"
                    if direction == "insufficient_data":
                        hatch, edge = "///", "#bbbbbb"
                ax.add_patch(
                    mpatches.Rectangle(
                        (j - 0.5, i - 0.5),
                        1,
                        1,
                        facecolor=colour,
                        edgecolor=edge,
                        linewidth=1 if hatch is None else 0.3,
                        hatch=hatch,
                    )
                )
                if len(cell) > 1:
                    ax.text(j, i, str(len(cell)), ha="center", va="center", fontsize=7)
        ax.set_xticks(np.arange(len(cols)), [str(c) for c in cols], rotation=30, ha="right")
        ax.set_yticks(np.arange(len(rows)), rows)
        ax.set_xlabel(figures.label("evidence_source", language))
        ax.set_ylabel(figures.label("cmo_configuration", language))
        ax.set_title(figures.label("evidence_matrix", language))
        handles = [
            mpatches.Patch(
                facecolor=colour,
                edgecolor="#999999",
                hatch="///" if name == "insufficient_data" else None,
                label=figures.label(name, language),
            )
            for name, colour in DIRECTION_COLOURS.items()
        ]
        figures.legend_inside(ax, handles)
    return ax


#: Title of the effect plot, by language; ``{interval}`` is :func:`interval_label`.
_EFFECT_TITLE = {
    "nl": "Effect binnen de context per CMO-configuratie ({interval})",
    "en": "Effect inside the context per CMO configuration ({interval})",
}


def _percent(alpha: float, language: str) -> str:
    """The confidence level ``1 - alpha`` in percent: ``95``, ``97,5`` (nl) or ``97.5`` (en)."""
    from ..formatting import format_number

    return format_number(100 * (1 - alpha), None, language)


def interval_label(alpha: float | None, language: str = "nl") -> str:
    """Name of a two-sided ``1 - alpha`` confidence interval, in Dutch or English.

    ``None`` or NaN gives an interval of unknown level, named as such.

    Examples
    --------
    >>> interval_label(0.10), interval_label(0.05, "en"), interval_label(0.025)
    ('90%-betrouwbaarheidsinterval', '95% confidence interval', '97,5%-betrouwbaarheidsinterval')
    >>> interval_label(None, "en")
    'interval of unknown confidence level'
    """
    figures.check_language(language)
    if alpha is None or alpha != alpha:
        return {
            "nl": "interval met onbekend betrouwbaarheidsniveau",
            "en": "interval of unknown confidence level",
        }[language]
    level = _percent(alpha, language)
    return (
        f"{level}%-betrouwbaarheidsinterval"
        if language == "nl"
        else f"{level}% confidence interval"
    )


def _interval_alphas(verdict_table: pd.DataFrame, alpha: float | None):
    """The alpha of every row's drawn interval, checked against an explicit ``alpha``.

    Returns a list (one value per row, NaN where the level is unknown or
    no interval is drawn) and the common alpha of the drawn intervals (None
    when they differ, NaN when unknown).
    """
    import math

    import numpy as np

    n = len(verdict_table)
    drawn = (
        np.isfinite(verdict_table["ci_low"].to_numpy(dtype=float))
        & np.isfinite(verdict_table["ci_high"].to_numpy(dtype=float))
        if n
        else np.zeros(0, dtype=bool)
    )
    if "alpha" in verdict_table:
        own = verdict_table["alpha"].to_numpy(dtype=float)
    else:
        own = np.full(n, np.nan)
    if alpha is not None:
        if not (isinstance(alpha, int | float) and 0 < alpha < 1):
            raise ValueError(
                f"The 'alpha' parameter of plot_effects must be a number between 0 and 1. "
                f"Got {alpha!r} instead."
            )
        known = drawn & np.isfinite(own)
        clash = known & ~np.isclose(own, alpha, rtol=0, atol=1e-12)
        if clash.any():
            rows = ", ".join(
                f"{cmo_id} (alpha {a:g})"
                for cmo_id, a in zip(verdict_table["cmo_id"][clash], own[clash], strict=True)
            )
            raise ValueError(
                f"The 'alpha' parameter of plot_effects must match the alpha column of the "
                f"verdict table, whose intervals have that level. Got {alpha!r}, but the "
                f"table's rows {rows} differ; leave alpha out to use the table's own."
            )
        own = np.where(drawn & ~np.isfinite(own), alpha, own)
    own = np.where(drawn, own, np.nan)
    levels = {round(float(a), 12) for a in own[drawn]}
    if not levels:
        common = alpha if alpha is not None else math.nan
    elif len(levels) == 1:
        common = levels.pop()
    else:
        common = None
    return own.tolist(), common


def plot_effects(
    verdict_table: pd.DataFrame,
    *,
    alpha: float | None = None,
    ax=None,
    language: str = "nl",
):
    """Forest plot of the inside-context effects with their intervals, coloured by verdict.

    Each row is a configuration's deciding estimate with its two-sided
    :math:`1 - \\alpha` confidence interval; the title names the level the
    intervals have (``90%-betrouwbaarheidsinterval`` for ``alpha`` 0.10), from
    the table's ``alpha`` column (:func:`netwerkonderzoek.cmo.verdicts` fills
    it). When the rows' levels differ, the title says so and every row's
    label carries its own level; when the level is unknown (no ``alpha``
    column, or NaN), the title says that instead of guessing. Effects are on
    each outcome's own scale (a difference in means or in proportions, a
    level change of a time series): compare signs and intervals, not lengths
    across rows; the vertical line at 0 is no difference.

    Parameters
    ----------
    verdict_table : DataFrame
        Output of :func:`netwerkonderzoek.cmo.verdicts` (``cmo_id``,
        ``verdict``, ``estimate``, ``ci_low``, ``ci_high``, ``alpha``).
    alpha : float, optional
        The intervals' alpha, for a table whose ``alpha`` is missing; it must
        equal the table's ``alpha`` wherever that is known.
    ax : matplotlib Axes, optional
    language : {"nl", "en"}

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    ValueError
        If ``alpha`` is not between 0 and 1 or differs from the table's
        ``alpha`` of a row with an interval (the message names the rows).

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"cmo_id": ["cmo-01"], "verdict": ["supported"],
    ...                       "estimate": [0.5], "ci_low": [0.2], "ci_high": [0.8],
    ...                       "alpha": [0.10]})
    >>> ax = plot_effects(table)
    >>> ax.get_yticklabels()[0].get_text(), ax.get_title()
    ('cmo-01', 'Effect binnen de context per CMO-configuratie (90%-betrouwbaarheidsinterval)')
    >>> plot_effects(table, alpha=0.05)
    Traceback (most recent call last):
    ...
    ValueError: The 'alpha' parameter of plot_effects must match the alpha column of the verdict table, whose intervals have that level. Got 0.05, but the table's rows cmo-01 (alpha 0.1) differ; leave alpha out to use the table's own.
    """
    import matplotlib.patches as mpatches
    import numpy as np

    figures.check_language(language)
    row_alphas, common = _interval_alphas(verdict_table, alpha)
    labels = [str(c) for c in verdict_table["cmo_id"]]
    if common is None:
        interval = {
            "nl": "betrouwbaarheidsintervallen van verschillend niveau, per rij",
            "en": "confidence intervals of different levels, per row",
        }[language]
        labels = [
            f"{label} ({_percent(a, language)}%)" if a == a else label
            for label, a in zip(labels, row_alphas, strict=True)
        ]
    else:
        interval = interval_label(common, language)
    if ax is None:
        fig, ax = figures.new_figure("full")
        fig.set_size_inches(figures.SIZES["full"][0], max(2.0, 0.3 * len(verdict_table) + 1.2))
    else:  # the house style in the caller's own axes; their figure keeps its size
        style_axes(ax)
    with figures.house_style():
        y = np.arange(len(verdict_table))
        for i, (_, row) in enumerate(verdict_table.iterrows()):
            colour = DIRECTION_COLOURS[_VERDICT_DIRECTION[row["verdict"]]]
            if colour == DIRECTION_COLOURS["insufficient_data"]:
                colour = "#999999"
            ax.plot([row["ci_low"], row["ci_high"]], [i, i], color=colour, linewidth=1.5)
            ax.plot([row["estimate"]], [i], "o", color=colour, markersize=4)
        ax.axvline(0, color="#555555", linewidth=0.7)
        ax.set_yticks(y, labels)
        ax.set_ylim(len(verdict_table) - 0.5, -0.5)
        ax.set_xlabel(figures.label("effect_inside", language))
        ax.set_title(_EFFECT_TITLE[language].format(interval=interval))
        handles = [
            mpatches.Patch(
                facecolor=DIRECTION_COLOURS[d] if d != "insufficient_data" else "#999999",
                label=figures.label(v, language),
            )
            for v, d in _VERDICT_DIRECTION.items()
        ]
        figures.legend_inside(ax, handles)
    localise_ticks(ax, language)
    return ax
