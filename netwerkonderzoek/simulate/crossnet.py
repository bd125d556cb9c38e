r"""The cross-network set: ~24 small networks with a planted configurational truth.

The synthesis study (``notebooks/05_synthese.ipynb``) asks which
*combinations* of network-level conditions go with a network that delivers.
To check that the QCA pipeline recovers such a combination, this module
draws a compact network-level data set - one row per network with the same
raw attributes that :func:`netwerkonderzoek.synthesis.network_attributes`
derives from a full network's canonical tables - whose outcome follows a
known Boolean formula.

Why a compact data set and not 24 full networks: full networks (config +
canonical tables) would also be run by ``netwerkonderzoek run --all``, 24
extra networks times every study notebook, while the synthesis only needs
one row per network. The set is written to ``data/_synthese/`` (the leading
underscore keeps it apart from network ids, which are slugs
``[a-z0-9-]+``): ``networks.csv`` (data, with provenance) and
``ground_truth.json`` (what was planted).

Generative model
----------------
Conditions and their raw attributes (definitions as in
:data:`netwerkonderzoek.synthesis.ATTRIBUTES`); ``THRESHOLDS`` holds the
substantive thresholds (full exclusion ``e``, crossover ``c``, full inclusion
``i``) that define each set in the ground truth; ``config/synthesis.yaml``
calibrates with the same anchors.

==========  =======================  ===========================================
``MGR``     ``manager_hours``        coordination hours per month of the lead
                                     partner (e 8, c 20, i 40)
``FUND``    ``pooled_share``         share of costs going into joint work
                                     (e 0.5, c 0.7, i 0.9)
``TRUST``   ``trust``                mean PARTNER trust, last wave, 1-4
                                     (e 2.5, c 3.0, i 3.5)
``MUNI``    ``lead_municipality``    1 when the lead partner is a municipality
``HIST``    ``history_years``        years of working together (e 2, c 5, i 10)
outcome     ``improvement_pct``      improvement of the main societal indicator,
                                     % (e 0, c 5, i 15)
==========  =======================  ===========================================

1. **Design.** The latent configurations of the ``n_networks`` (24) networks
   are drawn without replacement from the ``2**5 = 32`` configurations of
   the five conditions (limited diversity: 8 remainders).
2. **Conditions.** A fuzzy condition's raw value lies on the side of the
   crossover its latent configuration says, at a distance of
   ``U(0.8, 1.6)`` times the anchor span on that side (``i - c`` or
   ``c - e``; membership 0.92-0.99 or 0.01-0.08), plus measurement noise
   ``N(0, (noise * span)^2)``; values are clipped to the attribute's range
   (hours and years >= 0, share 0-1, trust 1-4) and rounded (hours and years
   to 0.1, share and trust to 0.01). ``MUNI`` is crisp: the lead partner is
   a municipality or a partner of another kind (drawn uniformly from the
   other kinds), without noise.
3. **Outcome.** *Success* is the planted formula evaluated on the latent
   configuration, ``MGR*TRUST + FUND*~HIST`` by default; the raw improvement
   is drawn as in step 2 on the success side of its crossover (5 %), with
   the same noise, rounded to 0.1.
4. **Off cases.** Noise can carry a raw value across its crossover: the case
   is then *off* (its observed configuration or outcome differs from the
   latent one). A rounded value exactly at a crossover is moved 0.1 (one
   rounding step) towards its latent side, so no case has a membership of
   exactly 0.5. ``ground_truth.json`` lists per network the latent
   configuration, latent success and which raw values are off.

Randomness: one ``numpy.random.default_rng(seed)``, drawn in this order:
design, then per network (in design order) the four fuzzy conditions in
``THRESHOLDS`` order (distance, noise), the lead partner's kind, the outcome
(distance, noise).

With the default noise (0.2) about half of the networks lie somewhat below
the diagonal of the XY plot (outcome membership below their membership in
the formula: the "cases off" of a fuzzy-set analysis), while a crossing of a
crossover is rare (none in seeds 0-99; 5 of 100 sets have one at noise
0.3). The parsimonious solution of the set equals the planted formula for 94
of the seeds 0-99 (87 at noise 0.25, 79 at 0.3; ``tests/test_synthesis.py``).
The failures come from a single-case row whose noisy outcome falls far
enough below its condition membership to miss the inclusion (0.8) or PRI
(0.5) cut-off, so that a positive configuration becomes a negative row.

Examples
--------
>>> from netwerkonderzoek.simulate.crossnet import simulate_crossnet
>>> cross = simulate_crossnet(seed=1)
>>> len(cross.networks), cross.ground_truth["formula"]
(24, 'MGR*TRUST + FUND*~HIST')
>>> cross.networks.columns[:4].tolist()
['network_id', 'name', 'lead_kind', 'lead_municipality']
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "CONDITIONS",
    "CROSSNET_DIR",
    "DEFAULT_NOISE",
    "DEFAULT_SEED",
    "OUTCOME",
    "PLANTED_FORMULA",
    "THRESHOLDS",
    "CrossNetworkSet",
    "simulate_crossnet",
    "write_crossnet",
]

CROSSNET_DIR = "_synthese"
DEFAULT_SEED = 2022
DEFAULT_NOISE = 0.2
PLANTED_FORMULA = "MGR*TRUST + FUND*~HIST"
OUTCOME = "SUCCESS"
CONDITIONS = ("MGR", "FUND", "TRUST", "MUNI", "HIST")

# set -> (raw attribute, e, c, i, lower bound, upper bound, rounding decimals)
THRESHOLDS: dict[str, tuple[str, float, float, float, float, float, int]] = {
    "MGR": ("manager_hours", 8.0, 20.0, 40.0, 0.0, np.inf, 1),
    "FUND": ("pooled_share", 0.5, 0.7, 0.9, 0.0, 1.0, 2),
    "TRUST": ("trust", 2.5, 3.0, 3.5, 1.0, 4.0, 2),
    "HIST": ("history_years", 2.0, 5.0, 10.0, 0.0, np.inf, 1),
    OUTCOME: ("improvement_pct", 0.0, 5.0, 15.0, -np.inf, np.inf, 1),
}
OTHER_KINDS = ("housing", "care", "welfare", "energy", "residents", "other")
DISTANCE = (0.8, 1.6)
TASKS = ("energie", "wijk", "zorg", "schulden")


@dataclass
class CrossNetworkSet:
    """The cross-network set: one row per network, and what was planted.

    Attributes
    ----------
    networks : pandas.DataFrame
        ``network_id``, ``name``, ``lead_kind``, ``lead_municipality``,
        ``manager_hours``, ``pooled_share``, ``trust``, ``history_years``,
        ``main_indicator``, ``improvement_pct``, ``provenance``.
    ground_truth : dict
        ``formula``, ``outcome``, ``conditions``, ``thresholds``, ``seed``,
        ``noise``, ``n_off`` and per network ``latent`` (configuration),
        ``success`` and ``off`` (raw attributes across their crossover).
    """

    networks: pd.DataFrame = field(repr=False)
    ground_truth: dict = field(repr=False)


def _success(configuration: dict[str, int], formula: str) -> int:
    from ..qca import membership

    frame = pd.DataFrame({k: [float(v)] for k, v in configuration.items()})
    return int(membership(frame, formula).iloc[0])


def _draw(rng: np.random.Generator, name: str, present: int, noise: float) -> tuple[float, bool]:
    """A raw value on the latent side of the crossover; (value, off)."""
    _, e, c, i, low, high, decimals = THRESHOLDS[name]
    side = 1.0 if present else -1.0
    span = (i - c) if present else (c - e)
    distance = rng.uniform(*DISTANCE) * span
    error = rng.normal(0.0, noise * span)
    value = float(np.clip(c + side * distance + error, low, high))
    value = round(value, decimals) + 0.0  # + 0.0: a rounded -0.0 is written as 0
    if value == c:  # never exactly at the crossover (membership 0.5)
        value = round(c + side * 10.0**-decimals, decimals) + 0.0
    return value, (value > c) != bool(present)


def simulate_crossnet(
    seed: int | None = DEFAULT_SEED,
    *,
    n_networks: int = 24,
    noise: float = DEFAULT_NOISE,
    formula: str = PLANTED_FORMULA,
) -> CrossNetworkSet:
    """Draw the cross-network set from the generative model (module docstring).

    Parameters
    ----------
    seed : int or None
        Seed of ``numpy.random.default_rng``.
    n_networks : int, default 24
        Number of networks, 2 to 32 (distinct latent configurations).
    noise : float, default 0.2
        Measurement noise SD as a share of the anchor span (0 = none).
    formula : str
        The planted sufficient formula over ``MGR, FUND, TRUST, MUNI, HIST``.

    Returns
    -------
    CrossNetworkSet

    Raises
    ------
    ValueError
        On ``n_networks`` outside 2-32, a negative ``noise``, or a formula
        with unknown conditions.

    Examples
    --------
    Four networks without measurement noise: every raw value lies on the
    side of its crossover (hours 20, share 0.7, trust 3.0, years 5,
    improvement 5 %) that the latent configuration says.

    >>> cross = simulate_crossnet(seed=6, n_networks=4, noise=0.0)
    >>> columns = ["network_id", "manager_hours", "pooled_share", "trust", "history_years"]
    >>> print(cross.networks[[*columns, "improvement_pct"]].to_string(index=False))
    network_id  manager_hours  pooled_share  trust  history_years  improvement_pct
         xn-01            0.9          0.97   3.67            2.5             13.1
         xn-02           49.2          0.87   3.74            1.1             14.5
         xn-03           48.2          0.52   2.54            1.2             -2.5
         xn-04            5.2          0.90   2.46            0.5             19.9

    The latent configurations (MGR, FUND, TRUST, MUNI, HIST) and success
    under ``MGR*TRUST + FUND*~HIST``: xn-01 and xn-04 succeed by
    ``FUND*~HIST``, xn-02 by both terms.

    >>> [("".join(map(str, n["latent"].values())), n["success"], n["off"])
    ...  for n in cross.ground_truth["networks"]]
    [('01100', 1, []), ('11110', 1, []), ('10000', 0, []), ('01010', 1, [])]
    >>> cross.networks["lead_kind"].tolist()  # MUNI is crisp
    ['welfare', 'municipality', 'welfare', 'municipality']
    >>> simulate_crossnet(n_networks=40)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: The 'n_networks' parameter of simulate_crossnet must be an integer ... Got 40 instead.
    """
    if (
        isinstance(n_networks, bool)
        or not isinstance(n_networks, int)
        or not 2 <= n_networks <= 32
    ):
        raise ValueError(
            f"The 'n_networks' parameter of simulate_crossnet must be an integer from 2 to 32. "
            f"Got {n_networks!r} instead."
        )
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(
            f"The 'noise' parameter of simulate_crossnet must be >= 0. Got {noise!r} instead."
        )
    try:
        _success(dict.fromkeys(CONDITIONS, 0), formula)
    except Exception as exc:
        raise ValueError(f"The planted formula {formula!r} is not usable: {exc}") from None
    rng = np.random.default_rng(seed)
    k = len(CONDITIONS)
    rows = (rng.choice(2**k, size=n_networks, replace=False)).tolist()
    provenance = f"netwerkonderzoek.simulate.crossnet (seed {seed}, noise {noise:g})"
    records, truth = [], []
    for number, row in enumerate(rows, 1):
        latent = {c: (row >> (k - 1 - j)) & 1 for j, c in enumerate(CONDITIONS)}
        record: dict[str, object] = {"network_id": f"xn-{number:02d}"}
        off = []
        for name in ("MGR", "FUND", "TRUST", "HIST"):
            value, is_off = _draw(rng, name, latent[name], noise)
            record[THRESHOLDS[name][0]] = value
            if is_off:
                off.append(name)
        lead_kind = "municipality" if latent["MUNI"] else str(rng.choice(OTHER_KINDS))
        success = _success(latent, formula)
        value, is_off = _draw(rng, OUTCOME, success, noise)
        if is_off:
            off.append(OUTCOME)
        task = TASKS[(number - 1) % len(TASKS)]
        records.append(
            {
                "network_id": record["network_id"],
                "name": f"Netwerk {number:02d} ({task})",
                "lead_kind": lead_kind,
                "lead_municipality": int(lead_kind == "municipality"),
                "manager_hours": record["manager_hours"],
                "pooled_share": record["pooled_share"],
                "trust": record["trust"],
                "history_years": record["history_years"],
                "main_indicator": f"hoofdindicator-{task}",
                "improvement_pct": value,
                "provenance": provenance,
            }
        )
        truth.append(
            {
                "network_id": record["network_id"],
                "latent": latent,
                "success": success,
                "off": off,
            }
        )
    ground_truth = {
        "formula": formula,
        "outcome": OUTCOME,
        "conditions": list(CONDITIONS),
        "thresholds": {
            name: {"attribute": a, "e": e, "c": c, "i": i}
            for name, (a, e, c, i, *_rest) in THRESHOLDS.items()
        },
        "seed": seed,
        "noise": noise,
        "n_networks": n_networks,
        "n_off": sum(bool(t["off"]) for t in truth),
        "networks": truth,
    }
    return CrossNetworkSet(pd.DataFrame(records), ground_truth)


def write_crossnet(
    data_dir: str | Path = "data",
    seed: int | None = DEFAULT_SEED,
    **kwargs,
) -> list[Path]:
    """Draw the cross-network set and write it to ``<data_dir>/_synthese/``.

    Writes ``networks.csv`` (UTF-8, comma-separated, deterministic) and
    ``ground_truth.json``; ``kwargs`` go to :func:`simulate_crossnet`.

    Parameters
    ----------
    data_dir : str or Path, default "data"
        The data folder; the set goes to its ``_synthese/`` subfolder.
    seed : int or None, default DEFAULT_SEED
        Seed of :func:`simulate_crossnet`.
    **kwargs
        ``n_networks``, ``noise``, ``formula``.

    Returns
    -------
    list of Path
        The files written.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = write_crossnet(tmp, seed=6, n_networks=4, noise=0.0)
    ...     written = [p.relative_to(tmp).as_posix() for p in paths]
    ...     lines = paths[0].read_text("utf-8").splitlines()
    ...     truth = json.loads(paths[1].read_text("utf-8"))
    >>> written, len(lines)
    (['_synthese/networks.csv', '_synthese/ground_truth.json'], 5)
    >>> import csv
    >>> header, first = csv.reader(lines[:2])
    >>> dict(zip(header, first))  # doctest: +NORMALIZE_WHITESPACE
    {'network_id': 'xn-01', 'name': 'Netwerk 01 (energie)', 'lead_kind': 'welfare',
     'lead_municipality': '0', 'manager_hours': '0.9', 'pooled_share': '0.97', 'trust': '3.67',
     'history_years': '2.5', 'main_indicator': 'hoofdindicator-energie', 'improvement_pct': '13.1',
     'provenance': 'netwerkonderzoek.simulate.crossnet (seed 6, noise 0)'}
    >>> truth["formula"], truth["seed"], truth["n_off"]
    ('MGR*TRUST + FUND*~HIST', 6, 0)
    >>> truth["thresholds"]["MGR"]
    {'attribute': 'manager_hours', 'e': 8.0, 'c': 20.0, 'i': 40.0}
    """
    from ..tables import write_table

    cross = simulate_crossnet(seed, **kwargs)
    folder = Path(data_dir) / CROSSNET_DIR
    folder.mkdir(parents=True, exist_ok=True)
    csv = write_table(cross.networks, folder, "networks", float_format="%.10g")
    truth = folder / "ground_truth.json"
    truth.write_text(
        json.dumps(cross.ground_truth, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return [csv, truth]
