"""Calibrate network-level conditions and run the QCA of the synthesis.

:func:`calibrate_conditions` turns the raw attributes (one row per network,
:func:`~netwerkonderzoek.synthesis.attribute_table`) into set membership
following ``config/synthesis.yaml``; :func:`synthesise` builds the truth
table, minimises it into the conservative, parsimonious and intermediate
solutions (:func:`netwerkonderzoek.qca.minimize`), and returns tidy tables:
the solutions with their fit, the cases each term covers (typical cases:
in the term and in the outcome; deviant cases for consistency: in the term,
not in the outcome - Schneider & Wagemann 2012), and the necessity table.

References
----------
Ragin, C. C. (2008). *Redesigning Social Inquiry: Fuzzy Sets and Beyond*.
University of Chicago Press. doi:10.7208/chicago/9780226702797.001.0001

Schneider, C. Q., & Wagemann, C. (2012). *Set-Theoretic Methods for the
Social Sciences*, chapter 11. Cambridge University Press.
doi:10.1017/CBO9781139004244

Examples
--------
>>> import pandas as pd
>>> from netwerkonderzoek.synthesis import SynthesisSettings, calibrate_conditions, synthesise
>>> settings = SynthesisSettings.model_validate({
...     "outcome": {"name": "Y", "attribute": "y", "method": "crisp", "threshold": 1,
...                 "justification": "success is a 1 in this example"},
...     "conditions": [
...         {"name": "A", "attribute": "a", "method": "crisp", "threshold": 1,
...          "justification": "present is a 1 in this example"},
...         {"name": "B", "attribute": "b", "method": "crisp", "threshold": 1,
...          "justification": "present is a 1 in this example"}],
...     "directional": {"A": 1, "B": 1}})
>>> raw = pd.DataFrame({"network_id": ["n1", "n2", "n3", "n4"], "a": [1, 1, 0, 0],
...                     "b": [1, 0, 1, 0], "y": [1, 1, 0, 0]})
>>> result = synthesise(calibrate_conditions(raw, settings), settings)
>>> result.solutions.loc[result.solutions["level"] == "term",
...                      ["solution_type", "term", "typical_cases"]]
  solution_type term typical_cases
0  conservative    A         n1,n2
2  parsimonious    A         n1,n2
4  intermediate    A         n1,n2
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..exceptions import NetwerkonderzoekWarning

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..qca import QCAResult, TruthTable
    from .settings import SynthesisSettings

__all__ = [
    "SOLUTION_TYPES",
    "SynthesisResult",
    "calibrate_conditions",
    "plot_solution",
    "synthesise",
]

SOLUTION_TYPES = ("conservative", "parsimonious", "intermediate")


def calibrate_conditions(attributes: pd.DataFrame, settings: SynthesisSettings) -> pd.DataFrame:
    """Calibrate raw attributes into membership of the conditions and the outcome.

    Parameters
    ----------
    attributes : pandas.DataFrame
        One row per network with a ``network_id`` column and the raw
        attributes the settings name.
    settings : SynthesisSettings
        From :func:`~netwerkonderzoek.synthesis.load_settings`.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``network_id``: one column per condition (in settings
        order) and the outcome, membership in [0, 1] (NaN where the raw value
        is missing).

    Raises
    ------
    KeyError
        If ``network_id`` or an attribute named in the settings is missing.

    Examples
    --------
    The project's settings (``config/synthesis.yaml``; fuzzy sets by Ragin's
    direct method, MUNI crisp) on two made-up networks:

    >>> import pandas as pd
    >>> from netwerkonderzoek.synthesis import load_settings
    >>> raw = pd.DataFrame({"network_id": ["n1", "n2"], "manager_hours": [8, 30],
    ...     "pooled_share": [0.6, 0.95], "trust": [3.2, 2.5], "lead_municipality": [1, 0],
    ...     "history_years": [4, None], "improvement_pct": [12, 2]})
    >>> calibrate_conditions(raw, load_settings("config")).round(2).reset_index()
      network_id   MGR  FUND  TRUST  MUNI  HIST  SUCCESS
    0         n1  0.05  0.18   0.77   1.0  0.27     0.89
    1         n2  0.82  0.98   0.05   0.0   NaN     0.14
    >>> calibrate_conditions(raw.drop(columns="trust"), load_settings("config"))
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    KeyError: "the attribute table lacks column(s) ['trust'] named in the synthesis settings; ..."
    """
    import pandas as pd

    from ..qca import calibrate

    needed = ["network_id", *(s.attribute for s in settings.sets)]
    missing = [c for c in dict.fromkeys(needed) if c not in attributes.columns]
    if missing:
        raise KeyError(
            f"the attribute table lacks column(s) {missing} named in the synthesis settings; "
            f"it has {list(attributes.columns)}"
        )
    index = pd.Index(attributes["network_id"].astype(str), name="network_id")
    columns = {}
    for spec in settings.sets:
        raw = pd.to_numeric(attributes[spec.attribute], errors="coerce").to_numpy(dtype=float)
        columns[spec.name] = calibrate(raw, spec.thresholds, method=spec.method)
    return pd.DataFrame(columns, index=index)


@dataclass
class SynthesisResult:
    """Everything the synthesis computed, as tidy tables and QCA objects.

    Attributes
    ----------
    memberships : pandas.DataFrame
        Calibrated conditions and outcome per network (complete cases).
    excluded : list of str
        Networks left out for a missing raw value.
    truth_table : TruthTable
    results : dict of str to QCAResult
        Per solution type.
    solutions : pandas.DataFrame
        ``solution_type``, ``model`` (1, 2, ... for tied models),
        ``solution``, ``level`` (term/solution), ``term``, ``inclusion``,
        ``PRI``, ``coverage``, ``unique_coverage``, ``typical_cases``,
        ``deviant_cases``.
    necessity : pandas.DataFrame
        Necessity of each condition and its negation.
    settings : SynthesisSettings
    """

    memberships: pd.DataFrame
    excluded: list[str]
    truth_table: TruthTable
    results: dict[str, QCAResult]
    solutions: pd.DataFrame
    necessity: pd.DataFrame
    settings: SynthesisSettings = field(repr=False)

    @property
    def outcome(self) -> str:
        """Name of the outcome set."""
        return self.settings.outcome.name

    def solution(self, solution_type: str = "parsimonious") -> list[str]:
        """The solutions (tied models) of one type, in standard notation."""
        return list(self.results[solution_type].solutions)

    def truth_table_frame(self) -> pd.DataFrame:
        """The truth table as a flat table (``row`` a column)."""
        return self.truth_table.table.reset_index()

    def __repr__(self) -> str:
        lines = [
            f"SynthesisResult(outcome={self.outcome!r}, cases={len(self.memberships)}, "
            f"excluded={len(self.excluded)})"
        ]
        for solution_type, result in self.results.items():
            for i, solution in enumerate(result.solutions, 1):
                lines.append(f"  {solution_type} M{i}: {solution} -> {self.outcome}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """The fit of every solution, as R QCA prints it (inclusion, PRI, coverage)."""
        import html

        head = (
            f"<p><b>Synthesis</b>: outcome {html.escape(self.outcome)}, "
            f"{len(self.memberships)} cases"
            + (f", {len(self.excluded)} excluded" if self.excluded else "")
            + "</p>"
        )
        return head + "".join(result._repr_html_() for result in self.results.values())


def _cases(memberships: pd.DataFrame, term: str, outcome: str) -> tuple[str, str]:
    from ..qca import membership

    in_term = membership(memberships, term) > 0.5
    in_outcome = memberships[outcome] > 0.5
    typical = memberships.index[in_term & in_outcome]
    deviant = memberships.index[in_term & ~in_outcome]
    return ",".join(map(str, typical)), ",".join(map(str, deviant))


def _solution_rows(result: QCAResult, memberships: pd.DataFrame, outcome: str) -> pd.DataFrame:
    frame = result.fit.copy()
    frame.insert(0, "solution_type", result.solution_type)
    models = {s: i for i, s in enumerate(result.solutions, 1)}
    frame.insert(1, "model", frame["solution"].map(models))
    cases = [_cases(memberships, term, outcome) for term in frame["term"]]
    frame["typical_cases"] = [c[0] for c in cases]
    frame["deviant_cases"] = [c[1] for c in cases]
    return frame


def synthesise(memberships: pd.DataFrame, settings: SynthesisSettings) -> SynthesisResult:
    """Truth table, the three solutions, their cases and the necessity table.

    Parameters
    ----------
    memberships : pandas.DataFrame
        From :func:`calibrate_conditions` (index: network ids).
    settings : SynthesisSettings
        Cut-offs and directional expectations.

    Returns
    -------
    SynthesisResult

    Raises
    ------
    QCAError
        If the truth table cannot be built or minimised (no variation in a
        condition, no positive row, ...).

    Warns
    -----
    NetwerkonderzoekWarning
        When networks are left out for a missing raw value.

    Examples
    --------
    >>> import pandas as pd
    >>> from netwerkonderzoek.synthesis import SynthesisSettings
    >>> crisp = {"method": "crisp", "threshold": 1, "justification": "a 1 in this example"}
    >>> settings = SynthesisSettings.model_validate({
    ...     "outcome": {"name": "Y", "attribute": "y", **crisp},
    ...     "conditions": [{"name": "A", "attribute": "a", **crisp},
    ...                    {"name": "B", "attribute": "b", **crisp}],
    ...     "directional": {"A": 1, "B": 1}})
    >>> raw = pd.DataFrame({"network_id": ["n1", "n2", "n3", "n4"], "a": [1, 1, 0, 0],
    ...                     "b": [1, 0, 1, 0], "y": [1, 1, 0, 0]})
    >>> result = synthesise(calibrate_conditions(raw, settings), settings)
    >>> result
    SynthesisResult(outcome='Y', cases=4, excluded=0)
      conservative M1: A -> Y
      parsimonious M1: A -> Y
      intermediate M1: A -> Y
    >>> result.solution("parsimonious")
    ['A']
    >>> result.necessity[["term", "inclusion", "coverage"]]
      term  inclusion  coverage
    0    A        1.0       1.0
    1   ~A        0.0       0.0
    2    B        0.5       0.5
    3   ~B        0.5       0.5
    """
    import pandas as pd

    from ..qca import minimize, necessity, truth_table

    conditions = settings.condition_names
    outcome = settings.outcome.name
    complete = memberships[[*conditions, outcome]].notna().all(axis=1)
    excluded = [str(i) for i in memberships.index[~complete]]
    if excluded:
        warnings.warn(
            f"network(s) {excluded} left out of the synthesis: a raw attribute is missing",
            NetwerkonderzoekWarning,
            stacklevel=2,
        )
    data = memberships.loc[complete, [*conditions, outcome]]
    tt = truth_table(
        data,
        outcome=outcome,
        conditions=conditions,
        incl_cut=settings.incl_cut,
        n_cut=settings.n_cut,
        pri_cut=settings.pri_cut,
    )
    results = {
        "conservative": minimize(tt, "conservative"),
        "parsimonious": minimize(tt, "parsimonious"),
        "intermediate": minimize(
            tt,
            "intermediate",
            directional=dict(settings.directional) or dict.fromkeys(conditions, "-"),
        ),
    }
    solutions = pd.concat(
        [_solution_rows(results[t], data, outcome) for t in SOLUTION_TYPES], ignore_index=True
    )
    return SynthesisResult(
        memberships=data,
        excluded=excluded,
        truth_table=tt,
        results=results,
        solutions=solutions,
        necessity=necessity(data, outcome=outcome, conditions=conditions),
        settings=settings,
    )


def plot_solution(
    result: SynthesisResult,
    solution_type: str = "parsimonious",
    *,
    label: list[str] | None = None,
    ax=None,
    language: str = "nl",
):
    """XY plot of the (first) solution of a type against the outcome.

    Parameters
    ----------
    result : SynthesisResult
    solution_type : {"parsimonious", "conservative", "intermediate"}
    label : list of str, optional
        Networks to name next to their point (for example the full example
        networks); none by default.
    ax : matplotlib.axes.Axes, optional
    language : {"nl", "en"}

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from netwerkonderzoek.synthesis import calibrate_conditions, synthesise
    >>> import pandas as pd
    >>> from netwerkonderzoek.synthesis import SynthesisSettings
    >>> crisp = {"method": "crisp", "threshold": 1, "justification": "a 1 in this example"}
    >>> settings = SynthesisSettings.model_validate({
    ...     "outcome": {"name": "Y", "attribute": "y", **crisp},
    ...     "conditions": [{"name": "A", "attribute": "a", **crisp},
    ...                    {"name": "B", "attribute": "b", **crisp}],
    ...     "directional": {"A": 1, "B": 1}})
    >>> raw = pd.DataFrame({"network_id": ["n1", "n2", "n3", "n4"], "a": [1, 1, 0, 0],
    ...                     "b": [1, 0, 1, 0], "y": [1, 1, 0, 0]})
    >>> result = synthesise(calibrate_conditions(raw, settings), settings)
    >>> ax = plot_solution(result, label=["n1"])
    >>> ax.get_xlabel(), ax.get_ylabel(), [t.get_text() for t in ax.texts]
    ('Oplossing: A', 'Uitkomst: Y', ['n1'])
    >>> plt.close(ax.figure)
    """
    from ..qca import plot_xy

    if solution_type not in result.results:
        raise KeyError(
            f"unknown solution type {solution_type!r}; expected one of {', '.join(SOLUTION_TYPES)}"
        )
    qca_result = result.results[solution_type]
    ax = plot_xy(qca_result, ax=ax, language=language)
    x = qca_result.membership(0)
    y = qca_result.outcome_membership()
    for case in label or []:
        if case in x.index:
            ax.annotate(
                case,
                (float(x[case]), float(y[case])),
                xytext=(4, -8),
                textcoords="offset points",
                fontsize=6,
            )
    return ax
