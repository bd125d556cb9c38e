"""Seconds to build and measure a large partner network: 2,000 partners, 40,000 ties, 6 waves.

Generates (seeded) a network whose ties table holds 40,000 rows over 6 waves
and four tie types, with ratings, then times: building the graphs, every
network-level measure for every wave and layer (``network_measures``) and
every partner-level measure for every wave (``partner_measures``, which
includes Gould–Fernandez brokerage and Borgatti–Everett core–periphery), plus
brokerage and core–periphery alone on the largest wave. Betweenness on graphs
above ``BETWEENNESS_EXACT_MAX`` partners is sampled with a fixed seed; the
output says so.

Run from the project root: ``.venv/bin/python benchmarks/bench_network.py``.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from netwerkonderzoek.network import (
    BETWEENNESS_EXACT_MAX,
    brokerage,
    core_periphery,
    network_measures,
    partner_measures,
    wave_graphs,
)
from netwerkonderzoek.tables import PARTNER_KINDS, RATINGS, TIE_TYPES

N_PARTNERS, N_TIES, N_WAVES, SEED = 2_000, 40_000, 6, 2022


def generate(seed: int = SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    ids = np.array([f"p{i:04d}" for i in range(N_PARTNERS)])
    partners = pd.DataFrame(
        {
            "partner_id": ids,
            "name": ids,
            "kind": rng.choice(PARTNER_KINDS, N_PARTNERS),
            "joined": "2020-01-01",
            "left": None,
        }
    )
    # preferential popularity: a core of popular partners, a long periphery
    popularity = rng.pareto(1.5, N_PARTNERS) + 1
    p = popularity / popularity.sum()
    per_wave = N_TIES // N_WAVES + 1
    frames = []
    for wave in range(1, N_WAVES + 1):
        source = rng.choice(N_PARTNERS, size=2 * per_wave, p=p)
        target = rng.choice(N_PARTNERS, size=2 * per_wave, p=p)
        tie_type = rng.choice(TIE_TYPES, size=2 * per_wave, p=[0.5, 0.25, 0.15, 0.10])
        frame = pd.DataFrame({"source": source, "target": target, "tie_type": tie_type})
        frame = frame[frame.source != frame.target].drop_duplicates(
            ["source", "target", "tie_type"]
        )
        frame = frame.head(per_wave)
        frame["wave"] = wave
        frames.append(frame)
    ties = pd.concat(frames, ignore_index=True).head(N_TIES)
    ties["source"] = ids[ties["source"]]
    ties["target"] = ids[ties["target"]]
    ties["weight"] = rng.gamma(2.0, 1.0, len(ties)).round(1)
    for rating in RATINGS:
        ties[rating] = rng.integers(1, 5, len(ties))
    return partners, ties[["wave", "source", "target", "tie_type", "weight", *RATINGS]]


def timed(label: str, func, results: list):
    began = time.perf_counter()
    value = func()
    seconds = time.perf_counter() - began
    results.append((label, seconds))
    print(f"{label:<58} {seconds:8.2f} s", flush=True)
    return value


def main() -> None:
    results: list[tuple[str, float]] = []
    print(
        f"network of {N_PARTNERS:,} partners, {N_TIES:,} ties over {N_WAVES} waves "
        f"(seed {SEED}); betweenness sampled above {BETWEENNESS_EXACT_MAX} partners"
    )
    partners, ties = timed("generate the tables", generate, results)
    graphs = timed(
        "build the combined graph of every wave", lambda: wave_graphs(ties, partners), results
    )
    largest = max(graphs.values(), key=lambda G: G.number_of_edges())
    print(
        f"  largest wave: {largest.number_of_nodes():,} partners, "
        f"{largest.number_of_edges():,} directed ties"
    )
    timed("brokerage (Gould-Fernandez), largest wave", lambda: brokerage(largest), results)
    timed(
        "core-periphery (Borgatti-Everett), largest wave", lambda: core_periphery(largest), results
    )
    measures = timed(
        "network_measures: every wave x 5 layers",
        lambda: network_measures(ties, partners, seed=SEED),
        results,
    )
    table = timed(
        "partner_measures: every wave, every partner",
        lambda: partner_measures(ties, partners, seed=SEED),
        results,
    )
    sampled = bool(table["betweenness_sampled"].any() or measures["betweenness_sampled"].any())
    print(f"  rows: network_measures {len(measures)}, partner_measures {len(table):,}")
    print(f"  betweenness sampled (column betweenness_sampled): {sampled}")
    total = sum(s for label, s in results if label.startswith(("network_", "partner_", "build")))
    print(f"{'total: graphs + every network- and partner-level measure':<58} {total:8.2f} s")


if __name__ == "__main__":
    main()
