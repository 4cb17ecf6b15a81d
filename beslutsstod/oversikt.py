"""Översikt: this year against the year before, as KPI cards with their change."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from beslutsstod import formatting as fmt


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
    if diff > 0:
        text = "+" + text
    return f"{text} ({fmt.fmt_procent(diff / fore * 100, tecken=True)})"


def nyckeltal(rader: pd.DataFrame, ar: int, oppen_vy: bool, smatal_grans: int) -> tuple[list[Nyckeltal], bool]:
    """KPI cards for `ar` from the rows of queries/oversikt/nyckeltal.sql.

    Returns the cards and whether they are masked: in the open view a selection that describes
    fewer than `smatal_grans` persons (this year or the year before) shows `..` for every figure,
    since each figure then describes those few persons.
    """
    nu = rader.loc[rader["ar"] == ar].iloc[0]
    fore = rader.loc[rader["ar"] == ar - 1].iloc[0]
    masked = oppen_vy and any(0 < int(r["antal_personer"]) < smatal_grans for r in (nu, fore))
    if masked:
        m = fmt.MASK
        return ([Nyckeltal(e, m, None, "Dolt: färre än %d personer." % smatal_grans)
                 for e in ("Kostnad", "Utförda timmar", "Personer", "Kommuner", "Kostnad per timme")], True)

    def card(etikett, kolumn, formatter, hjalp):
        comparable = not pd.isna(nu[kolumn]) and not pd.isna(fore[kolumn]) and float(fore[kolumn]) != 0
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
        card("Kostnad per timme", "kr_per_timme", lambda x: fmt.fmt_kr(x), "Beräknad kostnad delad med debiterade timmar."),
    ], False)


MASK_FOTNOT = (".. = dolt: uppgiften beskriver färre än {grans} personer, eller är dold för att ett "
               "dolt värde inte ska kunna räknas fram ur en summa.")


def maskerade_manader(rader: pd.DataFrame, oppen_vy: bool, smatal_grans: int) -> set[tuple[int, int]]:
    """Months (ar, manad) to hide in the monthly chart of the open view.

    A month describing 1..grans-1 persons is hidden; if only one month of a year is hidden, the
    next-smallest month is hidden too, so the year's total (shown in the KPI cards) minus the
    shown months does not give the hidden month's value.
    """
    if not oppen_vy:
        return set()
    dolda: set[tuple[int, int]] = set()
    for ar, grupp in rader.groupby("ar"):
        sma = grupp.loc[(grupp["antal_personer"] > 0) & (grupp["antal_personer"] < smatal_grans)]
        dolda |= {(int(ar), int(m)) for m in sma["manad"]}
        if len(sma) == 1 and len(grupp) > 1:
            ovriga = grupp.loc[~grupp["manad"].isin(sma["manad"])].sort_values(["antal_personer", "manad"])
            dolda.add((int(ar), int(ovriga.iloc[0]["manad"])))
    return dolda
