"""The life of a run folder: hidden while it runs, renamed into place when it ends.

A run is written to ``<network_dir>/.<run_id>.partial`` while it holds a lock
on it (:class:`RunFolder`). When every notebook succeeded the folder is
renamed to ``<run_id>`` and ``latest`` points at the newest complete full run
(:func:`newest_complete_run`); otherwise it becomes ``<run_id>.failed``. A
``.partial`` folder no process holds a lock on was left by a killed run:
:func:`retire_stale_partials` renames it to ``.failed``. A folder without a
suffix is therefore always complete. The locks are filelock's, so this works
alike on Linux, macOS and Windows.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

from filelock import FileLock, Timeout

from .manifest import read_manifest, write_manifest

__all__ = [
    "RunFolder",
    "newest_complete_run",
    "point_latest",
    "retire_stale_partials",
    "write_error",
]


def _new_run_id(network_dir: Path) -> str:
    """A run id from the time (UTC), numbered when the second is taken."""
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


def _network_lock(network_dir: Path) -> FileLock:
    """An exclusive, blocking lock on ``<network_dir>/.latest.lock`` (a context manager)."""
    return FileLock(network_dir / ".latest.lock", thread_local=False)


def retire_stale_partials(network_dir: Path) -> None:
    """Rename ``.partial`` folders no process holds a lock on to ``.failed``.

    Their manifest is marked ``interrupted`` ("the run was killed before it
    finished", unless it already names an error).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> network_dir = Path(tempfile.mkdtemp())
    >>> (network_dir / ".20240101T000000Z.partial").mkdir()
    >>> retire_stale_partials(network_dir)
    >>> [p.name for p in network_dir.iterdir()]
    ['20240101T000000Z.failed']
    >>> read_manifest(network_dir / "20240101T000000Z.failed" / "manifest.json")["status"]
    'interrupted'
    """
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


def newest_complete_run(network_dir: Path) -> str | None:
    """The run id of the newest complete full run under ``network_dir``, by start time.

    Runs with ``--only`` (scope ``partial``), failed and interrupted runs are
    never the network's complete study. Of two complete full runs the one
    that *started* later is newer, whatever order they finished in.
    (:func:`~.manifest.latest_complete_run` reads the ``latest`` pointer this
    decides.)

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> network_dir = Path(tempfile.mkdtemp())
    >>> for run_id, started, scope in [("a", "2024-02-01", "full"), ("b", "2024-01-01", "full"),
    ...                                ("c", "2024-03-01", "partial")]:
    ...     (network_dir / run_id).mkdir()
    ...     write_manifest(network_dir / run_id / "manifest.json", {"run_id": run_id,
    ...                    "status": "complete", "started": started, "scope": scope})
    >>> newest_complete_run(network_dir)
    'a'
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


def point_latest(network_dir: Path) -> None:
    """Point ``latest`` at :func:`newest_complete_run` (under the network's lock).

    On file systems without symbolic links ``latest`` is a text file naming
    the run.

    Examples
    --------
    >>> import tempfile
    >>> network_dir = Path(tempfile.mkdtemp())
    >>> (network_dir / "r1").mkdir()
    >>> write_manifest(network_dir / "r1" / "manifest.json",
    ...                {"run_id": "r1", "status": "complete", "started": "2024-01-01"})
    >>> point_latest(network_dir)
    >>> (network_dir / "latest").resolve().name
    'r1'
    """
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


def write_error(exc: OSError) -> str:
    """An OSError met while writing, as the run's error: which file, and why.

    Examples
    --------
    >>> import errno
    >>> write_error(OSError(errno.ENOSPC, "No space left on device", "tables/x.csv"))
    'could not write tables/x.csv: No space left on device'
    """
    where = exc.filename or ""
    text = str(exc.strerror or exc)
    if where and str(where) not in text:
        return f"could not write {where}: {text}"
    return f"could not write: {text}" if "could not write" not in text else text


class RunFolder:
    """A new run's hidden ``.partial`` folder, held under a lock until it ends.

    Creating one retires the network's stale ``.partial`` folders, takes a
    new run id and locks ``.<run_id>.partial/``; :meth:`close` renames it to
    ``<run_id>`` (and points ``latest`` at the newest complete full run) or
    to ``<run_id>.failed``; :meth:`retire` does the latter however far the
    disk lets the manifest be written.

    Parameters
    ----------
    network_dir : Path
        Folder holding the network's runs (``output/<network_id>``); created
        when missing.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> folder = RunFolder(Path(tempfile.mkdtemp()))
    >>> folder.partial.name == f".{folder.run_id}.partial"
    True
    >>> final = folder.close(complete=False)
    >>> final.name == f"{folder.run_id}.failed", folder.partial.exists()
    (True, False)
    """

    def __init__(self, network_dir: Path):
        self.network_dir = Path(network_dir)
        self.network_dir.mkdir(parents=True, exist_ok=True)
        retire_stale_partials(self.network_dir)
        self.run_id = _new_run_id(self.network_dir)
        self.partial = self.network_dir / f".{self.run_id}.partial"
        (self.partial / "notebooks").mkdir(parents=True)
        self._lock = _lock(self.partial)

    @property
    def failed(self) -> Path:
        """Where the folder goes when the run does not complete."""
        return self.network_dir / f"{self.run_id}.failed"

    def _release(self) -> None:
        self._lock.release()
        (self.partial / ".lock").unlink(missing_ok=True)

    def close(self, *, complete: bool) -> Path:
        """Release the lock and rename the folder into place; returns where it went."""
        self._release()
        if not complete:
            self.partial.rename(self.failed)
            return self.failed
        final = self.network_dir / self.run_id
        self.partial.rename(final)
        point_latest(self.network_dir)
        return final

    def retire(self, manifest: dict, save: Callable[[str], None], status: str, error: str) -> Path:
        """Record ``error`` as best the disk allows and rename the folder to ``.failed``.

        On a full disk even the manifest may not be written; the folder is
        still renamed, so it never looks complete (its manifest, if any, is
        not ``complete``).
        """
        manifest["error"] = error
        manifest["finished"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        try:
            save(status)
        except OSError:
            pass
        return self.close(complete=False)
