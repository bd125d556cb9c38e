"""Run the study notebooks of one network: atomically, recorded, resumable.

A run executes every study notebook (``notebooks/NN_*.ipynb``) for one
network into ``<output_dir>/<network_id>/<run_id>/``:

- ``notebooks/`` the executed notebooks, ``figures/``, ``tables/``;
- ``report.html`` the executed notebooks as one document, code hidden;
- ``manifest.json`` parameters, input file hashes, package versions, the
  project's git commit, and per notebook its status, seconds, key and the
  files it wrote.

The run is written to a hidden ``.<run_id>.partial`` folder, holding a lock
while it runs, and renamed into place only when every notebook succeeded;
``<output_dir>/<network_id>/latest`` then points at it. A failing run is
renamed to ``<run_id>.failed`` (its manifest names the notebook, cell and
error). An interrupted run (Ctrl-C) is renamed the same way; one whose process
was killed leaves its ``.partial`` folder, which the next run of the network
finds unlocked and renames to ``.failed``. A folder without a suffix is
therefore always complete.

Resuming: a notebook whose key (see :mod:`.manifest`) equals that of a
notebook completed in an earlier run — complete, failed or interrupted — is
not executed again; its executed notebook and the files it wrote are copied
from that run (``status: "reused"``), unless ``force=True``.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..config import check_network_id, load_config
from ..exceptions import RunError, ValidationError
from ..privacy import safe_path
from ..registry import registered_notebooks
from .compare import check_run, previous_run_folder
from .folders import RunFolder, newest_complete_run, write_error
from .kernel import NotebookFailure, execute, notebook_parameters
from .manifest import (
    PROJECT_DIR,
    environment,
    file_hash,
    input_rows,
    library_hash,
    notebook_key,
    theory_record,
    write_manifest,
)
from .parameters import PATH_PARAMETERS, check_parameters, fixed_parameters
from .reuse import files_written, previous_results, reuse_notebook

__all__ = [
    "CROSS_NETWORK_NOTEBOOKS",
    "NotebookResult",
    "RunResult",
    "check_parameters",
    "fixed_parameters",
    "input_files",
    "newest_complete_run",
    "project_relative",
    "run_network",
    "run_notebooks",
    "study_notebooks",
]

#: Notebooks that run once across networks, never per network (the registry's).
CROSS_NETWORK_NOTEBOOKS = frozenset(nb.name for nb in registered_notebooks("cross-network"))


@dataclass
class NotebookResult:
    """Outcome of one notebook in a run."""

    notebook: str
    status: str  # "complete" | "reused" | "failed" | "not run"
    seconds: float | None = None
    cell: int | None = None
    error: str | None = None
    key: str | None = None
    files: dict[str, str] = field(default_factory=dict)
    reused_from: str | None = None

    @property
    def done(self) -> bool:
        return self.status in ("complete", "reused")


@dataclass
class RunResult:
    """Outcome of a run of one network."""

    network_id: str
    run_id: str
    status: str  # "complete" | "failed" | "interrupted"
    path: Path | None
    notebooks: list[NotebookResult] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0
    #: Why the run harmonised the raw exports first (None: it did not).
    harmonised: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == "complete"

    @property
    def figures(self) -> Path | None:
        return None if self.path is None else self.path / "figures"

    @property
    def report(self) -> Path | None:
        return None if self.path is None else self.path / "report.html"


def study_notebooks(
    notebook_dir: str | Path = "notebooks", only: Iterable[str] | None = None
) -> list[Path]:
    """The per-network study notebooks (``NN_name.ipynb``) in run order.

    Parameters
    ----------
    notebook_dir : path
        Folder of the notebooks.
    only : iterable of str, optional
        Notebook names (with or without ``.ipynb``) to restrict the run to.

    Raises
    ------
    RunError
        If the folder holds no study notebook, or ``only`` names an unknown one.

    Examples
    --------
    The shipped study in run order; the synthesis notebook is not part of it:

    >>> [p.name for p in study_notebooks(PROJECT_DIR / "notebooks")]  # doctest: +NORMALIZE_WHITESPACE
    ['01_netwerk.ipynb', '02_cmo_toetsing.ipynb', '03_hartslag.ipynb', '04_waarde.ipynb',
     '06_verhaal.ipynb', '07_kernboodschappen.ipynb']
    >>> study_notebooks(PROJECT_DIR / "notebooks", ["99_niets"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    netwerkonderzoek.exceptions.RunError: unknown notebook(s) 99_niets; study notebooks are 01_netwerk, ...
    """
    folder = Path(notebook_dir)
    found = sorted(
        p for p in folder.glob("[0-9][0-9]_*.ipynb") if p.stem not in CROSS_NETWORK_NOTEBOOKS
    )
    if not found:
        raise RunError(f"no study notebooks (NN_name.ipynb) found in {folder}")
    if only:
        wanted = [name.removesuffix(".ipynb") for name in only]
        known = {p.stem: p for p in found}
        unknown = [w for w in wanted if w not in known]
        if unknown:
            raise RunError(
                f"unknown notebook(s) {', '.join(unknown)}; study notebooks are {', '.join(known)}"
            )
        found = [known[w] for w in wanted]
    return found


def input_files(network_id: str, config_dir: Path, data_dir: Path) -> list[Path]:
    """Every input file a run of ``network_id`` reads: config, theory, data, and the
    discussion text and Word template when the network has them.

    Examples
    --------
    >>> files = input_files("wijk-noord", PROJECT_DIR / "config", PROJECT_DIR / "data")
    >>> [project_relative(p) for p in files[:3]]  # doctest: +NORMALIZE_WHITESPACE
    ['config/networks/wijk-noord.yaml', 'config/theories/wijk-noord.yaml',
     'config/networks/wijk-noord.discussie.txt']
    """
    config = load_config(network_id, config_dir)
    from ..story.messages import discussion_path

    files = [Path(config.path)]
    if config.theory_path is not None and config.theory_path.is_file():
        files.append(config.theory_path)
    for extra in (discussion_path(config), config.docx_template):
        if extra is not None and extra.is_file():  # the researcher's text, the Word template
            files.append(extra)
    folder = safe_path(data_dir, network_id)
    files.extend(sorted(p for p in folder.rglob("*") if p.is_file()))
    return files


def project_relative(path: Path) -> str:
    """``path`` relative to the project folder when inside it, else absolute.

    Manifests record folders this way, so a run names no path of the user's
    machine and still verifies when copied.

    Examples
    --------
    >>> project_relative(PROJECT_DIR / "notebooks" / "01_netwerk.ipynb")
    'notebooks/01_netwerk.ipynb'
    """
    try:
        return str(Path(path).resolve().relative_to(PROJECT_DIR))
    except ValueError:
        return str(Path(path).resolve())


def _build_report(
    executed: list[Path], destination: Path, title: str, docx_template: Path | None = None
) -> None:
    """Write ``report.html``, ``.pdf`` and ``.docx`` (:func:`netwerkonderzoek.story.build_report`)."""
    from ..story import build_report

    build_report(executed, destination, title, docx_template=docx_template)


def _partner_reports(run_dir: Path, *, config) -> None:
    """Write ``partners/<partner_id>.html`` and ``.pdf`` (:mod:`netwerkonderzoek.story.partner_report`)."""
    from ..cmo import load_theory
    from ..story import build_partner_reports

    theory = load_theory(config.theory_path) if config.theory_path is not None else None
    build_partner_reports(run_dir, config, theory=theory)


def _notify(progress, network_id: str, state: str, notebook: str | None = None) -> None:
    if progress is not None:
        try:
            progress.put((network_id, state, notebook))
        except Exception:  # a broken progress display must not break the run
            pass


def run_network(
    network_id: str,
    *,
    config_dir: str | Path = "config",
    data_dir: str | Path = "data",
    output_dir: str | Path = "output",
    notebook_dir: str | Path = "notebooks",
    parameters: Mapping[str, object] | None = None,
    only: Iterable[str] | None = None,
    force: bool = False,
    kernel_name: str = "python3",
    report: bool = True,
    progress=None,
    harmonise: bool = True,
) -> RunResult:
    """Run the study notebooks of one network into a new run folder.

    Parameters
    ----------
    network_id : str
        Network to study (a slug configured under ``config_dir/networks``).
    config_dir, data_dir, output_dir, notebook_dir : path
        Where configuration, canonical tables, outputs and notebooks are.
    parameters : mapping, optional
        Overrides of notebook parameters (``{"language": "en"}``).
    only : iterable of str, optional
        Run only these notebooks.
    force : bool
        Execute every notebook even when an earlier run completed it with the
        same inputs (otherwise its results are reused).
    kernel_name : str
        Jupyter kernel to execute with.
    report : bool
        Also write ``report.html`` (the executed notebooks, code hidden).
    progress : object with ``put``, optional
        Receives ``(network_id, state, notebook)`` tuples as the run goes
        (a queue; states: ``running``, ``reused``, ``done``, ``failed``).
    harmonise : bool
        Harmonise the raw partner exports first when they changed since they
        were last harmonised (default; ``progress`` gets a ``harmonising``
        event with the reason, and the result's ``harmonised`` names it).
        False refuses such a run instead: ``verify`` never rewrites the
        canonical tables it checks.

    Returns
    -------
    RunResult
        ``status`` is ``"complete"`` and ``path`` the run folder, or
        ``"failed"`` with ``path`` the ``.failed`` folder holding the partial
        executed notebooks and ``error`` naming notebook, cell and error.

    Raises
    ------
    ConfigError
        If the network id or its configuration is invalid.
    ValidationError
        If its data do not validate (the run does not start).
    RunError
        If there are no study notebooks, ``only`` names an unknown one, a
        parameter override is refused (see :func:`check_parameters`), or the
        raw exports need harmonising and ``harmonise`` is False, or
        harmonising first quarantines a source entirely or above
        ``harmonisation.max_quarantine_share``; all before any kernel starts.

    Examples
    --------
    One notebook of the shipped example network into a temporary output folder
    (this starts a kernel; ``harmonise=False`` refuses rather than rewrites the
    canonical tables, should the raw exports have changed):

    >>> import tempfile
    >>> output = Path(tempfile.mkdtemp())
    >>> result = run_network("wijk-noord", config_dir=PROJECT_DIR / "config",
    ...                      data_dir=PROJECT_DIR / "data", output_dir=output,
    ...                      notebook_dir=PROJECT_DIR / "notebooks", only=["01_netwerk"],
    ...                      report=False, harmonise=False)
    >>> result.status, [(nb.notebook, nb.status) for nb in result.notebooks]
    ('complete', [('01_netwerk', 'complete')])
    >>> result.path == output / "wijk-noord" / result.run_id, (result.path / "manifest.json").is_file()
    (True, True)
    >>> (result.figures / "network_map.svg").is_file()
    True
    """
    from ..checks import validate_study

    start = time.perf_counter()
    check_network_id(network_id)
    config_dir, data_dir = Path(config_dir).resolve(), Path(data_dir).resolve()
    output_dir, notebook_dir = Path(output_dir).resolve(), Path(notebook_dir).resolve()
    if parameters:  # refused before anything is harmonised or a kernel starts
        check_parameters(
            parameters,
            study_notebooks(notebook_dir, only),
            fixed=fixed_parameters(network_id, config_dir, data_dir),
        )
    config = load_config(network_id, config_dir)
    reason = _harmonise_first(config, data_dir, allowed=harmonise, progress=progress)
    faults = validate_study(config, data_dir)
    if faults:
        raise ValidationError(faults)
    notebooks = study_notebooks(notebook_dir, only)
    network_dir = safe_path(output_dir, network_id)  # the id is a slug; checked again where used
    params = {
        "network_id": network_id,
        "config_dir": str(config_dir),
        "data_dir": str(data_dir),
        "language": config.study.language,
        "seed": config.study.seed,
        **dict(parameters or {}),
    }
    if "previous_run" not in params and _compares(notebooks):
        # the previous evaluation, for a notebook that says what changed since
        params["previous_run"] = newest_complete_run(network_dir) or ""
    if params.get("previous_run"):  # the run this one is compared with must be one to compare
        check_run(previous_run_folder(params["previous_run"], network_dir / "run"))
    files = input_files(network_id, config_dir, data_dir)
    inputs = {project_relative(p): file_hash(p) for p in files}
    result = run_notebooks(
        network_dir,
        notebooks,
        params,
        inputs,
        label=network_id,
        title=config.name,
        force=force,
        kernel_name=kernel_name,
        report=report,
        progress=progress,
        started=start,
        full=only is None,
        after_report=functools.partial(_partner_reports, config=config) if report else None,
        docx_template=config.docx_template,
        manifest_extra={
            "compared_with": params.get("previous_run") or None,
            "theory": theory_record(config),
            "input_rows": {project_relative(p): n for p, n in input_rows(files).items()},
            "library": library_hash(),
        },
    )
    result.harmonised = reason
    return result


def _compares(notebooks: list[Path]) -> bool:
    """Whether a notebook of the run reads the previous evaluation (declares ``previous_run``)."""
    return any("previous_run" in notebook_parameters(nb)["name"].values for nb in notebooks)


def _harmonise_first(config, data_dir: Path, *, allowed: bool, progress) -> str | None:
    """Harmonise the raw exports when they changed since last time; the reason, or None.

    Raises RunError when harmonising is needed but not ``allowed``, or when
    it quarantines a source (see :func:`run_network`).
    """
    from ..harmonise import harmonisation_reason, harmonise_network

    network_id = config.network_id
    reason = harmonisation_reason(config, data_dir)  # e.g. raw files changed since
    if reason is None:
        return None
    if not allowed:
        raise RunError(
            f"{network_id}: the raw partner exports need harmonising ({reason}); "
            "this run may not harmonise (it would rewrite the canonical "
            f"tables under {data_dir / network_id}). Run 'netwerkonderzoek harmonise "
            f"{network_id}' first."
        )
    _notify(progress, network_id, "harmonising", reason)
    harmonised = harmonise_network(config, data_dir)
    if harmonised.problems:
        raise RunError(
            f"{network_id}: harmonising first ({reason}) failed: "
            + "; ".join(harmonised.problems)
            + f"; see {data_dir / network_id / 'harmonisation' / 'quarantine.csv'}"
        )
    return reason


def run_notebooks(
    target_dir: Path,
    notebooks: list[Path],
    parameters: Mapping[str, object],
    inputs: Mapping[str, str],
    *,
    label: str,
    title: str,
    force: bool = False,
    kernel_name: str = "python3",
    report: bool = True,
    progress=None,
    manifest_extra: Mapping[str, object] | None = None,
    started: float | None = None,
    full: bool = True,
    after_report: Callable[[Path], object] | None = None,
    docx_template: Path | None = None,
) -> RunResult:
    """Run notebooks with parameters into a new run folder under ``target_dir``.

    The machinery behind :func:`run_network` and
    :func:`~netwerkonderzoek.runner.run_synthesis`: a hidden ``.partial``
    folder under a lock, ``output_dir`` (the run folder) added to the
    parameters, reuse of notebooks whose key matches an earlier run, the
    manifest, ``report.html``, the rename into place and the ``latest`` link.

    Parameters
    ----------
    target_dir : Path
        Folder holding the runs (``output/<network_id>``).
    notebooks : list of Path
        Notebooks to execute, in order.
    parameters : mapping
        Notebook parameters (without ``output_dir``).
    inputs : mapping
        Input file (relative path) -> hash, recorded and part of each key.
    label : str
        Recorded as ``network_id`` in the manifest and the result.
    title : str
        Title of ``report.html``.
    manifest_extra : mapping, optional
        Further keys for the manifest.
    started : float, optional
        ``time.perf_counter()`` at the start of the caller's work.
    full : bool
        True when the run executes every study notebook; only a complete
        full run can become ``latest`` (a run with ``--only`` is kept beside
        it).

    Examples
    --------
    A one-cell notebook run twice: the second run reuses the first one's result
    (this starts one kernel):

    >>> import tempfile
    >>> import nbformat
    >>> folder = Path(tempfile.mkdtemp())
    >>> notebook = nbformat.v4.new_notebook(cells=[
    ...     nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]})],
    ...     metadata={"kernelspec": {"name": "python3", "language": "python",
    ...                              "display_name": "Python 3"}})
    >>> nbformat.write(notebook, folder / "01_een.ipynb")
    >>> first = run_notebooks(folder / "runs", [folder / "01_een.ipynb"], {"x": 2}, {},
    ...                       label="demo", title="Demo", report=False)
    >>> first.status, first.notebooks[0].status, first.path.name == first.run_id
    ('complete', 'complete', True)
    >>> second = run_notebooks(folder / "runs", [folder / "01_een.ipynb"], {"x": 2}, {},
    ...                        label="demo", title="Demo", report=False)
    >>> second.notebooks[0].status, second.notebooks[0].reused_from == first.run_id
    ('reused', True)
    >>> (folder / "runs" / "latest").resolve() == second.path
    True
    """
    start = time.perf_counter() if started is None else started
    # papermill takes a second to import: once per process, here, so a
    # notebook's seconds in the manifest are its own (the network's total
    # keeps the import).
    import papermill  # noqa: F401

    folder = RunFolder(Path(target_dir))
    run = _Run(
        folder,
        notebooks,
        {**dict(parameters), "output_dir": str(folder.partial)},
        dict(inputs),
        label=label,
        kernel_name=kernel_name,
        force=force,
        progress=progress,
        full=full,
        manifest_extra=manifest_extra,
    )
    error: str | None = None
    try:
        run.save("running")
        for index, nb in enumerate(notebooks):
            error = run.run_notebook(index, nb)
            if error is not None:
                break
        if error is None and report:
            error = run.write_reports(title, docx_template, after_report if full else None)
    except OSError as exc:  # a full disk or a file-size limit: a failed run naming the file
        # the file named inside the run folder, which is renamed to .failed
        error = write_error(exc).replace(f"{folder.partial}{os.sep}", "")
        final = folder.retire(run.manifest, run.save, "failed", error)
        _notify(progress, label, "failed")
        return run.result("failed", final, error, start)
    except BaseException as exc:  # interrupted: never leave a folder that looks complete
        reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        folder.retire(run.manifest, run.save, "interrupted", f"the run was interrupted ({reason})")
        _notify(progress, label, "failed")
        raise
    run.manifest["finished"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    run.manifest["error"] = error
    run.save("complete" if error is None else "failed")
    final = folder.close(complete=error is None)
    _notify(progress, label, "done" if error is None else "failed")
    return run.result(str(run.manifest["status"]), final, error, start)


class _Run:
    """One run of notebooks into a :class:`~.folders.RunFolder`: its manifest and results."""

    def __init__(
        self,
        folder: RunFolder,
        notebooks: list[Path],
        params: dict[str, object],
        inputs: dict[str, str],
        *,
        label: str,
        kernel_name: str,
        force: bool,
        progress,
        full: bool,
        manifest_extra: Mapping[str, object] | None,
    ):
        self.folder, self.params, self.inputs = folder, params, inputs
        self.label, self.kernel_name, self.force, self.progress = (
            label,
            kernel_name,
            force,
            progress,
        )
        self.notebooks = notebooks
        # What the manifest and the keys record: folders relative to the project, so
        # no path of the user's machine is written and a copied run still verifies.
        self.recorded = {
            k: (project_relative(Path(v)) if k in PATH_PARAMETERS and v is not None else v)
            for k, v in params.items()
            if k != "output_dir"
        }
        self.manifest: dict[str, object] = {
            "run_id": folder.run_id,
            "network_id": label,
            **dict(manifest_extra or {}),
            "status": "running",
            "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "finished": None,
            "scope": "full" if full else "partial",
            "parameters": self.recorded,
            "notebook_dir": project_relative(Path(notebooks[0]).parent) if notebooks else None,
            "kernel": kernel_name,
            "inputs": inputs,
            "notebook_files": {project_relative(nb): file_hash(nb) for nb in notebooks},
            **environment(),
            "notebooks": [],
            "error": None,
        }
        self.results = [NotebookResult(nb.stem, "not run") for nb in notebooks]
        self.previous = [] if force else previous_results(folder.network_dir)

    def _own(self, nb: Path, params: dict[str, object]) -> dict[str, object]:
        """``params`` without ``previous_run`` unless the notebook declares it.

        ``previous_run`` differs in every run after a complete one, so it is
        given to (and part of the key of) only a notebook that reads it.
        """
        if (
            "previous_run" not in params
            or "previous_run" in notebook_parameters(nb)["name"].values
        ):
            return params
        return {k: v for k, v in params.items() if k != "previous_run"}

    def save(self, status: str) -> None:
        """Write the manifest with ``status`` and the notebooks' results so far."""
        self.manifest["status"] = status
        self.manifest["notebooks"] = [asdict(r) for r in self.results]
        write_manifest(self.folder.partial / "manifest.json", self.manifest)

    def run_notebook(self, index: int, nb: Path) -> str | None:
        """Reuse or execute notebook ``index``; the run's error when it failed, else None."""
        partial = self.folder.partial
        key = notebook_key(nb, self.inputs, self._own(nb, self.recorded), self.kernel_name)
        reused = None if self.force else reuse_notebook(key, nb.stem, self.previous, partial)
        if reused is not None:
            self.results[index] = NotebookResult(
                nb.stem, "reused", 0.0, key=key, files=reused.files, reused_from=reused.run_id
            )
            _notify(self.progress, self.label, "reused", nb.stem)
            self.save("running")
            return None
        _notify(self.progress, self.label, "running", nb.stem)
        before = files_written(partial)
        began = time.perf_counter()
        try:
            execute(
                nb,
                partial / "notebooks" / nb.name,
                self._own(nb, self.params),
                cwd=partial,
                kernel_name=self.kernel_name,
            )
        except NotebookFailure as exc:
            seconds = round(time.perf_counter() - began, 3)
            self.results[index] = NotebookResult(
                nb.stem, "failed", seconds, exc.cell, exc.error, key
            )
            return str(exc)
        after = files_written(partial)
        produced = {rel: h for rel, h in after.items() if before.get(rel) != h}
        self.results[index] = NotebookResult(
            nb.stem, "complete", round(time.perf_counter() - began, 3), key=key, files=produced
        )
        self.save("running")
        return None

    def write_reports(
        self,
        title: str,
        docx_template: Path | None,
        after_report: Callable[[Path], object] | None,
    ) -> str | None:
        """Build the report (and, after it, the partner reports); the error, or None."""
        partial = self.folder.partial
        try:
            _build_report(
                [partial / "notebooks" / nb.name for nb in self.notebooks],
                partial / "report.html",
                title,
                docx_template,
            )
        except Exception as exc:
            return f"report could not be built: {type(exc).__name__}: {exc}"
        if after_report is not None:
            try:
                after_report(partial)
            except Exception as exc:
                return f"partner reports could not be built: {type(exc).__name__}: {exc}"
        return None

    def result(self, status: str, final: Path, error: str | None, start: float) -> RunResult:
        """The run's :class:`RunResult` once its folder is in place at ``final``."""
        return RunResult(
            self.label,
            self.folder.run_id,
            status,
            final,
            self.results,
            error,
            round(time.perf_counter() - start, 3),
        )
