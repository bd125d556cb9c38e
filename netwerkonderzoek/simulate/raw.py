r"""Raw partner exports of a simulated network, in the shapes partners send.

:func:`raw_exports` turns a :class:`~netwerkonderzoek.simulate.SimulatedNetwork`'s canonical
``contributions``, ``indicators`` and ``units`` into the files partners would
send, plus the ``sources``, ``harmonisation`` and ``privacy`` sections of the
network configuration that describe them. :func:`netwerkonderzoek.harmonise.harmonise_network`
turns them back into exactly the canonical tables (a test checks equality).

Files (in ``data/raw/<network_id>/``)
-------------------------------------
``urenregistratie.csv``
    The municipality's timesheet system exporting the hours of about half of
    the partners: latin-1, semicolon-separated, a title line above the header,
    ``Organisatie;Maand;Activiteit;Uren;Kosten (EUR);Waardesoort`` with the
    partners' *names* (mapped to ids by ``partner_names``), months as
    ``jan 2024``, decimal commas and thousands dots, Dutch value types, the
    last month of one partner exported twice (exact duplicates), a blank line
    and a trailing ``Totaal`` row.
``inzet-partners.xlsx``
    The other partners' contributions in a workbook: a title block of three
    rows above the header ``Organisatie | Maand | Activiteit | Dagen |
    Kosten (k€) | Waardesoort``, months as Excel dates, hours in days of
    ``hours_per_day`` hours, costs in thousands of euros, a ``Totaal`` row.
``fte-<partner_id>.csv``
    One care or welfare partner sending its own file: UTF-8 with BOM,
    ``Maand;Activiteit;FTE;Kosten;Soort``, months as ``2024-01``, hours as
    FTE of ``fte_hours_per_year / 12`` hours a month, costs in euros with
    thousands dots; the partner id is fixed in the configuration.
``monitor.xlsx``
    The indicator monitor, wide as municipal monitors are: title block, then
    ``Peildatum | Gebied | <indicator> | <indicator> ...``, one row per month
    (an Excel date) and area and one column per indicator, headed with the
    indicator's Dutch label. One source reads it with an ``unpivot``
    (:mod:`netwerkonderzoek.harmonise.unpivot`): the labels are the value
    definition's ``label_nl``, the units its ``unit`` (``unit_from:
    indicators``); the quarterly indicator's cells of the months in its own
    file are blank.
``kwartaal-<indicator_id>.csv``
    One indicator reported per quarter as the stand at the start of the
    quarter (``Q1 2024`` is January's figure, ``quarter: first``): UTF-8 with
    BOM, ``Kwartaal;Gebied;Waarde``. Its other months are in the monitor.
``netwerkenquete-meting-<wave>.csv``
    The partner-network survey per wave as LimeSurvey exports it, for the
    networks of :data:`.survey_raw.SURVEY_NETWORKS` (:mod:`.survey_raw`);
    harmonised into the canonical ``ties``.
``interviews-gecodeerde-segmenten.xlsx``, ``interviews-documenten.xlsx``, ``logboek-verhalen.csv``
    The interviews as MAXQDA exports their coded segments, with the
    researcher's document table, and the logbook of stories and meeting notes,
    for the networks of :data:`.qda_raw.CODED_NETWORKS` (:mod:`.qda_raw`);
    harmonised into the canonical ``observations`` with the ``codebook``
    returned in the configuration.
``energiemonitor-huishoudens.csv``, ``bewonersmonitor.csv``, ``clientregistratie.xlsx``
    The units (households, residents, clients) as the municipality's monitor
    or the care provider's client registration exports them
    (:mod:`.persons`): the raw person number, the direct identifiers
    ``Naam``, ``Adres``, ``Telefoon`` and ``E-mail`` (fake), the wave, the area
    and every attribute under a Dutch header. The source names the person
    number as ``person_id`` and lists the four identifier columns under
    ``drop``; ``privacy.key_file`` names the public demo key, under which the
    person numbers' pseudonyms are the canonical ``unit_id``.

Exactness: every figure is written as the exact decimal of the canonical
value converted (days = hours / 8 and FTE = hours * 12 / 1600 are exact
decimals of the one-decimal hours; k€ = euro / 1000); harmonising converts
back and rounds to ``harmonisation.decimals`` (0.01 hour, the cent), which
recovers the canonical value exactly. A quarterly split (``quarter: split``)
cannot round-trip monthly values that differ within a quarter, so the
examples use ``quarter: first`` for a stand; the pipeline tests cover split.

Workbooks are written byte-identically for the same data: fixed document
properties and a zip with fixed entry timestamps
(:func:`~netwerkonderzoek.simulate.files.xlsx_bytes`).

Examples
--------
>>> from netwerkonderzoek.simulate import simulate_network
>>> exports = raw_exports(simulate_network("wijk-noord", seed=1))
>>> sorted(exports.files)[:2]
['bewonersmonitor.csv', 'fte-buurtbemiddeling-noord.csv']
>>> [s["table"] for s in exports.config["sources"]]  # doctest: +NORMALIZE_WHITESPACE
['contributions', 'contributions', 'contributions', 'indicators', 'indicators', 'ties',
 'units']
>>> exports.config["privacy"]
{'key_file': 'demo.key'}
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .files import csv_bytes, dutch_number, xlsx_bytes
from .persons import DEMO_KEY_FILE, units_export
from .qda_raw import CODED_AT, CODED_NETWORKS, coded_exports
from .survey_raw import survey_exports

if TYPE_CHECKING:  # pragma: no cover
    from .examples import SimulatedNetwork

__all__ = ["RawExports", "raw_exports", "write_raw"]

HOURS_PER_DAY = 8
FTE_HOURS_PER_YEAR = 1600
VALUE_TYPES_NL = {"societal": "maatschappelijk", "network": "netwerk", "partner": "partner"}
MONTHS_NL = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


@dataclass
class RawExports:
    """Raw files (name to bytes) and the configuration sections describing them."""

    files: dict[str, bytes] = field(default_factory=dict)
    config: dict = field(default_factory=dict)

    def write(self, folder: str | Path) -> list[Path]:
        """Write every file into ``folder``; return the paths, sorted by name."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for name in sorted(self.files):
            path = folder / name
            path.write_bytes(self.files[name])
            paths.append(path)
        return paths


def _dec(value: float) -> Decimal:
    return Decimal(repr(float(value)))


def _days(hours: float) -> Decimal:
    return _dec(hours) / HOURS_PER_DAY


def _fte(hours: float) -> Decimal:
    return _dec(hours) * 12 / FTE_HOURS_PER_YEAR


def _keur(euro: float) -> Decimal:
    return _dec(euro) / 1000


def _month_nl(period: str) -> str:
    return f"{MONTHS_NL[int(period[5:7]) - 1]} {period[:4]}"


def _first_day(period: str) -> dt.datetime:
    return dt.datetime(int(period[:4]), int(period[5:7]), 1)


def _quarter(period: str) -> str:
    return f"Q{(int(period[5:7]) - 1) // 3 + 1} {period[:4]}"


def _split_partners(partners: pd.DataFrame, active: list[str]) -> tuple[str, list[str], list[str]]:
    """The FTE partner (first care/welfare partner), then alternate the rest: CSV, XLSX."""
    kinds = dict(zip(partners["partner_id"], partners["kind"], strict=True))
    fte = next((p for p in active if kinds[p] in ("care", "welfare")), active[0])
    rest = [p for p in active if p != fte]
    return fte, rest[0::2], rest[1::2]


def _timesheet_csv(rows: pd.DataFrame, names: dict[str, str]) -> bytes:
    rows = rows.sort_values(["period", "partner_id", "activity"], kind="stable")
    body = [
        [
            names[r.partner_id],
            _month_nl(r.period),
            r.activity,
            dutch_number(_dec(r.hours)),
            dutch_number(_dec(r.costs_eur)),
            VALUE_TYPES_NL[r.value_type],
        ]
        for r in rows.itertuples(index=False)
    ]
    # The last month of the first partner was exported twice.
    last = rows[rows["partner_id"] == rows["partner_id"].iloc[0]]
    last = last[last["period"] == last["period"].max()]
    repeats = [body[rows.index.get_loc(i)] for i in last.index]
    hours = sum((_dec(h) for h in rows["hours"]), Decimal(0))
    costs = sum((_dec(c) for c in rows["costs_eur"]), Decimal(0))
    lines = [
        ["Urenoverzicht netwerkpartners, geëxporteerd uit de urenregistratie"],
        ["Organisatie", "Maand", "Activiteit", "Uren", "Kosten (EUR)", "Waardesoort"],
        *body,
        *repeats,
        [],
        ["Totaal", "", "", dutch_number(hours), dutch_number(costs), ""],
    ]
    return csv_bytes(lines, "latin-1")


def _contributions_xlsx(rows: pd.DataFrame, names: dict[str, str], title: str) -> bytes:
    rows = rows.sort_values(["partner_id", "period", "activity"], kind="stable")
    body = [
        [
            names[r.partner_id],
            _first_day(r.period),
            r.activity,
            float(_days(r.hours)),
            float(_keur(r.costs_eur)),
            VALUE_TYPES_NL[r.value_type],
        ]
        for r in rows.itertuples(index=False)
    ]
    days = float(sum((_days(h) for h in rows["hours"]), Decimal(0)))
    keur = float(sum((_keur(c) for c in rows["costs_eur"]), Decimal(0)))
    sheet = [
        [f"Inzet partners {title}"],
        ["Uren in dagen van 8 uur, kosten in duizenden euro's"],
        [],
        ["Organisatie", "Maand", "Activiteit", "Dagen", "Kosten (k€)", "Waardesoort"],
        *body,
        ["Totaal", None, None, days, keur, None],
    ]
    return xlsx_bytes({"Inzet": sheet}, {("Inzet", "B"): "mmm yyyy"})


def _fte_csv(rows: pd.DataFrame) -> bytes:
    rows = rows.sort_values(["period", "activity"], kind="stable")
    lines = [["Maand", "Activiteit", "FTE", "Kosten", "Soort"]]
    lines += [
        [
            r.period,
            r.activity,
            dutch_number(_fte(r.hours)),
            dutch_number(_dec(r.costs_eur)),
            VALUE_TYPES_NL[r.value_type],
        ]
        for r in rows.itertuples(index=False)
    ]
    return "\ufeff".encode() + csv_bytes(lines, "utf-8")


def _monitor_xlsx(rows: pd.DataFrame, labels: dict[str, str], title: str) -> bytes:
    """The monitor wide: a row per month and area, a column per indicator (blank if none)."""
    ids = list(labels)
    values = {
        (r.period, r.area, r.indicator_id): float(_dec(r.value))
        for r in rows.itertuples(index=False)
    }
    keys = sorted({(r.period, r.area) for r in rows.itertuples(index=False)})
    body = [
        [_first_day(period), area, *(values.get((period, area, i)) for i in ids)]
        for period, area in keys
    ]
    sheet = [
        [f"Monitor {title}"],
        [],
        ["Peildatum", "Gebied", *(labels[i] for i in ids)],
        *body,
    ]
    return xlsx_bytes({"Monitor": sheet}, {("Monitor", "A"): "yyyy-mm-dd"})


def _quarter_csv(rows: pd.DataFrame) -> bytes:
    lines = [["Kwartaal", "Gebied", "Waarde"]]
    lines += [
        [_quarter(r.period), r.area, dutch_number(_dec(r.value))]
        for r in rows.itertuples(index=False)
    ]
    return "\ufeff".encode() + csv_bytes(lines, "utf-8")


def raw_exports(sim: SimulatedNetwork) -> RawExports:
    """The raw partner exports of a simulated network and their configuration.

    Parameters
    ----------
    sim : SimulatedNetwork

    Returns
    -------
    RawExports
        ``files`` maps file names to bytes; ``config`` holds the ``sources``
        and ``harmonisation`` sections of the network configuration (and
        ``codebook`` and ``privacy`` where the network has them).

    Examples
    --------
    >>> from netwerkonderzoek.simulate import simulate_network
    >>> sim = simulate_network("wijk-noord", seed=1)
    >>> exports = raw_exports(sim)
    >>> list(exports.config), exports.config["harmonisation"]["fte_hours_per_year"]
    (['sources', 'harmonisation', 'privacy'], 1600)

    The FTE partner's first month: 1.2 hours is exactly 1.2 * 12 / 1600 = 0.009 FTE.

    >>> c = sim.tables["contributions"]
    >>> c[c["partner_id"] == "buurtbemiddeling-noord"].iloc[0, 2:6].to_dict()
    {'period': '2023-01', 'activity': 'eigen-organisatie', 'hours': 1.2, 'costs_eur': 83.13}
    >>> exports.files["fte-buurtbemiddeling-noord.csv"].decode("utf-8-sig").splitlines()[:2]
    ['Maand;Activiteit;FTE;Kosten;Soort', '2023-01;eigen-organisatie;0,009;83,13;partner']

    The timesheet export ends with a blank line and a total in Dutch notation:

    >>> exports.files["urenregistratie.csv"].decode("latin-1").splitlines()[-2:]
    ['', 'Totaal;;;4.074,2;382.869,48;']
    """
    files, sources = _contribution_exports(sim)
    for more_files, more_sources in (_indicator_exports(sim), _survey_exports(sim)):
        files.update(more_files)
        sources.extend(more_sources)
    book = None
    if _is_coded(sim):  # the interviews and the logbook (.qda_raw)
        coded_files, coded_sources, book = _coded_exports(sim)
        files.update(coded_files)
        sources.extend(coded_sources)
    if sim.person_ids:
        name, data, source = _units_export(sim)
        files[name] = data
        sources.append(source)
    return RawExports(files, _raw_config(sim, sources, book))


def _contribution_exports(sim: SimulatedNetwork) -> tuple[dict[str, bytes], list[dict]]:
    """The contributions as timesheet CSV, workbook and one FTE file, with their sources."""
    partners = sim.tables["partners"]
    contributions = sim.tables["contributions"]
    names = dict(zip(partners["partner_id"], partners["name"], strict=True))
    active = sorted(contributions["partner_id"].unique())
    fte_partner, csv_partners, xlsx_partners = _split_partners(partners, active)
    title = sim.config["name"]
    files = {
        "urenregistratie.csv": _timesheet_csv(
            contributions[contributions["partner_id"].isin(csv_partners)], names
        ),
        "inzet-partners.xlsx": _contributions_xlsx(
            contributions[contributions["partner_id"].isin(xlsx_partners)], names, title
        ),
        f"fte-{fte_partner}.csv": _fte_csv(
            contributions[contributions["partner_id"] == fte_partner]
        ),
    }
    sources = [
        _timesheet_source({names[p]: p for p in csv_partners}),
        _workbook_source({names[p]: p for p in xlsx_partners}),
        _fte_source(fte_partner),
    ]
    return files, sources


def _value_types() -> dict[str, str]:
    """The Dutch value types mapped to the canonical ones (a source's ``values``)."""
    return {nl: en for en, nl in VALUE_TYPES_NL.items()}


def _timesheet_source(partner_names: dict[str, str]) -> dict:
    """The source entry of ``urenregistratie.csv``."""
    return {
        "file": "urenregistratie.csv",
        "table": "contributions",
        "encoding": "latin-1",
        "header_row": 2,
        "columns": {
            "partner_id": "Organisatie",
            "period": "Maand",
            "activity": "Activiteit",
            "hours": "Uren",
            "costs_eur": "Kosten (EUR)",
            "value_type": "Waardesoort",
        },
        "partner_names": partner_names,
        "values": {"value_type": _value_types()},
        "period_format": "month_name",
    }


def _workbook_source(partner_names: dict[str, str]) -> dict:
    """The source entry of ``inzet-partners.xlsx``."""
    return {
        "file": "inzet-partners.xlsx",
        "table": "contributions",
        "sheet": "Inzet",
        "header_row": 4,
        "columns": {
            "partner_id": "Organisatie",
            "period": "Maand",
            "activity": "Activiteit",
            "hours": "Dagen",
            "costs_eur": "Kosten (k€)",
            "value_type": "Waardesoort",
        },
        "partner_names": partner_names,
        "values": {"value_type": _value_types()},
        "units": {"hours": "days", "costs_eur": "keur"},
        "period_format": "excel",
    }


def _fte_source(fte_partner: str) -> dict:
    """The source entry of the FTE partner's ``fte-<partner_id>.csv``."""
    return {
        "file": f"fte-{fte_partner}.csv",
        "table": "contributions",
        "encoding": "utf-8-sig",
        "columns": {
            "period": "Maand",
            "activity": "Activiteit",
            "hours": "FTE",
            "costs_eur": "Kosten",
            "value_type": "Soort",
        },
        "partner_id": fte_partner,
        "values": {"value_type": _value_types()},
        "units": {"hours": "fte"},
        "period_format": "iso",
    }


def _indicator_exports(sim: SimulatedNetwork) -> tuple[dict[str, bytes], list[dict]]:
    """The indicators as the wide monitor and one quarterly file, with their sources."""
    indicators = sim.tables["indicators"]
    title = sim.config["name"]
    specs = {i["id"]: i for i in sim.config["indicators"]}
    quarterly = next((i for i, s in specs.items() if s.get("partner_id")), list(specs)[-1])
    first_month = indicators["period"].str[5:7].isin(["01", "04", "07", "10"])
    in_quarter_file = (indicators["indicator_id"] == quarterly) & first_month
    quarter_unit = specs[quarterly]["unit"]
    files = {
        "monitor.xlsx": _monitor_xlsx(
            indicators[~in_quarter_file], {i: s["label_nl"] for i, s in specs.items()}, title
        ),
        f"kwartaal-{quarterly}.csv": _quarter_csv(indicators[in_quarter_file]),
    }
    sources = [
        {
            "file": "monitor.xlsx",
            "table": "indicators",
            "sheet": "Monitor",
            "header_row": 3,
            "columns": {"period": "Peildatum", "area": "Gebied"},
            "unpivot": {"name_to": "indicator_id", "value_to": "value", "unit_from": "indicators"},
            "period_format": "excel",
        },
        {
            "file": f"kwartaal-{quarterly}.csv",
            "table": "indicators",
            "encoding": "utf-8-sig",
            "columns": {"period": "Kwartaal", "area": "Gebied", "value": "Waarde"},
            "constants": {"indicator_id": quarterly, "unit": quarter_unit},
            "period_format": "quarter",
            "quarter": "first",
        },
    ]
    return files, sources


def _survey_exports(sim: SimulatedNetwork) -> tuple[dict[str, bytes], list[dict]]:
    """The partner-network survey waves and their sources (:mod:`.survey_raw`)."""
    return survey_exports(sim)


def _is_coded(sim: SimulatedNetwork) -> bool:
    """Whether the network's interviews ship as a MAXQDA export (:mod:`.qda_raw`)."""
    return sim.network_id in CODED_NETWORKS


def _coded_at(until: str | None) -> dt.datetime:
    """When the interviews were coded: :data:`.qda_raw.CODED_AT`, or by the cut-off month's end."""
    if until is None or CODED_AT.strftime("%Y-%m") <= until:
        return CODED_AT
    year, month = int(until[:4]), int(until[5:7])
    day = calendar.monthrange(year, month)[1]
    return dt.datetime(year, month, day, CODED_AT.hour, CODED_AT.minute)


def _coded_exports(sim: SimulatedNetwork) -> tuple[dict[str, bytes], list[dict], dict]:
    """The interviews and the logbook, their sources and the code book (:mod:`.qda_raw`).

    A network cut off at a month (``sim.until``) was coded by the end of that month.
    """
    return coded_exports(
        sim.tables["observations"], sim.tables["partners"], coded_at=_coded_at(sim.until)
    )


def _units_export(sim: SimulatedNetwork) -> tuple[str, bytes, dict]:
    """The units as the monitor or client registration exports them (:mod:`.persons`)."""
    return units_export(
        sim.spec,
        sim.tables["units"],
        sim.person_ids,
        sim.config["study"]["seed"],
    )


def _raw_config(sim: SimulatedNetwork, sources: list[dict], book: dict | None) -> dict:
    """The configuration sections: sources, harmonisation, and code book and privacy if any."""
    harmonisation = {
        "hours_per_day": HOURS_PER_DAY,
        "fte_hours_per_year": FTE_HOURS_PER_YEAR,
        "decimals": {"hours": 2, "costs_eur": 2},
    }
    config = {"sources": sources, "harmonisation": harmonisation}
    if _is_coded(sim):
        config["codebook"] = book
    if sim.person_ids:
        config["privacy"] = {"key_file": DEMO_KEY_FILE}
    return config


def write_raw(sim: SimulatedNetwork, data_dir: str | Path = "data") -> list[Path]:
    """Write a simulated network's raw exports to ``data_dir/raw/<network_id>/``.

    Parameters
    ----------
    sim : SimulatedNetwork
    data_dir : str or Path, default "data"
        The data folder; the files go to ``raw/<network_id>/`` inside it.

    Returns
    -------
    list of Path
        The files written, sorted by name.

    Examples
    --------
    >>> import tempfile
    >>> from netwerkonderzoek.simulate import simulate_network
    >>> sim = simulate_network("wijk-noord", seed=1)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = write_raw(sim, tmp)
    ...     written = [p.relative_to(tmp).as_posix() for p in paths]
    >>> len(written), written[:3]  # doctest: +NORMALIZE_WHITESPACE
    (10, ['raw/wijk-noord/bewonersmonitor.csv', 'raw/wijk-noord/fte-buurtbemiddeling-noord.csv',
          'raw/wijk-noord/inzet-partners.xlsx'])
    >>> written[3:]  # doctest: +NORMALIZE_WHITESPACE
    ['raw/wijk-noord/kwartaal-huurachterstanden.csv', 'raw/wijk-noord/monitor.xlsx',
     'raw/wijk-noord/netwerkenquete-meting-1.csv', 'raw/wijk-noord/netwerkenquete-meting-2.csv',
     'raw/wijk-noord/netwerkenquete-meting-3.csv', 'raw/wijk-noord/netwerkenquete-meting-4.csv',
     'raw/wijk-noord/urenregistratie.csv']
    """
    return raw_exports(sim).write(Path(data_dir) / "raw" / sim.network_id)
