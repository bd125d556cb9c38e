"""What a run records about itself: inputs, versions, commit, per-notebook keys.

A notebook's *key* is a hash of everything its result depends on: the
notebook file, the network's input files (configuration, programme theory,
canonical tables), the parameters, the kernel and the library's own source
code. Two runs with the same key for a notebook produce the same tables and
figures, which is what makes runs resumable.
"""

from __future__ import annotations

import functools
import hashlib
import json
import platform
import subprocess
import sys
from pathlib import Path

__all__ = [
    "MANIFEST_PACKAGES",
    "environment",
    "file_hash",
    "git_state",
    "input_rows",
    "latest_complete_run",
    "library_hash",
    "notebook_key",
    "package_versions",
    "read_manifest",
    "theory_record",
    "write_manifest",
]

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

PACKAGE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = PACKAGE_DIR.parent


def file_hash(path: str | Path) -> str:
    """SHA-256 of a file's bytes, as ``sha256:<hex>``.

    Examples
    --------
    The hash of the three bytes ``abc`` (FIPS 180-2, appendix B.1):

    >>> import tempfile
    >>> from pathlib import Path
    >>> path = Path(tempfile.mkdtemp()) / "abc.txt"
    >>> _ = path.write_bytes(b"abc")
    >>> file_hash(path)
    'sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return "sha256:" + digest.hexdigest()


@functools.cache
def library_hash() -> str:
    """Hash of the library's Python sources (changes whenever the code does).

    Examples
    --------
    >>> digest = library_hash()
    >>> digest.startswith("sha256:"), len(digest)
    (True, 71)
    """
    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        digest.update(str(path.relative_to(PACKAGE_DIR)).encode())
        digest.update(path.read_bytes())
    return "sha256:" + digest.hexdigest()


def notebook_key(
    notebook: Path, inputs: dict[str, str], parameters: dict, kernel_name: str
) -> str:
    """Hash of everything a notebook's outputs depend on (see module docstring).

    Examples
    --------
    Another parameter value gives another key; the output folder does not
    count (it differs in every run):

    >>> notebook = PROJECT_DIR / "notebooks" / "01_netwerk.ipynb"
    >>> nl = notebook_key(notebook, {}, {"language": "nl", "output_dir": "a"}, "python3")
    >>> nl == notebook_key(notebook, {}, {"language": "nl", "output_dir": "b"}, "python3")
    True
    >>> nl == notebook_key(notebook, {}, {"language": "en", "output_dir": "a"}, "python3")
    False
    """
    payload = {
        "notebook": file_hash(notebook),
        "inputs": {k: v for k, v in sorted(inputs.items()) if not k.endswith(".ipynb")},
        "parameters": {k: parameters[k] for k in sorted(parameters) if k != "output_dir"},
        "kernel": kernel_name,
        "library": library_hash(),
        "python": sys.version.split()[0],
    }
    text = json.dumps(payload, sort_keys=True, default=str)
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def package_versions() -> dict[str, str | None]:
    """Installed versions of the packages a result depends on.

    Examples
    --------
    >>> import pandas
    >>> versions = package_versions()
    >>> versions["pandas"] == pandas.__version__, list(versions)[:3]
    (True, ['netwerkonderzoek', 'numpy', 'pandas'])
    """
    from importlib.metadata import PackageNotFoundError, version

    versions: dict[str, str | None] = {}
    for name in MANIFEST_PACKAGES:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = None
    return versions


def git_state(directory: Path = PROJECT_DIR) -> dict[str, object]:
    """The project's git commit and whether tracked files were modified.

    Outside a git checkout (or without git) both are None.

    Examples
    --------
    >>> import tempfile
    >>> git_state(Path(tempfile.mkdtemp()))
    {'commit': None, 'dirty': None}
    """
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


def environment() -> dict[str, object]:
    """Python, platform, packages and git state for the manifest.

    Examples
    --------
    >>> sorted(environment())
    ['git', 'packages', 'platform', 'python']
    """
    return {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "packages": package_versions(),
        "git": git_state(),
    }


def write_manifest(path: Path, manifest: dict) -> None:
    """Write ``manifest`` as indented JSON, atomically (write, then rename).

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "manifest.json"
    >>> write_manifest(path, {"status": "complete", "seconds": 1.5})
    >>> read_manifest(path)
    {'status': 'complete', 'seconds': 1.5}
    >>> sorted(p.name for p in path.parent.iterdir())  # no .tmp left behind
    ['manifest.json']
    """
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8"
    )
    tmp.replace(path)


def read_manifest(path: Path) -> dict | None:
    """The manifest at ``path``, or None when it is missing or unreadable.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> read_manifest(folder / "manifest.json") is None
    True
    >>> _ = (folder / "manifest.json").write_text("{not json")
    >>> read_manifest(folder / "manifest.json") is None
    True
    """
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def latest_complete_run(network_dir: str | Path) -> Path | None:
    """The folder of a network's latest complete, full run, or None.

    Follows ``<network_dir>/latest``: a symbolic link, or on file systems
    without them a text file naming the run. The run counts when its manifest
    says ``complete`` and its scope is ``full`` (not an ``--only`` run). This
    is how other parts of the package read run results, whatever the layout
    of the manifest.

    Examples
    --------
    >>> import tempfile
    >>> latest_complete_run(tempfile.mkdtemp()) is None
    True
    """
    latest = Path(network_dir) / "latest"
    if latest.is_file() and not latest.is_symlink():  # a text file naming the run
        run = latest.parent / latest.read_text(encoding="utf-8").strip()
    elif latest.is_dir():
        run = latest.resolve()
    else:
        return None
    manifest = read_manifest(run / "manifest.json")
    if not manifest or manifest.get("status") != "complete":
        return None
    if manifest.get("scope", "full") != "full":
        return None
    return run


def input_rows(files) -> dict[Path, int]:
    """Rows per CSV input file (records, not lines: a quoted value may hold a line break).

    Recorded in the manifest, so a comparison of two runs can say how many
    rows each table gained or lost. Files that are not CSV are left out.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "ties.csv"
    >>> _ = path.write_text('a,b\\n1,"twee\\nregels"\\n3,4\\n', encoding="utf-8")
    >>> input_rows([path])[path]
    2
    """
    import csv

    rows = {}
    for path in files:
        path = Path(path)
        if path.suffix.lower() != ".csv":
            continue
        with open(path, encoding="utf-8", newline="") as handle:
            rows[path] = max(sum(1 for _ in csv.reader(handle)) - 1, 0)
    return rows


def theory_record(config) -> dict[str, object] | None:
    """The programme theory a run tested: path, version, label, date and hash.

    None when the network names no theory file.

    Examples
    --------
    >>> from netwerkonderzoek import load_config
    >>> record = theory_record(load_config("wijk-noord", PROJECT_DIR / "config"))
    >>> record["path"], record["version"], record["label"]
    ('config/theories/wijk-noord.yaml', 1, 'initial')
    """
    from ..cmo import load_theory

    path = config.theory_path
    if path is None or not Path(path).is_file():
        return None
    theory = load_theory(path)
    try:
        shown = str(Path(path).resolve().relative_to(PROJECT_DIR))
    except ValueError:
        shown = str(Path(path).resolve())
    return {
        "path": shown,
        "version": theory.version,
        "label": theory.label,
        "date": theory.date,
        "sha256": file_hash(path).removeprefix("sha256:"),
    }
