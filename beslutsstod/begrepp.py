"""The product's vocabulary, defined once: the codes of the data contract and their Swedish labels.

Every page, table, chart, export and text takes its words from here, so a measure or a category has
one name everywhere. Codes are the values in the extracts (DESIGN.md's data contract); labels are
what a user reads. Lower-case forms are for running text ("kostnaden för hemtjänst i egen regi").
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Real

import pandas as pd

# --- codes of the data contract and their labels ---------------------------------------------------
INSATSER = ("hemtjanst", "kommunal_primarvard")
INSATS_NAMN = {"hemtjanst": "Hemtjänst", "kommunal_primarvard": "Kommunal primärvård"}
INSATS_TEXT = {k: v.lower() for k, v in INSATS_NAMN.items()}  # in running text

REGIER = ("egen_regi", "privat", "vistelsekommun")
REGI_NAMN = {"egen_regi": "Egen regi", "privat": "Privat (LOV/avtal)", "vistelsekommun": "Vistelsekommunen"}
REGI_TEXT = {"egen_regi": "egen regi", "privat": "privata utförare (LOV/avtal)", "vistelsekommun": "vistelsekommunen"}
REGI_OKAND = "okand"  # a visit whose utförare has no regi (no match in the utforare extract)
REGI_OKAND_NAMN = "Okänd regi"
MOMS_REGI = "privat"  # the only regi that receives momskompensation

RIKTNINGAR = {"kostnad": "Kostnader (våra invånare i andra kommuner)",
              "intakt": "Intäkter (andra kommuners invånare hos oss)"}
NETTO = "netto"  # the difference, offered where both directions can be added up (Kostnader, Vistelsekommuner)
RIKTNINGAR_MED_NETTO = {**RIKTNINGAR, NETTO: "Netto (intäkter minus kostnader)"}
RIKTNING_NAMN = {"kostnad": "Kostnad", "intakt": "Intäkt", NETTO: "Netto"}  # the amount's name per direction


def belopp_rubrik(riktning: str) -> str:
    """'Kostnad (kr)', 'Intäkt (kr)' or 'Netto (kr)': the amount's header follows the direction."""
    return f"{RIKTNING_NAMN.get(riktning, RIKTNING_NAMN['kostnad'])} (kr)"

# --- the words of every table ---------------------------------------------------------------------
TOTALT = "Totalt"  # the total row or column
MASK = ".."  # Kolada's code: a value withheld to protect individuals (small-number protection)
SAKNAS = "–"  # a value that does not exist (no data, a change from zero), never shown as 0

# --- the measures: one name and one unit each, on every page, in every export and text ------------
KR_TIM = "kr/tim"  # the one spelling of kronor per timme as a unit (never kr/h, kr/timme)
ERSATTNINGSNIVA = "Ersättningsnivå"  # the decided rate in kr/tim (a rate, not an outcome)
# Outcomes: the computed cost (or income) divided by hours. Two measures, since a rate may be paid per
# beviljad tid: per debiterad timme (the hours the rate pays for) and per utförd timme (the delivered
# hours of the visits that have a rate). They are equal when every rate is paid per utförd tid.
KR_PER_DEBITERAD_TIMME = "Kr per debiterad timme"
KR_PER_UTFORD_TIMME = "Kr per utförd timme"


def med_enhet(namn: str, enhet: str = KR_TIM) -> str:
    """A column heading with its unit: 'Ersättningsnivå (kr/tim)'."""
    return f"{namn} ({enhet})"


# The small-number threshold is the setting `smatal_grans` (installningar.py): groups of fewer
# persons than this are shown as MASK. Code names it `smatal_grans` everywhere.


def saknas(varde: object) -> bool:
    """The one missing-value test: None, NaN, pandas' NA/NaT; a string or a list is never missing."""
    if varde is None:
        return True
    if isinstance(varde, Real):
        return math.isnan(float(varde))
    try:
        return bool(pd.isna(varde))
    except (TypeError, ValueError):
        return False


# --- the glossary (the page Begrepp, sidor/begrepp.py) ------------------------------------------------
BEGREPP_SIDA = "begrepp"  # the page's url_path
ORDLISTA_INLEDNING = ("Orden som beslutsstödet använder, i bokstavsordning. Varje mått har ett namn och en enhet "
                      f"på alla sidor och i alla filer; ett belopp per timme skrivs {KR_TIM}.")


@dataclass(frozen=True)
class Begrepp:
    """One term of the glossary: its heading, its anchor on the page (begrepp#ankare), its explanation."""

    term: str
    ankare: str  # ASCII, lower case, hyphens: the heading's id on the page
    forklaring: str  # plain Swedish, one to three sentences (Markdown: a link to another term at most)


ORDLISTA: tuple[Begrepp, ...] = (
    Begrepp("Vistelsekommun", "vistelsekommun",
            "Den kommun där en person tillfälligt vistas, till exempel i ett fritidshus, och som då utför hemtjänst "
            "eller kommunal primärvård åt bosättningskommunen mot ersättning. På sidan Vistelsekommuner är det "
            "kommunerna som våra invånare vistas i."),
    Begrepp("Bosättningskommun", "bosattningskommun",
            "Den kommun där personen är folkbokförd. Den beslutar om insatserna och betalar vistelsekommunen för "
            "dem. Är vi bosättningskommun är beloppet en kostnad, är vi vistelsekommun en intäkt."),
    Begrepp("Utförd tid", "utford-tid",
            "Den tid som utföraren har registrerat för besöket, det vill säga den tid insatsen faktiskt tog."),
    Begrepp("Beviljad tid", "beviljad-tid",
            "Den tid som beslutet anger för besöket. En ersättningsnivå betalas antingen per utförd eller per "
            "beviljad tid (nivåns grund)."),
    Begrepp("Debiterad timme", "debiterad-timme",
            "En timme som ersättningen betalas för: utförd tid när nivån gäller per utförd tid, beviljad tid när "
            "den gäller per beviljad tid."),
    Begrepp(ERSATTNINGSNIVA, "ersattningsniva",
            f"Beloppet i kronor per timme ({KR_TIM}) som nämnden har beslutat att betala utföraren, per insats och "
            "ibland per regi, från ett visst datum. Anges exklusive eller inklusive momskompensation."),
    Begrepp(KR_PER_DEBITERAD_TIMME, "kr-per-debiterad-timme",
            "Beräknad kostnad (eller intäkt) delad med debiterade timmar: vad en timme i genomsnitt har kostat, "
            "momskompensation inräknad. Visas på Översikt och Kostnader över år."),
    Begrepp(KR_PER_UTFORD_TIMME, "kr-per-utford-timme",
            "Beräknad kostnad (eller intäkt) delad med utförda timmar, för besök som har en ersättningsnivå. Den "
            "skiljer sig från kr per debiterad timme när en nivå betalas per beviljad tid. Visas på Utförare."),
    Begrepp("Omsorgsprisindex (OPI)", "opi",
            "Sveriges Kommuner och Regioners prisindex för vård och omsorg: 80 % av lönekostnadsförändringen och "
            "20 % av KPI. Används för att räkna upp ersättningsnivåer och för att räkna om belopp till fasta priser."),
    Begrepp("Momskompensation", "momskompensation",
            "Ett påslag (normalt 6 %) som privata utförare får ovanpå en nivå som anges exklusive "
            "momskompensation, eftersom kommunen får tillbaka momsen. En kommun eller egen regi får det aldrig."),
    Begrepp(f"{MASK} (dolt värde)", "dolt",
            "Värdet visas inte för att skydda enskilda personer: färre personer än gränsen för små tal ingår, "
            "eller så skulle värdet gå att räkna ut ur andra värden. Tecknet kommer från Kolada."),
    Begrepp(f"{SAKNAS} (saknas)", "saknas",
            "Värdet finns inte: det saknas data för perioden, eller en förändring kan inte räknas eftersom "
            "jämförelsevärdet är noll. Det betyder inte 0."),
    Begrepp("Prognos", "prognos",
            "En beräkning av årets utfall för månader som ännu inte har data. Rak prognos förlänger årets "
            "genomsnitt per månad; säsongsprognos följer förra årets mönster för resten av året."),
    Begrepp("Regi", "regi",
            "Vem som driver verksamheten som utför insatsen: egen regi (kommunen själv), privat utförare (LOV "
            "eller avtal) eller vistelsekommunen."),
    Begrepp("Utförare", "utforare",
            "Den verksamhet som utför besöken, till exempel en hemtjänstgrupp i egen regi, ett privat företag "
            "eller en annan kommun."),
    Begrepp("Kostnad", "kostnad",
            "Vad vi betalar för våra invånare som får hemtjänst eller kommunal primärvård i en annan kommun, "
            "beräknat med ersättningsnivåerna."),
    Begrepp("Intäkt", "intakt",
            "Vad andra kommuner betalar oss för deras invånare som får insatser hos oss, beräknat med den "
            "betalande kommunens nivå när den finns och annars med våra egna nivåer (antagande)."),
    Begrepp("Netto", "netto",
            "Intäkter minus kostnader. Ett negativt netto betyder att vi betalar mer än vi får in."),
    Begrepp("Löpande priser", "lopande-priser",
            "Beloppen som de var det år de gäller, utan omräkning."),
    Begrepp("Fasta priser", "fasta-priser",
            "Beloppen omräknade med OPI till ett och samma års prisnivå, så att år kan jämföras utan att "
            "prisökningar syns som ökad kostnad."),
    Begrepp("Målår", "malar",
            "Det år som en ny ersättningsnivå ska gälla för i simulatorn Vad händer om?."),
    Begrepp("Volymunderlag", "volymunderlag",
            "De timmar som en ny nivå prövas på i simulatorn: ett helt års utfall eller innevarande år med "
            "prognos för resten av året."),
)
_ANKARE = {b.ankare: b for b in ORDLISTA}


def ordlista() -> list[Begrepp]:
    """The glossary in Swedish alphabetical order (å, ä, ö last), as the page shows it."""
    ordning = {c: i for i, c in enumerate("abcdefghijklmnopqrstuvwxyzåäö")}
    return sorted(ORDLISTA, key=lambda b: [ordning.get(c, -1) for c in b.term.lower() if c.isalnum()])


def lank(ankare: str, text: str | None = None) -> str:
    """A Markdown link to a term on the Begrepp page, for help texts: '[OPI](begrepp#opi)'.

    The address is relative, so it works under a base path too. An unknown anchor is a programming
    error and raises. The text is the product's own word, never user data.
    """
    if ankare not in _ANKARE:
        raise KeyError(f"Begreppet {ankare!r} finns inte i ordlistan")
    return f"[{text or _ANKARE[ankare].term}]({BEGREPP_SIDA}#{ankare})"
