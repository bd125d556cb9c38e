"""The report as PDF: A4, title page, table of contents, page numbers (ReportLab).

:func:`write_pdf` lays out the blocks of :func:`.document.report_blocks` with
ReportLab's page layout engine (platypus), a pip-installable library that
needs no browser or system library:

- a title page (title, subtitle, date line), then the table of contents
  (ReportLab's two-pass ``multiBuild`` fills in the page numbers), then the
  sections, each level-1 heading on a new page;
- every page after the title page carries the report title and ``Pagina N
  van M`` in its footer;
- tables repeat their header row on every page they run over, wrap their
  cells (no text is cut) and align numbers right; wide tables get a smaller
  font; figures are the 300 dpi PNGs the run saved, scaled to the text width;
  every table and figure has a numbered caption (``Tabel 3.``, ``Figuur 2.``);
- the file is byte-identical for the same blocks (``invariant``: no creation
  date or random id), so a re-run of the same inputs gives the same PDF.

Text is escaped for ReportLab's paragraph markup; nothing in the data is
interpreted.
"""

from __future__ import annotations

import io
from pathlib import Path
from xml.sax.saxutils import escape

from .document import Bullets, Figure, Heading, Paragraph, Table

__all__ = ["write_pdf"]

_WORDS = {
    "nl": {
        "contents": "Inhoud",
        "page": "Pagina {n} van {m}",
        "table": "Tabel",
        "figure": "Figuur",
    },
    "en": {
        "contents": "Contents",
        "page": "Page {n} of {m}",
        "table": "Table",
        "figure": "Figure",
    },
}
_NUMERIC = {"int", "d1", "d2", "d3", "pct", "eur", "p"}


def _markup(runs) -> str:
    """Text runs as escaped ReportLab paragraph markup (bold, italic, code font)."""
    out = []
    for text, style in runs:
        t = escape(text)
        if style == "code":
            t = f'<font face="Courier">{t}</font>'
        if "b" in style:
            t = f"<b>{t}</b>"
        if "i" in style:
            t = f"<i>{t}</i>"
        out.append(t)
    return "".join(out)


def _styles():
    """The paragraph styles of the PDF, by name."""
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet

    base = getSampleStyleSheet()
    body = ParagraphStyle(
        "body",
        parent=base["BodyText"],
        fontName="Helvetica",
        fontSize=10,
        leading=13.5,
        spaceAfter=5,
    )
    return {
        "title": ParagraphStyle(
            "title", parent=base["Title"], fontSize=26, leading=32, spaceAfter=18
        ),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontSize=13, leading=17),
        "h1": ParagraphStyle(
            "h1", parent=base["Heading1"], fontSize=17, leading=21, spaceBefore=0, spaceAfter=10
        ),
        "h2": ParagraphStyle(
            "h2", parent=base["Heading2"], fontSize=13, leading=16, spaceBefore=10, spaceAfter=6
        ),
        "h3": ParagraphStyle(
            "h3", parent=base["Heading3"], fontSize=11, leading=14, spaceBefore=8, spaceAfter=4
        ),
        "h4": ParagraphStyle(
            "h4", parent=base["Heading4"], fontSize=10, leading=13, spaceBefore=6, spaceAfter=3
        ),
        "body": body,
        "bullet": ParagraphStyle("bullet", parent=body, leftIndent=14, bulletIndent=4),
        "caption": ParagraphStyle(
            "caption",
            parent=body,
            fontSize=8.5,
            leading=11,
            textColor="#444444",
            spaceBefore=3,
            spaceAfter=10,
        ),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8, leading=10, spaceAfter=0),
        "cell_num": ParagraphStyle(
            "cell_num", parent=body, fontSize=8, leading=10, spaceAfter=0, alignment=TA_RIGHT
        ),
        "head": ParagraphStyle(
            "head", parent=body, fontSize=8, leading=10, spaceAfter=0, fontName="Helvetica-Bold"
        ),
        "toc1": ParagraphStyle("toc1", parent=body, fontSize=10.5, leading=15, leftIndent=10),
        "toc2": ParagraphStyle("toc2", parent=body, fontSize=9.5, leading=13, leftIndent=26),
    }


def _table(block: Table, styles, width: float):
    """A table block as a ReportLab table: header repeated, cells wrapped, numbers right."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph as P
    from reportlab.platypus import Table as T
    from reportlab.platypus import TableStyle

    n = max(len(block.columns), 1)
    size = 8 if n <= 7 else 7 if n <= 10 else 6
    size = _fitting_size(block, size, width)
    cell = ParagraphStyle("c", parent=styles["cell"], fontSize=size, leading=size + 2)
    num = ParagraphStyle("n", parent=styles["cell_num"], fontSize=size, leading=size + 2)
    head = ParagraphStyle("h", parent=styles["head"], fontSize=size, leading=size + 2)
    head_num = ParagraphStyle("hn", parent=head, alignment=num.alignment)
    numeric = [k in _NUMERIC for k in block.kinds]
    data = [[P(escape(c), head_num if numeric[i] else head) for i, c in enumerate(block.columns)]]
    for row in block.rows:
        data.append([P(escape(v), num if numeric[i] else cell) for i, v in enumerate(row)])
    widths = _column_widths(block, size, width)
    table = T(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.HexColor("#888888")),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f3f3f3")]),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def _fitting_size(block: Table, size: float, width: float) -> float:
    """The font size (down to 5 pt) at which every column's longest word fits the width."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    for _ in range(8):
        least = sum(
            max(
                [stringWidth(w, "Helvetica-Bold", size) for w in str(c).split()]
                + [stringWidth(w, "Helvetica", size) for r in block.rows for w in r[i].split()]
                + [0.0]
            )
            + 6.5
            for i, c in enumerate(block.columns)
        )
        if least <= width or size <= 5:
            break
        size = max(5.0, round(size * width / least - 0.05, 1))
    return size


def _column_widths(block: Table, size: float, width: float) -> list[float]:
    """Widths as a browser's automatic table layout: every column at least its longest
    word (no word is broken), the rest shared in proportion to the full text's width."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    pad = 6.5
    least, most = [], []
    for i, column in enumerate(block.columns):
        texts = [(column, "Helvetica-Bold")] + [(r[i], "Helvetica") for r in block.rows]
        words = [stringWidth(w, f, size) for t, f in texts for w in t.split()] or [0.0]
        least.append(max(words) + pad)
        most.append(max(stringWidth(t, f, size) for t, f in texts) + pad)
    if sum(most) <= width:  # everything fits on one line: spread the slack evenly
        extra = (width - sum(most)) / len(most)
        return [m + extra for m in most]
    if sum(least) >= width:  # even the longest words do not fit: scale them
        return [w * width / sum(least) for w in least]
    room = width - sum(least)
    spare = [m - w for m, w in zip(most, least, strict=True)]
    total = sum(spare) or 1.0
    return [w + room * s / total for w, s in zip(least, spare, strict=True)]


def _figure(block: Figure, width: float, height: float):
    """A figure block as an image that fits the text width and 70 % of the text height."""
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import Image

    reader = ImageReader(io.BytesIO(block.png))
    w, h = reader.getSize()
    scale = min(width / w, (height * 0.7) / h)
    return Image(io.BytesIO(block.png), width=w * scale, height=h * scale, hAlign="LEFT")


def _page() -> tuple[float, float, float]:
    """The A4 page's margin and the width and height of the text frame inside it."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm

    margin = 2.2 * cm
    return margin, A4[0] - 2 * margin, A4[1] - 2 * margin


def _document(buffer: io.BytesIO, title: str, words: dict, contents: bool):
    """The document template: a title page and body pages (footer: title, page N of M)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    margin, width, height = _page()

    class _Doc(BaseDocTemplate):
        def afterFlowable(self, flowable):
            level = getattr(flowable, "_toc_level", None)
            if level is not None:
                key = f"h{self.seq.nextf('heading')}"
                self.canv.bookmarkPage(key)
                self.canv.addOutlineEntry(flowable.getPlainText(), key, level=level)
                if level == 0:  # the contents list the sections; the outline has both levels
                    self.notify("TOCEntry", (level, flowable.getPlainText(), self.page, key))

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.setFillGray(0.35)
        canvas.drawString(margin, 1.2 * cm, title)
        canvas.drawRightString(A4[0] - margin, 1.2 * cm, _PageCount.text(words["page"], doc))
        canvas.restoreState()

    frame = Frame(margin, margin, width, height, id="body")
    doc = _Doc(
        buffer,
        pagesize=A4,
        title=title,
        author="netwerkonderzoek",
        invariant=1,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
    )
    doc.addPageTemplates(
        [
            PageTemplate("title", frames=[frame]),
            PageTemplate("body", frames=[frame], onPage=footer),
        ]
    )
    if not contents:
        doc.pageTemplates.reverse()  # every page is a body page, footer included
    return doc


def _front_matter(title: str, subtitle: str | None, words: dict, styles, contents: bool) -> list:
    """The title page and the table of contents, or only the switch to body pages."""
    from reportlab.lib.units import cm
    from reportlab.platypus import NextPageTemplate, PageBreak, Spacer
    from reportlab.platypus import Paragraph as P
    from reportlab.platypus.tableofcontents import TableOfContents

    if not contents:
        return [NextPageTemplate("body")]
    story: list = [Spacer(1, 6 * cm), P(escape(title), styles["title"])]
    if subtitle:
        story.append(P(escape(subtitle), styles["subtitle"]))
    story += [NextPageTemplate("body"), PageBreak(), P(words["contents"], styles["h1"])]
    toc = TableOfContents()
    toc.levelStyles = [styles["toc1"], styles["toc2"]]
    story.append(toc)
    return story


def _heading(block: Heading, styles, contents: bool) -> list:
    """A heading; levels 1 and 2 go into the contents, level 1 starts a page in a report."""
    from reportlab.lib.units import cm
    from reportlab.platypus import CondPageBreak, PageBreak
    from reportlab.platypus import Paragraph as P

    para = P(escape(block.text), styles[f"h{min(block.level, 4)}"])
    if block.level <= 2:
        para._toc_level = block.level - 1
    if block.level == 1:
        return [PageBreak(), para] if contents else [para]
    return [CondPageBreak(3 * cm), para]


def _bullets(block: Bullets, styles):
    """A numbered or bulleted list."""
    from reportlab.platypus import ListFlowable, ListItem
    from reportlab.platypus import Paragraph as P

    items = [ListItem(P(_markup(r), styles["body"]), leftIndent=14) for r in block.items]
    return ListFlowable(
        items,
        bulletType="1" if block.ordered else "bullet",
        start="1" if block.ordered else "•",
        leftIndent=14,
    )


def _flowables(block, styles, words: dict, contents: bool) -> list:
    """The flowables of one block: a heading, paragraph, list, or captioned table or figure."""
    from reportlab.lib.units import cm
    from reportlab.platypus import CondPageBreak, KeepTogether, Spacer
    from reportlab.platypus import Paragraph as P

    _, width, height = _page()
    if isinstance(block, Heading):
        return _heading(block, styles, contents)
    if isinstance(block, Paragraph):
        return [P(_markup(block.runs), styles["body"])]
    if isinstance(block, Bullets):
        return [_bullets(block, styles)]
    if isinstance(block, Table):
        caption = P(f"{words['table']} {block.number}. {escape(block.caption)}", styles["caption"])
        return [CondPageBreak(2.5 * cm), caption, _table(block, styles, width), Spacer(1, 8)]
    if isinstance(block, Figure):
        caption = P(
            f"{words['figure']} {block.number}. {escape(block.caption)}", styles["caption"]
        )
        return [KeepTogether([_figure(block, width, height), caption])]
    return []


def write_pdf(
    blocks: list,
    destination: str | Path,
    title: str,
    *,
    subtitle: str | None = None,
    language: str = "nl",
    contents: bool = True,
) -> Path:
    """Write the blocks as an A4 PDF (see the module); return the path.

    ``contents=False`` (a short document such as a partner's report): no
    title page and no table of contents; level-1 headings do not start a
    new page.

    Parameters
    ----------
    blocks : list of Heading, Paragraph, Bullets, Table or Figure
        The document (:func:`.document.report_blocks`).
    destination : str or Path
        The file to write; its folder is made if needed.
    title : str
        On the title page, in every footer and in the PDF's metadata.
    subtitle : str, optional
        Under the title on the title page.
    language : {"nl", "en"}
        Language of the words the PDF adds (contents, page numbers, captions).
    contents : bool
        Whether to start with a title page and a table of contents.

    Returns
    -------
    Path
        ``destination``.

    Examples
    --------
    A heading, a paragraph and a table give three pages: the title page, the
    contents (with the section's page number) and the section; every page
    after the title page has the title and ``Pagina N van M`` in its footer.
    The same blocks give the same bytes.

    >>> import pathlib, tempfile
    >>> import pypdfium2 as pdfium
    >>> from netwerkonderzoek.story.document import Heading, Paragraph, Table
    >>> blocks = [Heading(1, "Resultaten"), Paragraph([("Het netwerk ", ""), ("groeit", "b")]),
    ...     Table(["partner", "uren"], [["Gemeente", "12"], ["Corporatie", "30"]],
    ...           ["text", "int"], "Inzet per partner", 1)]
    >>> def pages(path):
    ...     pdf = pdfium.PdfDocument(path)
    ...     text = [page.get_textpage().get_text_range().splitlines() for page in pdf]
    ...     pdf.close()
    ...     return text
    >>> tmp = tempfile.TemporaryDirectory()
    >>> path = write_pdf(blocks, pathlib.Path(tmp.name, "rapport.pdf"), "Wijknetwerk Noord")
    >>> title, contents, section = pages(path)
    >>> title, contents
    (['Wijknetwerk Noord'], ['Wijknetwerk Noord Pagina 2 van 3', 'Inhoud', 'Resultaten 3'])
    >>> print("\\n".join(section))
    Wijknetwerk Noord Pagina 3 van 3
    Resultaten
    Het netwerk groeit
    Tabel 1. Inzet per partner
    partner uren
    Gemeente 12
    Corporatie 30
    >>> again = write_pdf(blocks, pathlib.Path(tmp.name, "opnieuw.pdf"), "Wijknetwerk Noord")
    >>> again.read_bytes() == path.read_bytes()
    True

    Without contents, in English: one page.

    >>> short = pathlib.Path(tmp.name, "kort.pdf")
    >>> pages(write_pdf(blocks, short, "Partner", language="en", contents=False))[0][:4]
    ['Partner Page 1 of 1', 'Resultaten', 'Het netwerk groeit', 'Table 1. Inzet per partner']
    >>> tmp.cleanup()
    """
    words = _WORDS[language]
    styles = _styles()
    buffer = io.BytesIO()
    doc = _document(buffer, title, words, contents)
    story = _front_matter(title, subtitle, words, styles, contents)
    for block in blocks:
        story += _flowables(block, styles, words, contents)
    doc.multiBuild(story, canvasmaker=_PageCount.canvas())
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_bytes(buffer.getvalue())
    return destination


class _PageCount:
    """A canvas that knows the page count (``Pagina N van M``): pages are kept, then drawn."""

    @staticmethod
    def text(template: str, doc) -> str:
        return template.format(n=doc.page, m="{total}")

    @staticmethod
    def canvas():
        from reportlab.pdfgen.canvas import Canvas

        class _Canvas(Canvas):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self._pages: list[dict] = []

            def showPage(self):
                self._pages.append(dict(self.__dict__))
                self._startPage()

            def save(self):
                total = len(self._pages)
                for state in self._pages:
                    self.__dict__.update(state)
                    self._code = [c.replace("{total}", str(total)) for c in self._code]
                    super().showPage()
                super().save()

        return _Canvas
