"""Harmonise a network: every raw source into its canonical table, with a report.

:func:`harmonise_network` converts each source of the network configuration
(:mod:`.convert`), then, per canonical table and across its sources in
configuration order:

1. **exact duplicates** — a row whose canonical values (and period length)
   equal an earlier row's, such as the same month exported twice, is kept
   once; the repeats get status ``duplicate`` naming the row they repeat;
2. **quarters** — a quarterly row (``Q1 2024``) with ``quarter: first`` is
   booked on the quarter's first month; with ``quarter: split`` it becomes
   three monthly rows, each float column divided by three and rounded to the
   column's ``harmonisation.decimals``, the rounding remainder on the third
   month so the quarter's total is kept exactly; a yearly row (``2024``,
   CBS's ``2024*``) likewise, on January or over its twelve months;
3. **key conflicts** — rows that give the same key (``partner_id, period,
   activity``) different values are all quarantined: the tool does not choose
   between partners' figures.

It writes, under ``data/<network_id>/``:

- ``<table>.csv`` for every table the sources feed (replacing it), sorted by
  the table's key, UTF-8, floats as Python writes them;
- ``provenance/<table>.csv``: the key of every row with ``source_file``
  (relative to ``data/raw/<network_id>/``), ``source_sheet``, ``source_row``
  (line or sheet row) and ``source_hash`` (SHA-256 of the raw file). The
  canonical schemas do not allow extra columns, so provenance is a sidecar
  keyed by the table key;
- ``harmonisation/report.csv`` (per source: rows read, accepted, quarantined,
  duplicates, totals, the unit conversions, the reasons counted, the columns
  dropped as personal data and how many values they held),
  ``harmonisation/quarantine.csv`` (every row not accepted, with its status,
  reason and raw text) and ``harmonisation/state.json`` (hashes of the raw
  files, the source configuration, ``partners.csv`` and the outputs, read by
  :func:`needs_harmonisation`; with a units source also the pseudonym of
  :data:`KEY_CHECK` under the key, so a new key is noticed without storing it;
  and the sources entirely or above ``harmonisation.max_quarantine_share``
  quarantined, if any: such a harmonisation is written for inspection but
  counts as not done, see :attr:`HarmonisationResult.problems`).

Per source, ``rows_read = accepted + quarantined + duplicates + totals``.
The same raw files, configuration and key always give byte-identical outputs.

Before any source is read, a network with a ``units`` source needs its
pseudonymisation key (:func:`pseudonymisation_key`); each source is then
checked for direct identifiers, its ``drop`` columns removed and its person
ids pseudonymised (:mod:`.personal`) before conversion. Every check runs
before the first file is written, so an error leaves the outputs as they were.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..config import NetworkConfig
from ..privacy import PrivacyError, load_key, pseudonymise_value
from ..tables import SCHEMAS, TableSchema, csv_text, read_table
from .convert import (
    PROVENANCE_COLUMNS,
    QUARANTINE_COLUMNS,
    TEXT_EXTRAS,
    ConvertedSource,
    convert_source,
    extra_columns,
    text_column,
)
from .errors import HarmoniseError
from .partners import PartnerList
from .qda import CodedSource, convert_coded_source
from .report import REPORT_COLUMNS, build_report, quarantine_problems
from .sources import file_sha256
from .survey import ConvertedSurvey, convert_survey, survey_tables

__all__ = [
    "HarmonisationResult",
    "harmonisation_reason",
    "harmonise_network",
    "needs_harmonisation",
    "pseudonymisation_key",
    "raw_dir_of",
    "state_path",
]

STATE_VERSION = 1
#: Extra columns that hold text: an observation's ``stance`` (:mod:`.qda`).
#: Text whose pseudonym, kept in the state, tells whether the key changed (it reveals no key).
KEY_CHECK = "netwerkonderzoek-key-check"


@dataclass
class HarmonisationResult:
    """What :func:`harmonise_network` produced.

    Attributes
    ----------
    network_id : str
    tables : dict of str to DataFrame
        Canonical tables fed by the sources, sorted by key.
    provenance : dict of str to DataFrame
        Per table: key columns and provenance columns, aligned with ``tables``.
    quarantine : DataFrame
        Every row read that was not accepted (status ``quarantined``,
        ``duplicate`` or ``total``) with its reason, and every cell read as
        missing because it was not understood (status ``missing``: a survey
        rating outside its labels; the row itself is used).
    report : DataFrame
        One row per source: counts, conversions and reasons.
    files : list of Path
        Files written (empty when ``write=False``).
    problems : list of str
        Sources entirely, or above ``harmonisation.max_quarantine_share``,
        quarantined (:func:`~.report.quarantine_problems`); empty when the
        harmonisation passed. With problems the files are still written, for
        inspection, but the state records them: the network still needs
        harmonising (:func:`needs_harmonisation`) and a run refuses it.
    """

    network_id: str
    tables: dict[str, pd.DataFrame]
    provenance: dict[str, pd.DataFrame]
    quarantine: pd.DataFrame
    report: pd.DataFrame
    settings: dict = field(default_factory=dict)
    #: Survey sources: ``survey_response`` and ``survey_respondents`` (:mod:`.survey`).
    survey: dict[str, pd.DataFrame] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether no source was entirely or too much quarantined."""
        return not self.problems


def raw_dir_of(config: NetworkConfig, data_dir: str | Path = "data") -> Path:
    """Folder of a network's raw partner files: ``data_dir/raw/<network_id>``.

    Examples
    --------
    >>> from netwerkonderzoek.config import NetworkConfig
    >>> config = NetworkConfig.model_validate({"network_id": "x", "name": "X",
    ...     "mission": "m", "task": "t", "study": {"start": "2024-01", "end": "2024-12",
    ...     "waves": [{"wave": 1, "date": "2024-03-01"}]}})
    >>> raw_dir_of(config).as_posix()
    'data/raw/x'
    """
    return Path(data_dir) / "raw" / config.network_id


def state_path(config: NetworkConfig, data_dir: str | Path = "data") -> Path:
    """The harmonisation state file of a network.

    Examples
    --------
    >>> from netwerkonderzoek.config import NetworkConfig
    >>> config = NetworkConfig.model_validate({"network_id": "x", "name": "X",
    ...     "mission": "m", "task": "t", "study": {"start": "2024-01", "end": "2024-12",
    ...     "waves": [{"wave": 1, "date": "2024-03-01"}]}})
    >>> state_path(config, "/srv/data").as_posix()
    '/srv/data/x/harmonisation/state.json'
    """
    return Path(data_dir) / config.network_id / "harmonisation" / "state.json"


#: Source keys added later: left out of the settings hash while unset, so that a
#: configuration without them keeps its hash (and is not harmonised again).
_LATER_KEYS = ("unpivot", "missing_markers", "age", "survey", "coded_segments")


def _source_settings(spec) -> dict:
    dump = spec.model_dump(mode="json")
    for name in _LATER_KEYS:
        if dump.get(name) in (None, {}):
            dump.pop(name, None)
    return dump


def _settings_hash(config: NetworkConfig) -> str:
    data = {
        "sources": [_source_settings(s) for s in config.sources],
        # max_quarantine_share decides whether harmonising passes, not what it writes
        "harmonisation": config.harmonisation.model_dump(
            mode="json", exclude={"max_quarantine_share"}
        ),
        "network_id": config.network_id,
        "indicators": [s.id for s in config.indicators],
    }
    if config.codebook.codes or config.codebook != type(config.codebook)():
        data["codebook"] = config.codebook.model_dump(mode="json")
    text = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def needs_harmonisation(
    config: NetworkConfig, data_dir: str | Path = "data", *, key: bytes | None = None
) -> bool:
    """Whether the raw sources changed since the network was last harmonised.

    True when :func:`harmonisation_reason` gives a reason: the configuration
    has sources and there is no harmonisation state, or a raw file, the
    source configuration, ``partners.csv`` or an output differs from (or is
    missing since) the last harmonisation, or (with a units source) the
    pseudonymisation key is another one than the last harmonisation's or
    cannot be read (``key``, by default :func:`pseudonymisation_key`), or the
    last harmonisation quarantined a source entirely or above
    ``harmonisation.max_quarantine_share``. A network without sources never
    needs it.

    Examples
    --------
    >>> from netwerkonderzoek.config import NetworkConfig
    >>> config = NetworkConfig.model_validate({"network_id": "x", "name": "X",
    ...     "mission": "m", "task": "t", "study": {"start": "2024-01", "end": "2024-12",
    ...     "waves": [{"wave": 1, "date": "2024-03-01"}]}})
    >>> needs_harmonisation(config, "nowhere")
    False
    """
    return harmonisation_reason(config, data_dir, key=key) is not None


def harmonisation_reason(
    config: NetworkConfig, data_dir: str | Path = "data", *, key: bytes | None = None
) -> str | None:
    """Why the network needs harmonising (see :func:`needs_harmonisation`), or None.

    Examples
    --------
    >>> from netwerkonderzoek.config import NetworkConfig
    >>> config = NetworkConfig.model_validate({"network_id": "x", "name": "X",
    ...     "mission": "m", "task": "t", "study": {"start": "2024-01", "end": "2024-12",
    ...     "waves": [{"wave": 1, "date": "2024-03-01"}]},
    ...     "sources": [{"file": "uren.csv", "table": "contributions"}]})
    >>> harmonisation_reason(config, "nowhere")
    'it has not been harmonised yet (no harmonisation/state.json)'
    """
    if not config.sources:
        return None
    path = state_path(config, data_dir)
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return "it has not been harmonised yet (no harmonisation/state.json)"
    except ValueError:
        return "the harmonisation state (harmonisation/state.json) is not readable"
    if state.get("version") != STATE_VERSION or state.get("settings") != _settings_hash(config):
        return "the sources or harmonisation settings in the configuration changed"
    if any(s.person_id is not None for s in config.sources):
        try:
            key = key if key is not None else pseudonymisation_key(config)
        except PrivacyError:
            # harmonising will say how to provide the key
            return "the pseudonymisation key cannot be read"
        if state.get("key_check") != pseudonymise_value(KEY_CHECK, key):
            return "the pseudonymisation key is another one than the last harmonisation's"
    raw_dir = raw_dir_of(config, data_dir)
    recorded = {s["file"]: s["sha256"] for s in state.get("sources", [])}
    changed = []
    for spec in config.sources:
        files = [spec.file]
        if spec.coded_segments is not None and spec.coded_segments.documents is not None:
            files.append(spec.coded_segments.documents.file)
        changed += [
            name
            for name in files
            if not (raw_dir / name).is_file() or recorded.get(name) != file_sha256(raw_dir / name)
        ]
    if changed:
        return "raw files changed since the last harmonisation: " + ", ".join(
            dict.fromkeys(changed)
        )
    folder = Path(data_dir) / config.network_id
    partners = folder / "partners.csv"
    if not partners.is_file() or state.get("partners") != file_sha256(partners):
        return "partners.csv changed since the last harmonisation"
    outputs = [
        rel
        for rel, sha in state.get("outputs", {}).items()
        if not (folder / rel).is_file() or file_sha256(folder / rel) != sha
    ]
    if outputs:
        return "outputs changed since the last harmonisation: " + ", ".join(outputs)
    if state.get("quarantine_problems"):
        return "the last harmonisation failed: " + "; ".join(state["quarantine_problems"])
    return None


def _read_partners(config: NetworkConfig, data_dir: Path) -> PartnerList:
    path = data_dir / config.network_id / "partners.csv"
    if not path.is_file():
        raise HarmoniseError(
            "partners.csv not found: the partner list is needed to check partner ids",
            path=config.path,
            key="sources",
            source=path,
        )
    try:
        return PartnerList.from_frame(read_table("partners", path))
    except ValueError as exc:  # one name or alias for two partners
        raise HarmoniseError(str(exc), path=config.path, key="sources", source=path) from None


def _ranks(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """Group number of each row by ``columns``, in order of first appearance."""
    if not len(frame):
        return np.zeros(0, dtype=np.int64)
    return frame.groupby(columns, sort=False, dropna=False).ngroup().to_numpy()


def _first_of_group(groups: np.ndarray) -> np.ndarray:
    _, first = np.unique(groups, return_index=True)
    return first[groups]


def _split_quarters(frame: pd.DataFrame, float_columns: list[str], decimals: dict) -> pd.DataFrame:
    """Replace each quarterly (yearly) row flagged for splitting by three (twelve) monthly rows."""
    months = frame["months"].to_numpy()
    split = (months > 1) & frame["split"].to_numpy()
    if not split.any():
        return frame
    whole = frame.loc[~split]
    thirds = []
    for size in (3, 12):
        part = frame.loc[split & (months == size)]
        for k in range(size if len(part) else 0):
            piece = part.copy()
            year = piece["period"].str[:4].astype(int)
            month = piece["period"].str[5:7].astype(int) + k
            piece["period"] = year.astype(str) + "-" + month.map("{:02d}".format)
            for name in float_columns:
                total = part[name].to_numpy()
                d = decimals.get(name)
                third = total / size if d is None else np.round(total / size, d)
                value = third if k < size - 1 else (total - (size - 1) * third)
                piece[name] = (value if d is None else np.round(value, d)) + 0.0
            piece["split_part"] = k
            thirds.append(piece)
    merged = pd.concat([whole.assign(split_part=0), *thirds])
    return merged.sort_values(["_order", "split_part"], kind="stable").drop(columns="split_part")


class _Stacked:
    """The accepted rows of a table's sources, stacked in order, gathered lazily.

    Text columns stay as each source's codes into its distinct values, so a
    column of the stacked rows (or of a subset) is an integer take; numeric
    columns are concatenated when first asked for. Equivalent to
    ``pandas.concat`` of the sources' ``accepted`` frames, without copying a
    million strings that are then sorted and copied again.
    """

    def __init__(self, converted: list[ConvertedSource]):
        self.converted = converted
        self.n = sum(c.n_accepted for c in converted)
        self._arrays: dict[str, np.ndarray] = {}
        self._coded: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def __len__(self) -> int:
        return self.n

    def _codes(self, name: str) -> tuple[np.ndarray, np.ndarray] | None:
        if any(name not in c.codes for c in self.converted):
            return None
        if name not in self._coded:
            values = [c.codes[name][1] for c in self.converted]
            offsets = np.cumsum([0, *map(len, values)])[:-1]
            codes = np.concatenate(
                [c.codes[name][0] + off for c, off in zip(self.converted, offsets, strict=True)]
                or [np.zeros(0, dtype=np.intp)]
            )
            self._coded[name] = (codes, np.concatenate(values) if values else np.zeros(0, object))
        return self._coded[name]

    def array(self, name: str) -> np.ndarray:
        """A numeric column of all rows."""
        if name not in self._arrays:
            self._arrays[name] = np.concatenate([c.arrays[name] for c in self.converted])
        return self._arrays[name]

    def column(self, name: str, idx: np.ndarray | None = None):
        """Column ``name`` of all rows, or of rows ``idx``, typed as the sources' frames."""
        coded = self._codes(name)
        if coded is not None:
            codes, values = coded
            return text_column(codes if idx is None else codes[idx], values)
        values = self.array(name)
        return values if idx is None else values[idx]

    def sorted_codes(self, name: str) -> np.ndarray | None:
        """Codes of ``name`` ordered as its values sort (missing -1), or None."""
        coded = self._codes(name)
        if coded is None:
            return None
        codes, values = coded
        ranks, _ = pd.factorize(values, sort=True, use_na_sentinel=True)
        return ranks[codes]

    def frame(self, columns: list[str], idx: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(
            {c: pd.Series(self.column(c, idx), index=idx, copy=False) for c in columns},
            copy=False,
        )


class _FrameRows:
    """The same interface over a frame of rows (after quarters are split)."""

    def __init__(self, rows: pd.DataFrame):
        self.rows = rows.reset_index(drop=True)

    def __len__(self) -> int:
        return len(self.rows)

    def array(self, name: str) -> np.ndarray:
        return self.rows[name].to_numpy()

    def column(self, name: str, idx: np.ndarray | None = None):
        values = self.rows[name].array
        return values if idx is None else values.take(idx)

    def sorted_codes(self, name: str) -> None:
        return None

    def frame(self, columns: list[str], idx: np.ndarray) -> pd.DataFrame:
        return self.rows.iloc[idx][columns]


def _key_groups(
    rows: _Stacked | _FrameRows, key: list[str], known: list[np.ndarray | None] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Sort order by ``key`` (stable) and the key group of every row.

    Each key column is factorized with sorted codes (or ``known`` gives them),
    so sorting the integer codes orders the rows as sorting the text would.
    """
    n = len(rows)
    if not n:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    known = known or [None] * len(key)
    codes = [
        k if k is not None else pd.factorize(rows.column(c), sort=True)[0]
        for c, k in zip(key, known, strict=True)
    ]
    sizes = [int(c.max()) + 2 for c in codes]
    if float(np.prod([float(x) for x in sizes])) < 2.0**62:
        # One integer per key (codes shifted past -1): a stable argsort of it is
        # the order numpy.lexsort gives, at a fraction of the cost.
        combined = np.zeros(n, dtype=np.int64)
        for c, size in zip(codes, sizes, strict=True):
            combined = combined * size + (c.astype(np.int64) + 1)
        order = np.argsort(combined, kind="stable")
        ordered = combined[order]
        start = np.empty(n, dtype=bool)
        start[0] = True
        start[1:] = ordered[1:] != ordered[:-1]
        groups = np.empty(n, dtype=np.int64)
        groups[order] = np.cumsum(start) - 1
        return order, groups
    order = np.lexsort(codes[::-1])
    start = np.zeros(n, dtype=bool)
    start[0] = True
    for c in codes:
        ordered = c[order]
        start[1:] |= ordered[1:] != ordered[:-1]
    groups = np.empty(n, dtype=np.int64)
    groups[order] = np.cumsum(start) - 1
    return order, groups


def _quarantine_frame(config, table, part, status, kind, reasons) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "_record": part["source_record"].to_numpy(),
            "network_id": config.network_id,
            "table": table,
            "source": part["source"].to_numpy(),
            "source_file": part["source_file"].to_numpy(),
            "source_sheet": part["source_sheet"].to_numpy(),
            "source_row": part["source_row"].to_numpy(),
            "status": status,
            "kind": kind,
            "reason": reasons,
            "raw": "",
        }
    )


def _combine(
    table: str, converted: list[ConvertedSource], config: NetworkConfig
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, dict[int, tuple[int, int]]]:
    """Quarters, exact duplicates and key conflicts across the sources of one table."""
    schema = SCHEMAS[table]
    extras = list(dict.fromkeys(e for c in converted for e in extra_columns(schema, c.spec)))
    _add_missing_extras(converted, extras)
    names, key = [*schema.column_names, *extras], list(schema.key)
    rows, splitting = _stacked_rows(converted, schema, config)
    order, groups = _key_groups(rows, key, [rows.sorted_codes(k) for k in key])
    drop, rejected = _repeated_records(table, converted, config, rows, groups, names, key)
    keep = order[~drop[order]] if drop.any() else order
    table_out, provenance = _table_and_provenance(rows, keep, schema, names, extras, key)
    counts = _source_counts(converted, rows, keep, splitting or drop.any(), splitting)
    extra = (
        pd.concat(rejected, ignore_index=True)
        if rejected
        else pd.DataFrame(columns=QUARANTINE_COLUMNS)
    )
    return table_out, provenance, extra, counts


def _add_missing_extras(converted: list[ConvertedSource], extras: list[str]) -> None:
    """Give each source the extra columns another source of the table maps (as missing)."""
    for c in converted:
        for name in extras:
            if name in TEXT_EXTRAS and name not in c.codes:
                c.codes[name] = (np.zeros(c.n_accepted, dtype=np.intp), np.array([None], object))
                c.column_order.append(name)
                c.__dict__.pop("_accepted", None)
            elif name not in TEXT_EXTRAS and name not in c.arrays:
                c.arrays[name] = np.full(c.n_accepted, np.nan)
                c.column_order.append(name)
                c.__dict__.pop("_accepted", None)


def _stacked_rows(
    converted: list[ConvertedSource], schema: TableSchema, config: NetworkConfig
) -> tuple[_Stacked | _FrameRows, bool]:
    """The accepted rows of all sources, quarters split where a source says so; whether split."""
    splitting = any(
        c.spec.quarter == "split" and bool((c.arrays["months"] > 1).any()) for c in converted
    )
    if not splitting:
        return _Stacked(converted), False
    frame = pd.concat([c.accepted for c in converted], ignore_index=True)
    frame["split"] = np.concatenate(
        [np.full(len(c.accepted), c.spec.quarter == "split") for c in converted]
    )
    frame["_order"] = np.arange(len(frame))
    float_columns = [c.name for c in schema.columns if c.kind == "float"]
    frame = _split_quarters(frame, float_columns, config.harmonisation.decimals)
    return _FrameRows(frame.drop(columns=["split", "_order"])), True


def _repeated_records(
    table: str,
    converted: list[ConvertedSource],
    config: NetworkConfig,
    rows: _Stacked | _FrameRows,
    groups: np.ndarray,
    names: list[str],
    key: list[str],
) -> tuple[np.ndarray, list[pd.DataFrame]]:
    """Rows to drop, and their quarantine: records that are exact duplicates or conflict."""
    shared = np.bincount(groups)[groups] > 1 if len(rows) else np.zeros(0, dtype=bool)
    drop = np.zeros(len(rows), dtype=bool)
    if not shared.any():
        return drop, []
    # Only rows sharing a key can repeat or conflict: compare them in full.
    idx = np.flatnonzero(shared)
    sub = rows.frame([*names, "months", "source", *PROVENANCE_COLUMNS, "source_record"], idx)
    first, is_dup, bad = _classify_repeats(sub, groups, idx, names)
    by_index = {c.index: c for c in converted}
    rejected = []
    if is_dup.any():
        rejected.append(_duplicates(config, table, sub, is_dup, first, by_index))
    if bad.any():
        rejected.append(_conflicts(config, table, sub, bad, groups[idx], key, by_index))
    drop[idx] = is_dup | bad
    # Every canonical row of a record that is dropped goes with it.
    gone = pd.MultiIndex.from_frame(sub.loc[is_dup | bad, ["source", "source_record"]])
    if len(gone):
        drop |= pd.MultiIndex.from_arrays(
            [rows.array("source"), rows.array("source_record")]
        ).isin(gone)
    return drop, rejected


def _classify_repeats(
    sub: pd.DataFrame, groups: np.ndarray, idx: np.ndarray, names: list[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row sharing a key: its first full copy, and whether it repeats or conflicts."""
    full = _ranks(sub, [*names, "months"])
    first = _first_of_group(full)
    dup = first != np.arange(len(sub))
    # One id per record: a raw row, or one cell of a wide source's row (a record
    # may give several canonical rows: a quarter split). pandas'
    # MultiIndex codes are int8 for few levels: arithmetic on them overflowed
    # (an OverflowError from 127 repeats, silent wrap-around below that).
    raw_id = sub.groupby(["source", "source_record"], sort=False).ngroup().to_numpy()
    all_dup = pd.Series(dup).groupby(raw_id).transform("all").to_numpy()
    # Conflicts: keys still given more than once once exact repeats are set aside.
    left = groups[idx][~dup]
    counts = np.bincount(left, minlength=groups.max() + 1)
    conflict_row = ~all_dup & (counts[groups[idx]] > 1)
    conflict_raw = pd.Series(conflict_row).groupby(raw_id).transform("any").to_numpy()
    is_dup = all_dup & ~conflict_raw
    return first, is_dup, conflict_raw | (~is_dup & dup)


def _duplicates(
    config: NetworkConfig,
    table: str,
    sub: pd.DataFrame,
    is_dup: np.ndarray,
    first: np.ndarray,
    by_index: dict[int, ConvertedSource],
) -> pd.DataFrame:
    """The quarantine of exact duplicates, each naming the row it repeats."""
    reps = sub.loc[is_dup].drop_duplicates(["source", "source_record"])
    originals = sub.iloc[first[is_dup]].loc[
        ~sub.loc[is_dup].duplicated(["source", "source_record"]).to_numpy()
    ]
    return _quarantine_frame(
        config,
        table,
        reps,
        "duplicate",
        "exact duplicate",
        [
            f"exact duplicate of {f} row {r}{by_index[s].cell(c)}"
            for f, r, s, c in zip(
                originals["source_file"],
                originals["source_row"],
                originals["source"],
                originals["source_record"],
                strict=True,
            )
        ],
    )


def _conflicts(
    config: NetworkConfig,
    table: str,
    sub: pd.DataFrame,
    bad: np.ndarray,
    kids: np.ndarray,
    key: list[str],
    by_index: dict[int, ConvertedSource],
) -> pd.DataFrame:
    """The quarantine of key conflicts, each naming every row that gives the key."""
    where = (
        sub.assign(_kid=kids)
        .loc[np.isin(kids, kids[bad])]
        .drop_duplicates(["_kid", "source", "source_record"])
        .groupby("_kid")[["source_file", "source_row", "source", "source_record"]]
        .agg(list)
    )
    text = {
        k: ", ".join(
            f"{f} row {r}{by_index[s].cell(c)}" for f, r, s, c in zip(fs, rs, ss, cs, strict=True)
        )
        for k, fs, rs, ss, cs in where.itertuples(name=None)
    }
    bad_raw = sub.loc[bad].assign(_kid=kids[bad]).drop_duplicates(["source", "source_record"])
    return _quarantine_frame(
        config,
        table,
        bad_raw,
        "quarantined",
        "key conflict",
        [
            "key ("
            + ", ".join(f"{c}={v}" for c, v in zip(key, vals, strict=True))
            + f") is given different values by {text[k]}"
            for k, vals in zip(bad_raw["_kid"], bad_raw[key].itertuples(index=False), strict=True)
        ],
    )


def _table_and_provenance(
    rows: _Stacked | _FrameRows,
    keep: np.ndarray,
    schema: TableSchema,
    names: list[str],
    extras: list[str],
    key: list[str],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The kept rows as the canonical table (typed) and its provenance table."""
    # Take each needed column once; the table and its provenance share the key columns.
    taken = {
        c: pd.Series(rows.column(c, keep), copy=False)
        for c in dict.fromkeys([*names, *PROVENANCE_COLUMNS])
    }
    table_out = pd.DataFrame({c: taken[c] for c in names}, copy=False)
    for col in schema.columns:
        if col.kind in ("int", "bool"):
            table_out[col.name] = table_out[col.name].round().astype("Int64")
        elif col.kind == "float":
            table_out[col.name] = table_out[col.name].astype(float)
    for name in extras:  # numbers; whole numbers throughout are written as integers
        if name in TEXT_EXTRAS:
            continue
        values = table_out[name].astype(float)
        known = values.dropna()
        whole = len(known) and bool((known == known.round()).all())
        table_out[name] = values.round().astype("Int64") if whole else values
    provenance = pd.DataFrame(
        {c: table_out[c] if c in key else taken[c] for c in [*key, *PROVENANCE_COLUMNS]},
        copy=False,
    )
    return table_out, provenance


def _source_counts(
    converted: list[ConvertedSource],
    rows: _Stacked | _FrameRows,
    keep: np.ndarray,
    filtered: bool,
    splitting: bool,
) -> dict[int, tuple[int, int]]:
    """Per source, its records and canonical rows kept (a split quarter: one record, 3 rows)."""
    if filtered:
        source = rows.array("source")[keep].astype(np.int64)
        canonical = np.bincount(source) if len(source) else np.zeros(0, dtype=np.int64)
    else:  # every accepted row of every source is kept
        canonical = np.zeros(max((c.index for c in converted), default=-1) + 1, dtype=np.int64)
        for c in converted:
            canonical[c.index] += c.n_accepted
    if splitting:
        # A split quarter gives three canonical rows of one record.
        width = int(rows.array("source_record").max()) + 1
        raw_rows = np.unique(source * width + rows.array("source_record")[keep])
        raw_count = np.bincount(raw_rows // width)
    else:
        raw_count = canonical
    return {
        int(src): (int(raw_count[src]), int(canonical[src])) for src in np.flatnonzero(canonical)
    }


def _csv(frame: pd.DataFrame) -> str:
    """The frame as CSV text (:func:`netwerkonderzoek.tables.csv_text`).

    Text a spreadsheet would run as a formula (a raw cell in ``quarantine.csv``)
    is written with a leading ``'``.
    """
    return csv_text(frame)


def _write(path: Path, text: str, hashes: dict[Path, str] | None = None) -> Path:
    """Write ``text`` as UTF-8; with ``hashes``, record the SHA-256 of the bytes written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    path.write_bytes(data)
    if hashes is not None:
        hashes[path] = hashlib.sha256(data).hexdigest()
    return path


def pseudonymisation_key(config: NetworkConfig, environ: dict | None = None) -> bytes:
    """The key for a network's units sources: ``$NETWERKONDERZOEK_KEY`` or ``privacy.key_file``.

    A relative ``privacy.key_file`` is relative to the configuration folder.

    Raises
    ------
    PrivacyError
        If there is no key (the message says how to provide one), the key
        file is missing or the key is too short; it names the configuration
        file and the first units source.

    Examples
    --------
    >>> from netwerkonderzoek.config import NetworkConfig
    >>> config = NetworkConfig.model_validate({"network_id": "x", "name": "X",
    ...     "mission": "m", "task": "t", "study": {"start": "2024-01", "end": "2024-12",
    ...     "waves": [{"wave": 1, "date": "2024-03-01"}]},
    ...     "sources": [{"file": "leden.csv", "table": "units", "person_id": "Lidnummer",
    ...                  "columns": {"wave": "Meting", "area": "Wijk"}}]})
    >>> pseudonymisation_key(config, environ={"NETWERKONDERZOEK_KEY": "a-long-enough-key-0123"})
    b'a-long-enough-key-0123'
    >>> pseudonymisation_key(config, environ={})
    Traceback (most recent call last):
    ...
    netwerkonderzoek.privacy.PrivacyError: source leden.csv (sources.0, table units): no pseudonymisation key: ...
    """
    spec = next(s for s in config.sources if s.person_id is not None)
    index = config.sources.index(spec)
    try:
        return load_key(config.key_file, environ=environ)
    except PrivacyError as exc:
        where = ", ".join(
            part
            for part in (
                str(config.path) if config.path else None,
                f"source {spec.file} (sources.{index}, table {spec.table})",
            )
            if part
        )
        raise PrivacyError(f"{where}: {exc}") from None


def harmonise_network(
    config: NetworkConfig,
    data_dir: str | Path = "data",
    *,
    raw_dir: str | Path | None = None,
    write: bool = True,
    key: bytes | None = None,
) -> HarmonisationResult:
    """Turn a network's raw partner exports into its canonical tables.

    Parameters
    ----------
    config : NetworkConfig
        The network configuration; its ``sources`` describe the raw files.
    data_dir : path
        Data root: canonical tables are written to ``data_dir/<network_id>/``
        and the partner list is read from there.
    raw_dir : path, optional
        Folder of the raw files (default ``data_dir/raw/<network_id>``).
    write : bool
        Write the tables, provenance, report, quarantine and state (default);
        False only returns them.
    key : bytes, optional
        Pseudonymisation key for units sources; by default
        :func:`pseudonymisation_key` reads it (environment variable or
        ``privacy.key_file``). Only asked for when a source has ``person_id``.

    Returns
    -------
    HarmonisationResult

    Raises
    ------
    HarmoniseError
        If the configuration has no sources, or a source does not fit its
        file (a missing column, an unknown unit, an ambiguous period, a partner
        id not in ``partners.csv``, an unreadable file, a ``drop`` column
        that is not in the file).
    PrivacyError
        If a raw column holds direct identifiers and is not listed under the
        source's ``drop``, or a units source is to be harmonised without a
        pseudonymisation key. Nothing is written then.

    Examples
    --------
    A timesheet with a repeated row and a cell that is not a number:

    >>> import tempfile
    >>> from netwerkonderzoek.config import NetworkConfig
    >>> data_dir = Path(tempfile.mkdtemp())
    >>> (data_dir / "raw" / "x").mkdir(parents=True)
    >>> _ = (data_dir / "raw" / "x" / "uren.csv").write_text(
    ...     "Organisatie;Maand;Uren\\nGemeente;jan 2024;12,5\\nGemeente;jan 2024;12,5\\n"
    ...     "Gemeente;feb 2024;veel\\n")
    >>> (data_dir / "x").mkdir()
    >>> _ = (data_dir / "x" / "partners.csv").write_text(
    ...     "network_id,partner_id,name,kind,sector,joined,left\\n"
    ...     "x,gemeente,Gemeente,municipality,government,2024-01-01,\\n")
    >>> config = NetworkConfig.model_validate({"network_id": "x", "name": "X",
    ...     "mission": "m", "task": "t", "study": {"start": "2024-01", "end": "2024-12",
    ...     "waves": [{"wave": 1, "date": "2024-03-01"}]},
    ...     "sources": [{"file": "uren.csv", "table": "contributions",
    ...         "columns": {"partner_id": "Organisatie", "period": "Maand", "hours": "Uren"},
    ...         "constants": {"activity": "overleg", "value_type": "partner", "costs_eur": 0}}]})
    >>> result = harmonise_network(config, data_dir)
    >>> result.tables["contributions"][["partner_id", "period", "hours"]].to_dict("records")
    [{'partner_id': 'gemeente', 'period': '2024-01', 'hours': 12.5}]
    >>> result.quarantine[["source_row", "status", "reason"]].to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'source_row': 3, 'status': 'duplicate', 'reason': 'exact duplicate of uren.csv row 2'},
     {'source_row': 4, 'status': 'quarantined',
      'reason': "column 'Uren' (hours): got 'veel'; expected a number with decimal ','"}]
    >>> result.report[["rows_read", "accepted", "quarantined", "duplicates"]].to_dict("records")
    [{'rows_read': 3, 'accepted': 1, 'quarantined': 1, 'duplicates': 1}]
    >>> sorted(p.relative_to(data_dir).as_posix() for p in result.files)  # doctest: +NORMALIZE_WHITESPACE
    ['x/contributions.csv', 'x/harmonisation/quarantine.csv', 'x/harmonisation/report.csv',
     'x/harmonisation/state.json', 'x/provenance/contributions.csv']
    >>> result.ok, needs_harmonisation(config, data_dir)
    (True, False)
    """
    data_dir = Path(data_dir)
    if not config.sources:
        raise HarmoniseError(
            "the configuration lists no sources to harmonise", path=config.path, key="sources"
        )
    raw = Path(raw_dir) if raw_dir is not None else raw_dir_of(config, data_dir)
    partners = _read_partners(config, data_dir)
    if key is None and any(s.person_id is not None for s in config.sources):
        key = pseudonymisation_key(config)
    converted = [
        convert_survey(config, i, raw, partners)
        if spec.survey is not None
        else convert_coded_source(config, i, raw, partners)
        if spec.coded_segments is not None
        else convert_source(config, i, raw, partners, pseudonym_key=key)
        for i, spec in enumerate(config.sources)
    ]

    tables, provenance, rejected = {}, {}, [c.rejected for c in converted]
    counts: dict[int, tuple[int, int]] = {}
    for table in dict.fromkeys(s.table for s in config.sources):
        mine = [c for c in converted if c.spec.table == table]
        tables[table], provenance[table], extra, found = _combine(table, mine, config)
        rejected.append(extra)
        counts.update(found)
    for c in converted:  # a survey response gives many ties: count responses, not ties
        if isinstance(c, ConvertedSurvey):
            counts[c.index] = (c.responses_used, counts.get(c.index, (0, 0))[1])
    for c in converted:  # an observation of coded segments is several raw rows (codings)
        if isinstance(c, CodedSource) and c.index in counts:
            canonical = counts[c.index][1]
            counts[c.index] = (c.raw_rows - (c.n_accepted - canonical), canonical)
    quarantine = (
        pd.concat([r for r in rejected if len(r)], ignore_index=True)
        if any(len(r) for r in rejected)
        else pd.DataFrame(columns=QUARANTINE_COLUMNS)
    )
    quarantine = quarantine.astype({"source": "int64", "source_row": "int64"})
    # Rows set aside across sources get their raw text from their own source.
    later = quarantine["status"].eq("duplicate") | quarantine["kind"].eq("key conflict")
    for c in converted:
        if later.any():
            mine = later & (quarantine["source"] == c.index)
            if mine.any():
                quarantine.loc[mine, "raw"] = c.raw_text(
                    quarantine.loc[mine, "_record"].to_numpy(dtype=np.int64)
                )
        c.raw = None  # free the cells
    quarantine = quarantine.sort_values(["source", "source_row"], kind="stable").reset_index(
        drop=True
    )[QUARANTINE_COLUMNS]
    report = build_report(config, converted, quarantine, counts)
    result = HarmonisationResult(config.network_id, tables, provenance, quarantine, report)
    result.survey = survey_tables(config, converted)
    result.problems = quarantine_problems(report, config.harmonisation.max_quarantine_share)
    if write:
        result.files = _write_outputs(config, data_dir, result, converted, key)
    return result


def _write_outputs(
    config: NetworkConfig,
    data_dir: Path,
    result: HarmonisationResult,
    converted: list[ConvertedSource],
    key: bytes | None = None,
) -> list[Path]:
    folder = data_dir / config.network_id
    written: dict[str, Path] = {}
    hashes: dict[Path, str] = {}
    for table, frame in result.tables.items():
        written[f"{table}.csv"] = _write(folder / f"{table}.csv", _csv(frame), hashes)
        written[f"provenance/{table}.csv"] = _write(
            folder / "provenance" / f"{table}.csv", _csv(result.provenance[table]), hashes
        )
    for name, frame in result.survey.items():
        written[f"{name}.csv"] = _write(folder / f"{name}.csv", _csv(frame), hashes)
    written["harmonisation/report.csv"] = _write(
        folder / "harmonisation" / "report.csv", _csv(result.report[REPORT_COLUMNS]), hashes
    )
    written["harmonisation/quarantine.csv"] = _write(
        folder / "harmonisation" / "quarantine.csv", _csv(result.quarantine), hashes
    )
    state = {
        "version": STATE_VERSION,
        "network_id": config.network_id,
        "settings": _settings_hash(config),
        "partners": file_sha256(folder / "partners.csv"),
        "sources": [{"file": c.spec.file, "sha256": c.sha256} for c in converted]
        + [
            {"file": f, "sha256": h}
            for c in converted
            if isinstance(c, CodedSource)
            for f, h in c.extra_files
        ],
        "outputs": {rel: hashes[path] for rel, path in sorted(written.items())},
    }
    if key is not None:
        state["key_check"] = pseudonymise_value(KEY_CHECK, key)
    if result.problems:  # written for inspection, but not a harmonisation to run on
        state["quarantine_problems"] = result.problems
    text = json.dumps(state, indent=2, sort_keys=True) + "\n"
    written["harmonisation/state.json"] = _write(folder / "harmonisation" / "state.json", text)
    return list(written.values())
