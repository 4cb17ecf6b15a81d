"""Översikt: this year against the year before, as KPI cards with their change."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from beslutsstod import talformat as fmt
from beslutsstod.regler import smatalsskydd
from beslutsstod.regler.lasarvy import OversiktSkydd
from beslutsstod.vyer.analys import EGNA_NIVAER

# The amount follows the direction (issue 11): what we pay, what we receive, or the difference.
BELOPP_ETIKETT = {"kostnad": "Kostnad", "intakt": "Intäkt", "netto": "Netto"}
_REGEL = ("timmar enligt ersättningens grund × ersättningsnivån som gällde besöksdagen, med momskompensation "
          "till privata utförare när nivån är exklusive och avdragen för kommuner och egen regi när den är inklusive.")
BELOPP_HJALP = {
    "kostnad": "Beräknad kostnad: " + _REGEL,
    "intakt": "Beräknad intäkt (andra kommuners invånare hos oss): " + _REGEL,
    "netto": "Intäkt minus kostnad.",
}


@dataclass(frozen=True)
class Nyckeltal:
    etikett: str
    varde: str
    andring: str | None  # "+12 345 kr (+3,1 %)" against the year before; None when not comparable
    hjalp: str


def _andring(nu: float, fore: float, formatter) -> str | None:
    """`+12 345 kr (+3,1 %)`: the change against the year before, in the figure's unit and in %."""
    diff = nu - fore
    text = formatter(diff)
    if diff > 0 and not text.startswith("0"):  # a change that rounds to zero gets no sign
        text = "+" + text
    return f"{text} ({fmt.fmt_procent(diff / fore * 100, tecken=True)})"


def nyckeltal(rader: pd.DataFrame, ar: int, oppen_vy: bool, smatal_grans: int,
              riktning: str = "kostnad", jamforelse_text: str | None = None,
              skydd: "OversiktSkydd | None" = None, antagande: str | None = None) -> tuple[list[Nyckeltal], bool]:
    """KPI cards for `ar` from the rows of queries/oversikt/nyckeltal.sql.

    The value is what was registered; the change against the year before is computed on the
    months both years have (the query's *_jmf columns) when the frame has them, and
    ``jamforelse_text`` ("jämfört med samma 10 månader; mars saknas 2025") is added to its help.
    The first card is Kostnad, Intäkt or Netto after ``riktning``.
    Returns the cards and whether they are masked: in the open view a selection that describes
    fewer than `smatal_grans` persons (this year or the year before) shows `..` for every figure,
    since each figure then describes those few persons. `skydd` (the protected view's linked
    masking, lasarvy.oversikt_skydd) can hide the cards or the change against the year before.
    ``antagande`` (analys.intakt_antagande: revenue priced by our own rates) labels the amount card
    itself, "Intäkt, beräknad med egna nivåer (antagande)", and is added to its help.
    """
    nu = rader.loc[rader["ar"] == ar].iloc[0]
    fore = rader.loc[rader["ar"] == ar - 1].iloc[0]
    masked = any(smatalsskydd.is_masked(r["antal_personer"], smatal_grans, oppen_vy=oppen_vy) for r in (nu, fore))
    masked = masked or bool(oppen_vy and skydd and skydd.kpi_dolda)
    jamfor = not (oppen_vy and skydd and skydd.jamforelse_dold)
    belopp = BELOPP_ETIKETT.get(riktning, "Kostnad")
    if masked:
        m = smatalsskydd.MASK_CODE
        return ([Nyckeltal(e, m, None, smatalsskydd.footnote_sv(smatal_grans))
                 for e in (belopp, "Utförda timmar", "Personer", "Kommuner", "Kr per timme")], True)

    def card(etikett, kolumn, formatter, hjalp):
        jmf = f"{kolumn}_jmf" if f"{kolumn}_jmf" in rader.columns else kolumn
        a, b = nu[jmf], fore[jmf]
        comparable = jamfor and not pd.isna(a) and not pd.isna(b) and float(b) != 0
        andring = _andring(float(a), float(b), formatter) if comparable else None
        if jamforelse_text and andring is not None:
            hjalp += f" Förändringen är räknad {jamforelse_text}."
        return Nyckeltal(etikett, formatter(nu[kolumn]), andring, hjalp)

    tal = lambda x: fmt.fmt_tal(x)  # noqa: E731
    belopp_hjalp = BELOPP_HJALP.get(riktning, BELOPP_HJALP["kostnad"])
    belopp_kort = (card(f"{belopp}, {EGNA_NIVAER}", "kostnad_kr", fmt.fmt_kr, f"{belopp_hjalp} {antagande}")
                   if antagande else card(belopp, "kostnad_kr", fmt.fmt_kr, belopp_hjalp))
    return ([
        belopp_kort,
        card("Utförda timmar", "utford_timmar", lambda x: fmt.fmt_tal(x), "Summa utförd tid (direkt brukartid) i timmar."),
        card("Personer", "antal_personer", tal, "Antal olika personer (pseudonymer) med minst ett besök."),
        card("Kommuner", "antal_kommuner", tal, "Antal olika vistelsekommuner (vid intäkter: bosättningskommuner)."),
        card("Kr per timme", "kr_per_timme", lambda x: fmt.fmt_kr(x),
             f"Beräknad {belopp.lower()} delad med debiterade timmar."),
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
                                   threshold=smatal_grans, oppen_vy=oppen_vy)
        dolda |= {(int(ar), int(m)) for m in grupp.loc[tabell.mask["kostnad_kr"], "manad"]}
    return dolda
