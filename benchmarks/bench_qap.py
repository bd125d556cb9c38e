"""Seconds for QAP regression: 100 partners, three predictors, 1,000 permutations.

Generates (seeded) a joint-delivery network of 100 partners whose ties
depend on trust, being of the same kind and sharing clients, with sender and
receiver effects, and times :func:`netwerkonderzoek.network.qap_regression`
for the linear (``netlm``) and logistic (``netlogit``) models with double
semi-partialling (default) and y-permutation. Goal: under 5 s each.

The permuted fits are batched numpy (matrix products of many dyads times a
few columns). On a small machine shared with other work, a multi-threaded
BLAS can be several times slower for such products than a single thread;
unless ``OPENBLAS_NUM_THREADS`` is set, the script also times a run in a
child process with ``OPENBLAS_NUM_THREADS=1`` and prints both.

Run from the project root: ``.venv/bin/python benchmarks/bench_qap.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

N_PARTNERS, PERMUTATIONS, SEED = 100, 1000, 2022


def generate(seed: int = SEED):
    import numpy as np

    rng = np.random.default_rng(seed)
    n = N_PARTNERS
    kind = rng.integers(0, 5, n)
    same_kind = (kind[:, None] == kind[None, :]).astype(float)
    trust = np.clip(np.round(2.5 + 0.5 * same_kind + rng.normal(0, 1, (n, n))), 1, 5)
    clients = (rng.random((n, n)) < 0.15).astype(float)
    clients = np.maximum(clients, clients.T)
    sender, receiver = rng.normal(0, 0.8, (n, 1)), rng.normal(0, 0.8, (1, n))
    eta = -4.0 + 0.6 * trust + 0.3 * same_kind + 0.8 * clients + sender + receiver
    joint = (rng.random((n, n)) < 1 / (1 + np.exp(-eta))).astype(float)
    np.fill_diagonal(joint, 0)
    return joint, {"trust": trust, "same_kind": same_kind, "shared_clients": clients}


def run() -> None:
    from netwerkonderzoek.network import qap_regression

    joint, X = generate()
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "default")
    print(
        f"{N_PARTNERS} partners ({N_PARTNERS * (N_PARTNERS - 1):,} dyads), {len(X)} predictors, "
        f"{PERMUTATIONS:,} permutations, seed {SEED}; OPENBLAS_NUM_THREADS={threads}; "
        f"tie density {joint.sum() / (N_PARTNERS * (N_PARTNERS - 1)):.2f}",
        flush=True,
    )
    for kind in ("linear", "logistic"):
        for method in ("dsp", "y"):
            began = time.perf_counter()
            table = qap_regression(
                joint, X, kind=kind, method=method, permutations=PERMUTATIONS, seed=SEED
            )
            seconds = time.perf_counter() - began
            label = f"qap_regression(kind={kind!r}, method={method!r})"
            print(f"  {label:<52} {seconds:6.2f} s", flush=True)
    print("  last table:")
    print(table.round(3).to_string(index=False))


def main() -> None:
    run()
    if "OPENBLAS_NUM_THREADS" not in os.environ:
        print()
        env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
        subprocess.run([sys.executable, __file__], env=env, check=True)


if __name__ == "__main__":
    main()
