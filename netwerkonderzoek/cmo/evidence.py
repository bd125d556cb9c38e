"""Evidence for CMO configurations: items, the ledger, and verdicts.

Every piece of evidence about a configuration is an :class:`EvidenceItem`:
a quantitative test, a qualitative observation (or a count of them), a
document or an expert judgement, saying whether it *supports*,
*contradicts* or *refines* the configuration, or is *inconclusive*
(``insufficient_data`` marks a test that could not be done honestly, e.g.
too few units in a cell). The ledger, :func:`ledger`, is the tidy table of
all items, one row per item. :func:`verdicts` turns the ledger into one
verdict per configuration by a documented, configurable rule.

Verdict rules
-------------
``"quantitative"`` (default, :data:`QUANTITATIVE_FIRST`)
    The verdict is the direction of the configuration's primary
    quantitative test: the first item of kind ``quantitative`` without a
    subgroup, preferring a test on the ``units`` table (source ``units``,
    :func:`netwerkonderzoek.stats.test_configuration`) over other tests
    (e.g. on indicators). ``supports`` → supported, ``contradicts`` → contradicted,
    ``refines`` → refined, ``inconclusive`` → inconclusive,
    ``insufficient_data`` → insufficient_data. How a test reaches its
    direction is documented in :func:`netwerkonderzoek.stats.test_configuration`
    (significance of the inside-context effect at ``alpha`` in the expected
    direction, etc.). Qualitative, document and expert items do not override
    a test; they are counted next to it. A configuration without a test gets
    its verdict from the balance rule below.
``"balance"`` (:data:`BALANCE`)
    Every item counts with weight 1, 2 or 3 (strength weak, moderate,
    strong); ``inconclusive`` and ``insufficient_data`` items count zero.
    With total weight below ``min_weight`` → insufficient_data. Otherwise
    the direction with the largest weight wins if it is at least ``ratio``
    times every other direction; ties or smaller margins → inconclusive.

A callable ``rule(items: DataFrame) -> str`` may be given instead.

Examples
--------
>>> from netwerkonderzoek.cmo import EvidenceItem, ledger, verdicts
>>> items = [
...     EvidenceItem("cmo-01", "quantitative", "supports", source="units",
...                  estimate=0.8, ci_low=0.3, ci_high=1.3, p_value=0.002, n=400),
...     EvidenceItem("cmo-01", "qualitative", "contradicts", source="interviews"),
...     EvidenceItem("cmo-02", "expert", "supports", source="stuurgroep", strength="strong"),
... ]
>>> table = verdicts(ledger(items))
>>> table[["cmo_id", "verdict", "estimate", "basis"]].to_dict("records")
[{'cmo_id': 'cmo-01', 'verdict': 'supported', 'estimate': 0.8, 'basis': 'quantitative test'}, {'cmo_id': 'cmo-02', 'verdict': 'supported', 'estimate': nan, 'basis': 'balance of evidence'}]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

from ..vocabulary import EVIDENCE_DIRECTIONS, VERDICTS

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .model import ProgrammeTheory

__all__ = [
    "BALANCE",
    "EVIDENCE_DIRECTIONS",
    "EVIDENCE_KINDS",
    "LEDGER_COLUMNS",
    "QUANTITATIVE_FIRST",
    "RULES",
    "STRENGTHS",
    "VERDICTS",
    "VERDICT_COLUMNS",
    "EvidenceItem",
    "VerdictRule",
    "ledger",
    "refinements",
    "verdicts",
]

EVIDENCE_KINDS = ("quantitative", "qualitative", "document", "expert")
STRENGTHS = ("weak", "moderate", "strong")
_TO_VERDICT = {
    "supports": "supported",
    "contradicts": "contradicted",
    "refines": "refined",
    "inconclusive": "inconclusive",
    "insufficient_data": "insufficient_data",
}
_WEIGHT = {"weak": 1, "moderate": 2, "strong": 3}


@dataclass(frozen=True)
class EvidenceItem:
    """One piece of evidence about one CMO configuration.

    Parameters
    ----------
    cmo_id : str
        The configuration the evidence is about.
    kind : {"quantitative", "qualitative", "document", "expert"}
    direction : {"supports", "contradicts", "refines", "inconclusive", "insufficient_data"}
    source : str
        What the evidence is (``"units: OLS, cluster-robust by area"``,
        ``"interviews (resident)"``, a document title, an expert's role).
    strength : {"weak", "moderate", "strong"}
    origin : str
        Where it came from (file, table, notebook, meeting).
    date : str
        When (``YYYY-MM-DD``), if known.
    note : str
        Free text: why this direction, what is odd.
    estimate, ci_low, ci_high, p_value : float
        Quantitative items: the effect of the mechanism inside the stated
        context on the outcome's own scale, its confidence interval and
        two-sided p-value.
    se, statistic, df : float
        Standard error of ``estimate``, the test statistic (``t`` or ``z``)
        and its reference degrees of freedom (NaN for a normal reference).
    n_clusters : int
        Clusters (areas) of cluster-robust or multilevel inference; 0 without.
    design : str
        The design that tested the configuration: ``cross_section``,
        ``prepost``, ``its`` or ``did``.
    formula : str
        The model, written out (``y ~ const + exposed_in_context + ...``).
    inference : str
        How the standard error and p-value were computed, in words with the
        method's name (``CR2 with Bell–McCaffrey degrees of freedom``...).
    n : int
        Units used (series points for ``its`` and ``did``).
    n_exposed_in, n_unexposed_in, n_exposed_out, n_unexposed_out : int
        Cell sizes: exposed/unexposed × inside/outside the context.
    estimate_out, ci_low_out, ci_high_out, p_value_out : float
        The same effect outside the stated context.
    refined_context : str
        For ``refines``: the context in which the mechanism does work.
    method : str
        Estimation method (``ols``, ``logit``, ``mixed``, ``its``, ``did``...).
    scale : str
        ``continuous`` (difference in means) or ``binary`` (difference in proportions).
    alpha : float
        Significance level used to decide the direction.
    subgroup : str
        For "for whom" splits: ``column=value``; empty for the whole sample.
    se_out : float
        Standard error of ``estimate_out``.
    model : object
        The fitted model (a statsmodels results object), when there is one;
        not part of the ledger.
    """

    cmo_id: str
    kind: str
    direction: str
    source: str = ""
    strength: str = "moderate"
    origin: str = ""
    date: str = ""
    note: str = ""
    estimate: float = math.nan
    ci_low: float = math.nan
    ci_high: float = math.nan
    p_value: float = math.nan
    se: float = math.nan
    statistic: float = math.nan
    df: float = math.nan
    n_clusters: int = 0
    design: str = ""
    formula: str = ""
    inference: str = ""
    n: int = 0
    n_exposed_in: int = 0
    n_unexposed_in: int = 0
    n_exposed_out: int = 0
    n_unexposed_out: int = 0
    estimate_out: float = math.nan
    ci_low_out: float = math.nan
    ci_high_out: float = math.nan
    p_value_out: float = math.nan
    refined_context: str = ""
    method: str = ""
    scale: str = ""
    alpha: float = math.nan
    subgroup: str = ""
    se_out: float = math.nan
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    model: Any = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        for name, value, choices in (
            ("kind", self.kind, EVIDENCE_KINDS),
            ("direction", self.direction, EVIDENCE_DIRECTIONS),
            ("strength", self.strength, STRENGTHS),
        ):
            if value not in choices:
                raise ValueError(
                    f"The '{name}' parameter of EvidenceItem must be one of "
                    f"{', '.join(choices)}. Got {value!r} instead."
                )
        if self.direction == "refines" and not self.refined_context:
            raise ValueError(
                "An EvidenceItem with direction 'refines' must say in which context the "
                "mechanism does work (refined_context)."
            )

    @property
    def cells(self) -> dict[str, int]:
        """Cell sizes: exposed/unexposed × inside/outside the context."""
        return {
            "exposed_in": self.n_exposed_in,
            "unexposed_in": self.n_unexposed_in,
            "exposed_out": self.n_exposed_out,
            "unexposed_out": self.n_unexposed_out,
        }

    def to_dict(self) -> dict[str, Any]:
        """The item as a flat dict (one ledger row)."""
        row = {name: getattr(self, name) for name in LEDGER_COLUMNS}
        return row

    def _repr_html_(self) -> str:
        import html

        row = self.to_dict()
        cells = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
            f"<td style='text-align:left'>{html.escape(_fmt(v))}</td></tr>"
            for k, v in row.items()
            if v not in ("", 0) and not (isinstance(v, float) and math.isnan(v))
        )
        return f"<table>{cells}</table>"


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


#: Fields of an item that are not ledger columns.
_NOT_IN_LEDGER = ("extra", "model")
LEDGER_COLUMNS: tuple[str, ...] = tuple(
    f.name for f in fields(EvidenceItem) if f.name not in _NOT_IN_LEDGER
)


def ledger(items: Iterable[EvidenceItem] | pd.DataFrame = ()) -> pd.DataFrame:
    """The evidence ledger: one row per item, columns :data:`LEDGER_COLUMNS`.

    Parameters
    ----------
    items : iterable of EvidenceItem, or a ledger DataFrame
        A DataFrame (e.g. read back from ``evidence.csv``) is checked and
        returned with the ledger's columns in order.

    Returns
    -------
    DataFrame

    Examples
    --------
    >>> items = [EvidenceItem("cmo-01", "quantitative", "supports", source="units",
    ...                       estimate=0.8, ci_low=0.3, ci_high=1.3, p_value=0.002, n=400),
    ...          EvidenceItem("cmo-01", "qualitative", "contradicts", source="interviews")]
    >>> ledger(items)[["cmo_id", "kind", "direction", "source", "estimate"]]
       cmo_id          kind    direction      source  estimate
    0  cmo-01  quantitative     supports       units       0.8
    1  cmo-01   qualitative  contradicts  interviews       NaN

    A table read back gets the missing columns with their defaults:

    >>> import pandas as pd
    >>> read = pd.DataFrame({"cmo_id": ["cmo-02"], "kind": ["expert"], "direction": ["supports"]})
    >>> ledger(read)[["cmo_id", "source", "strength", "estimate"]]
       cmo_id source  strength  estimate
    0  cmo-02         moderate       NaN
    >>> ledger().columns.tolist() == list(LEDGER_COLUMNS)
    True
    """
    import pandas as pd

    if isinstance(items, pd.DataFrame):
        frame = items.copy()
        missing = [c for c in ("cmo_id", "kind", "direction") if c not in frame.columns]
        if missing:
            raise KeyError(f"a ledger needs columns {', '.join(missing)}")
        defaults = {f.name: f.default for f in fields(EvidenceItem) if f.name in LEDGER_COLUMNS}
        for column in LEDGER_COLUMNS:
            if column not in frame.columns:
                frame[column] = defaults[column]
        text = [c for c in LEDGER_COLUMNS if isinstance(defaults[c], str)]
        for column in text:
            frame[column] = [("" if pd.isna(v) else str(v)) for v in frame[column]]
        return frame[list(LEDGER_COLUMNS)].reset_index(drop=True)
    rows = [item.to_dict() for item in items]
    return pd.DataFrame(rows, columns=list(LEDGER_COLUMNS))


@dataclass(frozen=True)
class VerdictRule:
    """A documented rule from evidence to a verdict per configuration.

    Parameters
    ----------
    name : str
    primary_kinds : tuple of str
        Item kinds whose (first, whole-sample) item decides the verdict on its
        own. Empty: every configuration goes by the balance of evidence.
    min_weight : int
        Balance rule: least total weight of directional items for a verdict.
    ratio : float
        Balance rule: the winning direction needs at least ``ratio`` times
        the weight of every other direction.
    """

    name: str
    primary_kinds: tuple[str, ...] = ("quantitative",)
    min_weight: int = 2
    ratio: float = 2.0

    def __call__(self, items: pd.DataFrame) -> tuple[str, int | None, str]:
        """Verdict, position of the deciding item (or None) and basis text."""
        if items.empty:
            return "insufficient_data", None, "no evidence"
        for kind in self.primary_kinds:
            primary = items[(items["kind"] == kind) & (items["subgroup"] == "")]
            if len(primary):
                # The configuration's own test on units comes before other tests.
                own = primary[primary["source"] == "units"]
                pos = (own if len(own) else primary).index[0]
                label = "quantitative test" if kind == "quantitative" else f"{kind} evidence"
                return _TO_VERDICT[primary.loc[pos, "direction"]], pos, label
        weights: dict[str, int] = {}
        for _, item in items[items["subgroup"] == ""].iterrows():
            if item["direction"] in ("supports", "contradicts", "refines"):
                weights[item["direction"]] = weights.get(item["direction"], 0) + _WEIGHT.get(
                    item["strength"], 2
                )
        total = sum(weights.values())
        if total < self.min_weight:
            return "insufficient_data", None, "balance of evidence"
        best = max(weights, key=weights.get)
        others = [w for d, w in weights.items() if d != best]
        if all(weights[best] >= self.ratio * w for w in others):
            return _TO_VERDICT[best], None, "balance of evidence"
        return "inconclusive", None, "balance of evidence"


QUANTITATIVE_FIRST = VerdictRule("quantitative")
BALANCE = VerdictRule("balance", primary_kinds=())
RULES: dict[str, VerdictRule] = {"quantitative": QUANTITATIVE_FIRST, "balance": BALANCE}

VERDICT_COLUMNS = (
    "cmo_id",
    "verdict",
    "estimate",
    "ci_low",
    "ci_high",
    "p_value",
    "alpha",
    "n",
    "n_exposed_in",
    "n_unexposed_in",
    "estimate_out",
    "p_value_out",
    "refined_context",
    "basis",
    "n_items",
    "n_supports",
    "n_contradicts",
    "n_refines",
    "n_inconclusive",
)


def verdicts(
    evidence: pd.DataFrame | Iterable[EvidenceItem],
    rule: str | VerdictRule | Callable[[pd.DataFrame], str] = "quantitative",
    *,
    theory: ProgrammeTheory | None = None,
) -> pd.DataFrame:
    """One verdict per configuration from its evidence.

    Parameters
    ----------
    evidence : ledger DataFrame or iterable of EvidenceItem
    rule : {"quantitative", "balance"}, VerdictRule or callable
        See the module documentation. A callable gets the configuration's
        ledger rows and returns a verdict.
    theory : ProgrammeTheory, optional
        If given, every configuration of the theory gets a row (in theory
        order); those without evidence are ``insufficient_data``.

    Returns
    -------
    DataFrame
        Columns :data:`VERDICT_COLUMNS`: ``verdict`` is one of
        :data:`VERDICTS`; estimate, interval, p-value, the ``alpha`` of the
        interval, n and cell sizes come from the deciding quantitative item
        (missing otherwise); ``n_*``
        count the configuration's whole-sample items by direction.

    Raises
    ------
    KeyError
        If ``rule`` names an unknown rule.

    Examples
    --------
    Under the default rule the test on units decides cmo-01; the balance rule
    weighs it against the interviews (2 against 2: inconclusive). cmo-02 has
    no test: strong support (3) outweighs a weak contradiction (1) at least
    twice. cmo-03's one weak item (weight 1) is below ``min_weight`` 2.

    >>> items = [
    ...     EvidenceItem("cmo-01", "quantitative", "supports", source="units",
    ...                  estimate=0.8, ci_low=0.3, ci_high=1.3, p_value=0.002, n=400),
    ...     EvidenceItem("cmo-01", "qualitative", "contradicts", source="interviews"),
    ...     EvidenceItem("cmo-02", "qualitative", "supports", source="interviews", strength="strong"),
    ...     EvidenceItem("cmo-02", "document", "contradicts", source="jaarverslag", strength="weak"),
    ...     EvidenceItem("cmo-03", "expert", "supports", source="stuurgroep", strength="weak"),
    ... ]
    >>> verdicts(items)[["cmo_id", "verdict", "basis", "estimate"]]
       cmo_id            verdict                basis  estimate
    0  cmo-01          supported    quantitative test       0.8
    1  cmo-02          supported  balance of evidence       NaN
    2  cmo-03  insufficient_data  balance of evidence       NaN
    >>> verdicts(items, rule="balance")["verdict"].tolist()
    ['inconclusive', 'supported', 'insufficient_data']
    """
    import numpy as np
    import pandas as pd

    table = ledger(evidence)
    if isinstance(rule, str):
        if rule not in RULES:
            raise KeyError(f"unknown verdict rule {rule!r}; known: {', '.join(RULES)}")
        rule = RULES[rule]
    order = list(dict.fromkeys(table["cmo_id"]))
    if theory is not None:
        order = theory.ids + [c for c in order if c not in theory]
    rows = []
    for cmo_id in order:
        items = table[table["cmo_id"] == cmo_id]
        if isinstance(rule, VerdictRule):
            verdict, pos, basis = rule(items)
        else:
            verdict, pos, basis = rule(items), None, getattr(rule, "__name__", "custom rule")
            if pos is None:
                quantitative = items[(items["kind"] == "quantitative") & (items["subgroup"] == "")]
                pos = quantitative.index[0] if len(quantitative) else None
        if verdict not in VERDICTS:
            raise ValueError(
                f"verdict rule returned {verdict!r} for '{cmo_id}'; expected one of "
                f"{', '.join(VERDICTS)}"
            )
        whole = items[items["subgroup"] == ""]
        counts = whole["direction"].value_counts()
        row: dict[str, Any] = {
            "cmo_id": cmo_id,
            "verdict": verdict,
            "basis": basis,
            "n_items": len(whole),
            "n_supports": int(counts.get("supports", 0)),
            "n_contradicts": int(counts.get("contradicts", 0)),
            "n_refines": int(counts.get("refines", 0)),
            "n_inconclusive": int(counts.get("inconclusive", 0)),
        }
        source = items.loc[pos] if pos is not None else None
        for column in (
            "estimate",
            "ci_low",
            "ci_high",
            "p_value",
            "estimate_out",
            "p_value_out",
            "alpha",
        ):
            row[column] = float(source[column]) if source is not None else np.nan
        for column in ("n", "n_exposed_in", "n_unexposed_in"):
            row[column] = int(source[column]) if source is not None else 0
        row["refined_context"] = (
            str(source["refined_context"]) if source is not None and verdict == "refined" else ""
        )
        rows.append(row)
    return pd.DataFrame(rows, columns=list(VERDICT_COLUMNS))


def refinements(
    verdict_table: pd.DataFrame, theory: ProgrammeTheory | None = None
) -> dict[str, dict[str, str]]:
    """Proposed refinements from a verdict table, for :meth:`ProgrammeTheory.refine`.

    Every configuration with verdict ``refined`` gets its context expression
    replaced by the context in which its test found the mechanism working.
    With ``theory``, the context description is rewritten to match
    (``"Niet: <old description>"``) so that card and expression agree; edit
    it into a better phrase before adopting the refined theory.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"cmo_id": ["cmo-01", "cmo-02"],
    ...                       "verdict": ["supported", "refined"],
    ...                       "refined_context": ["", "not (age < 45)"]})
    >>> refinements(table)
    {'cmo-02': {'context.expression': 'not (age < 45)'}}
    """
    out: dict[str, dict[str, str]] = {}
    for _, row in verdict_table.iterrows():
        if row["verdict"] == "refined" and str(row["refined_context"]).strip():
            change = {"context.expression": str(row["refined_context"])}
            if theory is not None and row["cmo_id"] in theory:
                description = theory[row["cmo_id"]].context.description
                change["context.description"] = f"Niet: {description}"
            out[row["cmo_id"]] = change
    return out
