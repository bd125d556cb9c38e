"""Read raw partner exports (CSV and XLSX in the shapes partners send).

A reader returns the cells as they are in the file, the file's row number for
every row, and the lines it could not split into fields. It never changes the
file. Row numbers are those a user sees: the line of a CSV file or the row of
an XLSX sheet, counting from 1 at the top of the file (title block included).
Blank lines and rows without any value are not rows. A CSV line with more
fields than the header is not read as a row but returned in ``broken`` (with
its text and the reason), so the pipeline can quarantine it. Row numbers of a
CSV file assume no quoted field spans several lines.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "uren.csv").write_bytes(
...     "Export uren\\n\\nOrganisatie;Uren\\nGemeente;1.234,5\\nx;1;2\\n".encode("latin-1"))
>>> raw = read_csv_source(folder / "uren.csv", header_row=3, encoding="latin-1")
>>> raw.frame.to_dict("list"), raw.rows.tolist(), raw.broken
({'Organisatie': ['Gemeente'], 'Uren': ['1.234,5']}, [4], [(5, 'x;1;2', 'expected 2 fields, saw 3')])
"""

from __future__ import annotations

import csv
import hashlib
import io
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..tables import input_limit_fault
from .errors import HarmoniseError

__all__ = ["RawTable", "file_sha256", "read_csv_source", "read_file", "read_xlsx_source"]


@dataclass
class RawTable:
    """The cells of one raw source, with row numbers.

    Attributes
    ----------
    frame : DataFrame
        One column per header cell (names stripped), cells as read: text or
        missing for CSV; text, numbers, dates or missing for XLSX.
    rows : ndarray of int
        Row number in the file of each row of ``frame``.
    sha256 : str
        Hash of the file's bytes.
    sheet : str
        Sheet name (empty for CSV).
    broken : list of (int, str, str)
        Lines that could not be read as a row: (row number, text, reason).
    text_only : bool
        True when every cell is text or missing.
    """

    frame: pd.DataFrame
    rows: np.ndarray
    sha256: str
    sheet: str = ""
    broken: list[tuple[int, str, str]] = field(default_factory=list)
    text_only: bool = True
    #: XLSX: what :meth:`unsaved_formulas` needs to read the workbook's formulas.
    workbook: tuple[bytes, int, dict[str, int]] | None = field(default=None, repr=False)

    def unsaved_formulas(self, column: str) -> np.ndarray | None:
        """Rows whose cell in ``column`` holds a formula without a saved value.

        Such a cell (a workbook written by a program and never opened in a
        spreadsheet) reads as missing. The workbook is read again for its
        formulas, once, on the first call; None for a CSV file or a column
        without such cells.
        """
        if self.workbook is None:
            return None
        found = self.__dict__.get("_formulas")
        if found is None:
            found = self.__dict__["_formulas"] = _unsaved_formulas(self, *self.workbook)
        return found.get(column)


def file_sha256(path: str | Path) -> str:
    """SHA-256 of a file's bytes (hex).

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "leeg.csv"
    >>> _ = path.write_bytes(b"")
    >>> file_sha256(path)
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _limit_error(fault: str, key, config_path, path) -> HarmoniseError:
    return HarmoniseError(
        f"{fault} (input limits: netwerkonderzoek.tables.MAX_FILE_BYTES, MAX_COLUMNS, "
        "MAX_ROWS, MAX_UNPACKED_BYTES)",
        path=config_path,
        key=f"{key}.file" if key else None,
        source=path,
    )


def _read_bytes(path: Path, key: str | None, config_path: object) -> bytes:
    try:
        fault = input_limit_fault(path.stat().st_size, 0, 0)
        if fault is not None:
            raise _limit_error(fault, key, config_path, path)
        return path.read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        raise HarmoniseError(
            "raw file not found",
            path=config_path,
            key=f"{key}.file" if key else None,
            source=path,
        ) from None


def _strip_headers(columns) -> list[str]:
    return ["" if c is None else str(c).strip() for c in columns]


def _check_unique_headers(
    header: list[str], where: str, key: str | None, config_path: object, path: Path
) -> None:
    """Refuse a header row that names a column more than once."""
    counts: dict[str, int] = {}
    for name in header:
        if name:
            counts[name] = counts.get(name, 0) + 1
    twice = [name for name, count in counts.items() if count > 1]
    if twice:
        raise HarmoniseError(
            f"the header in {where} names "
            + ", ".join(repr(name) for name in twice)
            + " more than once; give every column its own name",
            path=config_path,
            key=f"{key}.header_row" if key else None,
            source=path,
        )


def read_csv_source(
    path: str | Path,
    *,
    header_row: int = 1,
    encoding: str = "utf-8-sig",
    delimiter: str = ";",
    key: str | None = None,
    config_path: object = None,
) -> RawTable:
    """Read a delimited text file as text cells.

    Parameters
    ----------
    path : path
        The file.
    header_row : int
        Line of the header (1 = first line); lines above it (a title block)
        are skipped.
    encoding : str
        Text encoding (``utf-8-sig`` reads UTF-8 with or without BOM;
        ``latin-1``/``cp1252`` for older Dutch exports).
    delimiter : str
        Field separator.
    key, config_path : optional
        Key path of the source in the configuration and the configuration
        file, named in errors.

    Raises
    ------
    HarmoniseError
        If the file is missing, cannot be decoded with ``encoding``, or has no
        header at ``header_row``.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "uren.csv"
    >>> _ = path.write_text('Organisatie,Uren\\n"Gemeente, team Zuid",12\\n\\n,\\nGGD,3\\n')
    >>> raw = read_csv_source(path, delimiter=",")
    >>> raw.frame.to_dict("list"), raw.rows.tolist(), raw.text_only
    ({'Organisatie': ['Gemeente, team Zuid', 'GGD'], 'Uren': ['12', '3']}, [2, 5], True)
    >>> read_csv_source(path, header_row=3, delimiter=",")
    Traceback (most recent call last):
    ...
    netwerkonderzoek.harmonise.errors.HarmoniseError: source ...uren.csv: no header at line 3
    """
    path = Path(path)
    data = _read_bytes(path, key, config_path)
    # hashlib releases the GIL for large data: the file is hashed on a second
    # core while its cells are read.
    hasher = ThreadPoolExecutor(max_workers=1)
    digest = hasher.submit(lambda: hashlib.sha256(data).hexdigest())
    hasher.shutdown(wait=False)
    encoded, head = _decode(data, encoding, header_row, key, config_path, path)
    fault = input_limit_fault(len(data), head.count(delimiter) + 1, data.count(b"\n"))
    if fault is not None:
        raise _limit_error(fault, key, config_path, path)
    if not head.strip():
        raise HarmoniseError(
            f"no header at line {header_row}",
            path=config_path,
            key=f"{key}.header_row" if key else None,
            source=path,
        )
    header = _strip_headers(next(csv.reader([head], delimiter=delimiter)))
    _check_unique_headers(header, f"line {header_row}", key, config_path, path)
    # Explicit names as wide as the widest line: pandas then never takes a
    # column as the index, never drops a long line, and a blank line is a row,
    # so row i of the frame is line header_row + 1 + i. First as wide as the
    # header: pandas refuses a longer line, and only then are the fields of
    # every line counted (from the same UTF-8 bytes the parser reads).
    fields = ends = None
    width = len(header)
    try:
        try:
            with warnings.catch_warnings():
                # On its first line pandas would drop the fields beyond the names.
                warnings.simplefilter("error", pd.errors.ParserWarning)
                frame = _read_text_cells(encoded, delimiter, width, header_row)
        except (pd.errors.ParserWarning, pd.errors.ParserError):
            fields, ends = _fields_per_line(encoded, delimiter)
            fields = fields[header_row:]
            width = max(width, int(fields.max()) if len(fields) else 0)
            frame = _read_text_cells(encoded, delimiter, width, header_row)
    except pd.errors.ParserError as exc:  # an unbalanced quote runs to the end of the file
        raise HarmoniseError(
            f"not a readable delimited file: {exc}",
            path=config_path,
            key=f"{key}.file" if key else None,
            source=path,
        ) from None
    numbers = _record_lines(frame, header_row, b'"' in encoded)
    broken = []
    if width > len(header):
        beyond = frame.iloc[:, len(header) :].notna().any(axis=1).to_numpy()
        for pos in np.flatnonzero(beyond):
            n = int(numbers[pos])
            line_pos = n - header_row - 1  # a record's first line (fields are per line)
            seen = int(fields[line_pos]) if line_pos < len(fields) else width
            start = int(ends[n - 2]) + 1 if n >= 2 else 0
            line = encoded[start : int(ends[n - 1])].decode("utf-8")
            broken.append((n, line, f"expected {len(header)} fields, saw {seen}"))
        frame = frame.loc[~beyond, list(range(len(header)))]
        numbers = numbers[~beyond]
    frame.columns = header
    filled = _filled_rows(frame)
    if not filled.all():
        frame = frame.loc[filled].reset_index(drop=True)
        numbers = numbers[filled]
    return RawTable(frame, numbers, digest.result(), "", broken, True)


def _read_text_cells(encoded: bytes, delimiter: str, width: int, header_row: int) -> pd.DataFrame:
    """The cells below the header as text, in ``width`` columns named 0, 1, ..."""
    return pd.read_csv(
        io.BytesIO(encoded),
        sep=delimiter,
        dtype=str,
        header=None,
        names=list(range(width)),
        index_col=False,
        skiprows=header_row,
        keep_default_na=False,
        na_values=[""],
        skip_blank_lines=False,
        engine="c",
        encoding="utf-8",
    )


def _record_lines(frame: pd.DataFrame, header_row: int, quoted: bool) -> np.ndarray:
    """The line each record of ``frame`` starts on.

    Without quotes every record is one line. A quoted field may span lines:
    each line break inside a record's cells moves the records after it down.
    """
    numbers = np.arange(header_row + 1, header_row + 1 + len(frame), dtype=np.int64)
    if not quoted or not len(frame):
        return numbers
    breaks = np.zeros(len(frame), dtype=np.int64)
    for j in range(frame.shape[1]):
        cells = frame.iloc[:, j]
        inside = cells.str.contains("\n", regex=False, na=False).to_numpy()
        if inside.any():
            breaks[inside] += cells[inside].str.count("\n").to_numpy(dtype=np.int64)
    if breaks.any():
        numbers[1:] += np.cumsum(breaks)[:-1]
    return numbers


def _line(text, number: int, newline="\n"):
    """Line ``number`` (1 = first) of ``text`` (str or bytes), or empty when it has fewer."""
    start = 0
    for _ in range(number - 1):
        found = text.find(newline, start)
        if found < 0:
            return text[:0]
        start = found + 1
    end = text.find(newline, start)
    return text[start:] if end < 0 else text[start:end]


def _decode(
    data: bytes, encoding: str, header_row: int, key, config_path, path: Path
) -> tuple[bytes, str]:
    """The text as UTF-8 bytes with \\n line endings, and its header line."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise HarmoniseError(
            f"cannot decode the file as {encoding} ({exc.reason}: byte "
            f"0x{data[exc.start]:02x} at offset {exc.start}); set the source's encoding "
            "(e.g. latin-1 or utf-8-sig)",
            path=config_path,
            key=f"{key}.encoding" if key else None,
            source=path,
        ) from None
    except LookupError:
        raise HarmoniseError(
            f"unknown encoding {encoding!r}",
            path=config_path,
            key=f"{key}.encoding" if key else None,
            source=path,
        ) from None
    # One line ending, as the parser sees lines: \r\n, \r and \n all end a line.
    text = text.removeprefix("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    head = _line(text, header_row)
    return text.encode("utf-8"), head


def _filled_rows(frame: pd.DataFrame) -> np.ndarray:
    """Rows with at least one value; later columns are only looked at where needed."""
    filled = np.zeros(len(frame), dtype=bool)
    todo = np.arange(len(frame))
    for j in range(frame.shape[1]):
        if not len(todo):
            break
        cells = frame.iloc[:, j].to_numpy()
        present = ~pd.isna(cells if len(todo) == len(frame) else cells[todo])
        filled[todo[present]] = True
        todo = todo[~present]
    return filled


def _fields_per_line(data: bytes, delimiter: str) -> tuple[np.ndarray, np.ndarray]:
    """Fields on each line (delimiters + 1) and the offset where each line ends.

    Vectorised over the UTF-8 bytes of the text (with ``\\n`` line endings); a
    last line without a newline ends at the end of the data.
    """
    array = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(array == 10)
    if len(array) and array[-1] != 10:
        ends = np.append(ends, len(array))
    code = delimiter.encode("utf-8")
    if len(code) != 1:  # pragma: no cover - a multi-byte delimiter
        text = data.decode("utf-8")
        return np.array([line.count(delimiter) + 1 for line in text.split("\n")]), ends
    # Delimiters before each line end, less those before the line's start.
    before = np.searchsorted(np.flatnonzero(array == code[0]), ends)
    return np.diff(before, prepend=0) + 1, ends


def read_xlsx_source(
    path: str | Path,
    *,
    sheet: str | None = None,
    header_row: int = 1,
    key: str | None = None,
    config_path: object = None,
) -> RawTable:
    """Read one sheet of an XLSX workbook below its title block.

    Cells keep their type (text, number, date). Cells in columns without a
    header are ignored. Row numbers are the sheet's row numbers.

    Raises
    ------
    HarmoniseError
        If the file is missing or not a workbook, the sheet does not exist, or
        the header row is empty.

    Examples
    --------
    >>> import datetime as dt, tempfile
    >>> from openpyxl import Workbook
    >>> book = Workbook()
    >>> book.active.title = "Inzet"
    >>> for row in [["Inzet 2024"], [], ["Organisatie", "Datum", "Uren", None],
    ...             ["GGD", dt.datetime(2024, 3, 1), 7.5, "notitie"], [None, None, None]]:
    ...     book.active.append(row)
    >>> path = Path(tempfile.mkdtemp()) / "inzet.xlsx"
    >>> book.save(path)
    >>> raw = read_xlsx_source(path, header_row=3)
    >>> list(raw.frame.columns), raw.frame.to_numpy().tolist()
    (['Organisatie', 'Datum', 'Uren'], [['GGD', Timestamp('2024-03-01 00:00:00'), 7.5]])
    >>> raw.rows.tolist(), raw.sheet, raw.text_only
    ([4], 'Inzet', False)
    >>> read_xlsx_source(path, sheet="Uren")
    Traceback (most recent call last):
    ...
    netwerkonderzoek.harmonise.errors.HarmoniseError: source ...inzet.xlsx: sheet 'Uren' is not in the workbook; its sheets are 'Inzet'
    """
    import zipfile

    from openpyxl import load_workbook

    path = Path(path)
    data = _read_bytes(path, key, config_path)
    sha = hashlib.sha256(data).hexdigest()
    try:  # a small workbook can unpack to gigabytes: look before openpyxl does
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        unpacked = 0  # openpyxl says what is wrong with it, below
    fault = input_limit_fault(0, 0, 0, unpacked)
    if fault is not None:
        raise _limit_error(fault, key, config_path, path)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise HarmoniseError(
            f"not a readable XLSX workbook ({exc})",
            path=config_path,
            key=f"{key}.format" if key else None,
            source=path,
        ) from None
    try:
        name = sheet if sheet is not None else book.sheetnames[0]
        if name not in book.sheetnames:
            raise HarmoniseError(
                f"sheet {name!r} is not in the workbook; its sheets are "
                + ", ".join(repr(s) for s in book.sheetnames),
                path=config_path,
                key=f"{key}.sheet" if key else None,
                source=path,
            )
        cells = _sheet_rows(book[name], key, config_path, path)
    finally:
        book.close()
    if len(cells) < header_row or not any(c is not None for c in cells[header_row - 1]):
        raise HarmoniseError(
            f"no header in row {header_row} of sheet {name!r}",
            path=config_path,
            key=f"{key}.header_row" if key else None,
            source=path,
        )
    header = _strip_headers(cells[header_row - 1])
    _check_unique_headers(header, f"row {header_row} of sheet {name!r}", key, config_path, path)
    keep = [i for i, h in enumerate(header) if h]
    body = cells[header_row:]
    records = [[(row[i] if i < len(row) else None) for i in keep] for row in body]
    frame = pd.DataFrame(records, columns=[header[i] for i in keep], dtype=object)
    frame = frame.map(lambda v: None if isinstance(v, str) and not v.strip() else v)
    numbers = np.arange(header_row + 1, header_row + 1 + len(body), dtype=np.int64)
    filled = frame.notna().any(axis=1).to_numpy() if len(frame) else np.zeros(0, dtype=bool)
    frame = frame.loc[filled].reset_index(drop=True)
    positions = {header[i]: i for i in keep}
    return RawTable(frame, numbers[filled], sha, name, [], False, (data, header_row, positions))


def _sheet_rows(sheet, key, config_path, path) -> list[tuple]:
    """The rows of a read-only sheet as value tuples, within the input limits.

    A sheet's stated dimension (``A1:XFD1048576`` in some exports) is not
    trusted: openpyxl would pad every row to it, which made a 2 MB workbook
    take minutes. Rows are read as stored, and refused past
    :data:`~netwerkonderzoek.tables.MAX_ROWS` rows or
    :data:`~netwerkonderzoek.tables.MAX_COLUMNS` columns.
    """
    sheet.reset_dimensions()
    rows = []
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        fault = input_limit_fault(0, len(row), number)
        if fault is not None:
            raise _limit_error(fault.replace("the file", "the sheet"), key, config_path, path)
        rows.append(row)
    return rows


def _unsaved_formulas(
    raw: RawTable, data: bytes, header_row: int, positions: dict[str, int]
) -> dict[str, np.ndarray]:
    """Per column of ``raw.frame``, the missing cells that hold a formula (a bool mask)."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        sheet = book[raw.sheet]
        sheet.reset_dimensions()  # as _sheet_rows: rows as stored, not padded
        body = list(sheet.iter_rows(min_row=header_row + 1, values_only=True))
    finally:
        book.close()
    lines = raw.rows - header_row - 1  # position of each row in ``body``
    found = {}
    for column, i in positions.items():
        if column not in raw.frame.columns:  # a column dropped as personal data
            continue
        mask = np.zeros(len(raw.frame), dtype=bool)
        for r in np.flatnonzero(raw.frame[column].isna().to_numpy()):
            row = body[lines[r]] if lines[r] < len(body) else ()
            value = row[i] if i < len(row) else None
            mask[r] = isinstance(value, str) and value.startswith("=")
        if mask.any():
            found[column] = mask
    return found


def read_file(spec, path: Path, key: str, config_path: object) -> RawTable:
    """The raw cells of ``path`` as ``spec`` describes the file (format, sheet, header row ...).

    ``spec`` is any settings object with ``file_format``, ``sheet``,
    ``header_row``, ``encoding`` and ``delimiter`` (a source, a document table).

    Examples
    --------
    >>> import tempfile
    >>> from netwerkonderzoek.config import SourceSpec
    >>> path = Path(tempfile.mkdtemp()) / "uren.csv"
    >>> _ = path.write_bytes("Organisatie;Uren\\nGemeente Één;4\\n".encode("cp1252"))
    >>> spec = SourceSpec(file="uren.csv", table="contributions", encoding="cp1252")
    >>> read_file(spec, path, "sources.0", None).frame.to_dict("list")
    {'Organisatie': ['Gemeente Één'], 'Uren': ['4']}
    """
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
