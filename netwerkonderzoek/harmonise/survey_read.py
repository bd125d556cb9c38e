"""Read survey-tool exports and their answers: file shapes, metadata, label maps.

:func:`read_survey` reads a LimeSurvey or Qualtrics CSV/XLSX, a Microsoft
Forms XLSX or an SPSS ``.sav`` into a :class:`~.sources.RawTable` plus the
question text of each column:

- **Qualtrics**: the first row holds the column ids (``Q1``, ``Q3_1``), the
  second the question text, a third (CSV) the ``{"ImportId": ...}`` JSON;
  the second and third rows are taken off the data (row numbers stay those
  of the file) and the question text is kept to match questions;
- **SPSS ``.sav``** (:func:`pyreadstat.read_sav`): each code with a value
  label becomes its label, user-missing values are missing, and the
  variable labels are the question text; rows are the case numbers;
- **LimeSurvey** and **Forms**: the header row as it is. A CSV of LimeSurvey
  or Qualtrics is comma-separated unless the source sets ``delimiter``.

The answer maps (compared after :func:`answer_label`, so case, accents and
spacing do not matter; column names after :func:`~.partners.normalise_name`) are :data:`YES`, :data:`NO`,
:data:`MISSING`, :data:`SCALE` (ratings 1-4), :data:`INTENSITY` (PARTNER's
relationship intensity) and the metadata columns every tool adds
(:data:`METADATA`, ignored, and :data:`PERSONAL_METADATA`, refused unless
dropped).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..config import SourceSpec
from ..tables import MAX_FILE_BYTES
from .errors import HarmoniseError
from .partners import normalise_name
from .sources import RawTable, file_sha256

__all__ = [
    "COMPLETE_COLUMNS",
    "INTENSITY",
    "METADATA",
    "MISSING",
    "NO",
    "PERSONAL_METADATA",
    "SCALE",
    "YES",
    "SurveyTable",
    "answer_label",
    "answer_value",
    "expected_answer",
    "is_complete",
    "read_survey",
    "valid_answer",
]


def _normal(labels) -> frozenset[str]:
    return frozenset(normalise_name(x) for x in labels)


def answer_label(text: object) -> str:
    """An answer as compared with the label maps: lower case, no accents, spaces collapsed.

    Unlike :func:`~.partners.normalise_name` it keeps punctuation and signs, so
    ``-1`` stays apart from ``1`` and ``-99`` from ``99``.

    Examples
    --------
    >>> answer_label("  Weet   NIET "), answer_label("Don’t know"), answer_label("-99")
    ('weet niet', "don't know", '-99')
    """
    text = unicodedata.normalize("NFKD", str(text).replace("\u2019", "'"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return " ".join(text.split())


def _labels(labels) -> frozenset[str]:
    return frozenset(answer_label(x) for x in labels)


#: Answers read as "yes, this tie exists" (also a cell naming the column's partner).
YES = _labels(["ja", "j", "yes", "y", "1", "true", "waar", "x", "geselecteerd", "selected",
               "aangevinkt", "checked"])  # fmt: skip
#: Answers read as "no tie"; an empty cell of a complete response is "no" too.
NO = _labels(["nee", "n", "no", "0", "false", "onwaar", "niet geselecteerd", "not selected"])
#: Answers read as missing (unknown), never as a value or an error.
MISSING = _labels(["weet niet", "weet ik niet", "n.v.t.", "nvt", "niet van toepassing",
                   "geen mening", "geen antwoord", "wil ik niet zeggen", "don't know",
                   "do not know", "not applicable", "n/a", "no answer", "prefer not to say",
                   "-99", "-98", "-9"])  # fmt: skip
#: Common 4-point labels (Dutch and English) of the PARTNER ratings and other Likert items.
SCALE = {
    **dict.fromkeys(_labels(["helemaal oneens", "zeer oneens", "strongly disagree",
                             "helemaal niet", "not at all", "zeer laag", "very low",
                             "in zeer geringe mate", "nooit", "never"]), 1.0),
    **dict.fromkeys(_labels(["oneens", "disagree", "een beetje", "a little",
                             "a small amount", "in geringe mate", "laag", "low",
                             "soms", "sometimes"]), 2.0),
    **dict.fromkeys(_labels(["eens", "agree", "redelijk", "a fair amount", "somewhat",
                             "in redelijke mate", "hoog", "high", "vaak", "often"]), 3.0),
    **dict.fromkeys(_labels(["helemaal eens", "zeer eens", "strongly agree", "heel erg",
                             "zeer", "a great deal", "in hoge mate", "zeer hoog",
                             "very high", "altijd", "always"]), 4.0),
}  # fmt: skip
#: PARTNER relationship intensity: 1 awareness, 2 cooperation, 3 coordination, 4 integration.
INTENSITY = {
    **dict.fromkeys(_labels(["awareness", "aware", "bekendheid", "kennen elkaar",
                             "bewustzijn"]), 1.0),
    **dict.fromkeys(_labels(["cooperation", "cooperative", "samenwerking",
                             "samenwerken"]), 2.0),
    **dict.fromkeys(_labels(["coordination", "coordinated", "afstemming", "coordinatie",
                             "afstemmen"]), 3.0),
    **dict.fromkeys(_labels(["integration", "integrated", "integratie",
                             "geintegreerd"]), 4.0),
}  # fmt: skip
#: Columns telling whether a response is complete: a date or "yes" when it is,
#: empty, 0 or "no" when it is partial (LimeSurvey submit date, Qualtrics Finished).
COMPLETE_COLUMNS = _normal(["submitdate", "datum verstuurd", "date submitted", "submit date",
                            "verstuurd", "finished", "voltooid", "completed"])  # fmt: skip
#: Metadata columns of the tools, ignored (counted in the report).
METADATA = COMPLETE_COLUMNS | _normal([
    "id", "response id", "responseid", "antwoord id", "lastpage", "laatste pagina",
    "last page", "startlanguage", "start taal", "starttaal", "start language", "seed",
    "startdate", "start date", "startdatum", "datestamp", "date last action",
    "datum laatste actie", "enddate", "end date", "status", "progress", "voortgang",
    "duration (in seconds)", "duration", "recordeddate", "recorded date",
    "externalreference", "external data reference", "distributionchannel",
    "distribution channel", "userlanguage", "user language", "start time", "begintijd",
    "completion time", "tijd van voltooien", "voltooiingstijd", "last modified time",
    "tijd van laatste wijziging", "token", "refurl", "referrer url",
])  # fmt: skip
#: Metadata columns that are personal data: refused unless listed under ``drop``.
PERSONAL_METADATA = _normal([
    "ipaddr", "ip address", "ipaddress", "ip adres", "ip-adres", "recipientemail",
    "recipient email", "recipientfirstname", "recipient first name", "recipientlastname",
    "recipient last name", "locationlatitude", "location latitude", "locationlongitude",
    "location longitude", "email", "e mail", "e-mailadres", "name", "naam",
])  # fmt: skip


@dataclass
class SurveyTable:
    """A survey export as read: the cells and the question text of every column.

    Attributes
    ----------
    raw : RawTable
        Cells as text (or date, number from XLSX) with the file's row numbers.
    texts : dict of str to str
        Per column header, its question text where the file has one
        (Qualtrics' second row, SPSS variable labels).
    spec : SourceSpec
        The source, with the tool's default delimiter filled in.
    """

    raw: RawTable
    texts: dict[str, str] = field(default_factory=dict)
    spec: SourceSpec | None = None


def _inside(path: Path, raw_dir: Path, key: str, config_path: object) -> None:
    if path.exists() and not path.resolve().is_relative_to(raw_dir.resolve()):
        raise HarmoniseError(
            f"the raw file leads outside the network's raw folder (to {path.resolve()}); "
            f"expected a file in {raw_dir.resolve()}",
            path=config_path,
            key=f"{key}.file",
            source=path,
        )


def _read_sav(path: Path, key: str, config_path: object) -> SurveyTable:
    import pyreadstat

    if not path.is_file():
        raise HarmoniseError("file not found", path=config_path, key=f"{key}.file", source=path)
    if path.stat().st_size > MAX_FILE_BYTES:
        raise HarmoniseError(
            f"the file has {path.stat().st_size:,} bytes; at most {MAX_FILE_BYTES:,} are read",
            path=config_path,
            key=f"{key}.file",
            source=path,
        )
    try:
        data, meta = pyreadstat.read_sav(str(path))
    except Exception as exc:  # pyreadstat raises its own ReadstatError and others
        raise HarmoniseError(
            f"not a readable SPSS .sav file ({exc})",
            path=config_path,
            key=f"{key}.file",
            source=path,
        ) from None
    frame = pd.DataFrame(index=range(len(data)))
    for name in data.columns:
        labels = meta.variable_value_labels.get(name, {})
        cells = data[name]
        frame[name] = [
            None if pd.isna(v) else labels.get(v, _number_text(v)) for v in cells.tolist()
        ]
    texts = {n: t for n, t in (meta.column_names_to_labels or {}).items() if t}
    raw = RawTable(frame, np.arange(1, len(frame) + 1), file_sha256(path), "", [], False)
    return SurveyTable(raw, texts)


def _number_text(value: object) -> object:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else str(value)


def read_survey(spec: SourceSpec, raw_dir: Path, key: str, config_path: object) -> SurveyTable:
    """Read a survey source in its tool's shape (see the module docstring).

    Raises
    ------
    HarmoniseError
        If the file is missing, unreadable, too large, outside the raw folder,
        or a Qualtrics export lacks its question-text row.

    Examples
    --------
    A Qualtrics CSV: column ids, question texts, ImportId JSON, then the
    responses (the first on line 4 of the file):

    >>> import pathlib, tempfile
    >>> raw_dir = pathlib.Path(tempfile.mkdtemp())
    >>> q = "Met wie wisselt u informatie uit?"
    >>> _ = (raw_dir / "qualtrics.csv").write_text(
    ...     "ResponseId,Finished,Q1,Q3_1,Q3_2\\n"
    ...     f"Response ID,Finished,Organisatie,{q} - Gemeente Noord,{q} - Woonstad\\n"
    ...     '"{""ImportId"":""_recordId""}","{""ImportId"":""finished""}","{""ImportId"":""QID1_TEXT""}",'
    ...     '"{""ImportId"":""QID3_1""}","{""ImportId"":""QID3_2""}"\\n'
    ...     "R_1,1,Gemeente Noord,,Ja\\n", encoding="utf-8")
    >>> spec = SourceSpec.model_validate({"file": "qualtrics.csv", "table": "ties", "survey": {
    ...     "tool": "qualtrics", "wave": 1, "respondent": "Q1",
    ...     "questions": [{"question": q, "tie_type": "information"}]}})
    >>> table = read_survey(spec, raw_dir, "sources.0", None)
    >>> table.raw.frame.values.tolist(), table.raw.rows.tolist()
    ([['R_1', '1', 'Gemeente Noord', nan, 'Ja']], [4])
    >>> table.texts["Q3_2"], table.spec.delimiter
    ('Met wie wisselt u informatie uit? - Woonstad', ',')

    Without the question-text row the file is no Qualtrics export:

    >>> _ = (raw_dir / "leeg.csv").write_text("ResponseId,Finished,Q1\\n", encoding="utf-8")
    >>> read_survey(spec.model_copy(update={"file": "leeg.csv"}), raw_dir, "sources.0", None)
    Traceback (most recent call last):
    ...
    netwerkonderzoek.harmonise.errors.HarmoniseError: key 'sources.0.survey.tool', source ...leeg.csv: a Qualtrics export has a row of question texts below the column ids; the file has no row below its header
    """
    from .convert import read_source

    raw_dir = Path(raw_dir)
    path = raw_dir / spec.file
    _inside(path, raw_dir, key, config_path)
    survey = spec.survey
    if spec.file_format == "sav":
        table = _read_sav(path, key, config_path)
        table.spec = spec
        return table
    if (
        spec.file_format == "csv"
        and "delimiter" not in spec.model_fields_set
        and survey.tool in ("limesurvey", "qualtrics")
    ):
        spec = spec.model_copy(update={"delimiter": ","})
    raw = read_source(spec, raw_dir, key, config_path)
    texts: dict[str, str] = {}
    if survey.tool == "qualtrics":
        frame = raw.frame
        if not len(frame):
            raise HarmoniseError(
                "a Qualtrics export has a row of question texts below the column ids; "
                "the file has no row below its header",
                path=config_path,
                key=f"{key}.survey.tool",
                source=path,
            )
        texts = {h: str(v) for h, v in frame.iloc[0].items() if isinstance(v, str)}
        skip = 1
        if len(frame) > 1 and any(
            isinstance(v, str) and v.lstrip().startswith('{"ImportId"') for v in frame.iloc[1]
        ):
            skip = 2
        raw = RawTable(
            frame.iloc[skip:].reset_index(drop=True),
            raw.rows[skip:],
            raw.sha256,
            raw.sheet,
            raw.broken,
            raw.text_only,
        )
    return SurveyTable(raw, texts, spec)


def answer_value(text: object, measures: str, survey, partner_names: set[str]) -> float | None:
    """The value of one answer: a number, NaN for missing, None when it is not understood.

    ``measures`` is a :data:`~netwerkonderzoek.config.SURVEY_MEASURES` entry;
    ``survey`` the :class:`~netwerkonderzoek.config.SurveySpec` (its
    ``labels``, ``missing``, ``yes``, ``no``); ``partner_names`` the
    normalised spellings of the column's partner (a roster cell naming the
    partner means yes).

    Examples
    --------
    >>> from netwerkonderzoek.config import SurveySpec
    >>> spec = SurveySpec(wave=1, respondent="Org", questions=[{"question": "Q", "tie_type": "information"}],
    ...                   labels={"A1": 1})
    >>> answer_value("Nee", "present", spec, set()), answer_value("", "present", spec, set())
    (0.0, 0.0)
    >>> answer_value("Helemaal eens", "reliability", spec, set()), answer_value("a1", "reliability", spec, set())
    (4.0, 1.0)
    >>> answer_value("Weet niet", "reliability", spec, set())
    nan
    >>> answer_value("Coordinated", "intensity", spec, set()), answer_value("2,5", "weight", spec, set())
    (3.0, 2.5)
    >>> answer_value("Misschien", "reliability", spec, set()) is None
    True
    """
    if text is None or (not isinstance(text, str) and pd.isna(text)) or str(text).strip() == "":
        return 0.0 if measures == "present" else np.nan
    if isinstance(text, (int, float, np.integer, np.floating)) and not isinstance(text, bool):
        number = float(text)
        label = answer_label(_plain(number))
    else:
        label = answer_label(text)
        number = _number(str(text))
    if label in MISSING or label in _labels(survey.missing):
        return np.nan
    if measures == "present":
        if label in YES or label in _labels(survey.yes):
            return 1.0
        if label in NO or label in _labels(survey.no):
            return 0.0
        return 1.0 if normalise_name(text) in partner_names else None
    own = {answer_label(k): v for k, v in survey.labels.items()}
    if label in own:
        return own[label]
    table = INTENSITY if measures == "intensity" else {} if measures == "weight" else SCALE
    if label in table:
        return table[label]
    return number


def _plain(number: float) -> str:
    return str(int(number)) if number.is_integer() else str(number)


def _number(text: str) -> float | None:
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        return None


def expected_answer(measures: str) -> str:
    """What an answer to a question measuring ``measures`` should be, in words.

    Examples
    --------
    >>> expected_answer("present")
    'yes or no (Ja, Nee, Yes, No, 1, 0, or empty for not selected)'
    >>> expected_answer("reliability")
    '1-4 or a label of the scale (e.g. Helemaal oneens .. Helemaal eens), a label under survey.labels, or a missing label (Weet niet, n.v.t.)'
    """
    if measures == "present":
        return "yes or no (Ja, Nee, Yes, No, 1, 0, or empty for not selected)"
    if measures == "weight":
        return "a number of at least 0 or a label under survey.labels"
    scale = (
        "1-4 or a label of the intensity scale (awareness, cooperation, coordination, integration)"
    )
    if measures != "intensity":
        scale = "1-4 or a label of the scale (e.g. Helemaal oneens .. Helemaal eens)"
    return f"{scale}, a label under survey.labels, or a missing label (Weet niet, n.v.t.)"


def valid_answer(value: float, measures: str) -> bool:
    """Whether a known value fits: >= 0 for presence and weight, 1-4 otherwise.

    Examples
    --------
    >>> valid_answer(2.5, "weight"), valid_answer(-1.0, "present")
    (True, False)
    >>> valid_answer(4.0, "reliability"), valid_answer(2.5, "reliability"), valid_answer(5.0, "intensity")
    (True, False, False)
    """
    if measures in ("present", "weight"):
        return value >= 0
    return value in (1.0, 2.0, 3.0, 4.0)


def is_complete(cell: object) -> bool:
    """Whether a completeness cell says complete: a date or yes; not empty, 0 or no.

    Examples
    --------
    >>> [is_complete(c) for c in ["2024-03-02 10:00:00", "1", "Ja", "0", "Nee", "", None]]
    [True, True, True, False, False, False, False]
    """
    if cell is None or (not isinstance(cell, str) and pd.isna(cell)):
        return False
    label = answer_label(cell)
    return label != "" and label not in NO
