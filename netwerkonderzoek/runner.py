"""Run the study notebooks of a network with papermill, reproducibly and atomically.

A run executes every study notebook (``notebooks/NN_*.ipynb``) for one
network into ``<output_dir>/<network_id>/<run_id>/``:

- ``notebooks/`` the executed notebooks, ``figures/``, ``tables/``;
- ``report.html`` the executed notebooks as one document, code hidden;
- ``manifest.json`` parameters, input file hashes, package versions, the
  project's git commit, and status and seconds of every notebook.

The run is written to a hidden ``.<run_id>.partial`` folder and renamed into
place only when every notebook succeeded; ``<output_dir>/<network_id>/latest``
then points at it. A failing or interrupted run is renamed to
``<run_id>.failed`` (its manifest says ``"status": "failed"`` and which
notebook and cell failed), so a folder without that suffix is always complete.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .config import check_network_id, load_config
from .exceptions import RunError, ValidationError

__all__ = [
    "CROSS_NETWORK_NOTEBOOKS",
    "MANIFEST_PACKAGES",
    "NotebookResult",
    "RunResult",
    "file_hash",
    "input_files",
    "run_network",
    "run_networks",
    "study_notebooks",
]

# Notebooks that compare networks; they are not part of the per-network study.
CROSS_NETWORK_NOTEBOOKS = frozenset({"05_synthese"})

MANIFEST_PACKAGES = (
    "netwerkonderzoek",
    "numpy",
    "pandas",
    "scipy",
    "statsmodels",
    "networkx",
    "matplotlib",
    "pydantic",
    "papermill",
    "nbclient",
    "ipykernel",
)


@dataclass
class NotebookResult:
    """Outcome of one notebook in a run."""

    notebook: str
    status: str  # "complete" | "failed" | "not run"
    seconds: float | None = None
    cell: int | None = None
    error: str | None = None


@dataclass
class RunResult:
    """Outcome of a run of one network."""

    network_id: str
    run_id: str
    status: str  # "complete" | "failed"
    path: Path | None
    notebooks: list[NotebookResult] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0

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


def file_hash(path: str | Path) -> str:
    """SHA-256 of a file's bytes, as ``sha256:<hex>``."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return "sha256:" + digest.hexdigest()


def input_files(
    network_id: str, config_dir: Path, data_dir: Path, notebooks: list[Path]
) -> list[Path]:
    """Every file a run of ``network_id`` reads: config, theory, data, notebooks."""
    config = load_config(network_id, config_dir)
    files = [Path(config.path)]
    if config.theory_path is not None and config.theory_path.is_file():
        files.append(config.theory_path)
    folder = Path(data_dir) / network_id
    files.extend(sorted(p for p in folder.rglob("*") if p.is_file()))
    files.extend(notebooks)
    return files


def _git_commit(directory: Path) -> dict[str, object]:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=directory,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=directory,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}
    return {"commit": commit, "dirty": bool(dirty)}


def _package_versions() -> dict[str, str | None]:
    from importlib.metadata import PackageNotFoundError, version

    versions: dict[str, str | None] = {}
    for name in MANIFEST_PACKAGES:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = None
    return versions


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


def _write_json(path: Path, data: object) -> None:
    path.write_text(
        json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8"
    )


def _point_latest(network_dir: Path, run_id: str) -> None:
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
        (network_dir / "latest").write_text(run_id + "\n", encoding="utf-8")


def _build_report(executed: list[Path], destination: Path, title: str) -> None:
    import nbformat
    from nbconvert import HTMLExporter

    merged = nbformat.v4.new_notebook()
    for path in executed:
        nb = nbformat.read(path, as_version=4)
        merged.cells.extend(nb.cells)
    merged.metadata["title"] = title
    exporter = HTMLExporter(
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True
    )
    body, _ = exporter.from_notebook_node(merged)
    destination.write_text(body, encoding="utf-8")


def _error_text(exc: BaseException, executed: Path) -> tuple[int | None, str]:
    """Failing cell (1-based position in the *source* notebook) and error text."""
    ename = getattr(exc, "ename", None)
    if ename is None:
        return None, f"{type(exc).__name__}: {exc}"
    text = f"{ename}: {str(getattr(exc, 'evalue', '')).strip()}"
    index = getattr(exc, "cell_index", None)
    if index is None:
        return None, text
    try:
        import nbformat

        cells = nbformat.read(executed, as_version=4).cells
    except Exception:  # the partial notebook could not be read; report papermill's index
        return int(index) + 1, text
    injected = sum(
        1 for c in cells[:index] if "injected-parameters" in c.get("metadata", {}).get("tags", [])
    )
    return int(index) - injected + 1, text


def run_network(
    network_id: str,
    *,
    config_dir: str | Path = "config",
    data_dir: str | Path = "data",
    output_dir: str | Path = "output",
    notebook_dir: str | Path = "notebooks",
    parameters: Mapping[str, object] | None = None,
    only: Iterable[str] | None = None,
    kernel_name: str = "python3",
    report: bool = True,
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
    kernel_name : str
        Jupyter kernel to execute with.
    report : bool
        Also write ``report.html`` (the executed notebooks, code hidden).

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
        If there are no study notebooks or ``only`` names an unknown one.
    """
    import papermill as pm

    from .tables import validate_network

    start = time.perf_counter()
    check_network_id(network_id)
    config_dir, data_dir = Path(config_dir).resolve(), Path(data_dir).resolve()
    output_dir, notebook_dir = Path(output_dir).resolve(), Path(notebook_dir).resolve()
    config = load_config(network_id, config_dir)
    faults = validate_network(config, data_dir)
    if faults:
        raise ValidationError(faults)
    notebooks = study_notebooks(notebook_dir, only)

    network_dir = output_dir / network_id
    network_dir.mkdir(parents=True, exist_ok=True)
    run_id = _new_run_id(network_dir)
    partial = network_dir / f".{run_id}.partial"
    (partial / "notebooks").mkdir(parents=True)
    params = {
        "network_id": network_id,
        "config_dir": str(config_dir),
        "data_dir": str(data_dir),
        "output_dir": str(partial),
        "language": config.study.language,
        "seed": config.study.seed,
        **dict(parameters or {}),
    }
    files = input_files(network_id, config_dir, data_dir, notebooks)
    root = Path(__file__).resolve().parent.parent
    manifest: dict[str, object] = {
        "run_id": run_id,
        "network_id": network_id,
        "status": "running",
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "finished": None,
        "parameters": {k: v for k, v in params.items() if k != "output_dir"},
        "inputs": {_relative(p, root): file_hash(p) for p in files},
        "packages": _package_versions(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "git": _git_commit(root),
        "notebooks": [],
    }
    results = [NotebookResult(nb.stem, "not run") for nb in notebooks]
    executed: list[Path] = []
    error: str | None = None
    try:
        for index, nb in enumerate(notebooks):
            target = partial / "notebooks" / nb.name
            began = time.perf_counter()
            try:
                pm.execute_notebook(
                    str(nb),
                    str(target),
                    parameters=params,
                    kernel_name=kernel_name,
                    cwd=str(partial),
                    progress_bar=False,
                    log_output=False,
                )
            except Exception as exc:  # papermill wraps cell errors; record every failure
                cell, text = _error_text(exc, target)
                results[index] = NotebookResult(
                    nb.stem, "failed", round(time.perf_counter() - began, 3), cell, text
                )
                where = f"cell {cell}" if cell is not None else "before any cell ran"
                error = f"notebook {nb.stem} failed in {where}: {text}"
                break
            results[index] = NotebookResult(
                nb.stem, "complete", round(time.perf_counter() - began, 3)
            )
            executed.append(target)
        if error is None and report:
            try:
                _build_report(executed, partial / "report.html", config.name)
            except Exception as exc:
                error = f"report could not be built: {type(exc).__name__}: {exc}"
    except BaseException:  # interrupted: never leave a folder that looks complete
        manifest["status"] = "interrupted"
        manifest["notebooks"] = [asdict(r) for r in results]
        _write_json(partial / "manifest.json", manifest)
        partial.rename(network_dir / f"{run_id}.failed")
        raise
    manifest["finished"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    manifest["notebooks"] = [asdict(r) for r in results]
    manifest["status"] = "complete" if error is None else "failed"
    manifest["error"] = error
    _write_json(partial / "manifest.json", manifest)
    if error is None:
        final = network_dir / run_id
        partial.rename(final)
        _point_latest(network_dir, run_id)
    else:
        final = network_dir / f"{run_id}.failed"
        partial.rename(final)
    return RunResult(
        network_id,
        run_id,
        str(manifest["status"]),
        final,
        results,
        error,
        round(time.perf_counter() - start, 3),
    )


def _relative(path: Path, root: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(root))
    except ValueError:
        return str(path)


def _run_one(kwargs: dict) -> RunResult:
    network_id = kwargs.pop("network_id")
    try:
        return run_network(network_id, **kwargs)
    except (RunError, ValidationError) as exc:
        return RunResult(network_id, "", "failed", None, [], str(exc))
    except Exception as exc:  # one failing network must not stop the others
        return RunResult(network_id, "", "failed", None, [], f"{type(exc).__name__}: {exc}")


def run_networks(network_ids: Iterable[str], *, jobs: int = 1, **kwargs) -> list[RunResult]:
    """Run several networks, ``jobs`` at a time in separate processes.

    A network that fails (invalid input, a failing notebook) does not stop the
    others: its :class:`RunResult` has ``status="failed"`` and the error.
    Results come back in the order of ``network_ids``.
    """
    ids = list(network_ids)
    for network_id in ids:
        check_network_id(network_id)
    tasks = [{"network_id": n, **kwargs} for n in ids]
    if jobs <= 1 or len(ids) <= 1:
        return [_run_one(task) for task in tasks]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=min(jobs, len(ids))) as pool:
        return list(pool.map(_run_one, tasks))
