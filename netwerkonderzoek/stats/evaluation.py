"""One evidence pipeline: a network's data and its programme theory in, the ledger and one verdict per configuration out.

:func:`evaluate_theory` is the only place where the study turns data into
evidence and evidence into verdicts. The study notebooks (02 tests the
theory, 04 puts the verdicts in the value matrix, 06 tells what changed in
the theory), the cross-network synthesis and the report all call it, so a
configuration has the same verdict everywhere.

What goes into the ledger, per configuration of the theory:

1. its quantitative test, by the design the configuration states
   (``design.kind``): ``cross_section`` and ``prepost`` test the mechanism on
   the units table (:func:`~netwerkonderzoek.stats.test_configuration`);
   ``its`` and ``did`` test an area-level configuration on an indicator
   around a timeline event (:func:`~netwerkonderzoek.stats.interrupted_time_series`,
   :func:`~netwerkonderzoek.stats.difference_in_differences`, turned into an
   item by :func:`~netwerkonderzoek.stats.evidence_from_result`);
2. the coded observations about it, as one qualitative item
   (:func:`~netwerkonderzoek.stats.qualitative_evidence`; an observation
   supports a configuration when its sentiment lies above the neutral band,
   contradicts it below the band, and is neutral inside it, the band's edges
   included).

With ``subgroups`` (columns of the units table such as ``female``) each
unit-level configuration is also tested within each level of each column
(:func:`~netwerkonderzoek.stats.for_whom`); these items are kept apart
(``subgroup_items``, ``subgroup_ledger``) and never decide a verdict.

:meth:`TheoryEvaluation.published` gives the tables a run writes — evidence,
verdicts and subgroups — with the counts of persons protected *together*
(:func:`~netwerkonderzoek.privacy.suppress_linked`): a cell hidden in one
table cannot be recovered from a total or a copy in another, since each
row's cells add up to its ``n``, the subgroups of a configuration add up to
its whole-sample test, and a verdict copies its deciding test's counts.
Counts of observations (coded fragments) are not counts of persons and are
not suppressed.

The verdict rule is :func:`netwerkonderzoek.cmo.verdicts` with the rule named
by ``rule`` (default ``"quantitative"``: the configuration's own test decides;
a configuration without a test goes by the balance of the evidence). The rule
is documented there, in one place.

Examples
--------
>>> from netwerkonderzoek import load_config, load_network
>>> from netwerkonderzoek.cmo import load_theory
>>> from netwerkonderzoek.stats import evaluate_theory
>>> config = load_config("wijk-noord", "config")
>>> data = load_network(config, "data")
>>> result = evaluate_theory(data, load_theory(config.theory_path), config=config)
>>> result.verdicts.loc[0, ["cmo_id", "verdict"]].tolist()
['cmo-01', 'supported']
>>> result.verdict("cmo-01") == result.verdicts.set_index("cmo_id").loc["cmo-01", "verdict"]
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..cmo.evidence import EvidenceItem, ledger, verdicts

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..cmo.model import CMOConfiguration, ProgrammeTheory
    from ..config import NetworkConfig
    from ..tables import NetworkData

__all__ = ["PERSON_COUNTS", "TheoryEvaluation", "evaluate_theory"]

#: Designs tested on the units table and on an indicator.
UNIT_DESIGNS = ("cross_section", "prepost")
INDICATOR_DESIGNS = ("its", "did")


@dataclass(frozen=True)
class TheoryEvaluation:
    """The evidence about a programme theory and its verdicts (:func:`evaluate_theory`).

    Attributes
    ----------
    theory : ProgrammeTheory
    items : tuple of EvidenceItem
        Every item, in theory order: quantitative test first, then the
        qualitative item. An item keeps its fitted model (``item.model``).
    ledger : DataFrame
        :func:`netwerkonderzoek.cmo.ledger` of ``items``.
    verdicts : DataFrame
        :func:`netwerkonderzoek.cmo.verdicts` of the ledger, one row per
        configuration in theory order.
    rule : str
        The verdict rule used.
    alpha : float
        The significance level of the tests.
    subgroup_items : tuple of EvidenceItem
        The "for whom" items of ``subgroups`` (empty without).
    subgroup_ledger : DataFrame
        :func:`netwerkonderzoek.cmo.ledger` of ``subgroup_items``.
    min_cell : int
        The small-cell threshold for counts of persons (the config's
        ``privacy.min_cell``; 5 without a config).

    Examples
    --------
    >>> from netwerkonderzoek import load_config, load_network
    >>> from netwerkonderzoek.cmo import load_theory
    >>> config = load_config("wijk-noord", "config")
    >>> result = evaluate_theory(load_network(config, "data"), load_theory(config.theory_path))
    >>> result.rule, result.alpha, result.min_cell, len(result.items)
    ('quantitative', 0.05, 5, 16)
    >>> result.ledger.shape[0] == len(result.items), list(result.verdicts["cmo_id"][:2])
    (True, ['cmo-01', 'cmo-02'])
    """

    theory: ProgrammeTheory
    items: tuple[EvidenceItem, ...]
    ledger: pd.DataFrame = field(repr=False)
    verdicts: pd.DataFrame = field(repr=False)
    rule: str = "quantitative"
    alpha: float = 0.05
    subgroup_items: tuple[EvidenceItem, ...] = ()
    subgroup_ledger: pd.DataFrame | None = field(default=None, repr=False)
    min_cell: int = 5

    def published(self, min_cell: int | None = None) -> dict[str, pd.DataFrame]:
        """The evidence, verdict and subgroup tables with counts of persons protected.

        Parameters
        ----------
        min_cell : int, optional
            Smallest count of persons that may be shown; default
            :attr:`min_cell`.

        Returns
        -------
        dict of str to DataFrame
            ``evidence`` (the ledger), ``verdicts`` and ``for_whom`` (the
            subgroup ledger, empty without subgroups), each with hidden
            counts missing and a ``suppressed`` column
            (:func:`~netwerkonderzoek.privacy.mark_suppressed` shows them as
            ``x``). The person counts are :data:`PERSON_COUNTS` of the items
            tested on the units table.

        Examples
        --------
        >>> from netwerkonderzoek import load_config, load_network
        >>> from netwerkonderzoek.cmo import load_theory
        >>> config = load_config("wijk-noord", "config")
        >>> result = evaluate_theory(load_network(config, "data"), load_theory(config.theory_path))
        >>> tables = result.published()
        >>> sorted(tables), len(tables["evidence"]) == len(result.ledger)
        (['evidence', 'for_whom', 'verdicts'], True)
        >>> strict = result.published(min_cell=400)["evidence"]
        >>> strict.loc[0, "suppressed"]
        'n_exposed_in;n_unexposed_in'
        >>> bool(strict.loc[0, ["n_exposed_in", "n_unexposed_in"]].isna().all())
        True
        """
        from ..cmo.evidence import ledger
        from ..privacy import suppress_linked

        threshold = self.min_cell if min_cell is None else min_cell
        tables = {
            "evidence": self.ledger.reset_index(drop=True),
            "verdicts": self.verdicts.reset_index(drop=True),
            "for_whom": (
                self.subgroup_ledger if self.subgroup_ledger is not None else ledger([])
            ).reset_index(drop=True),
        }
        columns = {
            "evidence": list(PERSON_COUNTS),
            "verdicts": [c for c in PERSON_COUNTS if c in tables["verdicts"].columns],
            "for_whom": list(PERSON_COUNTS),
        }
        return suppress_linked(
            tables, columns, _person_count_lines(tables, columns), min_cell=threshold
        )

    def verdict(self, cmo_id: str) -> str:
        """The verdict of one configuration.

        Raises
        ------
        KeyError
            If ``cmo_id`` is not a configuration of the theory.

        Examples
        --------
        >>> from netwerkonderzoek import load_config, load_network
        >>> from netwerkonderzoek.cmo import load_theory
        >>> config = load_config("wijk-noord", "config")
        >>> result = evaluate_theory(load_network(config, "data"), load_theory(config.theory_path))
        >>> result.verdict("cmo-01"), result.verdict("cmo-02")
        ('supported', 'refined')
        >>> result.verdict("cmo-99")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        KeyError: "no configuration 'cmo-99' in the theory; known: cmo-01, ..."
        """
        rows = self.verdicts[self.verdicts["cmo_id"] == cmo_id]
        if rows.empty:
            raise KeyError(
                f"no configuration {cmo_id!r} in the theory; known: {', '.join(self.theory.ids)}"
            )
        return str(rows["verdict"].iloc[0])

    def items_for(self, cmo_id: str) -> list[EvidenceItem]:
        """The evidence items of one configuration.

        Examples
        --------
        >>> from netwerkonderzoek import load_config, load_network
        >>> from netwerkonderzoek.cmo import load_theory
        >>> config = load_config("wijk-noord", "config")
        >>> result = evaluate_theory(load_network(config, "data"), load_theory(config.theory_path))
        >>> [(item.kind, item.direction) for item in result.items_for("cmo-01")]
        [('quantitative', 'supports'), ('qualitative', 'supports')]
        >>> result.items_for("cmo-99")
        []
        """
        return [item for item in self.items if item.cmo_id == cmo_id]

    def _repr_html_(self) -> str:
        import html

        rows = "".join(
            f"<tr><td>{html.escape(str(r.cmo_id))}</td><td>{html.escape(str(r.verdict))}</td>"
            f"<td>{html.escape(str(r.basis))}</td></tr>"
            for r in self.verdicts.itertuples()
        )
        return (
            f"<p>{html.escape(self.theory.name)} (v{self.theory.version}), rule "
            f"{html.escape(self.rule)}, alpha {self.alpha:g}</p>"
            f"<table><tr><th>cmo_id</th><th>verdict</th><th>basis</th></tr>{rows}</table>"
        )


#: The counts of persons in an item tested on the units table.
PERSON_COUNTS = ("n", "n_exposed_in", "n_unexposed_in", "n_exposed_out", "n_unexposed_out")


def _person_rows(table: pd.DataFrame) -> list[int]:
    """Positions of the rows whose counts are counts of persons (tests on units)."""
    if table.empty:
        return []
    mask = (table["kind"] == "quantitative") & (table["source"] == "units")
    return [int(i) for i in mask.to_numpy().nonzero()[0]]


def _person_count_lines(tables, columns) -> list[list[tuple[str, int, str]]]:
    """The relations between the person counts of the evidence, verdict and subgroup tables."""
    lines: list[list[tuple[str, int, str]]] = []
    evidence, subgroups = tables["evidence"], tables["for_whom"]
    whole = [i for i in _person_rows(evidence) if evidence.at[i, "subgroup"] == ""]
    # 1. a row's cells add up to its n (a breakdown of the units tested)
    for name in ("evidence", "for_whom"):
        for i in _person_rows(tables[name]):
            lines.append([(name, i, c) for c in PERSON_COUNTS])
    # 2. the levels of one subgroup column add up to the whole-sample test
    groups: dict[tuple[str, str], list[int]] = {}
    for i in _person_rows(subgroups):
        by = str(subgroups.at[i, "subgroup"]).split("=", 1)[0]
        groups.setdefault((str(subgroups.at[i, "cmo_id"]), by), []).append(i)
    for (cmo_id, _), rows in groups.items():
        totals = [i for i in whole if evidence.at[i, "cmo_id"] == cmo_id]
        for column in PERSON_COUNTS:
            lines.append(
                [("evidence", i, column) for i in totals] + [("for_whom", i, column) for i in rows]
            )
    # 3. a verdict copies the counts of the test that decided it
    verdicts = tables["verdicts"]
    for v in range(len(verdicts)):
        for column in columns["verdicts"]:
            value = verdicts.at[v, column]
            for i in whole:
                if evidence.at[i, "cmo_id"] == verdicts.at[v, "cmo_id"] and (
                    evidence.at[i, column] == value
                ):
                    lines.append([("verdicts", v, column), ("evidence", i, column)])
    return lines


def _design_kind(config: CMOConfiguration) -> str:
    design = getattr(config, "design", None)
    return getattr(design, "kind", "cross_section") if design is not None else "cross_section"


def config_path_of(config):
    """The theory file a configuration came from, if known (for error messages).

    Examples
    --------
    >>> from netwerkonderzoek.cmo import load_theory
    >>> theory = load_theory("config/theories/wijk-noord.yaml")
    >>> config_path_of(theory).name, config_path_of(theory["cmo-01"]) is None
    ('wijk-noord.yaml', True)
    """
    return getattr(config, "path", None)


def _indicator_test(
    config: CMOConfiguration, data: NetworkData, alpha: float, origin: str
) -> EvidenceItem:
    """The ITS or DiD test of an area-level configuration, as an evidence item."""
    from .timeseries import (
        difference_in_differences,
        event_period,
        evidence_from_result,
        interrupted_time_series,
    )

    design = config.design
    event = str(design.event)
    if not event[:4].isdigit():  # a title of the timeline, not a date
        event = event_period(data.events, event)
    direction = "increase" if config.outcome.sign > 0 else "decrease"
    if design.kind == "its":
        table = interrupted_time_series(
            data.indicators,
            indicator=design.indicator,
            event=event,
            areas=list(design.areas) or None,
            alpha=alpha,
        )
        term = getattr(design, "term", "") or "level_change"
    else:
        if not design.treated:
            from ..exceptions import TheoryError

            raise TheoryError(
                "a did design needs its treated areas (design.treated): the areas where "
                "the context holds and the mechanism started at the event",
                path=config_path_of(config),
                cmo_id=config.id,
                field="design.treated",
            )
        table = difference_in_differences(
            data.indicators,
            indicator=design.indicator,
            event=event,
            treated=list(design.treated),
            comparison=list(design.comparison) or None,
            alpha=alpha,
        )
        term = getattr(design, "term", "") or "did"
    return evidence_from_result(
        table,
        config.id,
        term=term,
        direction=direction,
        alpha=alpha,
        source=f"indicators: {design.indicator}",
    )


def evaluate_theory(
    data: NetworkData,
    theory: ProgrammeTheory,
    *,
    config: NetworkConfig | None = None,
    alpha: float = 0.05,
    rule: str = "quantitative",
    neutral: float = 0.2,
    min_observations: int = 5,
    subgroups: Sequence[str] = (),
    **test_options: Any,
) -> TheoryEvaluation:
    """Test every configuration of ``theory`` on ``data`` and decide one verdict each.

    Parameters
    ----------
    data : NetworkData
        The network's canonical tables (:func:`netwerkonderzoek.load_network`).
    theory : ProgrammeTheory
    config : NetworkConfig, optional
        The network's config: its ``privacy.min_cell`` is the threshold of
        :meth:`TheoryEvaluation.published`.
    alpha : float
        Two-sided significance level of every test, and 1 - confidence of
        the intervals.
    rule : {"quantitative", "balance"}
        The verdict rule of :func:`netwerkonderzoek.cmo.verdicts`.
    neutral, min_observations : float, int
        The neutral sentiment band and the least number of directional
        observations of the qualitative item
        (:func:`~netwerkonderzoek.stats.qualitative_evidence`).
    subgroups : sequence of str
        Columns of the units table to test each unit-level configuration
        within (:func:`~netwerkonderzoek.stats.for_whom`).
    **test_options
        Passed to :func:`~netwerkonderzoek.stats.test_configuration`
        (``method``, ``cluster``, ``min_cell`` ...).

    Returns
    -------
    TheoryEvaluation

    Raises
    ------
    ValueError
        If ``alpha`` is not strictly between 0 and 1, or ``rule`` is unknown.

    Examples
    --------
    >>> from netwerkonderzoek import load_config, load_network
    >>> from netwerkonderzoek.cmo import load_theory
    >>> config = load_config("wijk-noord", "config")
    >>> data = load_network(config, "data")
    >>> result = evaluate_theory(data, load_theory(config.theory_path), subgroups=["female"])
    >>> result.verdicts.loc[1, ["cmo_id", "verdict", "refined_context"]].tolist()
    ['cmo-02', 'refined', 'not (age >= 65)']
    >>> result.subgroup_ledger["subgroup"].unique().tolist()
    ['female=0', 'female=1']
    >>> evaluate_theory(data, load_theory(config.theory_path), rule="majority")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: The 'rule' parameter of evaluate_theory must be one of ...
    """
    from ..cmo.evidence import RULES
    from .configuration import for_whom, test_configuration
    from .qualitative import qualitative_evidence

    if not (isinstance(alpha, int | float) and 0 < alpha < 1):
        raise ValueError(
            f"The 'alpha' parameter of evaluate_theory must be a number strictly between "
            f"0 and 1. Got {alpha!r} instead."
        )
    if rule not in RULES:
        raise ValueError(
            f"The 'rule' parameter of evaluate_theory must be one of {', '.join(RULES)}. "
            f"Got {rule!r} instead."
        )
    if isinstance(subgroups, str):
        subgroups = (subgroups,)
    origin = str(theory.path.name) if theory.path is not None else "theory"
    qualitative = {
        item.cmo_id: item
        for item in qualitative_evidence(
            data.observations,
            theory,
            neutral=neutral,
            min_observations=min_observations,
        )
    }
    items: list[EvidenceItem] = []
    for configuration in theory:
        kind = _design_kind(configuration)
        if kind in INDICATOR_DESIGNS:
            items.append(_indicator_test(configuration, data, alpha, origin))
        else:
            items.append(
                test_configuration(
                    data.units, theory, configuration.id, alpha=alpha, **test_options
                )
            )
        if configuration.id in qualitative:
            items.append(qualitative[configuration.id])
    subgroup_items: list[EvidenceItem] = []
    for by in subgroups:
        for configuration in theory:
            if _design_kind(configuration) in UNIT_DESIGNS:
                subgroup_items += for_whom(
                    theory, configuration.id, data.units, by, alpha=alpha, **test_options
                )
    table = ledger(items)
    return TheoryEvaluation(
        subgroup_items=tuple(subgroup_items),
        subgroup_ledger=ledger(subgroup_items),
        min_cell=config.privacy.min_cell if config is not None else 5,
        theory=theory,
        items=tuple(items),
        ledger=table,
        verdicts=verdicts(table, rule, theory=theory),
        rule=rule,
        alpha=alpha,
    )
