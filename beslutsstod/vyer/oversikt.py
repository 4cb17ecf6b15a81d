"""Översikt: this year against the year before, as KPI cards with their change, and the months of both years.

``oversikt(s, f, riktning)`` → ``OversiktVy``, everything the page shows. In the protected view
(läsare) the cards and the monthly chart take their masking from the same crosstabs as
Vistelsekommuner (lasarvy.oversikt_skydd); in the detailed view nothing is hidden.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from beslutsstod import begrepp
from beslutsstod import talformat as fmt
from beslutsstod.diagram import grund as diagram_grund
from beslutsstod.regler import jamforelse, smatalsskydd
from beslutsstod.regler.intaktsantagande import EGNA_NIVAER
from beslutsstod.regler.lasarvy import OversiktSkydd
from beslutsstod.vyer.urval import Filter, Kort, Sammanhang

# The amount follows the direction (issue 11): its name is begrepp.RIKTNING_NAMN, its help here.
_REGEL = ("timmar enligt ersättningens grund × ersättningsnivån som gällde besöksdagen, med momskompensation "
          "till privata utförare när nivån är exklusive och avdragen för kommuner och egen regi när den är inklusive.")
BELOPP_HJALP = {
    "kostnad": "Beräknad kostnad: " + _REGEL,
    "intakt": "Beräknad intäkt (andra kommuners invånare hos oss): " + _REGEL,
    "netto": "Intäkt minus kostnad.",
}


def _andring(nu: float, fore: float, formatter) -> str | None:
    """`+12 345 kr (+3,1 %)`: the change against the year before, in the figure's unit and in %."""
    diff = nu - fore
    text = formatter(diff)
    if diff > 0 and not text.startswith("0"):  # a change that rounds to zero gets no sign
        text = "+" + text
    return f"{text} ({fmt.fmt_procent(diff / fore * 100, tecken=True)})"


def nyckeltal(rader: pd.DataFrame, ar: int, oppen_vy: bool, smatal_grans: int,
              riktning: str = "kostnad", jamforelse_text: str | None = None,
              skydd: "OversiktSkydd | None" = None, antagande: str | None = None) -> tuple[list[Kort], bool]:
    """KPI cards for `ar` from the rows of queries/oversikt/nyckeltal.sql.

    The value is what was registered; the change against the year before is computed on the
    months both years have (the query's *_jmf columns) when the frame has them, and
    ``jamforelse_text`` ("jämfört med samma 10 månader; mars saknas 2025") is added to its help.
    The first card is Kostnad, Intäkt or Netto after ``riktning``.
    Returns the cards and whether they are masked: in the open view a selection that describes
    fewer than `smatal_grans` persons (this year or the year before) shows `..` for every figure,
    since each figure then describes those few persons. `skydd` (the protected view's linked
    masking, lasarvy.oversikt_skydd) can hide the cards or the change against the year before.
    ``antagande`` (intaktsantagande.intakt_antagande: revenue priced by our own rates) labels the amount card
    itself, "Intäkt, beräknad med egna nivåer (antagande)", and is added to its help.
    """
    nu = rader.loc[rader["ar"] == ar].iloc[0]
    fore = rader.loc[rader["ar"] == ar - 1].iloc[0]
    masked = any(smatalsskydd.is_masked(r["antal_personer"], smatal_grans, oppen_vy=oppen_vy) for r in (nu, fore))
    masked = masked or bool(oppen_vy and skydd and skydd.kpi_dolda)
    jamfor = not (oppen_vy and skydd and skydd.jamforelse_dold)
    belopp = begrepp.RIKTNING_NAMN.get(riktning, begrepp.RIKTNING_NAMN["kostnad"])
    if masked:
        m = begrepp.MASK
        return ([Kort(e, m, None, smatalsskydd.footnote_sv(smatal_grans))
                 for e in (belopp, "Utförda timmar", "Personer", "Kommuner", begrepp.KR_PER_DEBITERAD_TIMME)], True)

    def card(etikett, kolumn, formatter, hjalp):
        jmf = f"{kolumn}_jmf" if f"{kolumn}_jmf" in rader.columns else kolumn
        a, b = nu[jmf], fore[jmf]
        comparable = jamfor and not pd.isna(a) and not pd.isna(b) and float(b) != 0
        andring = _andring(float(a), float(b), formatter) if comparable else None
        if jamforelse_text and andring is not None:
            hjalp += f" Förändringen är räknad {jamforelse_text}."
        return Kort(etikett, formatter(nu[kolumn]), andring, hjalp)

    tal = lambda x: fmt.fmt_tal(x)  # noqa: E731
    belopp_hjalp = BELOPP_HJALP.get(riktning, BELOPP_HJALP["kostnad"])
    belopp_kort = (card(f"{belopp}, {EGNA_NIVAER}", "kostnad_kr", fmt.fmt_kr, f"{belopp_hjalp} {antagande}")
                   if antagande else card(belopp, "kostnad_kr", fmt.fmt_kr, belopp_hjalp))
    return ([
        belopp_kort,
        card("Utförda timmar", "utford_timmar", lambda x: fmt.fmt_tal(x),
             f"Summa {begrepp.lank('utford-tid', 'utförd tid')} (direkt brukartid) i timmar."),
        card("Personer", "antal_personer", tal, "Antal olika personer (pseudonymer) med minst ett besök."),
        card("Kommuner", "antal_kommuner", tal, f"Antal olika {begrepp.lank('vistelsekommun', 'vistelsekommuner')} (vid intäkter: "
             f"{begrepp.lank('bosattningskommun', 'bosättningskommuner')})."),
        card(begrepp.KR_PER_DEBITERAD_TIMME, "kr_per_timme", lambda x: fmt.fmt_kr(x),
             f"Beräknad {belopp.lower()} delad med {begrepp.lank('debiterad-timme', 'debiterade timmar')} "
             f"({begrepp.lank('kr-per-debiterad-timme', 'Begrepp')})."),
    ], False)


def maskerade_manader(rader: pd.DataFrame, oppen_vy: bool, smatal_grans: int) -> set[tuple[int, int]]:
    """Months (ar, manad) to hide in the monthly chart of the open view.

    Each year is one line of a long table whose total (the year) is published in the KPI cards,
    so smatalsskydd.mask_long adds a second hidden month when only one describes too few persons.
    """
    dolda: set[tuple[int, int]] = set()
    for ar, grupp in rader.groupby("ar"):
        grupp = grupp.reset_index(drop=True)
        tabell = smatalsskydd.mask_long(grupp, persons_col="antal_personer", value_cols=["kostnad_kr"],
                                   smatal_grans=smatal_grans, oppen_vy=oppen_vy)
        dolda |= {(int(ar), int(m)) for m in grupp.loc[tabell.mask["kostnad_kr"], "manad"]}
    return dolda


@dataclass(frozen=True)
class OversiktVy:
    bildtext: str  # the period and the filters
    tomt: str | None  # the selection has no visits either year: the page says so and stops
    ofullstandigt: str | None = None  # the year lacks a month
    jamforelse: str | None = None  # what the changes compare
    kort: tuple[Kort, ...] = ()
    kort_fotnot: str | None = None  # the cards are masked
    antagande: str | None = None  # revenue priced by our own rates
    varning: str | None = None  # visits without a rate in force
    per_manad: go.Figure | None = None  # the months of both years
    per_manad_text: diagram_grund.Diagramtext | None = None  # the chart's summary and numbers
    per_manad_tomt: str | None = None  # said instead of the chart
    per_manad_fotnot: str | None = None  # months are hidden
    saknas_text: str | None = None  # explains "saknas" (months without registrations)


def oversikt(s: Sammanhang, f: Filter, riktning: str) -> OversiktVy:
    saknas = s.manader_utan_data()
    jmf = jamforelse.jamforbarhet((f.ar - 1, f.ar), f.till_manad, saknas)
    rader = s.fraga("oversikt/nyckeltal", f.params(riktning, till_manad=f.till_manad, jmf_manader=jmf.manader))
    bildtext = f"{f.period_text()}. {f.beskrivning()}."
    if int(rader["antal_besok"].sum()) == 0:
        return OversiktVy(bildtext, f"Urvalet har inga besök {f.ar - 1} eller {f.ar}: det finns inga belopp att visa. "
                                    "Ändra urvalet i sidopanelen.")
    skydd = s.oversikt_skydd(f, riktning, jmf.manader)  # the protected view's linked masking (None: detailed view)
    antagande = s.intakt_antagande(f, f.ar) if riktning == "intakt" else None
    kort, maskerat = nyckeltal(rader, f.ar, s.oppen_vy, s.smatal_grans, riktning, jmf.text(), skydd, antagande)
    ofullstandigt = jamforelse.ofullstandig(f.ar, f.till_manad, saknas)
    utan_niva = int(rader["antal_besok_utan_niva"].sum())

    manader = s.fraga("oversikt/kostnad_per_manad", f.params(riktning))
    dolda = set(skydd.dolda_manader) if skydd else maskerade_manader(manader, s.oppen_vy, s.smatal_grans)
    fotnot = smatalsskydd.footnote_sv(s.smatal_grans)
    return OversiktVy(
        bildtext, None,
        ofullstandigt=f"{f.ar}: {ofullstandigt}." if ofullstandigt else None,
        jamforelse=(f"Beloppen är det registrerade; förändringarna är räknade {jmf.text()} (en månad utan "
                    "registreringar räknas inte som noll).") if jmf.text() else None,
        kort=tuple(kort), kort_fotnot=fotnot if maskerat else None, antagande=antagande,
        varning=(f"{utan_niva} besök saknar en ersättningsnivå som gällde besöksdagen. Deras kostnad saknas i "
                 "summorna (den räknas inte som noll).") if utan_niva else None,
        per_manad=None if manader.empty else diagram_grund.kostnad_per_manad(manader, f.ar, dolda, saknas,
                                                                             begrepp.RIKTNING_NAMN[riktning]),
        per_manad_text=None if manader.empty else diagram_grund.beskriv(
            f"Stapeldiagram: {begrepp.RIKTNING_NAMN[riktning].lower()} per månad, {f.ar - 1} och {f.ar}",
            diagram_grund.kostnad_per_manad_punkter(manader, f.ar, dolda, saknas),
            saknas_text="saknas (inga tidsregistreringar eller besök utan ersättningsnivå)",
            namnform="{kategori} {serie}"),
        per_manad_tomt=f"Urvalet har inga besök {f.ar - 1} eller {f.ar}, så det finns inget att visa per månad."
        if manader.empty else None,
        per_manad_fotnot=fotnot if dolda else None,
        saknas_text=("saknas = månaden saknar tidsregistreringar helt (t.ex. ett avbrott i systemet). "
                     "Den visas som saknad, inte som noll.") if any(ar in (f.ar - 1, f.ar) for ar, _ in saknas) else None)
