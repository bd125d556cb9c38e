"""Monetisation: documented financial proxies, deadweight, attribution and displacement.

See :mod:`netwerkonderzoek.value` for the rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..figures import check_language
from ..formatting import format_euro

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..config import NetworkConfig
from ..vocabulary import PERSPECTIVES
from .definition import BASELINE_MONTHS

__all__ = ["CAVEAT", "Monetisation", "monetise"]


CAVEAT = {
    "nl": (
        "Let op: een bedrag vangt nooit alle waarde van het netwerk. Indirecte waarde, "
        "waardering en het gedeelde verhaal tellen niet mee in deze verhouding; lees haar "
        "naast de waardematrix en de verhalen, niet in plaats daarvan."
    ),
    "en": (
        "Caution: a sum of money never captures all the value of the network. Indirect "
        "value, appreciation and the shared story are not in this ratio; read it next to "
        "the value matrix and the stories, not instead of them."
    ),
}


_PERSPECTIVE_WORDS = {
    "societal": ("Maatschappelijke waarde", "Societal value"),
    "network": ("Waarde voor het netwerk", "Value for the network"),
    "partner": ("Waarde voor partners", "Value for partners"),
}


@dataclass
class Monetisation:
    """Result of :func:`monetise`: proxies, totals per perspective, ratios and the caveat.

    ``ratio`` is (low, central, high) net value of all proxies per euro put
    in; ``by_perspective`` gives the same per value perspective, which is how
    :meth:`summary` reports it (a partner's avoided costs are not societal
    return). ``missing`` lists what the config must still state; while it is
    not empty nothing is monetised and the ratios are NaN.
    """

    table: pd.DataFrame
    investment_eur: float
    deadweight: float
    attribution: float
    gross: tuple[float, float, float]
    net: tuple[float, float, float]
    ratio: tuple[float, float, float]
    caveat: str
    language: str = "nl"
    notes: list[str] = field(default_factory=list)
    displacement: float = float("nan")
    by_perspective: pd.DataFrame | None = None
    missing: list[str] = field(default_factory=list)

    @property
    def available(self) -> bool:
        """Whether a value was computed: proxies given and every choice stated."""
        return len(self.table) > 0 and not self.missing

    def summary(self) -> str:
        """The ratio per perspective with its range, the shares and the caveat, in words.

        Without a result, what the configuration must state first.
        """
        nl = self.language == "nl"
        if not self.available:
            if not self.missing:
                text = (
                    "Geen financiële proxy's in de configuratie: er is niets gemonetiseerd."
                    if nl
                    else "No financial proxies in the configuration: nothing was monetised."
                )
            else:
                text = (
                    (
                        "Niet gemonetiseerd. Daarvoor moet de configuratie nog vastleggen: "
                        if nl
                        else "Not monetised. For that, the configuration must still state: "
                    )
                    + "; ".join(self.missing)
                    + "."
                )
            return f"{text}\n{self.caveat}"
        shares = (
            f"na {100 * self.deadweight:.0f}% deadweight, {100 * self.attribution:.0f}% "
            f"toerekening aan anderen en {100 * self.displacement:.0f}% verplaatsing"
            if nl
            else f"after {100 * self.deadweight:.0f}% deadweight, {100 * self.attribution:.0f}% "
            f"attribution to others and {100 * self.displacement:.0f}% displacement"
        )
        lines = []
        for row in self.by_perspective.itertuples():
            name = _PERSPECTIVE_WORDS[row.perspective][0 if nl else 1]
            mid, low, high = (
                format_euro(v, self.language, cents=True)
                for v in (row.ratio, row.ratio_low, row.ratio_high)
            )
            lines.append(
                f"{name}: {mid} per ingezette euro (bandbreedte {low} – {high} met lage en "
                f"hoge proxy's), {shares}."
                if nl
                else f"{name}: {mid} per euro put in (range {low} – {high} with low and high "
                f"proxies), {shares}."
            )
        spent = format_euro(self.investment_eur, self.language, cents=True)
        lines.append(f"Ingezet: {spent}." if nl else f"Put in: {spent}.")
        return "\n".join(lines) + f"\n{self.caveat}"

    def _repr_html_(self) -> str:
        import html

        lines = "<br>".join(html.escape(line) for line in self.summary().splitlines())
        return f"<p>{lines}</p>" + (self.table.to_html(index=False) if self.available else "")


_SHARE_QUESTIONS = {
    "deadweight": (
        "welk deel was ook zonder het netwerk gebeurd",
        "the share that would have happened anyway",
    ),
    "attribution": ("welk deel komt door anderen", "the share due to others"),
    "displacement": ("welk deel is alleen verplaatst", "the share only moved elsewhere"),
}

_TABLE_COLUMNS = (
    "indicator_id",
    "perspective",
    "form",
    "partner_id",
    "units_improved",
    "proxy_low_eur",
    "proxy_eur",
    "proxy_high_eur",
    "source",
    "year",
    "value_low_eur",
    "value_eur",
    "value_high_eur",
)

_PERSPECTIVE_COLUMNS = (
    "perspective",
    "gross_eur",
    "net_low_eur",
    "net_eur",
    "net_high_eur",
    "ratio_low",
    "ratio",
    "ratio_high",
)


def _missing_choices(config: NetworkConfig, nl: bool) -> list[str]:
    """What the config must still state before anything is monetised, in words."""
    shares = config.monetisation
    missing = []
    for name in ("deadweight", "attribution", "displacement"):
        if shares is None or getattr(shares, name) is None:
            question = _SHARE_QUESTIONS[name][0 if nl else 1]
            missing.append(f"monetisation.{name} (" + question + ")")
    for spec in config.indicators:
        if spec.proxy is not None and spec.proxy.perspective is None:
            missing.append(
                f"indicators.{spec.id}.proxy.perspective ("
                + ("wiens waarde de proxy uitdrukt" if nl else "whose value the proxy expresses")
                + ")"
            )
    return missing


def _share(shares, name: str) -> float:
    """The share ``name`` of ``config.monetisation``; NaN when it is not stated."""
    import numpy as np

    return getattr(shares, name) if shares and getattr(shares, name) is not None else np.nan


def _units_improved(own: pd.DataFrame, sign: float, baseline_months: int) -> float:
    """Signed improvement over each area's baseline, summed over areas and later months."""
    units = 0.0
    for _, area in own.groupby("area", sort=True):
        baseline = area["value"].iloc[:baseline_months].mean()
        after = area["value"].iloc[baseline_months:]
        units += float((sign * (after - baseline)).sum())
    return units


def _proxy_row(spec, indicators: pd.DataFrame, baseline_months: int) -> dict:
    """One row of the proxy table: an indicator's improvement valued at its proxy range."""
    own = indicators[indicators["indicator_id"] == spec.id].sort_values(["area", "period"])
    sign = 1.0 if spec.direction == "increase" else -1.0
    units = _units_improved(own, sign, baseline_months)
    proxy = spec.proxy
    low = proxy.low_eur if proxy.low_eur is not None else proxy.value_eur
    high = proxy.high_eur if proxy.high_eur is not None else proxy.value_eur
    return {
        "indicator_id": spec.id,
        "perspective": spec.perspective,
        "form": spec.form,
        "partner_id": spec.partner_id or "",
        "units_improved": units,
        "proxy_low_eur": low,
        "proxy_eur": proxy.value_eur,
        "proxy_high_eur": high,
        "source": proxy.source,
        "year": proxy.year,
        "value_low_eur": units * (low if units >= 0 else high),
        "value_eur": units * proxy.value_eur,
        "value_high_eur": units * (high if units >= 0 else low),
    }


def _totals(
    part: pd.DataFrame, factor: float, investment: float, missing: list[str]
) -> tuple[tuple, tuple, tuple]:
    """(low, central, high) gross value, net value and ratio of some proxy rows."""
    import numpy as np

    gross = tuple(
        float(part[c].sum()) if len(part) and not missing else np.nan
        for c in ("value_low_eur", "value_eur", "value_high_eur")
    )
    net = tuple(g * factor for g in gross)
    ratio = tuple(n / investment if investment > 0 else np.nan for n in net)
    return gross, net, ratio


def _by_perspective(
    table: pd.DataFrame, factor: float, investment: float, missing: list[str]
) -> pd.DataFrame:
    """Gross and net value and the ratio range per value perspective that has proxies."""
    import pandas as pd

    perspectives = []
    for perspective in PERSPECTIVES:
        part = table[table["perspective"] == perspective]
        if part.empty:
            continue
        g, n, r = _totals(part, factor, investment, missing)
        perspectives.append(
            {
                "perspective": perspective,
                "gross_eur": g[1],
                "net_low_eur": n[0],
                "net_eur": n[1],
                "net_high_eur": n[2],
                "ratio_low": r[0],
                "ratio": r[1],
                "ratio_high": r[2],
            }
        )
    return pd.DataFrame(perspectives, columns=list(_PERSPECTIVE_COLUMNS))


def monetise(
    config: NetworkConfig,
    indicators: pd.DataFrame,
    contributions: pd.DataFrame,
    *,
    baseline_months: int = BASELINE_MONTHS,
    language: str = "nl",
) -> Monetisation:
    """Social-return style valuation of the indicators that have a financial proxy.

    Per indicator with a proxy: the improvement in each area and month after
    the baseline, ``sign x (value - area baseline)`` (area baseline: mean of
    its first ``baseline_months`` months), summed over areas and months, times
    the proxy (low, central, high). Gross value is the sum over indicators;
    net value ``gross x (1 - deadweight) x (1 - attribution) x (1 -
    displacement)`` with the shares from ``config.monetisation``; the ratio
    is net value over the total ``costs_eur`` of the contributions, in total
    and per value perspective.

    Nothing is monetised from defaults: the config must state deadweight,
    attribution and displacement (``monetisation``) and each proxy's
    ``perspective``; otherwise the result is not available and ``missing``
    (and :meth:`Monetisation.summary`) says what is needed.

    Examples
    --------
    >>> import pandas as pd
    >>> from netwerkonderzoek.config import NetworkConfig
    >>> config = NetworkConfig.model_validate({"network_id": "x", "name": "X",
    ...     "mission": "m", "task": "t", "study": {"start": "2024-01", "end": "2024-12",
    ...     "waves": [{"wave": 1, "date": "2024-06-01"}]},
    ...     "monetisation": {"deadweight": 0.5, "attribution": 0.0, "displacement": 0.0},
    ...     "indicators": [{"id": "a", "label_nl": "A", "label_en": "A", "unit": "n",
    ...         "perspective": "societal", "form": "direct", "direction": "decrease",
    ...         "proxy": {"value_eur": 100, "low_eur": 50, "high_eur": 200,
    ...                   "perspective": "societal", "source": "test", "year": 2024}}]})
    >>> rows = pd.DataFrame({"indicator_id": "a", "area": "z",
    ...     "period": ["2024-01", "2024-02"], "value": [10.0, 8.0]})
    >>> spent = pd.DataFrame({"costs_eur": [100.0]})
    >>> monetise(config, rows, spent, baseline_months=1).ratio  # 2 units x 100 x 0.5 / 100
    (0.5, 1.0, 2.0)
    >>> print(monetise(config.model_copy(update={"monetisation": None}), rows, spent).summary())
    ... # doctest: +ELLIPSIS
    Niet gemonetiseerd. Daarvoor moet de configuratie nog vastleggen: monetisation.deadweight ...
    """
    import pandas as pd

    check_language(language)
    missing = _missing_choices(config, language == "nl")
    shares = config.monetisation
    deadweight = _share(shares, "deadweight")
    attribution = _share(shares, "attribution")
    displacement = _share(shares, "displacement")
    rows = [
        _proxy_row(spec, indicators, baseline_months)
        for spec in config.indicators
        if spec.proxy is not None
    ]
    table = pd.DataFrame(rows, columns=list(_TABLE_COLUMNS))
    investment = float(contributions["costs_eur"].sum()) if len(contributions) else 0.0
    factor = (1 - deadweight) * (1 - attribution) * (1 - displacement)
    gross, net, ratio = _totals(table, factor, investment, missing)
    return Monetisation(
        table=table,
        investment_eur=investment,
        deadweight=deadweight,
        attribution=attribution,
        displacement=displacement,
        gross=gross,
        net=net,
        ratio=ratio,
        caveat=CAVEAT[language],
        language=language,
        by_perspective=_by_perspective(table, factor, investment, missing),
        missing=missing,
    )
