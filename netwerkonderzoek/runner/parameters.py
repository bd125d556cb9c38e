"""Checking notebook parameters before any kernel starts.

papermill writes every parameter as ``name = value`` into a new cell at the
top of each notebook. :func:`check_parameters` accepts a parameter only if a
notebook's parameters cell declares it, papermill writes its value as a
Python literal, and the value has the declared type; parameters the run sets
itself (:func:`fixed_parameters`) may only be repeated, never changed.
"""

from __future__ import annotations

import keyword
import math
from collections.abc import Iterable, Mapping
from pathlib import Path

from ..config import MAX_SEED
from ..exceptions import RunError
from .kernel import notebook_parameters

__all__ = ["PARAMETER_VALUES", "PATH_PARAMETERS", "check_parameters", "fixed_parameters"]

#: Values the study parameters may take, beyond their declared type: the same
#: rules as the network config's ``study.language`` and ``study.seed``.
PARAMETER_VALUES = {
    "language": (lambda v: v in ("nl", "en"), "'nl' (Dutch) or 'en' (English)"),
    "seed": (lambda v: 0 <= v <= MAX_SEED, f"a whole number from 0 to {MAX_SEED}"),
}

#: Parameters that name folders: recorded relative to the project.
PATH_PARAMETERS = frozenset({"config_dir", "data_dir", "runs_dir", "notebook_dir"})

# Types a parameter declared in a parameters cell (``seed: int = 2022``) accepts.
_TYPES = {
    "str": ((str,), "text"),
    "int": ((int,), "a whole number"),
    "float": ((int, float), "a number"),
    "bool": ((bool,), "true or false"),
}


def _literal(value: object) -> bool:
    """Whether papermill writes ``value`` as a Python literal (nothing else is safe).

    papermill escapes text and writes numbers, booleans, None, lists and
    dicts as literals, but any other object (a tuple, a Path) as its ``str``
    between quotes, unescaped: a quote in it would end the string.
    """
    if value is None or isinstance(value, (str, bool, int, float)):
        return True  # nan and inf are written as float('nan'), float('inf')
    if isinstance(value, list):
        return all(_literal(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _literal(v) for k, v in value.items())
    return False


def check_parameters(
    parameters: Mapping[str, object],
    notebooks: Iterable[str | Path],
    *,
    fixed: Mapping[str, object] | None = None,
) -> dict[str, object]:
    """Check notebook parameter overrides before any kernel starts.

    papermill writes every parameter as ``name = value`` into a new cell at
    the top of each notebook, so a name is accepted only if it is a Python
    identifier that the parameters cell of at least one of ``notebooks``
    declares, and a value only if papermill writes it as a literal and it has
    the type the cell declares (``seed: int = 2022`` takes a whole number).

    Parameters
    ----------
    parameters : mapping
        The overrides (``{"language": "en"}``).
    notebooks : iterable of path
        The notebooks the parameters are given to.
    fixed : mapping, optional
        Parameters the run sets itself (``network_id``, folders): an override
        is accepted only if it equals the value the run sets.

    Returns
    -------
    dict
        The parameters, unchanged.

    Raises
    ------
    RunError
        Naming the parameter, what was given and what was expected.

    Examples
    --------
    >>> from netwerkonderzoek.runner import check_parameters
    >>> from netwerkonderzoek.runner.manifest import PROJECT_DIR
    >>> notebook = PROJECT_DIR / "notebooks" / "01_netwerk.ipynb"
    >>> check_parameters({"language": "en"}, [notebook])
    {'language': 'en'}
    >>> check_parameters({"seed": "zeven"}, [notebook])
    Traceback (most recent call last):
    ...
    netwerkonderzoek.exceptions.RunError: The 'seed' parameter of 01_netwerk must be a whole number (declared 'seed: int'). Got 'zeven' instead.
    """
    parameters = dict(parameters)
    fixed = dict(fixed or {})
    declared: dict[str, tuple[str, str | None]] = {}  # name -> (notebook, type)
    for path in notebooks:
        for row in notebook_parameters(path).itertuples():
            declared.setdefault(row.name, (row.notebook, row.type))
    known = ", ".join(declared) or "none"
    for name, value in parameters.items():
        if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
            raise RunError(
                f"parameter name {name!r} is not a valid Python variable name; "
                f"the notebooks' parameters are {known}"
            )
        if name not in declared:
            raise RunError(
                f"unknown parameter {name!r}: no notebook declares it in its parameters "
                f"cell; the notebooks' parameters are {known}"
            )
        if name in fixed and value != fixed[name]:
            to = "" if fixed[name] is None else f" to {fixed[name]!r}"
            raise RunError(
                f"The {name!r} parameter is set by the run{to} and cannot be given. "
                f"Got {value!r} instead."
            )
        if not _literal(value):
            raise RunError(
                f"The {name!r} parameter must be text, a number, true or false, null, or a "
                f"list or mapping of those. Got {type(value).__name__} {value!r} instead."
            )
        notebook, kind = declared[name]
        accepted = _TYPES.get(kind or "")
        if accepted is None:
            continue
        types, expected = accepted
        if (
            not isinstance(value, types)
            or (isinstance(value, bool) and bool not in types)  # True is an int to Python
            or (isinstance(value, float) and not math.isfinite(value))
        ):
            raise RunError(
                f"The {name!r} parameter of {notebook} must be {expected} (declared "
                f"'{name}: {kind}'). Got {value!r} instead."
            )
        allowed = PARAMETER_VALUES.get(name)
        if allowed is not None and not allowed[0](value):
            raise RunError(
                f"The {name!r} parameter of {notebook} must be {allowed[1]}. "
                f"Got {value!r} instead."
            )
    return parameters


def fixed_parameters(network_id: str | None, config_dir: Path, data_dir: Path, **more) -> dict:
    """The parameters a run sets itself; an override may only repeat them.

    Examples
    --------
    >>> from pathlib import Path
    >>> fixed = fixed_parameters("wijk-noord", Path("config"), Path("data"))
    >>> fixed["network_id"], fixed["output_dir"]
    ('wijk-noord', None)
    >>> sorted(fixed_parameters(None, Path("config"), Path("data"), runs_dir="output"))
    ['config_dir', 'data_dir', 'output_dir', 'runs_dir']
    """
    fixed = {"config_dir": str(config_dir), "data_dir": str(data_dir), "output_dir": None}
    if network_id is not None:
        fixed["network_id"] = network_id
    return {**fixed, **more}
