"""Calibration settings of the cross-network synthesis (``config/synthesis.yaml``).

The file says, per condition and for the outcome, which raw network-level
attribute (see :data:`~netwerkonderzoek.synthesis.attributes.ATTRIBUTES`) is
calibrated into which set, by which method and with which anchors, and why
(one line of justification each); it also holds the truth table cut-offs and
the directional expectations of the intermediate solution. It is validated
on load; a fault is a :class:`~netwerkonderzoek.exceptions.ConfigError`
naming the file and the key path.

Examples
--------
>>> settings = SynthesisSettings.model_validate({
...     "outcome": {"name": "SUCCESS", "attribute": "improvement_pct", "method": "direct",
...                 "anchors": {"e": 0, "c": 5, "i": 15},
...                 "justification": "5 % is the smallest change partners call a result"},
...     "conditions": [{"name": "TRUST", "attribute": "trust", "method": "direct",
...                     "anchors": {"e": 2.5, "c": 3.0, "i": 3.5},
...                     "justification": "3 is a trusting relation on the PARTNER scale"}],
... })
>>> settings.condition_names, settings.incl_cut
(['TRUST'], 0.8)
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic import ValidationError as PydanticValidationError

from ..config import config_error_from_pydantic, read_config_yaml
from ..exceptions import ConfigError

__all__ = [
    "Anchors",
    "SetSpec",
    "SynthesisSettings",
    "calibration_table",
    "load_settings",
    "settings_path",
]

SET_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Anchors(_Strict):
    """Ragin's three anchors: full exclusion, crossover, full inclusion."""

    e: float
    c: float
    i: float

    @model_validator(mode="after")
    def _ordered(self) -> Anchors:
        if not (self.e < self.c < self.i or self.e > self.c > self.i):
            raise ValueError(
                "anchors must be ordered e < c < i (increasing set) or e > c > i "
                f"(decreasing set); got e={self.e:g}, c={self.c:g}, i={self.i:g}"
            )
        return self


class SetSpec(_Strict):
    """How one raw attribute becomes a set (a condition or the outcome).

    ``method: direct`` needs ``anchors`` (Ragin's direct method, fuzzy);
    ``method: crisp`` needs ``threshold`` (membership 1 at or above it).
    """

    name: str
    attribute: str = Field(min_length=1)
    method: Literal["direct", "crisp"]
    anchors: Anchors | None = None
    threshold: float | None = None
    justification: str = Field(min_length=10)
    label_nl: str = ""
    label_en: str = ""

    @field_validator("name")
    @classmethod
    def _set_name(cls, value: str) -> str:
        if not SET_NAME.match(value):
            raise ValueError(
                f"a set name is upper case letters, digits and '_' (like MGR); got {value!r}"
            )
        return value

    @model_validator(mode="after")
    def _method_fields(self) -> SetSpec:
        if self.method == "direct" and (self.anchors is None or self.threshold is not None):
            raise ValueError("method 'direct' needs 'anchors' (e, c, i) and no 'threshold'")
        if self.method == "crisp" and (self.threshold is None or self.anchors is not None):
            raise ValueError("method 'crisp' needs a 'threshold' and no 'anchors'")
        return self

    @property
    def thresholds(self) -> dict[str, float] | float:
        """The ``thresholds`` argument of :func:`netwerkonderzoek.qca.calibrate`."""
        if self.anchors is not None:
            return self.anchors.model_dump()
        return float(self.threshold)


class SynthesisSettings(_Strict):
    """Validated ``config/synthesis.yaml``.

    Attributes
    ----------
    outcome : SetSpec
        The outcome set (network success).
    conditions : list of SetSpec
        The conditions, in the order used in solutions.
    incl_cut : float
        Inclusion (consistency) cut-off of a positive truth table row.
    n_cut : int
        Least number of cases in a row for it not to be a remainder.
    pri_cut : float
        Least PRI of a positive row.
    directional : dict
        Directional expectations for the intermediate solution: condition ->
        1 (contributes when present), 0 (when absent) or ``"-"``.
    cross_network_set : bool
        Include the simulated cross-network set (``data/_synthese/``).
    path : Path or None
        The file read.
    """

    outcome: SetSpec
    conditions: list[SetSpec] = Field(min_length=1)
    incl_cut: float = Field(default=0.8, ge=0.5, le=1.0)
    n_cut: int = Field(default=1, ge=1)
    pri_cut: float = Field(default=0.0, ge=0.0, le=1.0)
    directional: dict[str, Literal[0, 1, "-"]] = Field(default_factory=dict)
    cross_network_set: bool = True
    path: Path | None = Field(default=None, exclude=True)

    @model_validator(mode="after")
    def _names(self) -> SynthesisSettings:
        names = [c.name for c in self.conditions]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ValueError(f"condition name(s) {repeated} are defined more than once")
        if self.outcome.name in names:
            raise ValueError(f"the outcome {self.outcome.name!r} is also a condition")
        unknown = [c for c in self.directional if c not in names]
        if unknown:
            raise ValueError(
                f"directional expectations for unknown condition(s) {unknown}; "
                f"conditions are {names}"
            )
        return self

    @property
    def condition_names(self) -> list[str]:
        """Condition names in solution order."""
        return [c.name for c in self.conditions]

    @property
    def sets(self) -> list[SetSpec]:
        """Every set: the conditions, then the outcome."""
        return [*self.conditions, self.outcome]


def settings_path(config_dir: str | Path = "config") -> Path:
    """Path of the synthesis settings file under ``config_dir``.

    Examples
    --------
    >>> settings_path("config").as_posix()
    'config/synthesis.yaml'
    """
    return Path(config_dir) / "synthesis.yaml"


def load_settings(config_dir: str | Path = "config") -> SynthesisSettings:
    """Load and validate ``<config_dir>/synthesis.yaml``.

    Raises
    ------
    ConfigError
        If the file is missing or not valid YAML, a key is unknown or missing,
        anchors are unordered, a method lacks its anchors or threshold, or a
        directional expectation names an unknown condition; the message names
        the file and the key path (``conditions.0.anchors``).

    Examples
    --------
    >>> settings = load_settings("config")
    >>> settings.outcome.name, settings.outcome.anchors
    ('SUCCESS', Anchors(e=0.0, c=5.0, i=15.0))
    >>> settings.path.name
    'synthesis.yaml'
    >>> import tempfile
    >>> load_settings(tempfile.mkdtemp())  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    netwerkonderzoek.exceptions.ConfigError: .../synthesis.yaml: file not found
    """
    path = settings_path(config_dir)
    raw = read_config_yaml(path)
    if not isinstance(raw, dict):
        raise ConfigError(
            f"expected a mapping of keys at the top level, got {type(raw).__name__}", path=path
        )
    try:
        return SynthesisSettings.model_validate({**raw, "path": path.resolve()})
    except PydanticValidationError as exc:
        raise config_error_from_pydantic(exc, path) from None


def calibration_table(settings: SynthesisSettings, language: str = "nl"):
    """The calibration choices as a table, one row per set (conditions, then outcome).

    Returns
    -------
    pandas.DataFrame
        ``set``, ``role`` (condition/outcome), ``label``, ``attribute``,
        ``method``, ``e``, ``c``, ``i``, ``threshold``, ``justification``.

    Examples
    --------
    >>> settings = load_settings("config")
    >>> calibration_table(settings)[["set", "method", "c"]].head(2)
        set  method     c
    0   MGR  direct  20.0
    1  FUND  direct   0.7
    """
    import pandas as pd

    rows = []
    for spec in settings.sets:
        anchors = spec.anchors
        rows.append(
            {
                "set": spec.name,
                "role": "outcome" if spec is settings.outcome else "condition",
                "label": spec.label_nl if language == "nl" else spec.label_en,
                "attribute": spec.attribute,
                "method": spec.method,
                "e": anchors.e if anchors else float("nan"),
                "c": anchors.c if anchors else float("nan"),
                "i": anchors.i if anchors else float("nan"),
                "threshold": spec.threshold if spec.threshold is not None else float("nan"),
                "justification": spec.justification,
            }
        )
    return pd.DataFrame(rows)
