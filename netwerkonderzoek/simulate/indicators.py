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
    """Monthly value of every indicator in every region (indicator area).

    Parameters
    ----------
    spec : NetworkSpec
    rng : numpy.random.Generator
        The indicators stream (the third of
        :func:`~netwerkonderzoek.simulate.simulate_network`).

    Returns
    -------
    DataFrame
        ``network_id``, ``indicator_id``, ``period``, ``area``, ``value``,
        ``unit``; one row per indicator, month and region, sorted by
        indicator, period and area.

    Examples
    --------
    >>> from netwerkonderzoek.simulate.examples import get_spec
    >>> spec = get_spec("wijk-noord")  # 6 indicators, 8 regions, 30 months
    >>> indicators = simulate_indicators(spec, np.random.default_rng(1))
    >>> indicators.shape, indicators.iloc[0, 1:].to_dict()  # doctest: +NORMALIZE_WHITESPACE
    ((1440, 6), {'indicator_id': 'bewonersinitiatieven', 'period': '2022-07',
                 'area': 'Dijkzicht', 'value': 5.0, 'unit': 'aantal'})

    The planted change: nuisance reports fall by 1.5 and a further 0.06 a
    month from March 2023 in three treated regions; the mean change, after
    minus before, in the treated and in the comparison regions:

    >>> spec.its_indicator, spec.its_treated, month_period(spec.start, spec.its_month)
    ('overlastmeldingen', ('Vogelwijk', 'Havenkwartier', 'Rozenhof'), '2023-03')
    >>> x = indicators[indicators["indicator_id"] == spec.its_indicator]
    >>> treated, after = x["area"].isin(spec.its_treated), x["period"] >= "2023-03"
    >>> means = x.groupby([treated, after])["value"].mean()
    >>> [round(float(means[g, True] - means[g, False]), 2) for g in (True, False)]
    [-2.26, 0.17]
    """
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
    """The value definition (config ``indicators``) as plain data.

    Parameters
    ----------
    spec : NetworkSpec

    Returns
    -------
    list of dict
        Per indicator ``id``, ``label_nl``, ``label_en``, ``unit``,
        ``perspective``, ``form``, ``direction``, and ``partner_id`` and
        ``proxy`` where the specification has them.

    Examples
    --------
    >>> from netwerkonderzoek.simulate.examples import get_spec
    >>> config = indicator_config(get_spec("wijk-noord"))
    >>> [(i["id"], i["perspective"], i["form"]) for i in config[:2]]
    [('overlastmeldingen', 'societal', 'direct'), ('bewonersinitiatieven', 'societal', 'direct')]
    >>> [(i["id"], i["partner_id"]) for i in config if "partner_id" in i]
    [('huurachterstanden', 'woonstichting-de-haven')]
    >>> [i["id"] for i in config if "proxy" in i], config[0]["proxy"]["value_eur"]
    (['overlastmeldingen', 'huurachterstanden'], 600.0)
    """
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
