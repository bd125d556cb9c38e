r"""The interviews of an example network, as MAXQDA exports them; its stories as a logbook.

For the networks in :data:`CODED_NETWORKS` the qualitative evidence does not
ship as a canonical table but as a researcher would have it:

``interviews-gecodeerde-segmenten.xlsx``
    MAXQDA's "Overzicht gecodeerde segmenten" in a Dutch install: one row per
    segment and code (``Kleur | Documentgroep | Documentnaam | Code | Begin |
    Einde | Segment | Gewicht | Gemaakt door | Aangemaakt op``), a segment
    with a configuration code and a value-type code on two rows, code names
    with their hierarchy (``CMO3\Ondersteunt``, ``Waarde\Maatschappelijk``),
    the coder's name in ``Gemaakt door`` (dropped) and real date cells.
``interviews-documenten.xlsx``
    The document table the researcher keeps beside it: ``Document | Datum |
    Rol | Organisatie`` (Dutch role labels, partner names as in the partner
    list, real date cells).
``logboek-verhalen.csv``
    The network manager's logbook of most-significant-change stories and
    meeting notes (UTF-8 with BOM, ``;``): ``Nr;Datum;Rol;Organisatie;Tekst;
    Codes;Sentiment;MSC-domein;Geselecteerd``, dates as ``15 mei 2025``,
    sentiments with a decimal comma, ``ja`` / ``nee`` for the selected story.

An interview is an observation about a configuration outside the MSC
domains; each is one document with one segment (``Interview 017``, id
``interview-017-<begin>-<end>``). Its stance comes from its simulated
sentiment by the package's one rule (:func:`~netwerkonderzoek.stats.classify_sentiment`
with the default band): ``Ondersteunt`` above +0.2, ``Weerspreekt`` below
-0.2, otherwise the configuration's parent code (``neutral``). So every
configuration's supporting, contradicting and neutral counts are those of
the sentiments, and the qualitative verdicts do not depend on the export.
Every other observation is a logbook entry (``L-001`` ...) that keeps
its sentiment. :func:`coded_observations` gives the canonical table the
three files harmonise into (a test checks byte equality).

Examples
--------
>>> codebook()["codes"]["CMO3\\Ondersteunt"]
{'cmo': 'cmo-03', 'direction': 'supports'}
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import numpy as np
import pandas as pd

from .files import xlsx_bytes

__all__ = ["CODED_NETWORKS", "codebook", "coded_exports", "coded_observations"]

#: Example networks whose interviews ship as a MAXQDA export and stories as a logbook.
CODED_NETWORKS = ("energie-regio",)

SEGMENTS_FILE = "interviews-gecodeerde-segmenten.xlsx"
DOCUMENTS_FILE = "interviews-documenten.xlsx"
LOGBOOK_FILE = "logboek-verhalen.csv"
#: The package's neutral sentiment band (stats.classify_sentiment's default).
NEUTRAL = 0.2
DIRECTION_CODES = {"supports": "Ondersteunt", "contradicts": "Weerspreekt"}
VALUE_CODES = {"societal": "Maatschappelijk", "network": "Netwerk", "partner": "Partner"}
ROLE_LABELS = {
    "resident": "Bewoner",
    "professional": "Professional",
    "partner": "Partner",
    "network_manager": "Netwerkmanager",
    "funder": "Financier",
}
GROUPS = {
    "resident": "Bewoners",
    "professional": "Professionals",
    "partner": "Partners",
    "network_manager": "Netwerkmanagement",
    "funder": "Financiers",
}
MONTHS_FULL_NL = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
CODER = "J. de Vries"  # the coder MAXQDA writes under "Gemaakt door": a name, dropped
CODED_AT = dt.datetime(2024, 11, 18, 14, 5)


def _cmo_number(cmo_id: str) -> int:
    return int(cmo_id.rsplit("-", 1)[1])


def _parent(cmo_id: str) -> str:
    return f"CMO{_cmo_number(cmo_id)}"


def codebook(cmo_ids: list[str] | None = None) -> dict:
    r"""The code book of the MAXQDA project (the network config's ``codebook``).

    Per configuration a parent code ``CMO<n>`` (neutral) with the children
    ``CMO<n>\Ondersteunt`` and ``CMO<n>\Weerspreekt``; then the three
    value-type codes ``Waarde\<type>``.

    Parameters
    ----------
    cmo_ids : list of str, optional
        Configuration ids ``cmo-NN``; default ``cmo-01`` to ``cmo-08``.

    Returns
    -------
    dict
        ``{"codes": {code name: meaning}}``.

    Examples
    --------
    >>> for code, meaning in codebook(["cmo-02"])["codes"].items():
    ...     print(code, meaning)
    CMO2 {'cmo': 'cmo-02'}
    CMO2\Ondersteunt {'cmo': 'cmo-02', 'direction': 'supports'}
    CMO2\Weerspreekt {'cmo': 'cmo-02', 'direction': 'contradicts'}
    Waarde\Maatschappelijk {'code': 'societal'}
    Waarde\Netwerk {'code': 'network'}
    Waarde\Partner {'code': 'partner'}
    >>> len(codebook()["codes"])  # 8 configurations x 3 + 3 value types
    27
    """
    cmo_ids = cmo_ids or [f"cmo-{i:02d}" for i in range(1, 9)]
    codes: dict[str, dict] = {}
    for cmo_id in cmo_ids:
        codes[_parent(cmo_id)] = {"cmo": cmo_id}
        for direction, label in DIRECTION_CODES.items():
            codes[f"{_parent(cmo_id)}\\{label}"] = {"cmo": cmo_id, "direction": direction}
    for code, label in VALUE_CODES.items():
        codes[f"Waarde\\{label}"] = {"code": code}
    return {"codes": codes}


def _direction(sentiment: float) -> str:
    if sentiment > NEUTRAL:
        return "supports"
    if sentiment < -NEUTRAL:
        return "contradicts"
    return "neutral"


def _interview_mask(observations: pd.DataFrame) -> np.ndarray:
    first = observations["codes"].str.split(";").str[0]
    no_domain = observations["msc_domain"].fillna("").eq("")
    return (first.str.startswith("cmo-") & no_domain).to_numpy()


def _positions(k: int) -> tuple[int, int]:
    begin = 3 + (k * 5) % 17
    return begin, begin + k % 3


def coded_observations(observations: pd.DataFrame) -> pd.DataFrame:
    """The canonical observations of a network whose interviews are coded in MAXQDA.

    ``observations`` is the simulator's table (``obs-0001`` ... with a
    sentiment each). Interviews get ids made of their document and
    positions, a ``stance`` and no sentiment; logbook entries keep their
    sentiment under the logbook's number ``L-NNN``. Rows are in id order, as
    harmonising writes them.

    Parameters
    ----------
    observations : DataFrame
        The simulator's observations
        (:func:`~netwerkonderzoek.simulate.text.simulate_observations`).

    Returns
    -------
    DataFrame
        The same rows and columns plus ``stance`` (``<cmo id>:supports``,
        ``:contradicts`` or ``:neutral`` for interviews, else missing) after
        ``sentiment``.

    Examples
    --------
    >>> from netwerkonderzoek.simulate.examples import get_spec
    >>> from netwerkonderzoek.simulate.network import simulate_events
    >>> from netwerkonderzoek.simulate.text import simulate_observations
    >>> spec = get_spec("energie-regio")
    >>> raw = simulate_observations(spec, np.random.default_rng(1), simulate_events(spec))
    >>> coded = coded_observations(raw)
    >>> coded["observation_id"].str.split("-").str[0].value_counts().to_dict()
    {'L': 158, 'interview': 123}

    The first interview is ``obs-0004`` (about cmo-05, sentiment -0.46, below
    -0.2): its stance is contradicting, its sentiment is dropped:

    >>> raw.loc[3, ["observation_id", "codes", "sentiment", "msc_domain"]].to_dict()
    ... # doctest: +NORMALIZE_WHITESPACE
    {'observation_id': 'obs-0004', 'codes': 'cmo-05;societal', 'sentiment': -0.46,
     'msc_domain': ''}
    >>> coded.loc[coded["observation_id"].str.startswith("interview-001-"),
    ...           ["observation_id", "sentiment", "stance"]].to_dict("records")
    [{'observation_id': 'interview-001-8-9', 'sentiment': nan, 'stance': 'cmo-05:contradicts'}]
    >>> coded["stance"].dropna().str.split(":").str[1].value_counts().to_dict()
    {'supports': 51, 'neutral': 37, 'contradicts': 35}
    """
    out = observations.copy()
    interview = _interview_mask(out)
    ids, stances = [], []
    k = j = 0
    for is_interview, codes, sentiment in zip(
        interview, out["codes"], out["sentiment"], strict=True
    ):
        if is_interview:
            k += 1
            begin, end = _positions(k)
            ids.append(f"interview-{k:03d}-{begin}-{end}")
            stances.append(f"{codes.split(';')[0]}:{_direction(sentiment)}")
        else:
            j += 1
            ids.append(f"L-{j:03d}")
            stances.append(None)
    out["observation_id"] = ids
    out["sentiment"] = out["sentiment"].where(~interview)
    out["msc_selected"] = out["msc_selected"].astype("Int64").where(~interview)
    out.insert(out.columns.get_loc("sentiment") + 1, "stance", stances)
    return out.sort_values("observation_id", ignore_index=True)


def _xlsx(rows: list[list], sheet: str) -> bytes:
    return xlsx_bytes({sheet: rows})


def _dutch_date(iso: str) -> str:
    year, month, day = (int(p) for p in iso.split("-"))
    return f"{day} {MONTHS_FULL_NL[month - 1]} {year}"


def _comma(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def coded_exports(
    canonical: pd.DataFrame, partners: pd.DataFrame, coded_at: dt.datetime = CODED_AT
) -> tuple[dict[str, bytes], list[dict], dict]:
    r"""The three raw files, their two sources and the code book, from the canonical table.

    Parameters
    ----------
    canonical : DataFrame
        The table of :func:`coded_observations`.
    partners : DataFrame
        The partner list (names for ``Organisatie``).
    coded_at : datetime, default CODED_AT
        When the segments were coded (MAXQDA's ``Aangemaakt op``; not harmonised).

    Returns
    -------
    files : dict of str to bytes
        ``interviews-gecodeerde-segmenten.xlsx``, ``interviews-documenten.xlsx``
        and ``logboek-verhalen.csv``.
    sources : list of dict
        The two ``sources`` entries (the segments with their document table,
        and the logbook).
    codebook : dict
        :func:`codebook` of the configurations coded.

    Examples
    --------
    >>> import io
    >>> from openpyxl import load_workbook
    >>> from netwerkonderzoek.simulate import simulate_network
    >>> sim = simulate_network("energie-regio", seed=1)
    >>> files, sources, book = coded_exports(sim.tables["observations"], sim.tables["partners"])
    >>> sorted(files), [s["file"] for s in sources], len(book["codes"])
    ... # doctest: +NORMALIZE_WHITESPACE
    (['interviews-documenten.xlsx', 'interviews-gecodeerde-segmenten.xlsx',
      'logboek-verhalen.csv'],
     ['interviews-gecodeerde-segmenten.xlsx', 'logboek-verhalen.csv'], 27)

    A segment is one row per code, its configuration code and its value type:

    >>> sheet = load_workbook(io.BytesIO(files[SEGMENTS_FILE]))["Gecodeerde segmenten"]
    >>> for row in sheet.iter_rows(min_row=2, max_row=3, max_col=6, values_only=True):
    ...     print(row)
    ('#d62728', 'Professionals', 'Interview 001', 'CMO5\\Ondersteunt', 8, 9)
    ('#1f77b4', 'Professionals', 'Interview 001', 'Waarde\\Maatschappelijk', 8, 9)
    >>> files[LOGBOOK_FILE].decode("utf-8-sig").split("\r\n")[0]
    'Nr;Datum;Rol;Organisatie;Tekst;Codes;Sentiment;MSC-domein;Geselecteerd'
    """
    names = dict(zip(partners["partner_id"], partners["name"], strict=True))
    interviews = canonical[canonical["observation_id"].str.startswith("interview-")]
    logbook = canonical[canonical["observation_id"].str.startswith("L-")]
    segments, documents = _interview_sheets(interviews, names, coded_at)
    files = {
        SEGMENTS_FILE: _xlsx(segments, "Gecodeerde segmenten"),
        DOCUMENTS_FILE: _xlsx(documents, "Documenten"),
        LOGBOOK_FILE: _logbook_csv(logbook, names),
    }
    return files, _coded_sources(), codebook(_cmo_ids(canonical))


def _interview_sheets(
    interviews: pd.DataFrame, names: dict[str, str], coded_at: dt.datetime
) -> tuple[list[list], list[list]]:
    """The rows of the coded-segments sheet and of the document table, headers first."""
    segments: list[list] = [
        [
            "Kleur",
            "Documentgroep",
            "Documentnaam",
            "Code",
            "Begin",
            "Einde",
            "Segment",
            "Gewicht",
            "Gemaakt door",
            "Aangemaakt op",
        ]
    ]
    documents: list[list] = [["Document", "Datum", "Rol", "Organisatie"]]
    for row in interviews.itertuples(index=False):
        _, number, begin, end = row.observation_id.split("-")
        document = f"Interview {number}"
        cmo_id, direction = row.stance.split(":")
        code = _parent(cmo_id)
        if direction in DIRECTION_CODES:
            code += "\\" + DIRECTION_CODES[direction]
        group = GROUPS[row.source_role]
        value_codes = [f"Waarde\\{VALUE_CODES[c]}" for c in row.codes.split(";")[1:]]
        for colour, each in [("#d62728", code), *(("#1f77b4", v) for v in value_codes)]:
            segments.append(
                [colour, group, document, each, int(begin), int(end), row.text, 0, CODER, coded_at]
            )
        partner = names.get(row.partner_id) if isinstance(row.partner_id, str) else None
        documents.append(
            [
                document,
                dt.datetime.fromisoformat(row.date),
                ROLE_LABELS[row.source_role],
                partner,
            ]
        )
    return segments, documents


def _logbook_csv(logbook: pd.DataFrame, names: dict[str, str]) -> bytes:
    """The logbook of stories and meeting notes as ``logboek-verhalen.csv`` (UTF-8 with BOM)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        ["Nr", "Datum", "Rol", "Organisatie", "Tekst", "Codes", "Sentiment", "MSC-domein",
         "Geselecteerd"]
    )  # fmt: skip
    for row in logbook.itertuples(index=False):
        partner = names.get(row.partner_id, "") if isinstance(row.partner_id, str) else ""
        domain = row.msc_domain if isinstance(row.msc_domain, str) else ""
        writer.writerow(
            [
                row.observation_id,
                _dutch_date(row.date),
                ROLE_LABELS[row.source_role],
                partner,
                row.text,
                row.codes,
                _comma(row.sentiment),
                domain,
                "ja" if row.msc_selected == 1 else "nee",
            ]
        )
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def _coded_sources() -> list[dict]:
    """The source entries of the coded segments (with the document table) and the logbook."""
    roles = {label: role for role, label in ROLE_LABELS.items()}
    return [
        {
            "file": SEGMENTS_FILE,
            "table": "observations",
            "sheet": "Gecodeerde segmenten",
            "drop": ["Gemaakt door"],
            "values": {"source_role": dict(roles)},
            "coded_segments": {
                "tool": "maxqda",
                "documents": {
                    "file": DOCUMENTS_FILE,
                    "sheet": "Documenten",
                    "columns": {
                        "document": "Document",
                        "date": "Datum",
                        "source_role": "Rol",
                        "partner_id": "Organisatie",
                    },
                },
            },
        },
        {
            "file": LOGBOOK_FILE,
            "table": "observations",
            "encoding": "utf-8-sig",
            "columns": {
                "observation_id": "Nr",
                "date": "Datum",
                "source_role": "Rol",
                "partner_id": "Organisatie",
                "text": "Tekst",
                "codes": "Codes",
                "sentiment": "Sentiment",
                "msc_domain": "MSC-domein",
                "msc_selected": "Geselecteerd",
            },
            "values": {"source_role": dict(roles), "msc_selected": "yes_no"},
        },
    ]


def _cmo_ids(canonical: pd.DataFrame) -> list[str]:
    """The configuration ids the observations are coded with, sorted."""
    return sorted({c for codes in canonical["codes"] for c in codes.split(";") if c[:4] == "cmo-"})
