"""The report as a document: headings, paragraphs, lists, tables and figures.

The HTML report shows the executed notebooks' sections (:mod:`~netwerkonderzoek.story.report`); the
PDF (:mod:`.pdf`) and Word (:mod:`.word`) versions are written from the same
sections, read into blocks by :func:`report_blocks`:

- a section title is a :class:`Heading` of level 1; a notebook's own
  headings under it come one level down, as in the HTML (the heading that
  opens a section is left out there already);
- markdown becomes :class:`Heading`, :class:`Paragraph` (runs of plain,
  **bold**, *italic* and ``code`` text; links keep their text, raw HTML its
  text only) and :class:`Bullets`;
- a table shown with :func:`.present` carries its cells in the output
  (:data:`.present.TABLE_MIME`) and becomes a :class:`Table`; paragraphs of
  :func:`.present.paragraphs` (:data:`.present.TEXT_MIME`) become
  paragraphs; any other output with only plain text becomes paragraphs too;
- a figure becomes a :class:`Figure`: the PNG the run saved at print
  resolution (``figures/<name>.png``, named in the output's metadata by
  :func:`netwerkonderzoek.figures.save_figure`), else the picture shown;
  its caption is its text alternative.

Tables and figures without a caption get one from the heading above them, or
from the short sentence ending in a colon that introduces them.
Nothing is interpreted: text stays text.

Examples
--------
>>> blocks = markdown_blocks("## Kop\\n\\nTekst met **vet** en `code`.\\n\\n- een\\n- twee", 2)
>>> [type(b).__name__ for b in blocks]
['Heading', 'Paragraph', 'Bullets']
>>> blocks[1].runs
[('Tekst met ', ''), ('vet', 'b'), (' en ', ''), ('code', 'code'), ('.', '')]
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from pathlib import Path

from .messages import MESSAGES_MIME
from .present import TABLE_MIME, TEXT_MIME

__all__ = [
    "Bullets",
    "Figure",
    "Heading",
    "Paragraph",
    "Table",
    "caption_outputs",
    "markdown_blocks",
    "report_blocks",
]

Run = tuple[str, str]  # (text, style): style "", "b", "i", "bi" or "code"


@dataclass
class Heading:
    level: int
    text: str


@dataclass
class Paragraph:
    runs: list[Run]

    @property
    def text(self) -> str:
        return "".join(t for t, _ in self.runs)


@dataclass
class Bullets:
    items: list[list[Run]]
    ordered: bool = False


@dataclass
class Table:
    columns: list[str]
    rows: list[list[str]]
    kinds: list[str]
    caption: str = ""
    number: int = 0
    output: dict | None = field(default=None, repr=False, compare=False)


@dataclass
class Figure:
    png: bytes
    caption: str = ""
    number: int = 0
    path: Path | None = field(default=None, repr=False)
    output: dict | None = field(default=None, repr=False, compare=False)


Block = Heading | Paragraph | Bullets | Table | Figure


def _runs(children: list, style: str = "") -> list[Run]:
    out: list[Run] = []
    for child in children:
        kind = child.get("type")
        if kind == "text":
            out.append((child["raw"], style))
        elif kind == "codespan":
            out.append((child["raw"], "code"))
        elif kind in ("softbreak", "linebreak"):
            out.append((" ", style))
        elif kind == "strong":
            out.extend(_runs(child.get("children", []), "bi" if "i" in style else "b"))
        elif kind == "emphasis":
            out.extend(_runs(child.get("children", []), "bi" if "b" in style else "i"))
        elif kind in ("link", "image"):
            out.extend(_runs(child.get("children", []), style))
        # inline_html: the tags are left out, the text between them kept
    merged: list[Run] = []
    for text, st in out:
        if merged and merged[-1][1] == st:
            merged[-1] = (merged[-1][0] + text, st)
        elif text:
            merged.append((text, st))
    return merged


def _plain(children: list) -> str:
    return "".join(t for t, _ in _runs(children))


def markdown_blocks(text: str, shift: int = 1) -> list[Block]:
    """Blocks of one markdown text; headings ``shift`` levels down (at most 4).

    Headings are at least level 2 (level 1 is a report section's title);
    a block quote's paragraphs become italic paragraphs.

    Examples
    --------
    >>> markdown_blocks("# Titel\\n\\n> Een *citaat*\\n\\n1. een\\n2. twee", shift=2)
    ... # doctest: +NORMALIZE_WHITESPACE
    [Heading(level=2, text='Titel'), Paragraph(runs=[('Een citaat', 'i')]),
     Bullets(items=[[('een', '')], [('twee', '')]], ordered=True)]
    >>> markdown_blocks("<b>Vet</b> of niet")[0].text  # raw HTML: its text only
    'Vet of niet'
    """
    import mistune

    tokens = mistune.create_markdown(renderer="ast")(text)
    out: list[Block] = []
    for token in tokens:
        kind = token.get("type")
        if kind == "heading":
            level = min(token["attrs"]["level"] + shift - 1, 4)
            out.append(Heading(max(level, 2), _plain(token["children"])))
        elif kind in ("paragraph", "block_text"):
            runs = _runs(token["children"])
            if "".join(t for t, _ in runs).strip():
                out.append(Paragraph(runs))
        elif kind == "list":
            items = []
            for item in token.get("children", []):
                runs: list[Run] = []
                for part in item.get("children", []):
                    runs.extend(_runs(part.get("children", [])))
                items.append(runs)
            out.append(Bullets(items, bool(token.get("attrs", {}).get("ordered"))))
        elif kind == "block_code":
            out.append(Paragraph([(token.get("raw", "").rstrip("\n"), "code")]))
        elif kind == "block_quote":
            for inner in markdown_blocks_from_tokens(token.get("children", [])):
                out.append(inner)
    return out


def markdown_blocks_from_tokens(tokens: list) -> list[Block]:
    """Italic paragraphs of the parsed tokens inside a block quote (mistune's AST).

    Only paragraphs are kept; a quote's headings, lists and code are left out.

    Examples
    --------
    >>> import mistune
    >>> (quote,) = mistune.create_markdown(renderer="ast")("> Zo *gaat* het.")
    >>> markdown_blocks_from_tokens(quote["children"])
    [Paragraph(runs=[('Zo gaat het.', 'i')])]
    """
    out: list[Block] = []
    for token in tokens:
        if token.get("type") in ("paragraph", "block_text"):
            out.append(Paragraph(_runs(token["children"], "i")))
    return out


def _output_blocks(output, figures_dir: Path | None) -> list[Block]:
    data = output.get("data", {})
    if TABLE_MIME in data:
        table = data[TABLE_MIME]
        if "empty" in table:
            return [Paragraph([(table["empty"], "i")])]
        return [Table(table["columns"], table["rows"], table["kinds"], table.get("caption") or "")]
    if MESSAGES_MIME in data:
        out: list[Block] = []
        for group in data[MESSAGES_MIME]["groups"]:
            out.append(Heading(2, group["title"]))
            out.append(Bullets([[(item, "")] for item in group["items"]]))
        return out
    if TEXT_MIME in data:
        return [Paragraph([(p, "")]) for p in data[TEXT_MIME]["paragraphs"]]
    if "image/png" in data:
        metadata = output.get("metadata", {})
        meta = metadata.get("netwerkonderzoek", {})
        name = meta.get("figure")
        alt = meta.get("alt") or metadata.get("image/png", {}).get("alt") or ""
        path = figures_dir / f"{name}.png" if figures_dir is not None and name else None
        if path is not None and path.is_file():
            return [Figure(path.read_bytes(), str(alt), path=path)]
        return [Figure(base64.b64decode(data["image/png"]), str(alt))]
    if output.get("output_type") == "stream":
        text = output.get("text", "")
        return [Paragraph([(p, "")]) for p in text.split("\n\n") if p.strip()]
    if "text/html" in data:  # a display not made by present(): its tables, else its text
        return _html_blocks(str(data["text/html"]))
    if "text/plain" in data:
        return [Paragraph([(p, "")]) for p in str(data["text/plain"]).split("\n\n") if p.strip()]
    return []


def _html_blocks(markup: str) -> list[Block]:
    import io as _io

    import pandas as pd

    if "<table" in markup:
        try:
            frames = pd.read_html(_io.StringIO(markup), keep_default_na=False)
        except ValueError:
            frames = []
        out: list[Block] = []
        for frame in frames:
            if isinstance(frame.columns, pd.MultiIndex):
                frame.columns = [
                    " ".join(str(p) for p in c if "Unnamed" not in str(p)) for c in frame.columns
                ]
            columns = ["" if "Unnamed" in str(c) else str(c) for c in frame.columns]
            rows = frame.astype(str).values.tolist()
            out.append(Table(columns, rows, ["text"] * len(columns)))
        if out:
            return out
    import html as _html
    import re

    text = _html.unescape(
        re.sub(r"<[^>]+>", " ", re.sub(r"<(style|script).*?</\1>", "", markup, flags=re.S))
    )
    return [Paragraph([(" ".join(p.split()), "")]) for p in text.split("\n\n") if p.strip()]


CAPTION_WORDS = {"nl": ("Tabel", "Figuur"), "en": ("Table", "Figure")}


def caption_outputs(cells: list, blocks: list, language: str = "nl") -> None:
    """Give the HTML report the numbered captions the PDF and Word versions have.

    A table's caption goes above it (into its HTML output), a figure's in a
    new output after it; ``cells`` are the report's cells the ``blocks``
    were read from (:func:`report_blocks`). The outputs are changed in place.

    Examples
    --------
    >>> import nbformat
    >>> import pandas as pd
    >>> from netwerkonderzoek.story.present import present
    >>> shown = present(pd.DataFrame({"wave": [1, 2], "response_rate": [1.0, 0.8]}))
    >>> intro = nbformat.v4.new_markdown_cell("Respons & non-respons:")
    >>> cell = nbformat.v4.new_code_cell("present(response)")
    >>> cell.outputs = [nbformat.v4.new_output("display_data", data=shown._repr_mimebundle_())]
    >>> blocks = report_blocks({"methods": [intro, cell]}, {"methods": "Methode"})
    >>> caption_outputs([intro, cell], blocks)
    >>> cell.outputs[0]["data"]["text/html"].split("</p>")[0].split(">")[-1]
    'Tabel 1. Respons &amp; non-respons'
    """
    import html as _html

    table_word, figure_word = CAPTION_WORDS[language]
    after: dict[int, str] = {}
    for block in blocks:
        output = getattr(block, "output", None)
        if output is None:
            continue
        if isinstance(block, Table) and "text/html" in output.get("data", {}):
            text = _html.escape(f"{table_word} {block.number}. {block.caption}")
            output["data"]["text/html"] = (
                f'<p class="report-caption" style="font-size: 0.9em; color: #444; margin-bottom: 0.2em">{text}</p>'
                + output["data"]["text/html"]
            )
        elif isinstance(block, Figure):
            after[id(output)] = _html.escape(f"{figure_word} {block.number}. {block.caption}")
    if not after:
        return
    import nbformat

    for cell in cells:
        outputs = cell.get("outputs")
        if not outputs:
            continue
        new = []
        for output in outputs:
            new.append(output)
            if id(output) in after:
                new.append(
                    nbformat.v4.new_output(
                        "display_data",
                        data={
                            "text/html": f'<p class="report-caption" style="font-size: 0.9em; color: #444; margin-bottom: 0.2em">{after[id(output)]}</p>'
                        },
                    )
                )
        cell["outputs"] = new


def report_blocks(
    sections: dict[str, list], titles: dict[str, str], figures_dir: Path | None = None
) -> list[Block]:
    """The blocks of a report's sections (see the module); tables and figures numbered.

    Examples
    --------
    >>> import nbformat
    >>> import pandas as pd
    >>> from netwerkonderzoek.story.present import present
    >>> shown = present(pd.DataFrame({"wave": [1, 2], "response_rate": [1.0, 0.8]}))
    >>> intro = nbformat.v4.new_markdown_cell("Respons & non-respons:")
    >>> cell = nbformat.v4.new_code_cell("present(response)")
    >>> cell.outputs = [nbformat.v4.new_output("display_data", data=shown._repr_mimebundle_())]
    >>> blocks = report_blocks({"methods": [intro, cell]}, {"methods": "Methode"})
    >>> [type(b).__name__ for b in blocks]
    ['Heading', 'Paragraph', 'Table']
    >>> table = blocks[-1]
    >>> table.number, table.caption, table.columns, table.rows
    (1, 'Respons & non-respons', ['Meting', 'Respons'], [['1', '100,0%'], ['2', '80,0%']])
    """
    out: list[Block] = []
    for key, cells in sections.items():
        out.append(Heading(1, titles[key]))
        for cell in cells:
            if cell.cell_type == "markdown":
                out.extend(markdown_blocks(cell.source, shift=1))
            elif cell.cell_type == "code":
                for output in cell.get("outputs", []):
                    made = _output_blocks(output, figures_dir)
                    for block in made:
                        if isinstance(block, Table | Figure):
                            block.output = output  # where the HTML report shows it
                    out.extend(made)
    heading, tables, figures = "", 0, 0
    for block in out:
        if isinstance(block, Heading):
            heading = block.text
        elif isinstance(block, Paragraph) and block.text.rstrip().endswith(":"):
            if len(block.text) <= 160:  # "Makelaarsrollen bij de laatste meting:" introduces
                heading = block.text.rstrip().rstrip(":")
        elif isinstance(block, Table):
            tables += 1
            block.number = tables
            block.caption = block.caption or heading
        elif isinstance(block, Figure):
            figures += 1
            block.number = figures
            block.caption = block.caption or heading
    return out
