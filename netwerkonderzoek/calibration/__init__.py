"""Monte Carlo checks of the library's inferential methods: size and coverage.

Every inferential method the library offers has a design module here that
simulates data *with no effect* (for the size of its tests) and with a known
effect (for the coverage of its intervals and, where the issue asks, its
power), in the designs the method accepts. ``benchmarks/bench_calibration.py``
prints the full tables; the test suite runs the same code with a few hundred
replications and tolerances from the binomial standard error.

Each design module has ``run(reps=..., seed=...) -> DataFrame`` with one row
per method, term and design and the columns of :data:`CALIBRATION_COLUMNS`.

- :mod:`~netwerkonderzoek.calibration.timeseries`: interrupted time series
  and difference-in-differences.
- :mod:`~netwerkonderzoek.calibration.units`: configuration tests on unit data
  (OLS, logit, for-whom subgroups, mixed model, pre/post).
"""

from __future__ import annotations

import math

__all__ = ["CALIBRATION_COLUMNS", "binomial_se"]

#: Columns of a calibration table.
CALIBRATION_COLUMNS = (
    "method",  # e.g. "its", "did", "ols", "logit", "for_whom", "mixed", "prepost"
    "term",  # the tested term (level_change, did, exposed_in_context, ...)
    "design",  # a short description of the design: "30 months, AR(1) rho 0.5", "6 clusters"
    "reps",  # replications
    "n_insufficient",  # replications the method refused (insufficient_data)
    "size",  # rejection rate at alpha 0.05 under no effect (among the accepted replications)
    "size_se",  # its binomial standard error
    "coverage",  # share of 95% intervals that cover the true value
    "coverage_se",
    "power",  # rejection rate under the design's stated effect (NaN where not asked)
    "accepted",  # True when the method gives a verdict in this design
)


def binomial_se(p: float, n: int) -> float:
    """Binomial standard error of a share ``p`` over ``n`` replications.

    Examples
    --------
    >>> round(binomial_se(0.05, 400), 4)
    0.0109
    """
    if n <= 0:
        return math.nan
    return math.sqrt(p * (1 - p) / n)
