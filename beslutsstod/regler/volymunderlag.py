"""The simulator's volume basis: the hours of the volume year, today's rates, persons per group.

Hours are exact: minutes / 60 in Decimal. For a running year the months after the data (and
outage months) come from the year before, scaled by the seasonal forecast's level per insats
and basis (``prognosfaktorer``). "Today's rate" is the rate in force at the end of the volume
year, so "Kostnad med 2026 års nivå" means what it says; the own rate a scenario revises by OPI
is the one in force at the end of the year before the target year (``basnivaer``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable, Mapping, Sequence

import pandas as pd

from beslutsstod import begrepp
from beslutsstod.data import referens
from beslutsstod.regler import prognos
from beslutsstod.regler.nivaer import Niva, nivaer_per_insats
from beslutsstod.regler.opi import to_decimal
from beslutsstod.regler.perioder import VOLYMBAS_PROGNOS, manader_text
from beslutsstod.regler.simulator import BASES

MINUTER_PER_TIMME = Decimal(60)
DATAKALLA = "kommunens tidregistrering (besök)"


@dataclass(frozen=True)
class Underlag:
    """Everything the scenarios share: hours, today's rates, persons, notes."""

    timmar: pd.DataFrame  # insats, regi, vistelsekommun, manad, beviljad_timmar, utford_timmar (Decimal)
    volymar: int
    volymbas: str
    nuvarande: Mapping[str, Niva]  # in force at the end of the volume year
    basnivaer: Mapping[str, Niva]  # in force at the end of the year before the target year
    personer: Mapping
    noter: tuple[str, ...] = ()
    prognos_text: str | None = None  # the method; "{nivaer}" is filled with the levels that may be shown
    datakalla: str = DATAKALLA
    prognosnivaer: Mapping[str, float] = field(default_factory=dict)  # insats → level of utförd time

    @property
    def tomt(self) -> bool:
        return self.timmar.empty

    @property
    def insatser(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.timmar["insats"])) if not self.tomt else ()

    @property
    def kommuner(self) -> tuple[str, ...]:
        koder = set(self.timmar["vistelsekommun"]) if not self.tomt else set()
        return tuple(sorted(koder, key=referens.kommunnamn))

    @property
    def nuvarande_kr(self) -> dict[str, Decimal]:
        return {i: n.kr_per_timme for i, n in self.nuvarande.items()}

    @property
    def nuvarande_ingar(self) -> dict[str, bool]:
        """insats → today's rate is stated including momskompensation (the cost rule needs it)."""
        return {i: n.is_momskompensation_ingar for i, n in self.nuvarande.items()}

    def nuvarande_kr_exkl(self, momskompensation_procent: object) -> dict[str, Decimal]:
        """Today's rates restated excl. momskompensation (to öre): the basis new rates are stated on."""
        return {i: n.kr_exkl(momskompensation_procent) for i, n in self.nuvarande.items()}

    @property
    def grund(self) -> str:
        """The basis of today's rates (the most common one; utförd on a tie)."""
        grunder = [n.grund for i, n in self.nuvarande.items() if i in self.insatser] or ["utford"]
        return max(BASES, key=lambda g: (grunder.count(g), g == "utford"))


def personer_per_grupp(frame: pd.DataFrame) -> dict:
    """queries/simulator/personer.sql as {"totalt": n, "insats": {...}, "regi": …, "manad": {7: n}}."""
    out: dict = {"totalt": 0, "insats": {}, "regi": {}, "vistelsekommun": {}, "manad": {}}
    for r in frame.to_dict("records"):
        niva = r["niva"]
        if niva == "totalt":
            out["totalt"] = int(r["antal_personer"])
        elif niva in out and not begrepp.saknas(r[niva]):
            key = int(r[niva]) if niva == "manad" else str(r[niva])
            out[niva][key] = int(r["antal_personer"])
    return out


def prognosfaktorer(manadstimmar: pd.DataFrame, volymar: int, till_manad: int, prognos_manader: Sequence[int],
                    utan_data: set[tuple[int, int]]) -> tuple[dict[tuple[str, str], float], list[str]]:
    """(insats, 'beviljad'|'utford') → factor on the previous year's minutes of the forecast months.

    prognos.monthly_forecast gives the estimate per month (seasonal: level × the previous
    year's month); the factor is Σ estimates / Σ previous year over the forecast months, which
    for the seasonal method is exactly its level (this year / the previous year, same months).
    """
    faktorer: dict[tuple[str, str], float] = {}
    noter: list[str] = []
    for insats in dict.fromkeys(manadstimmar["insats"]):
        rows = manadstimmar[manadstimmar["insats"] == insats]
        for grund in BASES:
            col = f"{grund}_min"
            # A month without a row had no visits (0 h); only registration outages are missing.
            detta = {m: 0.0 for m in range(1, till_manad + 1) if (volymar, m) not in utan_data}
            forra = {m: 0.0 for m in range(1, 13) if (volymar - 1, m) not in utan_data}
            for r in rows.itertuples():
                if r.ar == volymar and int(r.manad) in detta:
                    detta[int(r.manad)] = float(getattr(r, col))
                elif r.ar == volymar - 1 and int(r.manad) in forra:
                    forra[int(r.manad)] = float(getattr(r, col))
            p = prognos.monthly_forecast(detta, [forra], till_manad, prognos.SEASONAL)
            manader = [m for m in prognos_manader if m in forra]
            bas = sum(forra[m] for m in manader)
            skattat = sum(p.estimates.get(m, math.nan) for m in manader)
            # With no hours the previous year in the forecast months there is nothing to scale: those
            # months add no hours (the pattern says none), and the method's notes do not apply.
            if bas > 0 and math.isfinite(skattat):
                faktorer[(insats, grund)] = skattat / bas
                if grund == "utford":
                    noter.extend(f"{begrepp.INSATS_NAMN.get(insats, insats)}: {n}" for n in p.notes)
    return faktorer, noter


def bygg_underlag(
    timunderlag: pd.DataFrame,
    personer: pd.DataFrame,
    nivaer_nu: pd.DataFrame,
    nivaer_bas: pd.DataFrame,
    *,
    volymar: int,
    volymbas: str,
    till_manad: int,
    prognos_manader: Sequence[int] = (),
    manadstimmar: pd.DataFrame | None = None,
    utan_data: Iterable[tuple[int, int]] = (),
    urval_text: str | None = None,
) -> Underlag:
    """The simulator's hours frame from queries/simulator/timunderlag.sql, with today's rates and persons.

    Rows of the previous year (is_prognosunderlag) are scaled by the seasonal forecast's factor
    per insats and basis. Rows without regi (unknown utförare) and insatser without a rate are
    left out, with a note.
    """
    utan_data = {(int(a), int(m)) for a, m in utan_data}
    nuvarande, noter = nivaer_per_insats(nivaer_nu)
    basnivaer, _ = nivaer_per_insats(nivaer_bas)
    rows = timunderlag.to_dict("records")
    utan_regi = sum(int(r["antal_besok"]) for r in rows if begrepp.saknas(r["regi"]))
    if utan_regi:
        noter.append(f"{utan_regi} besök saknar känd utförare (regi) och ingår inte i underlaget.")
    for insats in sorted({str(r["insats"]) for r in rows if str(r["insats"]) not in nuvarande}):
        noter.append(f"Ingen ersättningsnivå för {begrepp.INSATS_TEXT.get(insats, insats)} gällde i slutet av "
                     f"{volymar}; insatsen ingår inte i beräkningen.")
    faktorer: dict[tuple[str, str], float] = {}
    prognos_text = None
    med_prognos = volymbas == VOLYMBAS_PROGNOS and bool(prognos_manader)
    utfall_man = [m for m in range(1, till_manad + 1) if m not in prognos_manader]
    if med_prognos:
        if manadstimmar is None:
            raise ValueError("En prognos kräver timmar per månad för volymåret och året före (manadstimmar)")
        faktorer, prognos_noter = prognosfaktorer(manadstimmar, volymar, till_manad, prognos_manader, utan_data)
        noter.extend(prognos_noter)
        prognos_text = (f"Volymen {volymar} är utfallet {manader_text(utfall_man)} och en prognos för "
                        f"{manader_text(prognos_manader)}: {volymar - 1} års timmar samma månader gånger årets nivå "
                        f"jämfört med {volymar - 1}{{nivaer}}. " + prognos.method_explanation(prognos.SEASONAL))
    acc: dict[tuple, dict[str, Decimal]] = {}
    for r in rows:
        insats = str(r["insats"])
        if begrepp.saknas(r["regi"]) or insats not in nuvarande:
            continue
        key = (insats, str(r["regi"]), str(r["vistelsekommun"]), int(r["manad"]))
        a = acc.setdefault(key, {g: Decimal(0) for g in BASES})
        for g in BASES:
            timmar = Decimal(int(r[f"{g}_min"])) / MINUTER_PER_TIMME
            if bool(r["is_prognosunderlag"]):
                f = faktorer.get((insats, g))
                if f is None:
                    continue  # no level to scale by: noted by the forecast
                timmar *= to_decimal(f)
            a[g] += timmar
    frame = pd.DataFrame([{"insats": k[0], "regi": k[1], "vistelsekommun": k[2], "manad": k[3],
                           "beviljad_timmar": v["beviljad"], "utford_timmar": v["utford"]}
                          for k, v in sorted(acc.items())],
                         columns=["insats", "regi", "vistelsekommun", "manad", "beviljad_timmar", "utford_timmar"])
    saknas = sorted(m for a, m in utan_data if a == volymar and m not in prognos_manader and m <= till_manad)
    if saknas:
        noter.append(f"{manader_text(saknas, lang=True).capitalize()} {volymar} saknar tidsregistreringar helt; "
                     "de timmarna saknas i underlaget (de räknas inte som noll, men de ingår inte heller).")
    # the tjänsteskrivelse writes "Volymer: {datakalla}, {volymar}." — so no year here
    if med_prognos:
        datakalla = f"{DATAKALLA}, utfall {manader_text(utfall_man)} och prognos för {manader_text(prognos_manader)}"
    elif till_manad < 12:
        datakalla = f"{DATAKALLA}, utfall {manader_text(range(1, till_manad + 1))}"
    else:
        datakalla = f"{DATAKALLA}, utfall helår"
    if urval_text:
        datakalla += f" ({urval_text})"
    return Underlag(frame, volymar, volymbas, nuvarande, basnivaer, personer_per_grupp(personer), tuple(noter),
                    prognos_text, datakalla, {i: f for (i, g), f in faktorer.items() if g == "utford"})
