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
  quarantined.
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

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

import numpy as np
import pandas as pd

from ..config import CodeBook, CodeBookEntry, NetworkConfig, SourceSpec
from ..privacy import (
    TEXT_IDENTIFIER_WORDS,
    PrivacyError,
    detect_identifiers,
    mask_text_identifiers,
)
from ..tables import MAX_CELL_LENGTH, SOURCE_ROLES, _shown, input_limit_fault, looks_like_formula
from .convert import PROVENANCE_COLUMNS, QUARANTINE_COLUMNS, ConvertedSource, safe_cell
from .errors import HarmoniseError
from .parse import parse_date
from .personal import IDENTIFIER_KINDS, protect_source
from .sources import RawTable, file_sha256, read_csv_source, read_xlsx_source

__all__ = ["PRESETS", "QDA_NAMESPACE", "CodedSource", "convert_coded_source", "lookup_code"]

QDA_NAMESPACE = "urn:QDA-XML:project:1.0"
_NS = "{" + QDA_NAMESPACE + "}"

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


@dataclass
class _Segment:
    document: str
    text: str
    position: tuple[str, ...]
    rows: list[int] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)


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


def _norm_code(code: str, tool_sep: str, book_sep: str) -> str:
    return book_sep.join(p.strip() for p in code.split(tool_sep) if p.strip())


def _cell(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value).strip()
    return text[:-2] if re.fullmatch(r"-?\d+\.0", text) else text


def _inside(raw_dir: Path, name: str, key: str, config_path) -> Path:
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
    if spec.file_format == "xlsx":
        return read_xlsx_source(
            path, sheet=spec.sheet, header_row=spec.header_row, key=key, config_path=config_path
        )
    return read_csv_source(
        path,
        header_row=spec.header_row,
        encoding=spec.encoding,
        delimiter=spec.delimiter,
        key=key,
        config_path=config_path,
    )


def _read_tabular(spec: SourceSpec, path: Path, key: str, config_path):
    """Segments of a MAXQDA/ATLAS.ti/NVivo export, rows read, raw lines, dropped columns."""
    coded = spec.coded_segments
    raw = _read_table(spec, path, key, config_path)
    headers = list(raw.frame.columns)
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
    headers = list(raw.frame.columns)
    tool_sep, cell_sep = _SEPARATORS[coded.tool]
    tool_sep = coded.hierarchy_separator or tool_sep
    cell_sep = coded.code_separator or cell_sep
    where = [chosen[f] for f in ("begin", "end", "position") if f in chosen]
    group = chosen.get("group")
    segments: dict[tuple, _Segment] = {}
    lines: dict[int, str] = {}
    problems: list[tuple[int, str, str]] = []
    frame = raw.frame
    for pos, row in enumerate(frame.itertuples(index=False, name=None)):
        number = int(raw.rows[pos])
        cells = dict(zip(headers, row, strict=True))
        lines[number] = safe_cell(";".join(_cell(v) for v in row))
        document, text = _cell(cells[chosen["document"]]), _cell(cells[chosen["text"]])
        codes = _cell(cells[chosen["code"]])
        empty = [f for f, v in (("document", document), ("code", codes), ("text", text)) if not v]
        if empty:
            problems.append(
                (number, "missing value", f"column {chosen[empty[0]]!r} ({empty[0]}) is empty")
            )
            continue
        position = tuple(_cell(cells[h]) for h in where)
        segment = segments.setdefault(
            (_cell(cells[group]) if group else "", document, position, text),
            _Segment(document, text, position),
        )
        for code in codes.split(cell_sep) if cell_sep else [codes]:
            if code.strip():
                segment.rows.append(number)
                segment.codes.append(_norm_code(code, tool_sep, "\x00"))
    return list(segments.values()), len(frame), raw, lines, problems, dropped


def _xml_fail(message: str, key: str, config_path, path) -> HarmoniseError:
    return HarmoniseError(message, path=config_path, key=f"{key}.file", source=path)


def _value(element) -> str:
    for child in element:
        if child.tag != _NS + "VariableRef":
            return (child.text or "").strip()
    return ""


def _read_qdpx(spec: SourceSpec, path: Path, key: str, config_path, book_sep: str):
    """Segments of a REFI-QDA project, codings read, raw lines, document variables."""

    def fail(message: str) -> HarmoniseError:
        return _xml_fail(message, key, config_path, path)

    data = path.read_bytes() if path.is_file() else None
    if data is None:
        raise fail("raw file not found")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise fail("not a zip file: a .qdpx project is a zip holding project.qde") from None
    with archive:
        fault = input_limit_fault(0, 0, 0, sum(i.file_size for i in archive.infolist()))
        if fault is not None:
            raise fail(fault)
        names = archive.namelist()
        if "project.qde" not in names:
            raise fail(
                "no project.qde in the zip (REFI-QDA keeps the project there); it holds "
                + (", ".join(repr(n) for n in names[:10]) or "nothing")
            )
        xml = archive.read("project.qde")
        if b"<!DOCTYPE" in xml[:4096].upper() or b"<!ENTITY" in xml.upper():
            raise fail("project.qde declares a DOCTYPE or entities, which a project never needs")
        try:
            root = ET.fromstring(xml)
        except ET.ParseError as exc:
            raise fail(f"project.qde is not well-formed XML ({exc})") from None
        if root.tag != _NS + "Project":
            raise fail(
                f"project.qde's root element is {root.tag!r}; expected Project in namespace "
                f"{QDA_NAMESPACE}"
            )
        codes: dict[str, str] = {}

        def walk(element, parents: list[str]) -> None:
            for code in element.findall(_NS + "Code"):
                trail = [*parents, (code.get("name") or "").strip()]
                codes[code.get("guid", "")] = book_sep.join(trail)
                walk(code, trail)

        for book in root.findall(f"{_NS}CodeBook/{_NS}Codes"):
            walk(book, [])
        variables = {v.get("guid", ""): v.get("name", "") for v in root.iter(_NS + "Variable")}
        attributes: dict[str, dict[str, str]] = {}  # source guid -> variable name -> value

        def values_of(element) -> dict[str, str]:
            found = {}
            for value in element.findall(_NS + "VariableValue"):
                ref = value.find(_NS + "VariableRef")
                guid = ref.get("targetGUID", "") if ref is not None else ""
                if guid not in variables:
                    raise fail(
                        f"a VariableValue of {element.get('name', '')!r} refers to variable "
                        f"{guid!r}, which Variables does not define"
                    )
                found[variables[guid]] = _value(value)
            return found

        for case in root.iter(_NS + "Case"):
            found = values_of(case)
            for ref in case.findall(_NS + "SourceRef"):
                attributes.setdefault(ref.get("targetGUID", ""), {}).update(found)
        segments: list[_Segment] = []
        lines: dict[int, str] = {}
        number = 0
        by_name: dict[str, str] = {}
        for source in root.iter(_NS + "TextSource"):
            name = (source.get("name") or "").strip()
            guid = source.get("guid", "")
            by_name[name] = guid
            attributes.setdefault(guid, {}).update(values_of(source))
            content = source.find(_NS + "PlainTextContent")
            if content is not None:
                text = content.text or ""
            else:
                ref = source.get("plainTextPath", "")
                member = "Sources/" + ref.removeprefix("internal://")
                if not ref.startswith("internal://") or member not in names:
                    raise fail(
                        f"TextSource {name!r}: its text {ref!r} is not in the project; expected "
                        "PlainTextContent or plainTextPath internal://<file> with the file in "
                        "Sources/"
                    )
                text = archive.read(member).decode("utf-8-sig")
            for selection in source.findall(_NS + "PlainTextSelection"):
                label = f"TextSource {name!r}, PlainTextSelection {selection.get('guid', '')!r}"
                try:
                    start = int(selection.get("startPosition", ""))
                    end = int(selection.get("endPosition", ""))
                except ValueError:
                    raise fail(
                        f"{label}: startPosition and endPosition must be whole numbers"
                    ) from None
                if not 0 <= start <= end <= len(text):
                    raise fail(
                        f"{label}: positions {start}-{end} lie outside the document's "
                        f"{len(text)} characters; expected 0 <= start <= end <= {len(text)}"
                    )
                segment = _Segment(name, text[start:end].strip(), (str(start), str(end)))
                for coding in selection.findall(_NS + "Coding"):
                    ref = coding.find(_NS + "CodeRef")
                    target = ref.get("targetGUID", "") if ref is not None else ""
                    if target not in codes:
                        raise fail(
                            f"{label}, Coding {coding.get('guid', '')!r}: refers to code "
                            f"{target!r}, which the CodeBook does not define"
                        )
                    number += 1
                    segment.rows.append(number)
                    segment.codes.append(codes[target].replace(book_sep, "\x00"))
                    lines[number] = safe_cell(f"{name};{start};{end};{codes[target]}")
                if segment.rows:
                    segments.append(segment)
    documents = {name: attributes.get(guid, {}) for name, guid in by_name.items()}
    return segments, number, lines, documents


def _document_table(spec: SourceSpec, raw_dir: Path, key: str, config_path):
    """Document name -> {field: cell} from the document table, and its (file, hash)."""
    table = spec.coded_segments.documents
    if table is None:
        return {}, []
    dkey = f"{key}.coded_segments.documents"
    path = _inside(raw_dir, table.file, f"{dkey}.file", config_path)
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
        name = _cell(document)
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
            **{f: v for f, v in given.items() if _cell(v)},
        }
    values = {}
    for name in ("date", "source_role", "partner_id"):
        value = _cell(given.get(name))
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
    date = parse_date(given.get("date") if _cell(given.get("date")) else values["date"])
    if date is None:
        return {}, f"document {document!r}: date {_shown(values['date'])} is not a date"
    role = spec.values.get("source_role", {}).get(values["source_role"], values["source_role"])
    if role not in SOURCE_ROLES:
        return {}, (
            f"document {document!r}: source_role {_shown(role)}; expected one of "
            f"{', '.join(SOURCE_ROLES)} (or a label under {key}.values.source_role)"
        )
    partner = spec.partner_names.get(values["partner_id"], values["partner_id"]) or None
    if partner is not None and partner not in partners:
        return {}, (
            f"document {document!r}: unknown partner {_shown(partner)}: not a partner id in "
            f"partners.csv nor a name under {key}.partner_names"
        )
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


def _known(codebook: CodeBook) -> str:
    names = sorted(codebook.codes)
    shown = ", ".join(repr(n) for n in names[:20])
    more = f" and {len(names) - 20} more" if len(names) > 20 else ""
    return (shown + more) if names else "none (codebook.codes is empty)"


def convert_coded_source(
    config: NetworkConfig, index: int, raw_dir: str | Path, partners: set[str]
) -> CodedSource:
    """Read source ``index`` (with ``coded_segments``) and build its observations.

    Returns a :class:`CodedSource` the pipeline combines like any source.

    Raises
    ------
    HarmoniseError
        If the export lacks a needed column, the document table does not fit,
        the ``.qdpx`` does not follow the REFI-QDA schema, two documents give
        the same id, or (``codebook.unmapped: error``) a code is not in the
        code book.
    PrivacyError
        If a column of a tabular export holds direct identifiers and is not
        listed under ``drop`` (a "created by" column of user names).
    """
    spec = config.sources[index]
    coded, book = spec.coded_segments, config.codebook
    key, config_path = f"sources.{index}", config.path
    raw_dir = Path(raw_dir)
    path = _inside(raw_dir, spec.file, f"{key}.file", config_path)
    problems: list[tuple[int, str, str]] = []
    dropped: dict[str, int] = {}
    if coded.tool == "qdpx":
        segments, rows_read, lines, variables = _read_qdpx(
            spec, path, key, config_path, book.separator
        )
        sha, sheet = file_sha256(path), "project.qde"
    else:
        segments, rows_read, raw, lines, problems, dropped = _read_tabular(
            spec, path, key, config_path
        )
        sha, sheet, variables = raw.sha256, raw.sheet, {}
    table, extra_files = _document_table(spec, raw_dir, key, config_path)
    rejected = [(r, "quarantined", kind, reason) for r, kind, reason in problems]
    masked: dict[str, int] = {}
    kept_unmapped = 0
    records = []
    ids: dict[str, str] = {}  # observation id -> document
    docs: dict[str, str] = {}  # document slug -> document
    raw_rows = 0
    for segment in segments:
        doc_slug = _slug(segment.document)
        if docs.setdefault(doc_slug, segment.document) != segment.document:
            raise HarmoniseError(
                f"documents {docs[doc_slug]!r} and {segment.document!r} give the same "
                f"observation id prefix {doc_slug!r}; rename one in the tool",
                path=config_path,
                key=f"{key}.file",
                source=path,
            )
        stance: dict[str, set[tuple[str, str]]] = {}
        plain: list[str] = []
        good_rows, seen = [], {}
        for row, code in zip(segment.rows, segment.codes, strict=True):
            name = code.replace("\x00", book.separator)
            if name in seen:
                rejected.append(
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
                if book.unmapped == "error":
                    raise HarmoniseError(
                        f"row {row}, document {segment.document!r}: code {name!r} is not in "
                        f"the code book (codebook.codes); known codes: {_known(book)}",
                        path=config_path,
                        key="codebook.codes",
                        source=path,
                    )
                if book.unmapped == "quarantine":
                    rejected.append(
                        (
                            row,
                            "quarantined",
                            "unmapped code",
                            f"document {segment.document!r}: "
                            f"code {name!r} is not in the code book (codebook.codes); known "
                            f"codes: {_known(book)}",
                        )
                    )
                    continue
                kept_unmapped += 1
                plain.append(name.replace(";", ","))
            else:
                if entry.cmo is not None:
                    stance.setdefault(entry.cmo, set()).add((entry.direction or "neutral", name))
                if entry.code is not None:
                    plain.append(entry.code)
            good_rows.append(row)
        if not good_rows:
            continue
        reason = None
        two = {c: s for c, s in stance.items() if len({d for d, _ in s}) > 1}
        if two:
            cmo, both = sorted(two.items())[0]
            kind, reason = (
                "conflicting directions",
                (
                    f"document {segment.document!r}: the segment gives {cmo} "
                    + " and ".join(f"{d} (code {n!r})" for d, n in sorted(both))
                    + "; code one direction per configuration"
                ),
            )
        attrs, fault = _attributes(segment.document, spec, table, variables, partners, key)
        if reason is None and fault is not None:
            kind, reason = "document attributes", fault
        text = segment.text
        if reason is None:
            text, kind, reason = _check_text(segment.text, config.privacy.free_text, masked)
            reason = reason or None
        if reason is not None:
            rejected += [(r, "quarantined", kind, reason) for r in good_rows]
            continue
        raw_rows += len(good_rows)
        position = "-".join(_slug(p) for p in segment.position if p) or "0"
        base = f"{coded.id_prefix}{doc_slug}-{position}"
        number, oid = 1, base
        while oid in ids:
            number += 1
            oid = f"{base}-{number}"
        ids[oid] = segment.document
        records.append(
            {
                "observation_id": oid,
                **attrs,
                "text": text,
                "codes": ";".join([*sorted(stance), *dict.fromkeys(plain)]),
                "stance": ";".join(f"{c}:{next(iter(s))[0]}" for c, s in sorted(stance.items()))
                or None,
                "source_row": good_rows[0],
            }
        )
    conversions = [f"unmapped codes kept as plain codes: {kept_unmapped}"] if kept_unmapped else []
    return _build(
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
    )


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
    rows = sorted(rejected, key=lambda r: r[0])
    quarantine = pd.DataFrame(
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
