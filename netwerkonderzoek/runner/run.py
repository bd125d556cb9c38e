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
import keyword
import math
import os
import shutil
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

from filelock import FileLock, Timeout

from ..config import MAX_SEED, check_network_id, load_config
from ..exceptions import RunError, ValidationError
from ..privacy import safe_path
from ..registry import registered_notebooks
from .kernel import NotebookFailure, execute, notebook_parameters
from .manifest import (
    PROJECT_DIR,
    environment,
    file_hash,
    notebook_key,
    read_manifest,
    write_manifest,
)

__all__ = [
    "CROSS_NETWORK_NOTEBOOKS",
    "NotebookResult",
    "RunResult",
    "check_parameters",
    "input_files",
    "newest_complete_run",
    "run_network",
    "run_notebooks",
    "study_notebooks",
]

#: Values the study parameters may take, beyond their declared type: the same
#: rules as the network config's ``study.language`` and ``study.seed``.
PARAMETER_VALUES = {
    "language": (lambda v: v in ("nl", "en"), "'nl' (Dutch) or 'en' (English)"),
    "seed": (lambda v: 0 <= v <= MAX_SEED, f"a whole number from 0 to {MAX_SEED}"),
}

#: Parameters that name folders: recorded relative to the project.
PATH_PARAMETERS = frozenset({"config_dir", "data_dir", "runs_dir", "notebook_dir"})

# Notebooks that compare networks; they are not part of the per-network study.
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
    """The parameters a run sets itself; an override may only repeat them."""
    fixed = {"config_dir": str(config_dir), "data_dir": str(data_dir), "output_dir": None}
    if network_id is not None:
        fixed["network_id"] = network_id
    return {**fixed, **more}


def input_files(network_id: str, config_dir: Path, data_dir: Path) -> list[Path]:
    """Every input file a run of ``network_id`` reads: config, theory, data, and the
    discussion text and Word template when the network has them."""
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
    try:
        return str(Path(path).resolve().relative_to(PROJECT_DIR))
    except ValueError:
        return str(Path(path).resolve())


def _new_run_id(network_dir: Path) -> str:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    run_id, n = stamp, 1
    while any(
        (network_dir / name).exists()
        for name in (run_id, f".{run_id}.partial", f"{run_id}.failed")
    ):
        n += 1
        run_id = f"{stamp}-{n}"
    return run_id


def _lock(folder: Path) -> FileLock:
    """Hold an exclusive lock on ``folder/.lock`` (``release()`` it).

    Raises
    ------
    filelock.Timeout
        When another process holds it.
    """
    lock = FileLock(folder / ".lock", thread_local=False)
    lock.acquire(timeout=0)
    return lock


def _retire_stale_partials(network_dir: Path) -> None:
    """Rename ``.partial`` folders no process holds a lock on to ``.failed``."""
    for folder in sorted(network_dir.glob(".*.partial")):
        try:
            lock = _lock(folder)
        except Timeout:
            continue  # another run is working in it
        try:
            manifest = read_manifest(folder / "manifest.json") or {}
            manifest["status"] = "interrupted"
            if not manifest.get("error"):
                manifest["error"] = "the run was killed before it finished"
            write_manifest(folder / "manifest.json", manifest)
        finally:
            lock.release()
        run_id = folder.name[1 : -len(".partial")]
        (folder / ".lock").unlink(missing_ok=True)
        folder.rename(network_dir / f"{run_id}.failed")


def _previous_results(network_dir: Path) -> list[tuple[Path, dict]]:
    """Earlier runs' (folder, notebook entry) for completed notebooks, newest first."""
    found = []
    for folder in sorted(network_dir.iterdir(), reverse=True):
        if not folder.is_dir() or folder.name.startswith(".") or folder.is_symlink():
            continue
        manifest = read_manifest(folder / "manifest.json")
        if not manifest:
            continue
        for entry in manifest.get("notebooks", []):
            if entry.get("status") in ("complete", "reused") and entry.get("key"):
                found.append((folder, entry))
    return found


def _reuse(
    key: str, name: str, previous: list[tuple[Path, dict]], partial: Path
) -> NotebookResult | None:
    for folder, entry in previous:
        if entry["key"] != key or entry["notebook"] != name:
            continue
        files = entry.get("files")
        if not isinstance(files, dict):  # an entry without its files proves nothing
            continue
        sources = [folder / "notebooks" / f"{name}.ipynb", *(folder / rel for rel in files)]
        if not all(p.is_file() for p in sources):
            continue
        if any(file_hash(folder / rel) != digest for rel, digest in files.items()):
            continue
        for rel in [f"notebooks/{name}.ipynb", *files]:
            target = partial / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(folder / rel, target)
        return NotebookResult(
            name, "reused", 0.0, key=key, files=dict(files), reused_from=folder.name
        )
    return None


def _snapshot(folder: Path) -> dict[str, str]:
    skip = {
        "manifest.json",
        "manifest.json.tmp",
        ".lock",
        "report.html",
        "report.pdf",
        "report.docx",
    }
    return {
        str(p.relative_to(folder)): file_hash(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name not in skip and p.relative_to(folder).parts[0] != "notebooks"
    }


def newest_complete_run(network_dir: Path) -> str | None:
    """The run id of the newest complete full run under ``network_dir``, by start time.

    Runs with ``--only`` (scope ``partial``), failed and interrupted runs are
    never the network's complete study. Of two complete full runs the one
    that *started* later is newer, whatever order they finished in.
    """
    best: tuple[str, str] | None = None
    if not network_dir.is_dir():
        return None
    for folder in network_dir.iterdir():
        if folder.name.startswith(".") or folder.is_symlink() or not folder.is_dir():
            continue
        manifest = read_manifest(folder / "manifest.json")
        if not manifest or manifest.get("status") != "complete":
            continue
        if manifest.get("scope", "full") != "full" or manifest.get("run_id") != folder.name:
            continue
        stamp = (str(manifest.get("started") or ""), folder.name)
        if best is None or stamp > best:
            best = stamp
    return None if best is None else best[1]


def _point_latest(network_dir: Path) -> None:
    """Point ``latest`` at :func:`newest_complete_run` (under the network's lock)."""
    with _network_lock(network_dir):
        run_id = newest_complete_run(network_dir)
        if run_id is None:
            return
        link = network_dir / "latest"
        tmp = network_dir / f".latest-{os.getpid()}"
        if tmp.is_symlink() or tmp.exists():
            tmp.unlink()
        try:
            tmp.symlink_to(run_id, target_is_directory=True)
            os.replace(tmp, link)
        except OSError:  # file systems without symlinks: a text file naming the run
            if link.is_symlink():
                link.unlink()
            link.write_text(run_id + "\n", encoding="utf-8")


def _network_lock(network_dir: Path) -> FileLock:
    """An exclusive, blocking lock on ``<network_dir>/.latest.lock`` (a context manager)."""
    return FileLock(network_dir / ".latest.lock", thread_local=False)


def _write_error(exc: OSError) -> str:
    """An OSError met while writing, as the run's error: which file, and why."""
    where = exc.filename or ""
    text = str(exc.strerror or exc)
    if where and str(where) not in text:
        return f"could not write {where}: {text}"
    return f"could not write: {text}" if "could not write" not in text else text


def _retire(manifest, save, status: str, error: str, lock, partial: Path, failed: Path) -> None:
    """Record ``error`` as best the disk allows and rename ``partial`` to ``failed``.

    On a full disk even the manifest may not be written; the folder is still
    renamed, so it never looks complete (its manifest, if any, is not
    ``complete``).
    """
    manifest["error"] = error
    manifest["finished"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    try:
        save(status)
    except OSError:
        pass
    lock.release()
    (partial / ".lock").unlink(missing_ok=True)
    partial.rename(failed)


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
    """
    from ..checks import validate_study
    from ..harmonise import harmonisation_reason, harmonise_network

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
    reason = harmonisation_reason(config, data_dir)  # e.g. raw files changed since
    if reason is not None:
        if not harmonise:
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
    faults = validate_study(config, data_dir)
    if faults:
        raise ValidationError(faults)
    notebooks = study_notebooks(notebook_dir, only)
    params = {
        "network_id": network_id,
        "config_dir": str(config_dir),
        "data_dir": str(data_dir),
        "language": config.study.language,
        "seed": config.study.seed,
        **dict(parameters or {}),
    }
    inputs = {
        project_relative(p): file_hash(p) for p in input_files(network_id, config_dir, data_dir)
    }
    result = run_notebooks(
        safe_path(output_dir, network_id),  # the id is a slug; checked again where it is used
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
    )
    result.harmonised = reason
    return result


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
    """
    start = time.perf_counter() if started is None else started
    # papermill takes a second to import: once per process, here, so a
    # notebook's seconds in the manifest are its own (the network's total
    # keeps the import).
    import papermill  # noqa: F401

    network_id = label
    network_dir = Path(target_dir)
    network_dir.mkdir(parents=True, exist_ok=True)
    _retire_stale_partials(network_dir)
    run_id = _new_run_id(network_dir)
    partial = network_dir / f".{run_id}.partial"
    (partial / "notebooks").mkdir(parents=True)
    lock = _lock(partial)
    params = {**dict(parameters), "output_dir": str(partial)}
    # What the manifest and the keys record: folders relative to the project, so
    # no path of the user's machine is written and a copied run still verifies.
    recorded = {
        k: (project_relative(Path(v)) if k in PATH_PARAMETERS and v is not None else v)
        for k, v in params.items()
        if k != "output_dir"
    }
    inputs = dict(inputs)
    manifest: dict[str, object] = {
        "run_id": run_id,
        "network_id": network_id,
        **dict(manifest_extra or {}),
        "status": "running",
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "finished": None,
        "scope": "full" if full else "partial",
        "parameters": recorded,
        "notebook_dir": project_relative(Path(notebooks[0]).parent) if notebooks else None,
        "kernel": kernel_name,
        "inputs": inputs,
        "notebook_files": {project_relative(nb): file_hash(nb) for nb in notebooks},
        **environment(),
        "notebooks": [],
        "error": None,
    }
    results = [NotebookResult(nb.stem, "not run") for nb in notebooks]
    previous = [] if force else _previous_results(network_dir)

    def save(status: str) -> None:
        manifest["status"] = status
        manifest["notebooks"] = [asdict(r) for r in results]
        write_manifest(partial / "manifest.json", manifest)

    error: str | None = None
    try:
        save("running")
        for index, nb in enumerate(notebooks):
            key = notebook_key(nb, inputs, recorded, kernel_name)
            reused = None if force else _reuse(key, nb.stem, previous, partial)
            if reused is not None:
                results[index] = reused
                _notify(progress, network_id, "reused", nb.stem)
                save("running")
                continue
            _notify(progress, network_id, "running", nb.stem)
            before = _snapshot(partial)
            began = time.perf_counter()
            try:
                execute(
                    nb,
                    partial / "notebooks" / nb.name,
                    params,
                    cwd=partial,
                    kernel_name=kernel_name,
                )
            except NotebookFailure as exc:
                seconds = round(time.perf_counter() - began, 3)
                results[index] = NotebookResult(
                    nb.stem, "failed", seconds, exc.cell, exc.error, key
                )
                error = str(exc)
                break
            after = _snapshot(partial)
            produced = {rel: h for rel, h in after.items() if before.get(rel) != h}
            results[index] = NotebookResult(
                nb.stem, "complete", round(time.perf_counter() - began, 3), key=key, files=produced
            )
            save("running")
        if error is None and report:
            try:
                _build_report(
                    [partial / "notebooks" / nb.name for nb in notebooks],
                    partial / "report.html",
                    title,
                    docx_template,
                )
            except Exception as exc:
                error = f"report could not be built: {type(exc).__name__}: {exc}"
            if error is None and full and after_report is not None:
                try:
                    after_report(partial)
                except Exception as exc:
                    error = f"partner reports could not be built: {type(exc).__name__}: {exc}"
    except OSError as exc:  # a full disk or a file-size limit: a failed run naming the file
        # the file named inside the run folder, which is renamed to .failed
        error = _write_error(exc).replace(f"{partial}{os.sep}", "")
        _retire(manifest, save, "failed", error, lock, partial, network_dir / f"{run_id}.failed")
        _notify(progress, network_id, "failed")
        return RunResult(
            network_id,
            run_id,
            "failed",
            network_dir / f"{run_id}.failed",
            results,
            error,
            round(time.perf_counter() - start, 3),
        )
    except BaseException as exc:  # interrupted: never leave a folder that looks complete
        reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        _retire(
            manifest,
            save,
            "interrupted",
            f"the run was interrupted ({reason})",
            lock,
            partial,
            network_dir / f"{run_id}.failed",
        )
        _notify(progress, network_id, "failed")
        raise
    manifest["finished"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    manifest["error"] = error
    save("complete" if error is None else "failed")
    lock.release()
    (partial / ".lock").unlink(missing_ok=True)
    if error is None:
        final = network_dir / run_id
        partial.rename(final)
        _point_latest(network_dir)
    else:
        final = network_dir / f"{run_id}.failed"
        partial.rename(final)
    _notify(progress, network_id, "done" if error is None else "failed")
    return RunResult(
        network_id,
        run_id,
        str(manifest["status"]),
        final,
        results,
        error,
        round(time.perf_counter() - start, 3),
    )
