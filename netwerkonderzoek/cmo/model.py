"""Programme theory: CMO configurations, loading, validation, refinement.

A programme theory is the set of context–mechanism–outcome (CMO)
configurations a network believes explains its outcomes (Pawson & Tilley
1997). Each configuration carries its operationalisation in data: the
context as an expression over columns of the ``units`` table, the mechanism's
exposure column (0/1), and the outcome measure with its expected direction
and scale. Following Dalkin et al. (2015), the mechanism is split into the
*resource* a programme offers and the *reasoning* (response) of the people
who receive it.

Theories are stored as YAML in ``config/theories/<network_id>.yaml`` and read
with :func:`~netwerkonderzoek.cmo.load_theory`, which validates every field and raises a
:class:`~netwerkonderzoek.exceptions.TheoryError` naming the file, the
configuration id and the field at fault. A theory is refined in cycles:
:meth:`ProgrammeTheory.refine` returns a new version that links to the
previous one, :func:`diff` lists what changed, and
:func:`~netwerkonderzoek.cmo.save_theory` writes a version back to YAML
(reading and writing live in :mod:`netwerkonderzoek.cmo.io`).

References
----------
Pawson, R., & Tilley, N. (1997). *Realistic Evaluation*. London: Sage.

Dalkin, S. M., Greenhalgh, J., Jones, D., Cunningham, B., & Lhussier, M.
(2015). What's in a mechanism? Development of a key concept in realist
evaluation. *Implementation Science*, 10, 49.
https://doi.org/10.1186/s13012-015-0237-x

Examples
--------
>>> from netwerkonderzoek.cmo import ProgrammeTheory
>>> theory = ProgrammeTheory.from_dict({
...     "network_id": "wijk-noord", "name": "Programmatheorie", "version": 1,
...     "label": "initial", "date": "2022-01-15",
...     "configurations": [{
...         "id": "cmo-01",
...         "statement": "Een buurtcoach verhoogt het welzijn in hechte buurten.",
...         "perspective": "societal", "form": "direct",
...         "context": {"description": "Hechte buurten", "expression": "social_cohesion >= 6"},
...         "mechanism": {"resource": "Buurtcoach", "reasoning": "Bewoners voelen zich gehoord",
...                       "exposure": "buurtcoach"},
...         "outcome": {"description": "Welzijn (0-10)", "measure": "wellbeing",
...                     "direction": "increase", "scale": "continuous"},
...     }],
... })
>>> theory["cmo-01"].context.expression
'social_cohesion >= 6'
>>> refined = theory.refine(update={"cmo-01": {"context.expression": "social_cohesion < 6"}},
...                         date="2023-01-15")
>>> (refined.version, refined.label, refined.previous.version)
(2, 'refined', 1)
>>> diff(theory, refined)[["cmo_id", "change", "field", "old", "new"]].to_dict("records")
[{'cmo_id': 'cmo-01', 'change': 'changed', 'field': 'context.expression', 'old': 'social_cohesion >= 6', 'new': 'social_cohesion < 6'}]
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..exceptions import TheoryError
from ..vocabulary import FORMS, PERSPECTIVES, SLUG_PATTERN
from .expression import Expression

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "DESIGN_KINDS",
    "DIRECTIONS",
    "ESTIMATORS",
    "FORMS",
    "LABELS",
    "PERSPECTIVES",
    "SCALES",
    "CMOConfiguration",
    "Context",
    "Design",
    "Mechanism",
    "Outcome",
    "ProgrammeTheory",
    "check_configuration_columns",
    "diff",
]

DIRECTIONS = ("increase", "decrease")
SCALES = ("continuous", "binary")
LABELS = ("initial", "refined")
DESIGN_KINDS = ("cross_section", "prepost", "its", "did")
ESTIMATORS = ("ancova", "fixed_effects")

_SLUG = re.compile(SLUG_PATTERN)
_COLUMN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

_TOP_KEYS = ("network_id", "name", "version", "label", "date", "configurations", "previous")
_CMO_KEYS = (
    "id",
    "statement",
    "perspective",
    "form",
    "context",
    "mechanism",
    "outcome",
    "codes",
    "covariates",
    "design",
)
_DESIGN_KEYS = {
    "cross_section": ("kind",),
    "prepost": ("kind", "measurement", "baseline", "unit_id", "estimator"),
    "its": ("kind", "indicator", "event", "areas"),
    "did": ("kind", "indicator", "event", "treated", "comparison"),
}
_PART_KEYS = {
    "context": ("description", "expression"),
    "mechanism": ("resource", "reasoning", "exposure"),
    "outcome": ("description", "measure", "direction", "scale"),
}

# Fields compared by diff, as dotted paths.
FIELDS = (
    "statement",
    "perspective",
    "form",
    "context.description",
    "context.expression",
    "mechanism.resource",
    "mechanism.reasoning",
    "mechanism.exposure",
    "outcome.description",
    "outcome.measure",
    "outcome.direction",
    "outcome.scale",
    "codes",
    "covariates",
    "design",
)


@dataclass(frozen=True)
class Context:
    """The context (C) in which a mechanism is expected to fire.

    Parameters
    ----------
    description : str
        Plain-language description ("Buurten met veel sociale samenhang").
    expression : str
        Boolean expression over unit columns (see
        :class:`~netwerkonderzoek.cmo.Expression`); parsed on creation.
    """

    description: str
    expression: str

    def __post_init__(self) -> None:
        Expression(self.expression)

    @property
    def parsed(self) -> Expression:
        """The parsed expression."""
        return Expression(self.expression)

    @property
    def complement(self) -> str:
        """Expression of the complement, ``not (<expression>)``."""
        return self.parsed.complement().text


@dataclass(frozen=True)
class Mechanism:
    """The mechanism (M): the resource offered and the reasoning it triggers.

    Following Dalkin et al. (2015, doi:10.1186/s13012-015-0237-x) a
    mechanism is the *resource* a programme introduces plus the *reasoning*
    or response of the people receiving it. ``exposure`` is the 0/1 column
    of the units table saying who received the resource.
    """

    resource: str
    reasoning: str
    exposure: str


@dataclass(frozen=True)
class Outcome:
    """The outcome (O): what changes, measured how, in which expected direction.

    ``measure`` is a column of the units table; ``direction`` is
    ``increase`` or ``decrease``; ``scale`` is ``continuous`` (effects are
    differences in means) or ``binary`` (0/1; effects are differences in
    proportions).
    """

    description: str
    measure: str
    direction: str = "increase"
    scale: str = "continuous"

    @property
    def sign(self) -> int:
        """+1 if the outcome should increase, -1 if it should decrease."""
        return 1 if self.direction == "increase" else -1


@dataclass(frozen=True)
class Design:
    """How a configuration is tested: the study design of its data.

    Parameters
    ----------
    kind : {"cross_section", "prepost", "its", "did"}
        ``cross_section`` (default): every row of the units table is an
        observation, exposed or not. ``prepost``: units measured at a
        baseline (intake, T0), before anyone was exposed, and at follow-up;
        a baseline row is never counted as exposed. ``its`` / ``did``:
        area-level configurations tested on an indicator series (interrupted
        time series, difference-in-differences), not on units.
    measurement : str
        ``prepost``: the column that marks the measurement (``wave``).
    baseline : tuple
        ``prepost``: the value(s) of ``measurement`` that are baseline (``1``, ``"T0"``).
    unit_id : str
        ``prepost``: the column that identifies a unit across measurements.
    estimator : {"ancova", "fixed_effects"}
        ``prepost``: ``ancova`` regresses the follow-up outcome on exposure
        with the unit's baseline outcome as covariate; ``fixed_effects`` uses
        every measurement with unit fixed effects and exposure × follow-up.
    indicator : str
        ``its``/``did``: the indicator id.
    event : str
        ``its``/``did``: the start period, a date or the title of a timeline event.
    areas, treated, comparison : tuple of str
        ``its``: areas to pool (empty: all); ``did``: treated and comparison areas.

    Examples
    --------
    >>> Design.from_dict({"kind": "prepost", "measurement": "wave", "baseline": 1})
    Design(kind='prepost', measurement='wave', baseline=(1,), unit_id='unit_id', estimator='ancova', indicator='', event='', areas=(), treated=(), comparison=())
    """

    kind: str = "cross_section"
    measurement: str = ""
    baseline: tuple = ()
    unit_id: str = "unit_id"
    estimator: str = "ancova"
    indicator: str = ""
    event: str = ""
    areas: tuple[str, ...] = ()
    treated: tuple[str, ...] = ()
    comparison: tuple[str, ...] = ()

    @property
    def on_indicators(self) -> bool:
        """True for ``its`` and ``did``: tested on an indicator series, not on units."""
        return self.kind in ("its", "did")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None, *, path=None, cmo_id=None) -> Design:
        """Build and validate a design block (the ``design`` key of a configuration).

        Raises
        ------
        TheoryError
            Naming the file, configuration and key path (``design.baseline``...).
        """
        return _design(data, path=path, cmo_id=cmo_id)

    def to_dict(self) -> dict[str, Any]:
        """The design block in the YAML layout (only the keys of its kind)."""
        data: dict[str, Any] = {}
        for key in _DESIGN_KEYS[self.kind]:
            value = getattr(self, key)
            if isinstance(value, tuple):
                if not value and key != "baseline":
                    continue
                value = list(value)
            data[key] = value
        return data

    def __str__(self) -> str:
        if self.kind == "prepost":
            base = ", ".join(map(str, self.baseline))
            return (
                f"prepost ({self.measurement}; baseline {base}; unit {self.unit_id}; "
                f"{self.estimator})"
            )
        if self.on_indicators:
            return f"{self.kind} ({self.indicator}; event {self.event})"
        return self.kind


@dataclass(frozen=True)
class CMOConfiguration:
    """One CMO configuration with its operationalisation in data.

    Parameters
    ----------
    id : str
        Slug, unique within the theory (``cmo-01``).
    statement : str
        Plain-language statement "In context C, resource M makes people ... so that O".
    perspective : {"societal", "network", "partner"}
        The value perspective of the outcome (background article: maatschappelijke,
        netwerk- of partnerwaarde).
    form : {"direct", "indirect"}
        Direct value (outside, for residents) or indirect (inside the organisations).
    context, mechanism, outcome : Context, Mechanism, Outcome
    codes : tuple of str
        Qualitative codes of observations that speak to this configuration.
    covariates : tuple of str
        Unit columns to adjust for when testing the configuration.
    design : Design
        The study design the configuration is tested in (default cross-section).
    """

    id: str
    statement: str
    perspective: str
    form: str
    context: Context
    mechanism: Mechanism
    outcome: Outcome
    codes: tuple[str, ...] = ()
    covariates: tuple[str, ...] = ()
    design: Design = field(default_factory=Design)

    @property
    def columns(self) -> dict[str, tuple[str, ...]]:
        """Unit columns used, by field (``context.expression``, ``mechanism.exposure``...)."""
        columns = {
            "context.expression": self.context.parsed.columns,
            "mechanism.exposure": (self.mechanism.exposure,),
            "outcome.measure": (self.outcome.measure,),
            "covariates": tuple(self.covariates),
        }
        if self.design.kind == "prepost":
            columns["design.measurement"] = (self.design.measurement,)
            columns["design.unit_id"] = (self.design.unit_id,)
        return columns

    def get(self, dotted: str) -> Any:
        """Value of a field by dotted path (``context.expression``)."""
        value: Any = self
        for part in dotted.split("."):
            value = getattr(value, part)
        return value

    def to_dict(self) -> dict[str, Any]:
        """The configuration as a plain dict in the YAML layout."""
        data: dict[str, Any] = {
            "id": self.id,
            "statement": self.statement,
            "perspective": self.perspective,
            "form": self.form,
            "context": {
                "description": self.context.description,
                "expression": self.context.expression,
            },
            "mechanism": {
                "resource": self.mechanism.resource,
                "reasoning": self.mechanism.reasoning,
                "exposure": self.mechanism.exposure,
            },
            "outcome": {
                "description": self.outcome.description,
                "measure": self.outcome.measure,
                "direction": self.outcome.direction,
                "scale": self.outcome.scale,
            },
            "codes": list(self.codes),
        }
        if self.covariates:
            data["covariates"] = list(self.covariates)
        if self.design.kind != "cross_section":
            data["design"] = self.design.to_dict()
        return data

    def _repr_html_(self) -> str:
        e = html.escape
        arrow = "↑" if self.outcome.direction == "increase" else "↓"
        covs = ", ".join(self.covariates) or "–"
        return (
            '<div style="border:1px solid #bbb;border-radius:6px;padding:8px 12px;'
            'margin:4px 0;max-width:60em;font-family:sans-serif">'
            f"<div><b>{e(self.id)}</b> · {e(self.perspective)} · {e(self.form)}</div>"
            f'<div style="font-style:italic;margin:4px 0">{e(self.statement)}</div>'
            '<table style="border-collapse:collapse"><tr>'
            f'<td style="padding:4px;vertical-align:top;background:#eef4fb"><b>C</b> '
            f"{e(self.context.description)}<br><code>{e(self.context.expression)}</code></td>"
            '<td style="padding:4px;vertical-align:top">+</td>'
            f'<td style="padding:4px;vertical-align:top;background:#eefbf3"><b>M</b> '
            f"{e(self.mechanism.resource)}<br><small>{e(self.mechanism.reasoning)}</small>"
            f"<br><code>{e(self.mechanism.exposure)}</code></td>"
            '<td style="padding:4px;vertical-align:top">→</td>'
            f'<td style="padding:4px;vertical-align:top;background:#fbf6ee"><b>O</b> '
            f"{e(self.outcome.description)} {arrow}<br><code>{e(self.outcome.measure)}</code> "
            f"({e(self.outcome.scale)})</td></tr></table>"
            f"<div><small>codes: {e(', '.join(self.codes))} · covariates: {e(covs)}</small></div>"
            "</div>"
        )

    def __str__(self) -> str:
        return (
            f"{self.id}: C[{self.context.expression}] + M[{self.mechanism.exposure}] → "
            f"O[{self.outcome.measure} {self.outcome.direction}]"
        )


@dataclass(frozen=True)
class ProgrammeTheory:
    """A named, versioned set of CMO configurations for one network.

    Attributes
    ----------
    network_id, name : str
    version : int
        1 for the initial theory, +1 per refinement.
    label : {"initial", "refined"}
    date : str
        Date of this version (``YYYY-MM-DD``).
    configurations : tuple of CMOConfiguration
    previous : ProgrammeTheory or None
        The version this one refines.
    path : Path or None
        The file the theory was read from.
    """

    network_id: str
    name: str
    version: int
    label: str
    date: str
    configurations: tuple[CMOConfiguration, ...]
    previous: ProgrammeTheory | None = field(default=None, compare=False, repr=False)
    path: Path | None = field(default=None, compare=False, repr=False)

    # -- access ---------------------------------------------------------------
    @property
    def ids(self) -> list[str]:
        """Configuration ids in theory order."""
        return [c.id for c in self.configurations]

    def __getitem__(self, cmo_id: str) -> CMOConfiguration:
        for config in self.configurations:
            if config.id == cmo_id:
                return config
        raise KeyError(
            f"configuration '{cmo_id}' is not in theory '{self.network_id}' "
            f"version {self.version}; known: {', '.join(self.ids)}"
        )

    def __contains__(self, cmo_id: object) -> bool:
        return cmo_id in self.ids

    def __iter__(self) -> Iterator[CMOConfiguration]:
        return iter(self.configurations)

    def __len__(self) -> int:
        return len(self.configurations)

    @property
    def history(self) -> list[ProgrammeTheory]:
        """All versions, oldest first, ending with this one."""
        chain: list[ProgrammeTheory] = []
        node: ProgrammeTheory | None = self
        while node is not None:
            chain.append(node)
            node = node.previous
        return chain[::-1]

    # -- validation -------------------------------------------------------------
    def check_columns(self, units: pd.DataFrame) -> None:
        """Check that every column a configuration uses exists in ``units``.

        Also checks that exposure columns are 0/1 and outcome columns numeric
        (0/1 for binary outcomes).

        Raises
        ------
        TheoryError
            Naming the file, configuration id, field and column.
        """
        for config in self.configurations:
            check_configuration_columns(config, units, path=self.path)

    # -- conversion -----------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The theory as a plain dict in the YAML layout."""
        return {
            "network_id": self.network_id,
            "name": self.name,
            "version": self.version,
            "label": self.label,
            "date": self.date,
            "configurations": [c.to_dict() for c in self.configurations],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, path: str | Path | None = None):
        """Build and validate a theory from a dict in the YAML layout.

        Raises
        ------
        TheoryError
            On the first fault, naming file, configuration id and field.
        """
        return _theory_from_dict(data, path=None if path is None else Path(path))

    def to_frame(self) -> pd.DataFrame:
        """One row per configuration: id, perspective, form, C, M, O and columns."""
        import pandas as pd

        rows = [
            {
                "cmo_id": c.id,
                "perspective": c.perspective,
                "form": c.form,
                "context": c.context.description,
                "expression": c.context.expression,
                "resource": c.mechanism.resource,
                "exposure": c.mechanism.exposure,
                "outcome": c.outcome.description,
                "measure": c.outcome.measure,
                "direction": c.outcome.direction,
                "scale": c.outcome.scale,
                "covariates": ";".join(c.covariates),
            }
            for c in self.configurations
        ]
        return pd.DataFrame(rows)

    # -- refinement -------------------------------------------------------------
    def refine(
        self,
        *,
        update: Mapping[str, Mapping[str, Any]] | None = None,
        add: list[CMOConfiguration | Mapping[str, Any]] | tuple = (),
        remove: list[str] | tuple = (),
        date: str | dt.date | None = None,
        name: str | None = None,
    ) -> ProgrammeTheory:
        """Return the next version of the theory, linked to this one.

        Parameters
        ----------
        update : mapping of cmo_id to {dotted field: new value}
            Changes to existing configurations, e.g.
            ``{"cmo-02": {"context.expression": "not (social_cohesion >= 6)"}}``.
        add : list of CMOConfiguration or dict
            New configurations.
        remove : list of str
            Ids of configurations to drop.
        date : str or date, optional
            Date of the new version (default: today).
        name : str, optional
            New name (default: unchanged).

        Returns
        -------
        ProgrammeTheory
            ``version + 1``, label ``refined``, ``previous`` set to this theory.

        Raises
        ------
        TheoryError
            If an id is unknown or duplicated, a field unknown, or a value invalid.
        """
        update = dict(update or {})
        for cmo_id in list(update) + list(remove):
            if cmo_id not in self:
                raise TheoryError(
                    f"cannot refine: no configuration with this id; known: {', '.join(self.ids)}",
                    cmo_id=cmo_id,
                )
        configs = []
        for config in self.configurations:
            if config.id in remove:
                continue
            if config.id in update:
                data = config.to_dict()
                for dotted, value in update[config.id].items():
                    if dotted not in FIELDS:
                        raise TheoryError(
                            f"unknown field; expected one of {', '.join(FIELDS)}",
                            cmo_id=config.id,
                            field=dotted,
                        )
                    target = data
                    parts = dotted.split(".")
                    for part in parts[:-1]:
                        target = target[part]
                    if isinstance(value, Design):
                        value = value.to_dict()
                    target[parts[-1]] = (
                        list(value) if parts[-1] in ("codes", "covariates") else value
                    )
                configs.append(data)
            else:
                configs.append(config.to_dict())
        for new in add:
            configs.append(new.to_dict() if isinstance(new, CMOConfiguration) else dict(new))
        when = date or dt.date.today()
        data = {
            **self.to_dict(),
            "version": self.version + 1,
            "label": "refined",
            "date": when.isoformat() if isinstance(when, dt.date) else str(when),
            "name": name or self.name,
            "configurations": configs,
        }
        theory = _theory_from_dict(data, path=None)
        return replace(theory, previous=self)

    # -- display --------------------------------------------------------------
    def _repr_html_(self) -> str:
        e = html.escape
        head = (
            f"<p><b>{e(self.name)}</b> ({e(self.network_id)}), versie {self.version} "
            f"({e(self.label)}, {e(self.date)}), {len(self)} configuraties</p>"
        )
        rows = []
        for c in self.configurations:
            arrow = "↑" if c.outcome.direction == "increase" else "↓"
            rows.append(
                "<tr>"
                f"<td><b>{e(c.id)}</b></td><td>{e(c.perspective)}<br>{e(c.form)}</td>"
                f"<td>{e(c.context.description)}<br><code>{e(c.context.expression)}</code></td>"
                f"<td>{e(c.mechanism.resource)}<br><code>{e(c.mechanism.exposure)}</code></td>"
                f"<td>{e(c.outcome.description)} {arrow}<br><code>{e(c.outcome.measure)}</code></td>"
                "</tr>"
            )
        table = (
            '<table style="text-align:left"><thead><tr><th>id</th><th>perspectief</th>'
            "<th>C (context)</th><th>M (mechanisme)</th><th>O (uitkomst)</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
        return head + table

    def __str__(self) -> str:
        lines = [f"{self.name} ({self.network_id}) v{self.version} {self.label} {self.date}"]
        lines += [f"  {c}" for c in self.configurations]
        return "\n".join(lines)


def diff(old: ProgrammeTheory, new: ProgrammeTheory) -> pd.DataFrame:
    """What changed between two versions of a theory.

    Returns
    -------
    DataFrame
        One row per change: ``cmo_id``, ``change`` (``added``, ``removed`` or
        ``changed``), ``field`` (dotted path; empty for added/removed), ``old``
        and ``new`` (text). Ordered by the old theory, then added ones.

    Examples
    --------
    >>> theory = ProgrammeTheory.from_dict({
    ...     "network_id": "wijk-noord", "name": "Programmatheorie", "version": 1,
    ...     "label": "initial", "date": "2022-01-15",
    ...     "configurations": [{
    ...         "id": "cmo-01", "statement": "Een buurtcoach verhoogt het welzijn in hechte buurten.",
    ...         "perspective": "societal", "form": "direct",
    ...         "context": {"description": "Hechte buurten", "expression": "social_cohesion >= 6"},
    ...         "mechanism": {"resource": "Buurtcoach", "reasoning": "Bewoners voelen zich gehoord",
    ...                       "exposure": "buurtcoach"},
    ...         "outcome": {"description": "Welzijn (0-10)", "measure": "wellbeing",
    ...                     "direction": "increase", "scale": "continuous"},
    ...     }],
    ... })
    >>> new = theory.refine(update={"cmo-01": {"outcome.direction": "decrease"}},
    ...                     add=[{**theory["cmo-01"].to_dict(), "id": "cmo-02"}], date="2023-01-15")
    >>> diff(theory, new)[["cmo_id", "change", "field", "old"]].to_numpy().tolist()
    [['cmo-01', 'changed', 'outcome.direction', 'increase'], ['cmo-02', 'added', '', '']]
    >>> diff(theory, theory).empty
    True
    """
    import pandas as pd

    rows = []
    for config in old.configurations:
        if config.id not in new:
            rows.append(
                {
                    "cmo_id": config.id,
                    "change": "removed",
                    "field": "",
                    "old": str(config),
                    "new": "",
                }
            )
            continue
        other = new[config.id]
        for dotted in FIELDS:
            before, after = config.get(dotted), other.get(dotted)
            if before != after:
                rows.append(
                    {
                        "cmo_id": config.id,
                        "change": "changed",
                        "field": dotted,
                        "old": _show(before),
                        "new": _show(after),
                    }
                )
    for config in new.configurations:
        if config.id not in old:
            rows.append(
                {
                    "cmo_id": config.id,
                    "change": "added",
                    "field": "",
                    "old": "",
                    "new": str(config),
                }
            )
    return pd.DataFrame(rows, columns=["cmo_id", "change", "field", "old", "new"])


def _show(value: Any) -> str:
    if isinstance(value, tuple):
        return ";".join(map(str, value))
    return str(value)


# -- validation helpers --------------------------------------------------------


def check_configuration_columns(
    config: CMOConfiguration, units: pd.DataFrame, *, path: Path | str | None = None
) -> None:
    """Check the columns of one configuration against a units table.

    A configuration with an ``its`` or ``did`` design is tested on
    indicators, not units: it has nothing to check here.

    Raises
    ------
    TheoryError
        If a column is missing, an exposure is not 0/1, an outcome is not
        numeric (0/1 for binary outcomes), a literal in the context
        expression does not have the type of the column it is compared with
        (``social_housing == '1'`` on a numeric column), or a pre/post
        design's baseline is not in the measurement column.

    Examples
    --------
    >>> import pandas as pd
    >>> theory = ProgrammeTheory.from_dict({
    ...     "network_id": "wijk-noord", "name": "Programmatheorie", "version": 1,
    ...     "label": "initial", "date": "2022-01-15",
    ...     "configurations": [{
    ...         "id": "cmo-01", "statement": "Een buurtcoach verhoogt het welzijn in hechte buurten.",
    ...         "perspective": "societal", "form": "direct",
    ...         "context": {"description": "Hechte buurten", "expression": "social_cohesion >= 6"},
    ...         "mechanism": {"resource": "Buurtcoach", "reasoning": "Bewoners voelen zich gehoord",
    ...                       "exposure": "buurtcoach"},
    ...         "outcome": {"description": "Welzijn (0-10)", "measure": "wellbeing",
    ...                     "direction": "increase", "scale": "continuous"},
    ...     }],
    ... })
    >>> units = pd.DataFrame({"social_cohesion": [7, 4], "buurtcoach": [1, 0],
    ...                       "wellbeing": [6.5, 5.0]})
    >>> check_configuration_columns(theory["cmo-01"], units)
    >>> check_configuration_columns(theory["cmo-01"], units.assign(buurtcoach=["ja", "nee"]))
    Traceback (most recent call last):
    ...
    netwerkonderzoek.exceptions.TheoryError: configuration 'cmo-01', field 'mechanism.exposure': exposure column 'buurtcoach' must hold 0/1, found ['ja', 'nee']
    """
    import numpy as np
    import pandas as pd

    if config.design.on_indicators:
        return

    for field_name, columns in config.columns.items():
        for column in columns:
            if column not in units.columns:
                raise TheoryError(
                    f"column '{column}' is not in the units table",
                    path=path,
                    cmo_id=config.id,
                    field=field_name,
                )
    try:
        config.context.parsed.check_types(units)
    except TheoryError as exc:
        raise TheoryError(
            exc.reason, path=path, cmo_id=config.id, field="context.expression"
        ) from None
    if config.design.kind == "prepost":
        _check_prepost(config, units, path=path)
    exposure = units[config.mechanism.exposure]
    values = pd.to_numeric(exposure, errors="coerce")
    if (values.isna() & exposure.notna()).any() or not values.dropna().isin([0, 1]).all():
        raise TheoryError(
            f"exposure column '{config.mechanism.exposure}' must hold 0/1, "
            f"found {sorted(map(str, pd.unique(exposure.dropna())))[:5]}",
            path=path,
            cmo_id=config.id,
            field="mechanism.exposure",
        )
    outcome = units[config.outcome.measure]
    numeric = pd.to_numeric(outcome, errors="coerce")
    if (numeric.isna() & outcome.notna()).any():
        raise TheoryError(
            f"outcome column '{config.outcome.measure}' must be numeric",
            path=path,
            cmo_id=config.id,
            field="outcome.measure",
        )
    if config.outcome.scale == "binary" and not numeric.dropna().isin([0, 1]).all():
        raise TheoryError(
            f"outcome column '{config.outcome.measure}' has scale 'binary' but holds "
            f"values other than 0/1 (e.g. {numeric[~numeric.isin([0, 1])].dropna().iloc[0]:g})",
            path=path,
            cmo_id=config.id,
            field="outcome.scale",
        )
    for column in config.covariates:
        if units[column].dtype.kind not in "biuf" and not np.issubdtype(
            pd.to_numeric(units[column], errors="coerce").dtype, np.number
        ):  # pragma: no cover - to_numeric always numeric
            raise TheoryError(
                f"covariate '{column}' is not numeric",
                path=path,
                cmo_id=config.id,
                field="covariates",
            )


def _check_prepost(config: CMOConfiguration, units: pd.DataFrame, *, path) -> None:
    import pandas as pd

    design = config.design
    marks = units[design.measurement]
    present = set(pd.unique(marks.dropna()))
    baseline = [v for v in design.baseline if v in present]
    if not baseline:
        shown = ", ".join(map(repr, sorted(present, key=str)[:8]))
        raise TheoryError(
            f"no row of the units table has {design.measurement} in "
            f"{list(design.baseline)}; values found: {shown}",
            path=path,
            cmo_id=config.id,
            field="design.baseline",
        )
    if present <= set(design.baseline):
        raise TheoryError(
            f"every row of the units table is a baseline measurement "
            f"({design.measurement} in {list(design.baseline)}); a pre/post design "
            "needs follow-up rows too",
            path=path,
            cmo_id=config.id,
            field="design.baseline",
        )


def _design(data: Any, *, path, cmo_id) -> Design:
    """Validate a configuration's ``design`` block (see :class:`Design`)."""
    kw = {"path": path, "cmo_id": cmo_id}
    if data is None:
        return Design()
    if not isinstance(data, Mapping):
        raise TheoryError(
            f"expected a mapping with key 'kind', got {type(data).__name__}",
            field="design",
            **kw,
        )
    kind = _choice(data.get("kind", "cross_section"), DESIGN_KINDS, field_name="design.kind", **kw)
    _keys(data, _DESIGN_KEYS[kind], where="design", **kw)
    if kind == "cross_section":
        return Design()
    if kind == "prepost":
        for key in ("measurement", "baseline"):
            if key not in data:
                raise TheoryError("required field is missing", field=f"design.{key}", **kw)
        baseline = data["baseline"]
        baseline = list(baseline) if isinstance(baseline, (list, tuple)) else [baseline]
        if not baseline or any(
            isinstance(v, bool) or not isinstance(v, (int, float, str)) for v in baseline
        ):
            raise TheoryError(
                f"got {data['baseline']!r}; expected a value or a list of values "
                "(numbers or text) of the measurement column",
                field="design.baseline",
                **kw,
            )
        return Design(
            kind=kind,
            measurement=_column(data["measurement"], field_name="design.measurement", **kw),
            baseline=tuple(baseline),
            unit_id=_column(data.get("unit_id", "unit_id"), field_name="design.unit_id", **kw),
            estimator=_choice(
                data.get("estimator", "ancova"), ESTIMATORS, field_name="design.estimator", **kw
            ),
        )
    for key in ("indicator", "event"):
        if key not in data:
            raise TheoryError("required field is missing", field=f"design.{key}", **kw)
    event = data["event"]
    if isinstance(event, dt.date):
        event = event.isoformat()
    lists = {}
    for key in ("areas", "treated", "comparison"):
        if key not in _DESIGN_KEYS[kind]:
            continue
        value = data.get(key) or []
        if isinstance(value, str) or not isinstance(value, list):
            raise TheoryError(
                f"expected a list of area names, got {value!r}", field=f"design.{key}", **kw
            )
        lists[key] = tuple(_text(v, field_name=f"design.{key}", **kw) for v in value)
    return Design(
        kind=kind,
        indicator=_text(data["indicator"], field_name="design.indicator", **kw),
        event=_text(event, field_name="design.event", **kw),
        **lists,
    )


def _text(value: Any, *, path, cmo_id, field_name) -> str:
    if not isinstance(value, str) or not value.strip():
        raise TheoryError(
            f"expected non-empty text, got {value!r}", path=path, cmo_id=cmo_id, field=field_name
        )
    return value.strip()


def _choice(value: Any, choices: tuple[str, ...], *, path, cmo_id, field_name) -> str:
    if value not in choices:
        raise TheoryError(
            f"got {value!r}; expected one of {', '.join(choices)}",
            path=path,
            cmo_id=cmo_id,
            field=field_name,
        )
    return value


def _column(value: Any, *, path, cmo_id, field_name) -> str:
    if not isinstance(value, str) or not _COLUMN.match(value):
        raise TheoryError(
            f"got {value!r}; expected a column name (letters, digits, underscores)",
            path=path,
            cmo_id=cmo_id,
            field=field_name,
        )
    return value


def _keys(data: Any, allowed: tuple[str, ...], *, path, cmo_id, where: str | None) -> None:
    if not isinstance(data, Mapping):
        raise TheoryError(
            f"expected a mapping with keys {', '.join(allowed)}, got {type(data).__name__}",
            path=path,
            cmo_id=cmo_id,
            field=where,
        )
    for key in data:
        if key not in allowed:
            name = f"{where}.{key}" if where else str(key)
            raise TheoryError(
                f"unknown key; expected one of {', '.join(allowed)}",
                path=path,
                cmo_id=cmo_id,
                field=name,
            )


def _configuration(data: Any, index: int, *, path) -> CMOConfiguration:
    if not isinstance(data, Mapping):
        raise TheoryError(
            f"expected a mapping, got {type(data).__name__}",
            path=path,
            field=f"configurations.{index}",
        )
    cmo_id = data.get("id")
    if not isinstance(cmo_id, str) or not _SLUG.match(cmo_id):
        raise TheoryError(
            f"got {cmo_id!r}; expected a slug (lowercase letters, digits, hyphens)",
            path=path,
            field=f"configurations.{index}.id",
        )
    kw = {"path": path, "cmo_id": cmo_id}
    _keys(data, _CMO_KEYS, where=None, **kw)
    for key in ("statement", "perspective", "form", "context", "mechanism", "outcome"):
        if key not in data:
            raise TheoryError("required field is missing", field=key, **kw)
    parts = {}
    for part, keys in _PART_KEYS.items():
        _keys(data[part], keys, where=part, **kw)
        required = keys if part != "outcome" else ("description", "measure", "direction", "scale")
        for key in required:
            if key not in data[part]:
                raise TheoryError("required field is missing", field=f"{part}.{key}", **kw)
        parts[part] = data[part]
    ctx, mech, out = parts["context"], parts["mechanism"], parts["outcome"]
    expression = ctx["expression"]
    try:
        Expression(expression if isinstance(expression, str) else "")
    except TheoryError as exc:
        raise TheoryError(exc.reason, field="context.expression", **kw) from None
    codes = data.get("codes", [cmo_id])
    if isinstance(codes, str) or not isinstance(codes, list):
        raise TheoryError(f"expected a list of codes, got {codes!r}", field="codes", **kw)
    codes = [_text(code, field_name="codes", **kw) for code in codes]
    covariates = data.get("covariates") or []
    if isinstance(covariates, str) or not isinstance(covariates, list):
        raise TheoryError(
            f"expected a list of column names, got {covariates!r}", field="covariates", **kw
        )
    covariates = [_column(c, field_name="covariates", **kw) for c in covariates]
    if len(set(covariates)) != len(covariates):
        raise TheoryError(f"covariates repeat a column: {covariates}", field="covariates", **kw)
    exposure = _column(mech["exposure"], field_name="mechanism.exposure", **kw)
    measure = _column(out["measure"], field_name="outcome.measure", **kw)
    clash = sorted({exposure, measure} & set(covariates))
    if exposure == measure or clash:
        raise TheoryError(
            f"exposure, outcome and covariates must be different columns; "
            f"'{clash[0] if clash else exposure}' is used twice",
            field="covariates" if clash else "outcome.measure",
            **kw,
        )
    return CMOConfiguration(
        id=cmo_id,
        statement=_text(data["statement"], field_name="statement", **kw),
        perspective=_choice(data["perspective"], PERSPECTIVES, field_name="perspective", **kw),
        form=_choice(data["form"], FORMS, field_name="form", **kw),
        context=Context(
            description=_text(ctx["description"], field_name="context.description", **kw),
            expression=expression.strip(),
        ),
        mechanism=Mechanism(
            resource=_text(mech["resource"], field_name="mechanism.resource", **kw),
            reasoning=_text(mech["reasoning"], field_name="mechanism.reasoning", **kw),
            exposure=exposure,
        ),
        outcome=Outcome(
            description=_text(out["description"], field_name="outcome.description", **kw),
            measure=measure,
            direction=_choice(out["direction"], DIRECTIONS, field_name="outcome.direction", **kw),
            scale=_choice(out["scale"], SCALES, field_name="outcome.scale", **kw),
        ),
        codes=tuple(codes),
        covariates=tuple(covariates),
        design=_design(data.get("design"), **kw),
    )


def _theory_from_dict(data: Any, *, path: Path | None) -> ProgrammeTheory:
    _keys(data, _TOP_KEYS, path=path, cmo_id=None, where=None)
    for key in ("network_id", "name", "version", "label", "date", "configurations"):
        if key not in data:
            raise TheoryError("required key is missing", path=path, field=key)
    network_id = data["network_id"]
    if not isinstance(network_id, str) or not _SLUG.match(network_id):
        raise TheoryError(f"got {network_id!r}; expected a slug", path=path, field="network_id")
    version = data["version"]
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise TheoryError(
            f"got {version!r}; expected a whole number of at least 1", path=path, field="version"
        )
    date = data["date"]
    if isinstance(date, dt.date):
        date = date.isoformat()
    if not isinstance(date, str) or not _DATE.match(date):
        raise TheoryError(f"got {date!r}; expected a date YYYY-MM-DD", path=path, field="date")
    configs_raw = data["configurations"]
    if not isinstance(configs_raw, list) or not configs_raw:
        raise TheoryError(
            "expected a non-empty list of configurations", path=path, field="configurations"
        )
    configs: list[CMOConfiguration] = []
    seen: set[str] = set()
    for index, raw in enumerate(configs_raw):
        config = _configuration(raw, index, path=path)
        if config.id in seen:
            raise TheoryError(
                "duplicate configuration id; every id must be unique",
                path=path,
                cmo_id=config.id,
                field="id",
            )
        seen.add(config.id)
        configs.append(config)
    return ProgrammeTheory(
        network_id=network_id,
        name=_text(data["name"], path=path, cmo_id=None, field_name="name"),
        version=version,
        label=_choice(data["label"], LABELS, path=path, cmo_id=None, field_name="label"),
        date=date,
        configurations=tuple(configs),
        path=path,
    )
