"""Verify a finished run: re-run it from its manifest and compare every output.

``verify`` checks a run; it does not execute what it checks. It runs only the
project's own study notebooks, and only when each is byte for byte the
notebook the manifest recorded (its hash); a manifest that names another
notebook folder is not followed. It never harmonises (raw exports that
changed since the run was made are refused, not re-pseudonymised), and it
writes nothing outside a temporary folder.

Every file of the run is compared with the re-run's: tables, figures, the
report and the executed notebooks. What may legitimately differ between two
executions of the same notebook is named in :data:`VARIABLE_NOTEBOOK_FIELDS`
and left out of the comparison of executed notebooks; the manifest is
compared by its recorded parameters, inputs and notebook hashes, not by its
timestamps.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..exceptions import RunError
from .manifest import PROJECT_DIR, file_hash, read_manifest
from .parameters import PATH_PARAMETERS
from .run import run_network

__all__ = ["VARIABLE_NOTEBOOK_FIELDS", "VerifyResult", "normalised_notebook", "verify_run"]

#: What differs between two executions of the same notebook with the same
#: inputs, and is therefore not compared: papermill's timing and path
#: metadata of the notebook and of each cell, the kernel's execution
#: timestamps of each cell, and the cell papermill injects (its id is random
#: and its source holds the run's own folders; the parameters themselves are
#: compared through the manifest).
VARIABLE_NOTEBOOK_FIELDS = (
    "metadata.papermill",
    "cells[].metadata.papermill",
    "cells[].metadata.execution",
    "cells[tag=injected-parameters].id",
    "cells[tag=injected-parameters].source",
)

#: Files of a run folder that are not compared as bytes.
_NOT_COMPARED = {"manifest.json", ".lock"}


@dataclass
class VerifyResult:
    """What differs between a run and its re-run."""

    run: Path
    changed_inputs: list[str] = field(default_factory=list)
    missing_inputs: list[str] = field(default_factory=list)
    different: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # in the run, not in the re-run
    extra: list[str] = field(default_factory=list)  # in the re-run, not in the run
    compared: int = 0
    error: str | None = None

    @property
    def ok(self) -> bool:
        return not (self.different or self.missing or self.extra or self.error)


def normalised_notebook(path: Path) -> str:
    """An executed notebook as JSON text without :data:`VARIABLE_NOTEBOOK_FIELDS`.

    Examples
    --------
    papermill's timings go, the cells stay:

    >>> import tempfile
    >>> import nbformat
    >>> path = Path(tempfile.mkdtemp()) / "nb.ipynb"
    >>> cell = nbformat.v4.new_code_cell("1 + 1", metadata={"papermill": {"duration": 0.5}})
    >>> nbformat.write(nbformat.v4.new_notebook(cells=[cell]), path)
    >>> text = normalised_notebook(path)
    >>> "duration" in text, "1 + 1" in text
    (False, True)
    """
    notebook = json.loads(Path(path).read_text(encoding="utf-8"))
    notebook.get("metadata", {}).pop("papermill", None)
    for cell in notebook.get("cells", []):
        metadata = cell.get("metadata", {})
        metadata.pop("papermill", None)
        metadata.pop("execution", None)
        if "injected-parameters" in metadata.get("tags", []):
            cell.pop("id", None)
            cell["source"] = ""
    return json.dumps(notebook, sort_keys=True, ensure_ascii=False)


def _files(folder: Path) -> dict[str, Path]:
    return {
        str(path.relative_to(folder)): path
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name not in _NOT_COMPARED
    }


def _same(a: Path, b: Path) -> bool:
    if a.suffix == ".ipynb" and a.parent.name == "notebooks":
        return normalised_notebook(a) == normalised_notebook(b)
    return a.read_bytes() == b.read_bytes()


def _project_path(name: str, what: str, run: Path) -> Path:
    """A path the manifest records relative to the project; refuse anything else."""
    path = Path(name)
    if path.is_absolute():
        return path
    resolved = (PROJECT_DIR / path).resolve()
    if not resolved.is_relative_to(PROJECT_DIR):
        raise RunError(f"{run}: the manifest's {what} {name!r} lies outside the project")
    return resolved


def _project_notebooks(manifest: dict, run: Path, notebook_dir: Path) -> list[str]:
    """The names of the run's notebooks, each checked against the project's file."""
    recorded = {
        Path(rel).stem: digest for rel, digest in manifest.get("notebook_files", {}).items()
    }
    names = [entry["notebook"] for entry in manifest.get("notebooks", [])]
    if not names:
        raise RunError(f"{run}: the manifest lists no notebooks; nothing to verify")
    for name in names:
        ours = notebook_dir / f"{name}.ipynb"
        if name not in recorded:
            raise RunError(f"{run}: the manifest records no hash of notebook {name!r}")
        if not ours.is_file():
            raise RunError(
                f"{run}: the run used notebook {name!r}, which is not a study notebook of "
                f"this project ({notebook_dir})"
            )
        if file_hash(ours) != recorded[name]:
            raise RunError(
                f"{run}: notebook {ours} differs from the one the run used "
                f"({recorded[name]}); verify runs only the notebook the manifest recorded"
            )
    return names


def _place_previous_run(run: Path, previous_run: str, scratch: Path) -> None:
    """Put the run ``run`` was compared with beside the re-run (a link, else a copy).

    The study compares itself with the network's previous evaluation; the
    re-run must compare with the same one, which lies beside ``run``.
    """
    import shutil

    from .compare import check_run, previous_run_folder

    source = previous_run_folder(previous_run, run)
    try:
        check_run(source)
    except RunError as exc:
        raise RunError(
            f"{run}: the run was compared with {previous_run}, which verify needs beside it: {exc}"
        ) from None
    target = scratch / run.parent.name / source.name
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        target.symlink_to(source.resolve(), target_is_directory=True)
    except OSError:  # file systems without symbolic links
        shutil.copytree(source, target)


def verify_run(
    run: str | Path,
    *,
    scratch: str | Path | None = None,
    notebook_dir: str | Path | None = None,
) -> VerifyResult:
    """Re-run a finished run from its manifest and compare every output file.

    The re-run uses the parameters, kernel and input folders the manifest
    records and the project's own notebooks (each must have the hash the
    manifest recorded), executes every notebook afresh (no reuse) in a
    temporary output folder, builds the report, and compares every file of
    the run with the re-run's: tables and figures byte for byte, executed
    notebooks without :data:`VARIABLE_NOTEBOOK_FIELDS`, the report. Inputs
    whose hash changed since the run are named (they explain differences).

    Parameters
    ----------
    run : path
        A run folder (``output/<network>/<run_id>``) holding ``manifest.json``.
    scratch : path, optional
        Where to re-run (default: a temporary folder, removed afterwards).
    notebook_dir : path, optional
        The project's study notebooks (default ``<project>/notebooks``). The
        manifest's own ``notebook_dir`` is never followed.

    Raises
    ------
    RunError
        If ``run`` has no readable manifest, did not complete, used notebooks
        that differ from the project's, names folders outside the project, or
        its raw exports changed since they were harmonised (verify never
        harmonises).

    Examples
    --------
    Only a run folder made by ``netwerkonderzoek run`` can be verified:

    >>> import tempfile
    >>> verify_run(tempfile.mkdtemp())  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    netwerkonderzoek.exceptions.RunError: ...: no readable manifest.json; expected a run folder made by 'netwerkonderzoek run'
    """
    run = Path(run).resolve()
    manifest = read_manifest(run / "manifest.json")
    if manifest is None:
        raise RunError(
            f"{run}: no readable manifest.json; expected a run folder made by 'netwerkonderzoek run'"
        )
    if manifest.get("status") != "complete":
        raise RunError(
            f"{run}: run status is {manifest.get('status')!r}; only complete runs can be verified"
        )
    notebook_dir = (
        PROJECT_DIR / "notebooks" if notebook_dir is None else Path(notebook_dir)
    ).resolve()
    notebooks = _project_notebooks(manifest, run, notebook_dir)
    result = VerifyResult(run)
    for name, digest in sorted(manifest.get("inputs", {}).items()):
        path = _project_path(name, "input", run)
        if not path.is_file():
            result.missing_inputs.append(name)
        elif file_hash(path) != digest:
            result.changed_inputs.append(name)
    params = {
        k: (str(_project_path(v, k, run)) if k in PATH_PARAMETERS and v is not None else v)
        for k, v in dict(manifest["parameters"]).items()
    }
    config_dir, data_dir = params.pop("config_dir"), params.pop("data_dir")
    with tempfile.TemporaryDirectory(dir=scratch) as tmp:
        if params.get("previous_run"):
            _place_previous_run(run, str(params["previous_run"]), Path(tmp))
        if manifest.get("kind") == "synthesis":
            from .synthesis import run_synthesis

            rerun = run_synthesis(
                config_dir=config_dir,
                data_dir=data_dir,
                output_dir=tmp,
                notebook_dir=notebook_dir,
                runs_dir=params.pop("runs_dir", None),
                parameters=params,
                force=True,
                kernel_name=manifest.get("kernel", "python3"),
                report=(run / "report.html").is_file(),
            )
        else:
            rerun = run_network(
                params.pop("network_id"),
                config_dir=config_dir,
                data_dir=data_dir,
                output_dir=tmp,
                notebook_dir=notebook_dir,
                parameters=params,
                # a full run again (its partner reports too) unless the run was --only
                only=None if manifest.get("scope", "full") == "full" else notebooks,
                force=True,
                kernel_name=manifest.get("kernel", "python3"),
                report=(run / "report.html").is_file(),
                harmonise=False,
            )
        if not rerun.ok:
            result.error = f"the re-run failed: {rerun.error}"
            return result
        before, after = _files(run), _files(rerun.path)
        result.missing = sorted(set(before) - set(after))
        result.extra = sorted(set(after) - set(before))
        for rel in sorted(set(before) & set(after)):
            result.compared += 1
            if not _same(before[rel], after[rel]):
                result.different.append(rel)
    return result
