"""Monthly indicators per area, with a planted interrupted-time-series change.

See :mod:`netwerkonderzoek.simulate` for the generative model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .specs import NetworkSpec, month_period

if TYPE_CHECKING:  # pragma: no cover
    from numpy.random import Generator

__all__ = ["AR_PHI", "indicator_config", "simulate_indicators"]

AR_PHI = 0.3


def simulate_indicators(spec: NetworkSpec, rng: Generator) -> pd.DataFrame:
    """Monthly value of every indicator in every region (indicator area)."""
    rows = []
    t = np.arange(spec.months)
    for ind in spec.indicators:
        for area in spec.regions:
            offset = rng.normal(0.0, ind.area_sd)
            noise = np.empty(spec.months)
            previous = 0.0
            for k in range(spec.months):
                previous = AR_PHI * previous + rng.normal(0.0, ind.noise_sd)
                noise[k] = previous
            value = ind.base + offset + ind.trend * t + noise
            if ind.id == spec.its_indicator and area in spec.its_treated:
                after = t >= spec.its_month
                value = value + after * (spec.its_level + spec.its_slope * (t - spec.its_month))
            value = np.clip(value, ind.lower, ind.upper)
            for k in range(spec.months):
                rows.append(
                    {
                        "network_id": spec.id,
                        "indicator_id": ind.id,
                        "period": month_period(spec.start, k),
                        "area": area,
                        "value": round(float(value[k]), ind.decimals) + 0.0,
                        "unit": ind.unit,
                    }
                )
    out = pd.DataFrame(rows)
    return out.sort_values(["indicator_id", "period", "area"], ignore_index=True)


def indicator_config(spec: NetworkSpec) -> list[dict]:
    """The value definition (config ``indicators``) as plain data."""
    out = []
    for ind in spec.indicators:
        item = {
            "id": ind.id,
            "label_nl": ind.label_nl,
            "label_en": ind.label_en,
            "unit": ind.unit,
            "perspective": ind.perspective,
            "form": ind.form,
            "direction": ind.direction,
        }
        if ind.partner_id is not None:
            item["partner_id"] = ind.partner_id
        if ind.proxy is not None:
            item["proxy"] = dict(ind.proxy)
        out.append(item)
    return out
