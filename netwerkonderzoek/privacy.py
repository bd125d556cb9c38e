"""Personal data: pseudonyms, direct identifiers, small cells and safe paths.

Networks share data about residents and clients (AVG/GDPR). This module holds
the four protections the workbench applies:

- :func:`pseudonymise` replaces person ids by a keyed hash (HMAC-SHA256), so
  the same key gives the same pseudonym in every wave and nobody without the
  key can reverse or recompute it; :func:`load_key` reads the key from an
  environment variable or a key file and refuses to go on without one.
  Harmonisation applies it to the ``person_id`` column of every ``units``
  source, so unit ids are pseudonyms from the first canonical table on
  (:mod:`netwerkonderzoek.harmonise.personal`).
- :func:`detect_identifiers` finds columns that hold direct identifiers:
  names, addresses, phone numbers, e-mail addresses and Dutch citizen service
  numbers (BSN) that pass the eleven-test. Harmonisation runs it over every
  raw column of every source and refuses a flagged column unless the source
  lists it under ``drop``.

Rules for the key: the environment variable ``NETWERKONDERZOEK_KEY`` wins
over the key file (``privacy.key_file`` in the network config, relative to
the configuration folder); a key has at least 16 characters; a key file may
hold ``#`` comment lines. Keep a real key outside the repository: whoever
holds it can recompute every pseudonym from a list of person ids. The
examples' ``config/demo.key`` is public and only for the simulated networks.

- :func:`suppress_small_counts` hides counts below ``min_cell`` before they
  leave the workbench, with secondary suppression where a total would reveal
  a hidden cell.
- :func:`safe_path` builds a path from ids and refuses any that would leave
  its root folder.

Examples
--------
>>> from netwerkonderzoek.privacy import is_bsn, pseudonymise_value
>>> is_bsn("111222333"), is_bsn("123456789")
(True, False)
>>> pseudonymise_value("r-000123", b"demo-key")
'p-cfe9e7945d7b6e65'
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .exceptions import NetwerkonderzoekError

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd

__all__ = [
    "KEY_ENVIRONMENT_VARIABLE",
    "TEXT_IDENTIFIER_MARKS",
    "TEXT_IDENTIFIER_WORDS",
    "PrivacyError",
    "detect_identifiers",
    "find_text_identifiers",
    "is_bsn",
    "load_key",
    "mark_suppressed",
    "mask_text_identifiers",
    "pseudonym_map",
    "pseudonymise",
    "pseudonymise_value",
    "safe_path",
    "suppress_linked",
    "suppress_small_counts",
]

KEY_ENVIRONMENT_VARIABLE = "NETWERKONDERZOEK_KEY"
PSEUDONYM_PREFIX = "p-"
PSEUDONYM_LENGTH = 16  # hex characters: 64 bits, collisions negligible below millions of ids


class PrivacyError(NetwerkonderzoekError):
    """Personal data would be processed or written unsafely."""


def load_key(key_file: str | Path | None = None, *, environ: dict | None = None) -> bytes:
    """The pseudonymisation key: from ``$NETWERKONDERZOEK_KEY`` or ``key_file``.

    The environment variable wins. A key file holds the key as text: lines
    starting with ``#`` are comments, leading and trailing whitespace is
    ignored. Keys shorter than 16 characters are refused: a short key can be
    guessed by trying.

    Raises
    ------
    PrivacyError
        If there is no key, the key file is missing, unreadable or not UTF-8
        text, or the key is too short.

    Examples
    --------
    >>> load_key(environ={"NETWERKONDERZOEK_KEY": "a-long-enough-key-0123"})
    b'a-long-enough-key-0123'
    """
    env = os.environ if environ is None else environ
    text = env.get(KEY_ENVIRONMENT_VARIABLE)
    source = f"${KEY_ENVIRONMENT_VARIABLE}"
    if not text and key_file is not None:
        path = Path(key_file)
        if not path.is_file():
            raise PrivacyError(f"pseudonymisation key file not found: {path}")
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except UnicodeDecodeError as exc:
            raise PrivacyError(
                f"pseudonymisation key file {path} is not UTF-8 text ({exc.reason} at byte "
                f"{exc.start}); expected a text file with the key on one line"
            ) from None
        except OSError as exc:
            raise PrivacyError(
                f"cannot read pseudonymisation key file {path} ({exc.strerror})"
            ) from None
        text = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
        source = str(path)
    if not text or not text.strip():
        raise PrivacyError(
            "no pseudonymisation key: unit-level data are only harmonised with a key. Set "
            f"${KEY_ENVIRONMENT_VARIABLE} or name a key file outside the repository in the "
            "network config (privacy.key_file)"
        )
    key = text.strip()
    if len(key) < 16:
        raise PrivacyError(
            f"pseudonymisation key from {source} is too short: expected at least 16 characters"
        )
    return key.encode("utf-8")


def _keyed(key: bytes):
    """HMAC-SHA256 under ``key`` as a function of the message (the standard library's ``hmac``).

    One ``hmac`` object is keyed once and copied for every message
    (``hmac.HMAC.copy``), the module's own way to reuse a key.
    """
    keyed = hmac.new(key, digestmod=hashlib.sha256)

    def digest(message: bytes) -> str:
        h = keyed.copy()
        h.update(message)
        return h.hexdigest()

    return digest


def pseudonymise_value(value: object, key: bytes) -> str:
    """Keyed pseudonym of one id: ``p-`` + the first 16 hex digits of HMAC-SHA256.

    The id is hashed as text, so ``123`` and ``"123"`` get one pseudonym.

    Examples
    --------
    >>> pseudonymise_value("r-000123", b"demo-key")
    'p-cfe9e7945d7b6e65'
    >>> pseudonymise_value(123, b"demo-key") == pseudonymise_value("123", b"demo-key")
    True
    >>> pseudonymise_value("r-000123", b"other-key")
    'p-e05346b6d577bb3f'
    """
    digest = hmac.new(key, str(value).encode("utf-8"), hashlib.sha256).hexdigest()
    return PSEUDONYM_PREFIX + digest[:PSEUDONYM_LENGTH]


def pseudonymise(ids: pd.Series, key: bytes) -> pd.Series:
    """Replace every id in ``ids`` by its keyed pseudonym (missing stays missing).

    The same id and key always give the same pseudonym, so waves link up;
    another key gives other pseudonyms. Each distinct id is hashed once
    (100,000 distinct ids take about 0.15 s).

    Examples
    --------
    >>> import pandas as pd
    >>> pseudonymise(pd.Series(["r-000123", None, "r-000123"]), b"demo-key").tolist()
    ['p-cfe9e7945d7b6e65', nan, 'p-cfe9e7945d7b6e65']
    """
    return ids.map(pseudonym_map(ids.dropna().unique(), key))


def pseudonym_map(values, key: bytes) -> dict:
    """``{value: pseudonym}`` for distinct ``values`` (as :func:`pseudonymise_value`).

    Examples
    --------
    >>> pseudonym_map(["r-000123", "r-000124"], b"demo-key")
    {'r-000123': 'p-cfe9e7945d7b6e65', 'r-000124': 'p-7d1fbbad8ff5faf9'}
    """
    digest = _keyed(key)
    return {
        value: PSEUDONYM_PREFIX + digest(str(value).encode("utf-8"))[:PSEUDONYM_LENGTH]
        for value in values
    }


def is_bsn(value: object) -> bool:
    """Whether ``value`` is a Dutch citizen service number passing the eleven-test.

    Nine digits d1..d9 (eight digits get a leading zero) with
    9·d1 + 8·d2 + ... + 2·d8 − 1·d9 ≡ 0 (mod 11), not all zeros.

    Examples
    --------
    >>> is_bsn("111222333"), is_bsn("1112.22.333"), is_bsn(111222333)
    (True, True, True)
    >>> is_bsn("123456789"), is_bsn("000000000"), is_bsn("r-000123")
    (False, False, False)
    """
    text = re.sub(r"[\s.\-]", "", str(value))
    if not text.isdigit() or len(text) not in (8, 9):
        return False
    text = text.zfill(9)
    if int(text) == 0:
        return False
    total = sum(int(d) * w for d, w in zip(text[:8], range(9, 1, -1), strict=True)) - int(text[8])
    return total % 11 == 0


_STREET = r"[A-Z\u00c0-\u00de][A-Za-z\u00c0-\u00ff'.\-]+(\s[A-Za-z\u00c0-\u00ff'.\-]+)*"
_PATTERNS = {
    "email": re.compile(r"^[\w.+\-]+@[\w\-]+(\.[\w\-]+)+$"),
    "phone": re.compile(r"^(\+31|0031|0)[\s\-]?(6[\s\-]?\d{8}|\d{2,3}[\s\-]?\d{6,7})$"),
    "address": re.compile(
        rf"^({_STREET}\s\d{{1,5}}\s?[a-zA-Z]?(\s*[-,]\s*\d{{4}}\s?[A-Z]{{2}}(\s+\S.*)?)?"
        r"|\d{4}\s?[A-Z]{2}(\s\d{1,5})?)$"
    ),
}
_ANY_PATTERN = re.compile(
    "^(?:" + "|".join(f"(?P<{kind}>{p.pattern[1:-1]})" for kind, p in _PATTERNS.items()) + ")$"
)
_BSN_SEPARATORS = str.maketrans("", "", " .-\t")
_NUMBERISH = re.compile(r"[\d.,\-\s]+")
_DATE = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}-\d{1,2}-\d{4})([ T][\d:.]+)?$")
# Month and period words followed by a year look like "Street 12": not addresses.
_NOT_STREETS = re.compile(
    r"^(jan|feb|mrt|maart|apr|april|mei|jun|juni|jul|juli|aug|augustus|sep|sept|okt|oktober|"
    r"nov|november|dec|december|januari|februari|march|may|june|july|august|october|"
    r"kwartaal|quarter|week|jaar|year|periode|fase|ronde|meting|golf|wave)\b",
    re.I,
)
_NAME_HEADERS = re.compile(
    r"(^|_|\s)(naam|name|voornaam|achternaam|roepnaam|tussenvoegsel|meisjesnaam|voorletters|"
    r"surname|firstname|lastname|full_?name|given_?name|family_?name|contactpersoon|"
    r"contact_?person|ingevuld door|filled in by|recipient_?(first|last)_?name)($|_|\s)",
    re.I,
)
_BIRTH_DATE_HEADERS = re.compile(
    r"geboorte_?datum|geb\.?\s?datum|geboren|date_?of_?birth|birth_?date|birthday|\bdob\b",
    re.I,
)
# "BSN: 690059292" in a cell: the label is not part of the number.
_BSN_LABEL = re.compile(
    r"^\s*(bsn|burgerservicenummer|sofi(nummer)?)\s*(nr\.?|nummer)?\s*[:.#]?\s*", re.I
)
_ORGANISATION_HEADERS = re.compile(
    r"organi[sz]atie|organi[sz]ation|partner|bedrijf|instelling|company", re.I
)


def detect_identifiers(
    data: pd.DataFrame, *, min_share: float = 0.5, factorized=None, short_numbers=None
) -> pd.DataFrame:
    """Columns of ``data`` that look like direct identifiers.

    A column is flagged when at least ``min_share`` of its non-empty values
    match one kind — e-mail address, Dutch phone number, street address
    (``Kerkstraat 12``, ``Dorpsweg 3a, 1234 AB Noordstad``; not a month or
    quarter with its year) or postcode — or when any value is a valid BSN
    (eleven-test) in a column of 8–9 digit numbers. Dates (date cells and
    ``2024-01-31``, ``31-01-2024``) are never identifiers. Personal names cannot be
    told from organisation names by their shape ("Gemeente Noordstad"), so a
    name column is recognised by its header ("naam", "voornaam",
    "achternaam", "roepnaam", "name"...) unless the header speaks of an
    organisation or partner, and a birth-date column by its header
    ("geboortedatum", "date of birth"...). A labelled cell such as
    ``BSN: 690059292`` counts as the number it holds. Each distinct value is checked once (one pattern match), so a
    column of a million repeated codes costs as much as its distinct values.

    Parameters
    ----------
    data : DataFrame
        The cells, as read.
    min_share : float
        Share of the non-empty values that must match a kind (default 0.5).
    factorized : mapping, optional
        ``factorized[column]`` gives ``pandas.factorize(cells, use_na_sentinel=True)``
        of a column the caller has factorized already (shared work).
    short_numbers : mapping, optional
        ``short_numbers[column]`` masks the factorized distinct values the
        caller has read as numbers of at most 7 digits
        (:attr:`netwerkonderzoek.harmonise.parse.DistinctNumbers.short`):
        they count as non-empty values that match no kind, without a second
        look.

    Returns
    -------
    DataFrame
        One row per flagged column: ``column``, ``kind``, ``values`` (how many
        values match).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"mail": ["a@b.nl", "c@d.com"], "uren": ["3", "4"]})
    >>> detect_identifiers(df).to_dict("records")
    [{'column': 'mail', 'kind': 'email', 'values': 2}]
    """
    import pandas as pd

    rows = []
    for column in data.columns:
        header = str(column)
        cells = data[column] if factorized is None else factorized[column]
        if _BIRTH_DATE_HEADERS.search(header):  # a birth date identifies, whatever its form
            filled = _filled_count(cells)
            if filled:
                rows.append({"column": header, "kind": "birth_date", "values": filled})
            continue
        known = short_numbers.get(column) if short_numbers is not None else None
        text, plain = _distinct_text(cells, known)
        total = sum(text.values()) + plain
        if not total:
            continue
        shaped = valid = names = 0
        kinds = dict.fromkeys(_PATTERNS, 0)
        by_header = bool(_NAME_HEADERS.search(header)) and not _ORGANISATION_HEADERS.search(header)
        # One pass over the distinct values, each counted with its number of cells.
        for value, count in text.items():
            digits = _BSN_LABEL.sub("", value).translate(_BSN_SEPARATORS)
            if 8 <= len(digits) <= 9 and digits.isascii() and digits.isdigit():
                shaped += count
                valid += count if is_bsn(digits) else 0
            if by_header and not _NUMBERISH.fullmatch(value):
                names += count
            match = _ANY_PATTERN.match(value)
            if match is not None:
                kind = match.lastgroup
                if kind != "address" or not _NOT_STREETS.match(value):
                    kinds[kind] += count
        if shaped >= min_share * total and valid:
            rows.append({"column": header, "kind": "bsn", "values": valid})
        elif by_header and names / total >= min_share:
            rows.append({"column": header, "kind": "name", "values": names})
        else:
            for kind, matches in kinds.items():
                if matches and matches / total >= min_share:
                    rows.append({"column": header, "kind": kind, "values": matches})
                    break
    return pd.DataFrame(rows, columns=["column", "kind", "values"])


#: Direct identifiers looked for inside free text, and the mark that replaces
#: each (Dutch: the texts are the network's own, shown in a Dutch report).
TEXT_IDENTIFIER_MARKS = {
    "email": "[e-mail]",
    "phone": "[telefoonnummer]",
    "bsn": "[BSN]",
    "address": "[adres]",
}
#: The kinds of :data:`TEXT_IDENTIFIER_MARKS` in words, for messages.
TEXT_IDENTIFIER_WORDS = {
    "email": "an e-mail address",
    "phone": "a phone number",
    "bsn": "a citizen service number (BSN)",
    "address": "an address (street or postcode with house number)",
}
_STREET_WORDS = (
    r"straat|weg|laan|plein|gracht|kade|singel|dijk|hof|pad|steeg|dreef|markt|park|"
    r"ring|baan|boulevard|allee|erf|veld|plantsoen"
)
_TEXT_FINDERS = (
    ("email", re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")),
    # Dutch numbers: 0 and nine digits ((010) 123 4567, 06-12345678), or +31 / 0031
    # and nine digits (+31 6 1234 5678, +31 (0)10 123 4567).
    (
        "phone",
        re.compile(
            r"(?<![\w+])(?:(?:\+|00)31[\s\-]?(?:\(0\)[\s\-]?)?|\(0|0)"
            r"\d(?:[\s\-)]{0,2}\d){7,9}(?!\d)"
        ),
    ),
    # A postcode with a house number (1234 AB 12), a street with a house number
    # (Kerkstraat 12, Dorpsweg 3a).
    (
        "address",
        re.compile(
            r"\b[1-9]\d{3}\s?[A-Z]{2}\b[\s,]+(?:nr\.?\s*)?\d{1,5}\s?[a-zA-Z]?\b"
            rf"|\b[A-Z][a-z\u00e0-\u00ff'\-]*(?:{_STREET_WORDS})\s+\d{{1,5}}\s?[a-zA-Z]?\b"
            r"(?:[\s,]+[1-9]\d{3}\s?[A-Z]{2}\b)?"
        ),
    ),
    # Eight or nine digits, maybe grouped (690059292, 6900.59.292), passing the 11-test.
    ("bsn", re.compile(r"(?<!\d)(?<!\d[.,])\d(?:[\s.\-]?\d){7,8}(?!\d|[.,]\d)")),
)


def _phone_digits(text: str) -> bool:
    digits = re.sub(r"\D", "", text)
    if digits.startswith("0031"):
        digits = digits[4:]
    elif digits.startswith("31") and text.lstrip().startswith("+"):
        digits = digits[2:]
    else:
        return len(digits) == 10 and digits.startswith("0")
    digits = digits[1:] if digits.startswith("0") and len(digits) == 10 else digits
    return len(digits) == 9


def find_text_identifiers(text: str) -> list[tuple[str, int, int]]:
    """Direct identifiers inside a free text: ``(kind, start, end)`` in text order.

    Kinds are those of :data:`TEXT_IDENTIFIER_MARKS`: e-mail addresses, Dutch
    phone numbers (``06 1234 5678``, ``+31 6 12345678``, ``(010) 123 4567``),
    postcodes with a house number and streets with a house number, and BSNs
    (eight or nine digits, grouped or not, that pass the eleven-test;
    :func:`is_bsn`). A phone number is looked for before a BSN, so the digits
    of one are not taken for the other.

    Examples
    --------
    >>> text = "Bel 06 1234 5678 of mail jan@voorbeeld.nl; BSN: 690059292, Kerkstraat 12."
    >>> [kind for kind, _, _ in find_text_identifiers(text)]
    ['phone', 'email', 'bsn', 'address']
    >>> find_text_identifiers("In 2024 kwamen 123 bewoners; budget 1.250.000 euro.")
    []
    """
    found: list[tuple[str, int, int]] = []
    taken = [False] * len(text)
    for kind, pattern in _TEXT_FINDERS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(taken[start:end]):
                continue
            if kind == "phone" and not _phone_digits(match.group()):
                continue
            if kind == "bsn" and not is_bsn(match.group()):
                continue
            found.append((kind, start, end))
            taken[start:end] = [True] * (end - start)
    return sorted(found, key=lambda hit: hit[1])


def mask_text_identifiers(text: str) -> tuple[str, dict[str, int]]:
    """``text`` with each identifier replaced by its mark, and the count per kind.

    Examples
    --------
    >>> mask_text_identifiers("Mijn nummer is +31 6 12345678, mail a@b.nl")
    ('Mijn nummer is [telefoonnummer], mail [e-mail]', {'phone': 1, 'email': 1})
    """
    hits = find_text_identifiers(text)
    counts: dict[str, int] = {}
    for kind, start, end in reversed(hits):
        text = text[:start] + TEXT_IDENTIFIER_MARKS[kind] + text[end:]
    for kind, _, _ in hits:
        counts[kind] = counts.get(kind, 0) + 1
    return text, counts


def _filled_count(cells) -> int:
    """Non-empty cells of a column (or of a ``(codes, uniques)`` factorization)."""
    import numpy as np
    import pandas as pd

    if isinstance(cells, tuple):
        codes, uniques = cells
        blank = np.array([v is None or (isinstance(v, str) and not v.strip()) for v in uniques])
        return int(((codes >= 0) & ~np.append(blank, True)[codes]).sum()) if len(codes) else 0
    series = pd.Series(cells, dtype=object)
    return int((series.notna() & series.astype(str).str.strip().ne("")).sum())


def _plain_numbers(uniques: list) -> np.ndarray:
    """Which distinct values are plain numbers of at most 7 digits (vectorised).

    Such a value — only digits, ``.``, ``,`` and spaces — cannot be an
    identifier of any kind (a BSN has 8–9 digits, a phone number at least 9;
    e-mail addresses, streets and postcodes have other characters), so it is
    counted without the per-value checks. Hours and costs columns consist of
    them: this keeps the identifier check of a million-row source cheap.
    """
    import numpy as np

    strings = [v if isinstance(v, str) else "x" for v in uniques]
    if not strings:
        return np.zeros(0, dtype=bool)
    chars = np.array(strings, dtype=str)
    width = chars.dtype.itemsize // 4
    if width == 0:
        return np.zeros(len(strings), dtype=bool)
    codes = chars.view(np.uint32).reshape(len(strings), width)
    digit = (codes >= ord("0")) & (codes <= ord("9"))
    allowed = digit | np.isin(codes, [0, ord("."), ord(","), ord(" ")])
    filled = (codes != 0) & (codes != ord(" "))
    return allowed.all(axis=1) & (digit.sum(axis=1) <= 7) & filled.any(axis=1)


def _distinct_text(cells, known=None) -> tuple[dict[str, int], int]:
    """Distinct non-empty stripped texts of a column with their cell counts (no dates).

    Returns the texts to check and the number of cells holding a plain short
    number (:func:`_plain_numbers`, or ``known``: a mask over the factorized
    distinct values read as numbers of at most 7 digits), which count as
    non-empty but need no check.
    """
    import numpy as np
    import pandas as pd

    if isinstance(cells, tuple):  # already factorized
        codes, uniques = cells
    else:
        codes, uniques = pd.factorize(cells.to_numpy(dtype=object), use_na_sentinel=True)
    counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
    uniques = list(uniques)
    if known is None:
        plain = _plain_numbers(uniques)
    else:  # only the values not read as short numbers need the vectorised look
        plain = np.asarray(known, dtype=bool).copy()
        rest = np.flatnonzero(~plain)
        plain[rest] = _plain_numbers([uniques[i] for i in rest.tolist()])
    text: dict[str, int] = {}
    for index in np.flatnonzero(~plain).tolist():
        value = uniques[index]
        # Dates and times (XLSX date cells) are no identifiers, whatever their digits.
        if hasattr(value, "isoformat"):
            continue
        value = str(value).strip()
        if value and not _DATE.match(value):
            text[value] = text.get(value, 0) + int(counts[index])
    return text, int(counts[plain].sum())


def suppress_small_counts(
    data: pd.DataFrame,
    columns: Sequence[str],
    *,
    min_cell: int = 5,
    within: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Hide counts below ``min_cell`` and every cell a total would reveal.

    Primary suppression hides counts ``1 <= n < min_cell`` (zero reveals
    nobody and stays). Secondary suppression then treats each *line* whose
    total is published or derivable — each row across ``columns`` (when
    there are several), and each column within the groups of ``within`` (or
    the whole table) — and, where a line has exactly one hidden cell, also
    hides the smallest other non-zero count in it, repeating until no line
    has a single hidden cell (Hundepool et al. 2012, *Statistical Disclosure
    Control*, section 5.2, doi:10.1002/9781118348239). Counts that are
    linked across several tables are protected together with
    :func:`suppress_linked`.

    Parameters
    ----------
    data : DataFrame
        Table with count columns.
    columns : sequence of str
        The count columns to protect.
    min_cell : int
        Smallest count that may be shown (default 5).
    within : sequence of str, optional
        Columns defining groups whose totals are published (a breakdown of
        one total per group).

    Returns
    -------
    DataFrame
        A copy with hidden counts missing (``<NA>``) and a column
        ``suppressed`` naming the hidden columns of each row (``;``-separated,
        empty when none).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"code": ["a", "b", "c"], "n": [12, 3, 20]})
    >>> suppress_small_counts(t, ["n"])["n"].tolist()  # 3 hidden, and 12 so the total can't reveal it
    [<NA>, <NA>, 20]
    """
    import numpy as np

    columns = list(columns)
    missing = [c for c in [*columns, *(within or [])] if c not in data.columns]
    if missing:
        raise KeyError(f"columns not in the table: {', '.join(missing)}")
    lines: list[list[tuple[str, int, str]]] = []
    if len(columns) > 1:
        lines += [[("t", i, c) for c in columns] for i in range(len(data))]
    groups = (
        [np.arange(len(data))]
        if not within
        else list(data.reset_index(drop=True).groupby(list(within), sort=False).indices.values())
    )
    for column in columns:
        lines += [[("t", int(i), column) for i in rows] for rows in groups]
    return suppress_linked({"t": data}, {"t": columns}, lines, min_cell=min_cell)["t"]


def suppress_linked(
    tables: Mapping[str, pd.DataFrame],
    columns: Mapping[str, Sequence[str]],
    lines: Iterable[Sequence[tuple[str, int, str]]],
    *,
    min_cell: int = 5,
) -> dict[str, pd.DataFrame]:
    """Hide small counts in several tables at once, so no table reveals another's.

    The same counts often appear in more than one table of a run: a total in
    one and its breakdown in another, or one value copied into a summary.
    Each such relation is a *line*: a list of cells ``(table, row, column)``
    (``row`` by position) any one of which can be derived from the others.
    Primary suppression hides counts ``1 <= n < min_cell`` in ``columns``;
    where a line then has exactly one hidden cell, the smallest other
    non-zero count in it is hidden too, until no line has a single hidden
    cell (Hundepool et al. 2012, section 5.2). Two cells that hold the same
    count form a line of two: both are hidden or neither.

    Parameters
    ----------
    tables : mapping of str to DataFrame
    columns : mapping of str to sequence of str
        The count columns of each table (tables not named are left alone).
    lines : iterable of sequences of (table, row, column)
        Cells in a line must be in ``columns``; missing values are skipped.
    min_cell : int
        Smallest count that may be shown (default 5).

    Returns
    -------
    dict of str to DataFrame
        Copies of the tables in ``columns`` with hidden counts missing
        (``<NA>``) and a column ``suppressed`` naming the hidden columns of
        each row (``;``-separated, empty when none).

    Raises
    ------
    KeyError
        If a table, column or line cell does not exist.
    ValueError
        If ``min_cell`` is below 1.

    Examples
    --------
    A total in one table and its breakdown in another:

    >>> import pandas as pd
    >>> total = pd.DataFrame({"n": [40]})
    >>> parts = pd.DataFrame({"group": ["a", "b"], "n": [37, 3]})
    >>> out = suppress_linked({"total": total, "parts": parts}, {"total": ["n"], "parts": ["n"]},
    ...                       [[("total", 0, "n"), ("parts", 0, "n"), ("parts", 1, "n")]])
    >>> out["parts"]["n"].tolist(), out["total"]["n"].tolist()
    ([<NA>, <NA>], [40])
    """
    import numpy as np
    import pandas as pd

    if min_cell < 1:
        raise ValueError(f"The 'min_cell' parameter must be at least 1. Got {min_cell!r} instead.")
    position: dict[tuple[str, int, str], int] = {}
    values: list[float] = []
    for name, cols in columns.items():
        if name not in tables:
            raise KeyError(f"no table {name!r}; known: {', '.join(tables)}")
        table = tables[name]
        missing = [c for c in cols if c not in table.columns]
        if missing:
            raise KeyError(f"columns not in the table {name!r}: {', '.join(missing)}")
        for column in cols:
            numbers = pd.to_numeric(table[column], errors="coerce").to_numpy(dtype=float)
            for i, value in enumerate(numbers.tolist()):
                position[(name, i, column)] = len(values)
                values.append(value)
    cell_values = np.asarray(values, dtype=float)
    hidden = (cell_values >= 1) & (cell_values < min_cell)
    index_lines = []
    for line in lines:
        cells = []
        for cell in line:
            if cell not in position:
                raise KeyError(f"cell {cell!r} is not a count cell of the tables")
            if not np.isnan(cell_values[position[cell]]):
                cells.append(position[cell])
        if len(cells) > 1:
            index_lines.append(np.asarray(sorted(set(cells))))
    changed = True
    while changed:
        changed = False
        for cells in index_lines:
            cell_hidden = hidden[cells]
            if cell_hidden.sum() != 1:
                continue
            candidates = np.flatnonzero(~cell_hidden & (cell_values[cells] > 0))
            if candidates.size == 0:
                continue
            hidden[cells[candidates[np.argmin(cell_values[cells][candidates])]]] = True
            changed = True
    out: dict[str, pd.DataFrame] = {}
    for name, cols in columns.items():
        table = tables[name].copy()
        flags = np.zeros((len(table), len(cols)), dtype=bool)
        for j, column in enumerate(cols):
            flags[:, j] = [hidden[position[(name, i, column)]] for i in range(len(table))]
            series = pd.to_numeric(table[column], errors="coerce").astype("Float64")
            series[flags[:, j]] = pd.NA
            if (series.dropna() == series.dropna().round()).all():
                series = series.astype("Int64")
            table[column] = series
        table["suppressed"] = [
            ";".join(c for c, h in zip(cols, row, strict=True) if h) for row in flags
        ]
        out[name] = table
    return out


def mark_suppressed(data: pd.DataFrame, mark: str = "x") -> pd.DataFrame:
    """For display: the cells :func:`suppress_small_counts` hid, shown as ``mark``.

    Takes a table with a ``suppressed`` column and returns a copy without it,
    in which every hidden cell reads ``x`` (the sign Statistics Netherlands
    uses for a confidential figure) instead of ``<NA>``. One sign for every
    hidden cell: a cell hidden by secondary suppression is not small, so
    ``<5`` would be wrong for it. A table without a ``suppressed`` column is
    returned unchanged.

    Examples
    --------
    >>> import pandas as pd
    >>> t = suppress_small_counts(pd.DataFrame({"code": ["a", "b", "c"], "n": [12, 3, 20]}), ["n"])
    >>> mark_suppressed(t)["n"].tolist()
    ['x', 'x', 20]
    """
    if "suppressed" not in data.columns:
        return data
    out = data.drop(columns="suppressed")
    marked = data["suppressed"].fillna("").astype(str).str.split(";")
    for column in {c for cols in marked for c in cols if c}:
        if column not in out.columns:
            continue
        hide = marked.map(lambda cols, c=column: c in cols).to_numpy()
        values = out[column].astype(object)
        values[hide] = mark
        out[column] = values
    return out


def safe_path(root: str | Path, *parts: str) -> Path:
    """``root / parts...``, refusing any result outside ``root``.

    Each part must be a plain name: no separators, no ``..``, no NUL or
    newline characters.

    Raises
    ------
    PrivacyError
        If a part is not a plain name or the path would leave ``root``.

    Examples
    --------
    >>> safe_path("/data/out", "wijk-noord", "tables").as_posix()
    '/data/out/wijk-noord/tables'
    >>> safe_path("/data/out", "../../etc")
    Traceback (most recent call last):
    ...
    netwerkonderzoek.privacy.PrivacyError: path part '../../etc' is not a plain name; refusing to write outside /data/out
    """
    base = Path(root).resolve()
    for part in parts:
        if (
            not isinstance(part, str)
            or part in ("", ".", "..")
            or any(ch in part for ch in ("/", "\\", "\0", "\n", "\r"))
        ):
            raise PrivacyError(
                f"path part {part!r} is not a plain name; refusing to write outside {base}"
            )
    path = base.joinpath(*parts).resolve()
    if path != base and base not in path.parents:
        raise PrivacyError(f"path {path} lies outside {base}")
    return path
