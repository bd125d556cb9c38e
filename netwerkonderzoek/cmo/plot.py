"""Figures of a programme theory's evidence: the evidence matrix and an effect plot.

Both follow the house style of :mod:`netwerkonderzoek.figures` (labels in
Dutch by default), take ``ax=None`` and return the axes; export them with
:func:`netwerkonderzoek.figures.save_figure`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import figures

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .model import ProgrammeTheory

__all__ = ["DIRECTION_COLOURS", "effect_plot", "evidence_matrix"]

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


def evidence_matrix(
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
    >>> ax = evidence_matrix(ledger(items))
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
    with figures._house_style():
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
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return ax


def effect_plot(verdict_table: pd.DataFrame, *, ax=None, language: str = "nl"):
    """Forest plot of the inside-context effects with 95% intervals, coloured by verdict.

    Effects are on each outcome's own scale (difference in means or in
    proportions), so compare signs and intervals, not lengths across rows.

    Parameters
    ----------
    verdict_table : DataFrame
        Output of :func:`netwerkonderzoek.cmo.verdicts`.
    ax : matplotlib Axes, optional
    language : {"nl", "en"}

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"cmo_id": ["cmo-01"], "verdict": ["supported"],
    ...                       "estimate": [0.5], "ci_low": [0.2], "ci_high": [0.8]})
    >>> effect_plot(table).get_yticklabels()[0].get_text()
    'cmo-01'
    """
    import matplotlib.patches as mpatches
    import numpy as np

    figures.check_language(language)
    if ax is None:
        _, ax = figures.new_figure("full")
        ax.figure.set_size_inches(
            figures.SIZES["full"][0], max(2.0, 0.3 * len(verdict_table) + 1.2)
        )
    with figures._house_style():
        y = np.arange(len(verdict_table))
        for i, (_, row) in enumerate(verdict_table.iterrows()):
            colour = DIRECTION_COLOURS[_VERDICT_DIRECTION[row["verdict"]]]
            if colour == DIRECTION_COLOURS["insufficient_data"]:
                colour = "#999999"
            ax.plot([row["ci_low"], row["ci_high"]], [i, i], color=colour, linewidth=1.5)
            ax.plot([row["estimate"]], [i], "o", color=colour, markersize=4)
        ax.axvline(0, color="#555555", linewidth=0.7)
        ax.set_yticks(y, list(verdict_table["cmo_id"]))
        ax.set_ylim(len(verdict_table) - 0.5, -0.5)
        ax.set_xlabel(figures.label("effect_inside", language))
        ax.set_title(figures.label("effect_plot", language))
        handles = [
            mpatches.Patch(
                facecolor=DIRECTION_COLOURS[d] if d != "insufficient_data" else "#999999",
                label=figures.label(v, language),
            )
            for v, d in _VERDICT_DIRECTION.items()
        ]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return ax
