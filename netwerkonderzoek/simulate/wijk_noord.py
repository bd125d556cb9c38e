"""Example network ``wijk-noord``: liveability of a neighbourhood.

Fictional city Zuiderhaven, district Noord: the municipality, housing
corporations, welfare, police, care providers, a school and residents' groups
work on the quality of life in eight neighbourhoods. Units are residents.
"""

from __future__ import annotations

from .specs import CMOSpec, ContextSpec, EventSpec, IndicatorDef, NetworkSpec, OutcomeSpec
from .specs import PartnerSpec as P

__all__ = ["SPEC"]

_S = "2021-11-01"

PARTNERS = (
    P(
        "gemeente-zuiderhaven",
        "Gemeente Zuiderhaven, gebiedsteam Noord",
        "municipality",
        "public",
        _S,
        core=True,
    ),
    P("stadsbeheer-zuiderhaven", "Stadsbeheer Zuiderhaven", "municipality", "public", _S),
    P(
        "woonstichting-de-haven",
        "Woonstichting De Haven",
        "housing",
        "social housing",
        _S,
        core=True,
    ),
    P("noorderhuis-wonen", "Woningcorporatie Noorderhuis", "housing", "social housing", _S),
    P("welzijn-noord", "Stichting Welzijn Noord", "welfare", "welfare", _S, core=True),
    P("buurthuis-de-schakel", "Buurthuis De Schakel", "welfare", "welfare", _S),
    P("jongerenwerk-noord", "Jongerenwerk Zuiderhaven Noord", "welfare", "welfare", _S),
    P("schuldhulpmaatje-zuiderhaven", "Schuldhulpmaatje Zuiderhaven", "welfare", "volunteers", _S),
    P("voedselbank-zuiderhaven", "Voedselbank Zuiderhaven", "welfare", "volunteers", _S),
    P("buurtbemiddeling-noord", "Buurtbemiddeling Noord", "welfare", "welfare", "2023-01-01"),
    P("wijkverpleging-noorderlicht", "Wijkverpleging Noorderlicht", "care", "care", _S, group="b"),
    P("ggd-zuiderhaven", "GGD Zuiderhaven", "care", "public health", _S, group="b"),
    P(
        "huisartsen-kastanjeplein",
        "Huisartsenpraktijk Kastanjeplein",
        "care",
        "primary care",
        _S,
        group="b",
    ),
    P("thuiszorg-noorderlicht", "Thuiszorg Noorderlicht", "care", "care", _S, group="b"),
    P(
        "woonzorgcentrum-de-linde",
        "Woonzorgcentrum De Linde",
        "care",
        "elderly care",
        _S,
        group="b",
    ),
    P(
        "bewonersvereniging-vogelwijk",
        "Bewonersvereniging Vogelwijk",
        "residents",
        "residents",
        _S,
        group="a",
    ),
    P(
        "bewonerscommissie-de-meeuw",
        "Bewonerscommissie Flat De Meeuw",
        "residents",
        "tenants",
        _S,
        group="a",
    ),
    P(
        "speeltuin-de-klimop",
        "Speeltuinvereniging De Klimop",
        "residents",
        "residents",
        _S,
        group="a",
    ),
    P("wijkraad-noord", "Wijkraad Noord", "residents", "residents", _S, group="a"),
    P(
        "buurtcooperatie-noord",
        "Buurtcoöperatie Noord Verbindt",
        "residents",
        "residents",
        "2022-03-01",
    ),
    P(
        "politie-noord",
        "Politie, basisteam Zuiderhaven-Noord",
        "other",
        "public safety",
        _S,
        core=True,
    ),
    P("basisschool-de-regenboog", "Basisschool De Regenboog", "other", "education", _S),
    P(
        "winkelcentrum-noord",
        "Ondernemersvereniging Winkelcentrum Noord",
        "other",
        "business",
        _S,
        left="2024-02-29",
    ),
    P("sportvereniging-noord", "Sportvereniging Noord '58", "other", "sports", "2023-06-01"),
)

EVENTS = (
    EventSpec(
        "2022-07-05",
        "Start Wijknetwerk Leefbaar Noord",
        "milestone",
        "Partners ondertekenen de samenwerkingsafspraken.",
    ),
    EventSpec(
        "2022-09-15",
        "Wijkvisie Noord 2030 vastgesteld",
        "policy",
        "De gemeenteraad stelt de wijkvisie vast.",
        "gemeente-zuiderhaven",
    ),
    EventSpec(
        "2022-11-01",
        "Bewonersbudget Noord beschikbaar",
        "funding",
        "Bewoners kunnen budget aanvragen voor eigen initiatieven.",
        "gemeente-zuiderhaven",
    ),
    EventSpec(
        "2023-03-01",
        "Start wijkteam Veilig Noord in Vogelwijk, Havenkwartier en Rozenhof",
        "milestone",
        "Politie, corporatie, welzijn en gemeente starten een gezamenlijk wijkteam.",
    ),
    EventSpec(
        "2023-08-01",
        "Bezuiniging op het wijkbudget Noord",
        "funding",
        "De gemeente kort het wijkbudget met een kwart; partners moeten keuzes maken.",
        "gemeente-zuiderhaven",
    ),
    EventSpec(
        "2023-10-10",
        "Eerste gezamenlijke wijkschouw met bewoners",
        "milestone",
        "Politie, corporatie, gemeente en bewoners lopen samen door de wijk.",
    ),
    EventSpec(
        "2024-01-20",
        "Huisbezoeken bij betalingsachterstand",
        "policy",
        "Nieuw beleid van de corporaties: vroeg huisbezoek bij een huurachterstand.",
        "woonstichting-de-haven",
    ),
    EventSpec(
        "2024-04-15",
        "Opening ontmoetingsplek Het Plein",
        "milestone",
        "Nieuwe ontmoetingsplek in het winkelcentrum.",
    ),
    EventSpec(
        "2024-09-01",
        "Verlenging subsidie buurtcoaches",
        "funding",
        "De buurtcoaches worden twee jaar verlengd.",
    ),
    EventSpec(
        "2024-11-15",
        "Wijkgesprek over twee jaar netwerk",
        "milestone",
        "Bewoners en partners bespreken samen wat het netwerk heeft opgeleverd.",
    ),
)

# Financial proxies of the example: plausible orders of magnitude, labelled as such.
_ILLUSTRATIVE = "Illustratief bedrag voor het gesimuleerde voorbeeld, geen gemeten kengetal: "

INDICATORS = (
    IndicatorDef(
        "overlastmeldingen",
        "Overlastmeldingen per 1.000 inwoners",
        "Nuisance reports per 1,000 residents",
        "per 1.000 inwoners per maand",
        "societal",
        "direct",
        "decrease",
        base=6.0,
        area_sd=1.2,
        trend=0.0,
        noise_sd=0.6,
        proxy={
            "perspective": "societal",
            "value_eur": 600.0,
            "low_eur": 300.0,
            "high_eur": 1200.0,
            "source": _ILLUSTRATIVE
            + "circa 5.000 inwoners per buurt x EUR 120 behandelkosten per melding "
            "(politie, gemeente, corporatie).",
            "year": 2024,
        },
    ),
    IndicatorDef(
        "bewonersinitiatieven",
        "Lopende bewonersinitiatieven",
        "Ongoing residents' initiatives",
        "aantal",
        "societal",
        "direct",
        "increase",
        base=4.0,
        area_sd=1.2,
        trend=0.04,
        noise_sd=0.6,
        decimals=0,
    ),
    IndicatorDef(
        "leefbaarheidsscore",
        "Leefbaarheidsscore",
        "Liveability score",
        "score 1-9",
        "societal",
        "direct",
        "increase",
        base=5.6,
        area_sd=0.5,
        trend=0.005,
        noise_sd=0.1,
        lower=1.0,
        upper=9.0,
    ),
    IndicatorDef(
        "casusoverleggen",
        "Gezamenlijke casusoverleggen",
        "Joint case meetings",
        "aantal per maand",
        "network",
        "indirect",
        "increase",
        base=3.0,
        area_sd=0.8,
        trend=0.05,
        noise_sd=0.8,
        decimals=0,
    ),
    IndicatorDef(
        "doorverwijzingen-opgepakt",
        "Doorverwijzingen binnen twee weken opgepakt",
        "Referrals picked up within two weeks",
        "%",
        "network",
        "indirect",
        "increase",
        base=68.0,
        area_sd=5.0,
        trend=0.3,
        noise_sd=4.0,
        decimals=1,
        upper=100.0,
    ),
    IndicatorDef(
        "huurachterstanden",
        "Huurachterstanden van meer dan twee maanden",
        "Rent arrears of more than two months",
        "per 100 huurwoningen",
        "partner",
        "direct",
        "decrease",
        base=2.5,
        area_sd=0.5,
        trend=-0.01,
        noise_sd=0.3,
        partner_id="woonstichting-de-haven",
        proxy={
            "perspective": "partner",
            "value_eur": 5000.0,
            "low_eur": 2000.0,
            "high_eur": 10000.0,
            "source": _ILLUSTRATIVE
            + "circa 1.000 huurwoningen per buurt x EUR 500 incasso- en begeleidingskosten "
            "per achterstand.",
            "year": 2024,
        },
    ),
)

CONTEXTS = (
    ContextSpec(
        "social_cohesion",
        "scale",
        5.3,
        1.2,
        unit_sd=1.3,
        description="sociale samenhang in de buurt (0-10)",
    ),
    ContextSpec(
        "lives_alone", "binary", 0.35, 0.3, age_slope=0.2, description="alleenwonend (0/1)"
    ),
    ContextSpec(
        "social_housing",
        "binary",
        0.5,
        0.6,
        income_slope=-0.9,
        description="huurder van een corporatiewoning (0/1)",
    ),
)

OUTCOMES = (
    OutcomeSpec(
        "wellbeing",
        "continuous",
        "welzijn 0-10",
        base=5.4,
        area_sd=0.35,
        noise_sd=1.2,
        age_effect=0.15,
        income_effect=0.25,
        context_effects=(("social_cohesion", 0.15),),
    ),
    OutcomeSpec(
        "loneliness",
        "continuous",
        "eenzaamheid 0-10",
        base=4.3,
        area_sd=0.3,
        noise_sd=1.4,
        age_effect=0.1,
        income_effect=-0.15,
        context_effects=(("lives_alone", 1.0), ("social_cohesion", -0.1)),
    ),
    OutcomeSpec(
        "feels_safe",
        "binary",
        "voelt zich veilig in de buurt (0/1)",
        base=-0.2,
        area_sd=0.35,
        age_effect=-0.05,
        context_effects=(("social_cohesion", 0.12),),
    ),
    OutcomeSpec(
        "participates",
        "binary",
        "doet mee aan een bewonersinitiatief (0/1)",
        base=-1.6,
        area_sd=0.3,
        age_effect=0.05,
        income_effect=0.1,
        context_effects=(("social_cohesion", 0.1),),
    ),
    OutcomeSpec(
        "housing_arrears",
        "binary",
        "achterstand in woonlasten (0/1)",
        base=-1.3,
        area_sd=0.3,
        income_effect=-0.6,
        context_effects=(("social_housing", 0.3),),
    ),
)

_COH_HIGH = (
    "social_cohesion >= 6",
    "Buurten met veel sociale samenhang",
    "in buurten met veel sociale samenhang",
    "in buurten met weinig sociale samenhang",
)
_SOCIAL = (
    "social_housing == 1",
    "Huurders van een corporatiewoning",
    "bij huurders van een corporatiewoning",
    "bij bewoners met een koopwoning of particuliere huurwoning",
)
_WELL = ("hun welzijn stijgt", "Welzijn van bewoners (0-10)")
_LONELY = ("hun eenzaamheid afneemt", "Eenzaamheid van bewoners (0-10)")
_SAFE = (
    "meer bewoners zich veilig voelen in de buurt",
    "Bewoners die zich veilig voelen in de buurt (0/1)",
)

CMOS = (
    CMOSpec(
        "cmo-01",
        "context",
        "societal",
        "direct",
        *_COH_HIGH,
        "een vaste buurtcoach",
        "Vaste buurtcoach",
        "bewoners zich gehoord voelen en zelf initiatief nemen",
        "buurtcoach",
        "wellbeing",
        *_WELL,
        coef=0.8,
        confounder="age",
        confounding=0.4,
    ),
    CMOSpec(
        "cmo-02",
        "outside",
        "societal",
        "direct",
        "age >= 65",
        "Ouderen (65 jaar en ouder)",
        "bij ouderen",
        "bij bewoners jonger dan 65",
        "een wekelijkse ontmoetingsactiviteit in het buurthuis",
        "Wekelijkse ontmoetingsactiviteit in het buurthuis",
        "bewoners nieuwe contacten leggen en zich welkom voelen",
        "ontmoeting",
        "loneliness",
        *_LONELY,
        coef=-0.9,
    ),
    CMOSpec(
        "cmo-03",
        "nowhere",
        "societal",
        "direct",
        *_SOCIAL,
        "een wekelijks spreekuur van de wijkagent in het buurthuis",
        "Spreekuur van de wijkagent",
        "bewoners makkelijker melding maken en zich beschermd voelen",
        "wijkagent_spreekuur",
        "feels_safe",
        *_SAFE,
        coef=0.6,
    ),
    CMOSpec(
        "cmo-04",
        "context",
        "partner",
        "indirect",
        *_SOCIAL,
        "een gezamenlijk huisbezoek van corporatie, welzijn en gemeente achter de voordeur",
        "Gezamenlijk achter-de-voordeur-huisbezoek",
        "bewoners met betalingsproblemen vroeg hulp accepteren",
        "achter_de_voordeur",
        "housing_arrears",
        "minder bewoners een achterstand in hun woonlasten hebben",
        "Bewoners met een achterstand in woonlasten (0/1)",
        coef=-0.8,
        exposure_rate=0.35,
        confounder="income",
        confounding=-0.4,
    ),
    CMOSpec(
        "cmo-05",
        "outside",
        "societal",
        "direct",
        "social_cohesion < 5",
        "Buurten met weinig sociale samenhang",
        "in buurten met weinig sociale samenhang",
        "in buurten met veel sociale samenhang",
        "een bewonersbudget voor eigen initiatieven",
        "Bewonersbudget",
        "bewoners zich eigenaar voelen van hun buurt",
        "bewonersbudget",
        "participates",
        "meer bewoners meedoen aan een bewonersinitiatief",
        "Bewoners die meedoen aan een bewonersinitiatief (0/1)",
        coef=0.75,
    ),
    CMOSpec(
        "cmo-06",
        "context",
        "societal",
        "direct",
        "lives_alone == 1",
        "Alleenwonende bewoners",
        "bij alleenwonende bewoners",
        "bij bewoners die samenwonen",
        "een signalerend huisbezoek door vrijwilligers",
        "Signalerend huisbezoek door vrijwilligers",
        "bewoners zich gezien voelen en eerder hulp vragen",
        "huisbezoek",
        "loneliness",
        *_LONELY,
        coef=-1.0,
    ),
    CMOSpec(
        "cmo-07",
        "nowhere",
        "societal",
        "direct",
        "age < 30",
        "Jongeren (jonger dan 30)",
        "bij jongeren",
        "bij bewoners van 30 jaar en ouder",
        "straatgericht jongerenwerk",
        "Straatgericht jongerenwerk",
        "jongeren een vertrouwd aanspreekpunt hebben",
        "jongerenwerk",
        "wellbeing",
        *_WELL,
        coef=0.7,
    ),
    CMOSpec(
        "cmo-08",
        "outside",
        "network",
        "indirect",
        *_COH_HIGH,
        "een gezamenlijke wijkschouw van politie, corporatie, gemeente en bewoners",
        "Gezamenlijke wijkschouw",
        "partners problemen in de openbare ruimte samen en sneller oppakken",
        "wijkschouw",
        "feels_safe",
        *_SAFE,
        coef=0.7,
    ),
)

# The research agenda: four studies, one of which (the municipality's evaluation of the
# neighbourhood budget) asks two partners of the action research in the same months, and
# no study on the network's direct value.
STUDIES = (
    {
        "id": "realistische-evaluatie",
        "kind": "realist_evaluation",
        "question": (
            "Wat werkt in de wijkaanpak Noord, voor welke bewoners, in welke omstandigheden "
            "en waardoor?"
        ),
        "cells": [
            {"perspective": "societal", "form": "direct"},
            {"perspective": "network", "form": "indirect"},
        ],
        "configurations": ["cmo-01", "cmo-02", "cmo-03", "cmo-05", "cmo-06", "cmo-07", "cmo-08"],
        "collects": [
            {"table": "units", "groups": ["residents"]},
            {
                "table": "observations",
                "partners": ["gemeente-zuiderhaven", "politie-noord", "buurtcooperatie-noord"],
                "groups": ["residents"],
            },
        ],
        "period": {"start": "2022-07", "end": "2024-12"},
        "status": "running",
    },
    {
        "id": "wijkmonitor",
        "kind": "monitoring",
        "question": "Hoe ontwikkelen overlast, leefbaarheid en bewonersinitiatieven zich per buurt?",
        "cells": [{"perspective": "societal", "form": "direct"}],
        "collects": [
            {"table": "indicators", "partners": ["gemeente-zuiderhaven", "politie-noord"]}
        ],
        "period": {"start": "2022-07", "end": "2024-12"},
        "status": "running",
    },
    {
        "id": "actieonderzoek-huurachterstanden",
        "kind": "action_research",
        "question": (
            "Hoe kunnen wijkteam, corporaties en schuldhulp samen huurachterstanden eerder "
            "signaleren?"
        ),
        "cells": [
            {"perspective": "partner", "form": "direct"},
            {"perspective": "partner", "form": "indirect"},
        ],
        "configurations": ["cmo-04"],
        "collects": [
            {
                "table": "observations",
                "partners": [
                    "woonstichting-de-haven",
                    "noorderhuis-wonen",
                    "welzijn-noord",
                    "schuldhulpmaatje-zuiderhaven",
                ],
            }
        ],
        "period": {"start": "2023-09", "end": "2024-06"},
        "status": "finished",
    },
    {
        "id": "evaluatie-wijkbudget",
        "kind": "other",
        "question": "Wat levert het wijkbudget Noord op voor bewoners en partners?",
        "cells": [
            {"perspective": "societal", "form": "indirect"},
            {"perspective": "network", "form": "indirect"},
        ],
        "collects": [
            {
                "table": "observations",
                "partners": ["woonstichting-de-haven", "welzijn-noord", "buurthuis-de-schakel"],
            }
        ],
        "period": {"start": "2024-04", "end": "2025-03"},
        "status": "running",
    },
)

SPEC = NetworkSpec(
    id="wijk-noord",
    index=1,
    name="Wijknetwerk Leefbaar Noord",
    mission=(
        "De kwaliteit van leven van bewoners in Zuiderhaven-Noord samen verbeteren: een "
        "veilige, schone en levendige wijk waar bewoners meedoen en naar elkaar omkijken."
    ),
    task=(
        "Een wijkaanpak met één gezamenlijke werkwijze voor leefbaarheid, veiligheid en "
        "ondersteuning achter de voordeur."
    ),
    start="2022-07",
    months=30,
    wave_months=(1, 9, 17, 25),
    partners=PARTNERS,
    activities=(
        ("wijkoverleg", "network", 0.3),
        ("uitvoering-in-de-wijk", "societal", 0.55),
        ("eigen-organisatie", "partner", 0.15),
    ),
    events=EVENTS,
    broker="buurtcooperatie-noord",
    broker_wave=2,
    groups=("de bewonersgroepen", "de zorgaanbieders"),
    trust_event="Bezuiniging op het wijkbudget Noord",
    trust_wave=3,
    trust_drop=0.6,
    value_partner="welzijn-noord",
    indicators=INDICATORS,
    regions=(
        "Vogelwijk",
        "Havenkwartier",
        "Rozenhof",
        "Molenbuurt",
        "Kastanjepark",
        "Dijkzicht",
        "Nieuw-Noord",
        "Oeverlanden",
    ),
    its_indicator="overlastmeldingen",
    its_treated=("Vogelwijk", "Havenkwartier", "Rozenhof"),
    its_event="Start wijkteam Veilig Noord in Vogelwijk, Havenkwartier en Rozenhof",
    its_month=8,
    its_level=-1.5,
    its_slope=-0.06,
    unit_prefix="r",
    unit_label="bewoners",
    n_units=2200,
    areas_per_region=4,
    unit_wave_months=(4, 16, 28),
    age=(47.0, 18.0, 18, 92),
    contexts=CONTEXTS,
    outcomes=OUTCOMES,
    cmos=CMOS,
    theory_name="Programmatheorie Wijk Noord",
    theory_date="2022-06-15",
    monetisation={
        "deadweight": 0.25,
        "attribution": 0.4,
        "displacement": 0.1,
        "source": _ILLUSTRATIVE
        + "in een echte studie stellen de partners deze aandelen samen vast en onderbouwen ze.",
    },
    studies=STUDIES,
)
