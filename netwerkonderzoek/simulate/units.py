"""Units (residents, households, clients), their true CMO effects and the theory.

See :mod:`netwerkonderzoek.simulate` for the generative model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .specs import CMOSpec, NetworkSpec, month_period

if TYPE_CHECKING:  # pragma: no cover
    from numpy.random import Generator

__all__ = [
    "INCOME_MEDIAN",
    "INCOME_SIGMA",
    "center",
    "cmo_ground_truth",
    "simulate_units",
    "theory_data",
    "unit_areas",
    "units_summary",
]

INCOME_MEDIAN = 32.0  # thousand euro net household income per year
INCOME_SIGMA = 0.45
FEMALE_SHARE = 0.52
WAVE_EXPOSURE = 0.2  # log-odds added to every exposure per later unit wave


def _expit(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _logit(p: float) -> float:
    return float(np.log(p / (1.0 - p)))


def center(name: str, values: np.ndarray) -> np.ndarray:
    """Covariate in the units the model uses: (age - 45) / 10, (income - 30) / 10.

    Parameters
    ----------
    name : str
        ``"age"`` (years) or ``"income"`` (thousand euro per year).
    values : ndarray

    Returns
    -------
    ndarray

    Raises
    ------
    KeyError
        For any other covariate.

    Examples
    --------
    >>> center("age", np.array([45.0, 65.0])), center("income", np.array([30.0, 42.5]))
    (array([0., 2.]), array([0.  , 1.25]))
    >>> center("height", np.array([1.8]))
    Traceback (most recent call last):
    ...
    KeyError: "unknown covariate 'height'; expected age or income"
    """
    if name == "age":
        return (values - 45.0) / 10.0
    if name == "income":
        return (values - 30.0) / 10.0
    raise KeyError(f"unknown covariate '{name}'; expected age or income")


def unit_areas(spec: NetworkSpec) -> list[str]:
    """Unit areas: ``<region>-<k>`` for each region and k = 1..areas_per_region.

    Parameters
    ----------
    spec : NetworkSpec

    Returns
    -------
    list of str
        Region by region, in the order of ``spec.regions``.

    Examples
    --------
    >>> from netwerkonderzoek.simulate.examples import get_spec
    >>> areas = unit_areas(get_spec("wijk-noord"))  # 8 regions of 4 areas
    >>> len(areas), areas[3:5], areas[-1]
    (32, ['Vogelwijk-4', 'Havenkwartier-1'], 'Oeverlanden-4')
    """
    return [f"{r}-{k}" for r in spec.regions for k in range(1, spec.areas_per_region + 1)]


def truth_indicator(cmo: CMOSpec, in_context: np.ndarray) -> np.ndarray:
    """1 where the mechanism truly works for a unit, else 0.

    Parameters
    ----------
    cmo : CMOSpec
        Its ``truth`` (``context``, ``outside`` or ``nowhere``) decides where it works.
    in_context : ndarray of bool
        Whether each unit is in the configuration's stated context.

    Returns
    -------
    ndarray of float

    Examples
    --------
    >>> from netwerkonderzoek.simulate.examples import get_spec
    >>> cmos = {c.truth: c for c in get_spec("wijk-noord").cmos}
    >>> in_context = np.array([True, False, True])
    >>> {truth: truth_indicator(cmos[truth], in_context).tolist() for truth in sorted(cmos)}
    {'context': [1.0, 0.0, 1.0], 'nowhere': [0.0, 0.0, 0.0], 'outside': [0.0, 1.0, 0.0]}
    """
    if cmo.truth == "context":
        return in_context.astype(float)
    if cmo.truth == "outside":
        return (~in_context).astype(float)
    return np.zeros(len(in_context))


def simulate_units(
    spec: NetworkSpec, rng: Generator, waves: int | None = None
) -> tuple[pd.DataFrame, dict]:
    """Simulate the units table; return it with the true effect of every configuration.

    Parameters
    ----------
    spec : NetworkSpec
    rng : numpy.random.Generator
        The units stream (the fourth of :func:`~netwerkonderzoek.simulate.simulate_network`).
    waves : int, optional
        Compute the effects over the units of unit waves 1 to ``waves`` only
        (a network cut off before its later unit waves); default all units.
        The units drawn do not depend on it.

    Returns
    -------
    units : DataFrame
        One row per unit: ``network_id``, ``unit_id``, ``wave``, ``area``, the
        covariates, context attributes, exposures and outcomes. Its ``unit_id``
        is a provisional ``<prefix>-<NNNNNN>``;
        :func:`~netwerkonderzoek.simulate.simulate_network` replaces it by the
        pseudonym of the unit's person number.
    effects : dict of str to dict
        Per configuration id ``effect``, ``effect_outside``, ``outcome_sd`` and
        ``share_in_context`` (see :func:`cmo_ground_truth`).

    Examples
    --------
    >>> from netwerkonderzoek.simulate.examples import get_spec
    >>> units, effects = simulate_units(get_spec("wijk-noord"), np.random.default_rng(1))
    >>> units.shape, units["unit_id"].iloc[0], units["wave"].value_counts().sort_index().tolist()
    ((2200, 23), 'r-000001', [734, 733, 733])
    >>> units.columns[:8].tolist()
    ['network_id', 'unit_id', 'wave', 'area', 'age', 'female', 'income', 'social_cohesion']

    cmo-01 (coefficient 0.8 on wellbeing 0-10) works in its context only;
    clipping at 10 takes a little off the mean gain:

    >>> effects["cmo-01"]
    {'effect': 0.79, 'effect_outside': 0.0, 'outcome_sd': 1.4282, 'share_in_context': 0.425}

    Over the first unit wave only (the same units):

    >>> first, effects_1 = simulate_units(get_spec("wijk-noord"), np.random.default_rng(1), 1)
    >>> first.equals(units), effects_1["cmo-01"]["share_in_context"]
    (True, 0.4319)
    """
    n = spec.n_units
    areas = unit_areas(spec)
    sizes = rng.dirichlet(np.full(len(areas), 8.0))
    area = rng.choice(len(areas), size=n, p=sizes)
    n_waves = len(spec.unit_wave_months)
    wave = rng.permutation(np.arange(n) % n_waves + 1)
    mean, sd, lo, hi = spec.age
    age = np.clip(np.rint(rng.normal(mean, sd, n)), lo, hi).astype(int)
    female = (rng.random(n) < FEMALE_SHARE).astype(int)
    income = np.round(np.exp(rng.normal(np.log(INCOME_MEDIAN), INCOME_SIGMA, n)), 1)
    data = {"age": age, "female": female, "income": income}
    for ctx in spec.contexts:
        area_term = rng.normal(0.0, ctx.area_sd, len(areas))
        if ctx.kind == "scale":
            value = ctx.mean + area_term[area] + rng.normal(0.0, ctx.unit_sd, n)
            data[ctx.name] = np.round(np.clip(value, 0.0, 10.0), 1)
        else:
            logit = (
                _logit(ctx.mean)
                + ctx.income_slope * center("income", income)
                + ctx.age_slope * center("age", age.astype(float))
                + area_term[area]
            )
            data[ctx.name] = (rng.random(n) < _expit(logit)).astype(int)
    frame = pd.DataFrame(data)
    among = wave <= (waves if waves is not None else n_waves)  # the units the truth is over
    masks = {c.id: frame.eval(c.expression).to_numpy(dtype=bool) for c in spec.cmos}
    for cmo in spec.cmos:
        logit = _logit(cmo.exposure_rate) + WAVE_EXPOSURE * (wave - 1)
        if cmo.confounder is not None:
            logit = logit + cmo.confounding * center(cmo.confounder, frame[cmo.confounder])
        data[cmo.exposure] = (rng.random(n) < _expit(np.asarray(logit))).astype(int)

    truth: dict[str, dict] = {}
    for out in spec.outcomes:
        pred = (
            out.base
            + out.age_effect * center("age", age.astype(float))
            + out.income_effect * center("income", income)
            + rng.normal(0.0, out.area_sd, len(areas))[area]
        )
        for name, effect in out.context_effects:
            pred = pred + effect * np.asarray(data[name], dtype=float)
        terms = {}
        for cmo in (c for c in spec.cmos if c.outcome == out.name):
            works = truth_indicator(cmo, masks[cmo.id])
            terms[cmo.id] = (cmo.coef * works, data[cmo.exposure])
            pred = pred + cmo.coef * works * data[cmo.exposure]
        if out.scale == "continuous":
            noise = rng.normal(0.0, out.noise_sd, n)

            def response(x, noise=noise, out=out):
                return np.clip(x + noise, out.lo, out.hi)

            data[out.name] = np.round(response(pred), 2)
        else:
            response = _expit
            data[out.name] = (rng.random(n) < _expit(pred)).astype(int)
        outcome_sd = float(np.std(np.asarray(data[out.name])[among], ddof=1))
        for cmo_id, (effect, exposed) in terms.items():
            without = pred - effect * exposed
            gain = response(without + effect) - response(without)
            mask = masks[cmo_id]
            truth[cmo_id] = {
                "effect": round(float(gain[mask & among].mean()), 4) + 0.0,
                "effect_outside": round(float(gain[~mask & among].mean()), 4) + 0.0,
                "outcome_sd": round(outcome_sd, 4),
                "share_in_context": round(float(mask[among].mean()), 4),
            }

    order = np.lexsort((rng.random(n), area, wave))
    units = pd.DataFrame(
        {
            "network_id": spec.id,
            "unit_id": [""] * n,
            "wave": wave,
            "area": np.asarray(areas, dtype=object)[area],
        }
    )
    for name, values in data.items():
        units[name] = values
    units = units.iloc[order].reset_index(drop=True)
    units["unit_id"] = [f"{spec.unit_prefix}-{i:06d}" for i in range(1, n + 1)]
    return units, truth


def _direction(cmo: CMOSpec) -> str:
    return "increase" if cmo.coef > 0 else "decrease"


def _scale(spec: NetworkSpec, measure: str) -> str:
    return next(o.scale for o in spec.outcomes if o.name == measure)


def statement(cmo: CMOSpec) -> str:
    """The CMO statement in plain Dutch, built from its parts.

    Parameters
    ----------
    cmo : CMOSpec

    Returns
    -------
    str
        ``<Context> (C) zorgt <resource> (M: hulpbron) ervoor dat <reasoning>
        (M: reactie), waardoor <outcome> (O).``

    Examples
    --------
    >>> from netwerkonderzoek.simulate.examples import get_spec
    >>> print(statement(get_spec("wijk-noord").cmos[0]))  # doctest: +NORMALIZE_WHITESPACE
    In buurten met veel sociale samenhang (C) zorgt een vaste buurtcoach (M: hulpbron)
    ervoor dat bewoners zich gehoord voelen en zelf initiatief nemen (M: reactie),
    waardoor hun welzijn stijgt (O).
    """
    context = cmo.c_phrase[0].upper() + cmo.c_phrase[1:]
    return (
        f"{context} (C) zorgt {cmo.resource} (M: hulpbron) ervoor dat {cmo.reasoning} "
        f"(M: reactie), waardoor {cmo.o_clause} (O)."
    )


def theory_data(spec: NetworkSpec) -> dict:
    """The initial programme theory as plain data (``config/theories/<id>.yaml``).

    Parameters
    ----------
    spec : NetworkSpec

    Returns
    -------
    dict
        ``network_id``, ``name``, ``version`` (1), ``label`` (``initial``),
        ``date`` and one entry per configuration under ``configurations``; a
        confounded configuration lists its confounder under ``covariates``.

    Examples
    --------
    >>> from netwerkonderzoek.simulate.examples import get_spec
    >>> theory = theory_data(get_spec("wijk-noord"))
    >>> theory["name"], theory["label"], len(theory["configurations"])
    ('Programmatheorie Wijk Noord', 'initial', 8)
    >>> [(c["id"], c["outcome"]["measure"], c["outcome"]["direction"], c["outcome"]["scale"])
    ...  for c in theory["configurations"][:3]]  # doctest: +NORMALIZE_WHITESPACE
    [('cmo-01', 'wellbeing', 'increase', 'continuous'),
     ('cmo-02', 'loneliness', 'decrease', 'continuous'),
     ('cmo-03', 'feels_safe', 'increase', 'binary')]
    >>> [(c["id"], c["covariates"]) for c in theory["configurations"] if "covariates" in c]
    [('cmo-01', ['age']), ('cmo-04', ['income'])]
    """
    configurations = []
    for cmo in spec.cmos:
        item = {
            "id": cmo.id,
            "statement": statement(cmo),
            "perspective": cmo.perspective,
            "form": cmo.form,
            "context": {"description": cmo.c_description, "expression": cmo.expression},
            "mechanism": {
                "resource": cmo.resource_label,
                "reasoning": cmo.reasoning[0].upper() + cmo.reasoning[1:],
                "exposure": cmo.exposure,
            },
            "outcome": {
                "description": cmo.o_description,
                "measure": cmo.outcome,
                "direction": _direction(cmo),
                "scale": _scale(spec, cmo.outcome),
            },
            "codes": [cmo.id],
        }
        if cmo.confounder is not None:
            item["covariates"] = [cmo.confounder]
        configurations.append(item)
    return {
        "network_id": spec.id,
        "name": spec.theory_name,
        "version": 1,
        "label": "initial",
        "date": spec.theory_date,
        "configurations": configurations,
    }


def cmo_ground_truth(spec: NetworkSpec, effects: dict[str, dict]) -> dict[str, dict]:
    """Ground truth per configuration id (see the module docstring of ``simulate``).

    Parameters
    ----------
    spec : NetworkSpec
    effects : dict of str to dict
        The effects returned by :func:`simulate_units`.

    Returns
    -------
    dict of str to dict
        Per configuration ``holds``, ``holds_in``, ``outcome``, ``scale``,
        ``outcome_scale``, ``context``, ``exposure``, ``direction``,
        ``coefficient`` (0 where it holds nowhere), ``coefficient_scale``,
        ``covariates`` and the entries of ``effects``.

    Examples
    --------
    >>> from netwerkonderzoek.simulate.examples import get_spec
    >>> spec = get_spec("wijk-noord")
    >>> truth = cmo_ground_truth(spec, simulate_units(spec, np.random.default_rng(1))[1])
    >>> [(k, truth[k]["holds_in"], truth[k]["coefficient"], truth[k]["effect"],
    ...   truth[k]["effect_outside"]) for k in ("cmo-01", "cmo-02", "cmo-03")]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('cmo-01', 'context', 0.8, 0.79, 0.0),
     ('cmo-02', 'outside', -0.9, 0.0, -0.8879),
     ('cmo-03', 'nowhere', 0.0, 0.0, 0.0)]
    >>> truth["cmo-03"]["scale"], truth["cmo-03"]["coefficient_scale"], truth["cmo-03"]["context"]
    ('binary', 'log-odds', 'social_housing == 1')
    """
    out = {}
    for cmo in spec.cmos:
        outcome = next(o for o in spec.outcomes if o.name == cmo.outcome)
        entry = {
            "holds": cmo.truth == "context",
            "holds_in": cmo.truth,
            "outcome": cmo.outcome,
            "scale": outcome.scale,
            "outcome_scale": outcome.scale_text,
            "context": cmo.expression,
            "exposure": cmo.exposure,
            "direction": _direction(cmo),
            "coefficient": 0.0 if cmo.truth == "nowhere" else cmo.coef,
            "coefficient_scale": "log-odds" if outcome.scale == "binary" else "outcome",
            "covariates": [cmo.confounder] if cmo.confounder else [],
            **effects[cmo.id],
        }
        out[cmo.id] = entry
    return out


def units_summary(spec: NetworkSpec, units: pd.DataFrame) -> dict:
    """Sample sizes and unit-wave periods for the ground truth.

    Parameters
    ----------
    spec : NetworkSpec
    units : DataFrame
        The units table.

    Returns
    -------
    dict
        ``n``, ``label``, ``areas`` (distinct areas with units) and ``waves``
        (unit wave to its period ``YYYY-MM``).

    Examples
    --------
    >>> from netwerkonderzoek.simulate.examples import get_spec
    >>> spec = get_spec("wijk-noord")
    >>> units_summary(spec, simulate_units(spec, np.random.default_rng(1))[0])
    ... # doctest: +NORMALIZE_WHITESPACE
    {'n': 2200, 'label': 'bewoners', 'areas': 32,
     'waves': {'1': '2022-11', '2': '2023-11', '3': '2024-11'}}
    """
    return {
        "n": len(units),
        "label": spec.unit_label,
        "areas": int(units["area"].nunique()),
        "waves": {
            str(w): month_period(spec.start, m)
            for w, m in enumerate(spec.unit_wave_months, start=1)
        },
    }
