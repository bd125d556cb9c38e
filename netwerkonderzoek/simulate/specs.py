"""Specifications of the simulated example networks (plain, frozen data).

A :class:`NetworkSpec` holds every fixed parameter of one example network:
its partners, survey waves, activities, indicators, unit model and programme
theory, and which truths are planted where. The random draws are made by the
other modules of :mod:`netwerkonderzoek.simulate` from these parameters.

Months are counted from the study start: month 0 is ``study.start``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = [
    "CMOSpec",
    "ContextSpec",
    "EventSpec",
    "IndicatorDef",
    "NetworkSpec",
    "OutcomeSpec",
    "PartnerSpec",
    "add_months",
    "month_date",
    "month_period",
]


def add_months(start: str, months: int) -> tuple[int, int]:
    """Year and month ``months`` after the period ``start`` (``YYYY-MM``).

    Parameters
    ----------
    start : str
        A period ``YYYY-MM``.
    months : int
        Months to add; may be negative or cross a year boundary.

    Returns
    -------
    (int, int)
        Year and month (1-12).

    Examples
    --------
    >>> add_months("2022-11", 3), add_months("2023-01", -1), add_months("2022-07", 29)
    ((2023, 2), (2022, 12), (2024, 12))
    """
    year, month = (int(x) for x in start.split("-"))
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def month_period(start: str, months: int) -> str:
    """The period ``YYYY-MM`` that lies ``months`` after ``start``.

    Examples
    --------
    >>> month_period("2022-11", 3)
    '2023-02'
    """
    year, month = add_months(start, months)
    return f"{year:04d}-{month:02d}"


def month_date(start: str, months: int, day: int = 15) -> str:
    """The date ``YYYY-MM-DD`` on ``day`` of the month ``months`` after ``start``.

    Parameters
    ----------
    start : str
        A period ``YYYY-MM``.
    months : int
        Months after ``start``.
    day : int, default 15
        Day of the month (the survey waves' fieldwork day).

    Returns
    -------
    str

    Examples
    --------
    >>> month_date("2022-11", 3), month_date("2022-11", 0, day=1)
    ('2023-02-15', '2022-11-01')
    """
    year, month = add_months(start, months)
    return dt.date(year, month, day).isoformat()


@dataclass(frozen=True)
class PartnerSpec:
    """A partner organisation. ``joined``/``left`` are dates ``YYYY-MM-DD``."""

    id: str
    name: str
    kind: str
    sector: str
    joined: str
    left: str | None = None
    core: bool = False
    group: str | None = None  # one of the two groups the broker connects


@dataclass(frozen=True)
class EventSpec:
    """A timeline event (joins and leaves are derived from the partners)."""

    date: str
    title: str
    kind: str
    description: str
    partner_id: str | None = None


@dataclass(frozen=True)
class IndicatorDef:
    """An indicator: its value definition (config) and its generating parameters.

    value(area, month t) = base + area offset ~ N(0, area_sd) + trend * t
    + AR(1) noise (phi 0.3, innovation sd noise_sd), clipped at ``lower``.
    """

    id: str
    label_nl: str
    label_en: str
    unit: str
    perspective: str
    form: str
    direction: str
    base: float
    area_sd: float
    trend: float
    noise_sd: float
    partner_id: str | None = None
    decimals: int = 2
    lower: float = 0.0
    upper: float | None = None
    proxy: dict | None = None  # config ``proxy`` (financial proxy), written as given


@dataclass(frozen=True)
class ContextSpec:
    """A context attribute of units.

    ``scale`` attributes (0-10): unit value = clip(area mean + N(0, unit_sd), 0, 10)
    with area mean ~ N(mean, area_sd). ``binary`` attributes (0/1):
    logit P(1) = logit(mean) + income_slope * (income - 30) / 10 + N(0, area_sd) per area.
    """

    name: str
    kind: str  # "scale" | "binary"
    mean: float
    area_sd: float
    unit_sd: float = 0.0
    income_slope: float = 0.0
    age_slope: float = 0.0
    description: str = ""


@dataclass(frozen=True)
class OutcomeSpec:
    """An outcome measure of units.

    Linear predictor (outcome scale for ``continuous``, log-odds for
    ``binary``): base + age_effect * (age - 45) / 10 + income_effect *
    (income - 30) / 10 + sum(context_effects[c] * c) + area effect ~ N(0, area_sd)
    + sum over configurations of coef * exposure * [true context]
    (+ noise ~ N(0, noise_sd) for continuous outcomes, then clipped to [lo, hi]).
    """

    name: str
    scale: str  # "continuous" | "binary"
    scale_text: str  # human text, e.g. "welzijn 0-10"
    base: float
    area_sd: float
    noise_sd: float = 0.0
    age_effect: float = 0.0
    income_effect: float = 0.0
    context_effects: tuple[tuple[str, float], ...] = ()
    lo: float = 0.0
    hi: float = 10.0


@dataclass(frozen=True)
class CMOSpec:
    """One CMO configuration: its statement parts and its true effect.

    ``truth`` is ``context`` (the mechanism works in the stated context),
    ``outside`` (it works only in the complement of the stated context) or
    ``nowhere`` (no effect). ``coef`` is the effect where it works: on the
    outcome scale (continuous) or in log-odds (binary). Exposure:
    logit P(exposure) = logit(exposure_rate) + 0.2 * (unit wave - 1)
    + confounding * standardised confounder.
    """

    id: str
    truth: str
    perspective: str
    form: str
    expression: str
    c_description: str
    c_phrase: str  # "bij huishoudens met ..." (lower case, no full stop)
    c_not_phrase: str  # the complement, same style
    resource: str  # noun phrase with article: "een huisbezoek door een energiecoach"
    resource_label: str  # "Huisbezoek door een energiecoach"
    reasoning: str  # subordinate clause: "bewoners concrete besparingskansen zien"
    exposure: str
    outcome: str
    o_clause: str  # subordinate clause: "meer huishoudens een maatregel nemen"
    o_description: str
    coef: float
    exposure_rate: float = 0.4
    confounder: str | None = None
    confounding: float = 0.0


@dataclass(frozen=True)
class NetworkSpec:
    """All fixed parameters of one example network."""

    id: str
    index: int
    name: str
    mission: str
    task: str
    start: str
    months: int
    wave_months: tuple[int, ...]
    partners: tuple[PartnerSpec, ...]
    activities: tuple[tuple[str, str, float], ...]  # (activity, value_type, share)
    events: tuple[EventSpec, ...]
    broker: str
    broker_wave: int
    groups: tuple[str, str]  # Dutch names of the two groups the broker connects
    trust_event: str  # title of the event preceding the trust drop
    trust_wave: int
    trust_drop: float
    value_partner: str
    indicators: tuple[IndicatorDef, ...]
    regions: tuple[str, ...]  # indicator areas; unit areas are "<region>-<k>"
    its_indicator: str
    its_treated: tuple[str, ...]
    its_event: str  # title of the event that starts the indicator change
    its_month: int
    its_level: float
    its_slope: float
    unit_prefix: str
    unit_label: str  # "bewoners", "huishoudens", "cliënten"
    n_units: int
    areas_per_region: int
    unit_wave_months: tuple[int, ...]
    age: tuple[float, float, int, int]  # mean, sd, min, max
    contexts: tuple[ContextSpec, ...]
    outcomes: tuple[OutcomeSpec, ...]
    cmos: tuple[CMOSpec, ...]
    theory_name: str
    theory_date: str
    monetisation: dict | None = None  # config ``monetisation`` (deadweight, attribution)
    studies: tuple[dict, ...] = ()  # config ``studies`` (the research agenda)

    def wave_dates(self) -> list[str]:
        """Fieldwork dates of the partner survey waves."""
        return [month_date(self.start, m) for m in self.wave_months]

    @property
    def end(self) -> str:
        """Last period of the study."""
        return month_period(self.start, self.months - 1)
