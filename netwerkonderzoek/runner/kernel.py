"""Executing one notebook with papermill in an isolated kernel.

Each notebook runs in its own kernel, started with its own working directory.
Where the operating system has Unix domain sockets, the kernel talks to its
runner over them (ZeroMQ's ``ipc`` transport, in a private temporary folder)
instead of TCP ports: parallel runs — several processes on one machine, or
Dask workers — then never compete for ports (the cause of "kernel didn't
respond" and "address already in use" failures when many kernels start at
once). Elsewhere (Windows) it uses TCP on the loopback address with ports
jupyter_client picks, as JupyterLab does.

Only public extension points are used: papermill's own nbclient engine,
a kernel manager class that sets jupyter_client's configurable traits
(``transport`` and ``ip``), and nbclient's ``extra_arguments`` and
``shutdown_kernel`` options:

- the kernel always draws with matplotlib's inline backend
  (``--matplotlib=inline``), whatever ``MPLBACKEND`` the caller has set
  (test runs and CI set ``Agg``): the executed notebooks, and the report built
  from them, hold their figures on every machine;
- it loads :mod:`~netwerkonderzoek.runner.kernelgc`, which keeps the garbage
  collector from walking the imported libraries again and again;
- it is stopped at once when its notebook is done (nbclient's
  ``shutdown_kernel="immediate"``). By then every cell has replied and every
  output has arrived, and files a cell wrote are closed. The graceful
  shutdown would add jupyter_client's SIGINT, which lands in the handler of
  papermill's last request ("KeyboardInterrupt caught in kernel." on the
  run's stderr), and ipykernel 7 sometimes hangs on its way out after the
  shutdown request (2-3 kernels in 100), costing half of
  ``shutdown_wait_time`` each.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "NotebookFailure",
    "execute",
    "ipc_available",
    "kernel_manager_class",
    "notebook_parameters",
]

#: Extra command-line arguments of every kernel the runner starts: the inline
#: backend, and :mod:`netwerkonderzoek.runner.kernelgc` (survivors of each
#: cell are frozen for the garbage collector). A kernel that cannot import the
#: extension logs a warning and runs the notebook all the same.
KERNEL_ARGUMENTS = (
    "--matplotlib=inline",
    "--InteractiveShellApp.extra_extensions=netwerkonderzoek.runner.kernelgc",
)


def ipc_available() -> bool:
    """Whether kernels can talk over Unix domain sockets here (ZeroMQ ``ipc``).

    True on Linux and macOS; False on Windows, where the runner falls back to
    TCP on the loopback address.

    Examples
    --------
    >>> import os
    >>> ipc_available() == (os.name == "posix")
    True
    """
    import zmq

    return os.name == "posix" and bool(zmq.has("ipc"))


def kernel_manager_class(transport: str = "ipc", socket_dir: str | Path | None = None):
    """A jupyter_client kernel manager class for the runner's kernels.

    Parameters
    ----------
    transport : {"ipc", "tcp"}
        ``ipc``: Unix domain sockets named ``kernel-<n>`` in ``socket_dir``
        (which the caller creates and removes); ``tcp``: the loopback
        address, ports picked by jupyter_client.
    socket_dir : path, optional
        Required for ``ipc``.

    Returns
    -------
    type
        A subclass of :class:`jupyter_client.manager.AsyncKernelManager` that
        only changes the defaults of configurable traits, for papermill's
        ``kernel_manager_class``.

    Examples
    --------
    The class only sets the defaults of jupyter_client's configurable traits:

    >>> manager = kernel_manager_class("tcp")()
    >>> manager.transport, manager.ip
    ('tcp', '127.0.0.1')
    >>> kernel_manager_class("udp")
    Traceback (most recent call last):
    ...
    ValueError: transport must be 'ipc' or 'tcp', not 'udp'
    """
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    if transport not in ("ipc", "tcp"):
        raise ValueError(f"transport must be 'ipc' or 'tcp', not {transport!r}")
    if transport == "ipc" and socket_dir is None:
        raise ValueError("the ipc transport needs a socket_dir")
    address = str(Path(socket_dir) / "kernel") if transport == "ipc" else "127.0.0.1"

    class StudyKernelManager(AsyncKernelManager):
        """Kernel manager of one study notebook (see :func:`kernel_manager_class`)."""

        @default("transport")
        def _default_transport(self) -> str:
            return transport

        @default("ip")
        def _default_ip(self) -> str:
            return address

    return StudyKernelManager


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
    transport: str | None = None,
) -> None:
    """Execute ``source`` into ``target`` with ``parameters`` injected.

    ``transport`` is ``"ipc"`` or ``"tcp"``; None takes ``ipc`` where
    :func:`ipc_available`. papermill writes ``target`` before the first cell
    and after every cell, so a killed run leaves the notebook as far as it got.

    Raises
    ------
    NotebookFailure
        Naming the notebook, the failing cell (1-based, in the source
        notebook) and the error, when a cell raises or the kernel dies.
    OSError
        Naming ``target``, when the executed notebook cannot be written.

    Examples
    --------
    A notebook of two cells, its parameter overridden (this starts a kernel):

    >>> import tempfile
    >>> import nbformat
    >>> folder = Path(tempfile.mkdtemp())
    >>> notebook = nbformat.v4.new_notebook(cells=[
    ...     nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
    ...     nbformat.v4.new_code_cell("print(x * 2)")],
    ...     metadata={"kernelspec": {"name": "python3", "language": "python",
    ...                              "display_name": "Python 3"}})
    >>> nbformat.write(notebook, folder / "twice.ipynb")
    >>> execute(folder / "twice.ipynb", folder / "out.ipynb", {"x": 21}, cwd=folder)
    >>> nbformat.read(folder / "out.ipynb", as_version=4).cells[-1].outputs[0]["text"]
    '42\\n'
    """
    import papermill as pm

    if transport is None:
        transport = "ipc" if ipc_available() else "tcp"
    with tempfile.TemporaryDirectory(prefix="nwo-kernel-") as socket_dir:
        try:
            pm.execute_notebook(
                str(source),
                str(target),
                parameters=parameters,
                kernel_name=kernel_name,
                cwd=str(cwd),
                progress_bar=False,
                log_output=False,
                start_timeout=start_timeout,
                kernel_manager_class=kernel_manager_class(transport, socket_dir),
                extra_arguments=list(KERNEL_ARGUMENTS),
                shutdown_kernel="immediate",
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

    Examples
    --------
    >>> from netwerkonderzoek.runner.manifest import PROJECT_DIR
    >>> table = notebook_parameters(PROJECT_DIR / "notebooks" / "01_netwerk.ipynb")
    >>> table.set_index("name").loc["network_id", ["type", "default"]].tolist()
    ['str', '"wijk-noord"']
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
