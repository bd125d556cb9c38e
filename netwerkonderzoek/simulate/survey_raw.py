"""The partner-network survey of an example network, as LimeSurvey exports it.

For the networks in :data:`SURVEY_NETWORKS`, :func:`survey_exports` writes
each wave's canonical ties back as the survey a researcher would run in
LimeSurvey and export with "full question text" headings in a Dutch
install (``netwerkenquete-meting-<wave>.csv``): every field quoted,
comma-separated, metadata first (``Antwoord ID``, ``Datum verstuurd``,
``Laatste pagina``, ``Starttaal``, ``Startdatum``, ``Datum laatste actie``),
the respondent's organisation, then one matrix column per question and
partner (``Question [Partner name]``) for the partners that are members at
the wave date (a partner that joins later appears only in later waves):

- per tie type, a yes/no roster question (``Ja`` / ``Nee``) and the tie's
  weight in hours per month (``2.2``);
- the six PARTNER ratings as Likert labels (``Helemaal niet`` .. ``Heel
  erg``; a missing rating is ``Weet niet``), asked about every partner the
  respondent has a tie with;
- one question about the network as a whole (overall trust: the rounded
  mean of the reliability the organisation gives, ``Weet niet`` without one)
  that lands in ``survey_respondents.csv``.

Two respondents answer for the municipality in every wave (the same
answers: they are combined), and one organisation writes its name in capitals
with a double space, matched by the partner list. Harmonising the files with
the ``sources`` returned gives exactly the canonical ``ties`` table.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pandas as pd

from ..tables import RATINGS, TIE_TYPES

__all__ = ["SURVEY_NETWORKS", "survey_exports"]

#: Example networks whose survey waves ship as raw survey-tool exports.
SURVEY_NETWORKS = ("wijk-noord",)

RESPONDENT = "Namens welke organisatie vult u deze vragenlijst in?"
PRESENCE = {
    "information": "Met welke organisaties wisselt u informatie uit?",
    "joint_delivery": "Met welke organisaties voert u samen activiteiten uit?",
    "shared_resources": "Met welke organisaties deelt u middelen?",
    "shared_clients": "Met welke organisaties deelt u cliënten of bewoners?",
}
WEIGHT = {t: f"Uren per maand: {q[:1].lower()}{q[1:]}" for t, q in PRESENCE.items()}
RATING_QUESTIONS = {
    "power_influence": "Hoeveel invloed heeft deze organisatie in het netwerk?",
    "involvement": "Hoe betrokken is deze organisatie bij het netwerk?",
    "resource_contribution": "Hoeveel middelen brengt deze organisatie in?",
    "reliability": "Hoe betrouwbaar is deze organisatie?",
    "mission_support": "In welke mate steunt deze organisatie de missie van het netwerk?",
    "open_discussion": "Hoe open staat deze organisatie voor discussie?",
}
OVERALL = "Hoeveel vertrouwen heeft u in het netwerk als geheel?"
LABELS = {1: "Helemaal niet", 2: "Een beetje", 3: "Redelijk", 4: "Heel erg"}
METADATA = [
    "Antwoord ID",
    "Datum verstuurd",
    "Laatste pagina",
    "Starttaal",
    "Startdatum",
    "Datum laatste actie",
]


def _members(partners: pd.DataFrame, date: str) -> pd.DataFrame:
    day = pd.Timestamp(date)
    joined = pd.to_datetime(partners["joined"])
    left = pd.to_datetime(partners["left"])
    return partners[(joined <= day) & (left.isna() | (left > day))].sort_values("partner_id")


def _number(value: float) -> str:
    return repr(float(value))


def _wave_csv(ties: pd.DataFrame, members: pd.DataFrame, date: str, wave: int) -> bytes:
    names = dict(zip(members["partner_id"], members["name"], strict=True))
    ids = list(names)
    header = [*METADATA, RESPONDENT]
    for tie_type in TIE_TYPES:
        header += [f"{PRESENCE[tie_type]} [{names[p]}]" for p in ids]
        header += [f"{WEIGHT[tie_type]} [{names[p]}]" for p in ids]
    for rating in RATINGS:
        header += [f"{RATING_QUESTIONS[rating]} [{names[p]}]" for p in ids]
    header.append(OVERALL)
    by_pair = {(r.source, r.target, r.tie_type): r for r in ties.itertuples(index=False)}
    rated = ties.drop_duplicates(["source", "target"]).set_index(["source", "target"])
    day = dt.date.fromisoformat(date)
    rows, number = [], 0
    respondents = [(p, 2 if p.startswith("gemeente-") else 1) for p in ids]
    for k, (source, copies) in enumerate(respondents):
        answers = []
        for tie_type in TIE_TYPES:
            tied = [by_pair.get((source, t, tie_type)) for t in ids]
            answers += [
                "" if t == source else "Ja" if r else "Nee" for t, r in zip(ids, tied, strict=True)
            ]
            answers += ["" if r is None else _number(r.weight) for r in tied]
        for rating in RATINGS:
            for target in ids:
                if (source, target) not in rated.index:
                    answers.append("")
                    continue
                value = rated.loc[(source, target), rating]
                answers.append("Weet niet" if pd.isna(value) else LABELS[int(value)])
        given = rated.loc[source, "reliability"].dropna() if source in rated.index else []
        overall = LABELS[int(float(sum(given)) / len(given) + 0.5)] if len(given) else "Weet niet"
        name = names[source]
        if k == 1:  # one organisation types its name in capitals with a double space
            name = name.upper().replace(" ", "  ", 1)
        for _ in range(copies):
            number += 1
            sent = dt.datetime.combine(
                day + dt.timedelta(days=k % 9), dt.time(9 + k % 8, 5 * k % 60)
            )
            stamp = sent.strftime("%Y-%m-%d %H:%M:%S")
            start = (sent - dt.timedelta(minutes=12)).strftime("%Y-%m-%d %H:%M:%S")
            meta = [str(number), stamp, "4", "nl", start, stamp]
            rows.append([*meta, name, *answers, overall])
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    del wave
    return out.getvalue().encode("utf-8")


def survey_exports(sim) -> tuple[dict[str, bytes], list[dict]]:
    """The survey waves of ``sim`` as LimeSurvey CSV exports, and their sources.

    Parameters
    ----------
    sim : SimulatedNetwork

    Returns
    -------
    files : dict of str to bytes
        ``netwerkenquete-meting-<wave>.csv`` per wave (empty for a network not
        in :data:`SURVEY_NETWORKS`).
    sources : list of dict
        One ``ties`` source whose ``survey.waves`` stands for every file.

    Examples
    --------
    >>> from netwerkonderzoek.simulate import simulate_network
    >>> files, sources = survey_exports(simulate_network("wijk-noord", seed=1))
    >>> sorted(files)  # doctest: +NORMALIZE_WHITESPACE
    ['netwerkenquete-meting-1.csv', 'netwerkenquete-meting-2.csv',
     'netwerkenquete-meting-3.csv', 'netwerkenquete-meting-4.csv']
    >>> sources[0]["file"], sources[0]["survey"]["waves"], len(sources[0]["survey"]["questions"])
    ('netwerkenquete-meting-{wave}.csv', [1, 2, 3, 4], 14)

    Wave 1 has 22 member organisations; the municipality answers twice, and
    one organisation types its name in capitals with a double space. Columns:
    6 metadata, the respondent, 22 per roster, weight and rating question
    (4 x 2 + 6 = 14) and the overall-trust question:

    >>> rows = list(csv.reader(io.StringIO(files["netwerkenquete-meting-1.csv"].decode())))
    >>> len(rows) - 1, len(rows[0]), [r[6] for r in rows[1:3]]
    (23, 316, ['Basisschool De Regenboog', 'BEWONERSCOMMISSIE  FLAT DE MEEUW'])
    >>> [r[6] for r in rows[1:]].count("Gemeente Zuiderhaven, gebiedsteam Noord")
    2
    >>> rows[0][7]
    'Met welke organisaties wisselt u informatie uit? [Basisschool De Regenboog]'
    >>> survey_exports(simulate_network("ggz-netwerk", seed=1))  # not a survey network
    ({}, [])
    """
    if sim.network_id not in SURVEY_NETWORKS:
        return {}, []
    ties, partners = sim.tables["ties"], sim.tables["partners"]
    questions = []
    for tie_type in TIE_TYPES:
        questions.append({"question": PRESENCE[tie_type], "tie_type": tie_type})
        questions.append(
            {"question": WEIGHT[tie_type], "tie_type": tie_type, "measures": "weight"}
        )
    questions += [{"question": RATING_QUESTIONS[r], "measures": r} for r in RATINGS]
    files = {}
    waves = [spec["wave"] for spec in sim.config["study"]["waves"]]
    for spec in sim.config["study"]["waves"]:
        wave, date = spec["wave"], spec["date"]
        name = f"netwerkenquete-meting-{wave}.csv"
        files[name] = _wave_csv(ties[ties["wave"] == wave], _members(partners, date), date, wave)
    # one source for every wave: the questions are written once
    sources = [
        {
            "file": "netwerkenquete-meting-{wave}.csv",
            "table": "ties",
            "delimiter": ",",
            "survey": {
                "tool": "limesurvey",
                "waves": waves,
                "respondent": RESPONDENT,
                "questions": questions,
                "network_questions": {OVERALL: "overall_trust"},
            },
        }
    ]
    return files, sources
