"""Coded qualitative observations in Dutch, generated from templates.

See :mod:`netwerkonderzoek.simulate` for the generative model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .network import active_partners
from .specs import CMOSpec, NetworkSpec, month_date

if TYPE_CHECKING:  # pragma: no cover
    from numpy.random import Generator

__all__ = ["MIX", "SENTIMENT", "simulate_observations"]

#: Share of observation types per kind of truth (supporting, contrasting, doubting).
MIX = {
    "context": {"support": 0.75, "neutral": 0.15, "contradict": 0.10},
    "outside": {"elsewhere": 0.45, "contradict": 0.30, "support_outside": 0.25},
    "nowhere": {"contradict": 0.55, "neutral": 0.30, "support": 0.15},
}
#: Mean and sd of the sentiment of each observation type (clipped to [-1, 1]).
SENTIMENT = {
    "support": (0.55, 0.2),
    "support_outside": (0.5, 0.2),
    "neutral": (0.05, 0.2),
    "elsewhere": (0.0, 0.25),
    "contradict": (-0.4, 0.2),
    "trust": (-0.5, 0.2),
    "broker": (0.55, 0.2),
    "value": (-0.45, 0.2),
    "load": (-0.3, 0.2),
    "network": (0.4, 0.2),
}

_TEMPLATES = {
    "support": (
        "{C}: {r} zorgt ervoor dat {m}. Je ziet dat {o}.",
        "Wat wij merken {c}: door {r} gebeurt het echt dat {m}, en daardoor zie je dat {o}.",
        "Mooi voorbeeld {c}. Dankzij {r} merk ik dat {m}; het resultaat is dat {o}.",
        "{R} werkt {c} goed: je merkt dat {m}. Dat heeft tot gevolg dat {o}.",
    ),
    "neutral": (
        "{R} loopt {c}, maar het is nog te vroeg om te zeggen of {o}.",
        "We zijn {c} gestart met {r}. Sommigen zeggen dat {m}, maar we meten het nog niet.",
        "Over {r} {c} hoor ik wisselende verhalen; niet iedereen merkt dat {o}.",
    ),
    "contradict": (
        "{C} merken we weinig van {r}. Ik zie niet dat {o}.",
        "Eerlijk gezegd levert {r} {c} niet op wat we hoopten: het is niet zo dat {m}.",
        "{R} kost veel tijd, maar {c} zie ik nauwelijks dat {o}.",
    ),
    "elsewhere": (
        "{C} doet {r} weinig, maar {cn} zie je juist wel dat {m} en dat {o}.",
        "Opvallend: {r} werkt vooral {cn}. {C} merken we er veel minder van.",
        "Ons beeld was dat {r} {c} zou werken; in de praktijk zie je het effect vooral {cn}.",
    ),
    "support_outside": (
        "{CN}: {r} zorgt ervoor dat {m}, waardoor {o}.",
        "Juist {cn} zie ik dat {r} het verschil maakt: ik merk dat {m}.",
    ),
}

_ROLE_WEIGHTS = {
    "resident": 0.35,
    "professional": 0.3,
    "partner": 0.2,
    "network_manager": 0.1,
    "funder": 0.05,
}
_PRO_KINDS = ("care", "welfare", "municipality", "housing")


def _cap(text: str) -> str:
    return text[0].upper() + text[1:]


def _fill(template: str, cmo: CMOSpec) -> str:
    parts = {
        "c": cmo.c_phrase,
        "C": _cap(cmo.c_phrase),
        "cn": cmo.c_not_phrase,
        "CN": _cap(cmo.c_not_phrase),
        "r": cmo.resource,
        "R": _cap(cmo.resource),
        "m": cmo.reasoning,
        "o": cmo.o_clause,
    }
    return template.format(**parts)


def _pick(rng: Generator, options: dict[str, float]) -> str:
    names = list(options)
    return names[int(rng.choice(len(names), p=np.array(list(options.values()))))]


def _sentiment(rng: Generator, kind: str) -> float:
    mean, sd = SENTIMENT[kind]
    return round(float(np.clip(rng.normal(mean, sd), -1.0, 1.0)), 2) + 0.0


def _partner_for(spec: NetworkSpec, rng: Generator, role: str, date: str) -> str | None:
    if role not in ("partner", "professional"):
        return None
    active = [spec.partners[i] for i in active_partners(spec, date)]
    if role == "professional":
        active = [p for p in active if p.kind in _PRO_KINDS] or active
    return active[int(rng.integers(len(active)))].id


def _date(spec: NetworkSpec, rng: Generator, first: int, last: int) -> str:
    month = int(rng.integers(first, last + 1))
    return month_date(spec.start, month, int(rng.integers(1, 29)))


def _network_observations(spec: NetworkSpec, rng: Generator, events: pd.DataFrame) -> list:
    names = {p.id: p.name for p in spec.partners}
    waves = spec.wave_months
    trust_row = events[events["title"] == spec.trust_event].iloc[0]
    trust_month = (int(trust_row["date"][:4]) * 12 + int(trust_row["date"][5:7])) - (
        int(spec.start[:4]) * 12 + int(spec.start[5:7])
    )
    trust_end = waves[spec.trust_wave] if spec.trust_wave < len(waves) else spec.months - 1
    g1, g2 = spec.groups
    broker_name = names[spec.broker]
    value_name = names[spec.value_partner]
    items = []
    for _ in range(10):
        text = (
            f"Sinds '{trust_row['title']}' is het vertrouwen aan tafel merkbaar minder; "
            "partners houden informatie meer voor zich en afspraken worden minder nagekomen."
        )
        items.append(("trust", trust_month, trust_end, text, "network", "samenwerking"))
    for _ in range(8):
        text = (
            f"Sinds {broker_name} aanschuift, lopen de lijnen tussen {g1} en {g2} veel beter; "
            "zij brengen de juiste mensen bij elkaar."
        )
        items.append(
            (
                "broker",
                waves[spec.broker_wave - 1] - 2,
                spec.months - 1,
                text,
                "network",
                "samenwerking",
            )
        )
    for _ in range(8):
        text = (
            f"{value_name} steekt steeds meer uren in het netwerk, maar de andere partners "
            "zien steeds minder wat het oplevert. Wat is voor ons nog de businesscase?"
        )
        items.append(("value", spec.months // 2, spec.months - 1, text, "partner", "organisatie"))
    for _ in range(8):
        text = (
            "Het aantal overleggen groeit ons boven het hoofd; de netwerkdrukte is voor "
            "kleinere partners echt een probleem."
        )
        items.append(("load", 3, spec.months - 1, text, "network", ""))
    for _ in range(8):
        text = (
            "Dat we samen hebben afgesproken wat we onder waarde verstaan, helpt om het "
            "gesprek over opbrengsten met bestuurders scherp te voeren."
        )
        items.append(("network", 2, spec.months - 1, text, "network", "samenwerking"))
    rows = []
    for kind, first, last, text, code, domain in items:
        date = _date(spec, rng, max(first, 0), max(min(last, spec.months - 1), first))
        if kind == "value":
            role, partner = "partner", spec.value_partner
        else:
            role = "network_manager" if rng.random() < 0.3 else "partner"
            partner = _partner_for(spec, rng, role, date)
        rows.append((date, role, partner, text, code, _sentiment(rng, kind), domain))
    return rows


def simulate_observations(spec: NetworkSpec, rng: Generator, events: pd.DataFrame) -> pd.DataFrame:
    """Coded observations: about 30 per configuration plus 42 about the network itself.

    Parameters
    ----------
    spec : NetworkSpec
    rng : numpy.random.Generator
        The observations stream (the fifth of
        :func:`~netwerkonderzoek.simulate.simulate_network`).
    events : DataFrame
        The timeline (:func:`~netwerkonderzoek.simulate.network.simulate_events`):
        the trust observations follow the trust event.

    Returns
    -------
    DataFrame
        ``network_id``, ``observation_id`` (``obs-0001`` ...), ``date``,
        ``source_role``, ``partner_id``, ``text``, ``codes``, ``sentiment``,
        ``msc_domain``, ``msc_selected``; sorted by date.

    Examples
    --------
    >>> from netwerkonderzoek.simulate.examples import get_spec
    >>> from netwerkonderzoek.simulate.network import simulate_events
    >>> spec = get_spec("wijk-noord")
    >>> obs = simulate_observations(spec, np.random.default_rng(1), simulate_events(spec))
    >>> len(obs), int((~obs["codes"].str.startswith("cmo-")).sum())
    (281, 42)
    >>> obs.iloc[0][["observation_id", "date", "codes", "sentiment", "msc_domain"]].to_dict()
    ... # doctest: +NORMALIZE_WHITESPACE
    {'observation_id': 'obs-0001', 'date': '2022-09-09', 'codes': 'network', 'sentiment': 0.2,
     'msc_domain': 'samenwerking'}

    Mean sentiment by the planted truth of the configuration observed (mixes
    of :data:`MIX`), and three selected stories per MSC domain:

    >>> truth = {c.id: c.truth for c in spec.cmos}
    >>> holds = obs["codes"].str.split(";").str[0].map(truth)
    >>> obs.groupby(holds)["sentiment"].mean().round(2).to_dict()
    {'context': 0.28, 'nowhere': -0.17, 'outside': 0.0}
    >>> obs.groupby("msc_domain")["msc_selected"].sum().to_dict()
    {'': 0, 'bewoners': 3, 'organisatie': 3, 'samenwerking': 3}
    """
    rows = []
    roles = list(_ROLE_WEIGHTS)
    role_p = np.array(list(_ROLE_WEIGHTS.values()))
    for cmo in spec.cmos:
        for _ in range(int(rng.integers(25, 36))):
            kind = _pick(rng, MIX[cmo.truth])
            templates = _TEMPLATES[kind]
            text = _fill(templates[int(rng.integers(len(templates)))], cmo)
            role = roles[int(rng.choice(len(roles), p=role_p))]
            date = _date(spec, rng, 3, spec.months - 1)
            partner = _partner_for(spec, rng, role, date)
            codes = f"{cmo.id};{cmo.perspective}"
            domain = (
                "bewoners"
                if role == "resident"
                else "organisatie"
                if cmo.form == "indirect"
                else ""
            )
            rows.append((date, role, partner, text, codes, _sentiment(rng, kind), domain))
    rows.extend(_network_observations(spec, rng, events))
    rows.sort(key=lambda r: (r[0], r[3], r[1]))
    frame = pd.DataFrame(
        rows,
        columns=["date", "source_role", "partner_id", "text", "codes", "sentiment", "msc_domain"],
    )
    frame.insert(0, "observation_id", [f"obs-{i:04d}" for i in range(1, len(frame) + 1)])
    frame.insert(0, "network_id", spec.id)
    # Most significant change: per domain the three most positive stories are selected.
    selected = np.zeros(len(frame), dtype=int)
    for domain in ("bewoners", "organisatie", "samenwerking"):
        index = frame.index[frame["msc_domain"] == domain]
        best = frame.loc[index, "sentiment"].sort_values(ascending=False, kind="stable").index[:3]
        selected[best] = 1
    frame["msc_selected"] = selected
    return frame
