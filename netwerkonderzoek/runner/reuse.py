"""Reusing notebooks an earlier run completed with the same key.

A notebook's key (:func:`~.manifest.notebook_key`) hashes its code, the
inputs, the parameters and the kernel. When an earlier run — complete,
failed or interrupted — completed a notebook with the same key, and the
files it wrote are still there unchanged, the new run copies them instead of
executing the notebook again.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .manifest import file_hash, read_manifest

__all__ = ["ReusedNotebook", "files_written", "previous_results", "reuse_notebook"]

#: Files of a run folder that are not a notebook's results.
_NOT_RESULTS = frozenset(
    {"manifest.json", "manifest.json.tmp", ".lock", "report.html", "report.pdf", "report.docx"}
)


@dataclass(frozen=True)
class ReusedNotebook:
    """What :func:`reuse_notebook` copied: the files (relative path -> hash) and their run."""

    files: dict[str, str] = field(default_factory=dict)
    run_id: str = ""


def previous_results(network_dir: Path) -> list[tuple[Path, dict]]:
    """Earlier runs' (folder, notebook entry) for completed notebooks, newest first.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from netwerkonderzoek.runner.manifest import write_manifest
    >>> network_dir = Path(tempfile.mkdtemp())
    >>> (network_dir / "r1").mkdir()
    >>> write_manifest(network_dir / "r1" / "manifest.json", {"notebooks": [
    ...     {"notebook": "01_netwerk", "status": "complete", "key": "k1"},
    ...     {"notebook": "02_cmo_toetsing", "status": "failed", "key": "k2"}]})
    >>> [(folder.name, entry["notebook"]) for folder, entry in previous_results(network_dir)]
    [('r1', '01_netwerk')]
    """
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


def reuse_notebook(
    key: str, name: str, previous: list[tuple[Path, dict]], partial: Path
) -> ReusedNotebook | None:
    """Copy notebook ``name``'s results from the newest earlier run with ``key``.

    An earlier entry counts only when it lists the files it wrote and each
    of them, and the executed notebook, is still there with the recorded
    hash. Returns None when no earlier run qualifies (nothing is copied).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> reuse_notebook("k1", "01_netwerk", [], Path(tempfile.mkdtemp())) is None
    True
    """
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
        return ReusedNotebook(dict(files), folder.name)
    return None


def files_written(folder: Path) -> dict[str, str]:
    """Relative path -> hash of every result file in a run folder (not notebooks, manifest, reports).

    Taken before and after a notebook runs, the difference is the files it wrote.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> folder = Path(tempfile.mkdtemp())
    >>> (folder / "tables").mkdir()
    >>> _ = (folder / "tables" / "x.csv").write_text("a\\n1\\n")
    >>> _ = (folder / "manifest.json").write_text("{}")
    >>> list(files_written(folder))
    ['tables/x.csv']
    """
    return {
        str(p.relative_to(folder)): file_hash(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
        and p.name not in _NOT_RESULTS
        and p.relative_to(folder).parts[0] != "notebooks"
    }
