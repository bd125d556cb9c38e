"""Executing one notebook with papermill in an isolated kernel.

Each notebook runs in its own kernel, started with its own working directory
and talking to its runner over Unix domain sockets (ZeroMQ ``ipc``
transport) in a private temporary folder instead of TCP ports. Parallel
runs — several processes on one machine, or Dask workers — therefore never
compete for ports (the cause of "kernel didn't respond" and "address already
in use" failures when many kernels start at once).

The kernel always draws with matplotlib's inline backend, whatever
``MPLBACKEND`` the caller has set (test runs and CI set ``Agg``): the executed
notebooks, and the report built from them, hold their figures on every
machine. It also loads :mod:`~netwerkonderzoek.runner.kernelgc`, which keeps
the garbage collector from walking the imported libraries again and again.

A kernel is shut down by the shutdown request alone (jupyter_client's
interrupt before it made idle kernels log a KeyboardInterrupt) and is
terminated if it has not exited within :data:`SHUTDOWN_GRACE` seconds.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["NotebookFailure", "execute", "notebook_parameters"]

INLINE_BACKEND = "module://matplotlib_inline.backend_inline"

#: Extra command-line arguments of every kernel the runner starts: load
#: :mod:`netwerkonderzoek.runner.kernelgc` (survivors of each cell are frozen
#: for the garbage collector). A kernel that cannot import it logs a warning
#: and runs the notebook all the same.
KERNEL_ARGUMENTS = ("--InteractiveShellApp.extra_extensions=netwerkonderzoek.runner.kernelgc",)

#: Seconds a kernel gets to exit after the shutdown request before it is
#: terminated (SIGTERM; killed if that does not stop it either).
SHUTDOWN_GRACE = 1.0
#: Seconds between checks whether a stopping kernel's process has exited
#: (jupyter_client: 0.1 s, on average 50 ms lost per notebook).
SHUTDOWN_POLL = 0.01


def _ipc_kernel_manager_class():
    from jupyter_client.manager import AsyncKernelManager

    class IPCKernelManager(AsyncKernelManager):
        """Kernel manager using ``ipc`` sockets in a private folder."""

        def __init__(self, **kwargs):
            self._socket_dir = tempfile.mkdtemp(prefix="nwo-kernel-")
            kwargs.setdefault("transport", "ipc")
            kwargs.setdefault("ip", str(Path(self._socket_dir) / "kernel"))
            super().__init__(**kwargs)

        async def _async_pre_start_kernel(self, **kw):
            kw["env"] = {**kw.get("env", os.environ), "MPLBACKEND": INLINE_BACKEND}
            kw["extra_arguments"] = [*kw.get("extra_arguments", []), *KERNEL_ARGUMENTS]
            return await super()._async_pre_start_kernel(**kw)

        pre_start_kernel = _async_pre_start_kernel

        async def _async_interrupt_kernel(self) -> None:
            # jupyter_client interrupts (SIGINT) every kernel it shuts down,
            # before the shutdown request. papermill shuts down as soon as the
            # reply to its last kernel_info request arrives, so the signal
            # lands while the kernel is still in that request's handler, which
            # logs "KeyboardInterrupt caught in kernel." to the run's stderr.
            # The runner only shuts down idle kernels (nbclient interrupts a
            # timed-out cell itself): the request alone stops them, and
            # _async_finish_shutdown terminates one that does not stop.
            if not self.shutting_down:
                await super()._async_interrupt_kernel()

        interrupt_kernel = _async_interrupt_kernel

        async def _async_finish_shutdown(self, waittime=None, pollinterval=0.1, restart=False):
            # ipykernel 7 can hang on its way out: its control thread flushes
            # stdout after handling the shutdown request and waits (up to 10 s)
            # for the IOPub thread, which the main thread may have stopped
            # already (2-3 kernels in 100 on the reference machine, with or
            # without the interrupt). The kernel has replied by then and its
            # notebook's work is done, so a kernel still alive after the grace
            # period is terminated at once instead of after half of
            # shutdown_wait_time.
            try:
                await asyncio.wait_for(
                    self._async_wait(pollinterval=SHUTDOWN_POLL), timeout=SHUTDOWN_GRACE
                )
            except TimeoutError:
                await self._async_send_kernel_sigterm()
            await super()._async_finish_shutdown(
                waittime=waittime, pollinterval=SHUTDOWN_POLL, restart=restart
            )

        finish_shutdown = _async_finish_shutdown

        async def _async_cleanup_resources(self, restart: bool = False) -> None:
            await super()._async_cleanup_resources(restart=restart)
            if not restart:
                shutil.rmtree(self._socket_dir, ignore_errors=True)

        cleanup_resources = _async_cleanup_resources

    return IPCKernelManager


ENGINE_NAME = "netwerkonderzoek"


def _engine_name() -> str:
    """Register (once) and name the papermill engine the runner executes with.

    papermill's own engine writes the whole executed notebook to disk before
    and after every cell, figures included: some 2.5 ms a write, 60 writes
    for a study notebook. This engine writes it when the run starts, when a
    cell fails, at papermill's autosave interval during long cells (30 s) and
    at the end, success or not: the file is as complete as before whenever a
    run stops, and a killed run still leaves the notebook of its last save.
    """
    from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines
    from papermill.exceptions import PapermillException

    try:
        papermill_engines.get_engine(ENGINE_NAME)
        return ENGINE_NAME
    except PapermillException:  # not registered yet
        pass

    class Manager(NotebookExecutionManager):
        _deferred = False

        def save(self, **kwargs):
            if not self._deferred:
                super().save(**kwargs)

        def _without_save(self, method, cell, cell_index, kwargs):
            self._deferred = True
            try:
                method(cell, cell_index=cell_index, **kwargs)
            finally:
                self._deferred = False

        def cell_start(self, cell, cell_index=None, **kwargs):
            self._without_save(super().cell_start, cell, cell_index, kwargs)
            self.autosave_cell()

        def cell_complete(self, cell, cell_index=None, **kwargs):
            self._without_save(super().cell_complete, cell, cell_index, kwargs)
            if cell.metadata.papermill.get("status") == self.FAILED:
                self.save()
            else:
                self.autosave_cell()

    class Engine(NBClientEngine):
        @classmethod
        def execute_notebook(
            cls,
            nb,
            kernel_name,
            output_path=None,
            progress_bar=True,
            log_output=False,
            autosave_cell_every=30,
            **kwargs,
        ):
            # papermill's Engine.execute_notebook with the manager above
            nb_man = Manager(
                nb,
                output_path=output_path,
                progress_bar=progress_bar,
                log_output=log_output,
                autosave_cell_every=autosave_cell_every,
            )
            nb_man.notebook_start()
            try:
                cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output, **kwargs)
            finally:
                nb_man.cleanup_pbar()
                nb_man.notebook_complete()
            return nb_man.nb

    papermill_engines.register(ENGINE_NAME, Engine)
    return ENGINE_NAME


@dataclass
class NotebookFailure(Exception):
    """A notebook failed: ``cell`` is the 1-based cell of the source notebook."""

    notebook: str
    cell: int | None
    error: str

    def __str__(self) -> str:
        where = f"cell {self.cell}" if self.cell is not None else "before any cell ran"
        return f"notebook {self.notebook} failed in {where}: {self.error}"


def _failing_cell(exc: BaseException, executed: Path) -> tuple[int | None, str]:
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
    except Exception:  # the partial notebook is unreadable: papermill's own index
        return int(index) + 1, text
    injected = sum(
        1 for c in cells[:index] if "injected-parameters" in c.get("metadata", {}).get("tags", [])
    )
    return int(index) - injected + 1, text


def execute(
    source: Path,
    target: Path,
    parameters: dict,
    *,
    cwd: Path,
    kernel_name: str = "python3",
    start_timeout: int = 120,
) -> None:
    """Execute ``source`` into ``target`` with ``parameters`` injected.

    Raises
    ------
    NotebookFailure
        Naming the notebook, the failing cell (1-based, in the source
        notebook) and the error, when a cell raises or the kernel dies.
    OSError
        Naming ``target``, when the executed notebook cannot be written.
    """
    import papermill as pm

    try:
        pm.execute_notebook(
            str(source),
            str(target),
            parameters=parameters,
            kernel_name=kernel_name,
            engine_name=_engine_name(),
            cwd=str(cwd),
            progress_bar=False,
            log_output=False,
            start_timeout=start_timeout,
            kernel_manager_class=_ipc_kernel_manager_class(),
        )
    except OSError as exc:  # writing the executed notebook (a full disk, a size limit)
        if getattr(exc, "ename", None) is not None:  # a cell's error, as papermill reports it
            cell, text = _failing_cell(exc, target)
            raise NotebookFailure(source.stem, cell, text) from exc
        raise OSError(exc.errno, f"could not write {target}: {exc.strerror or exc}") from exc
    except Exception as exc:  # papermill wraps cell errors; every failure is reported
        cell, text = _failing_cell(exc, target)
        raise NotebookFailure(source.stem, cell, text) from exc


def notebook_parameters(path: str | Path):
    """The parameters of a notebook as a DataFrame (name, type, default, help).

    Read from the cell tagged ``parameters`` (papermill's
    :func:`~papermill.inspect_notebook`), so the help text is the comment
    written after each default.
    """
    import pandas as pd
    import papermill as pm

    params = pm.inspect_notebook(str(path))
    rows = [
        {
            "notebook": Path(path).stem,
            "name": name,
            "type": info.get("inferred_type_name"),
            "default": info.get("default"),
            "help": info.get("help", ""),
        }
        for name, info in params.items()
    ]
    return pd.DataFrame(rows, columns=["notebook", "name", "type", "default", "help"])
