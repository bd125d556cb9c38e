"""Progress display for batches of runs: a live table on a terminal, lines otherwise."""

from __future__ import annotations

import sys
import time

__all__ = ["ProgressBoard"]

STATES = {
    "waiting": "waiting",
    "harmonising": "harmonising",
    "running": "running",
    "reused": "running",
    "done": "done",
    "failed": "failed",
}


class ProgressBoard:
    """Show per network: waiting, harmonising (and why), running which notebook, done, failed.

    Use as a context manager and pass the board as ``on_event`` to
    :func:`~netwerkonderzoek.runner.run_networks`. On a terminal it draws a
    live table (rich); otherwise it prints one line per event to ``stream``.
    """

    def __init__(self, network_ids, stream=None, live: bool | None = None):
        self.stream = sys.stderr if stream is None else stream
        self.state = {n: ("waiting", "") for n in network_ids}
        self.started = {n: None for n in network_ids}
        self.ended = {n: None for n in network_ids}
        self.live_mode = self.stream.isatty() if live is None else live
        self._live = None

    def __enter__(self) -> ProgressBoard:
        if self.live_mode:
            from rich.console import Console
            from rich.live import Live

            self._live = Live(
                self._table(), console=Console(file=self.stream), refresh_per_second=4
            )
            self._live.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        if self._live is not None:
            self._live.update(self._table())
            self._live.__exit__(*exc)

    def __call__(self, event) -> None:
        network_id, state, notebook = event
        previous = self.state.get(network_id, ("waiting", ""))
        shown = STATES.get(state, state)
        detail = notebook or ("" if shown in ("done", "failed") else previous[1])
        if state == "reused":
            detail = f"{notebook} (reused)"
        if state == "harmonising":  # the notebook slot carries the reason
            detail = f"first: {notebook}"
        self.state[network_id] = (shown, detail)
        now = time.perf_counter()
        if shown == "running" and self.started.get(network_id) is None:
            self.started[network_id] = now
        if shown in ("done", "failed"):
            self.ended[network_id] = now
        if self._live is not None:
            self._live.update(self._table())
        elif state != "waiting":
            text = f"{network_id}: {shown}" + (f" {detail}" if detail else "")
            print(text, file=self.stream, flush=True)

    def _table(self):
        from rich.table import Table

        table = Table(title="netwerkonderzoek run", show_lines=False)
        table.add_column("network")
        table.add_column("status")
        table.add_column("notebook")
        table.add_column("seconds", justify="right")
        colours = {
            "waiting": "dim",
            "harmonising": "yellow",
            "running": "cyan",
            "done": "green",
            "failed": "bold red",
        }
        now = time.perf_counter()
        for network_id, (state, detail) in self.state.items():
            began, ended = self.started.get(network_id), self.ended.get(network_id)
            seconds = "" if began is None else f"{(ended or now) - began:.1f}"
            table.add_row(network_id, f"[{colours.get(state, '')}]{state}[/]", detail, seconds)
        return table
