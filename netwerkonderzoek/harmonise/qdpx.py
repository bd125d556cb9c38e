"""Read a REFI-QDA project (``.qdpx``) into coded segments.

A ``.qdpx`` file is a zip holding ``project.qde`` (XML in the namespace
``urn:QDA-XML:project:1.0``) and the documents under ``Sources/``
(https://www.qdasoftware.org). :func:`read_qdpx` reads what observations need:

- ``CodeBook/Codes``: nested ``Code`` elements (``guid``, ``name``); a
  code's name is its path of names joined by the code book's separator;
- ``Variables/Variable`` (``guid``, ``name``) and their ``VariableValue``
  (``VariableRef targetGUID`` and one ``TextValue``, ``DateValue``,
  ``DateTimeValue``, ``IntegerValue``, ``FloatValue`` or ``BooleanValue``)
  on a ``TextSource`` or on a ``Case`` that names it with ``SourceRef``;
- ``Sources/TextSource`` (``name``; ``PlainTextContent`` or
  ``plainTextPath="internal://<file>"`` with the file in ``Sources/``)
  and its ``PlainTextSelection`` (``startPosition``, ``endPosition``: character
  offsets into the plain text) with ``Coding/CodeRef targetGUID``.

Each coding is one row, numbered from 1 in document order: ``source_row`` in
provenance and quarantine. Selections without a coding are no segment.
Anything that does not follow the schema is a
:class:`~.errors.HarmoniseError` naming the element and what was expected;
a project that declares a DOCTYPE or entities is refused (XML entity
expansion), and its unpacked size is held to the input limits.

Examples
--------
>>> import io, zipfile, tempfile, pathlib
>>> qde = ('<Project xmlns="urn:QDA-XML:project:1.0" name="p"><CodeBook><Codes>'
...     '<Code guid="c1" name="CMO1"><Code guid="c2" name="Rust"/></Code></Codes></CodeBook>'
...     '<Sources><TextSource guid="s1" name="Interview 1">'
...     '<PlainTextContent>Ik heb rust.</PlainTextContent>'
...     '<PlainTextSelection guid="p1" startPosition="3" endPosition="11">'
...     '<Coding guid="k1"><CodeRef targetGUID="c2"/></Coding></PlainTextSelection>'
...     '</TextSource></Sources></Project>')
>>> path = pathlib.Path(tempfile.mkdtemp()) / "p.qdpx"
>>> with zipfile.ZipFile(path, "w") as z:
...     z.writestr("project.qde", qde)
>>> segments, codings, lines, variables = read_qdpx(path, "\\\\")
>>> [(s.document, s.text, s.position, s.codes) for s in segments], codings
([('Interview 1', 'heb rust', ('3', '11'), ['CMO1\\x00Rust'])], 1)
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

from ..tables import input_limit_fault
from .convert import safe_cell
from .errors import HarmoniseError

__all__ = ["QDA_NAMESPACE", "Segment", "read_qdpx"]

QDA_NAMESPACE = "urn:QDA-XML:project:1.0"
_NS = "{" + QDA_NAMESPACE + "}"


@dataclass
class Segment:
    """One coded piece of a document: its text, position, and its rows with their codes.

    Levels of a code are joined by ``\\x00`` until the code book's separator is known.
    """

    document: str
    text: str
    position: tuple[str, ...]
    rows: list[int] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)


def _xml_fail(message: str, key: str, config_path, path) -> HarmoniseError:
    return HarmoniseError(
        message, path=config_path, key=f"{key}.file" if key else None, source=path
    )


def _value(element) -> str:
    for child in element:
        if child.tag != _NS + "VariableRef":
            return (child.text or "").strip()
    return ""


def read_qdpx(path: str | Path, book_sep: str, *, key: str = "", config_path: object = None):
    """The coded segments of a REFI-QDA project.

    Parameters
    ----------
    path : path
        The ``.qdpx`` file.
    book_sep : str
        Separator of code levels in the code book (levels are joined by
        ``\\x00`` in the segments' codes).
    key, config_path : optional
        Key path of the source and the configuration file, named in errors.

    Returns
    -------
    (list of Segment, int, dict, dict)
        Segments with codes, the number of codings, the quarantine text of
        each coding (by number) and, per document name, its variables
        (name to value).

    Raises
    ------
    HarmoniseError
        If the file is not a zip, lacks ``project.qde``, is not well-formed,
        has another root or namespace, declares a DOCTYPE, refers to an
        unknown code or variable GUID, has a selection outside its document or
        a document whose text is not in the project.

    Examples
    --------
    The text in ``Sources/``, the role a variable of the Case naming the
    document; a selection without a coding is no segment:

    >>> import pathlib, tempfile, zipfile
    >>> qde = ('<Project xmlns="urn:QDA-XML:project:1.0" name="p"><CodeBook><Codes>'
    ...     '<Code guid="c1" name="Rust"/></Codes></CodeBook>'
    ...     '<Variables><Variable guid="v1" name="Rol" typeOfVariable="Text"/></Variables>'
    ...     '<Cases><Case guid="k1" name="Bewoner A"><VariableValue><VariableRef targetGUID="v1"/>'
    ...     '<TextValue>Bewoner</TextValue></VariableValue><SourceRef targetGUID="s1"/></Case></Cases>'
    ...     '<Sources><TextSource guid="s1" name="Interview 1" plainTextPath="internal://s1.txt">'
    ...     '<PlainTextSelection guid="p1" startPosition="0" endPosition="9">'
    ...     '<Coding guid="g1"><CodeRef targetGUID="c1"/></Coding></PlainTextSelection>'
    ...     '<PlainTextSelection guid="p2" startPosition="10" endPosition="15"/>'
    ...     '</TextSource></Sources></Project>')
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "interviews.qdpx"
    >>> with zipfile.ZipFile(path, "w") as archive:
    ...     archive.writestr("project.qde", qde)
    ...     archive.writestr("Sources/s1.txt", "Veel rust hier.")
    >>> segments, codings, lines, documents = read_qdpx(path, "\\\\")
    >>> [s.text for s in segments], codings, lines, documents
    (['Veel rust'], 1, {1: 'Interview 1;0;9;Rust'}, {'Interview 1': {'Rol': 'Bewoner'}})

    A selection past the end of its document is refused:

    >>> with zipfile.ZipFile(path, "w") as archive:
    ...     archive.writestr("project.qde", qde.replace('endPosition="15"', 'endPosition="40"'))
    ...     archive.writestr("Sources/s1.txt", "Veel rust hier.")
    >>> read_qdpx(path, "\\\\")
    Traceback (most recent call last):
    ...
    netwerkonderzoek.harmonise.errors.HarmoniseError: source ...interviews.qdpx: TextSource 'Interview 1', PlainTextSelection 'p2': positions 10-40 lie outside the document's 15 characters; expected 0 <= start <= end <= 15
    """
    path = Path(path)

    def fail(message: str) -> HarmoniseError:
        return _xml_fail(message, key, config_path, path)

    with _open_zip(path, fail) as archive:
        names = _check_members(archive, fail)
        root = _parse_project(archive.read("project.qde"), fail)
        codes = _code_names(root)
        variables = {v.get("guid", ""): v.get("name", "") for v in root.iter(_NS + "Variable")}
        attributes = _case_variables(root, variables, fail)  # source guid -> name -> value
        segments: list[Segment] = []
        lines: dict[int, str] = {}  # coding number (from 1) -> quarantine text
        by_name: dict[str, str] = {}
        for source in root.iter(_NS + "TextSource"):
            name = (source.get("name") or "").strip()
            guid = source.get("guid", "")
            by_name[name] = guid
            attributes.setdefault(guid, {}).update(_values_of(source, variables, fail))
            text = _source_text(source, name, archive, names, fail)
            for selection in source.findall(_NS + "PlainTextSelection"):
                segment = _selection(selection, name, text, codes, book_sep, lines, fail)
                if segment.rows:
                    segments.append(segment)
    documents = {name: attributes.get(guid, {}) for name, guid in by_name.items()}
    return segments, len(lines), lines, documents


def _open_zip(path: Path, fail) -> zipfile.ZipFile:
    """The project file as an open zip archive."""
    data = path.read_bytes() if path.is_file() else None
    if data is None:
        raise fail("raw file not found")
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise fail("not a zip file: a .qdpx project is a zip holding project.qde") from None


def _check_members(archive: zipfile.ZipFile, fail) -> list[str]:
    """The archive's member names, once its unpacked size fits and it holds project.qde."""
    fault = input_limit_fault(0, 0, 0, sum(i.file_size for i in archive.infolist()))
    if fault is not None:
        raise fail(fault)
    names = archive.namelist()
    if "project.qde" not in names:
        raise fail(
            "no project.qde in the zip (REFI-QDA keeps the project there); it holds "
            + (", ".join(repr(n) for n in names[:10]) or "nothing")
        )
    return names


def _parse_project(xml: bytes, fail) -> ET.Element:
    """The root Project element of project.qde: no DOCTYPE or entities, well-formed, namespaced."""
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
    return root


def _code_names(root: ET.Element) -> dict[str, str]:
    """Code GUID -> the code's path of names, joined by ``\\x00``."""
    codes: dict[str, str] = {}

    def walk(element, parents: list[str]) -> None:
        for code in element.findall(_NS + "Code"):
            trail = [*parents, (code.get("name") or "").strip()]
            codes[code.get("guid", "")] = "\x00".join(trail)
            walk(code, trail)

    for book in root.findall(f"{_NS}CodeBook/{_NS}Codes"):
        walk(book, [])
    return codes


def _values_of(element: ET.Element, variables: dict[str, str], fail) -> dict[str, str]:
    """Variable name -> value of the element's VariableValues."""
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


def _case_variables(root: ET.Element, variables: dict[str, str], fail) -> dict:
    """Source GUID -> variable name -> value, from the Cases that name the source."""
    attributes: dict[str, dict[str, str]] = {}
    for case in root.iter(_NS + "Case"):
        found = _values_of(case, variables, fail)
        for ref in case.findall(_NS + "SourceRef"):
            attributes.setdefault(ref.get("targetGUID", ""), {}).update(found)
    return attributes


def _source_text(source: ET.Element, name: str, archive, names: list[str], fail) -> str:
    """A TextSource's plain text: its PlainTextContent or its file in ``Sources/``."""
    content = source.find(_NS + "PlainTextContent")
    if content is not None:
        return content.text or ""
    ref = source.get("plainTextPath", "")
    member = "Sources/" + ref.removeprefix("internal://")
    if not ref.startswith("internal://") or member not in names:
        raise fail(
            f"TextSource {name!r}: its text {ref!r} is not in the project; expected "
            "PlainTextContent or plainTextPath internal://<file> with the file in "
            "Sources/"
        )
    return archive.read(member).decode("utf-8-sig")


def _selection(selection, name, text, codes, book_sep, lines, fail) -> Segment:
    """A PlainTextSelection as a segment, its codings numbered on from ``lines``."""
    label = f"TextSource {name!r}, PlainTextSelection {selection.get('guid', '')!r}"
    try:
        start = int(selection.get("startPosition", ""))
        end = int(selection.get("endPosition", ""))
    except ValueError:
        raise fail(f"{label}: startPosition and endPosition must be whole numbers") from None
    if not 0 <= start <= end <= len(text):
        raise fail(
            f"{label}: positions {start}-{end} lie outside the document's "
            f"{len(text)} characters; expected 0 <= start <= end <= {len(text)}"
        )
    segment = Segment(name, text[start:end].strip(), (str(start), str(end)))
    for coding in selection.findall(_NS + "Coding"):
        ref = coding.find(_NS + "CodeRef")
        target = ref.get("targetGUID", "") if ref is not None else ""
        if target not in codes:
            raise fail(
                f"{label}, Coding {coding.get('guid', '')!r}: refers to code "
                f"{target!r}, which the CodeBook does not define"
            )
        number = len(lines) + 1  # every coding so far has its line
        segment.rows.append(number)
        segment.codes.append(codes[target])
        shown = codes[target].replace("\x00", book_sep)
        lines[number] = safe_cell(f"{name};{start};{end};{shown}")
    return segment
