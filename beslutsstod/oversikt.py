"""Översikt: this year against the year before, as KPI cards with their change."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from beslutsstod import formatting as fmt, privacy
from beslutsstod.lasarvy import OversiktSkydd


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
              skydd: "OversiktSkydd | None" = None) -> tuple[list[Nyckeltal], bool]:
    """KPI cards for `ar` from the rows of queries/oversikt/nyckeltal.sql.

    Returns the cards and whether they are masked: in the open view a selection that describes
    fewer than `smatal_grans` persons (this year or the year before) shows `..` for every figure,
    since each figure then describes those few persons. `skydd` (the protected view's linked
    masking, lasarvy.oversikt_skydd) can hide the cards or the change against the year before.
    """
    nu = rader.loc[rader["ar"] == ar].iloc[0]
    fore = rader.loc[rader["ar"] == ar - 1].iloc[0]
    masked = any(privacy.is_masked(r["antal_personer"], smatal_grans, oppen_vy=oppen_vy) for r in (nu, fore))
    masked = masked or bool(oppen_vy and skydd and skydd.kpi_dolda)
    jamfor = not (oppen_vy and skydd and skydd.jamforelse_dold)
    if masked:
        m = privacy.MASK_CODE
        return ([Nyckeltal(e, m, None, privacy.footnote_sv(smatal_grans))
                 for e in ("Kostnad", "Utförda timmar", "Personer", "Kommuner", "Kr per timme")], True)

    def card(etikett, kolumn, formatter, hjalp):
        comparable = jamfor and not pd.isna(nu[kolumn]) and not pd.isna(fore[kolumn]) and float(fore[kolumn]) != 0
        andring = _andring(float(nu[kolumn]), float(fore[kolumn]), formatter) if comparable else None
        return Nyckeltal(etikett, formatter(nu[kolumn]), andring, hjalp)

    tal = lambda x: fmt.fmt_tal(x)  # noqa: E731
    return ([
        card("Kostnad", "kostnad_kr", fmt.fmt_kr,
             "Beräknad kostnad: timmar enligt ersättningens grund × ersättningsnivån som gällde besöksdagen, "
             "plus momskompensation till privata utförare när nivån är exklusive."),
        card("Utförda timmar", "utford_timmar", lambda x: fmt.fmt_tal(x), "Summa utförd tid (direkt brukartid) i timmar."),
        card("Personer", "antal_personer", tal, "Antal olika personer (pseudonymer) med minst ett besök."),
        card("Kommuner", "antal_kommuner", tal, "Antal olika vistelsekommuner (vid intäkter: bosättningskommuner)."),
        card("Kr per timme", "kr_per_timme", lambda x: fmt.fmt_kr(x), "Beräknad kostnad delad med debiterade timmar."),
    ], False)


def maskerade_manader(rader: pd.DataFrame, oppen_vy: bool, smatal_grans: int) -> set[tuple[int, int]]:
    """Months (ar, manad) to hide in the monthly chart of the open view.

    Each year is one line of a long table whose total (the year) is published in the KPI cards,
    so privacy.mask_long adds a second hidden month when only one describes too few persons.
    """
    dolda: set[tuple[int, int]] = set()
    for ar, grupp in rader.groupby("ar"):
        grupp = grupp.reset_index(drop=True)
        tabell = privacy.mask_long(grupp, persons_col="antal_personer", value_cols=["kostnad_kr"],
                                   threshold=smatal_grans, oppen_vy=oppen_vy)
        dolda |= {(int(ar), int(m)) for m in grupp.loc[tabell.mask["kostnad_kr"], "manad"]}
    return dolda
