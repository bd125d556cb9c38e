"""Big input, bounded cost: files past the documented limits are refused in seconds.

Issue 16, point 10: a 2 MB XLSX took 6.6 minutes (its sheet claimed the
dimension A1:XFD1048576, so every row was padded to 16,384 cells) and a CSV
with 10^6 columns took 4 minutes and 5.3 GB.
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from netwerkonderzoek import tables
from netwerkonderzoek.exceptions import ValidationError
from netwerkonderzoek.harmonise import HarmoniseError, harmonise_network
from netwerkonderzoek.simulate.files import xlsx_bytes

from .test_harmonise import COLUMNS, HEADER, PARTNERS, make_config, source


@pytest.fixture
def network(tmp_path):
    (tmp_path / "tiny").mkdir()
    (tmp_path / "tiny" / "partners.csv").write_text(PARTNERS, encoding="utf-8")
    raw = tmp_path / "raw" / "tiny"
    raw.mkdir(parents=True)
    return tmp_path, raw


def test_a_million_columns_csv_is_refused_by_the_header(network):
    data_dir, raw = network
    (raw / "uren.csv").write_text(";".join(f"k{i}" for i in range(10**6)) + "\n1;2\n")
    with pytest.raises(HarmoniseError, match=r"the file has 1,000,000 columns; at most 2,000"):
        harmonise_network(make_config(source()), data_dir)


def test_a_canonical_table_with_a_million_columns_is_a_fault(tmp_path):
    path = tmp_path / "ties.csv"
    path.write_text(",".join(f"k{i}" for i in range(10**6)) + "\n")
    with pytest.raises(ValidationError, match=r"ties.csv: the file has .* columns; at most 2,000"):
        tables.read_table("ties", path)


def test_too_many_rows_and_too_many_bytes_are_refused(network, monkeypatch):
    data_dir, raw = network
    line = "Gemeente Noordstad;jan 2024;overleg;2,5;10;netwerk\n"
    (raw / "uren.csv").write_text(HEADER + line * 20)
    monkeypatch.setattr(tables, "MAX_ROWS", 10)
    with pytest.raises(HarmoniseError, match=r"the file has 21 lines; at most 10 rows"):
        harmonise_network(make_config(source()), data_dir)
    monkeypatch.setattr(tables, "MAX_FILE_BYTES", 500)  # partners.csv is smaller
    with pytest.raises(
        HarmoniseError, match=r"the file holds 1,\d{3} bytes; at most 500 are read"
    ):
        harmonise_network(make_config(source()), data_dir)


def _with_dimension(workbook: bytes, ref: str) -> bytes:
    """The workbook with every sheet claiming the dimension ``ref``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                text = data.decode("utf-8")
                if "<dimension" in text:
                    text = re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{ref}"', text)
                else:
                    text = text.replace("<sheetData", f'<dimension ref="{ref}"/><sheetData', 1)
                data = text.encode("utf-8")
            dst.writestr(info, data)
    return out.getvalue()


def test_a_sheet_claiming_the_whole_grid_reads_its_rows_as_stored(network):
    data_dir, raw = network
    sheet = [
        ["Organisatie", "Maand", "Activiteit", "Uren", "Kosten (€)", "Waardesoort"],
        ["Gemeente Noordstad", "jan 2024", "overleg", 2.5, 10, "netwerk"],
    ]
    book = _with_dimension(xlsx_bytes({"Inzet": sheet}), "A1:XFD1048576")
    (raw / "inzet.xlsx").write_bytes(book)
    config = make_config(source(file="inzet.xlsx", sheet="Inzet", columns=dict(COLUMNS)))
    result = harmonise_network(config, data_dir)  # once minutes: 1M rows x 16,384 cells
    assert len(result.tables["contributions"]) == 1


def test_a_workbook_that_unpacks_too_far_is_refused(network, monkeypatch):
    data_dir, raw = network
    sheet = [["Organisatie", "Maand"], ["Gemeente Noordstad", "jan 2024"]]
    (raw / "inzet.xlsx").write_bytes(xlsx_bytes({"Inzet": sheet}))
    monkeypatch.setattr(tables, "MAX_UNPACKED_BYTES", 1_000)
    config = make_config(source(file="inzet.xlsx", sheet="Inzet"))
    with pytest.raises(
        HarmoniseError, match=r"the workbook unpacks to [\d,]+ bytes; at most 1,000"
    ):
        harmonise_network(config, data_dir)


def test_a_sheet_wider_than_the_limit_is_refused(network, monkeypatch):
    """Rows are read as stored (not padded to a claimed dimension), then checked."""
    data_dir, raw = network
    sheet = [["Organisatie", "Maand", "Activiteit", "Uren", "Kosten (€)", "Waardesoort"] * 2]
    (raw / "inzet.xlsx").write_bytes(xlsx_bytes({"Inzet": sheet}))
    monkeypatch.setattr(tables, "MAX_COLUMNS", 10)  # partners.csv has 7
    config = make_config(source(file="inzet.xlsx", sheet="Inzet"))
    with pytest.raises(HarmoniseError, match=r"the sheet has 12 columns; at most 10 are read"):
        harmonise_network(config, data_dir)
