"""The runner's kernels: the garbage-collector extension and what it keeps."""

import gc
import weakref

import nbformat
import pytest

from netwerkonderzoek.runner import kernelgc
from netwerkonderzoek.runner.kernel import execute


class _Events:
    def __init__(self):
        self.callbacks = {}

    def register(self, event, function):
        self.callbacks.setdefault(event, []).append(function)

    def unregister(self, event, function):
        self.callbacks[event].remove(function)


class _Shell:
    def __init__(self):
        self.events = _Events()


def test_extension_freezes_survivors_and_collects_garbage_first():
    shell = _Shell()
    kernelgc.load_ipython_extension(shell)
    try:
        assert shell.events.callbacks["post_run_cell"] == [kernelgc.freeze_survivors]

        class Node:
            pass

        alive, garbage = Node(), Node()
        alive.me, garbage.me = alive, garbage  # two reference cycles
        gc.disable()  # no automatic collection between here and the freeze
        try:
            dead = weakref.ref(garbage)
            del garbage
            assert dead() is not None  # a cycle: only the collector frees it
            before = gc.get_freeze_count()
            shell.events.callbacks["post_run_cell"][0](None)
            assert gc.get_freeze_count() > before
            # the survivor is frozen (out of every generation the collector walks),
            # the garbage cycle was collected first, not frozen with it
            assert all(o is not alive for o in gc.get_objects())
            assert dead() is None
            assert getattr(alive, "me", None) is alive
        finally:
            gc.enable()
    finally:
        kernelgc.unload_ipython_extension(shell)
    assert shell.events.callbacks["post_run_cell"] == []
    assert gc.get_freeze_count() == 0


def _notebook(path, *sources):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell('network_id = "x"', metadata={"tags": ["parameters"]})]
    nb.cells += [nbformat.v4.new_code_cell(source) for source in sources]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)


@pytest.mark.slow
def test_runner_kernels_load_the_extension(tmp_path):
    _notebook(
        tmp_path / "in.ipynb",
        "import gc\nkept = [[i] for i in range(1000)]",
        "print(gc.get_freeze_count() > 1000, len(kept))",
    )
    execute(tmp_path / "in.ipynb", tmp_path / "out.ipynb", {"network_id": "y"}, cwd=tmp_path)
    out = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    assert out.cells[-1].outputs[0]["text"] == "True 1000\n"


@pytest.mark.slow
@pytest.mark.parametrize("transport", ["ipc", "tcp"])
def test_both_transports_run_a_notebook_with_the_inline_backend(tmp_path, transport, monkeypatch):
    """TCP on loopback is the fallback where Unix domain sockets do not exist (Windows)."""
    monkeypatch.setenv("MPLBACKEND", "Agg")
    _notebook(tmp_path / "in.ipynb", "import matplotlib", "print(matplotlib.get_backend())")
    execute(
        tmp_path / "in.ipynb",
        tmp_path / "out.ipynb",
        {"network_id": "y"},
        cwd=tmp_path,
        transport=transport,
    )
    out = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    assert out.cells[-1].outputs[0]["text"] == "inline\n"
    assert {c.metadata.papermill["status"] for c in out.cells} == {"completed"}


def test_kernel_manager_class_sets_only_public_traits(tmp_path):
    from netwerkonderzoek.runner.kernel import kernel_manager_class

    ipc = kernel_manager_class("ipc", tmp_path)()
    assert (ipc.transport, ipc.ip) == ("ipc", str(tmp_path / "kernel"))
    tcp = kernel_manager_class("tcp")()
    assert (tcp.transport, tcp.ip) == ("tcp", "127.0.0.1")
    with pytest.raises(ValueError, match="needs a socket_dir"):
        kernel_manager_class("ipc")
    with pytest.raises(ValueError, match="'ipc' or 'tcp', not 'udp'"):
        kernel_manager_class("udp")


@pytest.mark.slow
def test_failing_cell_is_on_disk_with_its_error(tmp_path):
    from netwerkonderzoek.runner.kernel import NotebookFailure

    _notebook(tmp_path / "in.ipynb", "x = 1", "1 / 0", "y = 2")
    with pytest.raises(NotebookFailure, match=r"failed in cell 3: ZeroDivisionError"):
        execute(tmp_path / "in.ipynb", tmp_path / "out.ipynb", {"network_id": "y"}, cwd=tmp_path)
    out = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    statuses = [c.metadata.papermill["status"] for c in out.cells if c.cell_type == "code"]
    # parameters, injected parameters, x = 1, the failing cell, the cell never run
    assert statuses == ["completed", "completed", "completed", "failed", "pending"]
    assert out.cells[-2].outputs[0]["ename"] == "ZeroDivisionError"
    assert out.metadata.papermill["exception"] is True


@pytest.mark.slow
def test_a_kernel_that_would_not_exit_is_stopped_when_its_notebook_is_done(tmp_path):
    import os

    _notebook(
        tmp_path / "in.ipynb",
        # a thread that is not a daemon keeps the process from exiting, as
        # ipykernel's flush of a stopped IOPub thread sometimes does
        "import os, threading, time\n"
        "threading.Thread(target=time.sleep, args=(600,)).start()\n"
        "print(os.getpid())",
    )
    execute(tmp_path / "in.ipynb", tmp_path / "out.ipynb", {"network_id": "y"}, cwd=tmp_path)
    out = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    pid = int(out.cells[-1].outputs[0]["text"])
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # stopped and reaped
