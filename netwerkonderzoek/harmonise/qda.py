r"""Coded interviews from qualitative analysis tools become observations.

A source with ``coded_segments`` (:class:`~netwerkonderzoek.config.CodedSegmentsSpec`)
is a coded-segment export of MAXQDA ("Overview of coded segments"), an
ATLAS.ti quotation report or an NVivo coding summary (CSV or XLSX; one row
per segment and code), or a REFI-QDA project (``.qdpx``: a zip holding
``project.qde``, namespace ``urn:QDA-XML:project:1.0``, and ``Sources/``).

- **One observation per segment, with all its codes.** A segment is a
  document's piece of text between two positions; its rows (or qdpx
  codings) are gathered. ``observation_id`` is ``id_prefix`` + the document
  name as a slug + the positions (``interview-3-12-14``; ``-2``, ``-3`` ...
  for other texts at the same positions), so ids survive a new export.
- **The code book** (``codebook`` of the network) maps each code, its
  hierarchy joined by ``\`` (``CMO1\Overzicht en rust``), to a configuration
  id and a direction, or to a plain code; a sub-code takes its nearest listed
  parent's entry. ``codes`` lists the configuration ids, then plain codes;
  the extra column ``stance`` says ``cmo-01:supports;cmo-02:refines`` and
  ``sentiment`` stays empty (:func:`netwerkonderzoek.stats.observation_counts`
  counts by the stance). A code the book does not map is, by
  ``codebook.unmapped``, quarantined (default; the reason names the known
  codes), kept as a plain code (counted under the report's conversions) or
  an error. A segment coded with two directions for one configuration is
  quarantined; a code book entry naming a configuration the programme
  theory does not define is an error (:func:`check_codebook`).
- **Document attributes** (``date``, ``source_role``, ``partner_id``) come
  from the document table (``documents``), else from the qdpx document
  variables (``variables``; on the TextSource or on a Case naming it), else
  from the source's ``constants`` and ``partner_id``. The source's ``values``
  (``source_role``) and ``partner_names`` map them. A document without a
  date or role quarantines its segments.
- **Text** is free text: direct identifiers are masked (or the segment
  quarantined, ``privacy.free_text``); a text that looks like a spreadsheet
  formula, holds a control character or is too long is quarantined.
- A ``.qdpx`` that does not follow the schema (not a zip, no
  ``project.qde``, another namespace, a DOCTYPE, a coding of an unknown
  code GUID, a selection outside its document, a document text that is not
  in the project) is a :class:`~.errors.HarmoniseError` naming the element.

Per source ``rows_read`` counts rows (qdpx: codings) and reconciles with
accepted + quarantined + duplicates.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..config import CodeBook, CodeBookEntry, NetworkConfig, SourceSpec
from ..privacy import (
    TEXT_IDENTIFIER_WORDS,
    mask_text_identifiers,
)
from ..tables import MAX_CELL_LENGTH, SOURCE_ROLES, cell_repr, looks_like_formula
from .convert import PROVENANCE_COLUMNS, QUARANTINE_COLUMNS, ConvertedSource
from .errors import HarmoniseError
from .parse import parse_date
from .qdpx import read_qdpx
from .segments import PRESETS, cell_text, document_table, inside_raw_dir, read_segment_export
from .sources import file_sha256

__all__ = ["PRESETS", "CodedSource", "check_codebook", "convert_coded_source", "lookup_code"]


@dataclass
class CodedSource(ConvertedSource):
    """A converted coded-segment source: also the document table read, and raw rows kept.

    ``extra_files`` lists (file, SHA-256) of further files read (the
    document table); ``raw_rows`` the raw rows (codings) behind the accepted
    observations; ``lines`` the quarantine text of every raw row.
    """

    extra_files: list[tuple[str, str]] = field(default_factory=list)
    raw_rows: int = 0
    lines: dict[int, str] = field(default_factory=dict, repr=False)

    def raw_text(self, rows: np.ndarray) -> list[str]:
        """The quarantine text of raw rows (codings), ``""`` for a row not read.

        Examples
        --------
        >>> import pandas as pd
        >>> coded = CodedSource(0, None, "sha", "", 2, pd.DataFrame(),
        ...                     lines={1: "Interview 1;3;11;CMO1\\\\Rust"})
        >>> coded.raw_text(np.array([1, 2]))
        ['Interview 1;3;11;CMO1\\\\Rust', '']
        """
        return [self.lines.get(int(r), "") for r in rows]


def lookup_code(name: str, codebook: CodeBook) -> CodeBookEntry | None:
    r"""The code book entry of a code, or of its nearest listed parent; None if none.

    Examples
    --------
    >>> from netwerkonderzoek.config import CodeBook
    >>> book = CodeBook.model_validate({"codes": {"CMO1": {"cmo": "cmo-01"},
    ...     "CMO1\\Rust": {"cmo": "cmo-01", "direction": "supports"}}})
    >>> lookup_code("CMO1\\Rust\\Bewoners", book).direction
    'supports'
    >>> lookup_code("CMO1\\Anders", book).direction is None, lookup_code("CMO2", book)
    (True, None)
    """
    parts = name.split(codebook.separator)
    for n in range(len(parts), 0, -1):
        entry = codebook.codes.get(codebook.separator.join(parts[:n]))
        if entry is not None:
            return entry
    return None


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "document"


def _attributes(document, spec, table, variables, partners, key) -> tuple[dict, str | None]:
    """The document's date, source_role and partner_id, or the reason they fail."""
    coded = spec.coded_segments
    where = (
        f"the document table {coded.documents.file}"
        if coded.documents is not None
        else f"qdpx variables {coded.variables}"
        if coded.tool == "qdpx"
        else "no document table"
    )
    given = table.get(document, {})
    if coded.tool == "qdpx":
        found = variables.get(document, {})
        given = {
            **{f: found[v] for f, v in coded.variables.items() if v in found},
            **{f: v for f, v in given.items() if cell_text(v)},
        }
    values = {}
    for name in ("date", "source_role", "partner_id"):
        value = cell_text(given.get(name))
        if not value and name == "partner_id" and spec.partner_id is not None:
            value = spec.partner_id
        if not value and name in spec.constants:
            value = str(spec.constants[name])
        values[name] = value
    missing = [n for n in ("date", "source_role") if not values[n]]
    if missing:
        return {}, (
            f"document {document!r} has no {' and no '.join(missing)}: expected "
            f"{' and '.join(missing)} in {where} (or under {key}.constants)"
        )
    date = parse_date(given.get("date") if cell_text(given.get("date")) else values["date"])
    if date is None:
        return {}, f"document {document!r}: date {cell_repr(values['date'])} is not a date"
    role = spec.values.get("source_role", {}).get(values["source_role"], values["source_role"])
    if role not in SOURCE_ROLES:
        return {}, (
            f"document {document!r}: source_role {cell_repr(role)}; expected one of "
            f"{', '.join(SOURCE_ROLES)} (or a label under {key}.values.source_role)"
        )
    partner = spec.partner_names.get(values["partner_id"], values["partner_id"]) or None
    if partner is not None and partner not in partners:
        # the partner list's names and aliases, forgiving case, accents and spacing
        match = partners.match(partner) if hasattr(partners, "match") else None
        if match is None:
            hint = (
                partners.unknown_message(partner)
                if hasattr(partners, "unknown_message")
                else f"{cell_repr(partner)} is not a partner id in partners.csv"
            )
            return {}, (
                f"document {document!r}: unknown partner: {hint}, or map it under "
                f"{key}.partner_names"
            )
        partner = match
    return {"date": date, "source_role": role, "partner_id": partner}, None


def _check_text(text: str, mode: str, masked: dict[str, int]) -> tuple[str, str | None, str]:
    """(text to keep, reason kind or None, reason) for a segment's text."""
    if len(text) > MAX_CELL_LENGTH:
        return (
            text,
            "too long",
            f"the segment holds {len(text):,} characters; at most "
            + (f"{MAX_CELL_LENGTH:,} are accepted"),
        )
    control = re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text)
    if control:
        return (
            text,
            "control character",
            f"the segment holds a control character ({control.group()!r})",
        )
    if looks_like_formula(text):
        return (
            text,
            "formula",
            (f"the segment starts with {text[0]!r}: a spreadsheet would run it as a formula"),
        )
    clean, counts = mask_text_identifiers(text)
    if counts and mode == "quarantine":
        kinds = ", ".join(TEXT_IDENTIFIER_WORDS[k] for k in counts)
        return (
            text,
            "personal data in text",
            (f"the segment holds {kinds} (personal data); privacy.free_text is 'quarantine'"),
        )
    for kind, number in counts.items():
        masked[kind] = masked.get(kind, 0) + number
    return clean, None, ""


def _theory_ids(config: NetworkConfig) -> list[str] | None:
    """Configuration ids of the network's programme theory, or None when it cannot be read.

    Only the ids are read (``configurations[*].id``): the theory itself is
    checked by ``validate`` and the study, not here.
    """
    path = config.theory_path
    if path is None or not path.is_file():
        return None
    import yaml

    from ..yamlfile import load_yaml

    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    configurations = data.get("configurations") if isinstance(data, dict) else None
    if not isinstance(configurations, list):
        return None
    return [
        c["id"] for c in configurations if isinstance(c, dict) and isinstance(c.get("id"), str)
    ]


def check_codebook(config: NetworkConfig) -> None:
    r"""Refuse a code book entry whose configuration the programme theory does not define.

    Nothing is checked when the theory file cannot be read (``validate``
    reports that).

    Raises
    ------
    HarmoniseError
        Naming the configuration file, the key ``codebook.codes.<code>.cmo``,
        the theory file and its configurations.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from netwerkonderzoek.config import NetworkConfig
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> (root / "theories").mkdir()
    >>> _ = (root / "theories" / "tiny.yaml").write_text("configurations:\n  - id: cmo-01\n")
    >>> config = NetworkConfig.model_validate({
    ...     "network_id": "tiny", "name": "Klein", "mission": "m", "task": "t",
    ...     "study": {"start": "2024-01", "end": "2024-12", "waves": [{"wave": 1, "date": "2024-03-01"}]},
    ...     "path": root / "networks" / "tiny.yaml",
    ...     "codebook": {"codes": {"CMO2\\Rust": {"cmo": "cmo-02", "direction": "supports"}}}})
    >>> check_codebook(config)
    Traceback (most recent call last):
    ...
    netwerkonderzoek.harmonise.errors.HarmoniseError: ...: code 'CMO2\\Rust' maps to configuration 'cmo-02', which the theory theories/tiny.yaml does not define; its configurations are cmo-01
    """
    ids = _theory_ids(config)
    if ids is None:
        return
    for name, entry in config.codebook.codes.items():
        if entry.cmo is not None and entry.cmo not in ids:
            raise HarmoniseError(
                f"code {name!r} maps to configuration {entry.cmo!r}, which the theory "
                f"{config.theory or f'theories/{config.network_id}.yaml'} does not define; "
                f"its configurations are {', '.join(ids) or 'none'}",
                path=config.path,
                key=f"codebook.codes.{name}.cmo",
            )


def _known(codebook: CodeBook) -> str:
    names = sorted(codebook.codes)
    shown = ", ".join(repr(n) for n in names[:20])
    more = f" and {len(names) - 20} more" if len(names) > 20 else ""
    return (shown + more) if names else "none (codebook.codes is empty)"


def convert_coded_source(
    config: NetworkConfig, index: int, raw_dir: str | Path, partners: set[str]
) -> CodedSource:
    r"""Read source ``index`` (with ``coded_segments``) and build its observations.

    Parameters
    ----------
    config : NetworkConfig
        The network configuration: ``config.sources[index]`` and ``config.codebook``.
    index : int
        Position of the source (``sources.<index>``).
    raw_dir : path
        Folder of the raw files (``data/raw/<network_id>``); the export and
        its document table must lie in it.
    partners : set of str
        Partner ids of the network (``partners.csv``).

    Returns
    -------
    CodedSource
        Accepted observations (one per segment), the quarantined
        segment-codes with their reasons and the counts, combined by the
        pipeline like any source.

    Raises
    ------
    HarmoniseError
        If a code book entry names a configuration the theory does not
        define (:func:`check_codebook`), the export lacks a needed column, the document table does not fit,
        the ``.qdpx`` does not follow the REFI-QDA schema, two documents give
        the same id, or (``codebook.unmapped: error``) a code is not in the
        code book.
    PrivacyError
        If a column of a tabular export holds direct identifiers and is not
        listed under ``drop`` (a "created by" column of user names).

    Examples
    --------
    A MAXQDA "Overzicht gecodeerde segmenten" as CSV: one segment with two
    codes (two rows, one observation) and a code the book does not map:

    >>> import pathlib, tempfile
    >>> from netwerkonderzoek.config import NetworkConfig
    >>> raw = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (raw / "segmenten.csv").write_text(
    ...     "Documentnaam;Code;Begin;Einde;Segment\n"
    ...     "Interview 1;CMO1\\Rust;3;4;Het plan geeft rust.\n"
    ...     "Interview 1;Waarde\\Maatschappelijk;3;4;Het plan geeft rust.\n"
    ...     "Interview 2;Overig;7;7;Geen idee.\n", encoding="utf-8")
    >>> config = NetworkConfig.model_validate({
    ...     "network_id": "tiny", "name": "Klein", "mission": "m", "task": "t",
    ...     "study": {"start": "2024-01", "end": "2024-12", "waves": [{"wave": 1, "date": "2024-03-01"}]},
    ...     "codebook": {"codes": {"CMO1\\Rust": {"cmo": "cmo-01", "direction": "supports"},
    ...                            "Waarde": {"code": "societal"}}},
    ...     "sources": [{"file": "segmenten.csv", "table": "observations",
    ...                  "constants": {"date": "2024-03-14", "source_role": "resident"},
    ...                  "coded_segments": {"tool": "maxqda"}}]})
    >>> coded = convert_coded_source(config, 0, raw, set())
    >>> coded.accepted[["observation_id", "date", "codes", "stance"]].values.tolist()
    [['interview-1-3-4', '2024-03-14', 'cmo-01;societal', 'cmo-01:supports']]
    >>> coded.rows_read, coded.raw_rows
    (3, 2)
    >>> coded.rejected[["source_row", "kind"]].values.tolist()
    [[4, 'unmapped code']]
    """
    check_codebook(config)
    spec = config.sources[index]
    key, config_path = config.source_key(index), config.path
    raw_dir = Path(raw_dir)
    path = inside_raw_dir(raw_dir, spec.file, f"{key}.file", config_path)
    read = _read_export(spec, config.codebook, path, key, config_path)
    table, extra_files = document_table(spec, raw_dir, key, config_path)
    state = _Coded(
        config, spec, key, path, table, read.variables, partners,
        rejected=[(r, "quarantined", kind, reason) for r, kind, reason in read.problems],
    )  # fmt: skip
    for segment in read.segments:
        _convert_segment(state, segment)
    kept = state.kept_unmapped
    conversions = [f"unmapped codes kept as plain codes: {kept}"] if kept else []
    return _build(
        config,
        index,
        spec,
        read.sha,
        read.sheet,
        read.rows_read,
        state.records,
        state.rejected,
        read.lines,
        state.masked,
        read.dropped,
        conversions,
        extra_files,
        state.raw_rows,
    )


@dataclass
class _Export:
    """A coded source as read: its segments, counts and what provenance needs."""

    segments: list
    rows_read: int
    lines: dict[int, str]
    variables: dict[str, dict[str, str]]
    sha: str
    sheet: str
    problems: list[tuple[int, str, str]] = field(default_factory=list)
    dropped: dict[str, int] = field(default_factory=dict)


def _read_export(spec: SourceSpec, book: CodeBook, path: Path, key: str, config_path) -> _Export:
    """Read the ``.qdpx`` project or the tabular segment export of the source."""
    if spec.coded_segments.tool == "qdpx":
        segments, rows_read, lines, variables = read_qdpx(
            path, book.separator, key=key, config_path=config_path
        )
        return _Export(segments, rows_read, lines, variables, file_sha256(path), "project.qde")
    segments, rows_read, raw, lines, problems, dropped = read_segment_export(
        spec, path, key, config_path
    )
    return _Export(segments, rows_read, lines, {}, raw.sha256, raw.sheet, problems, dropped)


@dataclass
class _Coded:
    """The conversion of one coded source under way: what it reads by and what it gathers."""

    config: NetworkConfig
    spec: SourceSpec
    key: str
    path: Path
    table: dict  # document -> {field: cell}, from the document table
    variables: dict  # document -> {variable: value}, from the qdpx project
    partners: set[str]
    rejected: list[tuple[int, str, str, str]] = field(default_factory=list)
    masked: dict[str, int] = field(default_factory=dict)
    kept_unmapped: int = 0
    records: list[dict] = field(default_factory=list)
    ids: dict[str, str] = field(default_factory=dict)  # observation id -> document
    docs: dict[str, str] = field(default_factory=dict)  # document slug -> document
    raw_rows: int = 0


def _convert_segment(state: _Coded, segment) -> None:
    """One segment: an observation record, or its rows quarantined with the reason."""
    doc_slug = _document_slug(state, segment.document)
    stance, plain, good_rows = _segment_codes(state, segment)
    if not good_rows:
        return
    kind, reason = _conflict(stance, segment.document)
    attrs, fault = _attributes(
        segment.document, state.spec, state.table, state.variables, state.partners, state.key
    )
    if reason is None and fault is not None:
        kind, reason = "document attributes", fault
    text = segment.text
    if reason is None:
        text, kind, reason = _check_text(
            segment.text, state.config.privacy.free_text, state.masked
        )
        reason = reason or None
    if reason is not None:
        state.rejected += [(r, "quarantined", kind, reason) for r in good_rows]
        return
    state.raw_rows += len(good_rows)
    state.records.append(
        {
            "observation_id": _observation_id(state, doc_slug, segment),
            **attrs,
            "text": text,
            "codes": ";".join([*sorted(stance), *dict.fromkeys(plain)]),
            "stance": ";".join(f"{c}:{min(s)[0]}" for c, s in sorted(stance.items())) or None,
            "source_row": good_rows[0],
        }
    )


def _document_slug(state: _Coded, document: str) -> str:
    """The document's slug for observation ids; refuse two documents with one slug."""
    doc_slug = _slug(document)
    if state.docs.setdefault(doc_slug, document) != document:
        raise HarmoniseError(
            f"documents {state.docs[doc_slug]!r} and {document!r} give the same "
            f"observation id prefix {doc_slug!r}; rename one in the tool",
            path=state.config.path,
            key=f"{state.key}.file",
            source=state.path,
        )
    return doc_slug


def _segment_codes(state: _Coded, segment) -> tuple[dict, list[str], list[int]]:
    """The segment's stances (configuration -> {(direction, code)}), plain codes and rows kept."""
    book = state.config.codebook
    stance: dict[str, set[tuple[str, str]]] = {}
    plain: list[str] = []
    good_rows, seen = [], {}
    for row, code in zip(segment.rows, segment.codes, strict=True):
        name = code.replace("\x00", book.separator)
        if name in seen:
            state.rejected.append(
                (
                    row,
                    "duplicate",
                    "exact duplicate",
                    f"repeats row {seen[name]}: same segment and code {name!r}",
                )
            )
            continue
        seen[name] = row
        entry = lookup_code(name, book)
        if entry is None:
            if not _keep_unmapped(state, row, segment.document, name):
                continue
            plain.append(name.replace(";", ","))
        else:
            if entry.cmo is not None:
                stance.setdefault(entry.cmo, set()).add((entry.direction or "neutral", name))
            if entry.code is not None:
                plain.append(entry.code)
        good_rows.append(row)
    return stance, plain, good_rows


def _keep_unmapped(state: _Coded, row: int, document: str, name: str) -> bool:
    """Whether an unmapped code is kept (``codebook.unmapped``); else refused or quarantined."""
    book = state.config.codebook
    if book.unmapped == "error":
        raise HarmoniseError(
            f"row {row}, document {document!r}: code {name!r} is not in "
            f"the code book (codebook.codes); known codes: {_known(book)}",
            path=state.config.path,
            key="codebook.codes",
            source=state.path,
        )
    if book.unmapped == "quarantine":
        state.rejected.append(
            (
                row,
                "quarantined",
                "unmapped code",
                f"document {document!r}: "
                f"code {name!r} is not in the code book (codebook.codes); known "
                f"codes: {_known(book)}",
            )
        )
        return False
    state.kept_unmapped += 1
    return True


def _conflict(stance: dict, document: str) -> tuple[str | None, str | None]:
    """(kind, reason) when the segment gives one configuration two directions, else Nones."""
    for given in stance.values():  # a code only about the configuration yields to a direction
        if any(d != "neutral" for d, _ in given):
            given -= {g for g in given if g[0] == "neutral"}
    two = {c: s for c, s in stance.items() if len({d for d, _ in s}) > 1}
    if not two:
        return None, None
    cmo, both = sorted(two.items())[0]
    return (
        "conflicting directions",
        (
            f"document {document!r}: the segment gives {cmo} "
            + " and ".join(f"{d} (code {n!r})" for d, n in sorted(both))
            + "; code one direction per configuration"
        ),
    )


def _observation_id(state: _Coded, doc_slug: str, segment) -> str:
    """``id_prefix`` + document slug + positions, numbered ``-2``, ``-3`` ... when taken."""
    position = "-".join(_slug(p) for p in segment.position if p) or "0"
    base = f"{state.spec.coded_segments.id_prefix}{doc_slug}-{position}"
    number, oid = 1, base
    while oid in state.ids:
        number += 1
        oid = f"{base}-{number}"
    state.ids[oid] = segment.document
    return oid


def _build(
    config,
    index,
    spec,
    sha,
    sheet,
    rows_read,
    records,
    rejected,
    lines,
    masked,
    dropped,
    conversions,
    extra_files,
    raw_rows,
) -> CodedSource:
    """The accepted observations as factorized columns and arrays, with the quarantine rows."""
    names = [
        "network_id",
        "observation_id",
        "date",
        "source_role",
        "partner_id",
        "text",
        "codes",
        "stance",
    ]
    frame = pd.DataFrame(records, columns=[*names[1:], "source_row"])
    frame.insert(0, "network_id", config.network_id)
    n = len(frame)
    codes = {}
    for name in [*names, "source_file", "source_sheet", "source_hash"]:
        values = (
            frame[name].to_numpy(dtype=object)
            if name in frame
            else np.full(
                n,
                {"source_file": spec.file, "source_sheet": sheet, "source_hash": sha}[name],
                dtype=object,
            )
        )
        values = [None if v is None or v != v else str(v) for v in values]
        inverse, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=False)
        uniques = np.array([None if u is None or u != u else u for u in uniques], dtype=object)
        codes[name] = (np.asarray(inverse, dtype=np.intp), uniques)
    arrays = {
        "sentiment": np.full(n, np.nan),
        "months": np.ones(n, dtype=np.int64),
        "source": np.full(n, index, dtype=np.int64),
        "source_row": frame["source_row"].to_numpy(dtype=np.int64),
    }
    order = [*names[:7], "sentiment", "stance", "months", "source", *PROVENANCE_COLUMNS]
    quarantine = _quarantine(config, index, spec, sheet, rejected, lines)
    return CodedSource(
        index=index,
        spec=spec,
        sha256=sha,
        sheet=sheet,
        rows_read=rows_read,
        rejected=quarantine,
        conversions=conversions,
        dropped=dropped,
        masked=masked,
        codes=codes,
        arrays=arrays,
        column_order=order,
        n_accepted=n,
        extra_files=extra_files,
        raw_rows=raw_rows,
        lines=lines,
    )


def _quarantine(config, index, spec, sheet, rejected, lines) -> pd.DataFrame:
    """The quarantine rows of the source, by raw row, reasons and raw text masked."""
    rows = sorted(rejected, key=lambda r: r[0])
    return pd.DataFrame(
        {
            "network_id": config.network_id,
            "table": "observations",
            "source": index,
            "source_file": spec.file,
            "source_sheet": sheet,
            "source_row": np.array([r[0] for r in rows], dtype=np.int64),
            "status": [r[1] for r in rows],
            "kind": [r[2] for r in rows],
            "reason": [mask_text_identifiers(r[3])[0] for r in rows],
            "raw": [mask_text_identifiers(lines.get(r[0], ""))[0] for r in rows],
        },
        columns=QUARANTINE_COLUMNS,
    )
