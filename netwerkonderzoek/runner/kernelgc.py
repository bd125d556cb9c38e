"""IPython extension for the runner's kernels: survivors of a cell leave the garbage collector's view.

A study notebook imports pandas, matplotlib, statsmodels and scipy: a couple of
hundred thousand long-lived objects. CPython's cyclic garbage collector walks
all of them at every full collection — several times while a notebook draws
its figures (about 0.07 s each on the reference machine) and again while the
kernel process exits. After each cell this extension collects the garbage
once and then *freezes* what survived (:func:`gc.freeze`): later collections,
during the notebook and at exit, only look at objects made since.

Frozen objects are still freed by reference counting as soon as nothing uses
them; only a reference cycle that was alive at the end of a cell and becomes
garbage later is kept until the kernel exits. That bounded cost suits a
kernel that runs one notebook and stops, which is why the runner (not
JupyterLab) loads this extension: ``--InteractiveShellApp.extra_extensions``
on the kernel's command line (:mod:`netwerkonderzoek.runner.kernel`).
"""

from __future__ import annotations

import gc

__all__ = ["freeze_survivors", "load_ipython_extension", "unload_ipython_extension"]


def freeze_survivors(result=None) -> None:
    """Collect the garbage, then move every surviving object to the permanent generation.

    The collection only walks objects not frozen before, so after the first
    cell it costs little. ``result`` is IPython's ``post_run_cell`` argument
    (unused).

    Examples
    --------
    >>> import gc
    >>> freeze_survivors()
    >>> gc.get_freeze_count() > 0
    True
    >>> gc.unfreeze()
    """
    gc.collect()
    gc.freeze()


def load_ipython_extension(ipython) -> None:
    """Freeze the survivors after every cell of this IPython session.

    Examples
    --------
    What the extension registers, shown on a stand-in for IPython's event manager:

    >>> class Events:
    ...     def register(self, event, callback):
    ...         print(event, callback.__name__)
    >>> class Shell:
    ...     events = Events()
    >>> load_ipython_extension(Shell())
    post_run_cell freeze_survivors
    """
    ipython.events.register("post_run_cell", freeze_survivors)


def unload_ipython_extension(ipython) -> None:
    """Stop freezing and give the frozen objects back to the collector.

    Examples
    --------
    >>> import gc
    >>> class Events:
    ...     def unregister(self, event, callback):
    ...         print(event, callback.__name__)
    >>> class Shell:
    ...     events = Events()
    >>> freeze_survivors()
    >>> unload_ipython_extension(Shell())
    post_run_cell freeze_survivors
    >>> gc.get_freeze_count()
    0
    """
    ipython.events.unregister("post_run_cell", freeze_survivors)
    gc.unfreeze()
