"""Read the coded-segment exports of MAXQDA, ATLAS.ti and NVivo, and document tables.

One row per segment and code (MAXQDA "Overview of coded segments",
"Overzicht gecodeerde segmenten"; an ATLAS.ti quotation report, whose code
cell may list several codes on lines; an NVivo coding summary). Each tool
has a preset (:data:`PRESETS`) of the headers it writes, Dutch and English,
per field; ``coded_segments.columns`` names others. Rows of one document
with the same positions (``begin``, ``end``, ``position``), document group
and text are one :class:`~.qdpx.Segment`. The file is read as any source
(:mod:`.sources`: CSV or XLSX, title block, encoding) and checked for direct
identifiers (:func:`.personal.protect_source`; list a "created by" column of
user names under ``drop``). Document names, codes and groups are checked
too, except for the shape of a street address (``Interview 12``): the
observation ids are made of document names.

Examples
--------
>>> PRESETS["maxqda"]["end"]
('Einde', 'Eind', 'End')
>>> cell_text(12.0), cell_text(None), cell_text(" Interview 1 ")
('12', '', 'Interview 1')
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..config import SourceSpec
from ..privacy import PrivacyError, detect_identifiers
from .convert import safe_cell
from .errors import HarmoniseError
from .personal import IDENTIFIER_KINDS, protect_source
from .qdpx import Segment
from .sources import RawTable, read_file

__all__ = [
    "PRESETS",
    "cell_text",
    "document_table",
    "inside_raw_dir",
    "read_segment_export",
]

#: Per tool: candidate headers of each field (the first present is used), Dutch and English.
PRESETS: dict[str, dict[str, tuple[str, ...]]] = {
    "maxqda": {
        "document": ("Documentnaam", "Document name", "Document"),
        "group": ("Documentgroep", "Document group"),
        "code": ("Code",),
        "begin": ("Begin", "Start"),
        "end": ("Einde", "Eind", "End"),
        "text": ("Segment", "Gecodeerd segment", "Coded segment"),
    },
    "atlasti": {
        "document": ("Document", "Documentnaam", "Document name"),
        "code": ("Codes", "Code"),
        "text": ("Citaat", "Citaatinhoud", "Quotation Content", "Quotation", "Content"),
        "position": ("Referentie", "Reference", "Positie", "Position"),
        "begin": ("Start", "Begin"),
        "end": ("Einde", "End"),
    },
    "nvivo": {
        "document": ("Bestand", "File", "Files", "Name", "Document"),
        "code": ("Code", "Knooppunt", "Node"),
        "text": ("Tekst", "Gecodeerde tekst", "Coded Text", "Text", "Content"),
        "position": ("Referentie", "Reference", "Range"),
        "begin": ("Begin", "Start"),
        "end": ("Einde", "End"),
    },
}
#: Per tool: separator of code levels and of several codes in one cell.
_SEPARATORS = {"maxqda": ("\\", None), "atlasti": ("\\", "\n"), "nvivo": ("\\", None)}
_REQUIRED = ("document", "code", "text")


def _norm_code(code: str, tool_sep: str, book_sep: str) -> str:
    return book_sep.join(p.strip() for p in code.split(tool_sep) if p.strip())


def cell_text(value: object) -> str:
    """A cell as text: stripped, a whole number without ``.0``, a date in ISO form, ``""`` if empty.

    Examples
    --------
    >>> import datetime as dt
    >>> cell_text(dt.datetime(2024, 3, 14)), cell_text(float("nan")), cell_text("-3.0")
    ('2024-03-14T00:00:00', '', '-3')
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value).strip()
    return text[:-2] if re.fullmatch(r"-?\d+\.0", text) else text


def inside_raw_dir(raw_dir: Path, name: str, key: str, config_path) -> Path:
    """``raw_dir / name``, refused when it leads outside ``raw_dir`` (a symbolic link elsewhere).

    Examples
    --------
    >>> import os, tempfile
    >>> raw_dir, elsewhere = Path(tempfile.mkdtemp()), Path(tempfile.mkdtemp())
    >>> inside_raw_dir(raw_dir, "segmenten.xlsx", "sources.0.file", None) == raw_dir / "segmenten.xlsx"
    True
    >>> _ = (elsewhere / "segmenten.csv").write_text("Documentnaam;Code;Segment\\n")
    >>> os.symlink(elsewhere / "segmenten.csv", raw_dir / "link.csv")
    >>> inside_raw_dir(raw_dir, "link.csv", "sources.0.file", None)
    Traceback (most recent call last):
    ...
    netwerkonderzoek.harmonise.errors.HarmoniseError: key 'sources.0.file', source ...link.csv: the raw file leads outside the network's raw folder (to ...segmenten.csv); expected a file in ...
    """
    path = raw_dir / name
    if path.exists() and not path.resolve().is_relative_to(raw_dir.resolve()):
        raise HarmoniseError(
            f"the raw file leads outside the network's raw folder (to {path.resolve()}); "
            f"expected a file in {raw_dir.resolve()}",
            path=config_path,
            key=key,
            source=path,
        )
    return path


def _read_table(spec, path: Path, key: str, config_path) -> RawTable:
    return read_file(spec, path, key, config_path)


def read_segment_export(spec: SourceSpec, path: Path, key: str, config_path):
    r"""Coded segments of a MAXQDA, ATLAS.ti or NVivo export (``spec.coded_segments.tool``).

    Parameters
    ----------
    spec : SourceSpec
        The source: ``format``, ``sheet``, ``header_row``, ``encoding``,
        ``delimiter``, ``drop`` and ``coded_segments``.
    path : Path
        The export.
    key, config_path
        Key path of the source and the configuration file, named in errors.

    Returns
    -------
    (list of Segment, int, RawTable, dict, list, dict)
        The segments; rows read (segment x code); the cells read; the
        quarantine text per file row; rows that name no document, code or
        text as (row, kind, reason); the columns dropped with their counts.

    Raises
    ------
    HarmoniseError
        If a column named under ``coded_segments.columns`` is not in the file
        or the preset finds no document, code or text column.
    PrivacyError
        If a column holds direct identifiers and is not listed under ``drop``.

    Examples
    --------
    An ATLAS.ti quotation report listing two codes on lines of one cell
    (two rows read), and a quotation without a code (on line 4 of the file):

    >>> import tempfile
    >>> raw_dir = Path(tempfile.mkdtemp())
    >>> _ = (raw_dir / "citaten.csv").write_text(
    ...     "Document;Codes;Citaat;Referentie\n"
    ...     'Interview 1;"CMO1\\Rust\nWaarde\\Maatschappelijk";Het plan geeft rust.;1:3\n'
    ...     "Interview 2;;Geen code.;2:1\n", encoding="utf-8")
    >>> spec = SourceSpec.model_validate({"file": "citaten.csv", "table": "observations",
    ...     "coded_segments": {"tool": "atlasti"}})
    >>> segments, read, raw, lines, problems, dropped = read_segment_export(
    ...     spec, raw_dir / "citaten.csv", "sources.0", None)
    >>> [(s.document, s.text, s.position, s.rows, s.codes) for s in segments]
    [('Interview 1', 'Het plan geeft rust.', ('1:3',), [2, 2], ['CMO1\x00Rust', 'Waarde\x00Maatschappelijk'])]
    >>> read, problems
    (3, [(4, 'missing value', "column 'Codes' (code) is empty")])
    """
    coded = spec.coded_segments
    raw = _read_table(spec, path, key, config_path)
    chosen = _choose_columns(coded, list(raw.frame.columns), path, key, config_path)
    dropped = _protect_export(spec, raw, chosen, path, key, config_path)
    segments, lines, problems = _gather_segments(coded, raw, chosen)
    # A row read is a segment x code: a cell listing three codes counts three.
    read = sum(len(s.rows) for s in segments.values()) + len(problems)
    return list(segments.values()), read, raw, lines, problems, dropped


def _choose_columns(coded, headers: list, path: Path, key: str, config_path) -> dict[str, str]:
    """Field -> header: the ``columns`` named, else the preset's first header present."""
    chosen: dict[str, str] = {}
    for name, candidates in PRESETS[coded.tool].items():
        if name in coded.columns:
            continue
        found = next((h for h in candidates if h in headers), None)
        if found is not None:
            chosen[name] = found
    for name, header in coded.columns.items():
        if header not in headers:
            raise HarmoniseError(
                f"column {header!r} is not in the file; its columns are "
                + ", ".join(repr(h) for h in headers),
                path=config_path,
                key=f"{key}.coded_segments.columns.{name}",
                source=path,
            )
        chosen[name] = header
    for name in _REQUIRED:
        if name not in chosen:
            tried = ", ".join(repr(h) for h in PRESETS[coded.tool].get(name, ()))
            raise HarmoniseError(
                f"no {name} column: the {coded.tool} preset looks for {tried}; the file's "
                f"columns are {', '.join(repr(h) for h in headers)}; name it under "
                f"coded_segments.columns.{name}",
                path=config_path,
                key=f"{key}.coded_segments.columns",
                source=path,
            )
    return chosen


def _protect_export(spec, raw: RawTable, chosen: dict, path: Path, key: str, config_path):
    """Drop the ``drop`` columns and refuse direct identifiers (document names: not as addresses)."""
    # The segment fields are checked for identifiers but not for "addresses": a
    # document "Interview 12" or a code "Buurt 3" has a street address's shape.
    fields = [chosen[f] for f in ("document", "code", "group") if f in chosen]
    structural = [chosen[f] for f in ("begin", "end", "position") if f in chosen]
    check = RawTable(raw.frame.drop(columns=[*fields, *structural]), raw.rows, raw.sha256)
    dropped = protect_source(spec, check, None, key=key, config_path=config_path, source=path)
    raw.frame = raw.frame.drop(columns=list(dropped))
    found = detect_identifiers(raw.frame[fields])
    found = found[found["kind"] != "address"]
    if len(found):
        column, kind, count = next(found.itertuples(index=False, name=None))
        raise PrivacyError(
            f"{config_path}, key {key!r}, source {path}: column {column!r} ({count} values "
            f"look like {IDENTIFIER_KINDS.get(kind, kind)}); observation ids are made of "
            "document names: rename the documents in the tool"
        )
    return dropped


def _gather_segments(coded, raw: RawTable, chosen: dict):
    """Rows with the same group, document, positions and text as one segment with their codes."""
    headers = list(raw.frame.columns)
    tool_sep, cell_sep = _SEPARATORS[coded.tool]
    tool_sep = coded.hierarchy_separator or tool_sep
    cell_sep = coded.code_separator or cell_sep
    where = [chosen[f] for f in ("begin", "end", "position") if f in chosen]
    group = chosen.get("group")
    segments: dict[tuple, Segment] = {}
    lines: dict[int, str] = {}
    problems: list[tuple[int, str, str]] = []
    for pos, row in enumerate(raw.frame.itertuples(index=False, name=None)):
        number = int(raw.rows[pos])
        cells = dict(zip(headers, row, strict=True))
        lines[number] = safe_cell(";".join(cell_text(v) for v in row))
        document, text = cell_text(cells[chosen["document"]]), cell_text(cells[chosen["text"]])
        codes = cell_text(cells[chosen["code"]])
        empty = [f for f, v in (("document", document), ("code", codes), ("text", text)) if not v]
        if empty:
            problems.append(
                (number, "missing value", f"column {chosen[empty[0]]!r} ({empty[0]}) is empty")
            )
            continue
        position = tuple(cell_text(cells[h]) for h in where)
        segment = segments.setdefault(
            (cell_text(cells[group]) if group else "", document, position, text),
            Segment(document, text, position),
        )
        names = [
            _norm_code(c, tool_sep, "\x00")
            for c in (codes.split(cell_sep) if cell_sep else [codes])
            if _norm_code(c, tool_sep, "\x00")
        ]
        if not names:
            problems.append(
                (number, "missing value", f"column {chosen['code']!r} (code) names no code")
            )
            continue
        for name in names:
            segment.rows.append(number)
            segment.codes.append(name)
    return segments, lines, problems


def document_table(spec: SourceSpec, raw_dir: Path, key: str, config_path):
    """Document name -> {field: cell} from the document table, and its (file, hash).

    Nothing (``{}, []``) when the source has no ``coded_segments.documents``.

    Raises
    ------
    HarmoniseError
        If the table lies outside the raw folder, lacks a column named under
        ``columns`` or lists a document twice.

    Examples
    --------
    >>> import tempfile
    >>> raw_dir = Path(tempfile.mkdtemp())
    >>> _ = (raw_dir / "documenten.csv").write_text(
    ...     "Document;Datum;Rol\\nInterview 1;14-03-2024;Bewoner\\nInterview 2;02-04-2024;partner\\n",
    ...     encoding="utf-8")
    >>> spec = SourceSpec.model_validate({"file": "segmenten.xlsx", "table": "observations",
    ...     "coded_segments": {"tool": "maxqda", "documents": {"file": "documenten.csv",
    ...         "columns": {"document": "Document", "date": "Datum", "source_role": "Rol"}}}})
    >>> table, files = document_table(spec, raw_dir, "sources.0", None)
    >>> table
    {'Interview 1': {'date': '14-03-2024', 'source_role': 'Bewoner'}, 'Interview 2': {'date': '02-04-2024', 'source_role': 'partner'}}
    >>> [name for name, sha256 in files]
    ['documenten.csv']
    """
    table = spec.coded_segments.documents
    if table is None:
        return {}, []
    dkey = f"{key}.coded_segments.documents"
    path = inside_raw_dir(raw_dir, table.file, f"{dkey}.file", config_path)
    raw = _read_table(table, path, dkey, config_path)
    headers = list(raw.frame.columns)
    for name, header in table.columns.items():
        if header not in headers:
            raise HarmoniseError(
                f"column {header!r} is not in the document table; its columns are "
                + ", ".join(repr(h) for h in headers),
                path=config_path,
                key=f"{dkey}.columns.{name}",
                source=path,
            )
    out: dict[str, dict[str, object]] = {}
    for pos, document in enumerate(raw.frame[table.columns["document"]]):
        name = cell_text(document)
        if name in out:
            raise HarmoniseError(
                f"document {name!r} is listed twice (row {int(raw.rows[pos])}); list each "
                "document once",
                path=config_path,
                key=f"{dkey}.columns.document",
                source=path,
            )
        out[name] = {f: raw.frame[h].iat[pos] for f, h in table.columns.items() if f != "document"}
    return out, [(table.file, raw.sha256)]
