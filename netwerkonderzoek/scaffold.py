"""Start a network: the config, theory and raw-data templates, and a new key.

:func:`init_network` writes what a new network needs before its first run:

- ``config/networks/<id>.yaml`` with every key of the network configuration
  present and commented in Dutch and English. The file is generated from the
  pydantic models in :mod:`netwerkonderzoek.config` (:func:`network_template`),
  so a key added there appears here; :data:`COMMENTS` holds the explanation of
  every key. Keys with a default are written with it, optional blocks and
  list items as a commented-out example (remove the leading ``#`` and the space after it to use it). The
  template validates as it is written;
- ``config/theories/<id>.yaml``: a programme theory with one commented
  example configuration that :func:`netwerkonderzoek.cmo.load_theory` reads;
- ``data/raw/<id>/README.md``: which exports belong there, that they are
  never edited, and the rules for personal data; and a ``.gitignore`` there
  so that git leaves the exports out.

:func:`new_key` writes a pseudonymisation key (32 random bytes from
:mod:`secrets`, in the format :func:`netwerkonderzoek.privacy.load_key` reads,
mode 0600) and refuses a place inside a git work tree or a project folder.

Examples
--------
>>> import yaml
>>> from netwerkonderzoek.config import NetworkConfig
>>> text = network_template("wijk-zuid")
>>> data = yaml.safe_load(text)
>>> NetworkConfig.model_validate(data).network_id
'wijk-zuid'
>>> "# Naam van het netwerk" in text and "# Name of the network" in text
True
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import textwrap
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .config import NetworkConfig, check_network_id, network_config_path
from .exceptions import ConfigError
from .privacy import PrivacyError

__all__ = [
    "COMMENTS",
    "KEY_BYTES",
    "PLACEHOLDER",
    "RAW_GITIGNORE",
    "default_key_path",
    "init_network",
    "network_template",
    "new_key",
    "protected_root",
    "raw_readme",
    "theory_template",
]

#: Random bytes in a new pseudonymisation key (256 bits).
KEY_BYTES = 32

#: How the template marks a value the user must fill in; ``validate`` reports any left.
PLACEHOLDER = "VUL IN / FILL IN"

#: Dutch and English explanation of every key of the network configuration,
#: by ``Model.field``. A test checks that every field of every model has one.
COMMENTS: dict[str, tuple[str, str]] = {
    # NetworkConfig
    "NetworkConfig.network_id": (
        "Id van het netwerk: kleine letters, cijfers en koppeltekens; ook de naam van de "
        "mappen data/<id>/ en output/<id>/. Gelijk aan de bestandsnaam.",
        "Network id: lowercase letters, digits and hyphens; also the name of the folders "
        "data/<id>/ and output/<id>/. Equal to the file name.",
    ),
    "NetworkConfig.name": ("Naam van het netwerk.", "Name of the network."),
    "NetworkConfig.mission": (
        "Missie: wat het netwerk samen wil bereiken, in de woorden van het netwerk.",
        "Mission: what the network wants to achieve together, in its own words.",
    ),
    "NetworkConfig.task": (
        "De maatschappelijke opgave waaraan het netwerk werkt.",
        "The societal task the network works on.",
    ),
    "NetworkConfig.study": (
        "De studie: periode, meetmomenten van het netwerkonderzoek, taal en seed.",
        "The study: period, survey waves of the partner network, language and seed.",
    ),
    "NetworkConfig.indicators": (
        "De waardedefinitie: welke indicatoren voor welk waardeperspectief staan.",
        "The value definition: which indicators stand for which value perspective.",
    ),
    "NetworkConfig.theory": (
        "Bestand met de programmatheorie (CMO-configuraties), ten opzichte van config/.",
        "Programme theory file (CMO configurations), relative to config/.",
    ),
    "NetworkConfig.sources": (
        "Ruwe exports van partners in data/raw/<id>/ en hoe ze een canonieke tabel vullen "
        "(netwerkonderzoek harmonise). Leeg: de canonieke tabellen in data/<id>/ worden "
        "direct bijgehouden.",
        "Raw partner exports in data/raw/<id>/ and how each fills a canonical table "
        "(netwerkonderzoek harmonise). Empty: the canonical tables in data/<id>/ are "
        "maintained directly.",
    ),
    "NetworkConfig.harmonisation": (
        "Omrekeningen en afronding bij het harmoniseren.",
        "Unit conversions and rounding used when harmonising.",
    ),
    "NetworkConfig.monetisation": (
        "Optioneel: aandelen die van de gemonetariseerde waarde afgaan (maatschappelijke "
        "kosten-baten).",
        "Optional: shares taken off the monetised value (social return style).",
    ),
    "NetworkConfig.privacy": (
        "Bescherming van persoonsgegevens: kleine aantallen en de pseudonimiseringssleutel.",
        "Protection of personal data: small counts and the pseudonymisation key.",
    ),
    # StudySettings
    "StudySettings.start": ("Eerste maand van de studie (JJJJ-MM).", "First month (YYYY-MM)."),
    "StudySettings.end": ("Laatste maand van de studie (JJJJ-MM).", "Last month (YYYY-MM)."),
    "StudySettings.waves": (
        "Meetmomenten van het netwerkonderzoek: nummer (1, 2, ...) en datum van het veldwerk.",
        "Survey waves of the partner network: number (1, 2, ...) and fieldwork date.",
    ),
    "StudySettings.language": (
        "Taal van figuren en tabellen: nl of en.",
        "Language of figures and tables: nl or en.",
    ),
    "StudySettings.subgroups": (
        "Kolommen (0/1) van de eenhedentabel waarvoor de toets van de theorie apart "
        "rapporteert (voor wie werkt het: female).",
        "0/1 columns of the units table for whose groups the theory test reports separately "
        "(for whom does it work: female).",
    ),
    "StudySettings.seed": (
        "Seed voor toevalsgetallen (0 tot 4294967295): dezelfde seed geeft dezelfde uitkomsten.",
        "Random seed (0 to 4294967295): the same seed gives the same results.",
    ),
    # WaveSpec
    "WaveSpec.wave": ("Nummer van het meetmoment (1, 2, ...).", "Wave number (1, 2, ...)."),
    "WaveSpec.date": ("Datum van het veldwerk (JJJJ-MM-DD).", "Fieldwork date (YYYY-MM-DD)."),
    # IndicatorSpec
    "IndicatorSpec.id": (
        "Id van de indicator (slug), zoals in indicators.csv.",
        "Indicator id (slug), as in indicators.csv.",
    ),
    "IndicatorSpec.label_nl": ("Naam in het Nederlands.", "Label in Dutch."),
    "IndicatorSpec.label_en": ("Naam in het Engels.", "Label in English."),
    "IndicatorSpec.unit": (
        "Eenheid, zoals 'aantal per maand'.",
        "Unit, such as 'count per month'.",
    ),
    "IndicatorSpec.perspective": (
        "Waardeperspectief: societal (maatschappelijk), network (netwerk) of partner.",
        "Value perspective: societal, network or partner.",
    ),
    "IndicatorSpec.form": (
        "Vorm: direct (effect buiten, bij bewoners) of indirect (verandering binnen de "
        "organisaties).",
        "Form: direct (effect outside, for residents) or indirect (change inside the "
        "organisations).",
    ),
    "IndicatorSpec.direction": (
        "Welke kant is beter: increase (hoger) of decrease (lager).",
        "Which way is better: increase or decrease.",
    ),
    "IndicatorSpec.partner_id": (
        "Alleen bij perspective partner: de partner wiens waarde dit is.",
        "Only with perspective partner: the partner whose value this is.",
    ),
    "IndicatorSpec.proxy": (
        "Optioneel: financiële proxy, euro per eenheid verbetering per gebied per maand.",
        "Optional: financial proxy, euros per unit of improvement per area per month.",
    ),
    "IndicatorSpec.target": (
        "Optioneel: de waarde die het netwerk nastreeft (in de eenheid van de indicator); de "
        "regelkaart zegt of het proces die zal halen.",
        "Optional: the value the network aims for (in the indicator's unit); the control chart "
        "says whether the process will meet it.",
    ),
    # FinancialProxy
    "FinancialProxy.value_eur": (
        "Waarde van één eenheid verbetering in euro.",
        "Value of one unit of improvement in euros.",
    ),
    "FinancialProxy.low_eur": (
        "Ondergrens voor de gevoeligheidsanalyse (leeg: value_eur).",
        "Lower bound for the sensitivity range (empty: value_eur).",
    ),
    "FinancialProxy.high_eur": (
        "Bovengrens voor de gevoeligheidsanalyse (leeg: value_eur).",
        "Upper bound for the sensitivity range (empty: value_eur).",
    ),
    "FinancialProxy.source": (
        "Waar het bedrag vandaan komt (bron, kengetal).",
        "Where the figure comes from (source, reference value).",
    ),
    "FinancialProxy.year": (
        "Prijspeil: het jaar van de euro's.",
        "Price level: year of the euros.",
    ),
    # SourceSpec
    "SourceSpec.file": (
        "Bestandsnaam in data/raw/<id>/ (CSV of XLSX); het bestand wordt nooit bewerkt.",
        "File name in data/raw/<id>/ (CSV or XLSX); the file is never edited.",
    ),
    "SourceSpec.table": (
        "Welke canonieke tabel de bron vult: contributions, indicators, ties, events, "
        "observations of units.",
        "Which canonical table the source fills: contributions, indicators, ties, events, "
        "observations or units.",
    ),
    "SourceSpec.format": (
        "csv of xlsx; leeg: volgens de extensie van het bestand.",
        "csv or xlsx; empty: from the file's extension.",
    ),
    "SourceSpec.sheet": (
        "Werkblad (XLSX); leeg: het eerste werkblad.",
        "Worksheet (XLSX); empty: the first sheet.",
    ),
    "SourceSpec.header_row": (
        "Regel (CSV) of rij (XLSX) met de kolomkoppen; rijen erboven (titelblok) worden "
        "overgeslagen.",
        "Line (CSV) or row (XLSX) holding the column headers; rows above it (a title block) "
        "are skipped.",
    ),
    "SourceSpec.encoding": (
        "Tekencodering van een CSV-bestand, zoals utf-8-sig of latin-1.",
        "Character encoding of a CSV file, such as utf-8-sig or latin-1.",
    ),
    "SourceSpec.delimiter": ("Scheidingsteken van een CSV-bestand.", "CSV field delimiter."),
    "SourceSpec.decimal": ("Decimaalteken: ',' of '.'.", "Decimal mark: ',' or '.'."),
    "SourceSpec.thousands": (
        "Scheidingsteken voor duizendtallen: '.', ',', ' ' of '' (geen).",
        "Thousands separator: '.', ',', ' ' or '' (none).",
    ),
    "SourceSpec.columns": (
        "Kolom van de canonieke tabel: kolomkop in het bestand.",
        "Canonical column: the header of the column in the file.",
    ),
    "SourceSpec.constants": (
        "Kolommen met één waarde voor elke rij (zoals indicator_id of unit).",
        "Columns with one value for every row (such as indicator_id or unit).",
    ),
    "SourceSpec.partner_id": (
        "De partner van wie het hele bestand is (als er geen kolom met de organisatie is).",
        "The partner the whole file is from (when there is no organisation column).",
    ),
    "SourceSpec.partner_names": (
        "Naam van de organisatie in het bestand: partner_id in partners.csv.",
        "Organisation name in the file: partner_id in partners.csv.",
    ),
    "SourceSpec.values": (
        "Per canonieke kolom: waarde in het bestand -> canonieke waarde.",
        "Per canonical column: value in the file -> canonical value.",
    ),
    "SourceSpec.units": (
        "Eenheid van een kolom in het bestand: hours in hours, minutes, days of fte; "
        "costs_eur in eur of keur (k€).",
        "Unit of a column in the file: hours in hours, minutes, days or fte; costs_eur in "
        "eur or keur (k€).",
    ),
    "SourceSpec.period_format": (
        "Hoe periodes geschreven zijn: auto, iso (2024-01), month_name (januari 2024), "
        "quarter (Q1 2024), excel (datumcel), dmy of mdy.",
        "How periods are written: auto, iso (2024-01), month_name (januari 2024), "
        "quarter (Q1 2024), excel (date cell), dmy or mdy.",
    ),
    "SourceSpec.quarter": (
        "Kwartaalcijfers: first (op de eerste maand) of split (verdeeld over drie maanden).",
        "Quarterly figures: first (booked on the first month) or split (over three months).",
    ),
    "SourceSpec.total_labels": (
        "Rijen met deze tekst (Totaal, ...) zijn totalen: geteld, niet overgenomen.",
        "Rows with this text (Totaal, ...) are totals: counted, not taken over.",
    ),
    "SourceSpec.person_id": (
        "Alleen units: kolom met persoonsnummers; ze worden gepseudonimiseerd tot unit_id.",
        "Units only: the column of person ids; they are pseudonymised into unit_id.",
    ),
    "SourceSpec.drop": (
        "Kolommen met directe identificatie (naam, adres, telefoon, e-mail, BSN) die nergens "
        "terechtkomen; zonder deze lijst weigert harmonise zo'n bestand.",
        "Columns with direct identifiers (name, address, phone, e-mail, BSN) that reach no "
        "output; without this list harmonise refuses such a file.",
    ),
    # HarmonisationSettings
    "HarmonisationSettings.hours_per_day": ("Uren per dag.", "Hours per day."),
    "HarmonisationSettings.fte_hours_per_year": (
        "Uren per FTE per jaar (per maand: /12, per kwartaal: /4).",
        "Hours per FTE per year (per month: /12, per quarter: /4).",
    ),
    "HarmonisationSettings.decimals": (
        "Afronding per canonieke kolom (aantal decimalen).",
        "Rounding per canonical column (number of decimals).",
    ),
    "HarmonisationSettings.max_quarantine_share": (
        "Grootste aandeel rijen van een bron dat in quarantaine mag (0-1); daarboven, of als "
        "alle rijen van een bron in quarantaine gaan, stopt harmonise met een fout.",
        "Largest share of a source's rows that may be quarantined (0-1); above it, or when "
        "every row of a source is quarantined, harmonise fails.",
    ),
    # MonetisationSettings
    "MonetisationSettings.deadweight": (
        "Aandeel van de verbetering dat ook zonder het netwerk was gekomen (0-1).",
        "Share of the improvement that would have happened anyway (0-1).",
    ),
    "MonetisationSettings.attribution": (
        "Aandeel van de rest dat aan anderen dan het netwerk toe te schrijven is (0-1).",
        "Share of the rest that is due to others than the network (0-1).",
    ),
    "MonetisationSettings.source": (
        "Onderbouwing van deze aandelen.",
        "Where these shares come from.",
    ),
    # PrivacySettings
    "PrivacySettings.min_cell": (
        "Kleinste aantal personen dat een tabel, figuur of rapport mag tonen; kleinere "
        "aantallen worden x.",
        "Smallest count of persons a table, figure or report may show; smaller counts become x.",
    ),
    "PrivacySettings.key_file": (
        "Pseudonimiseringssleutel, buiten de repository (netwerkonderzoek key new); "
        "of zet $NETWERKONDERZOEK_KEY. Nodig voor een units-bron.",
        "Pseudonymisation key, outside the repository (netwerkonderzoek key new); "
        "or set $NETWERKONDERZOEK_KEY. Needed for a units source.",
    ),
    "PrivacySettings.free_text": (
        "Identificatie in vrije tekst (BSN, e-mail, telefoon, adres): mask (vervangen door "
        "[BSN], ...) of quarantine (rij in quarantaine).",
        "Identifiers in free text (BSN, e-mail, phone, address): mask (replaced by [BSN], "
        "...) or quarantine (the row is quarantined).",
    ),
    # added with issue 17 (wide tables, recoding, ages, surveys, coded interviews) and 18
    "NetworkConfig.programme": (
        "Programma waartoe het netwerk hoort (slug). Alleen netwerken met hetzelfde programma "
        "tonen elkaars partners en uren in de netwerkdrukte.",
        "Programme the network belongs to (slug). Only networks of the same programme show "
        "each other's partners and hours in the network load.",
    ),
    "NetworkConfig.report": (
        "Het rapport: een Word-sjabloon voor report.docx. Discussie en aanbevelingen schrijft de "
        "onderzoeker in networks/<id>.discussie.txt; het rapport neemt ze letterlijk over.",
        "The report: a Word template for report.docx. The researcher writes the discussion and "
        "recommendations in networks/<id>.discussie.txt; the report includes them verbatim.",
    ),
    "ReportSettings.docx_template": (
        "Word-document (.docx) met de huisstijl voor report.docx (stijlen, pagina, marges); "
        "pad vanaf de map config/.",
        "Word document (.docx) with the house style for report.docx (styles, page, margins); "
        "path from the config/ folder.",
    ),
    "IndicatorSpec.chart": (
        "Regelkaart: xmr (losse waarden), p (een aandeel: de waarden zijn aantallen van "
        "denominator) of u (een tempo: aantallen per eenheid blootstelling).",
        "Control chart: xmr (individual values), p (a share: the values are counts out of "
        "denominator) or u (a rate: counts per unit of exposure).",
    ),
    "IndicatorSpec.denominator": (
        "Alleen bij chart p of u: id van de indicator in indicators.csv met het aantal (p) of "
        "de blootstelling (u) per maand en gebied.",
        "Only for chart p or u: id of the indicator in indicators.csv with the number at risk "
        "(p) or the exposure (u) per month and area.",
    ),
    "NetworkConfig.heartbeat": (
        "Hoe de regelkaarten van de indicatoren gelezen worden: de regels, en de fasen waarin "
        "de grenzen opnieuw berekend worden.",
        "How the indicators' control charts are read: the rules, and the phases from which "
        "the limits are computed anew.",
    ),
    "HeartbeatSettings.rules": (
        "Regelset: mdc (Making Data Count: buiten de grenzen, 2 van 3 voorbij 2 sigma, "
        "verschuiving, trend), anhoej (runs-analyse rond de mediaan, voor korte reeksen) of "
        "western_electric.",
        "Rule set: mdc (Making Data Count: beyond a limit, 2 of 3 beyond 2 sigma, shift, "
        "trend), anhoej (runs analysis around the median, for short series) or "
        "western_electric.",
    ),
    "HeartbeatSettings.shift": (
        "Aantal punten op rij aan één kant van de centrumlijn dat een verschuiving is (mdc).",
        "Points in a row on one side of the centre line that make a shift (mdc).",
    ),
    "HeartbeatSettings.trend": (
        "Aantal punten op rij die elk stijgen (of dalen) dat een trend is (mdc).",
        "Points in a row, each rising (or falling), that make a trend (mdc).",
    ),
    "HeartbeatSettings.baseline": (
        "Aantal punten van een fase waaruit de grenzen vastgesteld worden.",
        "Points of a phase the limits are frozen from.",
    ),
    "HeartbeatSettings.min_points": (
        "Minste punten van een fase met (voorlopige) grenzen; met minder geen grenzen en geen "
        "signalen.",
        "Fewest points of a phase with (trial) limits; with fewer, no limits and no signals.",
    ),
    "HeartbeatSettings.phases": (
        "Fasen: vanaf een maand worden de grenzen opnieuw berekend, met een reden (nieuw "
        "beleid, een nieuwe werkwijze). Nooit automatisch na een signaal.",
        "Phases: from a month on the limits are computed anew, with a reason (a new policy, a "
        "new way of working). Never automatically after a signal.",
    ),
    "PhaseSpec.start": (
        "Eerste maand van de fase (JJJJ-MM).",
        "First month of the phase (YYYY-MM).",
    ),
    "PhaseSpec.reason": (
        "Waarom de grenzen opnieuw berekend worden (bijvoorbeeld een gebeurtenis uit de "
        "tijdlijn).",
        "Why the limits are computed anew (for example an event of the timeline).",
    ),
    "PhaseSpec.indicators": (
        "Optioneel: alleen voor deze indicatoren (standaard alle).",
        "Optional: only for these indicators (all by default).",
    ),
    "NetworkConfig.studies": (
        "Optioneel: de onderzoeksagenda van het netwerk. Elk onderzoek met zijn vraag, de "
        "waardecellen (perspectief x vorm) waar het naar kijkt, de CMO-configuraties die het "
        "toetst, wie het bevraagt en wanneer; zo gebeurt niets dubbel en blijft geen cel "
        "vergeten.",
        "Optional: the network's research agenda. Each study with its question, the value "
        "cells (perspective x form) it looks at, the CMO configurations it tests, whom it asks "
        "and when; so nothing is done twice and no cell is forgotten.",
    ),
    "StudySpec.id": (
        "Id van het onderzoek: kleine letters, cijfers en koppeltekens; uniek in het netwerk.",
        "Study id: lowercase letters, digits and hyphens; unique in the network.",
    ),
    "StudySpec.kind": (
        "Soort onderzoek: action_research (actieonderzoek), developmental_evaluation "
        "(ontwikkelingsgerichte evaluatie), realist_evaluation (realistische evaluatie), "
        "monitoring of other.",
        "Kind of study: action_research, developmental_evaluation, realist_evaluation, "
        "monitoring or other.",
    ),
    "StudySpec.question": (
        "De onderzoeksvraag, in de woorden van het onderzoek.",
        "The research question, in the study's own words.",
    ),
    "StudySpec.cells": (
        "De cellen van de waardematrix waar het onderzoek informatie over geeft (minstens één).",
        "The cells of the value matrix the study gives information on (at least one).",
    ),
    "StudyCell.perspective": (
        "Waardeperspectief: societal (maatschappelijk), network (netwerk) of partner.",
        "Value perspective: societal, network or partner.",
    ),
    "StudyCell.form": (
        "Vorm van waarde: direct (buiten, bij bewoners) of indirect (binnen de organisaties).",
        "Form of value: direct (outside, for residents) or indirect (inside the organisations).",
    ),
    "StudySpec.configurations": (
        "Ids van de CMO-configuraties uit de programmatheorie die het onderzoek toetst.",
        "Ids of the CMO configurations of the programme theory the study tests.",
    ),
    "StudySpec.collects": (
        "De gegevens die het onderzoek verzamelt: per canonieke tabel wie gevraagd wordt.",
        "The data the study collects: per canonical table, who is asked.",
    ),
    "StudyCollection.table": (
        "De canonieke tabel die de gegevens vullen: ties (netwerkenquête), observations "
        "(interviews, verhalen), appreciation (waarderingsenquête), units, indicators, "
        "contributions of events.",
        "The canonical table the data fill: ties (network survey), observations (interviews, "
        "stories), appreciation (appreciation survey), units, indicators, contributions or "
        "events.",
    ),
    "StudyCollection.partners": (
        "Optioneel: ids van de partnerorganisaties die gevraagd worden (uit partners.csv).",
        "Optional: ids of the partner organisations that are asked (from partners.csv).",
    ),
    "StudyCollection.groups": (
        "Optioneel: groepen belanghebbenden die gevraagd worden: residents (bewoners), "
        "partners (alle partnerorganisaties) of funders (financiers).",
        "Optional: stakeholder groups that are asked: residents, partners (every partner "
        "organisation) or funders.",
    ),
    "StudySpec.period": (
        "Looptijd van het onderzoek: eerste en laatste maand.",
        "Period of the study: first and last month.",
    ),
    "StudyPeriod.start": (
        "Eerste maand van het onderzoek (JJJJ-MM).",
        "First month of the study (YYYY-MM).",
    ),
    "StudyPeriod.end": (
        "Laatste maand van het onderzoek (JJJJ-MM); niet voor de eerste.",
        "Last month of the study (YYYY-MM); not before the first.",
    ),
    "StudySpec.status": (
        "Stand van het onderzoek: planned (gepland), running (loopt) of finished (afgerond).",
        "Where the study stands: planned, running or finished.",
    ),
    "NetworkConfig.codebook": (
        "Codeboek van gecodeerde interviews: codes van MAXQDA, ATLAS.ti, NVivo of REFI-QDA "
        "naar CMO-configuratie en richting van het bewijs.",
        "Code book of coded interviews: codes of MAXQDA, ATLAS.ti, NVivo or REFI-QDA to a "
        "CMO configuration and the direction of the evidence.",
    ),
    "CodeBook.separator": (
        "Scheidingsteken tussen niveaus van een code (CMO1\\Overzicht en rust).",
        "Separator between the levels of a code (CMO1\\Overzicht en rust).",
    ),
    "CodeBook.unmapped": (
        "Wat te doen met een code die het codeboek niet kent: quarantine, keep of error.",
        "What to do with a code the code book does not know: quarantine, keep or error.",
    ),
    "CodeBook.codes": (
        "Per code van het analyseprogramma: de configuratie en richting, of een gewone code.",
        "Per code of the analysis tool: the configuration and direction, or a plain code.",
    ),
    "CodeBookEntry.cmo": (
        "Id van de CMO-configuratie waarover de code gaat.",
        "Id of the CMO configuration the code is about.",
    ),
    "CodeBookEntry.direction": (
        "Richting van het bewijs: supports, contradicts, refines of neutral.",
        "Direction of the evidence: supports, contradicts, refines or neutral.",
    ),
    "CodeBookEntry.code": (
        "Gewone code voor de observatie (bijvoorbeeld een waardesoort: societal).",
        "Plain code written to the observation (for example a value type: societal).",
    ),
    "FinancialProxy.perspective": (
        "Wiens waarde het bedrag uitdrukt: societal, network of partner; gelijk aan het "
        "perspectief van de indicator. Zonder dit wordt niets gemonetiseerd.",
        "Whose value the amount expresses: societal, network or partner; the indicator's own "
        "perspective. Without it nothing is monetised.",
    ),
    "MonetisationSettings.displacement": (
        "Aandeel dat alleen verplaatst is (het probleem duikt elders op), 0-1. Alle drie de "
        "aandelen moeten er staan voordat er gemonetiseerd wordt.",
        "Share only moved elsewhere (the problem reappears elsewhere), 0-1. All three shares "
        "must be stated before anything is monetised.",
    ),
    "SourceSpec.unpivot": (
        "Brede tabel: maanden of indicatoren als kolommen, gelezen als rijen.",
        "Wide table: months or indicators as columns, read as rows.",
    ),
    "SourceSpec.missing_markers": (
        "Tekens voor 'onbekend' in tabellen van statistiekbureaus: cbs (. en x onbekend, - is "
        "0) of een lijst zoals {'.': missing, '-': zero}.",
        "Markers of 'unknown' in statistics-office tables: cbs (. and x unknown, - is 0) or a "
        "map such as {'.': missing, '-': zero}.",
    ),
    "SourceSpec.age": (
        "Leeftijd afleiden uit een geboortedatum (die kolom moet onder drop staan).",
        "Derive an age from a birth date (that column must be listed under drop).",
    ),
    "SourceSpec.survey": (
        "Netwerkenquête uit LimeSurvey, Qualtrics, MS Forms of SPSS: vragen naar relaties "
        "worden ties.",
        "Partner-network survey from LimeSurvey, Qualtrics, MS Forms or SPSS: relational "
        "questions become ties.",
    ),
    "SourceSpec.coded_segments": (
        "Gecodeerde segmenten uit MAXQDA, ATLAS.ti, NVivo of een REFI-QDA-project (.qdpx): "
        "worden observaties.",
        "Coded segments from MAXQDA, ATLAS.ti, NVivo or a REFI-QDA project (.qdpx): become "
        "observations.",
    ),
    "SurveySpec.tool": (
        "Het enquêteprogramma: limesurvey, qualtrics, forms, spss of generic.",
        "The survey tool: limesurvey, qualtrics, forms, spss or generic.",
    ),
    "SurveySpec.wave": ("Meting van deze export.", "Wave of this export."),
    "SurveySpec.waves": (
        "Of: alle metingen, één export per meting, met {wave} in de bestandsnaam.",
        "Or: every wave, one export per wave, with {wave} in the file name.",
    ),
    "SurveySpec.respondent": (
        "Kolom (of vraag) met de organisatie van de respondent.",
        "Column (or question) holding the respondent's organisation.",
    ),
    "SurveySpec.questions": (
        "De vragen naar relaties: één per tie_type en wat ze meten.",
        "The relational questions: one per tie_type and what they measure.",
    ),
    "SurveySpec.subquestions": (
        "Code of label van een subvraag naar partnernaam of id (SQ001: Gemeente).",
        "Sub-question code or label to partner name or id (SQ001: Gemeente).",
    ),
    "SurveySpec.network_questions": (
        "Vragen over het hele netwerk naar een variabele van survey_respondents.csv.",
        "Questions about the whole network to a variable of survey_respondents.csv.",
    ),
    "SurveySpec.labels": (
        "Extra antwoordlabels naar de schaal 1-4 (Eens: 3).",
        "Extra answer labels to the 1-4 scale (Agree: 3).",
    ),
    "SurveySpec.missing": (
        "Extra antwoorden die 'onbekend' betekenen (Weet niet en n.v.t. zijn er al).",
        "Extra answers meaning 'unknown' (Don't know and n/a are already there).",
    ),
    "SurveySpec.yes": ("Extra antwoorden die 'ja' betekenen.", "Extra answers meaning 'yes'."),
    "SurveySpec.no": ("Extra antwoorden die 'nee' betekenen.", "Extra answers meaning 'no'."),
    "SurveySpec.complete": (
        "Kolom die zegt of een antwoord compleet is (standaard: datum verstuurd of Finished).",
        "Column telling whether a response is complete (default: submit date or Finished).",
    ),
    "SurveySpec.partial": (
        "Onvolledige antwoorden: drop (geteld) of use.",
        "Partial responses: drop (counted) or use.",
    ),
    "SurveySpec.combine": (
        "Meer respondenten van één organisatie: een relatie telt bij any, all of majority.",
        "Several respondents of one organisation: a tie counts with any, all or majority.",
    ),
    "SurveySpec.combine_values": (
        "Hun scores samen: mean, median, max, min of first.",
        "Their ratings combined: mean, median, max, min or first.",
    ),
    "SurveySpec.reconstruct": (
        "Ontbrekende antwoorden: none (onbekend) of reciprocate (uit wat partners melden).",
        "Missing responses: none (unknown) or reciprocate (from what partners report).",
    ),
    "SurveyQuestion.question": (
        "De vraagtekst (of code) boven de kolommen, zoals 'Vraag [Partner]'.",
        "The question text (or code) heading its columns, as 'Question [Partner]'.",
    ),
    "SurveyQuestion.tie_type": (
        "Het soort relatie dat de vraag meet (information, joint_delivery, ...).",
        "The kind of tie the question measures (information, joint_delivery, ...).",
    ),
    "SurveyQuestion.measures": (
        "Wat de antwoorden zijn: present (ja/nee), weight, intensity of een score.",
        "What the answers are: present (yes/no), weight, intensity or a rating.",
    ),
    "SurveyQuestion.columns": (
        "De kolommen van de vraag, als ze niet met de vraagtekst beginnen.",
        "The question's columns, when they do not start with the question text.",
    ),
    "SurveyQuestion.separator": (
        "Scheidingsteken als alle gekozen partners in één kolom staan (MS Forms: ;).",
        "Separator when every partner chosen is in one column (MS Forms: ;).",
    ),
    "UnpivotSpec.columns": (
        "De waardekolommen (koppen); of pattern; zonder beide: elke kolom die niet onder "
        "columns staat.",
        "The value columns (headers); or pattern; without either: every column not under columns.",
    ),
    "UnpivotSpec.pattern": (
        "Reguliere expressie voor de koppen van de waardekolommen.",
        "Regular expression for the headers of the value columns.",
    ),
    "UnpivotSpec.exclude": ("Kolommen die geen waarden zijn.", "Columns that are not values."),
    "UnpivotSpec.name_to": (
        "Canonieke kolom die de kop krijgt (period, indicator_id, activity ...).",
        "Canonical column that gets the header (period, indicator_id, activity ...).",
    ),
    "UnpivotSpec.value_to": (
        "Canonieke kolom die de cel krijgt (hours, value ...).",
        "Canonical column that gets the cell (hours, value ...).",
    ),
    "UnpivotSpec.unit_from": (
        "indicators: neem de eenheid van de indicator uit de waardedefinitie.",
        "indicators: take the unit of the indicator from the value definition.",
    ),
    "AgeSpec.birth_date": ("Kolom met de geboortedatum.", "Column holding the birth date."),
    "AgeSpec.as_of": (
        "Peildatum: wave (de datum van de meting) of een vaste datum.",
        "Reference date: wave (the wave's date) or a fixed date.",
    ),
    "AgeSpec.to": ("Kolom die de leeftijd krijgt.", "Column that gets the age."),
    "CodedSegmentsSpec.tool": (
        "Het programma: maxqda, atlasti, nvivo of qdpx.",
        "The tool: maxqda, atlasti, nvivo or qdpx.",
    ),
    "CodedSegmentsSpec.columns": (
        "Koppen die afwijken van wat het programma standaard exporteert.",
        "Headers that differ from the tool's standard export.",
    ),
    "CodedSegmentsSpec.code_separator": (
        "Scheidingsteken als een cel meerdere codes bevat.",
        "Separator when one cell holds several codes.",
    ),
    "CodedSegmentsSpec.hierarchy_separator": (
        "Scheidingsteken tussen codeniveaus in de export.",
        "Separator between code levels in the export.",
    ),
    "CodedSegmentsSpec.documents": (
        "Tabel van documenten: naam naar datum, rol en partner.",
        "Table of documents: name to date, role and partner.",
    ),
    "CodedSegmentsSpec.variables": (
        "Documentvariabelen van het .qdpx-project voor datum, rol en partner.",
        "Document variables of the .qdpx project for date, role and partner.",
    ),
    "CodedSegmentsSpec.id_prefix": (
        "Voorvoegsel van de observatie-ids.",
        "Prefix of the observation ids.",
    ),
    "DocumentTableSpec.file": (
        "Bestand met de documenten, naast de export.",
        "File of the documents, beside the export.",
    ),
    "DocumentTableSpec.format": (
        "csv of xlsx (anders de extensie).",
        "csv or xlsx (else the suffix).",
    ),
    "DocumentTableSpec.sheet": ("Werkblad (xlsx).", "Sheet (xlsx)."),
    "DocumentTableSpec.header_row": ("Rij met de koppen.", "Row of the headers."),
    "DocumentTableSpec.encoding": ("Tekstcodering (csv).", "Text encoding (csv)."),
    "DocumentTableSpec.delimiter": ("Scheidingsteken (csv).", "Delimiter (csv)."),
    "DocumentTableSpec.columns": (
        "Koppen voor document, date, source_role en partner_id.",
        "Headers for document, date, source_role and partner_id.",
    ),
}

#: Example values of keys that have no default (or a default that shows nothing),
#: by ``Model.field``; used in the template and its commented-out examples.
EXAMPLES: dict[str, Any] = {
    "NetworkConfig.name": f"{PLACEHOLDER}: naam van het netwerk",
    "NetworkConfig.mission": f"{PLACEHOLDER}: wat het netwerk samen wil bereiken",
    "NetworkConfig.task": f"{PLACEHOLDER}: de maatschappelijke opgave",
    "StudySettings.start": "2025-01",
    "StudySettings.end": "2026-06",
    "WaveSpec.wave": 1,
    "WaveSpec.date": dt.date(2025, 3, 1),
    "IndicatorSpec.id": "overlastmeldingen",
    "IndicatorSpec.label_nl": "Overlastmeldingen per 1.000 inwoners",
    "IndicatorSpec.label_en": "Nuisance reports per 1,000 residents",
    "IndicatorSpec.unit": "per 1.000 inwoners per maand",
    "IndicatorSpec.perspective": "societal",
    "IndicatorSpec.form": "direct",
    "IndicatorSpec.direction": "decrease",
    "IndicatorSpec.partner_id": "woningcorporatie",
    "StudySpec.id": "wijkmonitor",
    "StudySpec.kind": "monitoring",
    "StudySpec.question": "Hoe ontwikkelen overlast en leefbaarheid zich per buurt?",
    "StudySpec.configurations": ["cmo-01"],
    "StudySpec.status": "running",
    "StudyCell.perspective": "societal",
    "StudyCell.form": "direct",
    "StudyCollection.table": "observations",
    "StudyCollection.partners": ["gemeente"],
    "StudyCollection.groups": ["residents"],
    "StudyPeriod.start": "2025-01",
    "StudyPeriod.end": "2025-12",
    "PhaseSpec.start": "2025-09",
    "PhaseSpec.reason": "nieuwe werkwijze wijkteams",
    "FinancialProxy.value_eur": 600.0,
    "FinancialProxy.low_eur": 300.0,
    "FinancialProxy.high_eur": 1200.0,
    "FinancialProxy.source": "Bron en berekening van het bedrag / source and calculation",
    "FinancialProxy.year": 2025,
    "SourceSpec.file": "urenregistratie.csv",
    "SourceSpec.table": "contributions",
    "SourceSpec.format": "csv",
    "SourceSpec.sheet": "Blad1",
    "SourceSpec.columns": {
        "partner_id": "Organisatie",
        "period": "Maand",
        "activity": "Activiteit",
        "hours": "Uren",
        "costs_eur": "Kosten (EUR)",
        "value_type": "Waardesoort",
    },
    "SourceSpec.constants": {},
    "SourceSpec.partner_id": "gemeente",
    "SourceSpec.partner_names": {"Gemeente Voorbeeldstad": "gemeente"},
    "SourceSpec.values": {"value_type": {"maatschappelijk": "societal", "netwerk": "network"}},
    "SourceSpec.units": {"hours": "hours", "costs_eur": "eur"},
    "SourceSpec.quarter": "first",
    "SourceSpec.person_id": "Cliëntnummer",
    "MonetisationSettings.deadweight": 0.25,
    "MonetisationSettings.attribution": 0.4,
    "MonetisationSettings.source": "Onderbouwing / rationale",
    "PrivacySettings.key_file": "~/.config/netwerkonderzoek/pseudonymisation.key",
    "MonetisationSettings.displacement": 0.1,
    "FinancialProxy.perspective": "societal",
    "CodeBookEntry.cmo": "cmo-01",
    "CodeBookEntry.direction": "supports",
    "UnpivotSpec.name_to": "period",
    "UnpivotSpec.value_to": "hours",
    "AgeSpec.birth_date": "Geboortedatum",
    "SurveySpec.wave": 1,
    "SurveySpec.respondent": "Namens welke organisatie vult u deze vragenlijst in?",
    "SurveyQuestion.question": "Met welke organisaties wisselt u informatie uit?",
    "SurveyQuestion.tie_type": "information",
    "DocumentTableSpec.file": "documenten.xlsx",
}

#: Blocks for one kind of source only (a wide table, a units source with birth
#: dates, a survey, coded interviews): written with '## ' in the template, as
#: documentation to copy into a source of that kind, never active together.
_KIND_BLOCKS = {
    "SourceSpec.unpivot": ("een brede tabel", "a wide table"),
    "SourceSpec.age": ("een units-bron met geboortedata", "a units source with birth dates"),
    "SourceSpec.survey": ("een netwerkenquête (table: ties)", "a network survey (table: ties)"),
    "SourceSpec.coded_segments": (
        "gecodeerde interviews (table: observations)",
        "coded interviews (table: observations)",
    ),
    "NetworkConfig.codebook": (
        "gecodeerde interviews (coded_segments)",
        "coded interviews (coded_segments)",
    ),
}

# Keys written as a comment even in an active example: a source needs either a
# partner column or partner_id, a units source needs person_id and no other
# table may have one, a sheet only fits a workbook.
_ALWAYS_COMMENTED = {
    "IndicatorSpec.partner_id",
    "SourceSpec.partner_id",
    "SourceSpec.quarter",
    "SourceSpec.person_id",
    "SourceSpec.sheet",
}


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=max(40, width), break_on_hyphens=False)


def _name(name: str) -> str:
    """A key as YAML reads it back as text: ``yes`` and ``no`` quoted."""
    import yaml

    return name if yaml.safe_load(f"{name}: 1") == {name: 1} else f"'{name}'"


def _scalar(value: Any) -> str:
    import yaml

    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000)
    return text.removesuffix("\n").removesuffix("\n...").strip()


def _unwrap(annotation: Any) -> Any:
    """The type inside ``X | None`` / ``Optional[X]``."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _models_of(annotation: Any) -> list[type[BaseModel]]:
    """The models in ``Model`` or a union of models (``A | B``, discriminated or not)."""
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        models = [_model_of(a) for a in typing.get_args(annotation)]
        return [m for m in models if m is not None] if all(models) else []
    model = _model_of(annotation)
    return [model] if model is not None else []


def _placeholder(annotation: Any) -> Any:
    """A value of the field's type for a required key without an example."""
    inner = _unwrap(annotation)
    origin = typing.get_origin(inner)
    if origin is typing.Literal:
        return typing.get_args(inner)[0]
    if origin is typing.Annotated:
        return _placeholder(typing.get_args(inner)[0])
    if origin in (list, tuple) or inner in (list, tuple):
        return []
    if origin is dict or inner is dict:
        return {}
    return {int: 1, float: 0.0, bool: False, dt.date: dt.date(2025, 1, 1)}.get(inner, "VUL IN")


class _Writer:
    """Builds the template line by line from the models.

    An *example block* (an optional block, a list item of a list that may be
    empty, an optional key) is written commented out: every line gets ``# ``
    at the block's indent (``root``), so removing those two characters gives
    valid YAML, explanations included. With ``examples`` the blocks are
    written as active YAML.
    """

    def __init__(self, overrides: dict[str, Any], examples: bool):
        self.lines: list[str] = []
        self.overrides = overrides
        self.examples = examples

    def emit(self, pad: str, text: str, root: str | None) -> None:
        if root is None or self.examples:
            self.lines.append(f"{pad}{text}")
        else:
            self.lines.append(f"{root}# {pad[len(root) :]}{text}")

    def comment(self, model: type[BaseModel], name: str, pad: str, root: str | None) -> None:
        nl, en = COMMENTS.get(
            f"{model.__name__}.{name}", ("", f"{name} ({model.__name__}): no description yet")
        )
        width = 92 - len(pad)
        for text in (nl, en):
            for line in _wrap(text, width) if text else []:
                self.emit(pad, f"# {line}", root)

    def model(self, model: type[BaseModel], pad: str, root: str | None, item: bool = False):
        """Every field of ``model``; ``item`` writes it as a list item (``- `` first)."""
        fields = [(n, f) for n, f in model.model_fields.items() if not f.exclude]
        for i, (name, info) in enumerate(fields):
            lead = "- " if item and i == 0 else ""
            keypad = pad if not item or i == 0 else pad + "  "
            self.comment(model, name, pad + "  " if item else pad, root)
            self.field(model, name, info, keypad, lead, root)

    def field(self, model, name: str, info, pad: str, lead: str, root: str | None) -> None:
        key = f"{model.__name__}.{name}"
        if key in _KIND_BLOCKS:
            # written out as if active, then every line behind '## ' at its indent
            inner = _Writer(self.overrides, True)
            inner.field_lines(model, name, info, pad, lead)
            nl, en = _KIND_BLOCKS[key]
            self.lines += [
                f"{pad}# Alleen voor {nl}: haal '## ' weg.",
                f"{pad}# Only for {en}: remove '## '.",
            ]
            self.lines += [f"{pad}## {line[len(pad) :]}" for line in inner.lines]
            return
        self.field_lines(model, name, info, pad, lead, root)

    def field_lines(self, model, name, info, pad: str, lead: str, root: str | None = None):
        key = f"{model.__name__}.{name}"
        inner = _unwrap(info.annotation)
        sub = _model_of(inner)
        args = typing.get_args(inner)
        origin = typing.get_origin(inner)
        items = _models_of(args[0]) if origin is list and args else []
        values = _models_of(args[1]) if origin is dict and len(args) == 2 else []
        has_default = not info.is_required()
        default = info.get_default(call_default_factory=True) if has_default else None
        inside = pad + " " * len(lead) + "  "
        if key in self.overrides:
            self.emit(pad, f"{lead}{_name(name)}: {_scalar(self.overrides[key])}", root)
        elif sub is not None:
            block = pad if root is None and has_default and default is None else root
            self.emit(pad, f"{lead}{_name(name)}:", block)
            self.model(sub, inside, block)
        elif items or values:
            empty = "[]" if items else "{}"
            if has_default and root is None:
                if self.examples:
                    self.emit(pad, f"{lead}{_name(name)}:", root)
                else:
                    self.lines += [
                        f"{pad}# Voorbeeld: vervang {empty} door de regels hieronder zonder '# '.",
                        f"{pad}# Example: replace {empty} by the lines below without '# '.",
                    ]
                    self.emit(pad, f"{lead}{_name(name)}: {empty}", root)
                block = inside
            else:
                self.emit(pad, f"{lead}{_name(name)}:", root)
                block = root
            for number, kind in enumerate(items or values, start=1):
                if items:  # one example item per kind of item
                    self.model(kind, inside, block, item=True)
                else:  # a mapping of names to blocks: one example entry per kind
                    self.emit(inside, f"example-{number}:", block)
                    self.model(kind, inside + "  ", block)
        elif not has_default:
            value = EXAMPLES[key] if key in EXAMPLES else _placeholder(info.annotation)
            self.emit(pad, f"{lead}{_name(name)}: {_scalar(value)}", root)
        elif default is None:
            example = EXAMPLES.get(key)
            shown = "null" if example is None else _scalar(example)
            if key in _ALWAYS_COMMENTED or example is None:
                self.emit(pad, f"{lead}# {_name(name)}: {shown}", root)
            else:
                self.emit(pad, f"{lead}{_name(name)}: {shown}", pad if root is None else root)
        else:
            value = EXAMPLES[key] if root is not None and EXAMPLES.get(key) else default
            self.emit(pad, f"{lead}{_name(name)}: {_scalar(value)}", root)


def network_template(network_id: str, *, examples: bool = False) -> str:
    """The commented network configuration for a new network.

    Parameters
    ----------
    network_id : str
        Slug of the network.
    examples : bool
        Write the commented-out examples (an indicator, a source, the
        monetisation block, the key file) as active YAML: a test checks they
        validate too.

    Returns
    -------
    str
        YAML text that :func:`netwerkonderzoek.config.load_config` accepts.

    Raises
    ------
    ConfigError
        If ``network_id`` is not a slug.

    Examples
    --------
    >>> from netwerkonderzoek.yamlfile import load_yaml
    >>> text = network_template("wijk-zuid")
    >>> text.splitlines()[0]
    '# Netwerkconfiguratie van wijk-zuid / network configuration of wijk-zuid'
    >>> config = load_yaml(text)
    >>> config["network_id"], config["theory"], config["indicators"]
    ('wijk-zuid', 'theories/wijk-zuid.yaml', [])
    >>> [i["id"] for i in load_yaml(network_template("wijk-zuid", examples=True))["indicators"]]
    ['overlastmeldingen']
    """
    check_network_id(network_id)
    writer = _Writer(
        {
            "NetworkConfig.network_id": network_id,
            "NetworkConfig.theory": f"theories/{network_id}.yaml",
        },
        examples,
    )
    header = [
        f"# Netwerkconfiguratie van {network_id} / network configuration of {network_id}",
        "# Gemaakt met 'netwerkonderzoek init'. Vul de regels met 'VUL IN' in, pas de studie",
        f"# en de waardedefinitie aan en controleer met 'netwerkonderzoek validate {network_id}'.",
        "# Made by 'netwerkonderzoek init'. Fill in the lines marked 'FILL IN', adapt the",
        f"# study and value definition, and check with 'netwerkonderzoek validate {network_id}'.",
        "# Regels '# sleutel: waarde' zijn voorbeelden: haal '# ' weg om ze te gebruiken.",
        "# Lines '# key: value' are examples: remove '# ' to use them.",
        "",
    ]
    writer.lines.extend(header)
    writer.model(NetworkConfig, "", None)
    return "\n".join(writer.lines) + "\n"


def theory_template(network_id: str, *, date: str = "2025-01-15") -> str:
    """A programme theory with one commented example configuration.

    The example uses columns a units table would have (``age``,
    ``buurtcoach``, ``wellbeing``): replace them by the network's own.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from netwerkonderzoek.cmo import load_theory
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "x.yaml"
    >>> _ = path.write_text(theory_template("wijk-zuid"), encoding="utf-8")
    >>> load_theory(path).ids
    ['cmo-01']
    """
    check_network_id(network_id)
    return f"""\
# Programmatheorie van {network_id} / programme theory of {network_id}
# Gemaakt met 'netwerkonderzoek init'. Elke configuratie is een CMO-configuratie:
# in welke context (C) zorgt welk mechanisme (M: hulpbron en reactie) voor welke
# uitkomst (O). De kolommen moeten bestaan in data/{network_id}/units.csv;
# 'netwerkonderzoek validate {network_id}' controleert de expressies, de kolommen en de
# waarden.
# Made by 'netwerkonderzoek init'. Each configuration is a CMO configuration: in
# which context (C) which mechanism (M: resource and reasoning) produces which
# outcome (O). The columns must exist in data/{network_id}/units.csv; 'netwerkonderzoek
# validate {network_id}' checks the expressions, the columns and the values.
network_id: {network_id}
# Naam van de theorie / name of the theory
name: Programmatheorie {network_id}
# Versie (1, 2, ...) en label: initial (eerste versie) of refined (verfijnd)
# Version (1, 2, ...) and label: initial (first version) or refined
version: 1
label: initial
# Datum van deze versie / date of this version (YYYY-MM-DD)
date: '{date}'
configurations:
# Voorbeeld: vervang het door de configuraties van het netwerk.
# Example: replace it by the network's own configurations.
- id: cmo-01
  # De configuratie in één zin / the configuration in one sentence
  statement: 'Bij ouderen (C) zorgt een vaste buurtcoach (M: hulpbron) ervoor dat bewoners
    zich gehoord voelen (M: reactie), waardoor hun welzijn stijgt (O).'
  # Waardeperspectief: societal, network of partner / value perspective
  perspective: societal
  # direct of indirect / direct or indirect
  form: direct
  context:
    description: Ouderen (65 jaar en ouder)
    # Voorwaarde over kolommen van units.csv: vergelijkingen (== != < <= > >=, in [...]),
    # and/or/not. Condition over units.csv columns: comparisons, in [...], and/or/not.
    expression: age >= 65
  mechanism:
    resource: Vaste buurtcoach
    reasoning: Bewoners voelen zich gehoord
    # Kolom met 0/1: kreeg de eenheid de hulpbron? / 0/1 column: did the unit get it?
    exposure: buurtcoach
  outcome:
    description: Welzijn van bewoners (0-10)
    # Kolom met de uitkomst / outcome column
    measure: wellbeing
    # increase of decrease: welke kant verwacht de theorie / which way the theory expects
    direction: increase
    # continuous of binary (0/1) / continuous or binary (0/1)
    scale: continuous
  # Codes van kwalitatieve observaties die bij deze configuratie horen
  # Codes of qualitative observations that belong to this configuration
  codes:
  - cmo-01
  # Optioneel: kolommen om voor te corrigeren / optional: columns to adjust for
  covariates: []
"""


def raw_readme(network_id: str) -> str:
    """``data/raw/<id>/README.md``: what to put in the raw folder, in Dutch and English.

    Examples
    --------
    >>> text = raw_readme("wijk-zuid")
    >>> text.splitlines()[0]
    '# Ruwe exports van wijk-zuid / raw exports of wijk-zuid'
    >>> [line for line in text.splitlines() if line.startswith("## ")]
    ['## Nederlands', '## English']
    """
    check_network_id(network_id)
    return f"""\
# Ruwe exports van {network_id} / raw exports of {network_id}

## Nederlands

Zet hier de bestanden zoals partners ze aanleveren, **onbewerkt**: exports uit
urenregistraties (CSV of XLSX), de monitor met indicatoren, de exports van het
netwerkonderzoek (de partnervragenlijst), tijdlijnen, gecodeerde interviews en
gegevens over bewoners of cliënten (units).

- Bewerk een bestand nooit. Is het fout, vraag de partner om een nieuwe export
  en vervang het bestand; beschrijf de vorm van elk bestand eenmaal onder
  `sources:` in `config/networks/{network_id}.yaml` (kolommen, eenheden,
  kopregel, werkblad, periodes).
- `netwerkonderzoek harmonise {network_id}` maakt er de canonieke tabellen van in
  `data/{network_id}/` en schrijft in `data/{network_id}/harmonisation/` welke rijen
  zijn overgenomen en waarom een rij in quarantaine ging.
- De lijst van partners staat in `data/{network_id}/partners.csv` (kolommen
  `network_id, partner_id, name, kind, sector, joined, left`).
- **Persoonsgegevens**: een bestand met gegevens over personen noemt onder
  `person_id` de kolom met persoonsnummers; die worden met de sleutel
  gepseudonimiseerd (`netwerkonderzoek key new`; bewaar de sleutel buiten de
  repository en maak er een reservekopie van). Kolommen met namen, adressen,
  telefoonnummers, e-mailadressen of BSN's worden geweigerd tenzij ze onder
  `drop:` staan. Zet deze map niet in git en deel hem niet: hij bevat de
  gegevens zoals partners ze sturen (de `.gitignore` hier houdt de bestanden
  buiten git). Bewaar en verwijder ze zoals de
  verwerkersovereenkomst met de partners zegt.

## English

Put the files here as partners send them, **unedited**: exports of hour
registrations (CSV or XLSX), the indicator monitor, the partner-network survey
exports, timelines, coded interviews and data on residents or clients (units).

- Never edit a file. If it is wrong, ask the partner for a new export and
  replace the file; describe each file's shape once under `sources:` in
  `config/networks/{network_id}.yaml` (columns, units, header row, sheet,
  periods).
- `netwerkonderzoek harmonise {network_id}` turns them into the canonical tables in
  `data/{network_id}/` and writes to `data/{network_id}/harmonisation/` which rows were
  accepted and why a row was quarantined.
- The partner list is `data/{network_id}/partners.csv` (columns
  `network_id, partner_id, name, kind, sector, joined, left`).
- **Personal data**: a file about persons names its column of person ids
  under `person_id`; they are pseudonymised with the key (`netwerkonderzoek key
  new`; keep the key outside the repository and back it up). Columns with
  names, addresses, phone numbers, e-mail addresses or BSNs are refused unless
  listed under `drop:`. Do not put this folder in git and do not share it: it
  holds the data as partners send them (the `.gitignore` here keeps the files
  out of git). Keep and delete them as the data
  processing agreement with the partners says.
"""


#: ``data/raw/<id>/.gitignore``: git leaves the partners' exports out, README in.
RAW_GITIGNORE = """\
# Ruwe exports van partners horen niet in git (persoonsgegevens, afspraken met partners).
# Raw partner exports do not belong in git (personal data, agreements with partners).
# Verwijder dit bestand alleen als de exports geen persoonsgegevens bevatten.
# Delete this file only if the exports hold no personal data.
*
!README.md
!.gitignore
"""


def init_network(
    network_id: str,
    config_dir: str | Path = "config",
    data_dir: str | Path = "data",
    *,
    force: bool = False,
) -> list[Path]:
    """Write the config, theory and raw-data README of a new network.

    Parameters
    ----------
    network_id : str
        Slug of the new network (``wijk-zuid``).
    config_dir, data_dir : path
        Configuration folder (``networks/``, ``theories/``) and data root.
    force : bool
        Overwrite files that exist (default: refuse).

    Returns
    -------
    list of Path
        The files written: config, theory, the raw folder's README and its
        ``.gitignore`` (:data:`RAW_GITIGNORE`: git leaves the exports out).

    Raises
    ------
    ConfigError
        If ``network_id`` is not a slug, or (without ``force``) a file to
        write exists; the message names every such file. Nothing is written
        then.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> tmp = tempfile.TemporaryDirectory()
    >>> config_dir, data_dir = pathlib.Path(tmp.name, "config"), pathlib.Path(tmp.name, "data")
    >>> for path in init_network("wijk-zuid", config_dir, data_dir):
    ...     print(path.relative_to(tmp.name).as_posix())
    config/networks/wijk-zuid.yaml
    config/theories/wijk-zuid.yaml
    data/raw/wijk-zuid/README.md
    data/raw/wijk-zuid/.gitignore
    >>> try:
    ...     init_network("wijk-zuid", config_dir, data_dir)
    ... except ConfigError as exc:
    ...     print(str(exc).replace(tmp.name, "<tmp>"))  # doctest: +ELLIPSIS
    network 'wijk-zuid' exists: <tmp>/config/networks/wijk-zuid.yaml, ... already there; expected a new network id (or --force to overwrite)
    >>> tmp.cleanup()
    """
    check_network_id(network_id)
    config_dir, data_dir = Path(config_dir), Path(data_dir)
    files = {
        network_config_path(network_id, config_dir): network_template(network_id),
        config_dir / "theories" / f"{network_id}.yaml": theory_template(
            network_id, date=dt.date.today().isoformat()
        ),
        data_dir / "raw" / network_id / "README.md": raw_readme(network_id),
        data_dir / "raw" / network_id / ".gitignore": RAW_GITIGNORE,
    }
    existing = [path for path in files if path.exists() or path.is_symlink()]
    if existing and not force:
        names = ", ".join(str(p) for p in existing)
        raise ConfigError(
            f"network '{network_id}' exists: {names} already there; "
            "expected a new network id (or --force to overwrite)"
        )
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_symlink():
            path.unlink()
        path.write_text(text, encoding="utf-8")
    return list(files)


def default_key_path(environ: dict | None = None) -> Path:
    """Where ``key new`` writes without ``--output``.

    ``$XDG_CONFIG_HOME/netwerkonderzoek/pseudonymisation.key``, by default
    under ``~/.config``: the researcher's own folder, outside any project.

    Examples
    --------
    >>> default_key_path({"XDG_CONFIG_HOME": "/home/onderzoeker/.config"}).as_posix()
    '/home/onderzoeker/.config/netwerkonderzoek/pseudonymisation.key'
    >>> default_key_path({}) == Path.home() / ".config/netwerkonderzoek/pseudonymisation.key"
    True
    """
    env = os.environ if environ is None else environ
    base = Path(env.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "netwerkonderzoek" / "pseudonymisation.key"


def _project_roots() -> list[Path]:
    """The project this package runs from (a source checkout), if any."""
    root = Path(__file__).resolve().parent.parent
    return [root] if (root / "pyproject.toml").is_file() else []


def protected_root(path: str | Path) -> tuple[Path, str] | None:
    """The git work tree or project folder ``path`` lies in, and which it is; or None.

    Walks up from ``path`` looking for ``.git`` (a folder, or the file of a
    linked work tree) or a project folder (one holding ``config/networks/``),
    and checks the project this package runs from.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> base = pathlib.Path(tempfile.mkdtemp())
    >>> protected_root(base / "keys" / "x.key") is None
    True
    >>> (base / ".git").mkdir()
    >>> protected_root(base / "keys" / "x.key") == (base.resolve(), "git work tree")
    True
    """
    target = Path(path).expanduser().resolve()
    for folder in target.parents:
        if (folder / ".git").exists():
            return folder, "git work tree"
        if (folder / "config" / "networks").is_dir():
            return folder, "project folder"
    for root in _project_roots():
        if target.is_relative_to(root):
            return root, "project folder"
    return None


def new_key(path: str | Path | None = None) -> Path:
    """Write a new pseudonymisation key to ``path`` (mode 0600); return the path.

    The key is :data:`KEY_BYTES` random bytes from :mod:`secrets`, written as
    URL-safe text under comment lines, the format
    :func:`netwerkonderzoek.privacy.load_key` reads.

    Parameters
    ----------
    path : path, optional
        Key file to create (default :func:`default_key_path`); its folder
        is created (mode 0700).

    Raises
    ------
    PrivacyError
        If ``path`` lies inside a git work tree or project folder (a key
        there ends up in a commit), or the file exists (a key is never
        overwritten: the pseudonyms made with it would no longer link up).

    Examples
    --------
    >>> import tempfile
    >>> from netwerkonderzoek.privacy import load_key
    >>> tmp = tempfile.TemporaryDirectory()
    >>> path = new_key(Path(tmp.name, "sleutels", "studie.key"))
    >>> oct(path.stat().st_mode & 0o777), oct(path.parent.stat().st_mode & 0o777)
    ('0o600', '0o700')
    >>> len(load_key(path, environ={}))
    43
    >>> try:
    ...     new_key(path)
    ... except PrivacyError as exc:
    ...     print(str(exc).replace(tmp.name, "<tmp>"))
    refusing to overwrite the pseudonymisation key <tmp>/sleutels/studie.key: another key gives other pseudonyms; expected a path where no file exists
    >>> tmp.cleanup()
    """
    path = Path(path).expanduser() if path is not None else default_key_path()
    inside = protected_root(path)
    if inside is not None:
        root, kind = inside
        raise PrivacyError(
            f"refusing to write a pseudonymisation key to {path}: it lies inside the "
            f"{kind} {root}, where it would be committed or shared; expected a path "
            "outside any repository or project, such as "
            f"{default_key_path()} (key new --output PATH)"
        )
    if path.exists() or path.is_symlink():
        raise PrivacyError(
            f"refusing to overwrite the pseudonymisation key {path}: another key gives "
            "other pseudonyms; expected a path where no file exists"
        )
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    created = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = (
        f"# netwerkonderzoek pseudonymisation key, created {created}.\n"
        "# SECRET: whoever holds it can recompute the pseudonyms. Keep it out of any\n"
        "# repository and back it up: another key gives other pseudonyms, and waves\n"
        "# harmonised with different keys no longer link up.\n"
        f"{secrets.token_urlsafe(KEY_BYTES)}\n"
    )
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # pragma: no cover - raced with another writer
        raise PrivacyError(f"refusing to overwrite the pseudonymisation key {path}") from None
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(path, 0o600)
    return path
