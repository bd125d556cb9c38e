"""An age from a birth date, and the birth date then dropped as the identifier it is.

A units source with ``age: {birth_date: Geboortedatum, as_of: wave, to: age}``
(:class:`~netwerkonderzoek.config.AgeSpec`) gets a numeric units column
``age``: the age in whole years on the fieldwork date of the row's wave
(``study.waves``), or on a fixed date (``as_of: 2024-01-01``). The configuration
refuses the key unless the birth date column is also listed under ``drop``,
so the order in :func:`~.convert.convert_source` is:

1. :func:`read_birth_dates` reads the column's dates (:func:`~.parse.parse_date`:
   a workbook's date cells, ``YYYY-MM-DD``, ``DD-MM-YYYY``, ``1 maart 1960``)
   before anything else looks at the file;
2. :func:`~.personal.protect_source` drops the column, so no output, the
   quarantine's raw text included, holds a birth date;
3. :func:`derive_ages` computes the ages (:func:`~.recode.ages_on`) and
   quarantines a row whose birth date is not a date, lies after its reference
   date or gives an age over :data:`MAX_AGE` years, or whose wave has no date
   in ``study.waves``. The reasons never show the birth date.

A blank birth date gives a missing age (the column is nullable).

Examples
--------
>>> import numpy as np, pandas as pd
>>> from netwerkonderzoek.config import SourceSpec
>>> from netwerkonderzoek.harmonise.sources import RawTable
>>> raw = RawTable(pd.DataFrame({"Nr": ["1", "2"], "Geboortedatum": ["29-02-2000", "1 maart 2000"]}),
...                np.array([2, 3]), "sha")
>>> spec = SourceSpec(file="k.csv", table="units", person_id="Nr", drop=["Geboortedatum"],
...                   columns={"wave": "Nr"}, age={"birth_date": "Geboortedatum", "as_of": "2023-02-28"})
>>> read_birth_dates(spec, raw)[0].tolist()
['2000-02-29', '2000-03-01']
"""

from __future__ import annotations

import numpy as np

from .parse import DATE_FORMS, parse_dates
from .recode import ages_on

__all__ = ["MAX_AGE", "derive_ages", "read_birth_dates"]

#: An age above this many years is not taken as a fact but quarantined.
MAX_AGE = 120


def read_birth_dates(spec, raw) -> tuple[np.ndarray, np.ndarray] | None:
    """Each row's birth date as ``YYYY-MM-DD`` (None when blank or unreadable), and the unreadable.

    None when the source has no ``age`` or the file lacks the column (which
    :func:`~.personal.protect_source` then reports as a missing ``drop`` column).

    Examples
    --------
    >>> import pandas as pd
    >>> from netwerkonderzoek.config import SourceSpec
    >>> from netwerkonderzoek.harmonise.sources import RawTable
    >>> raw = RawTable(pd.DataFrame({"Nr": ["K1", "K2", "K3"],
    ...                              "Geboortedatum": ["01-09-1960", "onbekend", ""]}),
    ...                np.array([2, 3, 4]), "sha")
    >>> spec = SourceSpec(file="k.csv", table="units", person_id="Nr", drop=["Geboortedatum"],
    ...                   age={"birth_date": "Geboortedatum", "as_of": "2024-01-01"})
    >>> dates, unreadable = read_birth_dates(spec, raw)
    >>> dates.tolist(), unreadable.tolist()
    (['1960-09-01', None, None], [False, True, False])
    >>> read_birth_dates(spec.model_copy(update={"age": None}), raw) is None
    True
    """
    if spec.age is None or spec.age.birth_date not in raw.frame.columns:
        return None
    cells = raw.frame[spec.age.birth_date].to_numpy(dtype=object)
    dates = parse_dates(cells)
    blank = np.array(
        [c is None or (isinstance(c, str) and not c.strip()) or c != c for c in cells], dtype=bool
    )
    return dates, ~blank & np.array([d is None for d in dates], dtype=bool)


def derive_ages(spec, config, birth, out: dict, reasons) -> np.ndarray:
    """The age column of a units source with ``age`` (NaN where unknown), faults in ``reasons``.

    ``out`` holds the converted columns (``wave`` for ``as_of: wave``);
    ``reasons`` collects faults per row (``bad`` and ``add(mask, kind, texts)``,
    as :func:`~.convert.convert_source` passes it).

    Examples
    --------
    Ages on the wave dates; a birth date that is not a date, a wave without
    a date and a birth after the wave date give no age:

    >>> import pandas as pd
    >>> from netwerkonderzoek.config import NetworkConfig, SourceSpec
    >>> from netwerkonderzoek.harmonise.sources import RawTable
    >>> class Reasons:  # collects the faults per row, as convert_source's reasons do
    ...     def __init__(self, n):
    ...         self.bad, self.found = np.zeros(n, dtype=bool), []
    ...     def add(self, mask, kind, texts):
    ...         for j, i in enumerate(np.flatnonzero(mask)):
    ...             self.found.append((int(i), kind, texts if isinstance(texts, str) else texts[j]))
    >>> config = NetworkConfig.model_validate({"network_id": "tiny", "name": "Klein",
    ...     "mission": "m", "task": "t", "study": {"start": "2024-01", "end": "2024-12",
    ...     "waves": [{"wave": 1, "date": "2024-03-01"}, {"wave": 2, "date": "2024-09-01"}]}})
    >>> spec = SourceSpec(file="k.csv", table="units", person_id="Nr", drop=["Geboortedatum"],
    ...                   columns={"wave": "Meting"}, age={"birth_date": "Geboortedatum", "as_of": "wave"})
    >>> raw = RawTable(pd.DataFrame({"Nr": ["K1", "K2", "K3", "K4"], "Meting": ["1", "2", "1", "3"],
    ...     "Geboortedatum": ["01-09-1960", "2025-01-01", "onbekend", "1 maart 1990"]}),
    ...     np.arange(2, 6), "sha")
    >>> reasons = Reasons(4)
    >>> derive_ages(spec, config, read_birth_dates(spec, raw),
    ...             {"wave": np.array([1.0, 2.0, 1.0, 3.0])}, reasons).tolist()
    [63.0, nan, nan, nan]
    >>> [(row, kind) for row, kind, _ in reasons.found]
    [(2, 'not a date'), (3, 'unknown wave'), (1, 'born after the reference date')]
    >>> reasons.found[2][2]
    "column 'Geboortedatum' (age): the birth date lies after the reference date 2024-09-01 (the value is not shown: personal data)"
    """
    age = spec.age
    n = len(reasons.bad)
    if birth is None:  # pragma: no cover - protect_source refused the source first
        return np.full(n, np.nan)
    dates, unreadable = birth
    where = f"column {age.birth_date!r} ({age.to})"
    reasons.add(
        unreadable,
        "not a date",
        f"{where}: the birth date is not a date; expected {', '.join(DATE_FORMS)} "
        "(the value is not shown: personal data)",
    )
    if age.as_of == "wave":
        waves = np.asarray(out["wave"], dtype=float)
        by_wave = {w: d.isoformat() for w, d in config.wave_dates.items()}
        known = np.isin(waves, list(by_wave))
        unknown = ~known & ~np.isnan(waves)
        listed = ", ".join(str(w) for w in by_wave)
        reasons.add(
            unknown,
            "unknown wave",
            [
                f"column {spec.columns['wave']!r} (wave): wave {w:g} has no date under "
                f"study.waves (waves {listed}); the age is taken on the wave's date (age.as_of)"
                for w in waves[unknown]
            ],
        )
        reference = np.array(
            [by_wave.get(int(w)) if k else None for w, k in zip(waves, known, strict=True)],
            dtype=object,
        )
    else:
        reference = np.full(n, age.as_of.isoformat(), dtype=object)
    years = ages_on(np.where(unreadable, None, dates), reference)
    negative = years < 0
    reasons.add(
        negative,
        "born after the reference date",
        [
            f"{where}: the birth date lies after the reference date {r} (the value is not "
            "shown: personal data)"
            for r in reference[negative]
        ],
    )
    old = years > MAX_AGE
    reasons.add(
        old,
        "not a plausible age",
        f"{where}: the birth date gives an age over {MAX_AGE} years (the value is not shown: "
        "personal data)",
    )
    return np.where(negative | old, np.nan, years)
