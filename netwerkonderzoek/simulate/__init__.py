r"""Simulated example networks with a documented generative model and known truth.

:func:`simulate_network` draws one of the three example networks of the
background article (Platform31 2022) and :func:`write_examples` writes them to
``config/`` and ``data/``. Everything planted is recorded in
``data/<network_id>/ground_truth.json``; later tests check that the analyses
recover it.

========================  ====================================================
``energie-regio``         regional energy transition (Veenstroom), households
``wijk-noord``            liveability of a neighbourhood (Zuiderhaven-Noord),
                          residents
``ggz-netwerk``           integrated care for residents with a psychological
                          vulnerability (Maasoever), clients
========================  ====================================================

The fixed parameters of each network (partners, waves, indicators, CMO
configurations, effect sizes) are in :mod:`.energie_regio`, :mod:`.wijk_noord`
and :mod:`.ggz_netwerk`; the dataclasses in :mod:`.specs`.

Randomness
----------
All draws come from ``numpy.random.SeedSequence([seed, network_index]).spawn(5)``
(network_index = position in :data:`EXAMPLE_NETWORKS`): one generator each
for ties, contributions, indicators, units and observations. The base seed is
written to ``study.seed`` in the config and ``seed`` in the ground truth.
``logit(p) = log(p / (1 - p))``, ``expit`` its inverse.

Generative model
----------------
1. **Partners** (15-40) come from the specification: kind (``tables.PARTNER_KINDS``),
   ``joined``/``left`` dates; 2-3 partners join after wave 1 and 1-2 leave.
   A partner takes part in a wave if ``joined <= wave date < left``. A planted
   **core** (4-5 partners, ``ground_truth.network.core``).
2. **Ties** per wave and tie type (``tables.TIE_TYPES``), directed i -> j among
   active partners, Bernoulli with
   ``logit p = a[type] + 2.2 [i, j both core] + 1.1 [exactly one core]
   + 0.8 [same kind] - 2.5 [i, j in different broker groups] + e_ij + 0.08 (wave - 1)``,
   ``a = information -1.6, joint_delivery -2.4, shared_resources -3.0,
   shared_clients -2.6``, ``e_ij = e_ji ~ N(0, 0.5)`` fixed over waves and types.
   Reciprocity: an asymmetric tie is returned with probability 0.4.
   Weight (meetings per month) ``= min(0.5 + Gamma(2, 0.5 (1 + core_i + core_j)), 8)``,
   1 decimal. **Broker**: before its wave k all its logits get -1.0; from wave
   k its ``information`` and ``joint_delivery`` ties to and from both groups
   ("a" and "b", otherwise weakly connected by the -2.5 term) have logit 2.5.
   **Ratings** (1-4) are per (wave, source, target), the same on every tie
   type of that dyad: ``rint(latent + N(0, 0.45))`` clipped to 1-4, 2% missing.
   Trust items (reliability, mission_support, open_discussion):
   ``latent = 3.0 + r_j + d_ij + N(0, 0.2) + shift(wave)`` with target
   reputation ``r_j ~ N(0, 0.25)``, dyad term ``d_ij ~ N(0, 0.35)``; **trust
   drop** ``shift = -size`` in the trust wave and ``-0.4 size`` after it
   (size 0.6-0.8), preceded by the trust event on the timeline. Value items
   (power_influence, involvement, resource_contribution):
   ``latent = 2.7 + 0.4 core_j + r_j + d_ij + N(0, 0.2)``, minus
   ``1.0 (wave - 1) / (number of waves - 1)`` for ratings received by the
   **value partner** (a fall of 1 point from the first to the last wave).
3. **Contributions** per active month and activity (value_type societal,
   network, partner, with shares): ``hours = level * share * season * trend *
   LogNormal(0, 0.25)``, level 40 (core) or 12 h/month (halved for residents'
   groups) times ``LogNormal(0, 0.3)``, season 0.6 in July/August and 0.8 in
   December, ``trend = 1 + b t`` with ``b ~ N(0, 0.004)`` and ``b = 0.04`` for
   the value partner (hours rise while its value ratings fall). Non-core
   partners skip an activity-month with probability 0.1.
   ``costs_eur = hours * rate[kind]`` (municipality 95, housing 85, care 90,
   welfare 70, energy 80, residents 0, other 100) plus ``Gamma(2, 400)`` material
   costs for 20% of societal rows.
4. **Indicators** (6 per network, all perspectives and both forms) per month t
   and area (6-8 regions): ``base + N(0, area_sd) + trend t + u_t`` with AR(1)
   noise ``u_t = 0.3 u_(t-1) + N(0, noise_sd)``, clipped to the indicator's
   range and rounded. **Planted change**: in the treated regions, from the
   month of the change event, ``+ level + slope (t - t0)``; comparison regions
   follow the same common trend (parallel trends hold by construction).
5. **Units** (2,100-2,200; one row per unit; unit waves 1-3 of equal size) in
   24-32 areas ``<region>-<k>`` with Dirichlet(8) area sizes. Covariates: age
   ``rint(N(mean, sd))`` clipped, ``female ~ Bernoulli(0.52)``, income (k euro)
   ``exp(N(log 32, 0.45))``. Context attributes: scale (0-10, 1 decimal)
   ``clip(N(mean, area_sd)[area] + N(0, unit_sd))``; binary
   ``logit p = logit(mean) + s_inc (income - 30)/10 + s_age (age - 45)/10 + N(0, area_sd)[area]``.
   Exposure (0/1) per configuration:
   ``logit p = logit(rate) + 0.2 (unit wave - 1) + g (confounder centred)``;
   where ``g != 0`` the confounder also affects the outcome and the theory
   lists it under ``covariates``. Outcome linear predictor:
   ``base + b_age (age - 45)/10 + b_inc (income - 30)/10 + sum c_k context_k
   + N(0, area_sd)[area] + sum over configurations of coef * exposure * W``,
   ``W = [in stated context]`` (holds in context), ``[not in stated context]``
   (holds only outside) or 0 (holds nowhere). Continuous outcomes add
   ``N(0, noise_sd)`` and are clipped to 0-10 (2 decimals); binary outcomes
   are ``Bernoulli(expit(predictor))``.
   Each unit has a raw person number (``HH-``, ``BW-`` or ``CL-`` and six
   digits, a fixed permutation of its sequence number) and its ``unit_id`` is
   the number's pseudonym under the public demo key (``config/demo.key``);
   the units are sorted by ``unit_id`` and wave. The raw units export with
   the person numbers and fake names, addresses, phone numbers and e-mail
   addresses (their own random stream) is described in :mod:`.persons`.
6. **Theory** (8 configurations per network: 3 holding in the stated context,
   3 holding only outside it, 2 holding nowhere; 2-4 with a binary outcome),
   one exposure column per configuration. Effects: 0.6-1.0 on a 0-10 scale
   (about 0.5-0.7 SD) or 0.6-0.8 log-odds (13-17 percentage points); the
   power to detect them at the shipped sample sizes is above 0.9.
7. **Ground truth** per configuration id: ``holds``, ``holds_in``
   (context / outside / nowhere), ``effect`` and ``effect_outside`` = mean over
   the simulated units in (outside) the stated context of
   ``response(predictor without the term + coef W) - response(predictor without the term)``
   (continuous: same noise, clipped: for an additive model this is the
   coefficient up to clipping; binary: ``expit``, the average marginal effect),
   plus ``coefficient``, ``outcome``, ``scale``, ``outcome_scale``, ``context``,
   ``exposure``, ``covariates``, ``outcome_sd``, ``share_in_context``. Further
   keys: ``network`` (core, broker + wave + groups, trust_drop event/wave/size
   and the observed drop), ``value`` (partner, planted trends and observed
   means), ``indicators`` (the planted change), ``units``, ``seed``.
8. **Observations** (25-35 per configuration plus 42 about the network):
   Dutch template text naming context, resource, reasoning and outcome.
   Mix per truth: context - 75% supporting, 15% neutral, 10% contradicting;
   outside - 45% "works elsewhere", 30% contradicting, 25% supporting in the
   complement; nowhere - 55% contradicting, 30% neutral, 15% supporting.
   Sentiment ``N(mean, 0.2)`` clipped to [-1, 1] (supporting 0.55,
   neutral 0.05, elsewhere 0.0, contradicting -0.4). Codes ``<cmo id>;<value
   type>``; network observations (trust after the trust event, the broker,
   the value partner, network load) carry only a value type. ``msc_domain``
   is bewoners / organisatie / samenwerking or empty; per domain the three most
   positive stories have ``msc_selected = 1``.
9. **Events**: the specified policy, funding and milestone events plus one
   ``partner_joins``/``partner_leaves`` event per partner joining during the
   study or leaving (on its ``joined``/``left`` date).

Cut-off month
-------------
``simulate_network(network_id, seed, until="YYYY-MM")`` (and
``write_examples(..., until=...)``, ``netwerkonderzoek simulate --until``)
gives the network as known at the end of that month, for an interim
evaluation: the full network is simulated with the same streams and cut
(:mod:`.cutoff`), so everything dated up to the month is identical to the
full simulation and everything after it is absent. The ground truth then
records ``until``; its observed quantities are those of the cut data, the
CMO effects are over the units kept, and the planted changes say whether
they are ``observed`` yet. The cross-network set (:mod:`.crossnet`) is not
cut.

Examples
--------
>>> from netwerkonderzoek.simulate import simulate_network
>>> sim = simulate_network("ggz-netwerk", seed=7)
>>> sim.ground_truth["network"]["broker"]["partner_id"]
'wijkconsulenten-ggz'
>>> len(sim.theory["configurations"])
8
"""

from .core import simulate_network, write_examples, write_network
from .cutoff import check_until
from .examples import DEFAULT_SEED, EXAMPLE_NETWORKS, SimulatedNetwork

__all__ = [
    "DEFAULT_SEED",
    "EXAMPLE_NETWORKS",
    "SimulatedNetwork",
    "check_until",
    "simulate_network",
    "write_examples",
    "write_network",
]
