"""Assemble the per-network HTML report from the executed study notebooks.

Section convention
------------------
A notebook cell tagged ``report-section:<key>`` starts a report section;
the cells after it belong to that section until the next tagged cell.
Sections are placed in the reading order of :data:`REPORT_SECTIONS`
(key messages first, then mission and value definition, timeline, network, heartbeat, value matrix,
business cases, monetisation, the research agenda, programme theory, CMO verdicts, quotes, most
significant change, what changed in the theory, the researcher's discussion
and recommendations, methods, other, RAMESES II),
whatever notebook they come from; sections with the same key are joined in
notebook order. In a notebook with tags, the cells before the first tag
(title, parameters, imports) go to the notebook's default section
(:func:`netwerkonderzoek.registry.registered_notebook`) if it has one and are left out otherwise. A
notebook without any tag goes whole to its default section, or to
``other``. The ``parameters`` and ``injected-parameters`` cells, code cells
without output and ``stderr`` streams (warnings) are left out; the executed
notebooks keep them. Code is hidden.

Every section gets a heading ``<h2 class="report-section"
id="section-<key>">``; the heading that opens a section's first markdown cell
is left out (the section title replaces it: each heading once) and the
notebooks' other headings move one level down (``##`` becomes ``###``); the ``rameses`` section ends with the RAMESES II
checklist (:func:`~netwerkonderzoek.story.rameses.rameses_checklist`)
computed from the sections actually present (code outputs of notebook cells in
that section are replaced by it; their markdown is kept).

Examples
--------
>>> import nbformat
>>> nb = nbformat.v4.new_notebook(cells=[
...     nbformat.v4.new_markdown_cell("Eerst", metadata={"tags": ["report-section:heartbeat"]}),
...     nbformat.v4.new_markdown_cell("Dan", metadata={"tags": ["report-section:mission"]})])
>>> [key for key, _ in notebook_sections(nb, "x")]
['heartbeat', 'mission']
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from pathlib import Path

from ..exceptions import RunError
from ..figures import check_language
from ..registry import registered_notebook
from .sections import REPORT_SECTIONS, section_order, section_title

__all__ = [
    "REPORT_CSP",
    "REPORT_SECTIONS",
    "TAG_PREFIX",
    "build_report",
    "collect_sections",
    "notebook_sections",
    "section_title",
]

TAG_PREFIX = "report-section:"

# JupyterLab's look without scripts from a CDN: the report is self-contained.
REPORT_TEMPLATE = Path(__file__).with_name("report.html.j2")

#: The report's Content-Security-Policy: no script of any kind, nothing fetched,
#: no forms; embedded images and fonts, inline styles (JupyterLab's and pandas').
REPORT_CSP = (
    "default-src 'none'; script-src 'none'; img-src data:; font-src data:; "
    "style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
)


_SKIP_TAGS = {"parameters", "injected-parameters"}


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _section_tag(cell) -> str | None:
    for tag in _tags(cell):
        if tag.startswith(TAG_PREFIX):
            key = tag[len(TAG_PREFIX) :]
            section_title(key)  # raises for an unknown key
            return key
    return None


def _clean(cell, name: str, index: int):
    """The cell as shown in the report, or None to leave it out."""
    if set(_tags(cell)) & _SKIP_TAGS:
        return None
    if cell.cell_type != "code":
        return cell
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            raise RunError(
                f"notebook {name}, cell {index}: {output.get('ename')}: {output.get('evalue')}; "
                "a report is only built from notebooks that ran without errors"
            )
    outputs = [
        o
        for o in cell.get("outputs", [])
        if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
    ]
    if not outputs:
        return None
    cell = cell.copy()
    cell["outputs"] = outputs
    return cell


_HEADING = re.compile(r"^(#{1,5})(\s)", re.MULTILINE)
_FIRST_HEADING = re.compile(r"\A\s*#{1,6}[^\n]*(\n|\Z)")


def _demote(cell, first: bool):
    """A markdown cell under a report section: its headings one level down; the
    section's opening heading dropped (the section title replaces it, so no
    heading is shown twice)."""
    if cell.cell_type != "markdown":
        return cell
    text = cell.source
    if first:
        text = _FIRST_HEADING.sub("", text, count=1)
    parts = re.split(r"(^```.*?^```)", text, flags=re.MULTILINE | re.DOTALL)
    text = "".join(
        p if p.startswith("```") else _HEADING.sub(lambda m: "#" + m.group(1) + m.group(2), p)
        for p in parts
    )
    if not text.strip():
        return None
    cell = cell.copy()
    cell.source = text
    return cell


def notebook_sections(nb, name: str) -> list[tuple[str, list]]:
    """Split one notebook into ``(section key, cells)`` in notebook order (see module docs).

    ``name`` is the notebook's file name without ``.ipynb``: it gives the
    default section (:func:`netwerkonderzoek.registry.registered_notebook`).

    Examples
    --------
    >>> import nbformat
    >>> v4 = nbformat.v4
    >>> shown = v4.new_code_cell("print(n)")
    >>> shown.outputs = [v4.new_output("stream", name="stdout", text="24 partners"),
    ...                  v4.new_output("stream", name="stderr", text="UserWarning: ...")]
    >>> nb = v4.new_notebook(cells=[
    ...     v4.new_markdown_cell("# Hartslag\\n\\nTekst\\n\\n## Per meting",
    ...                          metadata={"tags": ["report-section:heartbeat"]}),
    ...     v4.new_code_cell('language = "nl"', metadata={"tags": ["parameters"]}),
    ...     shown, v4.new_code_cell("x = 1")])
    >>> ((key, cells),) = notebook_sections(nb, "03_hartslag")
    >>> key, cells[0].source  # the opening heading left out, the others one level down
    ('heartbeat', '\\nTekst\\n\\n### Per meting')
    >>> [o["text"] for o in cells[1].outputs]  # no parameters, stderr or silent cells
    ['24 partners']
    >>> untagged = v4.new_notebook(cells=[v4.new_markdown_cell("Tekst")])
    >>> notebook_sections(untagged, "03_hartslag")[0][0], notebook_sections(untagged, "99_eigen")[0][0]
    ('heartbeat', 'other')
    """
    default = registered_notebook(name).section
    tagged = any(_section_tag(cell) for cell in nb.cells)
    current = default if tagged else (default or "other")
    sections: list[tuple[str, list]] = []
    for index, cell in enumerate(nb.cells):
        key = _section_tag(cell)
        if key is not None:
            current = key
            sections.append((key, []))
        elif not sections:
            if current is None:
                continue
            sections.append((current, []))
        shown = _clean(cell, name, index)
        if shown is not None:
            shown = _demote(shown, first=not sections[-1][1])
        if shown is not None:
            sections[-1][1].append(shown)
    return sections


def collect_sections(notebooks: Iterable[str | Path]) -> dict[str, list]:
    """Cells per section key, over all notebooks, in reading order.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import nbformat
    >>> v4, folder = nbformat.v4, Path(tempfile.mkdtemp())
    >>> story = v4.new_notebook(cells=[
    ...     v4.new_markdown_cell("Wat er gebeurde", metadata={"tags": ["report-section:timeline"]}),
    ...     v4.new_markdown_cell("Waarom wij", metadata={"tags": ["report-section:mission"]})])
    >>> nbformat.write(story, folder / "06_verhaal.ipynb")
    >>> nbformat.write(v4.new_notebook(cells=[v4.new_markdown_cell("Hartslagtekst")]),
    ...                folder / "03_hartslag.ipynb")  # untagged: its default section
    >>> notebooks = [folder / "06_verhaal.ipynb", folder / "03_hartslag.ipynb"]
    >>> sections = collect_sections(notebooks)
    >>> {key: [cell.source for cell in cells] for key, cells in sections.items()}
    {'mission': ['Waarom wij'], 'timeline': ['Wat er gebeurde'], 'heartbeat': ['Hartslagtekst']}
    """
    import nbformat

    found: dict[str, list] = {}
    for path in notebooks:
        path = Path(path)
        nb = nbformat.read(path, as_version=4)
        for key, cells in notebook_sections(nb, path.stem):
            found.setdefault(key, []).extend(cells)
    return dict(sorted(found.items(), key=lambda item: section_order(item[0])))


def _has_discussion(cells: list) -> bool:
    """Whether a discussion section holds the researcher's text (not the hint where to write it)."""
    from .present import TEXT_MIME

    return any(
        output.get("data", {}).get(TEXT_MIME, {}).get("discussion") is True
        for cell in cells
        for output in cell.get("outputs", [])
    )


def _run_language(executed: list[Path]) -> str:
    import nbformat

    for path in executed:
        meta = nbformat.read(path, as_version=4).metadata.get("papermill", {})
        language = meta.get("parameters", {}).get("language")
        if language in ("nl", "en"):
            return language
    return "nl"


def build_report(
    executed: Iterable[str | Path],
    destination: str | Path,
    title: str,
    *,
    language: str | None = None,
    subtitle: str | None = None,
    formats: tuple[str, ...] = ("pdf", "docx"),
    docx_template: str | Path | None = None,
) -> Path:
    """Write the HTML report of one run: the executed notebooks as sections, code hidden.

    Beside it, the same sections as ``report.pdf`` (:mod:`.pdf`) and
    ``report.docx`` (:mod:`.word`) unless ``formats`` leaves them out.

    Parameters
    ----------
    executed : iterable of path
        Executed notebooks, in run order.
    destination : path
        The HTML file to write (``report.html``).
    title : str
        The report title (the network's name).
    language : {"nl", "en"}, optional
        Language of section headings, contents and checklist; by default the
        ``language`` parameter papermill recorded in the first notebook that
        has one, else Dutch.
    subtitle : str, optional
        A line under the title.
    formats : tuple of {"pdf", "docx"}
        The versions written beside the HTML.
    docx_template : path, optional
        A reference Word document whose styles the ``.docx`` uses.

    Returns
    -------
    Path

    Raises
    ------
    RunError
        If a notebook holds an error output.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import nbformat
    >>> v4, folder = nbformat.v4, Path(tempfile.mkdtemp())
    >>> story = v4.new_notebook(cells=[
    ...     v4.new_markdown_cell("Wat er gebeurde", metadata={"tags": ["report-section:timeline"]}),
    ...     v4.new_markdown_cell("Waarom wij", metadata={"tags": ["report-section:mission"]})])
    >>> nbformat.write(story, folder / "06_verhaal.ipynb")
    >>> nbformat.write(v4.new_notebook(cells=[v4.new_markdown_cell("Hartslagtekst")]),
    ...                folder / "03_hartslag.ipynb")  # untagged: its default section
    >>> notebooks = [folder / "06_verhaal.ipynb", folder / "03_hartslag.ipynb"]
    >>> out = build_report(notebooks, folder / "report.html", "Wijknetwerk <Noord>")
    >>> sorted(p.name for p in folder.glob("report.*"))
    ['report.docx', 'report.html', 'report.pdf']
    >>> import re
    >>> page = out.read_text(encoding="utf-8")
    >>> re.findall(r'<h2 class="report-section" data-section="([a-z-]+)"', page)
    ['mission', 'timeline', 'heartbeat', 'rameses']
    >>> "Wijknetwerk &lt;Noord&gt;" in page, "<script" in page
    (True, False)
    """
    import nbformat
    from nbconvert import HTMLExporter

    from .document import caption_outputs, report_blocks
    from .pdf import write_pdf
    from .present import present
    from .rameses import RAMESES_LABELS, rameses_checklist
    from .word import write_docx

    executed = [Path(p) for p in executed]
    destination_dir = Path(destination).parent
    if language is None:
        language = _run_language(executed)
    check_language(language)
    # a section none of whose cells shows anything (the changes of a first
    # evaluation) is left out, heading and all
    sections = {key: cells for key, cells in collect_sections(executed).items() if cells}
    sections.setdefault("rameses", [])
    sections = dict(sorted(sections.items(), key=lambda item: section_order(item[0])))
    merged = nbformat.v4.new_notebook()
    merged.metadata["title"] = title
    contents = "Inhoud" if language == "nl" else "Contents"
    toc = "\n".join(
        f'<li><a href="#section-{key}">{html.escape(section_title(key, language))}</a></li>'
        for key in sections
    )
    head = f'<h1 class="report-title">{html.escape(title)}</h1>\n'
    if subtitle:
        head += f'<p class="report-subtitle">{html.escape(subtitle)}</p>\n'
    head += (
        f'<nav class="report-contents"><p><strong>{contents}</strong></p><ol>\n{toc}\n</ol></nav>'
    )
    merged.cells.append(nbformat.v4.new_markdown_cell(head))
    for key, cells in sections.items():
        heading = (
            f'<h2 class="report-section" id="section-{key}" data-section="{key}">'
            f"{html.escape(section_title(key, language))}</h2>"
        )
        merged.cells.append(nbformat.v4.new_markdown_cell(heading))
        if key == "rameses":  # the checklist is computed here, from the sections present
            cells = [c for c in cells if c.cell_type != "code"]
        merged.cells.extend(cells)
        if key == "rameses":
            covered = [k for k in sections if k != "discussion" or _has_discussion(sections[k])]
            checklist = present(
                rameses_checklist(covered, language), language=language, labels=RAMESES_LABELS
            )
            cell = nbformat.v4.new_code_cell("")
            cell.outputs = [
                nbformat.v4.new_output(
                    "display_data", data=checklist._repr_mimebundle_(), metadata={}
                )
            ]
            merged.cells.append(cell)
            sections[key] = [*cells, cell]
    # the same blocks give the PDF and Word versions; their numbered captions go
    # into the HTML too, so the three versions number tables and figures alike
    blocks = report_blocks(
        sections, {k: section_title(k, language) for k in sections}, destination_dir / "figures"
    )
    caption_outputs([c for cells in sections.values() for c in cells], blocks, language)
    merged.cells = [cell.copy() for cell in merged.cells]
    for index, cell in enumerate(merged.cells):  # unique, deterministic cell ids
        cell["id"] = f"report-{index:04d}"
    exporter = HTMLExporter(
        template_file=str(REPORT_TEMPLATE),
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        language_code=language,
    )
    body, _ = exporter.from_notebook_node(merged, resources={"report_csp": REPORT_CSP})
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    try:
        destination.write_text(body, encoding="utf-8")
        if formats:
            if "pdf" in formats:
                write_pdf(
                    blocks,
                    destination.with_suffix(".pdf"),
                    title,
                    subtitle=subtitle,
                    language=language,
                )
            if "docx" in formats:
                write_docx(
                    blocks,
                    destination.with_suffix(".docx"),
                    title,
                    subtitle=subtitle,
                    language=language,
                    template=docx_template,
                )
    except OSError as exc:  # a full disk or a file-size limit: say which file
        raise OSError(exc.errno, f"could not write {destination}: {exc.strerror}") from exc
    return destination
