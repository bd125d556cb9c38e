"""The report as an editable Word document (python-docx).

:func:`write_docx` writes the blocks of :func:`.document.report_blocks` with
real Word structure, so the network's researcher can edit and restyle it:

- the title and subtitle, then a table of contents field (Word fills it in
  when the document is opened and fields are updated: *F9*), then the
  sections with Word's own heading styles (``Heading 1`` .. ``Heading 4``),
  so the navigation pane and the contents work;
- paragraphs with bold, italic and code runs; bulleted and numbered lists;
- tables as Word tables (header row repeated on every page, numbers right
  aligned, style ``Table Grid`` when the template has it), each with a
  numbered caption above (``Tabel 3.``); figures as pictures (the run's 300
  dpi PNG) with a caption below (``Figuur 2.``), in style ``Caption``;
- ``template``: a reference ``.docx`` the network supplies
  (``report.docx_template`` in its config) whose styles, page size and
  margins are used; its own body text is removed;
- byte-identical for the same blocks: fixed document properties and zip
  entry times.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from .document import Bullets, Figure, Heading, Paragraph, Table

__all__ = ["write_docx"]

_WORDS = {
    "nl": {
        "contents": "Inhoud",
        "table": "Tabel",
        "figure": "Figuur",
        "update": "Werk de inhoudsopgave bij met F9 (velden bijwerken).",
    },
    "en": {
        "contents": "Contents",
        "table": "Table",
        "figure": "Figure",
        "update": "Update the table of contents with F9 (update fields).",
    },
}
_NUMERIC = {"int", "d1", "d2", "d3", "pct", "eur", "p"}
_FIXED = dt.datetime(2022, 5, 22, 12, 0, 0)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _add_runs(paragraph, runs) -> None:
    for text, style in runs:
        run = paragraph.add_run(text)
        run.bold = "b" in style or None
        run.italic = "i" in style or None
        if style == "code":
            run.font.name = "Courier New"


def _style(document, name: str, fallback: str | None = None):
    try:
        return document.styles[name]
    except KeyError:
        return document.styles[fallback] if fallback else None


def _toc(document, words) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = document.add_paragraph()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = 'TOC \\o "1-2" \\h \\z \\u'
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    text = OxmlElement("w:t")
    text.text = words["update"]
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run = paragraph.add_run()
    for element in (begin, instr, separate, text, end):
        run._r.append(element)


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _table(document, block: Table, words) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    caption = document.add_paragraph(style=_style(document, "Caption", "Normal"))
    caption.add_run(f"{words['table']} {block.number}. {block.caption}")
    table = document.add_table(rows=1, cols=len(block.columns))
    grid = _style(document, "Table Grid")
    if grid is not None:
        table.style = grid
    numeric = [k in _NUMERIC for k in block.kinds]
    for i, name in enumerate(block.columns):
        cell = table.rows[0].cells[i]
        cell.text = ""
        run = cell.paragraphs[0].add_run(name)
        run.bold = True
        if numeric[i]:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _repeat_header(table.rows[0])
    for row in block.rows:
        cells = table.add_row().cells
        for i, value in enumerate(row):
            cells[i].text = value
            if numeric[i]:
                cells[i].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph()


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with fixed entry times (a .docx is a zip): byte-identical runs."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def write_docx(
    blocks: list,
    destination: str | Path,
    title: str,
    *,
    subtitle: str | None = None,
    language: str = "nl",
    template: str | Path | None = None,
) -> Path:
    """Write the blocks as a Word document (see the module); return the path.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import docx
    >>> from netwerkonderzoek.story.document import Bullets, Heading, Paragraph, Table
    >>> blocks = [Heading(1, "Kernboodschappen"),
    ...           Paragraph([("Het netwerk ", ""), ("werkt", "b"), (".", "")]),
    ...           Bullets([[("een", "")], [("twee", "")]]),
    ...           Table(["Meting", "Respons"], [["1", "100,0%"]], ["int", "pct"], "Respons", 1)]
    >>> folder = Path(tempfile.mkdtemp())
    >>> out = write_docx(blocks, folder / "report.docx", "Wijknetwerk", subtitle="Evaluatie 2024")
    >>> written = docx.Document(str(out))
    >>> [(p.style.name, p.text) for p in written.paragraphs if p.text]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('Title', 'Wijknetwerk'), ('Subtitle', 'Evaluatie 2024'), ('TOC Heading', 'Inhoud'),
     ('Normal', 'Werk de inhoudsopgave bij met F9 (velden bijwerken).'),
     ('Heading 1', 'Kernboodschappen'), ('Normal', 'Het netwerk werkt.'),
     ('List Bullet', 'een'), ('List Bullet', 'twee'), ('Caption', 'Tabel 1. Respons')]
    >>> [[cell.text for cell in row.cells] for row in written.tables[0].rows]
    [['Meting', 'Respons'], ['1', '100,0%']]
    >>> again = write_docx(blocks, folder / "again.docx", "Wijknetwerk", subtitle="Evaluatie 2024")
    >>> again.read_bytes() == out.read_bytes()  # byte-identical for the same blocks
    True
    """
    from docx import Document
    from docx.shared import Cm

    words = _WORDS[language]
    document = Document(str(template)) if template is not None else Document()
    if template is not None:  # the template's styles and page set-up, not its text
        body = document.element.body
        for child in list(body):
            if child.tag.endswith("}sectPr"):
                continue
            body.remove(child)
    properties = document.core_properties
    properties.title, properties.author = title, "netwerkonderzoek"
    properties.created = properties.modified = _FIXED
    properties.last_modified_by, properties.revision = "netwerkonderzoek", 1
    properties.language = "nl-NL" if language == "nl" else "en-GB"
    document.add_paragraph(title, style=_style(document, "Title", "Heading 1"))
    if subtitle:
        document.add_paragraph(subtitle, style=_style(document, "Subtitle", "Normal"))
    document.add_paragraph(words["contents"], style=_style(document, "TOC Heading", "Heading 1"))
    _toc(document, words)
    section = document.sections[0]
    width = section.page_width - section.left_margin - section.right_margin
    for block in blocks:
        if isinstance(block, Heading):
            if block.level == 1:
                document.add_page_break()
            document.add_heading(block.text, level=min(block.level, 4))
        elif isinstance(block, Paragraph):
            _add_runs(document.add_paragraph(), block.runs)
        elif isinstance(block, Bullets):
            style = "List Number" if block.ordered else "List Bullet"
            for runs in block.items:
                _add_runs(document.add_paragraph(style=_style(document, style, "Normal")), runs)
        elif isinstance(block, Table):
            _table(document, block, words)
        elif isinstance(block, Figure):
            document.add_picture(io.BytesIO(block.png), width=min(width, Cm(16)))
            caption = document.add_paragraph(style=_style(document, "Caption", "Normal"))
            caption.add_run(f"{words['figure']} {block.number}. {block.caption}")
    buffer = io.BytesIO()
    document.save(buffer)
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_bytes(_fixed_zip(buffer.getvalue()))
    return destination
