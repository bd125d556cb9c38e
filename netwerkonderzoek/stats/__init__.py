"""Statistical tests of programme theories against data.

- :mod:`~netwerkonderzoek.stats.evaluation`: :func:`evaluate_theory`, the one
  evidence pipeline from a network's data and theory to the ledger and one
  verdict per configuration (every notebook, the synthesis and the report
  use it).
- :mod:`~netwerkonderzoek.stats.configuration`: :func:`test_configuration`
  (mechanism × context regression, cluster-robust; logistic with average
  marginal effects for binary outcomes; mixed model option),
  :func:`test_theory` and :func:`for_whom`.
- :mod:`~netwerkonderzoek.stats.timeseries`: interrupted time series and
  difference-in-differences on indicators: GLS with AR(1) errors by REML,
  Kenward–Roger standard errors and Satterthwaite df (calibrated by
  :mod:`netwerkonderzoek.calibration.timeseries`).
- :mod:`~netwerkonderzoek.stats.multilevel`: random-intercept models.
- :mod:`~netwerkonderzoek.stats.qualitative`: counts and quotes from coded
  observations, and qualitative evidence items.

``test_configuration`` and ``test_theory`` carry ``__test__ = False`` so that
pytest does not collect them when a test module imports them.
"""

from .configuration import METHODS, for_whom, test_configuration, test_theory
from .evaluation import TheoryEvaluation, evaluate_theory
from .multilevel import FixedEffects, random_intercept_fit
from .qualitative import (
    classify_sentiment,
    example_quotes,
    observation_counts,
    qualitative_evidence,
    split_codes,
)
from .timeseries import (
    difference_in_differences,
    event_period,
    evidence_from_result,
    interrupted_time_series,
    newey_west_lags,
)

__all__ = [
    "METHODS",
    "FixedEffects",
    "TheoryEvaluation",
    "classify_sentiment",
    "difference_in_differences",
    "evaluate_theory",
    "event_period",
    "evidence_from_result",
    "example_quotes",
    "for_whom",
    "interrupted_time_series",
    "newey_west_lags",
    "observation_counts",
    "qualitative_evidence",
    "random_intercept_fit",
    "split_codes",
    "test_configuration",
    "test_theory",
]
