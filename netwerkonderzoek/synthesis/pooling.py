"""Pool the CMO verdicts of the networks: which configurations hold where, in what context.

Each study run of a network writes ``tables/cmo_verdicts.csv`` (one verdict
per CMO configuration, :func:`netwerkonderzoek.cmo.verdicts`). The
synthesis reads it from the network's latest complete run,
``<runs_dir>/<network_id>/latest/``; where a network has no complete run it
tests the theory directly with the pipeline of the runs
(:func:`netwerkonderzoek.stats.evaluate_theory`), so the synthesis never depends on stale or partial output. The result is a
tidy table, one row per network and configuration, with the verdict, the
estimate and the context in which the configuration holds: the stated
context when supported, the refined context when the test found the
mechanism working elsewhere (verdict ``refined``).

Configuration ids are per network (``cmo-01`` of one network is not
``cmo-01`` of another); the pooled table keeps each configuration's
statement, mechanism and outcome so that a reader can compare like with
like.

Examples
--------
>>> import pandas as pd
>>> verdicts = pd.DataFrame({"cmo_id": ["cmo-01"], "verdict": ["refined"],
...     "refined_context": ["not (age >= 65)"]})
>>> holds_in(verdicts.iloc[0], stated="Ouderen")
'not (age >= 65)'
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "POOLED_COLUMNS",
    "compute_verdicts",
    "holds_in",
    "latest_verdicts",
    "pool_cmo_results",
    "pooled_matrix",
]

POOLED_COLUMNS = (
    "network_id",
    "cmo_id",
    "perspective",
    "mechanism",
    "outcome",
    "stated_context",
    "verdict",
    "holds_in",
    "estimate",
    "ci_low",
    "ci_high",
    "p_value",
    "n",
    "source",
)


def holds_in(row: pd.Series, stated: str) -> str:
    """The context in which a configuration holds, given its verdict row.

    ``supported``: the stated context; ``refined``: the refined context; any
    other verdict: empty (it holds nowhere the data can show).

    Examples
    --------
    >>> import pandas as pd
    >>> holds_in(pd.Series({"verdict": "supported"}), stated="Ouderen in de wijk")
    'Ouderen in de wijk'
    >>> holds_in(pd.Series({"verdict": "inconclusive"}), stated="Ouderen in de wijk")
    ''
    """
    verdict = str(row.get("verdict", ""))
    if verdict == "supported":
        return stated
    if verdict == "refined":
        refined = row.get("refined_context", "")
        return "" if refined is None or str(refined) == "nan" else str(refined)
    return ""


def latest_verdicts(runs_dir: str | Path, network_id: str) -> tuple[pd.DataFrame | None, str]:
    """The CMO verdicts of a network's latest complete run.

    Parameters
    ----------
    runs_dir : path
        Output root holding ``<network_id>/latest`` (``output``).
    network_id : str

    Returns
    -------
    (DataFrame or None, str)
        The verdict table and ``"run <run_id>"``, or ``(None, reason)`` when
        there is no complete run with a ``tables/cmo_verdicts.csv``.

    Examples
    --------
    >>> import json, tempfile
    >>> from pathlib import Path
    >>> runs = Path(tempfile.mkdtemp())  # stands for output/
    >>> latest_verdicts(runs, "wijk-noord")
    (None, 'no complete run')
    >>> run = runs / "wijk-noord" / "20240101T090000Z"
    >>> (run / "tables").mkdir(parents=True)
    >>> _ = (run / "manifest.json").write_text(json.dumps({"status": "complete"}))
    >>> _ = (runs / "wijk-noord" / "latest").write_text(run.name)
    >>> latest_verdicts(runs, "wijk-noord")
    (None, 'run 20240101T090000Z has no cmo_verdicts.csv')
    >>> _ = (run / "tables" / "cmo_verdicts.csv").write_text("cmo_id,verdict\\ncmo-01,supported\\n")
    >>> table, source = latest_verdicts(runs, "wijk-noord")
    >>> table.to_dict("records"), source
    ([{'cmo_id': 'cmo-01', 'verdict': 'supported'}], 'run 20240101T090000Z')
    """
    import pandas as pd

    from ..runner.manifest import latest_complete_run

    run = latest_complete_run(Path(runs_dir) / network_id)
    if run is None:
        return None, "no complete run"
    path = run / "tables" / "cmo_verdicts.csv"
    if not path.is_file():
        return None, f"run {run.name} has no cmo_verdicts.csv"
    return pd.read_csv(path, keep_default_na=False, na_values=[""]), f"run {run.name}"


def compute_verdicts(data, config) -> pd.DataFrame | None:
    """Test a network's programme theory on its data and return the verdicts.

    The verdicts are those of the study runs:
    :func:`netwerkonderzoek.stats.evaluate_theory`, the one evidence pipeline.
    Returns ``None`` when the network has no theory file.

    Examples
    --------
    >>> from netwerkonderzoek import load_config, load_network
    >>> config = load_config("wijk-noord")
    >>> data = load_network(config)
    >>> compute_verdicts(data, config)[["cmo_id", "verdict"]].head(3)
       cmo_id       verdict
    0  cmo-01     supported
    1  cmo-02       refined
    2  cmo-03  inconclusive
    >>> unsaved = config.model_copy(update={"path": None})  # no folder, so no theory file
    >>> compute_verdicts(data, unsaved) is None
    True
    """
    from .. import cmo
    from ..stats import evaluate_theory

    path = config.theory_path
    if path is None or not path.is_file():
        return None
    theory = cmo.load_theory(path, data.units)
    return evaluate_theory(data, theory, config=config).verdicts


def pool_cmo_results(
    config_dir: str | Path = "config",
    data_dir: str | Path = "data",
    runs_dir: str | Path | None = "output",
    *,
    networks: list[str] | None = None,
    compute: bool = True,
) -> pd.DataFrame:
    """Pool the CMO verdicts of the configured networks into one tidy table.

    Parameters
    ----------
    config_dir, data_dir : path
        Configuration and canonical tables.
    runs_dir : path or None
        Output root of the network runs; ``None`` never reads runs.
    networks : list of str, optional
        Networks to pool (default: every configured network).
    compute : bool, default True
        Test the theory where no complete run has verdicts; otherwise such a
        network gets one row with verdict ``"not available"``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`POOLED_COLUMNS`; ``source`` is ``"run <run_id>"``,
        ``"computed"`` or why nothing is available.

    Examples
    --------
    >>> pool_cmo_results("config", "data", runs_dir=None, compute=False)[
    ...     ["network_id", "verdict", "source"]]
          network_id        verdict         source
    0  energie-regio  not available  runs not read
    1    ggz-netwerk  not available  runs not read
    2     wijk-noord  not available  runs not read
    >>> pooled = pool_cmo_results(runs_dir=None, networks=["wijk-noord"])  # tested here
    >>> pooled[["cmo_id", "verdict", "source"]].head(2)
       cmo_id    verdict    source
    0  cmo-01  supported  computed
    1  cmo-02    refined  computed
    """
    import pandas as pd

    from .. import cmo
    from ..config import list_networks, load_config
    from ..tables import load_network

    ids = list_networks(config_dir) if networks is None else list(networks)
    rows = []
    for network_id in ids:
        config = load_config(network_id, config_dir)
        table, source = (
            (None, "runs not read") if runs_dir is None else latest_verdicts(runs_dir, network_id)
        )
        if table is None and compute:
            table = compute_verdicts(load_network(config, data_dir), config)
            source = "computed" if table is not None else "no theory or statistics API"
        if table is None:
            rows.append({"network_id": network_id, "verdict": "not available", "source": source})
            continue
        theory = None
        if config.theory_path is not None and config.theory_path.is_file():
            theory = cmo.load_theory(config.theory_path)
        for _, verdict in table.iterrows():
            cmo_id = str(verdict["cmo_id"])
            part = theory[cmo_id] if theory is not None and cmo_id in theory else None
            stated = part.context.description if part is not None else ""
            rows.append(
                {
                    "network_id": network_id,
                    "cmo_id": cmo_id,
                    "perspective": part.perspective if part is not None else "",
                    "mechanism": part.mechanism.resource if part is not None else "",
                    "outcome": part.outcome.description if part is not None else "",
                    "stated_context": stated,
                    "verdict": verdict["verdict"],
                    "holds_in": holds_in(verdict, stated),
                    **{
                        k: verdict.get(k, float("nan"))
                        for k in ("estimate", "ci_low", "ci_high", "p_value", "n")
                    },
                    "source": source,
                }
            )
    return pd.DataFrame(rows, columns=list(POOLED_COLUMNS))


def pooled_matrix(pooled: pd.DataFrame, value: str = "verdict") -> pd.DataFrame:
    """Configuration × network: the verdict (or another column) per cell.

    Examples
    --------
    >>> import pandas as pd
    >>> pooled = pd.DataFrame({"network_id": ["a", "a", "b"],
    ...     "cmo_id": ["cmo-01", "cmo-02", "cmo-01"],
    ...     "verdict": ["supported", "refined", "contradicted"]})
    >>> matrix = pooled_matrix(pooled)
    >>> matrix.loc["cmo-01"].tolist(), matrix.loc["cmo-02"].tolist()
    (['supported', 'contradicted'], ['refined', ''])
    """
    known = pooled.dropna(subset=["cmo_id"]) if "cmo_id" in pooled else pooled.iloc[0:0]
    matrix = known.pivot(index="cmo_id", columns="network_id", values=value)
    if value in ("verdict", "holds_in", "source", "stated_context"):
        matrix = matrix.fillna("")
    return matrix
