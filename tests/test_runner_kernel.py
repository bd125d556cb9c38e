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


@pytest.mark.slow
def test_runner_kernels_load_the_extension(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell('network_id = "x"', metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("import gc\nkept = [[i] for i in range(1000)]"),
        nbformat.v4.new_code_cell("print(gc.get_freeze_count() > 1000, len(kept))"),
    ]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, tmp_path / "in.ipynb")
    execute(tmp_path / "in.ipynb", tmp_path / "out.ipynb", {"network_id": "y"}, cwd=tmp_path)
    out = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    assert out.cells[-1].outputs[0]["text"] == "True 1000\n"
