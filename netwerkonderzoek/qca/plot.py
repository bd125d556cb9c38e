"""XY plot of solution membership against outcome membership.

Matplotlib is imported inside :func:`plot_xy`, so importing the QCA
subpackage stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..figures import style_axes
from ..formatting import localise_ticks
from ._common import QCAError
from .fit import sufficiency
from .result import QCAResult

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["plot_xy"]

LABELS = {
    "nl": {"solution": "Oplossing", "outcome": "Uitkomst", "incl": "inclusie", "cov": "dekking"},
    "en": {"solution": "Solution", "outcome": "Outcome", "incl": "inclusion", "cov": "coverage"},
}


def plot_xy(
    result_or_membership: object,
    outcome: object = None,
    *,
    solution: int | str = 0,
    ax: Axes | None = None,
    language: str = "nl",
) -> Axes:
    """Scatter solution membership (x) against outcome membership (y).

    Cases above the diagonal are consistent with sufficiency. The title gives
    the solution's inclusion and coverage.

    Parameters
    ----------
    result_or_membership : QCAResult or array-like
        A minimisation result (plots ``solution``), or membership scores in
        the solution (a Series keeps its name as the x label).
    outcome : array-like, optional
        Outcome membership; required with membership scores, taken from the
        result otherwise.
    solution : int or str, default 0
        Which solution of a result to plot.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure by default.
    language : {"nl", "en"}, default "nl"
        Label language.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    QCAError
        On an unknown language, missing outcome, or arrays of unequal length
        or outside [0, 1].

    Examples
    --------
    >>> ax = plot_xy([0.2, 0.7, 0.9], [0.4, 0.8, 0.95], language="en")
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('Solution', 'Outcome')
    """
    if language not in LABELS:
        raise QCAError(
            f"The 'language' parameter must be one of {sorted(LABELS)}. Got {language!r}."
        )
    words = LABELS[language]
    if isinstance(result_or_membership, QCAResult):
        x_series = result_or_membership.membership(solution)
        y_series = result_or_membership.outcome_membership()
        xlabel = f"{words['solution']}: {x_series.name}"
        ylabel = f"{words['outcome']}: {y_series.name}"
        x, y = x_series.to_numpy(), y_series.to_numpy() if outcome is None else outcome
    else:
        if outcome is None:
            raise QCAError("plot_xy needs the outcome membership when given membership scores.")
        x = result_or_membership
        name = getattr(x, "name", None)
        xlabel = words["solution"] + (f": {name}" if name else "")
        yname = getattr(outcome, "name", None)
        ylabel = words["outcome"] + (f": {yname}" if yname else "")
        y = outcome
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.shape != y.shape or x.ndim != 1:
        raise QCAError(
            f"Solution and outcome membership must be 1-d of equal length; got shapes "
            f"{x.shape} and {y.shape}."
        )
    if ((x < 0) | (x > 1) | (y < 0) | (y > 1)).any() or np.isnan(x).any() or np.isnan(y).any():
        raise QCAError("Membership scores for plot_xy must lie in [0, 1] without missing values.")
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(4.2, 4.2))
    else:
        style_axes(ax)  # the house style in the caller's own axes
    incl, _, cov = sufficiency(x, y)
    ax.plot([0, 1], [0, 1], color="#999999", linewidth=0.8, zorder=1)
    ax.scatter(x, y, s=22, color="#0072B2", zorder=2)
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.set_aspect("equal")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(f"{words['incl']} {incl:.3f}, {words['cov']} {cov:.3f}")
    localise_ticks(ax, language)
    return ax
