"""Size and coverage of the configuration tests on unit data (issue 15).

Simulates units nested in areas with a random area intercept (intra-cluster
correlation ``ICC``), an exposure share that varies between areas (uniform
0.2–0.8), and a context that varies either *within* areas (a unit attribute)
or *between* them (an area attribute: the context holds for all units of an
area or for none). Each design is run twice per replication: with no effect
(for the size of the tests) and with a known effect inside and outside the
context (for the coverage of the 95% intervals and the power). The methods:

``ols``
    :func:`~netwerkonderzoek.stats.test_configuration`, continuous outcome
``logit``
    binary outcome, average marginal effect (truth: the sample's average
    effect of exposure on the probability)
``for_whom``
    :func:`~netwerkonderzoek.stats.for_whom` by a 0/1 attribute ``female``
``mixed``
    ``method="mixed"`` (random intercept per area)
``prepost_ancova``, ``prepost_fe``
    a T0/T1 design, exposure assigned after T0, the effect at T1 only;
    ANCOVA and unit fixed effects

Designs: 3, 6, 12 and 40 areas; balanced sizes with the context within
areas, and unbalanced sizes (log-normal, sd 0.7) with the context between
areas. A replication the method refuses (``insufficient_data``, or NaN
p-value for the outside contrast) counts in ``n_insufficient``; a design is
``accepted`` when the method gives a verdict in at least half of the
replications, and size, coverage and power are computed over the
replications with a verdict. ``method="mixed"`` refuses designs with fewer
than :data:`~netwerkonderzoek.stats.configuration.MIXED_MIN_CLUSTERS` areas.

Examples
--------
>>> table = run(reps=4, seed=1, methods=("ols",), designs=("12 areas, balanced, context within",))
>>> table[["method", "term", "reps"]].to_dict("records")
[{'method': 'ols', 'term': 'exposed_in_context', 'reps': 4}, {'method': 'ols', 'term': 'exposed_outside_context', 'reps': 4}]
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import CALIBRATION_COLUMNS, binomial_se

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd

__all__ = ["DESIGNS", "METHODS", "UnitDesign", "run", "simulate_units"]

METHODS = ("ols", "logit", "for_whom", "mixed", "prepost_ancova", "prepost_fe")
ALPHA = 0.05
#: The mixed model (statsmodels MixedLM, ~0.1 s a fit) runs this share of ``reps``.
MIXED_SHARE = 0.25
EFFECT_IN, EFFECT_OUT = 0.5, 0.25  # continuous outcome (sd 1); on the logit scale x 1.2


@dataclass(frozen=True)
class UnitDesign:
    """One simulated design: areas, their sizes, the ICC and where the context varies."""

    name: str
    clusters: int
    size: int  # mean units per area
    balanced: bool = True
    context: str = "within"  # "within" areas or "between" them
    icc: float = 0.1


DESIGNS: dict[str, UnitDesign] = {
    d.name: d
    for d in (
        UnitDesign("3 areas, balanced, context within", 3, 100),
        UnitDesign("3 areas, unbalanced, context between", 3, 100, False, "between"),
        UnitDesign("6 areas, balanced, context within", 6, 60),
        UnitDesign("6 areas, unbalanced, context between", 6, 60, False, "between"),
        UnitDesign("12 areas, balanced, context within", 12, 40),
        UnitDesign("12 areas, unbalanced, context between", 12, 40, False, "between"),
        UnitDesign("40 areas, balanced, context within", 40, 25),
        UnitDesign("40 areas, unbalanced, context between", 40, 25, False, "between"),
    )
}


def _theory(scale: str = "continuous", design: dict[str, Any] | None = None):
    from ..cmo import ProgrammeTheory

    config: dict[str, Any] = {
        "id": "cmo-01",
        "statement": "s",
        "perspective": "societal",
        "form": "direct",
        "context": {"description": "c", "expression": "c >= 6"},
        "mechanism": {"resource": "r", "reasoning": "r", "exposure": "e"},
        "outcome": {"description": "o", "measure": "y", "direction": "increase", "scale": scale},
    }
    if design:
        config["design"] = design
    return ProgrammeTheory.from_dict(
        {
            "network_id": "calibration",
            "name": "calibration",
            "version": 1,
            "label": "initial",
            "date": "2026-01-01",
            "configurations": [config],
        }
    )


def simulate_units(
    design: UnitDesign, rng: np.random.Generator, *, effect: bool, kind: str = "continuous"
) -> tuple[pd.DataFrame, dict[str, float]]:
    """One data set of ``design`` and the true effects inside and outside the context.

    ``kind`` is ``continuous``, ``binary`` (random-intercept logit; the true
    values are the sample's average effects on the probability) or
    ``prepost`` (T0 intake and T1 follow-up per unit; the effect at T1 only).

    Examples
    --------
    >>> import numpy as np
    >>> design = DESIGNS["3 areas, balanced, context within"]
    >>> units, truth = simulate_units(design, np.random.default_rng(1), effect=True)
    >>> units.shape, units.columns.tolist(), units["area"].value_counts().tolist()
    ((300, 5), ['area', 'female', 'c', 'e', 'y'], [100, 100, 100])
    >>> truth
    {'exposed_in_context': 0.5, 'exposed_outside_context': 0.25}

    With the context between areas, every unit of an area shares it; a
    pre/post design has two rows (waves 0 and 1) per unit:

    >>> design = DESIGNS["6 areas, unbalanced, context between"]
    >>> units, truth = simulate_units(design, np.random.default_rng(1), effect=False, kind="prepost")
    >>> int(units.groupby("area")["c"].nunique().max()), units["wave"].unique().tolist(), truth
    (1, [0, 1], {'exposed_in_context': 0.0, 'exposed_outside_context': 0.0})
    """
    import numpy as np
    import pandas as pd
    from scipy.special import expit

    G = design.clusters
    if design.balanced:
        sizes = np.full(G, design.size)
    else:
        weights = np.exp(rng.normal(0, 0.7, G))
        sizes = np.maximum(8, np.round(weights / weights.sum() * G * design.size)).astype(int)
    area = np.repeat(np.arange(G), sizes)
    n = len(area)
    share = rng.uniform(0.2, 0.8, G)
    e = (rng.random(n) < share[area]).astype(int)
    if design.context == "within":
        c = rng.uniform(0, 10, n)
    else:
        inside = np.zeros(G, dtype=bool)
        inside[rng.permutation(G)[: math.ceil(G / 2)]] = True
        c = np.where(inside[area], 8.0, 2.0)
    ctx = c >= 6
    female = rng.integers(0, 2, n)
    d_in, d_out = (EFFECT_IN, EFFECT_OUT) if effect else (0.0, 0.0)
    frame = {"area": area, "female": female, "c": c, "e": e}
    if kind == "binary":
        var_u = design.icc / (1 - design.icc) * math.pi**2 / 3  # latent-scale ICC
        eta = -0.3 + rng.normal(0, math.sqrt(var_u), G)[area]
        lift = np.where(ctx, 1.2 * d_in, 1.2 * d_out)
        y = (rng.random(n) < expit(eta + lift * e)).astype(int)
        gain = expit(eta + lift) - expit(eta)
        truth = {"exposed_in_context": float(gain[ctx].mean()) if ctx.any() else 0.0}
        truth["exposed_outside_context"] = float(gain[~ctx].mean()) if (~ctx).any() else 0.0
        return pd.DataFrame({**frame, "y": y}), truth
    u = rng.normal(0, math.sqrt(design.icc), G)[area]
    lift = np.where(ctx, d_in, d_out)
    truth = {"exposed_in_context": d_in, "exposed_outside_context": d_out}
    if kind == "prepost":
        person = rng.normal(0, math.sqrt(0.5 - design.icc), n)
        y0 = u + person + rng.normal(0, math.sqrt(0.5), n)
        y1 = 0.2 + u + person + lift * e + rng.normal(0, math.sqrt(0.5), n)
        base = {**frame, "unit_id": np.arange(n)}
        units = pd.concat(
            [
                pd.DataFrame({**base, "wave": 0, "y": y0}),
                pd.DataFrame({**base, "wave": 1, "y": y1}),
            ],
            ignore_index=True,
        )
        return units, truth
    y = u + lift * e + rng.normal(0, math.sqrt(1 - design.icc), n)
    return pd.DataFrame({**frame, "y": y}), truth


def _items(method: str, units: pd.DataFrame, theories: dict[str, Any]):
    """(term, estimate, ci_low, ci_high, p_value) per tested term, NaN where refused."""
    from .. import stats

    if method == "for_whom":
        out = []
        for item in stats.for_whom(theories["continuous"], "cmo-01", units, by="female"):
            out.append((f"exposed_in_context ({item.subgroup})", item, "in"))
        return out
    if method == "logit":
        item = stats.test_configuration(units, theories["binary"], "cmo-01")
    elif method == "mixed":
        item = stats.test_configuration(units, theories["continuous"], "cmo-01", method="mixed")
    elif method == "prepost_ancova":
        item = stats.test_configuration(units, theories["ancova"], "cmo-01")
    elif method == "prepost_fe":
        item = stats.test_configuration(units, theories["fixed_effects"], "cmo-01")
    else:
        item = stats.test_configuration(units, theories["continuous"], "cmo-01")
    return [("exposed_in_context", item, "in"), ("exposed_outside_context", item, "out")]


def _values(item, side: str) -> tuple[float, float, float]:
    if side == "in":
        if item.direction == "insufficient_data":
            return math.nan, math.nan, math.nan
        return item.ci_low, item.ci_high, item.p_value
    return item.ci_low_out, item.ci_high_out, item.p_value_out


def _run_one(task: tuple[str, str, int, Any]) -> list[dict[str, Any]]:
    """All replications of one method in one design (a worker's unit of work)."""
    import warnings

    import numpy as np

    from ..exceptions import NetwerkonderzoekWarning

    method, name, reps, seed = task
    design = DESIGNS[name]
    rng = np.random.default_rng(seed)
    theories = {
        "continuous": _theory(),
        "binary": _theory("binary"),
        "ancova": _theory(design={"kind": "prepost", "measurement": "wave", "baseline": 0}),
        "fixed_effects": _theory(
            design={
                "kind": "prepost",
                "measurement": "wave",
                "baseline": 0,
                "estimator": "fixed_effects",
            }
        ),
    }
    kind = {"logit": "binary", "prepost_ancova": "prepost", "prepost_fe": "prepost"}.get(
        method, "continuous"
    )
    counts: dict[str, dict[str, int]] = {}
    for _ in range(reps):
        for effect in (False, True):
            units, truth = simulate_units(design, rng, effect=effect, kind=kind)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", category=NetwerkonderzoekWarning)
                found = _items(method, units, theories)
            for term, item, side in found:
                low, high, p = _values(item, side)
                tally = counts.setdefault(
                    term, {"null": 0, "refused": 0, "reject": 0, "eff": 0, "cover": 0, "power": 0}
                )
                if math.isnan(p):
                    if not effect:
                        tally["refused"] += 1
                    continue
                if effect:
                    target = truth[term.split(" ")[0]]
                    tally["eff"] += 1
                    tally["cover"] += int(low <= target <= high)
                    tally["power"] += int(p < ALPHA)
                else:
                    tally["null"] += 1
                    tally["reject"] += int(p < ALPHA)
    rows = []
    for term, tally in counts.items():
        size = tally["reject"] / tally["null"] if tally["null"] else math.nan
        coverage = tally["cover"] / tally["eff"] if tally["eff"] else math.nan
        rows.append(
            {
                "method": method,
                "term": term,
                "design": name,
                "reps": reps,
                "n_insufficient": tally["refused"],
                "size": size,
                "size_se": binomial_se(size, tally["null"]) if tally["null"] else math.nan,
                "coverage": coverage,
                "coverage_se": binomial_se(coverage, tally["eff"]) if tally["eff"] else math.nan,
                "power": tally["power"] / tally["eff"] if tally["eff"] else math.nan,
                "accepted": tally["refused"] <= reps / 2,
            }
        )
    return rows


def run(
    reps: int = 1000,
    seed: int | None = 2026,
    *,
    methods: tuple[str, ...] = METHODS,
    designs: tuple[str, ...] | None = None,
    pairs: list[tuple[str, str]] | None = None,
    workers: int | None = None,
) -> pd.DataFrame:
    """Monte Carlo size, coverage and power of the unit-data configuration tests.

    Parameters
    ----------
    reps : int
        Replications per method and design (each with a no-effect and an
        effect data set); the mixed model runs :data:`MIXED_SHARE` of them,
        because its REML fit costs about ten times an OLS fit.
    seed : int or None
        Seed of the whole run; every method × design gets its own stream
        (``numpy.random.SeedSequence.spawn``), so results do not depend on
        ``workers``.
    methods : tuple of str
        A subset of :data:`METHODS`.
    designs : tuple of str, optional
        Names from :data:`DESIGNS` (default: all).
    pairs : list of (method, design), optional
        Run these method × design pairs instead of every method in every design.
    workers : int, optional
        Processes to use (default: one per CPU, at most the number of tasks);
        1 runs in this process.

    Returns
    -------
    DataFrame
        Columns :data:`~netwerkonderzoek.calibration.CALIBRATION_COLUMNS`, one
        row per method, term and design. ``power`` is under the design's
        effect (0.5 SD inside and 0.25 SD outside the context).

    Examples
    --------
    The mixed model refuses 6 areas (fewer than ``MIXED_MIN_CLUSTERS``), so
    that design is not accepted for it; it runs a quarter of ``reps``.

    >>> table = run(reps=4, seed=1, workers=1, pairs=[
    ...     ("ols", "12 areas, balanced, context within"),
    ...     ("mixed", "6 areas, balanced, context within")])
    >>> table[["method", "term", "reps", "n_insufficient", "accepted"]]
      method                     term  reps  n_insufficient  accepted
    0    ols       exposed_in_context     4               0      True
    1    ols  exposed_outside_context     4               0      True
    2  mixed       exposed_in_context     1               1     False
    3  mixed  exposed_outside_context     1               1     False
    """
    import os

    import numpy as np
    import pandas as pd

    if pairs is not None:
        methods = tuple(dict.fromkeys(m for m, _ in pairs))
        designs = tuple(dict.fromkeys(d for _, d in pairs))
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        raise ValueError(
            f"The 'methods' parameter of run must hold names from {', '.join(METHODS)}. "
            f"Got {unknown[0]!r} instead."
        )
    names = tuple(DESIGNS) if designs is None else tuple(designs)
    missing = [d for d in names if d not in DESIGNS]
    if missing:
        raise ValueError(
            f"The 'designs' parameter of run must hold names from {', '.join(DESIGNS)}. "
            f"Got {missing[0]!r} instead."
        )
    tasks = list(pairs) if pairs is not None else [(m, d) for m in methods for d in names]
    streams = np.random.SeedSequence(seed).spawn(len(tasks))
    jobs = [
        (m, d, max(1, round(reps * MIXED_SHARE)) if m == "mixed" else reps, s)
        for (m, d), s in zip(tasks, streams, strict=True)
    ]
    workers = workers or min(len(jobs), os.cpu_count() or 1)
    if workers <= 1:
        results = [_run_one(job) for job in jobs]
    else:
        from concurrent.futures import ProcessPoolExecutor

        # Expensive tasks first so the pool finishes together.
        cost = {"mixed": 4, "for_whom": 2, "prepost_fe": 2, "logit": 2}
        order = sorted(range(len(jobs)), key=lambda i: -cost.get(jobs[i][0], 1))
        with ProcessPoolExecutor(max_workers=workers) as pool:
            done = dict(zip(order, pool.map(_run_one, [jobs[i] for i in order]), strict=True))
        results = [done[i] for i in range(len(jobs))]
    rows = [row for result in results for row in result]
    return pd.DataFrame(rows, columns=list(CALIBRATION_COLUMNS))
