"""Checks of a whole study before it runs: tables, theory and appreciation together.

:func:`validate_study` is what ``netwerkonderzoek validate`` and a run check:

- every canonical table and the references between them
  (:func:`netwerkonderzoek.tables.validate_network`, which includes ties in a
  wave dated outside a partner's membership);
- the programme theory (:func:`theory_faults`): the file loads, its
  expressions parse, every column a configuration uses is in ``units.csv``
  with the right type, every value an expression compares a column with
  (``==``, ``!=``, ``in``) occurs in that column, and every context holds for
  at least one unit; configurations tested on indicators name an indicator
  and areas that ``indicators.csv`` has;
- the p and u control charts (:func:`chart_faults`): every count has its
  denominator;
- the optional appreciation table (:func:`appreciation_faults`,
  :func:`netwerkonderzoek.value.load_appreciation`): its schema, its
  partners, and indicators of the value definition;
- the research agenda (:func:`study_faults`): the configurations a study
  tests are in the programme theory, the partners it asks in
  ``partners.csv``.

Values the ``netwerkonderzoek init`` template left to fill in
(:func:`placeholder_faults`) are faults too.

Every fault is a :class:`~netwerkonderzoek.exceptions.Fault` naming the file,
row and column where it has them, and otherwise the configuration and field.
This module sits above :mod:`netwerkonderzoek.tables` and
:mod:`netwerkonderzoek.cmo`; the runner and the command line use it.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import TYPE_CHECKING

from .exceptions import Fault, TheoryError, ValidationError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .cmo import CMOConfiguration
    from .config import NetworkConfig

__all__ = [
    "appreciation_faults",
    "chart_faults",
    "placeholder_faults",
    "study_faults",
    "subgroup_faults",
    "theory_faults",
    "validate_study",
]


def _shown_path(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _where(cmo_id: str | None, field: str | None) -> str:
    parts = []
    if cmo_id:
        parts.append(f"configuration '{cmo_id}'")
    if field:
        parts.append(f"field '{field}'")
    return ", ".join(parts) + ": " if parts else ""


def _literal(node: ast.AST) -> tuple[bool, object]:
    """(True, value) for a literal (``-1`` included), else (False, None)."""
    if isinstance(node, ast.Constant):
        return True, node.value
    if (
        isinstance(node, ast.UnaryOp)
        and isinstance(node.op, ast.USub)
        and isinstance(node.operand, ast.Constant)
        and isinstance(node.operand.value, (int, float))
    ):
        return True, -node.operand.value
    return False, None


def _compared_values(text: str) -> list[tuple[str, object]]:
    """(column, literal) pairs compared with ``==``, ``!=``, ``in`` or ``not in``."""
    pairs: list[tuple[str, object]] = []
    tree = ast.parse(text.strip(), mode="eval")
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare):
            continue
        sides = [node.left, *node.comparators]
        for i, op in enumerate(node.ops):
            left, right = sides[i], sides[i + 1]
            if isinstance(op, (ast.In, ast.NotIn)) and isinstance(left, ast.Name):
                for element in right.elts:
                    found, value = _literal(element)
                    if found:
                        pairs.append((left.id, value))
            elif isinstance(op, (ast.Eq, ast.NotEq)):
                for name, other in ((left, right), (right, left)):
                    found, value = _literal(other)
                    if isinstance(name, ast.Name) and found:
                        pairs.append((name.id, value))
    return pairs


def _occurs(series: pd.Series, value: object) -> bool:
    import pandas as pd

    values = series.dropna()
    if isinstance(value, bool):
        return bool(values.isin([value, int(value)]).any())
    if isinstance(value, (int, float)):
        numeric = pd.to_numeric(values, errors="coerce")
        return bool((numeric == float(value)).any())
    return bool((values.astype(str) == value).any())


def _found(series: pd.Series, limit: int = 8) -> str:
    import pandas as pd

    values = sorted(pd.unique(series.dropna()), key=str)
    shown = ", ".join(repr(v.item() if hasattr(v, "item") else v) for v in values[:limit])
    more = f" and {len(values) - limit} more" if len(values) > limit else ""
    return f"{shown}{more}" if values else "none (the column is empty)"


def _configuration_faults(
    cmo: CMOConfiguration,
    units: pd.DataFrame,
    file: str,
    units_file: str,
) -> list[Fault]:
    from .cmo.io import check_configuration_columns

    faults: list[Fault] = []

    def fault(field: str, message: str) -> None:
        faults.append(Fault(file, None, None, _where(cmo.id, field) + message))

    missing = False
    for field_name, columns in cmo.columns.items():
        for column in columns:
            if column not in units.columns:
                missing = True
                fault(field_name, f"column '{column}' is not in {units_file}")
    if missing:
        return faults
    try:
        check_configuration_columns(cmo, units)
    except TheoryError as exc:
        fault(exc.field or "", exc.reason)
        return faults
    expression = cmo.context.expression
    for column, value in _compared_values(expression):
        if not _occurs(units[column], value):
            fault(
                "context.expression",
                f"expression {expression!r} compares column '{column}' with {value!r}, "
                f"which no row of {units_file} has; values found: {_found(units[column])}",
            )
    if not faults and len(units) and not cmo.context.parsed.evaluate(units).any():
        fault(
            "context.expression",
            f"the context {expression!r} holds for none of the {len(units)} rows of "
            f"{units_file}; expected a context some units are in",
        )
    return faults


def _design_faults(
    cmo: CMOConfiguration, indicators: pd.DataFrame, file: str, indicators_file: str
) -> list[Fault]:
    design = cmo.design
    faults: list[Fault] = []
    rows = indicators[indicators["indicator_id"] == design.indicator]
    if rows.empty:
        faults.append(
            Fault(
                file,
                None,
                None,
                _where(cmo.id, "design.indicator")
                + f"indicator {design.indicator!r} is not in {indicators_file}; "
                f"indicators found: {_found(indicators['indicator_id'])}",
            )
        )
        return faults
    areas = set(rows["area"].dropna())
    for key in ("areas", "treated", "comparison"):
        for area in getattr(design, key):
            if area not in areas:
                faults.append(
                    Fault(
                        file,
                        None,
                        None,
                        _where(cmo.id, f"design.{key}")
                        + f"area {area!r} has no rows of indicator {design.indicator!r} in "
                        f"{indicators_file}; areas found: {_found(rows['area'])}",
                    )
                )
    return faults


def theory_faults(
    config: NetworkConfig,
    units: pd.DataFrame | None = None,
    indicators: pd.DataFrame | None = None,
    *,
    units_file: str = "units.csv",
    indicators_file: str = "indicators.csv",
) -> list[Fault]:
    """Every fault of a network's programme theory, checked against its data.

    Parameters
    ----------
    config : NetworkConfig
        Names the theory file (``theory``; by default
        ``theories/<network_id>.yaml``, which is optional).
    units, indicators : DataFrame, optional
        The validated canonical tables; without one, the checks against it
        are skipped (its own faults are reported by the table validation).
    units_file, indicators_file : str
        How the tables are named in the messages.

    Returns
    -------
    list of Fault
        With the theory file, and the configuration and field in the message.

    Examples
    --------
    >>> import pandas as pd
    >>> from netwerkonderzoek.cmo import ProgrammeTheory
    >>> from netwerkonderzoek.checks import _configuration_faults
    >>> theory = ProgrammeTheory.from_dict({"network_id": "x", "name": "T", "version": 1,
    ...     "label": "initial", "date": "2024-01-01", "configurations": [{"id": "cmo-01",
    ...     "statement": "s", "perspective": "societal", "form": "direct",
    ...     "context": {"description": "d", "expression": "district == 'Noord'"},
    ...     "mechanism": {"resource": "r", "reasoning": "r", "exposure": "coach"},
    ...     "outcome": {"description": "o", "measure": "wellbeing", "direction": "increase",
    ...                 "scale": "continuous"}}]})
    >>> units = pd.DataFrame({"district": ["noord", "zuid"], "coach": [1, 0],
    ...                       "wellbeing": [6.0, 5.0]})
    >>> for f in _configuration_faults(theory["cmo-01"], units, "t.yaml", "units.csv"):
    ...     print(f)
    t.yaml: configuration 'cmo-01', field 'context.expression': expression "district == 'Noord'" compares column 'district' with 'Noord', which no row of units.csv has; values found: 'noord', 'zuid'
    """
    from .cmo import load_theory

    path = config.theory_path
    if path is None or (config.theory is None and not path.is_file()):
        return []  # no theory named and none at the default place
    file = _shown_path(path)
    try:
        theory = load_theory(path)
    except TheoryError as exc:
        return [Fault(file, None, None, _where(exc.cmo_id, exc.field) + exc.reason)]
    faults: list[Fault] = []
    if theory.network_id != config.network_id:
        faults.append(
            Fault(
                file,
                None,
                None,
                _where(None, "network_id")
                + f"got {theory.network_id!r}; expected {config.network_id!r}, the network "
                "whose configuration names this theory",
            )
        )
    for cmo in theory:
        if cmo.design.on_indicators:
            if indicators is not None:
                faults.extend(_design_faults(cmo, indicators, file, indicators_file))
        elif units is not None:
            faults.extend(_configuration_faults(cmo, units, file, units_file))
    return faults


def subgroup_faults(
    config: NetworkConfig, units: pd.DataFrame | None, *, units_file: str = "units.csv"
) -> list[Fault]:
    """Faults of ``study.subgroups``: each must be a 0/1 column of the units table.

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace
    >>> config = SimpleNamespace(study=SimpleNamespace(subgroups=["female", "vrouw"]))
    >>> units = pd.DataFrame({"female": [0, 1], "age": [30, 40]})
    >>> [f.message for f in subgroup_faults(config, units)]
    ["subgroup column 'vrouw' (study.subgroups in the network config) is not a column of the units table; its columns are age, female"]
    """
    if units is None:
        return []
    faults = []
    for column in config.study.subgroups:
        if column not in units.columns:
            faults.append(
                Fault(
                    units_file,
                    None,
                    column,
                    f"subgroup column {column!r} (study.subgroups in the network config) is not "
                    f"a column of the units table; its columns are {', '.join(sorted(units.columns))}",
                )
            )
            continue
        values = units[column].dropna()
        if not values.isin([0, 1]).all():
            shown = ", ".join(repr(v) for v in sorted(set(values[~values.isin([0, 1])]))[:5])
            faults.append(
                Fault(
                    units_file,
                    None,
                    column,
                    f"subgroup column {column!r} (study.subgroups) must hold 0 and 1; got {shown}",
                )
            )
    return faults


def appreciation_faults(
    config: NetworkConfig, data_dir: str | Path = "data", *, table: pd.DataFrame | None = None
) -> list[Fault]:
    """Faults of the optional ``appreciation.csv`` (none when the file is absent).

    The schema, the network id and the partners are checked as for every
    table (:func:`netwerkonderzoek.tables.load_table`); an ``indicator_id``
    must also be an indicator of the value definition (``indicators`` in the
    network configuration). ``table``: the table already read and validated
    (only the indicator check is then made).

    Examples
    --------
    >>> import pandas as pd
    >>> from netwerkonderzoek.config import NetworkConfig
    >>> config = NetworkConfig.model_validate({"network_id": "x", "name": "n", "mission": "m",
    ...     "task": "t", "study": {"start": "2024-01", "end": "2024-12",
    ...                            "waves": [{"wave": 1, "date": "2024-03-01"}]},
    ...     "indicators": [{"id": "overlast", "label_nl": "Overlast", "label_en": "Nuisance",
    ...                     "unit": "meldingen", "perspective": "societal", "form": "direct",
    ...                     "direction": "decrease"}]})
    >>> table = pd.DataFrame({"indicator_id": ["overlast", None, "eenzaamheid"]})
    >>> for f in appreciation_faults(config, table=table):
    ...     print(f)
    data/x/appreciation.csv, row 4, column 'indicator_id': indicator 'eenzaamheid' is not in the value definition (indicators in the network config: overlast)
    """
    from .tables import load_table

    if table is None:
        try:
            table = load_table(config, "appreciation", data_dir)
        except ValidationError as exc:
            # faults of partners.csv (read again here) are the table validation's
            return [f for f in exc.faults if Path(f.file).name == "appreciation.csv"]
    known = {spec.id for spec in config.indicators}
    path = str(Path(data_dir) / config.network_id / "appreciation.csv")
    faults = []
    named = table["indicator_id"].notna() & ~table["indicator_id"].isin(sorted(known))
    for pos in named.to_numpy().nonzero()[0]:
        faults.append(
            Fault(
                path,
                int(pos) + 2,
                "indicator_id",
                f"indicator {table['indicator_id'].iloc[pos]!r} is not in the value "
                f"definition (indicators in the network config: {', '.join(sorted(known)) or 'none'})",
            )
        )
    return faults


def placeholder_faults(config: NetworkConfig) -> list[Fault]:
    """Values of the network config still holding the ``init`` template's placeholder.

    Examples
    --------
    >>> from netwerkonderzoek.config import NetworkConfig
    >>> config = NetworkConfig.model_validate({"network_id": "x", "mission": "m",
    ...     "name": "VUL IN / FILL IN: naam van het netwerk", "task": "t",
    ...     "study": {"start": "2024-01", "end": "2024-12",
    ...               "waves": [{"wave": 1, "date": "2024-03-01"}]}})
    >>> [str(f) for f in placeholder_faults(config)]
    ["<config>: key 'name': still the placeholder of 'netwerkonderzoek init' ('VUL IN / FILL IN: naam van het netwerk'); expected the network's own text"]
    """
    from .scaffold import PLACEHOLDER

    file = "<config>" if config.path is None else _shown_path(config.path)
    faults = []

    def walk(value, key: str) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, f"{key}.{k}" if key else str(k))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, f"{key}.{i}")
        elif isinstance(value, str) and value.startswith(PLACEHOLDER):
            faults.append(
                Fault(
                    file,
                    None,
                    None,
                    f"key '{key}': still the placeholder of 'netwerkonderzoek init' "
                    f"({value!r}); expected the network's own text",
                )
            )

    walk(config.model_dump(mode="json"), "")
    return faults


def validate_study(config: NetworkConfig, data_dir: str | Path = "data") -> list[Fault]:
    """Every fault of a network's tables, theory and appreciation table.

    Returns
    -------
    list of Fault
        Placeholders left in the config first, then the table faults (as
        :func:`netwerkonderzoek.tables.validate_network` gives them), the
        theory's and the appreciation table's.

    Examples
    --------
    A network just made by ``netwerkonderzoek init``: its texts still to
    write, its tables still to harmonise.

    >>> import pathlib, tempfile
    >>> from netwerkonderzoek.config import load_config
    >>> from netwerkonderzoek.scaffold import init_network
    >>> tmp = tempfile.TemporaryDirectory()
    >>> config_dir, data_dir = pathlib.Path(tmp.name, "config"), pathlib.Path(tmp.name, "data")
    >>> _ = init_network("wijk-zuid", config_dir, data_dir)
    >>> faults = validate_study(load_config("wijk-zuid", config_dir), data_dir)
    >>> [pathlib.Path(f.file).name for f in faults]  # doctest: +NORMALIZE_WHITESPACE
    ['wijk-zuid.yaml', 'wijk-zuid.yaml', 'wijk-zuid.yaml', 'partners.csv', 'ties.csv',
     'contributions.csv', 'indicators.csv', 'units.csv', 'observations.csv', 'events.csv']
    >>> faults[0].message
    "key 'name': still the placeholder of 'netwerkonderzoek init' ('VUL IN / FILL IN: naam van het netwerk'); expected the network's own text"
    >>> faults[3].message
    'file not found'
    >>> tmp.cleanup()
    """
    from .tables import read_network_tables

    tables, faults = read_network_tables(config, data_dir)
    faults = placeholder_faults(config) + faults
    folder = Path(data_dir) / config.network_id
    faults.extend(
        theory_faults(
            config,
            tables.get("units"),
            tables.get("indicators"),
            units_file=str(folder / "units.csv"),
            indicators_file=str(folder / "indicators.csv"),
        )
    )
    faults.extend(
        subgroup_faults(config, tables.get("units"), units_file=str(folder / "units.csv"))
    )
    faults.extend(
        chart_faults(
            config, tables.get("indicators"), indicators_file=str(folder / "indicators.csv")
        )
    )
    if "appreciation" in tables:  # its schema and reference faults are among the table faults
        faults.extend(appreciation_faults(config, data_dir, table=tables["appreciation"]))
    faults.extend(study_faults(config, tables.get("partners")))
    faults.extend(report_faults(config))
    return faults


def study_faults(
    config: NetworkConfig, partners: pd.DataFrame | None = None, *, theory=None
) -> list[Fault]:
    """Faults of ``studies``: configurations not in the theory, partners not in ``partners.csv``.

    Parameters
    ----------
    config : NetworkConfig
        Its ``studies`` (the research agenda).
    partners : DataFrame, optional
        The validated ``partners`` table; without it the partners are not checked.
    theory : ProgrammeTheory, optional
        The programme theory; by default the one the config names, if it
        loads (a theory that does not load is :func:`theory_faults`' to report).
        Without a theory the configurations are not checked.

    Returns
    -------
    list of Fault
        With the configuration file and the key of the value at fault.

    Examples
    --------
    >>> import pandas as pd
    >>> from netwerkonderzoek.config import NetworkConfig
    >>> config = NetworkConfig.model_validate({"network_id": "x", "name": "n", "mission": "m",
    ...     "task": "t", "study": {"start": "2024-01", "end": "2024-12",
    ...                            "waves": [{"wave": 1, "date": "2024-03-01"}]},
    ...     "studies": [{"id": "monitor", "kind": "monitoring", "question": "Hoe gaat het?",
    ...                  "cells": [{"perspective": "societal", "form": "direct"}],
    ...                  "configurations": ["cmo-09"],
    ...                  "collects": [{"table": "observations", "partners": ["bakker"]}],
    ...                  "period": {"start": "2024-01", "end": "2024-06"},
    ...                  "status": "running"}]})
    >>> partners = pd.DataFrame({"partner_id": ["gemeente", "corporatie"]})
    >>> for f in study_faults(config, partners):
    ...     print(f)
    <config>: key 'studies.0.collects.0.partners.0': partner 'bakker' is not in partners.csv (partners: corporatie, gemeente)
    """
    from .cmo import load_theory

    if not config.studies:
        return []
    file = "<config>" if config.path is None else _shown_path(config.path)
    if theory is None:
        path = config.theory_path
        if path is not None and path.is_file():
            try:
                theory = load_theory(path)
            except TheoryError:
                theory = None
    faults: list[Fault] = []
    known_cmos = None if theory is None else [cmo.id for cmo in theory]
    known_partners = None if partners is None else sorted(set(partners["partner_id"].dropna()))
    for i, study in enumerate(config.studies):
        for j, cmo_id in enumerate(study.configurations):
            if known_cmos is not None and cmo_id not in known_cmos:
                faults.append(
                    Fault(
                        file,
                        None,
                        None,
                        f"key 'studies.{i}.configurations.{j}': configuration {cmo_id!r} is "
                        f"not in the programme theory (configurations: "
                        f"{', '.join(known_cmos) or 'none'})",
                    )
                )
        for j, collection in enumerate(study.collects):
            for k, partner in enumerate(collection.partners or []):
                if known_partners is not None and partner not in known_partners:
                    faults.append(
                        Fault(
                            file,
                            None,
                            None,
                            f"key 'studies.{i}.collects.{j}.partners.{k}': partner {partner!r} "
                            f"is not in partners.csv (partners: "
                            f"{', '.join(known_partners) or 'none'})",
                        )
                    )
    return faults


def chart_faults(
    config: NetworkConfig, indicators: pd.DataFrame | None, *, indicators_file: str
) -> list[Fault]:
    """Faults of the p and u charts: every count needs its denominator in ``indicators.csv``.

    For an indicator with ``chart: p`` or ``u`` (a share or a rate, see
    :func:`netwerkonderzoek.heartbeat.spc`), every month and area with a
    count must have a row of its ``denominator`` indicator, the denominators
    must be above 0, and a share's count cannot exceed its denominator.

    Examples
    --------
    >>> import pandas as pd
    >>> from netwerkonderzoek.config import NetworkConfig
    >>> config = NetworkConfig.model_validate({"network_id": "x", "name": "n", "mission": "m",
    ...     "task": "t", "study": {"start": "2024-01", "end": "2024-12",
    ...                            "waves": [{"wave": 1, "date": "2024-03-01"}]},
    ...     "indicators": [{"id": "opgepakt", "label_nl": "Opgepakt", "label_en": "Taken up",
    ...                     "unit": "aantal", "perspective": "societal", "form": "direct",
    ...                     "direction": "increase", "chart": "p",
    ...                     "denominator": "doorverwijzingen"}]})
    >>> table = pd.DataFrame({"indicator_id": ["opgepakt", "opgepakt", "doorverwijzingen"],
    ...     "period": ["2024-01", "2024-02", "2024-01"], "area": "noord",
    ...     "value": [12.0, 9.0, 10.0]})
    >>> for f in chart_faults(config, table, indicators_file="indicators.csv"):
    ...     print(f)
    indicators.csv: indicator 'opgepakt' (a p chart) counts 12 in 2024-01, noord, more than its denominator 'doorverwijzingen' (10); a share cannot exceed it
    indicators.csv: indicator 'opgepakt' (a p chart) has no denominator 'doorverwijzingen' for 2024-02, noord (1 month and area in all); expected a row of 'doorverwijzingen' for every month and area with a count
    """
    faults: list[Fault] = []
    if indicators is None:
        return faults
    for spec in config.indicators:
        if spec.chart == "xmr":
            continue
        counts = indicators[indicators["indicator_id"] == spec.id]
        if counts.empty:
            continue
        base = indicators.loc[
            indicators["indicator_id"] == spec.denominator, ["period", "area", "value"]
        ].rename(columns={"value": "denominator"})
        merged = counts.merge(base, on=["period", "area"], how="left")
        where = f"indicator {spec.id!r} (a {spec.chart} chart)"
        bad = merged[merged["denominator"].notna() & (merged["denominator"] <= 0)]
        if len(bad):
            row = bad.iloc[0]
            faults.append(
                Fault(
                    indicators_file,
                    None,
                    None,
                    f"{where}: denominator {spec.denominator!r} is {row['denominator']:g} in "
                    f"{row['period']}, {row['area']}; expected a number above 0",
                )
            )
        if spec.chart == "p":
            over = merged[
                merged["denominator"].notna() & (merged["value"] > merged["denominator"])
            ]
            if len(over):
                row = over.iloc[0]
                faults.append(
                    Fault(
                        indicators_file,
                        None,
                        None,
                        f"{where} counts {row['value']:g} in {row['period']}, {row['area']}, "
                        f"more than its denominator {spec.denominator!r} "
                        f"({row['denominator']:g}); a share cannot exceed it",
                    )
                )
        missing = merged[merged["denominator"].isna()]
        if len(missing):
            row = missing.iloc[0]
            count = len(missing)
            faults.append(
                Fault(
                    indicators_file,
                    None,
                    None,
                    f"{where} has no denominator {spec.denominator!r} for {row['period']}, "
                    f"{row['area']} ({count} month{'s' if count != 1 else ''} and "
                    f"area{'s' if count != 1 else ''} in all); expected a row of "
                    f"{spec.denominator!r} for every month and area with a count",
                )
            )
    return faults


def report_faults(config: NetworkConfig) -> list[Fault]:
    """The report's Word template (``report.docx_template``) must exist and be a Word file.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import docx
    >>> from netwerkonderzoek.config import NetworkConfig
    >>> tmp = tempfile.TemporaryDirectory()
    >>> template = pathlib.Path(tmp.name, "huisstijl.docx")
    >>> config = NetworkConfig.model_validate({"network_id": "x", "name": "n", "mission": "m",
    ...     "task": "t", "study": {"start": "2024-01", "end": "2024-12",
    ...                            "waves": [{"wave": 1, "date": "2024-03-01"}]},
    ...     "report": {"docx_template": str(template)}})
    >>> [f.message.replace(tmp.name, "<tmp>") for f in report_faults(config)]
    ["key 'report.docx_template': <tmp>/huisstijl.docx does not exist; expected a Word document (.docx)"]
    >>> docx.Document().save(str(template))
    >>> report_faults(config)
    []
    >>> tmp.cleanup()
    """
    template = config.docx_template
    if template is None:
        return []
    file = "<config>" if config.path is None else _shown_path(config.path)
    if not template.is_file():
        problem = f"{template} does not exist; expected a Word document (.docx)"
    else:
        try:
            import docx

            docx.Document(str(template))
            return []
        except Exception as exc:  # python-docx raises several kinds for a broken file
            problem = f"{template} is not a Word document that opens ({type(exc).__name__})"
    return [Fault(file, None, None, f"key 'report.docx_template': {problem}")]
