"""The persons behind a simulated network's units: raw ids, direct identifiers, raw export.

Real unit-level data arrive with the partner's own person numbers and, often,
names, addresses, phone numbers and e-mail addresses nobody asked for. The
simulator makes them too, so harmonisation can be tested on them:

- every unit has a raw **person number** (:func:`person_numbers`): a client,
  household or resident number such as ``CL-312648``, a fixed permutation of
  the unit's sequence number (no random draw, so the ground truth is
  untouched);
- its canonical ``unit_id`` is the number's pseudonym under the public
  :data:`DEMO_KEY` (:func:`netwerkonderzoek.privacy.pseudonymise`), exactly
  what harmonising the raw export with that key gives;
- :func:`units_export` writes the raw export: the person number, fake but
  realistic ``Naam``, ``Adres``, ``Telefoon`` and ``E-mail`` columns (drawn
  from ``numpy.random.default_rng([seed, network_index, 9])``, a stream of
  its own; some phone numbers and e-mail addresses are missing), the survey
  wave, the area and every unit attribute under a Dutch header, with the
  configuration ``source`` that drops the four identifier columns.

The demo key is **public** (:data:`DEMO_KEY_FILE`, written to
``config/demo.key``): it only serves the simulated examples. Anyone holding
it can recompute the pseudonyms; real data need a key of their own, kept
outside the repository.

Examples
--------
>>> person_numbers("c", 3)
['CL-312648', 'CL-320567', 'CL-328486']
>>> pseudonymised_ids(["CL-312648"])
['p-deed53057a266776']
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..privacy import pseudonym_map
from .files import csv_bytes, dutch_number, xlsx_bytes

if TYPE_CHECKING:  # pragma: no cover
    from .specs import NetworkSpec

__all__ = [
    "DEMO_KEY",
    "DEMO_KEY_FILE",
    "DEMO_KEY_TEXT",
    "person_numbers",
    "pseudonymised_ids",
    "unit_headers",
    "units_export",
]

#: The demo pseudonymisation key: PUBLIC, only for the simulated example networks.
DEMO_KEY = b"netwerkonderzoek-demo-key-2022-public-not-secret"
#: Name of the demo key file in the configuration folder (``privacy.key_file``).
DEMO_KEY_FILE = "demo.key"
#: Text of ``config/demo.key``: comment lines, then the key.
DEMO_KEY_TEXT = (
    "# Demo pseudonymisation key of netwerkonderzoek. PUBLIC: this is not a secret.\n"
    "# Only for the simulated example networks written by `netwerkonderzoek simulate`.\n"
    "# Never use it for real data: anyone holding this file can recompute the pseudonyms.\n"
    "# For a real network keep a key of your own outside the repository and name it in\n"
    "# the network config (privacy.key_file), or set $NETWERKONDERZOEK_KEY.\n"
    f"{DEMO_KEY.decode('ascii')}\n"
)

# Per kind of unit (the spec's unit_prefix): id header, number prefix, file, sheet, town.
_KINDS = {
    "h": ("Huishoudnummer", "HH", "energiemonitor-huishoudens.csv", None, "Veenstroom"),
    "r": ("Bewonersnummer", "BW", "bewonersmonitor.csv", None, "Zuiderhaven"),
    "c": ("Cliëntnummer", "CL", "clientregistratie.xlsx", "Cliënten", "Maasoever"),
}
_STEP, _OFFSET, _RANGE = 7919, 204729, 900000  # 7919 is prime: a permutation of 0..899999

_FIRST = (
    "Anna", "Bram", "Chantal", "Daan", "Esra", "Fatima", "Gerrit", "Henk", "Ilse", "Jan",
    "Joyce", "Kees", "Lotte", "Mohamed", "Noor", "Oussama", "Petra", "Quinten", "Rachid",
    "Sanne", "Thijs", "Ursula", "Vera", "Willem", "Yusuf", "Zeynep", "Ahmet", "Bianca",
    "Dewi", "Emre", "Femke", "Hans", "Iris", "Johan", "Kevin", "Lisa", "Marco", "Nadia",
)  # fmt: skip
_LAST = (
    "de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
    "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker",
    "Brouwer", "de Wit", "Dijkstra", "Smits", "El Amrani", "Yilmaz", "Kaya", "Bouzid",
    "Pinas", "Nguyen", "Wijaya", "Kerkhof", "Verhoeven", "Koster", "Prins", "Postma",
)  # fmt: skip
_STREETS = (
    "Kerkstraat", "Dorpsweg", "Molenlaan", "Schoolstraat", "Julianastraat", "Stationsweg",
    "Beatrixlaan", "Lindelaan", "Havenkade", "Meidoornstraat", "Van Goghlaan", "Kastanjelaan",
    "Dijkweg", "Prinses Irenestraat", "Veldweg", "Eikenlaan", "Merelstraat", "Sluisstraat",
)  # fmt: skip
_MAIL = ("ziggo.nl", "kpnmail.nl", "gmail.com", "hotmail.com", "outlook.com", "live.nl")


def person_numbers(unit_prefix: str, n: int) -> list[str]:
    """The raw person numbers of units 1..n (``CL-312648``, ...), all distinct.

    Number ``k`` is ``(k * 7919 + 204729) % 900000 + 100000``: six digits, a
    fixed permutation (7919 is prime), so no random draw is needed.

    Parameters
    ----------
    unit_prefix : str
        The specification's ``unit_prefix``: ``h`` (households, ``HH-``),
        ``r`` (residents, ``BW-``) or ``c`` (clients, ``CL-``).
    n : int
        Number of units.

    Returns
    -------
    list of str

    Examples
    --------
    >>> person_numbers("r", 3), person_numbers("h", 1)
    (['BW-312648', 'BW-320567', 'BW-328486'], ['HH-312648'])
    >>> len(set(person_numbers("h", 2200)))
    2200
    """
    prefix = _KINDS[unit_prefix][1]
    i = np.arange(1, n + 1, dtype=np.int64)
    numbers = (i * _STEP + _OFFSET) % _RANGE + 100000
    return [f"{prefix}-{k}" for k in numbers]


def pseudonymised_ids(numbers: list[str], key: bytes = DEMO_KEY) -> list[str]:
    """The canonical ``unit_id`` of each raw person number under ``key``.

    Parameters
    ----------
    numbers : list of str
        Raw person numbers.
    key : bytes, default DEMO_KEY
        The pseudonymisation key (:func:`netwerkonderzoek.privacy.pseudonym_map`).

    Returns
    -------
    list of str
        ``p-`` and 16 hex digits, in the order of ``numbers``.

    Examples
    --------
    >>> pseudonymised_ids(["CL-312648", "CL-320567"])
    ['p-deed53057a266776', 'p-46df4ab3e0c80026']
    >>> pseudonymised_ids(["CL-312648"], key=b"another-key")  # another key, other pseudonyms
    ['p-f51f2b2cdbeb3dcf']
    """
    mapping = pseudonym_map(numbers, key)
    return [mapping[k] for k in numbers]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def unit_headers(spec: NetworkSpec, columns: list[str]) -> dict[str, str]:
    """A Dutch header for every unit attribute column (``age`` -> ``Leeftijd``).

    Covariates have fixed headers; context attributes take their description,
    exposures their resource label with ``(0/1)``, outcomes their scale text.
    An unknown column keeps its name; a header already used gets ``[column]``.

    Parameters
    ----------
    spec : NetworkSpec
    columns : list of str
        Unit attribute columns.

    Returns
    -------
    dict of str to str
        Column to header, in the order of ``columns``.

    Examples
    --------
    >>> from netwerkonderzoek.simulate.examples import get_spec
    >>> columns = ["age", "social_cohesion", "buurtcoach", "wellbeing", "extra"]
    >>> unit_headers(get_spec("wijk-noord"), columns)  # doctest: +NORMALIZE_WHITESPACE
    {'age': 'Leeftijd', 'social_cohesion': 'Sociale samenhang in de buurt (0-10)',
     'buurtcoach': 'Vaste buurtcoach (0/1)', 'wellbeing': 'Welzijn 0-10', 'extra': 'extra'}
    """
    known = {
        "age": "Leeftijd",
        "female": "Vrouw (0/1)",
        "income": "Netto inkomen huishouden (k€ per jaar)",
    }
    for ctx in spec.contexts:
        known.setdefault(ctx.name, _capital(ctx.description or ctx.name))
    for cmo in spec.cmos:
        known.setdefault(cmo.exposure, f"{cmo.resource_label} (0/1)")
    for out in spec.outcomes:
        known.setdefault(out.name, _capital(out.scale_text))
    headers: dict[str, str] = {}
    for name in columns:
        header = known.get(name, name)
        if header in headers.values():
            header = f"{header} [{name}]"
        headers[name] = header
    return headers


def _identifiers(n: int, town: str, rng: np.random.Generator) -> dict[str, list[str]]:
    first = np.asarray(_FIRST, dtype=object)[rng.integers(len(_FIRST), size=n)]
    last = np.asarray(_LAST, dtype=object)[rng.integers(len(_LAST), size=n)]
    street = np.asarray(_STREETS, dtype=object)[rng.integers(len(_STREETS), size=n)]
    number = rng.integers(1, 240, size=n)
    suffix = np.where(rng.random(n) < 0.1, "a", "")
    postcode = rng.integers(1000, 9999, size=n)
    letters = rng.integers(0, 26, size=(n, 2))
    phone = rng.integers(10_000_000, 99_999_999, size=n)
    provider = np.asarray(_MAIL, dtype=object)[rng.integers(len(_MAIL), size=n)]
    no_phone = rng.random(n) < 0.06
    no_mail = rng.random(n) < 0.18
    names, addresses, phones, mails = [], [], [], []
    for k in range(n):
        names.append(f"{first[k]} {last[k]}")
        code = f"{postcode[k]} {chr(65 + letters[k, 0])}{chr(65 + letters[k, 1])}"
        addresses.append(f"{street[k]} {number[k]}{suffix[k]}, {code} {town}")
        phones.append("" if no_phone[k] else f"06-{phone[k]}")
        user = f"{first[k]}.{last[k]}".lower().replace(" ", "")
        mails.append("" if no_mail[k] else f"{user}{number[k]}@{provider[k]}")
    return {"Naam": names, "Adres": addresses, "Telefoon": phones, "E-mail": mails}


def _dutch(value: object) -> str:
    return dutch_number(Decimal(repr(value.item() if hasattr(value, "item") else value)))


def units_export(
    spec: NetworkSpec, units: pd.DataFrame, numbers: list[str], seed: int
) -> tuple[str, bytes, dict]:
    """The raw units export of a network and its configuration source.

    Parameters
    ----------
    spec : NetworkSpec
    units : DataFrame
        The canonical units (``unit_id`` pseudonymised), rows aligned with ``numbers``.
    numbers : list of str
        The raw person number of every row of ``units``.
    seed : int
        The network's base seed (for the fake identifiers).

    Returns
    -------
    (str, bytes, dict)
        File name, file contents and the ``sources`` entry describing it.

    Examples
    --------
    >>> from netwerkonderzoek.simulate import simulate_network
    >>> sim = simulate_network("wijk-noord", seed=1)
    >>> name, data, source = units_export(sim.spec, sim.tables["units"], sim.person_ids, 1)
    >>> name, data[:3], data.count(b"\\r\\n")  # BOM; title, header and 2,200 units
    ('bewonersmonitor.csv', b'\\xef\\xbb\\xbf', 2202)
    >>> lines = data.decode("utf-8-sig").split("\\r\\n")
    >>> lines[0]
    'Export bewoners Wijknetwerk Leefbaar Noord (persoonsgegevens, vertrouwelijk)'
    >>> lines[2].split(";")[:8]  # doctest: +NORMALIZE_WHITESPACE
    ['BW-101601', 'Marco Jansen', 'Kerkstraat 71, 1269 CI Zuiderhaven', '06-78744959',
     'marco.jansen71@live.nl', '1', 'Vogelwijk-3', '40']
    >>> source["person_id"], source["drop"], source["columns"]["age"]
    ('Bewonersnummer', ['Naam', 'Adres', 'Telefoon', 'E-mail'], 'Leeftijd')

    The person number's pseudonym is the canonical ``unit_id`` of the same unit:

    >>> units = sim.tables["units"].set_index("unit_id")
    >>> units.loc[pseudonymised_ids(["BW-101601"])[0], ["wave", "area", "age"]].to_dict()
    {'wave': 1, 'area': 'Vogelwijk-3', 'age': 40}
    """
    id_header, _, file, sheet, town = _KINDS[spec.unit_prefix]
    rng = np.random.default_rng([seed, spec.index, 9])
    attributes = [c for c in units.columns if c not in ("network_id", "unit_id", "wave", "area")]
    headers = unit_headers(spec, attributes)
    # Exported as the partner's system lists them: by wave, then person number.
    order = np.lexsort((np.asarray(numbers), units["wave"].to_numpy()))
    rows = units.iloc[order].reset_index(drop=True)
    ids = list(np.asarray(numbers, dtype=object)[order])
    personal = _identifiers(len(rows), town, rng)
    header = [id_header, *personal, "Meting", "Wijk", *headers.values()]
    columns = {"wave": "Meting", "area": "Wijk", **headers}
    if sheet is None:
        body = [
            [ids[k], *(personal[c][k] for c in personal), str(r.wave), r.area]
            + [_dutch(getattr(r, a)) for a in attributes]
            for k, r in enumerate(rows.itertuples(index=False))
        ]
        title = f"Export {spec.unit_label} {spec.name} (persoonsgegevens, vertrouwelijk)"
        data = "\ufeff".encode() + csv_bytes([[title], header, *body], "utf-8")
        source = {"file": file, "table": "units", "encoding": "utf-8-sig", "header_row": 2}
    else:
        values = {a: rows[a].to_numpy() for a in attributes}
        body = [
            [ids[k], *(personal[c][k] or None for c in personal), int(r.wave), r.area]
            + [values[a][k].item() for a in attributes]
            for k, r in enumerate(rows.itertuples(index=False))
        ]
        data = xlsx_bytes({sheet: [header, *body]})
        source = {"file": file, "table": "units", "sheet": sheet}
    source |= {"person_id": id_header, "drop": list(personal), "columns": columns}
    return file, data, source
