"""The bytes of the raw exports: CSV lines, deterministic workbooks, Dutch numbers.

Used by every module that writes a simulated partner export (:mod:`.raw`,
:mod:`.persons`, :mod:`.qda_raw`), so the same content always gives the same
bytes: workbooks carry fixed document times (:data:`FIXED_TIME`) and zip
entry times (:data:`ZIP_TIME`).

Examples
--------
>>> csv_bytes([["Maand", "Uren"], ["jan 2024", dutch_number(Decimal("1234.5"))]], "latin-1")
b'Maand;Uren\\r\\njan 2024;1.234,5\\r\\n'
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal

__all__ = ["FIXED_TIME", "ZIP_TIME", "csv_bytes", "dutch_number", "xlsx_bytes"]

#: Creation and modification time of every simulated workbook (the background article's date).
FIXED_TIME = dt.datetime(2022, 5, 22, 12, 0, 0)
#: Time stamp of every zip entry of a simulated workbook (the zip format's earliest).
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def dutch_number(value: Decimal) -> str:
    """An exact decimal as a Dutch export writes it: thousands dots, decimal comma.

    Every digit of ``value`` is kept (no rounding; trailing zeros dropped),
    formatted by Babel in the ``nl_NL`` locale; minus zero is ``0``.

    Parameters
    ----------
    value : Decimal

    Returns
    -------
    str

    Examples
    --------
    >>> dutch_number(Decimal("1234.5")), dutch_number(Decimal("-0.00750"))
    ('1.234,5', '-0,0075')
    >>> dutch_number(Decimal("1234567")), dutch_number(Decimal("-0.0"))
    ('1.234.567', '0')
    """
    from babel.numbers import format_decimal

    text = format_decimal(value, format="#,##0.#", locale="nl_NL", decimal_quantization=False)
    return "0" if text == "-0" else text


def csv_bytes(lines: list[list[str]], encoding: str) -> bytes:
    """Rows of text cells as a semicolon-separated file with Windows line ends.

    The cells are written as given (the simulated exports quote nothing).

    Parameters
    ----------
    lines : list of list of str
    encoding : str
        The export's encoding (``"latin-1"``, ``"utf-8"``).

    Returns
    -------
    bytes

    Examples
    --------
    >>> csv_bytes([["Organisatie", "Uren"], ["Café Noord", "3,5"]], "latin-1")
    b'Organisatie;Uren\\r\\nCaf\\xe9 Noord;3,5\\r\\n'
    """
    text = "".join(";".join(cells) + "\r\n" for cells in lines)
    return text.encode(encoding)


def xlsx_bytes(sheets: dict[str, list[list[object]]], number_formats: dict | None = None) -> bytes:
    """A workbook as deterministic bytes (same content, same bytes).

    openpyxl stamps the save time into ``docProps/core.xml`` and zip entries
    carry the current time; both are fixed here: the document's created and
    modified times are :data:`FIXED_TIME`, and the zip is rewritten with
    every entry dated :data:`ZIP_TIME`, in the same order and compression.

    Parameters
    ----------
    sheets : dict of str to list of rows
        Sheet name to rows of cell values (text, numbers, datetimes, None).
    number_formats : dict of (sheet, column letter) to str, optional
        Number formats applied to a column's cells (``"mmm yyyy"``).

    Examples
    --------
    >>> a = xlsx_bytes({"Blad1": [["Maand", "Uren"], [dt.datetime(2024, 1, 1), 1.5]]})
    >>> a == xlsx_bytes({"Blad1": [["Maand", "Uren"], [dt.datetime(2024, 1, 1), 1.5]]})
    True
    """
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    for (name, letter), fmt in (number_formats or {}).items():
        for cell in book[name][letter]:
            if isinstance(cell.value, dt.datetime | float | int):
                cell.number_format = fmt
    book.properties.creator = "netwerkonderzoek.simulate"
    book.properties.created = FIXED_TIME
    book.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    book.save(buffer)
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = data.decode("utf-8")
                for tag in ("created", "modified"):
                    text = re.sub(
                        rf"(<dcterms:{tag}[^>]*>)[^<]*(</dcterms:{tag}>)", rf"\g<1>{stamp}\2", text
                    )
                data = text.encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            entry.create_system = 0
            dst.writestr(entry, data, compresslevel=6)
    return out.getvalue()
