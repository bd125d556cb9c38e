"""Personal data in a raw source: refuse direct identifiers, drop them, pseudonymise ids.

Run by :func:`~.convert.convert_source` on every source right after it is
read, before any cell is converted, quarantined or reported:

1. every column named under ``drop`` must be in the file
   (:class:`~.errors.HarmoniseError` otherwise), and so must the ``person_id``
   column of a units source;
2. :func:`netwerkonderzoek.privacy.detect_identifiers` looks at *every*
   column of the file, mapped or not, except the ``person_id`` column (whose
   ids are pseudonymised anyway). A column that looks like names, addresses,
   phone numbers, e-mail addresses or BSNs and is not listed under ``drop``
   stops harmonisation with a :class:`~netwerkonderzoek.privacy.PrivacyError`
   naming the file, the column, the kind of identifier and how many values
   look like one;
3. the ``drop`` columns are removed from the cells read, so no output
   (canonical table, provenance, report, quarantine) can hold them; the
   report counts the non-empty values dropped per column;
4. the ``person_id`` column's cells are replaced by their keyed pseudonyms
   (:func:`netwerkonderzoek.privacy.pseudonym_map`, ``p-`` + 16 hex digits of
   HMAC-SHA256), computed once per distinct id. The column then feeds
   ``unit_id``, and a quarantined row of a units source shows the pseudonym,
   never the raw id;
5. lines of such a source that cannot be split into fields are quarantined
   without their raw text (it may hold a dropped value or a raw id).

Examples
--------
>>> import numpy as np, pandas as pd
>>> from netwerkonderzoek.config import SourceSpec
>>> from netwerkonderzoek.harmonise.sources import RawTable
>>> raw = RawTable(pd.DataFrame({"Nr": ["K1", "K2"], "Naam": ["Jan Jansen", "Piet Smit"],
...                              "Leeftijd": ["61", "55"]}), np.array([2, 3]), "sha")
>>> spec = SourceSpec(file="k.csv", table="units", person_id="Nr", drop=["Naam"])
>>> protect_source(spec, raw, b"demo-key-0123456789", key="sources.0", config_path="x.yaml",
...                source="k.csv")
{'Naam': 2}
>>> raw.frame.columns.tolist(), raw.frame["Nr"].str[:2].tolist()
(['Nr', 'Leeftijd'], ['p-', 'p-'])
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..config import SourceSpec
from ..privacy import PrivacyError, detect_identifiers, pseudonym_map
from .errors import HarmoniseError
from .sources import RawTable

__all__ = ["IDENTIFIER_KINDS", "WITHHELD", "protect_source"]

#: What each kind found by :func:`~netwerkonderzoek.privacy.detect_identifiers` is, in words.
IDENTIFIER_KINDS = {
    "name": "personal names",
    "email": "e-mail addresses",
    "phone": "phone numbers",
    "address": "addresses or postcodes",
    "bsn": "citizen service numbers (BSN)",
    "birth_date": "birth dates",
}

#: Raw text shown in the quarantine for an unreadable line of a source holding personal data.
WITHHELD = "(raw text withheld: the source holds personal data)"


def _where(config_path: object, key: str, source: object) -> str:
    parts = [str(config_path)] if config_path else []
    return ", ".join([*parts, f"key '{key}'", f"source {source}"])


def _stripped(cells: pd.Series) -> pd.Series:
    text = cells.dropna().astype(str).str.strip()
    return text[text != ""]


def protect_source(
    spec: SourceSpec,
    raw: RawTable,
    pseudonym_key: bytes | None,
    *,
    key: str,
    config_path: object,
    source: object,
    factorized=None,
) -> dict[str, int]:
    """Check a source for direct identifiers, drop and pseudonymise in place.

    Parameters
    ----------
    spec : SourceSpec
        The source description (``drop``, ``person_id``).
    raw : RawTable
        The cells read; ``raw.frame`` and ``raw.broken`` are replaced by their
        protected versions.
    pseudonym_key : bytes or None
        The pseudonymisation key; needed when ``spec.person_id`` is set.
    key : str
        Key path of the source in the configuration (``sources.3``).
    config_path, source : path-like
        The configuration file and the raw file, for messages.
    factorized : mapping, optional
        Column name to ``pandas.factorize`` result of ``raw.frame``, shared
        with the caller (see :func:`~netwerkonderzoek.privacy.detect_identifiers`).

    Returns
    -------
    dict of str to int
        Per dropped column, the number of non-empty values dropped.

    Raises
    ------
    HarmoniseError
        If a ``drop`` column or the ``person_id`` column is not in the file.
    PrivacyError
        If a column not listed under ``drop`` holds direct identifiers, or a
        person id column is to be pseudonymised without a key.

    Examples
    --------
    A contact person's name not listed under ``drop`` stops the source, and
    nothing is dropped yet:

    >>> raw = RawTable(pd.DataFrame({"Organisatie": ["Gemeente Noord", "Woonstad"],
    ...     "Contactpersoon": ["Jan Jansen", "Piet de Vries"],
    ...     "E-mail": ["jan@noord.nl", "piet@woonstad.nl"], "Uren": ["12", "8"]}),
    ...     np.array([2, 3]), "sha")
    >>> spec = SourceSpec(file="uren.csv", table="contributions", drop=["E-mail"])
    >>> protect_source(spec, raw, None, key="sources.0", config_path="config/networks/tiny.yaml",
    ...                source="uren.csv")
    Traceback (most recent call last):
    ...
    netwerkonderzoek.privacy.PrivacyError: config/networks/tiny.yaml, key 'sources.0', source uren.csv: direct identifiers in column 'Contactpersoon' (2 values look like personal names); add the column to drop: in the source's configuration (sources.0.drop) to leave them out of every output
    >>> raw.frame.columns.tolist()
    ['Organisatie', 'Contactpersoon', 'E-mail', 'Uren']
    >>> spec = SourceSpec(file="uren.csv", table="contributions", drop=["E-mail", "Contactpersoon"])
    >>> protect_source(spec, raw, None, key="sources.0", config_path="config/networks/tiny.yaml",
    ...                source="uren.csv")
    {'E-mail': 2, 'Contactpersoon': 2}
    >>> raw.frame.columns.tolist()
    ['Organisatie', 'Uren']
    """
    frame = raw.frame
    headers = [str(h) for h in frame.columns]
    shown = ", ".join(repr(h) for h in headers)
    for i, column in enumerate(spec.drop):
        if column not in headers:
            raise HarmoniseError(
                f"column {column!r} listed under drop is not in the file; its columns are {shown}",
                path=config_path,
                key=f"{key}.drop.{i}",
                source=source,
            )
    if spec.person_id is not None and spec.person_id not in headers:
        raise HarmoniseError(
            f"person id column {spec.person_id!r} is not in the file; its columns are {shown}",
            path=config_path,
            key=f"{key}.person_id",
            source=source,
        )
    checked = frame.drop(columns=[spec.person_id]) if spec.person_id in frame.columns else frame
    found = detect_identifiers(
        checked,
        factorized=factorized,
        short_numbers=getattr(factorized, "short_numbers", None),
    )
    if len(found) and spec.drop:
        found = found[~found["column"].isin(spec.drop)]
    if len(found):
        parts = [
            f"column {column!r} ({count} values look like {IDENTIFIER_KINDS.get(kind, kind)})"
            for column, kind, count in found.itertuples(index=False, name=None)
        ]
        what = "the column" if len(parts) == 1 else "the columns"
        raise PrivacyError(
            f"{_where(config_path, key, source)}: direct identifiers in "
            + ", ".join(parts)
            + f"; add {what} to drop: in the source's configuration ({key}.drop) to leave "
            "them out of every output"
        )
    dropped = {column: len(_stripped(frame[column])) for column in spec.drop}
    if spec.drop:
        frame = frame.drop(columns=list(spec.drop))
    if spec.person_id is not None:
        if pseudonym_key is None:
            raise PrivacyError(
                f"{_where(config_path, key, source)}: person ids are only harmonised with a "
                "pseudonymisation key"
            )
        frame = frame.copy()
        frame[spec.person_id] = _pseudonymised(frame[spec.person_id], pseudonym_key)
    if spec.drop or spec.person_id is not None:
        raw.broken = [(row, WITHHELD, reason) for row, _, reason in raw.broken]
    raw.frame = frame
    return dropped


def _pseudonymised(cells: pd.Series, pseudonym_key: bytes) -> np.ndarray:
    """Pseudonyms of a column of person ids (text as shown; blank stays missing)."""
    codes, uniques = pd.factorize(cells.to_numpy(), use_na_sentinel=True)
    text = [v.isoformat() if hasattr(v, "isoformat") else str(v).strip() for v in uniques]
    # An XLSX number cell (client number 1024 read as 1024.0) is the number as shown.
    text = [t[:-2] if t.endswith(".0") and t[:-2].lstrip("-").isdigit() else t for t in text]
    mapping = pseudonym_map([t for t in text if t], pseudonym_key)
    values = np.array([mapping.get(t) for t in text] + [None], dtype=object)
    return values[codes]
