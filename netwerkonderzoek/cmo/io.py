"""Reading, validating and writing programme theories (YAML).

:func:`load_theory` reads ``config/theories/<network_id>.yaml`` with
``yaml.safe_load`` and validates every key; every fault is a
:class:`~netwerkonderzoek.exceptions.TheoryError` naming the file, the
configuration id and the field. :func:`save_theory` writes a version back in
the same layout, optionally with a ``previous`` key linking to the version it
refines. :func:`check_configuration_columns` checks a configuration's columns
against a units table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..exceptions import TheoryError
from .expression import Expression
from .model import (
    _CMO_KEYS,
    _COLUMN,
    _DATE,
    _DESIGN_KEYS,
    _PART_KEYS,
    _SLUG,
    _TOP_KEYS,
    DESIGN_KINDS,
    DIRECTIONS,
    ESTIMATORS,
    FORMS,
    LABELS,
    PERSPECTIVES,
    SCALES,
    CMOConfiguration,
    Context,
    Design,
    Mechanism,
    Outcome,
    ProgrammeTheory,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["check_configuration_columns", "load_theory", "save_theory"]


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


# -- files ---------------------------------------------------------------------


def load_theory(
    path: str | Path, units: pd.DataFrame | None = None, *, follow_previous: bool = True
) -> ProgrammeTheory:
    """Load and validate a programme theory from YAML.

    Parameters
    ----------
    path : str or Path
        The theory file (``config/theories/<network_id>.yaml``).
    units : DataFrame, optional
        If given, every column a configuration uses is checked against it
        (see :meth:`ProgrammeTheory.check_columns`).
    follow_previous : bool
        If the file has a ``previous`` key (written by :func:`save_theory` for
        a refined version), load that file too and link it as ``previous``.
        ``previous`` is a file name in the same folder; a chain of versions
        that comes back to a file already in it is an error.

    Returns
    -------
    ProgrammeTheory

    Raises
    ------
    TheoryError
        If the file is missing or not valid YAML, a key is unknown or
        missing, an id is repeated, an expression does not parse, or (with
        ``units``) a column is missing; the message names the file,
        configuration id and field; also if ``previous`` is not a plain
        file name in the theory's folder or the chain of previous versions
        is a cycle (a theory whose ``previous`` names itself).
    """
    return _load_theory(Path(path), units, follow_previous=follow_previous, chain=())


def _load_theory(
    path: Path,
    units: pd.DataFrame | None,
    *,
    follow_previous: bool,
    chain: tuple[Path, ...],
) -> ProgrammeTheory:
    import yaml

    from ..yamlfile import load_yaml

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TheoryError("theory file not found", path=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TheoryError(f"cannot read theory file ({exc})", path=path) from None
    try:
        data = load_yaml(text)  # strict: a repeated key or an impossible date is an error
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise TheoryError(f"not valid YAML{where}: {problem}", path=path) from None
    theory = _theory_from_dict(data, path=path)
    previous = data.get("previous")
    if previous is not None and follow_previous:
        if not isinstance(previous, str):
            raise TheoryError(
                f"expected the file name of the previous version, got {previous!r}",
                path=path,
                field="previous",
            )
        if Path(previous).name != previous or previous in ("", ".", ".."):
            raise TheoryError(
                f"expected the file name of the previous version in the same folder, "
                f"got {previous!r}",
                path=path,
                field="previous",
            )
        here = path.resolve()
        target = (path.parent / previous).resolve()
        if target.parent != here.parent:
            raise TheoryError(
                f"the previous version {previous!r} resolves to {target}, outside the "
                f"theory's folder (a symbolic link?)",
                path=path,
                field="previous",
            )
        if target == here or target in chain:
            versions = " -> ".join(p.name for p in (*chain, here, target))
            raise TheoryError(
                f"the chain of previous versions comes back to a file already in it "
                f"({versions}); 'previous' must name an older version",
                path=path,
                field="previous",
            )
        theory = replace(
            theory,
            previous=_load_theory(
                path.parent / previous, None, follow_previous=True, chain=(*chain, here)
            ),
        )
    if units is not None:
        theory.check_columns(units)
    return theory


def save_theory(theory: ProgrammeTheory, path: str | Path, *, previous: str | None = None) -> Path:
    """Write a theory version as YAML in the layout :func:`load_theory` reads.

    Parameters
    ----------
    theory : ProgrammeTheory
    path : str or Path
        File to write (folders are created).
    previous : str, optional
        File name of the previous version, relative to ``path``'s folder;
        written as the ``previous`` key so that :func:`load_theory` restores
        the history. Save the previous version there too.

    Returns
    -------
    Path
    """
    import yaml

    path = Path(path)
    data = theory.to_dict()
    if previous is not None:
        data["previous"] = previous
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=99)
    path.write_text(text, encoding="utf-8")
    return path
