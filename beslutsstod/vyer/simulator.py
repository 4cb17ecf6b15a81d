"""Glue for the page "Vad händer om?": query frames → simulator inputs, widget state ↔ Scenario.

No Streamlit here (the page holds the widgets). The flow of the page is
``period`` (which years the data allows) → ``bygg_underlag`` (the hours frame, today's rates,
persons per group, notes) → ``kontext`` (what a scenario may choose for the target year) →
``scenario_state`` / ``state_scenario`` (widget values ↔ ``simulator.Scenario``; the page keeps
each scenario in the URL with ``till_param`` / ``fran_param``) → ``berakna`` (every scenario's
result) → ``skydd`` (small-number protection of the open view) → the outputs
(``nyckeltal``, ``jamforelse_tabell``, ``kanslighet``, ``break_even``, ``efterreglering``,
``ekonomiska_konsekvenser``).

Years. The *volume year* (volymar) is the year whose hours are the basis: the last complete year
(outcome), or the running year (outcome so far + a seasonal forecast of the rest). "Today's
rate" is the rate in force at the end of the volume year, so "Kostnad med 2026 års nivå" means
what it says. The own rate that a scenario revises by OPI is the one in force at the end of the
year before the target year (the latest decided rate), so a rate already decided for a year
after the volume year is never ignored.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable, Mapping, Sequence

import pandas as pd

from beslutsstod import saker_text, talformat
from beslutsstod.data import referens
from beslutsstod.dokument import tjansteskrivelse as tj
from beslutsstod.regler import kostnadsregel, prognos, smatalsskydd
from beslutsstod.regler import simulator as sim
from beslutsstod.regler.nivaer import (
    INSATS_TEXT,
    ROUNDING_STEPS,
    ROUNDING_TEXT,
    PublishedRate,
    fmt_kr_sv,
    latest_published_rate,
    load_published_rates,
    published_rate,
)
from beslutsstod.regler.opi import RIMLIGT_OPI as RIMLIGT_OPI_PROCENT
from beslutsstod.regler.opi import (
    PublishedOpi,
    fmt_procent_sv,
    load_opi,
    opi_for_year,
    opi_from_components,
    preliminary_opi,
    to_decimal,
)

VOLYMBAS_PROGNOS = "prognos"
VOLYMBAS_UTFALL = "utfall"
# months of data: with fewer, the last complete year is the default basis, since a forecast
# from a few winter months says little about the summer peak of these stays
PROGNOS_MIN_MANADER = 6
MALAR_FRAMAT = 2  # target years offered: the year after the data's last year and the one after
OPI_SNITT_AR = 5  # published OPI years whose mean is the default assumption for a missing year
OPI_DECIMALER = Decimal("0.01")  # % : widgets return floats; keep two decimals (components have two)
KR_DECIMALER = Decimal("0.01")  # kr : an own amount is kept to öre
MINUTER_PER_TIMME = Decimal(60)
KANSLIGHET_OPI_PROCENT = tuple(Decimal(x) / 2 for x in range(0, 17))  # 0,0 … 8,0 % in steps of 0,5
KANSLIGHET_NIVA_ANDEL = tuple(Decimal(x) / 100 for x in range(85, 116, 5))  # 85 … 115 % of the new rate
BREAK_EVEN_ANDEL = tuple(Decimal(x) / 100 for x in range(50, 121, 5))  # cost per worked hour: 50 … 120 % of rate
EFTERREGLERING_AR = 2023  # the year whose OPI went from preliminary (3,5 %) to definitive (4,6 %)
MAX_SCENARIER = sim.MAX_SCENARIER

INSATS_RUBRIK = {i: t.capitalize() for i, t in INSATS_TEXT.items()}
OPI_VAL_TEXT = {
    "publicerat": "Publicerat värde",
    "eget": "Eget värde (känslighet)",
    "antagande": "Antaget värde",
    "komponenter": "Ur komponenter (SKR:s formel)",
}


# Plausible ranges of typed percentages (issue 11): a value outside gets a Swedish warning and is
# not used until the user confirms it (ui.tal_input).
RIMLIGT_OPI = RIMLIGT_OPI_PROCENT
RIMLIGT_MOMS = (0, 25)
RIMLIGT_VOLYM = (-90, 300)


def _tal_in(x: object, standard: object = 0) -> Decimal:
    """A widget's value (a typed Swedish number `3,5` or a number) as Decimal; unreadable → ``standard``.

    The page never computes a scenario with an unreadable value (ui.tal_input says so and stops it);
    the default only keeps the scenario's link well-formed meanwhile.
    """
    try:
        return talformat.parse_tal(x)
    except talformat.TalFel:
        return to_decimal(standard)


def _procent_in(x: object, standard: object = 0) -> Decimal:
    """A percentage from a widget as Decimal with at most two decimals: 2.8000000000000003 → 2.8."""
    d = _tal_in(x, standard).quantize(OPI_DECIMALER, rounding=ROUND_HALF_UP)
    return d.normalize() if d != d.to_integral_value() else d.quantize(Decimal(1))


def _kr_in(x: object, standard: object = 0) -> Decimal:
    d = _tal_in(x, standard).quantize(KR_DECIMALER, rounding=ROUND_HALF_UP)
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d


def _falt(x: object) -> str:
    """A value as an input field shows it: decimal comma (`3,5`)."""
    return talformat.fmt_inmatning(x)


def _manader(manader: Iterable[int], lang: bool = False) -> str:
    """'jan–okt' for a run of months, else 'mar, maj' ('mars' with lang)."""
    m = sorted(manader)
    if not m:
        return ""
    if len(m) >= 2 and m == list(range(m[0], m[-1] + 1)):
        return f"{talformat.manad_namn(m[0], lang)}–{talformat.manad_namn(m[-1], lang)}"
    return ", ".join(talformat.manad_namn(x, lang) for x in m)


# --------------------------------------------------------------------------- period


@dataclass(frozen=True)
class Period:
    """What the data allows: the last complete year, the running year and the target years.

    A year is complete when the data reaches December (the same rule as the global filters'
    ``till_manad``).
    """

    sista_datum: dt.date
    ar_med_data: tuple[int, ...]

    @property
    def senaste_hela_ar(self) -> int | None:
        ar = self.sista_datum.year if self.sista_datum.month == 12 else self.sista_datum.year - 1
        return ar if ar in self.ar_med_data else None

    @property
    def pagaende_ar(self) -> int | None:
        return self.sista_datum.year if self.sista_datum.month < 12 else None

    @property
    def pagaende_manader(self) -> int:
        """Months of the running year with data (0 when no year is running)."""
        return self.sista_datum.month if self.pagaende_ar is not None else 0

    @property
    def volymbaser(self) -> tuple[str, ...]:
        """The volume bases on offer, the default first."""
        prognos = self.pagaende_ar is not None and self.pagaende_ar - 1 in self.ar_med_data
        utfall = self.senaste_hela_ar is not None or self.pagaende_ar is not None
        val = [b for b, ok in ((VOLYMBAS_PROGNOS, prognos), (VOLYMBAS_UTFALL, utfall)) if ok]
        if prognos and self.pagaende_manader < PROGNOS_MIN_MANADER and self.senaste_hela_ar is not None:
            val.reverse()
        return tuple(val)

    @property
    def malar(self) -> tuple[int, ...]:
        return tuple(self.sista_datum.year + i for i in range(1, MALAR_FRAMAT + 1))

    def volymar(self, bas: str) -> int:
        if bas == VOLYMBAS_PROGNOS or self.senaste_hela_ar is None:
            return self.pagaende_ar
        return self.senaste_hela_ar

    def till_manad(self, bas: str) -> int:
        """Last month of the volume year whose outcome is read (12 for a complete year)."""
        return self.pagaende_manader if self.volymar(bas) == self.pagaende_ar else 12

    def text(self, bas: str) -> str:
        """The option's label: 'Prognos helår 2026 (utfall jan–okt + prognos)'."""
        ar = self.volymar(bas)
        if bas == VOLYMBAS_PROGNOS:
            return f"Prognos helår {ar} (utfall {_manader(range(1, self.pagaende_manader + 1))} + prognos)"
        if ar == self.senaste_hela_ar:
            return f"Utfall {ar} (senaste hela året)"
        return f"Utfall {_manader(range(1, self.pagaende_manader + 1))} {ar} (inte ett helt år)"

    def prognos_manader(self, bas: str, utan_data: Iterable[tuple[int, int]] = ()) -> list[int]:
        """Months of the volume year a forecast estimates: after the data, and outage months before."""
        if bas != VOLYMBAS_PROGNOS:
            return []
        ar, till = self.volymar(bas), self.till_manad(bas)
        avbrott = {m for (a, m) in utan_data if a == ar and m <= till}
        return sorted(set(range(till + 1, 13)) | avbrott)


def ar_manader(frame: pd.DataFrame) -> list[tuple[int, int]]:
    """(ar, manad) pairs of a frame such as filter/manader_utan_data."""
    return [(int(a), int(m)) for a, m in zip(frame["ar"], frame["manad"])]


def urval_utan_ar(beskrivning: str) -> str:
    """The global filters in words without the year (this page chooses its own years)."""
    return beskrivning.split("; ", 1)[1] if "; " in beskrivning else beskrivning


def period(sista_datum: object, ar_lista: Iterable[int]) -> Period:
    """Period from filter/datatackning (its sista_datum and ar_lista)."""
    return Period(pd.Timestamp(sista_datum).date(), tuple(int(a) for a in ar_lista))


# --------------------------------------------------------------------------- rates in force


@dataclass(frozen=True)
class Niva:
    """The one rate per insats the simulator uses (kr per hour, excl. momskompensation)."""

    insats: str
    kr_per_timme: Decimal
    grund: str
    kalla: str
    beslut: str
    is_preliminar: bool
    is_momskompensation_ingar: bool
    giltig_fran: dt.date | None = None

    def kr_exkl(self, momskompensation_procent: object) -> Decimal:
        """The rate excl. momskompensation, to öre: 530,00 incl. at 6 % → 500,00 (the cost rule)."""
        return kostnadsregel.avrunda_kr(kostnadsregel.exklusive(self.kr_per_timme, self.is_momskompensation_ingar,
                                                                momskompensation_procent))

    @property
    def kalltext(self) -> str:
        """'Publicerad: VästKom styrelse; VästKom styrelse 2019-04-02' (source and decision)."""
        delar = [d for d in (self.kalla, self.beslut) if d]
        return "; ".join(dict.fromkeys(delar)) or "ersättningsnivåtabellen"


def _text(x: object) -> str:
    return "" if x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA else str(x)


def _is_null(x: object) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))


def nivaer_per_insats(frame: pd.DataFrame) -> tuple[dict[str, Niva], list[str]]:
    """One rate per insats from simulator/ersattningsnivaer, and notes when regi rates differ.

    The rate for all regi (regi null) is used; an insats with only regi-specific rates uses
    the first of them. A regi-specific rate that differs is named in a note: the simulator
    counts with one rate per insats.
    """
    out: dict[str, Niva] = {}
    noter: list[str] = []
    for insats, grupp in frame.groupby("insats", sort=False):
        rows = grupp.to_dict("records")
        generell = [r for r in rows if _is_null(r["regi"])]
        r = (generell or rows)[0]
        niva = Niva(str(insats), _kr_in(r["kr_per_timme"]), str(r["grund"]), _text(r["kalla"]), _text(r["beslut"]),
                    bool(r["is_preliminar"]), bool(r["is_momskompensation_ingar"]),
                    pd.Timestamp(r["giltig_fran"]).date() if not _is_null(r["giltig_fran"]) else None)
        out[str(insats)] = niva
        for o in rows:
            annan = _kr_in(o["kr_per_timme"])
            if o is not r and annan != niva.kr_per_timme:
                regi = "alla regier" if _is_null(o["regi"]) else sim.REGI_TEXT.get(str(o["regi"]), str(o["regi"]))
                noter.append(f"För {INSATS_TEXT.get(str(insats), insats)} gäller {fmt_kr_sv(annan)} för {regi}; "
                             f"simulatorn räknar med en nivå per insats, {fmt_kr_sv(niva.kr_per_timme)}.")
        if niva.is_momskompensation_ingar:
            noter.append(f"Nivån för {INSATS_TEXT.get(str(insats), insats)} anges inklusive momskompensation. "
                         "Kostnaden i dag räknas som i uppföljningen: privata utförare får nivån som den står, "
                         "kommuner och egen regi nivån med momskompensationen avdragen. Nya nivåer anges exklusive "
                         "momskompensation och räknas upp från den avdragna nivån.")
    return out, noter


def insatser_med_niva(nivaer: pd.DataFrame, valda: Sequence[str]) -> list[str]:
    """The insatser to read hours for: the chosen ones (all when none is chosen) that have a rate."""
    med = list(dict.fromkeys(str(i) for i in nivaer["insats"]))
    return [i for i in med if not valda or i in valda]


# --------------------------------------------------------------------------- volume basis


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
    prognos_text: str | None = None  # the method; "{nivaer}" is filled by prognos_beskrivning
    datakalla: str = "kommunens tidregistrering (besök)"
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
        return max(sim.BASES, key=lambda g: (grunder.count(g), g == "utford"))


def _personer(frame: pd.DataFrame) -> dict:
    out: dict = {"totalt": 0, "insats": {}, "regi": {}, "vistelsekommun": {}, "manad": {}}
    for r in frame.to_dict("records"):
        niva = r["niva"]
        if niva == "totalt":
            out["totalt"] = int(r["antal_personer"])
        elif niva in out and not _is_null(r[niva]):
            key = int(r[niva]) if niva == "manad" else str(r[niva])
            out[niva][key] = int(r["antal_personer"])
    return out


def _prognosfaktorer(manadstimmar: pd.DataFrame, volymar: int, till_manad: int, prognos_manader: Sequence[int],
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
        for grund in sim.BASES:
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
                    noter.extend(f"{INSATS_RUBRIK.get(insats, insats)}: {n}" for n in p.notes)
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
    """The simulator's hours frame from simulator/timunderlag, with today's rates and persons.

    Hours are exact: minutes / 60 in Decimal. Rows of the previous year (is_prognosunderlag)
    are scaled by the seasonal forecast's factor per insats and basis (``_prognosfaktorer``).
    Rows without regi (unknown utförare) and insatser without a rate are left out, with a note.
    """
    utan_data = {(int(a), int(m)) for a, m in utan_data}
    nuvarande, noter = nivaer_per_insats(nivaer_nu)
    basnivaer, _ = nivaer_per_insats(nivaer_bas)
    rows = timunderlag.to_dict("records")
    utan_regi = sum(int(r["antal_besok"]) for r in rows if _is_null(r["regi"]))
    if utan_regi:
        noter.append(f"{utan_regi} besök saknar känd utförare (regi) och ingår inte i underlaget.")
    utan_niva = sorted({str(r["insats"]) for r in rows if str(r["insats"]) not in nuvarande})
    for insats in utan_niva:
        noter.append(f"Ingen ersättningsnivå för {INSATS_TEXT.get(insats, insats)} gällde i slutet av {volymar}; "
                     "insatsen ingår inte i beräkningen.")
    faktorer: dict[tuple[str, str], float] = {}
    prognos_text = None
    if volymbas == VOLYMBAS_PROGNOS and prognos_manader:
        if manadstimmar is None:
            raise ValueError("En prognos kräver timmar per månad för volymåret och året före (manadstimmar)")
        faktorer, prognos_noter = _prognosfaktorer(manadstimmar, volymar, till_manad, prognos_manader, utan_data)
        noter.extend(prognos_noter)
        utfall_man = [m for m in range(1, till_manad + 1) if m not in prognos_manader]
        prognos_text = (f"Volymen {volymar} är utfallet {_manader(utfall_man)} och en prognos för "
                        f"{_manader(prognos_manader)}: {volymar - 1} års timmar samma månader gånger årets nivå "
                        f"jämfört med {volymar - 1}{{nivaer}}. " + prognos.method_explanation(prognos.SEASONAL))
    acc: dict[tuple, dict[str, Decimal]] = {}
    for r in rows:
        insats = str(r["insats"])
        if _is_null(r["regi"]) or insats not in nuvarande:
            continue
        key = (insats, str(r["regi"]), str(r["vistelsekommun"]), int(r["manad"]))
        a = acc.setdefault(key, {g: Decimal(0) for g in sim.BASES})
        for g in sim.BASES:
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
        noter.append(f"{_manader(saknas, lang=True).capitalize()} {volymar} saknar tidsregistreringar helt; "
                     "de timmarna saknas i underlaget (de räknas inte som noll, men de ingår inte heller).")
    # build_section writes "Volymer: {datakalla}, {volymar}." — so no year here
    if volymbas == VOLYMBAS_PROGNOS and prognos_manader:
        datakalla = (f"kommunens tidregistrering (besök), utfall "
                     f"{_manader([m for m in range(1, till_manad + 1) if m not in prognos_manader])} "
                     f"och prognos för {_manader(prognos_manader)}")
    elif till_manad < 12:
        datakalla = f"kommunens tidregistrering (besök), utfall {_manader(range(1, till_manad + 1))}"
    else:
        datakalla = "kommunens tidregistrering (besök), utfall helår"
    if urval_text:
        datakalla += f" ({urval_text})"
    return Underlag(frame, volymar, volymbas, nuvarande, basnivaer, _personer(personer), tuple(noter),
                    prognos_text, datakalla, {i: f for (i, g), f in faktorer.items() if g == "utford"})


# --------------------------------------------------------------------------- what a scenario may choose


@dataclass(frozen=True)
class Kontext:
    """The target year and the data the scenario inputs are drawn from."""

    malar: int
    volymar: int
    insatser: tuple[str, ...]
    basnivaer: Mapping[str, Niva]
    nuvarande: Mapping[str, Niva]
    kommuner: tuple[str, ...]
    grund: str
    momskompensation_procent: Decimal
    published_rates: tuple[PublishedRate, ...]
    published_opi: Mapping[int, PublishedOpi]

    @property
    def basar(self) -> int:
        """The year of the own rate a scenario revises: the year before the target year."""
        return self.malar - 1


def kontext(underlag: Underlag, malar: int, momskompensation_procent: object = sim.MOMSKOMPENSATION_PROCENT,
            published_rates: Sequence[PublishedRate] | None = None,
            published_opi: Mapping[int, PublishedOpi] | None = None) -> Kontext:
    if malar <= underlag.volymar:
        raise ValueError(f"Målåret {malar} måste ligga efter volymåret {underlag.volymar}")
    return Kontext(
        malar, underlag.volymar, underlag.insatser, dict(underlag.basnivaer), dict(underlag.nuvarande),
        underlag.kommuner, underlag.grund, to_decimal(momskompensation_procent),
        tuple(published_rates if published_rates is not None else load_published_rates()),
        published_opi if published_opi is not None else load_opi())


def _vastkom(k: Kontext, insats: str) -> PublishedRate | None:
    return latest_published_rate(insats, k.malar, k.published_rates, only_vastkom=True)


def modellval(k: Kontext, insats: str) -> list[str]:
    """The rate models on offer for insats in the target year, the default first."""
    val = []
    if published_rate(k.malar, insats, k.published_rates) is not None:
        val.append("publicerad")
    if insats in k.basnivaer:
        val.append("egen")
    if _vastkom(k, insats) is not None:
        val.append("senaste_plus_opi")
    val.append("egen_summa")
    return val


def modell_etikett(k: Kontext, insats: str, modell: str) -> str:
    """The option label, with the amount and year it starts from."""
    if modell == "egen":
        n = k.basnivaer[insats]
        return f"Egen nivå {fmt_kr_sv(n.kr_per_timme)} ({k.basar}) + OPI"
    if modell == "senaste_plus_opi":
        r = _vastkom(k, insats)
        suffix = " – antagande" if r.ar < k.malar else ""
        return f"VästKoms senaste rekommendation {fmt_kr_sv(r.kr_per_timme)} ({r.ar}) + OPI{suffix}"
    if modell == "publicerad":
        r = published_rate(k.malar, insats, k.published_rates)
        return f"Publicerad nivå {k.malar}: {fmt_kr_sv(r.kr_per_timme)} ({r.kalla})"
    return "Eget belopp"


def _startar(k: Kontext, insats: str, modell: str) -> int | None:
    """The year a model's OPI chain starts from (its base year), None when it uses no OPI."""
    if modell == "egen":
        return k.basar
    if modell == "senaste_plus_opi":
        r = _vastkom(k, insats)
        return r.ar if r is not None else None
    return None


def opi_ar(k: Kontext, modeller: Mapping[str, str]) -> list[int]:
    """The years whose OPI the chosen models need (base year + 1 … target year)."""
    years: set[int] = set()
    for insats, modell in modeller.items():
        start = _startar(k, insats, modell)
        if start is not None:
            years |= set(range(start + 1, k.malar + 1))
    return sorted(years)


def _alla_opi_ar(k: Kontext) -> list[int]:
    """Every OPI year any offered model could need (the page may draw any of their inputs)."""
    return sorted({y for i in k.insatser for m in modellval(k, i) for y in opi_ar(k, {i: m})})


def standard_opi(k: Kontext) -> tuple[Decimal, str]:
    """Default assumed OPI for a year missing from opi.csv: mean of the last published years, 0,1."""
    years = sorted(k.published_opi)[-OPI_SNITT_AR:]
    if not years:
        return Decimal("3"), "inget publicerat OPI finns i referensdata"
    mean = sum((k.published_opi[y].opi_procent for y in years), Decimal(0)) / len(years)
    value = mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return value, f"genomsnittet av publicerat OPI {years[0]}–{years[-1]}"


def standard_komponenter(k: Kontext) -> tuple[Decimal, Decimal]:
    """Default components (summa lönekostnadsförändring %, KPI %): means of the last published ones."""
    rows = [r for y, r in sorted(k.published_opi.items())
            if r.summa_lonekostnadsforandring is not None and r.kpi is not None][-OPI_SNITT_AR:]
    if not rows:
        return Decimal("3"), Decimal("2")
    n = len(rows)
    q = Decimal("0.01")
    return (sum((r.summa_lonekostnadsforandring for r in rows), Decimal(0)) / n).quantize(q, ROUND_HALF_UP), \
        (sum((r.kpi for r in rows), Decimal(0)) / n).quantize(q, ROUND_HALF_UP)


@dataclass(frozen=True)
class OpiFalt:
    """One OPI year the scenario needs: published (shown) or an input (assumed / components)."""

    ar: int
    publicerat: PublishedOpi | None
    val: tuple[str, ...]  # radio options; () = published, only shown

    @property
    def etikett(self) -> str:
        return f"OPI {self.ar}"

    @property
    def text(self) -> str:
        p = self.publicerat
        if p is None:
            return (f"OPI {self.ar} är inte publicerat i referensdata (opi.csv): ange ett antagande eller "
                    "komponenterna.")
        return f"OPI {self.ar}: {fmt_procent_sv(p.opi_procent)}, {p.status} (källa: {p.kalla})."


def opi_falt(k: Kontext, modeller: Mapping[str, str]) -> list[OpiFalt]:
    out = []
    for y in opi_ar(k, modeller):
        p = k.published_opi.get(y)
        if p is None:
            val = ("antagande", "komponenter")
        elif y == k.malar:
            val = ("publicerat", "eget")
        else:
            val = ()
        out.append(OpiFalt(y, p, val))
    return out


def komponent_text(lon: object, kpi: object) -> str:
    """'0,8 × 2,77 % + 0,2 × 1,40 % = 2,496 → 2,5 %' for the components input."""
    lon_d, kpi_d = _procent_in(lon), _procent_in(kpi)
    raw = Decimal("0.8") * lon_d + Decimal("0.2") * kpi_d
    return (f"0,8 × {fmt_procent_sv(lon_d, 2)} + 0,2 × {fmt_procent_sv(kpi_d, 2)} = "
            f"{talformat.fmt_tal(float(raw), 3)} → OPI {fmt_procent_sv(opi_from_components(lon_d, kpi_d))}")


# --------------------------------------------------------------------------- widget keys and state


class Nycklar:
    """Widget keys of one scenario: 'simulator_s1_opi_2027' etc."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def _k(self, *parts: object) -> str:
        return "_".join([self.prefix, *map(str, parts)])

    namn = property(lambda self: self._k("namn"))
    avrundning = property(lambda self: self._k("avrundning"))
    grund = property(lambda self: self._k("grund"))
    moms = property(lambda self: self._k("moms"))
    volym = property(lambda self: self._k("volym"))
    volym_kommuner = property(lambda self: self._k("volym", "kommuner"))

    def modell(self, insats: str) -> str:
        return self._k("modell", insats)

    def belopp(self, insats: str) -> str:
        return self._k("belopp", insats)

    def opi_val(self, ar: int) -> str:
        return self._k("opi", ar, "val")

    def opi(self, ar: int) -> str:
        return self._k("opi", ar)

    def opi_lon(self, ar: int) -> str:
        return self._k("opi", ar, "lon")

    def opi_kpi(self, ar: int) -> str:
        return self._k("opi", ar, "kpi")

    def volym_kommun(self, kod: str) -> str:
        return self._k("volym", kod)


def standardmodell(k: Kontext, insats: str) -> str:
    return modellval(k, insats)[0]


def standardscenarier(k: Kontext) -> list[sim.Scenario]:
    """Three defaults: own rate + OPI; VästKom's last recommendation + OPI; own rate on the other basis."""
    opi, opi_text = standard_opi(k)
    moms = k.momskompensation_procent

    def scen(namn: str, modeller: dict[str, str], grund: str) -> sim.Scenario:
        antag = {y: opi for y in opi_ar(k, modeller) if y not in k.published_opi}
        return sim.Scenario(namn, k.malar, {i: sim.RateModel(m) if m != "egen_summa" else
                                            sim.RateModel(m, belopp_kr=_standard_belopp(k, i))
                                            for i, m in modeller.items()},
                            grund=grund, nuvarande_grund=k.grund, momskompensation_procent=moms,
                            opi_antaganden=antag,
                            opi_antaganden_kalla={y: f"antagande valt av produkten: {opi_text}" for y in antag})

    egen = {i: standardmodell(k, i) for i in k.insatser}
    vastkom = {i: "senaste_plus_opi" if "senaste_plus_opi" in modellval(k, i) else standardmodell(k, i)
               for i in k.insatser}
    andra = "beviljad" if k.grund == "utford" else "utford"
    return [
        scen("Egen nivå + OPI", egen, k.grund),
        scen("VästKoms senaste + OPI (antagande)", vastkom, k.grund),
        scen(f"Egen nivå + OPI, per {sim.BASIS_TEXT[andra]} timme", egen, andra),
    ]


def _standard_belopp(k: Kontext, insats: str) -> Decimal:
    n = k.basnivaer.get(insats) or k.nuvarande.get(insats)
    return n.kr_exkl(k.momskompensation_procent) if n is not None else Decimal(0)


def scenario_state(scn: sim.Scenario, k: Kontext, prefix: str) -> tuple[dict[str, object], list[str]]:
    """Widget key → value for a scenario (every key the page may draw), and notes on what was changed.

    A model that the target year does not offer (a link made for another year) becomes the
    default model, with a note.
    """
    n = Nycklar(prefix)
    state: dict[str, object] = {n.namn: scn.namn}
    noter: list[str] = []
    for insats in k.insatser:
        m = scn.modeller.get(insats)
        val = modellval(k, insats)
        modell = m.modell if m is not None else standardmodell(k, insats)
        if modell not in val:
            text = sim.RATE_MODEL_TEXT.get(modell, modell)
            noter.append(f"{INSATS_RUBRIK.get(insats, insats)}: modellen ”{text}” "
                         f"finns inte för {k.malar}; {modell_etikett(k, insats, val[0]).lower()} används i stället.")
            modell = val[0]
        state[n.modell(insats)] = modell
        belopp = m.belopp_kr if m is not None and m.modell == "egen_summa" else _standard_belopp(k, insats)
        state[n.belopp(insats)] = _falt(belopp)
    opi, _ = standard_opi(k)
    lon, kpi = standard_komponenter(k)
    override = next((m.opi_procent for m in scn.modeller.values() if m.opi_procent is not None), None)
    for y in _alla_opi_ar(k):
        p = k.published_opi.get(y)
        value, val = (p.opi_procent if p is not None else opi), ("publicerat" if p is not None else "antagande")
        y_lon, y_kpi = lon, kpi
        if y in scn.opi_komponenter and p is None:
            val = "komponenter"
            y_lon, y_kpi = scn.opi_komponenter[y]
        elif y in scn.opi_antaganden and p is None:
            value = scn.opi_antaganden[y]
        if y == k.malar and override is not None:
            value, val = override, ("eget" if p is not None else "antagande")
        state[n.opi_val(y)] = val
        state[n.opi(y)] = _falt(value)
        state[n.opi_lon(y)] = _falt(y_lon)
        state[n.opi_kpi(y)] = _falt(y_kpi)
    state[n.avrundning] = scn.avrundning
    state[n.grund] = scn.grund
    state[n.moms] = _falt(scn.momskompensation_procent)
    state[n.volym] = _falt(scn.volymforandring_procent)
    valda = [kod for kod in scn.volymforandring_per_vistelsekommun if kod in k.kommuner]
    utanfor = [kod for kod in scn.volymforandring_per_vistelsekommun if kod not in k.kommuner]
    if utanfor:
        noter.append("Volymförändring för " + ", ".join(referens.kommunnamn(x) for x in utanfor)
                     + " används inte: kommunen finns inte i underlaget.")
    state[n.volym_kommuner] = valda
    for kod in k.kommuner:
        state[n.volym_kommun(kod)] = _falt(scn.volymforandring_per_vistelsekommun.get(kod, Decimal(0)))
    return state, noter


def state_scenario(state: Mapping[str, object], k: Kontext, prefix: str) -> sim.Scenario:
    """The Scenario the widgets describe (only the OPI years the chosen models need are kept)."""
    n = Nycklar(prefix)
    modeller: dict[str, sim.RateModel] = {}
    for insats in k.insatser:
        modell = state.get(n.modell(insats))
        if modell not in modellval(k, insats):
            modell = standardmodell(k, insats)
        if modell == "egen_summa":
            modeller[insats] = sim.RateModel("egen_summa", belopp_kr=_kr_in(state.get(n.belopp(insats), 0)))
        else:
            modeller[insats] = sim.RateModel(modell)
    antaganden: dict[int, Decimal] = {}
    kallor: dict[int, str] = {}
    komponenter: dict[int, tuple[Decimal, Decimal]] = {}
    opi, opi_text = standard_opi(k)
    for falt in opi_falt(k, {i: m.modell for i, m in modeller.items()}):
        if not falt.val:
            continue
        val = state.get(n.opi_val(falt.ar))
        val = val if val in falt.val else falt.val[0]
        if val == "antagande":
            antaganden[falt.ar] = _procent_in(state.get(n.opi(falt.ar), opi), opi)
            # the default is the product's choice, not the user's: say so in the text and its sources
            kallor[falt.ar] = (f"antagande valt av produkten: {opi_text}" if antaganden[falt.ar] == opi
                               else "antagande angivet i scenariot")
        elif val == "komponenter":
            komponenter[falt.ar] = (_procent_in(state.get(n.opi_lon(falt.ar))),
                                    _procent_in(state.get(n.opi_kpi(falt.ar))))
        elif val == "eget":
            eget = _procent_in(state.get(n.opi(falt.ar)))
            modeller = {i: replace(m, opi_procent=eget) if m.modell in ("egen", "senaste_plus_opi") else m
                        for i, m in modeller.items()}
    kommuner = [kod for kod in (state.get(n.volym_kommuner) or []) if kod in k.kommuner]
    avrundning = state.get(n.avrundning)
    grund = state.get(n.grund)
    return sim.Scenario(
        namn=str(state.get(n.namn) or "Scenario"),
        malar=k.malar,
        modeller=modeller,
        avrundning=avrundning if avrundning in ROUNDING_STEPS else "krona",
        grund=grund if grund in sim.BASES else k.grund,
        nuvarande_grund=k.grund,
        momskompensation_procent=_procent_in(state.get(n.moms, k.momskompensation_procent),
                                              k.momskompensation_procent),
        volymforandring_procent=_procent_in(state.get(n.volym, 0)),
        volymforandring_per_vistelsekommun={kod: _procent_in(state.get(n.volym_kommun(kod), 0)) for kod in kommuner},
        opi_antaganden=antaganden,
        opi_komponenter=komponenter,
        opi_antaganden_kalla=kallor,
    )


# --------------------------------------------------------------------------- the URL


def till_param(scn: sim.Scenario) -> str:
    """Compact JSON of a scenario for the URL: only what differs from a default Scenario."""
    data = scn.to_dict()
    ref = sim.Scenario(scn.namn, scn.malar).to_dict()
    out = {k: v for k, v in data.items() if k in ("namn", "malar") or v != ref.get(k)}
    out["modeller"] = {i: {kk: vv for kk, vv in m.items() if vv is not None} for i, m in data["modeller"].items()}
    return json.dumps(out, ensure_ascii=False, separators=(",", ":"))


def fran_param(text: str) -> sim.Scenario:
    """Inverse of till_param; ValueError (Swedish) when the text is not a scenario."""
    try:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise TypeError("inte ett objekt")
        return sim.Scenario.from_dict(data)
    except (ValueError, TypeError, KeyError, ArithmeticError, AttributeError) as exc:
        # The library's text ("Expecting value: line 1 column 1") only as a detail, shown literally.
        detalj = saker_text.markdown(str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__)
        raise ValueError(
            "Scenariot i adressen kunde inte läsas: länken är avkortad eller ändrad. Scenariot "
            "visas därför med standardvärden; be om en ny länk eller bygg scenariot igen "
            f"och kopiera adressen på nytt. (Teknisk detalj: {detalj})") from exc


# --------------------------------------------------------------------------- calculation


def for_berakning(scn: sim.Scenario, k: Kontext) -> sim.Scenario:
    """The scenario as computed: the target year and today's basis from the page, and each "egen"
    model starting from the own rate in force the year before the target year (with its source)."""
    modeller = {}
    for insats, m in scn.modeller.items():
        if m.modell == "egen" and m.belopp_kr is None and insats in k.basnivaer:
            n = k.basnivaer[insats]
            kalla = n.kalltext + (" (preliminär nivå)" if n.is_preliminar else "")
            if n.is_momskompensation_ingar:
                kalla += (f" ({fmt_kr_sv(n.kr_per_timme)} inklusive momskompensation, "
                          f"{fmt_kr_sv(n.kr_exkl(k.momskompensation_procent))} exklusive)")
            m = replace(m, belopp_kr=n.kr_exkl(k.momskompensation_procent), bas_ar=k.basar, kalla=kalla)
        modeller[insats] = m
    return replace(scn, malar=k.malar, nuvarande_grund=k.grund, modeller=modeller)


@dataclass(frozen=True)
class Berakning:
    """Every scenario's result, or its error (Swedish) when it cannot be computed."""

    scenarier: tuple[sim.Scenario, ...]  # as computed (for_berakning)
    resultat: tuple[sim.ScenarioResult | None, ...]
    fel: tuple[str | None, ...]

    @property
    def giltiga(self) -> list[int]:
        return [i for i, r in enumerate(self.resultat) if r is not None]


def berakna(underlag: Underlag, scenarier: Sequence[sim.Scenario], k: Kontext,
            sparrar: Sequence[str | None] = ()) -> Berakning:
    """Every scenario's result; ``sparrar[i]`` (a Swedish reason) stops scenario i, e.g. an
    unconfirmed implausible or unreadable input: it is not computed until that is resolved."""
    beraknade, resultat, fel = [], [], []
    for i, s in enumerate(scenarier):
        s = for_berakning(s, k)
        beraknade.append(s)
        if i < len(sparrar) and sparrar[i]:
            resultat.append(None)
            fel.append(sparrar[i])
            continue
        try:
            resultat.append(sim.scenario_cost(underlag.timmar, s, underlag.nuvarande_kr,
                                              published_rates=k.published_rates, published_opi=k.published_opi,
                                              current_moms_ingar=underlag.nuvarande_ingar))
            fel.append(None)
        except sim.MissingInputError as exc:
            resultat.append(None)
            fel.append(str(exc))
    return Berakning(tuple(beraknade), tuple(resultat), tuple(fel))


# --------------------------------------------------------------------------- small-number protection


@dataclass(frozen=True)
class Skydd:
    """Which groups the open view hides (the same rule as the tjänsteskrivelse's tables)."""

    dolda: Mapping[str, frozenset]  # dimension → hidden keys
    totalt: bool  # the total is hidden (then everything is)

    def dold(self, dim: str, key: object) -> bool:
        return self.totalt or key in self.dolda.get(dim, frozenset())

    @property
    def nagot(self) -> bool:
        return self.totalt or any(self.dolda.values())


def skydd(result: sim.ScenarioResult, personer: Mapping, oppen_vy: bool, threshold: int) -> Skydd:
    """Masks per dimension by smatalsskydd.mask_long over the groups and their total (persons from SQL)."""
    if not oppen_vy:
        return Skydd({d: frozenset() for d in result.dimensioner}, False)
    dolda: dict[str, frozenset] = {}
    totalt = smatalsskydd.is_masked(personer.get("totalt", 0), threshold)
    for dim in result.dimensioner:
        keys = [a.nyckel[0] for a in result.per(dim)]
        per = personer.get(dim, {})
        antal = [int(per.get(x, per.get(str(x), 0))) for x in keys] + [int(personer.get("totalt", 0))]
        df = pd.DataFrame({"etikett": [str(x) for x in keys] + [tj.TOTAL], "personer": antal,
                           "varde": [0.0] * (len(keys) + 1)})
        m = smatalsskydd.mask_long(df, persons_col="personer", value_cols=["varde"], threshold=threshold,
                              oppen_vy=True, label_col="etikett", total_label=tj.TOTAL).mask["varde"].tolist()
        dolda[dim] = frozenset(x for x, hidden in zip(keys, m[:-1]) if hidden)
        totalt = totalt or m[-1]
    return Skydd(dolda, totalt)


# --------------------------------------------------------------------------- outputs


@dataclass(frozen=True)
class Kort:
    etikett: str
    varde: str
    andring: str | None
    hjalp: str


def _pct(d: Decimal | None, tecken: bool = True) -> str:
    return talformat.SAKNAS if d is None else talformat.fmt_procent(float(d), 1, tecken=tecken)


def nyckeltal(result: sim.ScenarioResult, s: Skydd, volymar: int) -> list[Kort]:
    """Cards: the new rate per insats (vs today's) and the annual cost (vs today's rate)."""
    kort = []
    malar = result.scenario.malar
    for insats, calc in result.nivaer.items():
        nu = result.nuvarande_nivaer.get(insats)
        ny = calc.kr_per_timme
        andring = None
        if nu is not None:
            diff = ny - nu
            pct = (diff / nu * 100).quantize(Decimal("0.1"), ROUND_HALF_UP) if nu else None
            andring = f"{'+' if diff > 0 else ''}{fmt_kr_sv(diff)} ({_pct(pct)}) mot {volymar}"
        kort.append(Kort(f"{INSATS_RUBRIK.get(insats, insats)} {malar}", f"{fmt_kr_sv(ny)}/tim", andring,
                         "Exklusive momskompensation. " + " ".join(calc.forklaring[-1:])))
    t = result.totalt()
    if s.totalt:
        kort.append(Kort(f"Kostnad {malar}", talformat.MASK, None, smatalsskydd.footnote_sv()))
    else:
        kort.append(Kort(f"Kostnad {malar}", talformat.fmt_kr(float(t.kostnad_ny_kr)),
                         f"{talformat.fmt_andring_kr(float(t.forandring_kr))} ({_pct(t.forandring_procent)})",
                         f"Förändringen jämfört med kostnaden med {volymar} års nivåer och volym, "
                         f"{talformat.fmt_kr(float(t.kostnad_nu_kr))}. Momskompensation till privata utförare "
                         "ingår."))
    return kort


def jamforelse_tabell(berakning: Berakning, s: Skydd, volymar: int) -> pd.DataFrame:
    """One row per computable scenario (and today's level first): rates, cost, change (display strings)."""
    idx = berakning.giltiga
    if not idx:
        return pd.DataFrame()
    first = berakning.resultat[idx[0]]
    insatser = list(first.nivaer)
    malar = first.scenario.malar
    rows = []
    t0 = first.totalt()
    nu_row = {"Scenario": f"Nuvarande nivå ({volymar})"}
    for i in insatser:
        kr = first.nuvarande_nivaer.get(i)
        text = fmt_kr_sv(kr).removesuffix(" kr") if kr is not None else talformat.SAKNAS
        nu_row[f"{INSATS_RUBRIK.get(i, i)} (kr/tim)"] = text
    nu_row.update({"Kostnad (kr)": talformat.MASK if s.totalt else talformat.fmt_tal(float(t0.kostnad_nu_kr)),
                   "Förändring (kr)": talformat.SAKNAS, "Förändring (%)": talformat.SAKNAS})
    rows.append(nu_row)
    for j in idx:
        r = berakning.resultat[j]
        t = r.totalt()
        row = {"Scenario": r.scenario.namn}
        for i in insatser:
            row[f"{INSATS_RUBRIK.get(i, i)} (kr/tim)"] = fmt_kr_sv(r.nivaer[i].kr_per_timme).removesuffix(" kr")
        if s.totalt:
            row.update({"Kostnad (kr)": talformat.MASK, "Förändring (kr)": talformat.MASK,
                        "Förändring (%)": talformat.MASK})
        else:
            row.update({"Kostnad (kr)": talformat.fmt_tal(float(t.kostnad_ny_kr)),
                        "Förändring (kr)": talformat.fmt_andring_kr(float(t.forandring_kr)).removesuffix(" kr"),
                        "Förändring (%)": _pct(t.forandring_procent).removesuffix(" %")})
        rows.append(row)
    out = pd.DataFrame(rows)
    return out.rename(columns={"Kostnad (kr)": f"Kostnad {malar} (kr)"})


def jamforelse_diagram(berakning: Berakning, s: Skydd, volymar: int) -> pd.DataFrame:
    """Long frame for the comparison chart: serie (today / scenario), insats, kostnad_kr (NaN = hidden)."""
    rows = []
    idx = berakning.giltiga
    if not idx:
        return pd.DataFrame(columns=["serie", "insats", "kostnad_kr"])
    first = berakning.resultat[idx[0]]
    for a in first.per("insats"):
        i = a.nyckel[0]
        rows.append({"serie": f"Nuvarande nivå ({volymar})", "insats": INSATS_RUBRIK.get(i, i),
                     "kostnad_kr": math.nan if s.dold("insats", i) else float(a.kostnad_nu_kr)})
    for j in idx:
        r = berakning.resultat[j]
        for a in r.per("insats"):
            i = a.nyckel[0]
            rows.append({"serie": r.scenario.namn, "insats": INSATS_RUBRIK.get(i, i),
                         "kostnad_kr": math.nan if s.dold("insats", i) else float(a.kostnad_ny_kr)})
    return pd.DataFrame(rows)


def per_manad(result: sim.ScenarioResult, s: Skydd) -> pd.DataFrame:
    """manad, kostnad_nu_kr, kostnad_ny_kr (NaN for a hidden month)."""
    if "manad" not in result.dimensioner:
        return pd.DataFrame(columns=["manad", "kostnad_nu_kr", "kostnad_ny_kr"])
    f = result.frame("manad")[["manad", "kostnad_nu_kr", "kostnad_ny_kr"]].copy()
    dolda = f["manad"].map(lambda m: s.dold("manad", int(m)))
    f.loc[dolda, ["kostnad_nu_kr", "kostnad_ny_kr"]] = math.nan
    return f


@dataclass(frozen=True)
class Kanslighet:
    frame: pd.DataFrame  # varde, kostnad_nu_kr, kostnad_ny_kr, forandring_kr, ...
    variabel: str  # "opi_procent" | "kr_per_timme"
    vald: float | None  # the scenario's own value (marked in the chart)
    rubrik: str
    xtitel: str


def _vald_opi(result: sim.ScenarioResult) -> Decimal | None:
    for calc in result.nivaer.values():
        if calc.steg and calc.modell in ("egen", "senaste_plus_opi"):
            return calc.steg[-1].opi_procent
    return None


def kanslighet(underlag: Underlag, result: sim.ScenarioResult, k: Kontext) -> Kanslighet:
    """Cost as a function of the target year's OPI; of the rate when the scenario uses no OPI."""
    scn = result.scenario
    kw = {"published_rates": k.published_rates, "published_opi": k.published_opi,
          "current_moms_ingar": underlag.nuvarande_ingar}
    vald = _vald_opi(result)
    if vald is not None:
        values = sorted(set(KANSLIGHET_OPI_PROCENT) | {vald})
        frame = sim.sensitivity(underlag.timmar, scn, underlag.nuvarande_kr, opi_procent=values, **kw)
        return Kanslighet(frame, "opi_procent", float(vald), f"Kostnad {k.malar} beroende på OPI {k.malar}",
                          f"OPI {k.malar} (%)")
    insats = next(iter(result.nivaer))
    ny = result.nivaer[insats].kr_per_timme
    values = sorted({(ny * a).quantize(Decimal(1), ROUND_HALF_UP) for a in KANSLIGHET_NIVA_ANDEL} | {ny})
    frame = sim.sensitivity(underlag.timmar, scn, underlag.nuvarande_kr, kr_per_timme=values, insats=insats, **kw)
    return Kanslighet(frame, "kr_per_timme", float(ny),
                      f"Kostnad {k.malar} beroende på nivån för {INSATS_TEXT.get(insats, insats)}",
                      f"Nivå för {INSATS_TEXT.get(insats, insats)} (kr per timme)")


def break_even(result: sim.ScenarioResult, insats: str, kostnad_per_arbetad_timme: object | None
               ) -> tuple[pd.DataFrame, list[sim.BreakEven]]:
    """The required share of delivered time, per payee type, as a curve and at the given cost.

    Curve: cost per worked hour from 50 to 120 % of the rate, one row per cost and payee
    (municipality or own staff: the rate; private provider: the rate + momskompensation).
    """
    rate = result.nivaer[insats].kr_per_timme
    moms = result.scenario.momskompensation_procent
    mottagare = {"Kommun eller egen regi": rate, f"Privat utförare (+{fmt_procent_sv(moms)} momskomp.)":
                 rate * (1 + moms / 100)}
    rows = []
    for namn, kr in mottagare.items():
        for a in BREAK_EVEN_ANDEL:
            kostnad = (rate * a).quantize(Decimal(1), ROUND_HALF_UP)
            be = sim.break_even_share(kr, kostnad, result.scenario.grund)
            rows.append({"mottagare": namn, "kostnad_per_arbetad_timme_kr": float(kostnad),
                         "andel_procent": float(be.andel * 100)})
    svar = []
    if kostnad_per_arbetad_timme is not None:
        svar = [sim.break_even_share(kr, _kr_in(kostnad_per_arbetad_timme), result.scenario.grund)
                for kr in mottagare.values()]
    return pd.DataFrame(rows), svar


def efterreglering(underlag: Underlag, result: sim.ScenarioResult) -> sim.ArrearsCorrection:
    """What a correction as large as 2023's (OPI 3,5 % → 4,6 %) costs at this volume and today's rates."""
    s = result.scenario
    return sim.arrears_correction(underlag.timmar, underlag.nuvarande_kr_exkl(s.momskompensation_procent),
                                  preliminary_opi(EFTERREGLERING_AR),
                                  opi_for_year(EFTERREGLERING_AR), ar=EFTERREGLERING_AR, grund=s.grund,
                                  momskompensation_procent=s.momskompensation_procent, avrundning=s.avrundning)


def efterreglering_intro(e: sim.ArrearsCorrection, malar: int) -> str:
    return (f"OPI publiceras preliminärt i december och blir definitivt när löneavtalen är klara; ersättningen "
            f"regleras då i efterhand. OPI {e.ar} var preliminärt {fmt_procent_sv(e.preliminar_procent)} och blev "
            f"definitivt {fmt_procent_sv(e.definitiv_procent)}. Om OPI {malar} ändras lika mycket efter beslutet, "
            f"kostar efterregleringen med underlagets volym och dagens nivåer:")


def efterreglering_rader(e: sim.ArrearsCorrection, s: Skydd) -> list[str]:
    """The correction's per-insats lines and total; a hidden insats (or total) is not described."""
    if s.totalt:
        return []
    rader = list(e.forklaring[1:-1])
    insatser = list(e.tabell["insats"]) if not e.tabell.empty else []
    out = [r for r, i in zip(rader, insatser) if not s.dold("insats", i)]
    out += [f"{INSATS_RUBRIK.get(i, i)}: {talformat.MASK}" for i in insatser if s.dold("insats", i)]
    return out + [e.forklaring[-1]]


def basbyte_tabell(byte: sim.BasisSwitch, s: Skydd) -> pd.DataFrame:
    """The basis switch per insats and in total, as display strings; a hidden insats shows `..`."""
    rows = []
    for r in byte.tabell.to_dict("records"):
        insats = r["insats"]
        label = tj.TOTAL if insats == "totalt" else INSATS_RUBRIK.get(insats, insats)
        dold = s.totalt if insats == "totalt" else s.dold("insats", insats)
        values = {
            "Beviljade timmar": talformat.fmt_tal(r["beviljad_timmar"]),
            "Utförda timmar": talformat.fmt_tal(r["utford_timmar"]),
            "Utförd tid, % av beviljad": talformat.fmt_tal(r["utford_andel_procent"], 1),
            "Kostnad per utförd timme (kr)": talformat.fmt_tal(r["kostnad_utford_kr"]),
            "Kostnad per beviljad timme (kr)": talformat.fmt_tal(r["kostnad_beviljad_kr"]),
            "Skillnad (kr)": talformat.fmt_andring_kr(r["skillnad_kr"]).removesuffix(" kr"),
            "Skillnad (%)": talformat.fmt_procent(r["skillnad_procent"], 1, tecken=True).removesuffix(" %"),
        }
        rows.append({"Insats": label, **({c: talformat.MASK for c in values} if dold else values)})
    return pd.DataFrame(rows)


def ekonomiska_konsekvenser(berakning: Berakning, vald: int, underlag: Underlag, *, oppen_vy: bool,
                            threshold: int, demodata: bool) -> tj.Avsnitt:
    """The tjänsteskrivelse section for the chosen scenario, the other scenarios beside it."""
    result = berakning.resultat[vald]
    andra = [berakning.resultat[i] for i in berakning.giltiga if i != vald]
    return tj.build_section(
        result, volymar=underlag.volymar, personer=underlag.personer, oppen_vy=oppen_vy, threshold=threshold,
        jamforelse=andra, efterreglering=efterreglering(underlag, result), datakalla=underlag.datakalla,
        demodata=demodata, kommunnamn=referens.kommunnamn)


def filnamn(result: sim.ScenarioResult, suffix: str) -> str:
    """'ekonomiska_konsekvenser_2027_egen_niva_opi.docx' (ASCII, for every file system)."""
    namn = result.scenario.namn.lower()
    for a, b in (("å", "a"), ("ä", "a"), ("ö", "o"), ("é", "e")):
        namn = namn.replace(a, b)
    slug = "_".join("".join(c if c.isalnum() and c.isascii() else " " for c in namn).split())[:40]
    return f"ekonomiska_konsekvenser_{result.scenario.malar}_{slug}.{suffix}"


def rate_forklaring(calc: sim.RateCalculation) -> dict[str, tuple[str, ...]]:
    """The new rate's explanation for the page: steps, sources (decisions first), assumptions."""
    return {"steg": calc.forklaring, "kallor": tuple(dict.fromkeys((*calc.beslut, *calc.kallor))),
            "antaganden": calc.antaganden}


def prognos_beskrivning(u: Underlag, s: Skydd) -> str | None:
    """The forecast's method with its level per insats; a hidden insats's level is not shown."""
    if u.prognos_text is None:
        return None
    visas = {i: f for i, f in u.prognosnivaer.items() if not s.dold("insats", i)}
    nivaer = (" (utförd tid: " + ", ".join(f"{INSATS_TEXT.get(i, i)} {talformat.fmt_tal(f, 2)}"
                                          for i, f in visas.items()) + ")") if visas else ""
    return u.prognos_text.replace("{nivaer}", nivaer)


def hogerstalld(df: pd.DataFrame, text_kolumner: Sequence[str] = ()) -> "pd.io.formats.style.Styler":
    """A display frame with numbers right-aligned (every column but the first and ``text_kolumner``).

    st.table renders every cell as Markdown: text cells (scenario names, imported sources) are
    escaped so they show as written (saker_text.markdown).
    """
    tal = [c for c in df.columns[1:] if c not in text_kolumner]
    # !important: st.table writes text-align inline on every cell
    return (df.style.hide(axis="index").set_properties(subset=tal, **{"text-align": "right !important"})
            .map_index(lambda c: "text-align: right !important" if c in tal else "", axis="columns")
            .format(lambda v: saker_text.markdown(v) if isinstance(v, str) else v))


def visning(tb: tj.Tabell) -> "pd.io.formats.style.Styler":
    """A tjänsteskrivelse table as the page shows it: the document's strings, numbers right-aligned."""
    text = [c for c, f in zip(tb.kolumner, tb.format) if f == "text"]
    return hogerstalld(tb.display_frame(), text)


ROUNDING_VAL = tuple(ROUNDING_STEPS)
ROUNDING_ETIKETT = dict(ROUNDING_TEXT)
