"""Run many networks: in parallel local processes or on a Dask cluster.

Every network is one job (:func:`~.run.run_network`); a job that fails —
invalid input, a failing notebook, a crashed worker — yields a failed
:class:`~.run.RunResult` and never stops the others. Progress events
``(network_id, state, notebook)`` flow from the workers through a queue to an
optional ``on_event`` callback in the calling process (the command line draws
its progress table from them).
"""

from __future__ import annotations

import os
import queue as queue_module
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

from ..config import check_network_id
from ..exceptions import NetwerkonderzoekError, RunError
from .run import RunResult, run_network

__all__ = ["default_jobs", "run_networks"]

Event = tuple[str, str, str | None]


def default_jobs() -> int:
    """Number of cores this process may use (the default for ``--jobs``).

    Examples
    --------
    >>> default_jobs() >= 1
    True
    """
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def _failed(network_id: str, error: str) -> RunResult:
    """The result of a network whose run could not start or whose worker died."""
    return RunResult(network_id, "", "failed", None, [], error)


def _job(task: dict) -> RunResult:
    task = dict(task)
    network_id = task.pop("network_id")
    try:
        return run_network(network_id, **task)
    except NetwerkonderzoekError as exc:
        return _failed(network_id, str(exc))
    except Exception as exc:  # one failing network must not stop the others
        return _failed(network_id, f"{type(exc).__name__}: {exc}")


def _settle(
    network_id: str,
    result_of: Callable[[], RunResult],
    on_event: Callable[[Event], None] | None,
) -> RunResult:
    """The result of one finished job, in every runner the same way.

    ``result_of`` returns the job's result or raises what killed its worker
    (a process pool's broken process, a Dask worker lost with its task); a
    dead worker becomes a failed result, and every failed result is announced
    as a ``failed`` event, so the progress table never waits on a network
    whose job has ended.
    """
    try:
        result = result_of()
    except Exception as exc:  # the worker died or the task was lost
        result = _failed(network_id, f"worker failed: {type(exc).__name__}: {exc}")
    if result.path is None and on_event is not None:
        on_event((network_id, "failed", None))
    return result


class _DaskQueue:
    """Adapter giving a ``distributed.Queue`` the ``put`` used by run_network."""

    def __init__(self, name: str):
        self.name = name

    def put(self, item: Event) -> None:
        from distributed import Queue

        Queue(self.name).put(list(item))


def _drain(events, on_event: Callable[[Event], None] | None, get) -> None:
    while True:
        try:
            item = get()
        except (queue_module.Empty, TimeoutError):
            return
        if on_event is not None and item is not None:
            on_event(tuple(item))


def _drain_batch(events, on_event: Callable[[Event], None] | None) -> None:
    """Take every event waiting in a ``distributed.Queue`` without blocking.

    ``get(batch=True)`` returns what is there (possibly nothing); a ``get``
    with a timeout instead makes the scheduler log a TimeoutError traceback
    at every empty poll.
    """
    for item in events.get(batch=True):
        if on_event is not None and item is not None:
            on_event(tuple(item))


def run_networks(
    network_ids: Iterable[str],
    *,
    jobs: int | None = None,
    scheduler: str | None = None,
    on_event: Callable[[Event], None] | None = None,
    **kwargs,
) -> list[RunResult]:
    """Run several networks; results in the order of ``network_ids``.

    Parameters
    ----------
    network_ids : iterable of str
        Networks to run.
    jobs : int, optional
        Networks run at the same time in local processes (default: the
        number of cores). Ignored with ``scheduler``.
    scheduler : str, optional
        Address of a Dask distributed scheduler (``tcp://host:8786``); the
        jobs then run on its workers, which must see the same file system
        paths (give absolute or shared paths).
    on_event : callable, optional
        Called in this process with ``(network_id, state, notebook)`` for
        every progress event; states ``waiting``, ``running``, ``reused``,
        ``done``, ``failed`` (and ``harmonising``, with the reason in the notebook slot).
    **kwargs
        Passed to :func:`~.run.run_network` (``config_dir``, ``output_dir``,
        ``parameters``, ``only``, ``force``...).

    Examples
    --------
    A network that cannot start fails on its own and never stops the others;
    every result names its network and, when it failed, why:

    >>> import tempfile
    >>> from netwerkonderzoek.runner.manifest import PROJECT_DIR
    >>> events = []
    >>> results = run_networks(["nergens"], jobs=1, on_event=events.append,
    ...                        config_dir=PROJECT_DIR / "config", output_dir=tempfile.mkdtemp())
    >>> [(r.network_id, r.status) for r in results]
    [('nergens', 'failed')]
    >>> "nergens.yaml: file not found" in results[0].error
    True
    >>> events
    [('nergens', 'waiting', None), ('nergens', 'failed', None)]
    """
    ids = list(network_ids)
    for network_id in ids:
        check_network_id(network_id)
    for key in ("config_dir", "data_dir", "output_dir", "notebook_dir"):
        if key in kwargs:
            kwargs[key] = str(Path(kwargs[key]).resolve())
    if on_event is not None:
        for network_id in ids:
            on_event((network_id, "waiting", None))
    if scheduler is not None:
        return _run_dask(ids, scheduler, on_event, kwargs)
    jobs = default_jobs() if jobs is None else jobs
    if jobs < 1:
        raise ValueError(f"The 'jobs' parameter must be at least 1. Got {jobs!r} instead.")
    if jobs == 1 or len(ids) == 1:
        return [
            _settle(
                network_id,
                lambda network_id=network_id: _job(
                    {"network_id": network_id, "progress": _Callback(on_event), **kwargs}
                ),
                on_event,
            )
            for network_id in ids
        ]
    return _run_processes(ids, min(jobs, len(ids)), on_event, kwargs)


class _Callback:
    """``put`` that calls ``on_event`` directly (serial runs in this process)."""

    def __init__(self, on_event):
        self.on_event = on_event

    def put(self, item: Event) -> None:
        if self.on_event is not None:
            self.on_event(item)


def _run_processes(ids, jobs, on_event, kwargs) -> list[RunResult]:
    import multiprocessing as mp
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    context = mp.get_context("spawn")  # no forked copies of threads or kernels
    with context.Manager() as manager:
        events = manager.Queue()
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            futures = {
                pool.submit(_job, {"network_id": n, "progress": events, **kwargs}): n for n in ids
            }
            pending = set(futures)
            results: dict[str, RunResult] = {}
            while pending:
                done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                _drain(events, on_event, lambda: events.get_nowait())
                for future in done:
                    network_id = futures[future]
                    results[network_id] = _settle(network_id, future.result, on_event)
            _drain(events, on_event, lambda: events.get_nowait())
    return [results[n] for n in ids]


#: Seconds to wait for a Dask scheduler to answer before the batch is refused.
SCHEDULER_TIMEOUT = 10


def _run_dask(ids, scheduler, on_event, kwargs) -> list[RunResult]:
    from distributed import Client, Queue

    try:
        client = Client(scheduler, set_as_default=False, timeout=f"{SCHEDULER_TIMEOUT}s")
    except (OSError, ValueError, TypeError) as exc:
        raise RunError(
            f"cannot reach the Dask scheduler at {scheduler!r} ({exc}); expected the address "
            "of a running scheduler, such as tcp://host:8786"
        ) from None
    with client:
        name = f"netwerkonderzoek-{uuid.uuid4().hex}"
        events = Queue(name, client=client)
        futures = {
            client.submit(
                _job,
                {"network_id": n, "progress": _DaskQueue(name), **kwargs},
                key=f"run-{n}-{name}",
                pure=False,
            ): n
            for n in ids
        }
        results: dict[str, RunResult] = {}
        pending = dict(futures)
        while pending:
            _drain_batch(events, on_event)
            finished = [f for f in pending if f.done()]
            if not finished:
                time.sleep(0.2)
            for future in finished:
                network_id = pending.pop(future)
                results[network_id] = _settle(network_id, future.result, on_event)
        _drain_batch(events, on_event)
    return [results[n] for n in ids]
