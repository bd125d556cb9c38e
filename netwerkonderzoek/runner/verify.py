"""Verify a finished run: re-run it from its manifest and compare byte for byte."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..exceptions import RunError
from .manifest import PROJECT_DIR, file_hash, read_manifest
from .run import run_network

__all__ = ["VerifyResult", "verify_run"]

COMPARED = ("tables", "figures")


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


def _files(folder: Path) -> dict[str, Path]:
    found = {}
    for sub in COMPARED:
        base = folder / sub
        if base.is_dir():
            for path in sorted(base.rglob("*")):
                if path.is_file():
                    found[str(path.relative_to(folder))] = path
    return found


def _input_path(name: str) -> Path:
    path = Path(name)
    return path if path.is_absolute() else PROJECT_DIR / path


def verify_run(run: str | Path, *, scratch: str | Path | None = None) -> VerifyResult:
    """Re-run a finished run from its manifest and compare its tables and figures.

    The re-run uses the parameters, notebooks, kernel and input folders the
    manifest records, executes every notebook afresh (no reuse) in a
    temporary output folder, and compares every file under ``tables/`` and
    ``figures/`` byte for byte. Inputs whose hash changed since the run are
    named (they explain differences).

    Parameters
    ----------
    run : path
        A run folder (``output/<network>/<run_id>``) holding ``manifest.json``.
    scratch : path, optional
        Where to re-run (default: a temporary folder, removed afterwards).

    Raises
    ------
    RunError
        If ``run`` has no readable manifest or did not complete.
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
    result = VerifyResult(run)
    for name, digest in sorted(manifest.get("inputs", {}).items()):
        path = _input_path(name)
        if not path.is_file():
            result.missing_inputs.append(name)
        elif file_hash(path) != digest:
            result.changed_inputs.append(name)
    for name, digest in sorted(manifest.get("notebook_files", {}).items()):
        path = _input_path(name)
        if not path.is_file():
            result.missing_inputs.append(name)
        elif file_hash(path) != digest:
            result.changed_inputs.append(name)
    params = dict(manifest["parameters"])
    config_dir, data_dir = params.pop("config_dir"), params.pop("data_dir")
    notebooks = [entry["notebook"] for entry in manifest.get("notebooks", [])]
    with tempfile.TemporaryDirectory(dir=scratch) as tmp:
        if manifest.get("kind") == "synthesis":
            from .synthesis import run_synthesis

            rerun = run_synthesis(
                config_dir=config_dir,
                data_dir=data_dir,
                output_dir=tmp,
                notebook_dir=manifest["notebook_dir"],
                runs_dir=params.pop("runs_dir", None),
                parameters=params,
                force=True,
                kernel_name=manifest.get("kernel", "python3"),
                report=False,
            )
        else:
            rerun = run_network(
                params.pop("network_id"),
                config_dir=config_dir,
                data_dir=data_dir,
                output_dir=tmp,
                notebook_dir=manifest["notebook_dir"],
                parameters=params,
                only=notebooks,
                force=True,
                kernel_name=manifest.get("kernel", "python3"),
                report=False,
            )
        if not rerun.ok:
            result.error = f"the re-run failed: {rerun.error}"
            return result
        before, after = _files(run), _files(rerun.path)
        result.missing = sorted(set(before) - set(after))
        result.extra = sorted(set(after) - set(before))
        for rel in sorted(set(before) & set(after)):
            result.compared += 1
            if before[rel].read_bytes() != after[rel].read_bytes():
                result.different.append(rel)
    return result
