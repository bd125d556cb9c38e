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

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..exceptions import TheoryError
from .model import ProgrammeTheory, check_configuration_columns

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["check_configuration_columns", "load_theory", "save_theory"]


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

    Examples
    --------
    A refined version saved with ``previous`` comes back with its history:

    >>> import tempfile
    >>> from pathlib import Path
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
    >>> refined = theory.refine(update={"cmo-01": {"context.expression": "social_cohesion < 6"}},
    ...                         date="2023-01-15")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = save_theory(theory, Path(folder) / "v1.yaml")
    ...     _ = save_theory(refined, Path(folder) / "v2.yaml", previous="v1.yaml")
    ...     loaded = load_theory(Path(folder) / "v2.yaml")
    >>> [(version.version, version.label) for version in loaded.history]
    [(1, 'initial'), (2, 'refined')]
    >>> load_theory("no-such-theory.yaml")
    Traceback (most recent call last):
    ...
    netwerkonderzoek.exceptions.TheoryError: no-such-theory.yaml: theory file not found
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
    theory = ProgrammeTheory.from_dict(data, path=path)
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

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
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
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = save_theory(theory, Path(folder) / "theories" / "wijk-noord.yaml")
    ...     text = path.read_text(encoding="utf-8")
    ...     again = load_theory(path)
    >>> print(text[:text.index("configurations")])
    network_id: wijk-noord
    name: Programmatheorie
    version: 1
    label: initial
    date: '2022-01-15'
    <BLANKLINE>
    >>> again["cmo-01"].context.expression
    'social_cohesion >= 6'
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
