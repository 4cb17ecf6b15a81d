"""The page model of "Vad händer om?" (sidor/simulator.py): the rate revision simulator.

Three steps, as the page's widgets depend on the data:
1. ``valbara_perioder(s)``: the volume bases and target years the data allows (regler/perioder.py);
2. ``forutsattningar(s, f, volymbas, malar)``: the volume basis (hours, today's rates, persons),
   what a scenario may choose for the target year, and the default scenarios;
3. ``simulator(s, fu, val)``: every scenario's result and everything the page shows for the
   chosen one: cards, the rate's explanation, the tables as displayed (masked in the open view),
   the figures, the in-depth tabs, the text of "Ekonomiska konsekvenser" and its .docx/.xlsx/.pdf.
The scenario inputs (widget keys, widget state ↔ Scenario, the URL) are vyer/simulator_val.py.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Callable, Mapping

import pandas as pd
import plotly.graph_objects as go

from beslutsstod import begrepp, installningar, saker_text, talformat
from beslutsstod.data import referens
from beslutsstod.diagram import grund as diagram_grund
from beslutsstod.diagram import simulator as diagram
from beslutsstod.dokument import pdf as pdfdokument
from beslutsstod.dokument import tjansteskrivelse as tj
from beslutsstod.regler import nivaer, perioder, smatalsskydd
from beslutsstod.regler import simulator as sim
from beslutsstod.regler.nivaer import fmt_kr_sv
from beslutsstod.regler.opi import fmt_procent_sv, opi_for_year, preliminary_opi
from beslutsstod.regler.perioder import Period
from beslutsstod.regler.scenarier import Berakning, Kontext, berakna, kontext, standardscenarier
from beslutsstod.regler.volymunderlag import Underlag, bygg_underlag
from beslutsstod.vyer.urval import Filter, Kort, Sammanhang

KANSLIGHET_OPI_PROCENT = tuple(Decimal(x) / 2 for x in range(0, 17))  # 0,0 … 8,0 % in steps of 0,5
KANSLIGHET_NIVA_ANDEL = tuple(Decimal(x) / 100 for x in range(85, 116, 5))  # 85 … 115 % of the new rate
BREAK_EVEN_ANDEL = tuple(Decimal(x) / 100 for x in range(50, 121, 5))  # cost per worked hour: 50 … 120 % of rate
EFTERREGLERING_AR = 2023  # the year whose OPI went from preliminary (3,5 %) to definitive (4,6 %)
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --------------------------------------------------------------------------- step 1: the years


def valbara_perioder(s: Sammanhang) -> Period:
    """The volume bases (the default first) and target years the data allows."""
    tackning = s.fraga("filter/datatackning", None).iloc[0]
    return perioder.period(tackning["sista_datum"], tackning["ar_lista"])


# --------------------------------------------------------------------------- step 2: the basis


@dataclass(frozen=True)
class Forutsattningar:
    """What the scenarios start from: the volume basis, the target year's choices, the defaults."""

    inledning: str  # the page's caption, with the sidebar selection in words
    volymar: int
    malar: int
    stopp: str | None  # why nothing can be computed (no rate in force, no visits); then nothing else
    noter: tuple[str, ...]  # on the basis: regi rates, unknown utförare, months without data, forecast
    underlag: Underlag | None
    k: Kontext | None
    standard: tuple[sim.Scenario, ...]  # the default scenario of tab 1, 2, 3
    opi_hjalp: str  # the OPI inputs' help, with the default assumption
    demodata: bool
    datadatum: dt.date | None = None  # the last day with data (the PDF says it)

    @property
    def stopp_ar_varning(self) -> bool:
        """No rate was in force (a warning); otherwise the selection simply has no visits (a notice)."""
        return self.underlag is None


def _urval_utan_ar(f: Filter) -> str:
    """The sidebar selection in words without the year (this page chooses its own years)."""
    beskrivning = f.beskrivning()
    return beskrivning.split("; ", 1)[1] if "; " in beskrivning else beskrivning


def forutsattningar(s: Sammanhang, f: Filter, volymbas: str, malar: int) -> Forutsattningar:
    """The volume basis of the chosen volume year and the target year's scenario choices."""
    import datetime as dt

    period = valbara_perioder(s)
    urval = _urval_utan_ar(f)
    inledning = ("Vad kostar en ny ersättningsnivå? Välj volymunderlag och målår, bygg upp till tre scenarier och "
                 "jämför dem med dagens nivå. Scenarierna sparas i adressen: kopiera länken för att dela dem. "
                 f"Urval från sidopanelen: {urval} (året väljs här).")
    volymar, till_manad = period.volymar(volymbas), period.till_manad(volymbas)
    utan_data = s.manader_utan_data()
    prognos_manader = period.prognos_manader(volymbas, utan_data)
    opi_hjalp = ("OPI = 0,8 × summa lönekostnadsförändring + 0,2 × KPI, avrundat till en decimal (SKR). Ett "
                 "publicerat värde går före formeln. Antagna och härledda värden märks så i texten. "
                 f"{begrepp.lank('opi', 'Om OPI')}.")
    demodata = s.demodata
    tom = functools.partial(Forutsattningar, inledning, volymar, malar, noter=(), k=None, standard=(),
                            opi_hjalp=opi_hjalp, demodata=demodata, datadatum=period.sista_datum)
    nivaer_nu = s.fraga("simulator/ersattningsnivaer", {"datum": dt.date(volymar, 12, 31), "insatser": f.insatser})
    nivaer_bas = s.fraga("simulator/ersattningsnivaer", {"datum": dt.date(malar - 1, 12, 31), "insatser": f.insatser})
    insatser = nivaer.insatser_med_niva(nivaer_nu, f.insatser)
    if not insatser:
        return tom(stopp=f"Ingen ersättningsnivå gällde i slutet av {volymar} för det valda urvalet; inget kan "
                         "beräknas.", underlag=None)
    params = f.params("kostnad", till_manad=till_manad, prognos_manader=prognos_manader)
    params.update(ar=volymar, insatser=insatser)
    underlag = bygg_underlag(
        s.fraga("simulator/timunderlag", params), s.fraga("simulator/personer", params), nivaer_nu, nivaer_bas,
        volymar=volymar, volymbas=volymbas, till_manad=till_manad, prognos_manader=prognos_manader,
        manadstimmar=s.fraga("simulator/timmar_per_manad", params) if prognos_manader else None,
        utan_data=utan_data, urval_text=urval if (f.insatser or f.regier or f.kommuner) else None)
    if underlag.tomt:
        return tom(stopp=f"Urvalet har inga besök {volymar} av kommunens invånare i andra kommuner.",
                   underlag=underlag)
    k = kontext(underlag, malar, installningar.get("momskompensation_procent"))
    return Forutsattningar(inledning, volymar, malar, None, underlag.noter, underlag, k, tuple(standardscenarier(k)),
                           f"{opi_hjalp} Förvalt antagande: {k.opi_antagande_text}.", demodata, period.sista_datum)


# --------------------------------------------------------------------------- step 3: the results


@dataclass(frozen=True)
class Scenarioval:
    """The page's choices: the scenarios as the widgets describe them, and which one to detail."""

    scenarier: tuple[sim.Scenario, ...]
    sparrar: tuple[str | None, ...] = ()  # per scenario: why it waits (an unconfirmed input), or None
    visa: int | None = None  # the scenario the details and the text follow (default: the first computed)


@dataclass(frozen=True)
class Visningstabell:
    """A table as the page shows it: display strings (masked cells `..`), numbers right-aligned."""

    namn: str
    frame: pd.DataFrame
    text_kolumner: tuple[str, ...] = ()  # columns besides the first that hold text (left-aligned)


@dataclass(frozen=True)
class Nivaforklaring:
    """How a new rate is computed: its steps, assumptions and sources (decisions first)."""

    rubrik: str
    steg: tuple[str, ...]
    antaganden: tuple[str, ...]
    kallor: tuple[str, ...]


@dataclass(frozen=True)
class BreakEvenVy:
    figur: go.Figure
    svar: tuple[str, ...]  # at the given cost, per payee type (none when no cost is given)
    upplysning: str | None  # what the chart shows, when no cost is given
    diagramtext: diagram_grund.Diagramtext | None = None  # the chart's summary and numbers


@dataclass(frozen=True)
class SimulatorVy:
    """Everything the page shows once the scenario inputs are read: the answer first (`kort`,
    `sammanfattning`), then how it is computed, then the whole tjänsteskrivelse section."""

    namn: tuple[str, ...]  # each scenario's name
    fel: tuple[str | None, ...]  # why a scenario has no result
    giltiga: tuple[int, ...]  # the scenarios with a result
    vald: int | None  # the scenario detailed (None: no scenario could be computed; nothing below)
    prognos: str | None = None  # the forecast's method (a caption under the basis notes)
    kort: tuple[Kort, ...] = ()
    nivarubrik: str = ""
    nivaforklaringar: tuple[Nivaforklaring, ...] = ()
    jamforelse: Visningstabell | None = None  # with more than one computed scenario
    jamforelse_figur: go.Figure | None = None
    kostnadsrubrik: str = ""
    kostnadstabeller: tuple[Visningstabell, ...] = ()
    per_manad_figur: go.Figure | None = None  # under the table "Per månad"
    fotnot: str | None = None  # the small-number footnote, when something is hidden
    skyddstext: str = ""  # instead of a figure or table hidden with the total
    fordjupning: tuple[str, ...] = ()  # the in-depth tabs' titles
    kanslighet_figur: go.Figure | None = None  # None: hidden with the total
    be_insatser: tuple[str, ...] = ()
    break_even: Callable[[str, Decimal | None], BreakEvenVy] | None = None  # (insats, cost per worked hour)
    basbyte_text: str = ""
    basbyte: Visningstabell | None = None
    efterreglering_intro: str = ""
    efterreglering_rader: tuple[str, ...] = ()  # none: `skyddstext` instead
    sammanfattning: str = ""  # the section's lead: the new levels and the cost change (Markdown, escaped)
    text: str = ""  # "Ekonomiska konsekvenser" as Markdown (escaped)
    docx: Callable[[], bytes] | None = None
    xlsx: Callable[[], bytes] | None = None
    pdf: Callable[[], bytes] | None = None  # the same section as an A4 PDF
    docx_namn: str = ""
    xlsx_namn: str = ""
    pdf_namn: str = ""
    jamforelse_diagramtext: diagram_grund.Diagramtext | None = None  # the charts' summaries and numbers
    per_manad_diagramtext: diagram_grund.Diagramtext | None = None
    kanslighet_diagramtext: diagram_grund.Diagramtext | None = None


def simulator(s: Sammanhang, fu: Forutsattningar, val: Scenarioval) -> SimulatorVy:
    """Every scenario's result, and the chosen scenario's cards, tables, figures and text."""
    u, k = fu.underlag, fu.k
    if k is None or u is None:
        raise ValueError(f"Inget kan beräknas: {fu.stopp}")
    b = berakna(u, val.scenarier, k, val.sparrar)
    namn = tuple(sc.namn for sc in b.scenarier)
    giltiga = tuple(b.giltiga)
    if not giltiga:
        return SimulatorVy(namn, b.fel, giltiga, None)
    vald = val.visa if val.visa in giltiga else giltiga[0]
    res = b.resultat[vald]
    skydd = _skydd(res, u.personer, s.oppen_vy, s.smatal_grans)
    volymar, malar = u.volymar, k.malar
    skyddstext = smatalsskydd.footnote_sv(s.smatal_grans)
    avsnitt = _ekonomiska_konsekvenser(b, vald, u, s.oppen_vy, s.smatal_grans, fu.demodata)
    tabeller = [tb for tb in avsnitt.tabeller if tb.namn != "Jämförelse"]  # the comparison is shown above
    flera = len(giltiga) > 1
    forfattare = f"{referens.kommunnamn(s.hemkommun)} kommun, {installningar.get('namnd')}"
    grund = sim.BASIS_TEXT[res.scenario.grund]
    byte = sim.basis_switch_effect(u.timmar, u.nuvarande_kr, res.scenario.momskompensation_procent,
                                   u.nuvarande_ingar)
    efter = _efterreglering(u, res)
    kanslighet = None if skydd.totalt else _kanslighet(u, res, k)
    return SimulatorVy(
        namn, b.fel, giltiga, vald,
        prognos=_prognos_beskrivning(u, skydd),
        kort=tuple(_nyckeltal(res, skydd, volymar, s.smatal_grans)),
        nivarubrik=f"Så räknas nivån {malar}",
        nivaforklaringar=tuple(Nivaforklaring(f"{begrepp.INSATS_NAMN.get(c.insats, c.insats)}: {c.kort or c.modell}",
                                              c.forklaring, c.antaganden, tuple(dict.fromkeys((*c.beslut, *c.kallor))))
                               for c in res.nivaer.values()),
        jamforelse=Visningstabell("Jämförelse", _jamforelse_tabell(b, skydd, volymar)) if flera else None,
        jamforelse_figur=(diagram.jamforelse(_jamforelse_diagram(b, skydd, volymar), malar)
                          if flera and not skydd.totalt else None),
        jamforelse_diagramtext=(diagram_grund.beskriv(
            f"Staplat stapeldiagram: årskostnad {malar} per scenario och insats",
            diagram.jamforelse_punkter(_jamforelse_diagram(b, skydd, volymar)), kategori="Scenario")
            if flera and not skydd.totalt else None),
        kostnadsrubrik=f"Kostnad {malar} mot {volymar} års nivå",
        kostnadstabeller=tuple(Visningstabell(tb.namn, tb.display_frame(),
                                              tuple(c for c, f in zip(tb.kolumner[1:], tb.format[1:]) if f == "text"))
                               for tb in tabeller),
        per_manad_figur=diagram.per_manad(_per_manad(res, skydd), volymar, malar),
        per_manad_diagramtext=diagram_grund.beskriv(
            f"Stapeldiagram: kostnad per månad med {volymar} års och med {malar} års nivå",
            diagram.per_manad_punkter(_per_manad(res, skydd), volymar, malar), namnform="{kategori} {serie}"),
        fotnot=skyddstext if skydd.nagot else None,
        skyddstext=skyddstext,
        fordjupning=("Känslighet", f"Break-even för {grund} tid", "Utförd eller beviljad tid", "Efterreglering av OPI"),
        kanslighet_figur=None if skydd.totalt else kanslighet[0],
        kanslighet_diagramtext=None if skydd.totalt else kanslighet[1],
        be_insatser=k.insatser,
        break_even=functools.partial(_break_even, res),
        basbyte_text=byte.forklaring + f" Beräknat med {volymar} års nivåer och timmar.",
        basbyte=None if skydd.totalt else Visningstabell("Utförd eller beviljad tid", _basbyte_tabell(byte, skydd)),
        efterreglering_intro=_efterreglering_intro(efter, malar),
        efterreglering_rader=tuple(_efterreglering_rader(efter, skydd)),
        sammanfattning="\n\n".join(saker_text.markdown(stycke) for stycke in avsnitt.stycken[:2]),
        text=tj.markdown_text(avsnitt),
        # built on click, not on every rerun: the docx takes seconds for a large table (bench/)
        docx=functools.partial(tj.to_docx, avsnitt, forfattare),
        xlsx=functools.partial(tj.to_xlsx, avsnitt),
        pdf=functools.partial(pdfdokument.ekonomiska_konsekvenser_pdf, avsnitt, forfattare, fu.datadatum),
        docx_namn=_filnamn(res, "docx"),
        xlsx_namn=_filnamn(res, "xlsx"),
        pdf_namn=_filnamn(res, "pdf"),
    )


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


def _skydd(result: sim.ScenarioResult, personer: Mapping, oppen_vy: bool, smatal_grans: int) -> Skydd:
    """Masks per dimension by smatalsskydd.mask_long over the groups and their total (persons from SQL)."""
    if not oppen_vy:
        return Skydd({d: frozenset() for d in result.dimensioner}, False)
    dolda: dict[str, frozenset] = {}
    totalt = smatalsskydd.is_masked(personer.get("totalt", 0), smatal_grans)
    for dim in result.dimensioner:
        keys = [a.nyckel[0] for a in result.per(dim)]
        per = personer.get(dim, {})
        antal = [int(per.get(x, per.get(str(x), 0))) for x in keys] + [int(personer.get("totalt", 0))]
        df = pd.DataFrame({"etikett": [str(x) for x in keys] + [begrepp.TOTALT], "personer": antal,
                           "varde": [0.0] * (len(keys) + 1)})
        m = smatalsskydd.mask_long(df, persons_col="personer", value_cols=["varde"], smatal_grans=smatal_grans,
                                   oppen_vy=True, label_col="etikett", total_label=begrepp.TOTALT).mask["varde"].tolist()
        dolda[dim] = frozenset(x for x, hidden in zip(keys, m[:-1]) if hidden)
        totalt = totalt or m[-1]
    return Skydd(dolda, totalt)


# --------------------------------------------------------------------------- the parts of the view


def _pct(d: Decimal | None, tecken: bool = True) -> str:
    return begrepp.SAKNAS if d is None else talformat.fmt_procent(float(d), 1, tecken=tecken)


def _insats(i: str) -> str:
    return begrepp.INSATS_NAMN.get(i, i)


def _nyckeltal(result: sim.ScenarioResult, s: Skydd, volymar: int, smatal_grans: int) -> list[Kort]:
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
        kort.append(Kort(f"{_insats(insats)} {malar}", f"{fmt_kr_sv(ny)}/tim", andring,
                         "Exklusive momskompensation. " + " ".join(calc.forklaring[-1:])))
    t = result.totalt()
    if s.totalt:
        kort.append(Kort(f"Kostnad {malar}", begrepp.MASK, None, smatalsskydd.footnote_sv(smatal_grans)))
    else:
        kort.append(Kort(f"Kostnad {malar}", talformat.fmt_kr(float(t.kostnad_ny_kr)),
                         f"{talformat.fmt_andring_kr(float(t.forandring_kr))} ({_pct(t.forandring_procent)})",
                         f"Förändringen jämfört med kostnaden med {volymar} års nivåer och volym, "
                         f"{talformat.fmt_kr(float(t.kostnad_nu_kr))}. Momskompensation till privata utförare "
                         "ingår."))
    return kort


def _jamforelse_tabell(berakning: Berakning, s: Skydd, volymar: int) -> pd.DataFrame:
    """One row per computable scenario (and today's level first): rates, cost, change (display strings)."""
    idx = berakning.giltiga
    first = berakning.resultat[idx[0]]
    insatser = list(first.nivaer)
    malar = first.scenario.malar
    kostnad = f"Kostnad {malar} (kr)"
    t0 = first.totalt()
    nu_row = {"Scenario": f"Nuvarande nivå ({volymar})"}
    for i in insatser:
        kr = first.nuvarande_nivaer.get(i)
        nu_row[begrepp.med_enhet(_insats(i))] = fmt_kr_sv(kr).removesuffix(" kr") if kr is not None else begrepp.SAKNAS
    nu_row.update({kostnad: begrepp.MASK if s.totalt else talformat.fmt_tal(float(t0.kostnad_nu_kr)),
                   "Förändring (kr)": begrepp.SAKNAS, "Förändring (%)": begrepp.SAKNAS})
    rows = [nu_row]
    for j in idx:
        r = berakning.resultat[j]
        t = r.totalt()
        row = {"Scenario": r.scenario.namn}
        for i in insatser:
            row[begrepp.med_enhet(_insats(i))] = fmt_kr_sv(r.nivaer[i].kr_per_timme).removesuffix(" kr")
        if s.totalt:
            row.update({kostnad: begrepp.MASK, "Förändring (kr)": begrepp.MASK, "Förändring (%)": begrepp.MASK})
        else:
            row.update({kostnad: talformat.fmt_tal(float(t.kostnad_ny_kr)),
                        "Förändring (kr)": talformat.fmt_andring_kr(float(t.forandring_kr)).removesuffix(" kr"),
                        "Förändring (%)": _pct(t.forandring_procent).removesuffix(" %")})
        rows.append(row)
    return pd.DataFrame(rows)


def _jamforelse_diagram(berakning: Berakning, s: Skydd, volymar: int) -> pd.DataFrame:
    """Long frame for the comparison chart: serie (today / scenario), insats, kostnad_kr (NaN = hidden)."""
    rows = []
    first = berakning.resultat[berakning.giltiga[0]]
    for a in first.per("insats"):
        i = a.nyckel[0]
        rows.append({"serie": f"Nuvarande nivå ({volymar})", "insats": _insats(i),
                     "kostnad_kr": math.nan if s.dold("insats", i) else float(a.kostnad_nu_kr)})
    for j in berakning.giltiga:
        r = berakning.resultat[j]
        for a in r.per("insats"):
            i = a.nyckel[0]
            rows.append({"serie": r.scenario.namn, "insats": _insats(i),
                         "kostnad_kr": math.nan if s.dold("insats", i) else float(a.kostnad_ny_kr)})
    return pd.DataFrame(rows)


def _per_manad(result: sim.ScenarioResult, s: Skydd) -> pd.DataFrame:
    """manad, kostnad_nu_kr, kostnad_ny_kr (NaN for a hidden month)."""
    if "manad" not in result.dimensioner:
        return pd.DataFrame(columns=["manad", "kostnad_nu_kr", "kostnad_ny_kr"])
    f = result.frame("manad")[["manad", "kostnad_nu_kr", "kostnad_ny_kr"]].copy()
    dolda = f["manad"].map(lambda m: s.dold("manad", int(m)))
    f.loc[dolda, ["kostnad_nu_kr", "kostnad_ny_kr"]] = math.nan
    return f


def _vald_opi(result: sim.ScenarioResult) -> Decimal | None:
    for calc in result.nivaer.values():
        if calc.steg and calc.modell in ("egen", "senaste_plus_opi"):
            return calc.steg[-1].opi_procent
    return None


def _kanslighet(underlag: Underlag, result: sim.ScenarioResult,
                k: Kontext) -> tuple[go.Figure, diagram_grund.Diagramtext]:
    """Cost as a function of the target year's OPI; of the rate when the scenario uses no OPI."""
    scn = result.scenario
    kw = {"published_rates": k.published_rates, "published_opi": k.published_opi,
          "current_moms_ingar": underlag.nuvarande_ingar}
    nu = float(result.totalt().kostnad_nu_kr)
    vald = _vald_opi(result)
    if vald is not None:
        values = sorted(set(KANSLIGHET_OPI_PROCENT) | {vald})
        frame = sim.sensitivity(underlag.timmar, scn, underlag.nuvarande_kr, opi_procent=values, **kw)
        return _kanslighet_figur(frame, f"Kostnad {k.malar} beroende på OPI {k.malar}", f"OPI {k.malar} (%)",
                                 float(vald), nu)
    insats = next(iter(result.nivaer))
    ny = result.nivaer[insats].kr_per_timme
    values = sorted({(ny * a).quantize(Decimal(1), ROUND_HALF_UP) for a in KANSLIGHET_NIVA_ANDEL} | {ny})
    frame = sim.sensitivity(underlag.timmar, scn, underlag.nuvarande_kr, kr_per_timme=values, insats=insats, **kw)
    ins = begrepp.INSATS_TEXT.get(insats, insats)
    return _kanslighet_figur(frame, f"Kostnad {k.malar} beroende på nivån för {ins}",
                             f"{begrepp.ERSATTNINGSNIVA} för {ins} ({begrepp.KR_TIM})", float(ny), nu)


def _kanslighet_figur(frame: pd.DataFrame, titel: str, xtitel: str, vald: float,
                      nu: float) -> tuple[go.Figure, diagram_grund.Diagramtext]:
    text = diagram_grund.beskriv(f"Linjediagram: {titel[0].lower()}{titel[1:]}",
                                 diagram.kanslighet_punkter(frame, xtitel), kategori=xtitel,
                                 extra=f"Kostnaden med nuvarande nivå är {talformat.fmt_kr(nu)}.")
    return diagram.kanslighet(frame, titel, xtitel, vald, nu), text


def _break_even(result: sim.ScenarioResult, insats: str, kostnad_per_arbetad_timme: Decimal | None) -> BreakEvenVy:
    """The required share of delivered time, per payee type, as a curve and at the given cost.

    Curve: cost per worked hour from 50 to 120 % of the rate, one row per cost and payee
    (municipality or own staff: the rate; private provider: the rate + momskompensation).
    """
    rate = result.nivaer[insats].kr_per_timme
    moms = result.scenario.momskompensation_procent
    grund = result.scenario.grund
    mottagare = {"Kommun eller egen regi": rate, f"Privat utförare (+{fmt_procent_sv(moms)} momskomp.)":
                 rate * (1 + moms / 100)}
    rows = []
    for namn, kr in mottagare.items():
        for a in BREAK_EVEN_ANDEL:
            kostnad = (rate * a).quantize(Decimal(1), ROUND_HALF_UP)
            be = sim.break_even_share(kr, kostnad, grund)
            rows.append({"mottagare": namn, "kostnad_per_arbetad_timme_kr": float(kostnad),
                         "andel_procent": float(be.andel * 100)})
    figur = diagram.break_even(pd.DataFrame(rows), float(kostnad_per_arbetad_timme)
                               if kostnad_per_arbetad_timme is not None else None)
    text = diagram_grund.beskriv("Linjediagram: andel utförd tid som krävs för att ersättningen ska täcka "
                                 "kostnaden, per kostnad per arbetad timme", diagram.break_even_punkter(pd.DataFrame(rows)),
                                 enhet="%", kategori="Kostnad per arbetad timme", decimaler=1)
    if kostnad_per_arbetad_timme is None:
        per = sim.BASIS_TEXT[grund]
        return BreakEvenVy(figur, (), f"Bara {per} tid ersätts, så kringtiden (restid, dokumentation) ska täckas av "
                                      f"den. Diagrammet visar andelen {per} tid som krävs vid olika kostnader; ange "
                                      "er kostnad för ett exakt svar.", text)
    svar = tuple(sim.break_even_share(kr, kostnad_per_arbetad_timme, grund).forklaring for kr in mottagare.values())
    return BreakEvenVy(figur, svar, None, text)


def _efterreglering(underlag: Underlag, result: sim.ScenarioResult) -> sim.ArrearsCorrection:
    """What a correction as large as 2023's (OPI 3,5 % → 4,6 %) costs at this volume and today's rates."""
    s = result.scenario
    return sim.arrears_correction(underlag.timmar, underlag.nuvarande_kr_exkl(s.momskompensation_procent),
                                  preliminary_opi(EFTERREGLERING_AR),
                                  opi_for_year(EFTERREGLERING_AR), ar=EFTERREGLERING_AR, grund=s.grund,
                                  momskompensation_procent=s.momskompensation_procent, avrundning=s.avrundning)


def _efterreglering_intro(e: sim.ArrearsCorrection, malar: int) -> str:
    return (f"OPI publiceras preliminärt i december och blir definitivt när löneavtalen är klara; ersättningen "
            f"regleras då i efterhand. OPI {e.ar} var preliminärt {fmt_procent_sv(e.preliminar_procent)} och blev "
            f"definitivt {fmt_procent_sv(e.definitiv_procent)}. Om OPI {malar} ändras lika mycket efter beslutet, "
            f"kostar efterregleringen med underlagets volym och dagens nivåer:")


def _efterreglering_rader(e: sim.ArrearsCorrection, s: Skydd) -> list[str]:
    """The correction's per-insats lines and total; a hidden insats (or total) is not described."""
    if s.totalt:
        return []
    rader = list(e.forklaring[1:-1])
    insatser = list(e.tabell["insats"]) if not e.tabell.empty else []
    out = [r for r, i in zip(rader, insatser) if not s.dold("insats", i)]
    out += [f"{_insats(i)}: {begrepp.MASK}" for i in insatser if s.dold("insats", i)]
    return out + [e.forklaring[-1]]


def _basbyte_tabell(byte: sim.BasisSwitch, s: Skydd) -> pd.DataFrame:
    """The basis switch per insats and in total, as display strings; a hidden insats shows `..`."""
    rows = []
    for r in byte.tabell.to_dict("records"):
        insats = r["insats"]
        label = begrepp.TOTALT if insats == "totalt" else _insats(insats)
        dold = s.totalt if insats == "totalt" else s.dold("insats", insats)
        values = {
            "Beviljade timmar": talformat.fmt_tal(r["beviljad_timmar"]),
            "Utförda timmar": talformat.fmt_tal(r["utford_timmar"]),
            "Utförd tid, % av beviljad": talformat.fmt_tal(r["utford_andel_procent"], 1),
            "Kostnad med ersättning per utförd tid (kr)": talformat.fmt_tal(r["kostnad_utford_kr"]),
            "Kostnad med ersättning per beviljad tid (kr)": talformat.fmt_tal(r["kostnad_beviljad_kr"]),
            "Skillnad (kr)": talformat.fmt_andring_kr(r["skillnad_kr"]).removesuffix(" kr"),
            "Skillnad (%)": talformat.fmt_procent(r["skillnad_procent"], 1, tecken=True).removesuffix(" %"),
        }
        rows.append({"Insats": label, **({c: begrepp.MASK for c in values} if dold else values)})
    return pd.DataFrame(rows)


def _ekonomiska_konsekvenser(berakning: Berakning, vald: int, underlag: Underlag, oppen_vy: bool,
                             smatal_grans: int, demodata: bool) -> tj.Avsnitt:
    """The tjänsteskrivelse section for the chosen scenario, the other scenarios beside it."""
    result = berakning.resultat[vald]
    andra = [berakning.resultat[i] for i in berakning.giltiga if i != vald]
    return tj.build_section(
        result, volymar=underlag.volymar, personer=underlag.personer, oppen_vy=oppen_vy, smatal_grans=smatal_grans,
        jamforelse=andra, efterreglering=_efterreglering(underlag, result), datakalla=underlag.datakalla,
        demodata=demodata, kommunnamn=referens.kommunnamn)


def _filnamn(result: sim.ScenarioResult, suffix: str) -> str:
    """'ekonomiska_konsekvenser_2027_egen_niva_opi.docx' (ASCII, for every file system)."""
    namn = result.scenario.namn.lower()
    for a, b in (("å", "a"), ("ä", "a"), ("ö", "o"), ("é", "e")):
        namn = namn.replace(a, b)
    slug = "_".join("".join(c if c.isalnum() and c.isascii() else " " for c in namn).split())[:40]
    return f"ekonomiska_konsekvenser_{result.scenario.malar}_{slug}.{suffix}"


def _prognos_beskrivning(u: Underlag, s: Skydd) -> str | None:
    """The forecast's method with its level per insats; a hidden insats's level is not shown."""
    if u.prognos_text is None:
        return None
    visas = {i: f for i, f in u.prognosnivaer.items() if not s.dold("insats", i)}
    nivaer_text = (" (utförd tid: " + ", ".join(f"{begrepp.INSATS_TEXT.get(i, i)} {talformat.fmt_tal(f, 2)}"
                                                for i, f in visas.items()) + ")") if visas else ""
    return u.prognos_text.replace("{nivaer}", nivaer_text)
