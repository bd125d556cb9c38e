"""Run the cross-network synthesis notebook once across all configured networks.

``netwerkonderzoek run --synthesis`` executes ``notebooks/05_synthese.ipynb``
into ``<output_dir>/_synthese/<run_id>/`` with the run contract of
:func:`~.run.run_network` (atomic folder, lock, manifest, resuming, report,
``latest`` link): both go through :func:`~.run.run_notebooks`. The folder
name ``_synthese`` cannot clash with a network, whose id is a slug
(``[a-z0-9-]+``).

The notebook gets ``config_dir``, ``data_dir``, ``runs_dir`` (the output root,
whose ``<network_id>/latest`` runs provide the CMO verdicts to pool) and
``output_dir``; no ``network_id``. Its inputs - recorded in the manifest and
part of the resume key - are every network's configuration, theory and data,
``config/synthesis.yaml``, the cross-network set ``data/_synthese/`` and the
``tables/cmo_verdicts.csv`` of each network's latest complete run.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path

from ..config import list_networks
from ..exceptions import RunError
from ..registry import registered_notebooks
from .manifest import file_hash, latest_complete_run
from .parameters import check_parameters, fixed_parameters
from .run import RunResult, input_files, project_relative, run_notebooks

__all__ = ["SYNTHESIS_DIR", "SYNTHESIS_NOTEBOOK", "run_synthesis", "synthesis_inputs"]

SYNTHESIS_DIR = "_synthese"
#: The synthesis notebook: the registry's one cross-network notebook.
SYNTHESIS_NOTEBOOK = registered_notebooks("cross-network")[0].name


def _latest_verdicts(runs_dir: Path, network_id: str) -> Path | None:
    run = latest_complete_run(runs_dir / network_id)
    path = None if run is None else run / "tables" / "cmo_verdicts.csv"
    return path if path is not None and path.is_file() else None


def synthesis_inputs(config_dir: Path, data_dir: Path, runs_dir: Path) -> list[Path]:
    """Every input file the synthesis reads (see the module docstring).

    Examples
    --------
    Every network's inputs, then the synthesis settings and the cross-network
    set; a network's verdicts only once it has a complete run:

    >>> import tempfile
    >>> from netwerkonderzoek.runner.manifest import PROJECT_DIR
    >>> files = synthesis_inputs(PROJECT_DIR / "config", PROJECT_DIR / "data", Path(tempfile.mkdtemp()))
    >>> [project_relative(p) for p in files[:2]]
    ['config/networks/energie-regio.yaml', 'config/theories/energie-regio.yaml']
    >>> project_relative(files[-1])
    'data/_synthese/networks.csv'
    """
    config_dir, data_dir, runs_dir = Path(config_dir), Path(data_dir), Path(runs_dir)
    files: list[Path] = []
    for network_id in list_networks(config_dir):
        files.extend(input_files(network_id, config_dir, data_dir))
        verdicts = _latest_verdicts(runs_dir, network_id)
        if verdicts is not None:
            files.append(verdicts)
    settings = config_dir / "synthesis.yaml"
    if settings.is_file():
        files.append(settings)
    cross = data_dir / SYNTHESIS_DIR
    if cross.is_dir():
        files.extend(sorted(p for p in cross.rglob("*") if p.is_file()))
    return files


def run_synthesis(
    *,
    config_dir: str | Path = "config",
    data_dir: str | Path = "data",
    output_dir: str | Path = "output",
    notebook_dir: str | Path = "notebooks",
    runs_dir: str | Path | None = None,
    parameters: Mapping[str, object] | None = None,
    force: bool = False,
    kernel_name: str = "python3",
    report: bool = True,
    progress=None,
) -> RunResult:
    """Run the synthesis notebook across all networks into ``output/_synthese/``.

    Parameters
    ----------
    config_dir, data_dir, output_dir, notebook_dir : path
        As for :func:`~.run.run_network`.
    runs_dir : path, optional
        Output root of the networks' runs whose CMO verdicts are pooled
        (default: ``output_dir``).
    parameters : mapping, optional
        Overrides of notebook parameters (``{"language": "en"}``);
        ``network_id`` is refused.
    force, kernel_name, report, progress
        As for :func:`~.run.run_network`.

    Returns
    -------
    RunResult
        ``network_id`` is ``"_synthese"``.

    Raises
    ------
    ConfigError
        If a network's configuration is invalid.
    RunError
        If the synthesis notebook is missing, ``network_id`` is passed or
        another parameter override is refused (see :func:`~.run.check_parameters`).

    Examples
    --------
    The checks before any kernel starts (a full run takes a minute):

    >>> import tempfile
    >>> run_synthesis(notebook_dir=tempfile.mkdtemp())  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    netwerkonderzoek.exceptions.RunError: synthesis notebook not found: expected .../05_synthese.ipynb
    """
    start = time.perf_counter()
    config_dir, data_dir = Path(config_dir).resolve(), Path(data_dir).resolve()
    output_dir, notebook_dir = Path(output_dir).resolve(), Path(notebook_dir).resolve()
    runs_dir = output_dir if runs_dir is None else Path(runs_dir).resolve()
    notebook = notebook_dir / f"{SYNTHESIS_NOTEBOOK}.ipynb"
    if not notebook.is_file():
        raise RunError(f"synthesis notebook not found: expected {notebook}")
    overrides = dict(parameters or {})
    if "network_id" in overrides:
        raise RunError("the synthesis runs across all networks; it takes no 'network_id'")
    if overrides:  # refused before any kernel starts
        check_parameters(
            overrides,
            [notebook],
            fixed=fixed_parameters(None, config_dir, data_dir, runs_dir=str(runs_dir)),
        )
    networks = list_networks(config_dir)
    params = {
        "config_dir": str(config_dir),
        "data_dir": str(data_dir),
        "runs_dir": str(runs_dir),
        **overrides,
    }
    inputs = {
        project_relative(p): file_hash(p) for p in synthesis_inputs(config_dir, data_dir, runs_dir)
    }
    return run_notebooks(
        output_dir / SYNTHESIS_DIR,
        [notebook],
        params,
        inputs,
        label=SYNTHESIS_DIR,
        title="Synthese over netwerken",
        force=force,
        kernel_name=kernel_name,
        report=report,
        progress=progress,
        manifest_extra={"kind": "synthesis", "networks": networks},
        started=start,
    )
