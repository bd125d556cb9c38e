"""One report per partner: *Wat levert het netwerk ons op?*

:func:`build_partner_reports` writes, for every partner in a complete run's
business case table, ``partners/<partner_id>.html`` and ``.pdf``:

1. **Onze inzet**: the partner's own hours and costs per wave;
2. **Wat anderen ons toekennen**: the value the other partners attribute to
   it (PARTNER, 1-4) per wave, beside the network's median, and how many
   partners rated it;
3. **Onze eigen waardering**: the partner's own appreciation (1-10) per
   wave; a wave with fewer raters than ``privacy.min_cell`` is shown as
   suppressed (counts of persons);
4. **Onze plek in het netwerk**: its degree, betweenness, coreness and
   brokerage per wave beside the network's median, and whether its business
   case is under pressure (and why);
5. a figure of its business case over the waves;
6. **Het netwerk als geheel**: the network-level key messages on value and
   the programme theory (:func:`.messages.key_messages`).

Nothing about another partner is shown except what the network report
shows in aggregate (medians over all partners): no other partner's name,
id or figures (tested). The HTML has the report's Content-Security-Policy
(no script, nothing fetched) and every text is escaped.
"""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path

import pandas as pd

from ..figures import check_language
from .document import Bullets, Figure, Heading, Paragraph, Table
from .present import present

__all__ = ["build_partner_reports", "partner_blocks", "write_html"]

_T = {
    "nl": {
        "title": "Wat levert het netwerk ons op?",
        "intro": "Dit overzicht is voor {name}, partner van {network}: de eigen inzet, de waarde "
        "die de andere partners aan {name} toekennen, de eigen waardering en de plek in het "
        "netwerk, naast de uitkomsten van het netwerk als geheel. Over andere partners staan "
        "hier alleen netwerkcijfers (medianen over alle partners).",
        "input": "Onze inzet",
        "attributed": "Wat de andere partners ons toekennen",
        "own": "Onze eigen waardering",
        "place": "Onze plek in het netwerk",
        "whole": "Het netwerk als geheel",
        "flag": "De businesscase staat onder druk: {reason}.",
        "no_flag": "De businesscase staat niet onder druk: de inzet groeit niet terwijl de "
        "ervaren waarde daalt.",
        "median": "mediaan netwerk",
        "suppressed": "afgeschermd (minder dan {n} beoordelaars)",
        "figure": "Businesscase van {name}: inzet per maand (boven), waarde volgens andere "
        "partners en eigen waardering (onder)",
        "no_measures": "Deze partner komt in de netwerkenquête niet voor: geen netwerkmaten.",
    },
    "en": {
        "title": "What does the network yield for us?",
        "intro": "This overview is for {name}, partner of {network}: its own investment, the "
        "value the other partners attribute to {name}, its own appreciation and its place in "
        "the network, beside the results of the network as a whole. Of other partners only "
        "network figures are shown (medians over all partners).",
        "input": "Our investment",
        "attributed": "What the other partners attribute to us",
        "own": "Our own appreciation",
        "place": "Our place in the network",
        "whole": "The network as a whole",
        "flag": "The business case is under pressure: {reason}.",
        "no_flag": "The business case is not under pressure: investment is not rising while "
        "the value experienced falls.",
        "median": "network median",
        "suppressed": "suppressed (fewer than {n} raters)",
        "figure": "Business case of {name}: investment per month (top), value by other "
        "partners and own appreciation (bottom)",
        "no_measures": "This partner does not appear in the network survey: no network measures.",
    },
}
_PLACE = ["degree", "betweenness", "coreness", "liaison"]


def _table(frame: pd.DataFrame, language: str, labels: dict | None = None) -> Table:
    shown = present(frame, language=language, labels=labels)
    data = shown.to_json()
    return Table(data["columns"], data["rows"], data["kinds"])


def partner_blocks(
    partner_id: str,
    case: pd.DataFrame,
    measures: pd.DataFrame | None,
    *,
    network: str,
    min_cell: int,
    language: str = "nl",
    figure_png: bytes | None = None,
    messages=None,
    reason: str | None = None,
) -> list:
    """The blocks of one partner's report (see the module).

    ``reason``: why its business case is flagged (the business case summary's
    ``reason``), when it is.

    Examples
    --------
    The business case table of a run (``tables/partner_business_case.csv``),
    two partners over two waves:

    >>> import pandas as pd
    >>> case = pd.DataFrame({"partner_id": ["p1", "p1", "p2", "p2"],
    ...     "name": ["Stichting Een"] * 2 + ["Stichting Twee"] * 2, "kind": "welfare",
    ...     "wave": [1, 2, 1, 2], "period": ["2024-01", "2024-07"] * 2,
    ...     "hours": [10.0, 20.0, 5.0, 6.0], "costs_eur": [1000.0, 2500.0, 500.0, 400.0],
    ...     "hours_per_month": [5.0, 3.5, 2.5, 1.0], "partner_value": [3.0, 2.5, 2.0, 2.5],
    ...     "raters": [4, 5, 3, 3], "appreciation": [7.25, 6.0, 8.0, 7.0],
    ...     "n_ratings": [12, 3, 20, 20], "flag": [False, True, False, False]})
    >>> blocks = partner_blocks("p1", case, None, network="Wijknetwerk", min_cell=10,
    ...                         reason="inzet groeit terwijl de ervaren waarde daalt")
    >>> [b.text for b in blocks if type(b).__name__ == "Heading"]  # doctest: +NORMALIZE_WHITESPACE
    ['Wat levert het netwerk ons op? Stichting Een', 'Onze inzet',
     'Wat de andere partners ons toekennen', 'Onze eigen waardering', 'Onze plek in het netwerk']
    >>> blocks[3].rows  # own investment, in Dutch
    [['1', '2024-01', '10,0', '€ 1.000', '5,0'], ['2', '2024-07', '20,0', '€ 2.500', '3,5']]
    >>> blocks[5].rows  # beside the network's median: p2 only through it
    [['1', '3,00', '4', '2,50'], ['2', '2,50', '5', '2,50']]
    >>> blocks[7].rows  # 3 raters in wave 2: suppressed
    [['1', '7,2', '12'], ['2', 'afgeschermd (minder dan 10 beoordelaars)', '< 10']]
    >>> blocks[-1].text
    'De businesscase staat onder druk: inzet groeit terwijl de ervaren waarde daalt.'
    """
    check_language(language)
    t = _T[language]
    own = case[case["partner_id"] == partner_id].sort_values("wave")
    if own.empty:
        raise KeyError(f"partner {partner_id!r} is not in the business case table")
    name = str(own["name"].iloc[0])
    blocks: list = [
        Heading(1, f"{t['title']} {name}"),
        Paragraph([(t["intro"].format(name=name, network=network), "")]),
    ]
    blocks.append(Heading(2, t["input"]))
    blocks.append(
        _table(own[["wave", "period", "hours", "costs_eur", "hours_per_month"]], language)
    )
    median = case.groupby("wave")["partner_value"].median().rename("median_value")
    attributed = own[["wave", "partner_value", "raters"]].merge(median, on="wave", how="left")
    blocks.append(Heading(2, t["attributed"]))
    blocks.append(
        _table(
            attributed,
            language,
            {
                "median_value": (
                    f"Waarde, {_T['nl']['median']}",
                    f"Value, {_T['en']['median']}",
                    "d2",
                )
            },
        )
    )
    blocks.append(Heading(2, t["own"]))
    rated = own[["wave", "appreciation", "n_ratings"]].copy()
    small = rated["n_ratings"].isna() | (rated["n_ratings"] < min_cell)
    rated["appreciation"] = (
        rated["appreciation"].astype(object).where(~small, t["suppressed"].format(n=min_cell))
    )
    rated["n_ratings"] = rated["n_ratings"].astype(object).where(~small, f"< {min_cell}")
    blocks.append(_table(rated, language))
    blocks.append(Heading(2, t["place"]))
    if measures is not None and partner_id in set(measures["partner_id"]):
        mine = measures[measures["partner_id"] == partner_id][["wave", *_PLACE]]
        med = measures.groupby("wave")[_PLACE].median().add_suffix("_median").reset_index()
        both = mine.merge(med, on="wave", how="left")
        labels = {
            f"{c}_median": (
                f"{_label(c, 'nl')}, {_T['nl']['median']}",
                f"{_label(c, 'en')}, {_T['en']['median']}",
                "d3" if c == "betweenness" else "d2",
            )
            for c in _PLACE
        }
        blocks.append(_table(both, language, labels))
    else:
        blocks.append(Paragraph([(t["no_measures"], "i")]))
    flagged = str(own["flag"].iloc[-1]) == "True"
    text = t["flag"].format(reason=reason) if flagged and reason else t["no_flag"]
    blocks.append(Paragraph([(text, "")]))
    if figure_png is not None:
        blocks.append(Figure(figure_png, t["figure"].format(name=name), number=1))
    if messages is not None:
        blocks.append(Heading(2, t["whole"]))
        for title, items in messages.groups:
            blocks.append(Heading(3, title))
            blocks.append(Bullets([[(i, "")] for i in items]))
    number = 0
    for block in blocks:
        if isinstance(block, Table):
            number += 1
            block.number = number
            block.caption = block.caption or _last_heading(blocks, block)
    return blocks


def _label(column: str, language: str) -> str:
    from .present import COLUMNS

    return COLUMNS[column][0 if language == "nl" else 1]


def _last_heading(blocks: list, target) -> str:
    heading = ""
    for block in blocks:
        if block is target:
            return heading
        if isinstance(block, Heading):
            heading = block.text
    return heading


_CSS = (
    "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:60rem;"
    "margin:2rem auto;padding:0 1rem;line-height:1.45;color:#222}"
    "table{border-collapse:collapse;margin:0.5rem 0 1rem}th,td{padding:0.2rem 0.6rem;"
    "vertical-align:top}th{border-bottom:1px solid #888}tr:nth-child(even) td{background:#f3f3f3}"
    "td.num,th.num{text-align:right;white-space:nowrap}caption{text-align:left;color:#444;"
    "font-size:0.9em;padding-bottom:0.3rem}figcaption{color:#444;font-size:0.9em}"
)
_NUMERIC = {"int", "d1", "d2", "d3", "pct", "eur", "p"}


def write_html(blocks: list, destination: str | Path, title: str, *, language: str = "nl") -> Path:
    """The blocks as a self-contained HTML page (escaped; no script; images embedded).

    Tables get a numbered caption (``Tabel 1.``), numbers right-aligned
    (``class="num"``); the page carries the report's Content-Security-Policy.
    Returns ``destination``.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from netwerkonderzoek.story.document import Heading, Paragraph, Table
    >>> blocks = [Heading(1, "Wat levert het netwerk ons op?"),
    ...           Paragraph([("Samen <b>sterk</b> & zo", "")]),
    ...           Table(["Meting", "Uren"], [["1", "1.250,5"]], ["int", "d1"], "Inzet", 1)]
    >>> out = write_html(blocks, Path(tempfile.mkdtemp()) / "p1.html", "Wijknetwerk")
    >>> page = out.read_text(encoding="utf-8")
    >>> "<p>Samen &lt;b&gt;sterk&lt;/b&gt; &amp; zo</p>" in page, "<script" in page
    (True, False)
    >>> page[page.index("<table>"):page.index("<tbody>")]  # doctest: +NORMALIZE_WHITESPACE
    '<table><caption>Tabel 1. Inzet</caption><thead><tr><th class="num">Meting</th><th
    class="num">Uren</th></tr></thead>'
    """
    from .report import REPORT_CSP

    words = {"nl": ("Tabel", "Figuur"), "en": ("Table", "Figure")}[language]
    parts = []
    for block in blocks:
        if isinstance(block, Heading):
            parts.append(f"<h{block.level}>{html.escape(block.text)}</h{block.level}>")
        elif isinstance(block, Paragraph):
            parts.append(f"<p>{html.escape(block.text)}</p>")
        elif isinstance(block, Bullets):
            items = "".join(
                f"<li>{html.escape(''.join(t for t, _ in r))}</li>" for r in block.items
            )
            parts.append(f"<ul>{items}</ul>")
        elif isinstance(block, Table):
            cls = ["num" if k in _NUMERIC else "txt" for k in block.kinds]
            head = "".join(
                f'<th class="{c}">{html.escape(h)}</th>'
                for h, c in zip(block.columns, cls, strict=True)
            )
            rows = "".join(
                "<tr>"
                + "".join(
                    f'<td class="{c}">{html.escape(v)}</td>' for v, c in zip(row, cls, strict=True)
                )
                + "</tr>"
                for row in block.rows
            )
            caption = f"{words[0]} {block.number}. {block.caption}"
            parts.append(
                f"<table><caption>{html.escape(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
            )
        elif isinstance(block, Figure):
            data = base64.b64encode(block.png).decode()
            caption = f"{words[1]} {block.number}. {block.caption}"
            parts.append(
                f'<figure><img src="data:image/png;base64,{data}" alt="{html.escape(block.caption)}" '
                f'style="max-width:100%"><figcaption>{html.escape(caption)}</figcaption></figure>'
            )
    page = (
        f'<!DOCTYPE html>\n<html lang="{language}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{REPORT_CSP}">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>"
        + "\n".join(parts)
        + "</body></html>\n"
    )
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_text(page, encoding="utf-8")
    return destination


def build_partner_reports(
    run_dir: str | Path, config, *, language: str | None = None, theory=None
) -> list[Path]:
    """Write ``partners/<partner_id>.html`` and ``.pdf`` for every partner of a run.

    Reads the run's ``tables/partner_business_case.csv`` and
    ``tables/partner_measures.csv``; returns the files written (none when
    the run has no business case table).

    Examples
    --------
    A run folder holding only the business case table of two partners:

    >>> import tempfile
    >>> from pathlib import Path
    >>> from netwerkonderzoek.config import NetworkConfig
    >>> import pandas as pd
    >>> case = pd.DataFrame({"partner_id": ["p1", "p1", "p2", "p2"],
    ...     "name": ["Stichting Een"] * 2 + ["Stichting Twee"] * 2, "kind": "welfare",
    ...     "wave": [1, 2, 1, 2], "period": ["2024-01", "2024-07"] * 2,
    ...     "hours": [10.0, 20.0, 5.0, 6.0], "costs_eur": [1000.0, 2500.0, 500.0, 400.0],
    ...     "hours_per_month": [5.0, 3.5, 2.5, 1.0], "partner_value": [3.0, 2.5, 2.0, 2.5],
    ...     "raters": [4, 5, 3, 3], "appreciation": [7.25, 6.0, 8.0, 7.0],
    ...     "n_ratings": [12, 3, 20, 20], "flag": [False, True, False, False]})
    >>> config = NetworkConfig.model_validate({"network_id": "x", "name": "Wijknetwerk",
    ...     "mission": "m", "task": "t", "study": {"start": "2024-01", "end": "2024-12",
    ...     "waves": [{"wave": 1, "date": "2024-01-15"}, {"wave": 2, "date": "2024-07-15"}]}})
    >>> run = Path(tempfile.mkdtemp())
    >>> (run / "tables").mkdir()
    >>> case.to_csv(run / "tables" / "partner_business_case.csv", index=False)
    >>> [p.relative_to(run).as_posix() for p in build_partner_reports(run, config)]
    ['partners/p1.html', 'partners/p1.pdf', 'partners/p2.html', 'partners/p2.pdf']
    >>> "Stichting Twee" in (run / "partners" / "p1.html").read_text(encoding="utf-8")
    False
    """
    import matplotlib.pyplot as plt

    from ..value import plot_business_case
    from .messages import key_messages
    from .pdf import write_pdf

    run_dir = Path(run_dir)
    language = language or config.study.language
    check_language(language)
    tables = run_dir / "tables"
    path = tables / "partner_business_case.csv"
    if not path.is_file():
        return []
    case = pd.read_csv(path)
    measures_path = tables / "partner_measures.csv"
    measures = pd.read_csv(measures_path) if measures_path.is_file() else None
    summary_path = tables / "partner_business_case_summary.csv"
    reasons = {}
    if summary_path.is_file():
        summary = pd.read_csv(summary_path)
        reasons = {
            p: r
            for p, r in zip(summary["partner_id"], summary["reason"], strict=True)
            if isinstance(r, str)
        }
    messages = key_messages(
        tables, theory=theory, language=language, min_cell=config.privacy.min_cell
    )
    # network-level groups only: the business cases name partners
    messages.groups = [g for g in messages.groups if g[0] in _network_groups(language)]
    out_dir = run_dir / "partners"
    written = []
    for partner_id in sorted(case["partner_id"].unique()):
        fig = plot_business_case(case, partner_id, language=language)
        buffer = io.BytesIO()
        fig.savefig(
            buffer, format="png", dpi=200, bbox_inches="tight", metadata={"Software": None}
        )
        plt.close(fig)
        blocks = partner_blocks(
            partner_id,
            case,
            measures,
            network=config.name,
            min_cell=config.privacy.min_cell,
            language=language,
            figure_png=buffer.getvalue(),
            messages=messages,
            reason=reasons.get(partner_id),
        )
        name = str(case.loc[case["partner_id"] == partner_id, "name"].iloc[0])
        title = f"{config.name}: {name}"
        written.append(
            write_html(blocks, out_dir / f"{partner_id}.html", title, language=language)
        )
        written.append(
            write_pdf(
                blocks, out_dir / f"{partner_id}.pdf", title, language=language, contents=False
            )
        )
    return written


def _network_groups(language: str) -> set[str]:
    from .messages import network_group_titles

    return network_group_titles(language)
