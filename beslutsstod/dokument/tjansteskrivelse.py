"""The section "Ekonomiska konsekvenser" of a tjänsteskrivelse, written from a scenario result.

``build_section`` turns a ``simulator.ScenarioResult`` into an ``Avsnitt``: Swedish paragraphs
in the style of the committee's own papers (Härryda's tjänsteskrivelse 2024-05-20, dnr
2024SOCN66 709, seed 000), the assumptions, the sources and decision references, and the
tables. ``to_docx`` and ``to_xlsx`` write the same Avsnitt to bytes; the page shows the same
``Tabell`` objects, so the page, the Word file and the workbook hold the same figures.

Small-number protection: committee papers are public. In the open view (``oppen_vy=True``,
the default) the caller passes distinct persons per group (``personer``) and every table is
masked with ``smatalsskydd.mask_long`` (primary and secondary suppression); a masked cell is
written ".." and the text leaves out figures for masked groups. A total masked in one table is
masked in all tables and in the text, so it cannot be read elsewhere. A cell given as None in a
``Tabell`` is always written "..".
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Callable, Mapping, Sequence

import pandas as pd

from beslutsstod import begrepp, saker_text, talformat
from beslutsstod.begrepp import MASK, MOMS_REGI, SAKNAS, TOTALT, med_enhet
from beslutsstod.data import referens
from beslutsstod.regler import smatalsskydd
from beslutsstod.regler.nivaer import fmt_kr_sv
from beslutsstod.regler.simulator import (
    BASIS_PLURAL,
    BASIS_TEXT,
    Aggregat,
    ArrearsCorrection,
    RateCalculation,
    ScenarioResult,
)

RUBRIK = "Ekonomiska konsekvenser"
TOTAL = TOTALT  # kept for vyer/insatsmodell.py until it takes begrepp.TOTALT itself
SHEET_NAME_MAX = 31  # characters, Excel's limit

# Column formats of a Tabell: how a value is written in the docx and stored in the xlsx.
FORMATS = ("text", "kr", "andring_kr", "kr_tim", "timmar", "procent", "andring_procent", "antal")
XLSX_FORMAT = {
    "kr": "#,##0",
    "andring_kr": "+#,##0;-#,##0;0",
    "kr_tim": "#,##0",  # whole kronor; a rate with öre gets "#,##0.00" per cell
    "timmar": "#,##0",
    "procent": "0.0%",  # stored as a fraction: 3,1 % is 0.031
    "andring_procent": "+0.0%;-0.0%;0.0%",
    "antal": "#,##0",
}
DIM_RUBRIK = {"insats": "Insats", "regi": "Regi", "vistelsekommun": "Vistelsekommun", "manad": "Månad"}
TABELL_NAMN = {"insats": "Per insats", "regi": "Per regi", "vistelsekommun": "Per vistelsekommun",
               "manad": "Per månad"}


def _heltal(x: Decimal) -> Decimal:
    return x.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def _kr(x: Decimal) -> str:
    return talformat.fmt_kr(float(_heltal(x)))


def _tim(x: Decimal) -> str:
    return talformat.fmt_tal(float(_heltal(x)))


def _pct(x: Decimal, tecken: bool = False) -> str:
    return talformat.fmt_procent(float(x), 1, tecken=tecken)


def _pct_kort(x: Decimal) -> str:
    """'6 %' for a whole percentage, '6,5 %' otherwise (rates such as momskompensation)."""
    return talformat.fmt_procent(float(x), 0 if x == x.to_integral_value() else 1)


def _kronor_ord(x: Decimal) -> str:
    """'468 kronor' / '467,62 kronor' for running text."""
    return fmt_kr_sv(x).removesuffix(" kr") + " kronor"


def _insats(insats: str) -> str:
    return begrepp.INSATS_TEXT.get(insats, insats)


# --------------------------------------------------------------------------- tables


@dataclass(frozen=True)
class Tabell:
    """A table of the section. Values: str, int or Decimal; None is masked (".."), SAKNAS is "–"."""

    namn: str  # short name, also the sheet name in the workbook
    rubrik: str
    kolumner: tuple[str, ...]
    format: tuple[str, ...]  # one of FORMATS per column
    rader: tuple[tuple, ...]
    fotnot: str | None = None

    def cell_text(self, value: object, fmt: str) -> str:
        """A value as written in the document; the unit is in the column heading ("Kostnad (kr)")."""
        if value is None:
            return MASK
        if isinstance(value, str):
            return value
        d = Decimal(value) if not isinstance(value, Decimal) else value
        if fmt in ("kr", "timmar", "antal"):
            return talformat.fmt_tal(float(_heltal(d)))
        if fmt == "andring_kr":
            q = _heltal(d)
            return ("+" if q > 0 else "") + talformat.fmt_tal(float(q))
        if fmt == "kr_tim":
            return fmt_kr_sv(d).removesuffix(" kr")
        if fmt in ("procent", "andring_procent"):
            q = d.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            return ("+" if fmt == "andring_procent" and q > 0 else "") + talformat.fmt_tal(float(q), 1)
        return str(value)

    def text_rows(self) -> list[list[str]]:
        return [[self.cell_text(v, f) for v, f in zip(row, self.format)] for row in self.rader]

    def to_frame(self) -> pd.DataFrame:
        """Values (Decimal → float; masked None stays None) with the column headings."""
        rows = [[float(v) if isinstance(v, (Decimal, int)) and not isinstance(v, bool) else v for v in row]
                for row in self.rader]
        return pd.DataFrame(rows, columns=list(self.kolumner))

    def display_frame(self) -> pd.DataFrame:
        """The table as the document writes it (strings)."""
        return pd.DataFrame(self.text_rows(), columns=list(self.kolumner))


@dataclass(frozen=True)
class Avsnitt:
    """The generated section: paragraphs, assumptions, sources, decisions and tables."""

    rubrik: str
    stycken: tuple[str, ...]
    antaganden: tuple[str, ...]
    kallor: tuple[str, ...]
    beslut: tuple[str, ...]
    tabeller: tuple[Tabell, ...]
    fotnot: str | None = None

    def text(self) -> str:
        """Plain text of the section (paragraphs, assumptions, sources), for copying."""
        parts = [self.rubrik, *self.stycken]
        if self.antaganden:
            parts.append("Antaganden\n" + "\n".join(f"• {a}" for a in self.antaganden))
        parts.append("Källor och beslutsunderlag\n" + "\n".join(f"• {k}" for k in (*self.beslut, *self.kallor)))
        if self.fotnot:
            parts.append(self.fotnot)
        return "\n\n".join(parts)


def _unique(items: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for i in items if i))


def _label(dim: str, key: object, kommunnamn: Callable[[str], str]) -> str:
    if dim == "insats":
        return _insats(str(key)).capitalize()
    if dim == "regi":
        return begrepp.REGI_NAMN.get(str(key), str(key))
    if dim == "vistelsekommun":
        return kommunnamn(str(key))
    if dim == "manad":
        return talformat.manad_namn(int(key), lang=True).capitalize()
    return str(key)


def _persons_of(personer: Mapping | None, dim: str, key: object) -> int | None:
    if personer is None:
        return None
    if dim == "totalt":
        value = personer.get("totalt")
    else:
        per_dim = personer.get(dim)
        if per_dim is None:
            raise ValueError(f"Antal personer per {dim} saknas; behövs för att skydda små tal i öppen vy")
        value = per_dim.get(key, per_dim.get(str(key)))
    if value is None:
        raise ValueError(f"Antal personer saknas för {dim} = {key!r}; behövs för att skydda små tal i öppen vy")
    return int(value)


@dataclass
class _CostTable:
    """A cost table before it becomes a Tabell: keys, aggregates and which rows are masked."""

    dim: str
    keys: list
    aggs: list[Aggregat]
    persons: list[int | None]
    masked: list[bool]  # per row; the last row is the total


def _cost_table(result: ScenarioResult, dim: str, personer: Mapping | None, oppen_vy: bool,
                smatal_grans: int) -> _CostTable:
    aggs = result.per(dim)
    keys = [a.nyckel[0] for a in aggs] + [TOTALT]
    aggs = aggs + [result.totalt()]
    persons = [_persons_of(personer, dim, k) for k in keys[:-1]] + [_persons_of(personer, "totalt", None)]
    masked = [False] * len(keys)
    if oppen_vy and personer is not None:
        df = pd.DataFrame({"etikett": [str(k) for k in keys], "personer": persons,
                           "kostnad": [float(a.kostnad_ny_kr) for a in aggs]})
        m = smatalsskydd.mask_long(df, persons_col="personer", value_cols=["kostnad"], smatal_grans=smatal_grans,
                              oppen_vy=True, label_col="etikett", total_label=TOTALT)
        masked = m.mask["kostnad"].tolist()
    return _CostTable(dim, keys, aggs, persons, masked)


def _cost_tabell(ct: _CostTable, result: ScenarioResult, volymar: int, kommunnamn: Callable[[str], str],
                 fotnot: str | None) -> Tabell:
    s = result.scenario
    nu = BASIS_PLURAL[s.nuvarande_grund]
    ny = BASIS_PLURAL[s.grund]
    with_persons = any(p is not None for p in ct.persons)
    kolumner = [DIM_RUBRIK[ct.dim]] + (["Personer"] if with_persons else []) + [
        f"{nu.capitalize()} timmar {volymar}", f"{ny.capitalize()} timmar {s.malar}",
        f"Kostnad med {volymar} års nivå (kr)", f"Kostnad {s.malar} (kr)", "Förändring (kr)", "Förändring (%)"]
    fmt = ["text"] + (["antal"] if with_persons else []) + ["timmar", "timmar", "kr", "kr", "andring_kr",
                                                             "andring_procent"]
    rows = []
    for key, a, p, masked in zip(ct.keys, ct.aggs, ct.persons, ct.masked):
        label = TOTALT if key == TOTALT else _label(ct.dim, key, kommunnamn)
        pct = a.forandring_procent
        values: list = [a.timmar_nu, a.timmar_ny, a.kostnad_nu_kr, a.kostnad_ny_kr, a.forandring_kr,
                        pct if pct is not None else SAKNAS]
        if with_persons:
            values = [p] + values
        if masked:
            values = [None] * len(values)
        rows.append(tuple([label] + values))
    rubrik = f"Kostnad {DIM_RUBRIK[ct.dim].lower()}: {volymar} års nivå och {s.malar} års nivå"
    rubrik = {"insats": f"Kostnad per insats {s.malar}", "regi": f"Kostnad per regi {s.malar}",
              "vistelsekommun": f"Kostnad per vistelsekommun {s.malar}",
              "manad": f"Kostnad per månad {s.malar}"}.get(ct.dim, rubrik)
    return Tabell(TABELL_NAMN.get(ct.dim, ct.dim), rubrik, tuple(kolumner), tuple(fmt), tuple(rows),
                  fotnot if any(ct.masked) else None)


def _berakning(calc: RateCalculation) -> str:
    if calc.steg:
        return "; ".join(f"{st.ar}: {fmt_kr_sv(st.from_kr)} × (1 + {_pct(st.opi_procent)}) = "
                         f"{fmt_kr_sv(st.exakt_kr)}" + ("" if st.exakt_kr == st.to_kr else f" → {fmt_kr_sv(st.to_kr)}")
                         for st in calc.steg)
    return {"publicerad": "Publicerad nivå", "egen_summa": "Eget belopp", "oforandrad": "Oförändrad",
            "egen": "Kommunens egen nivå"}.get(calc.modell, calc.modell)


def _rate_tabell(result: ScenarioResult, volymar: int) -> Tabell:
    s = result.scenario
    rows = []
    for insats, calc in result.nivaer.items():
        nu = result.nuvarande_nivaer.get(insats)
        ny = calc.kr_per_timme
        diff = ny - nu if nu is not None else None
        pct = (diff / nu * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if nu else None
        # The level's own source and decision; OPI sources are listed under "Källor".
        kalla = "; ".join((*calc.beslut, *calc.kallor[:1])) or SAKNAS
        rows.append((_insats(insats).capitalize(), nu if nu is not None else SAKNAS, ny,
                     diff if diff is not None else SAKNAS, pct if pct is not None else SAKNAS,
                     _berakning(calc), kalla))
    return Tabell("Ersättningsnivåer", f"Ersättning per timme {s.malar}, exklusive momskompensation",
                  ("Insats", med_enhet(f"Nivå {volymar}"), med_enhet(f"Nivå {s.malar}"), med_enhet("Förändring"),
                   "Förändring (%)", "Beräkning", "Källa"),
                  ("text", "kr_tim", "kr_tim", "kr_tim", "andring_procent", "text", "text"), tuple(rows))


def _comparison_tabell(results: Sequence[ScenarioResult], total_masked: bool, fotnot: str | None) -> Tabell:
    insatser = list(dict.fromkeys(i for r in results for i in r.nivaer))
    malar = results[0].scenario.malar
    kolumner = ["Scenario"] + [med_enhet(_insats(i).capitalize()) for i in insatser] + [
        f"Kostnad {malar} (kr)", "Förändring (kr)", "Förändring (%)"]
    fmt = ["text"] + ["kr_tim"] * len(insatser) + ["kr", "andring_kr", "andring_procent"]
    rows = []
    for r in results:
        t = r.totalt()
        levels = [r.nivaer[i].kr_per_timme if i in r.nivaer else SAKNAS for i in insatser]
        pct = t.forandring_procent
        costs = [t.kostnad_ny_kr, t.forandring_kr, pct if pct is not None else SAKNAS]
        rows.append(tuple([r.scenario.namn] + levels + ([None] * 3 if total_masked else costs)))
    return Tabell("Jämförelse", "Jämförelse av scenarier", tuple(kolumner), tuple(fmt), tuple(rows),
                  fotnot if total_masked else None)


# --------------------------------------------------------------------------- text


def _rate_sentence(calc: RateCalculation, first: bool) -> str:
    ins = _insats(calc.insats)
    lead = f"Förslaget innebär att ersättningen för {ins} blir" if first else f"Ersättningen för {ins} blir"
    kr = _kronor_ord(calc.kr_per_timme)
    if calc.modell == "oforandrad":
        return f"Ersättningen för {ins} är oförändrad, {kr} per timme exklusive momskompensation."
    if calc.modell == "publicerad":
        ref = f" ({'; '.join(calc.beslut)})" if calc.beslut else ""
        return f"{lead} {kr} per timme {calc.ar} {calc.kort}{ref}."
    return f"{lead} {kr} per timme {calc.ar} ({calc.kort}) exklusive momskompensation."


def _change_phrase(a: Aggregat, rak: bool = False) -> str:
    """'ökar kostnaden med 172 830 kr (3,1 %) till 5 812 345 kr' (rak: 'kostnaden ökar med …')."""
    diff = _heltal(a.forandring_kr)
    pct = a.forandring_procent
    pct_text = f" ({_pct(abs(pct))})" if pct is not None else ""
    if diff == 0:
        verb, rest = "blir", f"oförändrad, {_kr(a.kostnad_ny_kr)}"
    else:
        verb = "ökar" if diff > 0 else "minskar"
        rest = f"med {_kr(abs(diff))}{pct_text} till {_kr(a.kostnad_ny_kr)}"
    return f"kostnaden {verb} {rest}" if rak else f"{verb} kostnaden {rest}"


def build_section(
    result: ScenarioResult,
    *,
    volymar: int | None = None,
    personer: Mapping | None = None,
    oppen_vy: bool = True,
    smatal_grans: int = smatalsskydd.STANDARD_SMATAL_GRANS,
    jamforelse: Sequence[ScenarioResult] = (),
    efterreglering: ArrearsCorrection | None = None,
    datakalla: str = "kommunens tidregistrering (besök)",
    demodata: bool = False,
    beslut: Sequence[str] = (),
    kommunnamn: Callable[[str], str] | None = None,
) -> Avsnitt:
    """The "Ekonomiska konsekvenser" section for ``result``.

    volymar: the year whose hours are the volume basis (default: target year − 1).
    personer: distinct persons per group, {"totalt": n, "insats": {...}, "regi": {...},
    "vistelsekommun": {...}, "manad": {...}} (only the dimensions the result has); required in
    the open view. jamforelse: other scenarios (≤ 2) shown beside this one. efterreglering: an
    arrears example to mention. beslut: further decision references (the committee's own).
    """
    s = result.scenario
    volymar = volymar if volymar is not None else s.malar - 1
    kommunnamn = kommunnamn or referens.kommunnamn
    if oppen_vy and personer is None:
        raise ValueError("Öppen vy kräver antal personer per grupp (personer) för att skydda små tal; "
                         "ange personer eller oppen_vy=False för tjänstepersonernas detaljvy.")
    fotnot_text = smatalsskydd.footnote_sv(smatal_grans)

    cost_tables = {d: _cost_table(result, d, personer, oppen_vy, smatal_grans) for d in result.dimensioner}
    total_masked = any(ct.masked[-1] for ct in cost_tables.values())
    if not cost_tables and oppen_vy:
        total_masked = smatalsskydd.is_masked(_persons_of(personer, "totalt", None), smatal_grans)
    if total_masked:  # the same total must not be shown anywhere else
        for ct in cost_tables.values():
            ct.masked[-1] = True
    masked_keys = {d: {k for k, m in zip(ct.keys[:-1], ct.masked[:-1]) if m} for d, ct in cost_tables.items()}

    t = result.totalt()
    grund = BASIS_TEXT[s.grund]
    stycken: list[str] = []

    # 1. The rates.
    calcs = list(result.nivaer.values())
    if calcs:
        stycken.append(" ".join(_rate_sentence(c, i == 0) for i, c in enumerate(calcs)))

    # 2. Volume and total cost.
    nu_list = [f"{_insats(i)} {fmt_kr_sv(kr)}" for i, kr in result.nuvarande_nivaer.items()]
    nu_nivaer = " och ".join([", ".join(nu_list[:-1]), nu_list[-1]] if len(nu_list) > 1 else nu_list)
    if total_masked:
        stycken.append(f"Kostnaden redovisas inte eftersom underlaget gäller färre än {smatal_grans} personer.")
    else:
        vol = s.volymforandring_procent
        text = f"Med {volymar} års volym, {_tim(t.timmar_bas)} {BASIS_PLURAL[s.grund]} timmar,"
        if vol != 0 or s.volymforandring_per_vistelsekommun:
            per_kommun = (f" (med egna antaganden för {len(s.volymforandring_per_vistelsekommun)} vistelsekommuner)"
                          if s.volymforandring_per_vistelsekommun else "")
            text += f" och en volymförändring på {_pct(vol, tecken=True)}{per_kommun} till {_tim(t.timmar_ny)} timmar,"
        text += f" {_change_phrase(t)}."
        text += (f" Med {volymar} års ersättningsnivåer" + (f" ({nu_nivaer} per timme)" if nu_nivaer else "")
                 + f" och volym är kostnaden {_kr(t.kostnad_nu_kr)}.")
        if s.grund != s.nuvarande_grund:
            text += (f" Förslaget ändrar grunden för ersättningen från {BASIS_TEXT[s.nuvarande_grund]} till {grund} tid: "
                     f"{volymar} var de {BASIS_PLURAL[s.nuvarande_grund]} timmarna {_tim(t.timmar_nu)} och de "
                     f"{BASIS_PLURAL[s.grund]} {_tim(t.timmar_bas)}.")
        if vol != 0 or s.volymforandring_per_vistelsekommun or s.grund != s.nuvarande_grund:
            text += (f" Av förändringen beror {_kr(t.priseffekt_kr)} på de nya ersättningsnivåerna och "
                     f"{_kr(t.volymeffekt_kr)} på förändrad volym"
                     + (" och grund" if s.grund != s.nuvarande_grund else "") + ".")
        stycken.append(text)

    # 3. Per insats, when there is more than one.
    if "insats" in cost_tables and len(cost_tables["insats"].keys) > 2:
        parts = []
        for key, a in zip(cost_tables["insats"].keys[:-1], cost_tables["insats"].aggs[:-1]):
            if key in masked_keys["insats"]:
                parts.append(f"Kostnaden för {_insats(key)} redovisas inte för att skydda enskilda.")
            else:
                parts.append(f"För {_insats(key)} {_change_phrase(a)}.")
        stycken.append(" ".join(parts))

    # 4. Momskompensation.
    moms = _pct_kort(s.momskompensation_procent)
    regier = set(cost_tables["regi"].keys[:-1]) if "regi" in cost_tables else set()
    ingen = "Vistelsekommuner och egen regi får ingen momskompensation eftersom kommuner inte betalar moms."
    if MOMS_REGI in regier:
        if MOMS_REGI in masked_keys.get("regi", set()) or total_masked:
            stycken.append(f"Till privata utförare betalas momskompensation med {moms} utöver ersättningen. {ingen}")
        else:
            stycken.append(f"Till privata utförare betalas momskompensation med {moms} utöver ersättningen; den ingår "
                           f"i beloppen ovan med {_kr(t.momskompensation_ny_kr)}. {ingen}")
    else:
        stycken.append(f"Inga insatser i underlaget utförs av privata utförare, så ingen momskompensation tillkommer. {ingen}")

    # 5. Where and when.
    where = []
    if "vistelsekommun" in cost_tables:
        where.append(f"Insatserna utfördes i {len(cost_tables['vistelsekommun'].keys) - 1} vistelsekommuner.")
    if "manad" in cost_tables and len(cost_tables["manad"].keys) > 2:
        ct = cost_tables["manad"]
        rows = [(k, a) for k, a, m in zip(ct.keys[:-1], ct.aggs[:-1], ct.masked[:-1]) if not m]
        if rows:
            k, a = max(rows, key=lambda ka: ka[1].timmar_nu)
            if not total_masked:
                where.append(f"Flest timmar utfördes i {talformat.manad_namn(int(k), lang=True)} "
                             f"({_tim(a.timmar_nu)} timmar).")
    if len(cost_tables) > 1:
        names = [DIM_RUBRIK[d].lower() for d in cost_tables]
        where.append(f"Fördelningen per {', '.join(names[:-1])} och {names[-1]} framgår av tabellerna.")
    if where:
        stycken.append(" ".join(where))

    # 6. Arrears.
    if efterreglering is not None:
        e = efterreglering
        ar = f" {e.ar}" if e.ar is not None else ""
        text = ("Om ersättningen betalas med ett preliminärt OPI och det definitiva värdet blir ett annat, "
                f"regleras skillnaden i efterhand. OPI{ar} var preliminärt {_pct(e.preliminar_procent)} och blev "
                f"definitivt {_pct(e.definitiv_procent)}")
        # conditional: it rests on today's volume and rates, and on OPI moving as much again
        text += "." if total_masked else (f". Om OPI {s.malar} skulle ändras lika mycket efter beslutet, skulle det med "
                                          "underlagets volym och dagens nivåer motsvara en efterbetalning på "
                                          f"{_kr(e.efterbetalning_kr)}.")
        stycken.append(text)

    # 7. Comparison.
    if jamforelse:
        parts = []
        for r in jamforelse:
            nivaer = " och ".join(f"{fmt_kr_sv(c.kr_per_timme)} för {_insats(i)}" for i, c in r.nivaer.items())
            text = f"I jämförelsescenariot ”{r.scenario.namn}” blir ersättningen {nivaer}"
            text += "." if total_masked else f", och {_change_phrase(r.totalt(), rak=True)}."
            parts.append(text)
        stycken.append(" ".join(parts))

    # Assumptions, sources, decisions.
    antaganden: list[str] = []
    for c in calcs:
        antaganden.extend(c.antaganden)
    if s.volymforandring_procent != 0:
        antaganden.append(f"Volymen antas förändras med {_pct(s.volymforandring_procent, tecken=True)} jämfört med {volymar}.")
    for kod, v in s.volymforandring_per_vistelsekommun.items():
        antaganden.append(f"Volymen i {kommunnamn(kod)} antas förändras med {_pct(v, tecken=True)}.")
    if demodata:
        antaganden.append("Beräkningen bygger på fiktiva demodata, inte på kommunens verkliga uppgifter.")
    kallor = [k for c in calcs for k in c.kallor]
    kallor.append(f"Volymer: {datakalla}, {volymar}.")
    beslut_refs = [b for c in calcs for b in c.beslut] + list(beslut)
    if any("2023-12-12" in a for a in antaganden):
        beslut_refs.append("Protokoll VästKom 2023-12-12, § 67")

    tabeller = [_rate_tabell(result, volymar)]
    tabeller += [_cost_tabell(ct, result, volymar, kommunnamn, fotnot_text) for ct in cost_tables.values()]
    if jamforelse:
        tabeller.append(_comparison_tabell([result, *jamforelse], total_masked, fotnot_text))
    any_masked = any(tb.fotnot for tb in tabeller) or total_masked
    return Avsnitt(RUBRIK, tuple(stycken), _unique(antaganden), _unique(kallor), _unique(beslut_refs),
                   tuple(tabeller), fotnot_text if any_masked else None)


# --------------------------------------------------------------------------- docx / xlsx

_NUMERIC = {"kr", "andring_kr", "kr_tim", "timmar", "procent", "andring_procent", "antal"}


def to_docx(avsnitt: Avsnitt, forfattare: str | None = None, skapad: dt.datetime | None = None) -> bytes:
    """The section as a Word document (python-docx), tables included, ready to file.

    Tagged Swedish (sv-SE) in the document defaults and every style, A4 with normal margins
    (2,5 cm), and the core properties set: title (the section's heading), author (``forfattare``,
    e.g. "Härryda kommun, Socialnämnden"; never python-docx's default), created and modified
    ``skapad`` (now), no template date from 2013.
    """
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for kant in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, kant, Cm(2.5))
    # the language: document defaults (w:docDefaults) and every style that sets its own
    styles = doc.styles.element
    for rpr in [*styles.iter(qn("w:rPr"))]:
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = rpr.makeelement(qn("w:lang"), {})
            rpr.append(lang)
        for attr in ("w:val", "w:eastAsia", "w:bidi"):
            lang.set(qn(attr), "sv-SE")
    # core properties are UTC (W3CDTF); a naive time is local time
    nu = (skapad or dt.datetime.now()).astimezone(dt.timezone.utc).replace(microsecond=0, tzinfo=None)
    props = doc.core_properties
    props.title = avsnitt.rubrik
    props.author = forfattare or ""
    props.last_modified_by = forfattare or ""
    props.created = nu
    props.modified = nu
    props.language = "sv-SE"
    props.comments = ""
    props.revision = 1
    doc.add_heading(avsnitt.rubrik, level=1)
    for p in avsnitt.stycken:
        doc.add_paragraph(p)
    if avsnitt.antaganden:
        doc.add_heading("Antaganden", level=2)
        for a in avsnitt.antaganden:
            doc.add_paragraph(a, style="List Bullet")
    for tb in avsnitt.tabeller:
        doc.add_heading(tb.rubrik, level=2)
        table = doc.add_table(rows=1 + len(tb.rader), cols=len(tb.kolumner))
        table.style = "Table Grid"
        for j, name in enumerate(tb.kolumner):
            cell = table.cell(0, j)
            cell.text = ""
            run = cell.paragraphs[0].add_run(name)
            run.bold = True
        for i, row in enumerate(tb.text_rows(), start=1):
            is_total = tb.rader[i - 1][0] == TOTALT
            for j, text in enumerate(row):
                para = table.cell(i, j).paragraphs[0]
                run = para.add_run(text)
                run.bold = is_total
                if tb.format[j] in _NUMERIC:
                    para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for row in table.rows:
            for cell in row.cells:
                for para in cell.paragraphs:
                    for run in para.runs:
                        run.font.size = Pt(9)
        if tb.fotnot:
            note = doc.add_paragraph()
            r = note.add_run(tb.fotnot)
            r.italic = True
            r.font.size = Pt(8)
    doc.add_heading("Källor och beslutsunderlag", level=2)
    for k in (*avsnitt.beslut, *avsnitt.kallor):
        doc.add_paragraph(k, style="List Bullet")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def to_xlsx(avsnitt: Avsnitt) -> bytes:
    """The section as a workbook: sheet "Text" and one sheet per table, numbers stored as numbers.

    Percentages are stored as fractions with a percent format (3,1 % is 0.031); masked cells
    are the text "..", values that do not apply the text "–".
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from beslutsstod.dokument.tabellfil import formelsaker

    wb = Workbook()
    ws = wb.active
    ws.title = "Text"
    ws.column_dimensions["A"].width = 120
    lines: list[tuple[str, bool]] = [(avsnitt.rubrik, True)] + [(p, False) for p in avsnitt.stycken]
    if avsnitt.antaganden:
        lines += [("Antaganden", True)] + [(f"• {a}", False) for a in avsnitt.antaganden]
    lines += [("Källor och beslutsunderlag", True)] + [(f"• {k}", False) for k in (*avsnitt.beslut, *avsnitt.kallor)]
    if avsnitt.fotnot:
        lines.append((avsnitt.fotnot, False))
    for i, (text, bold) in enumerate(lines, start=1):
        cell = ws.cell(row=i, column=1, value=text)
        formelsaker(text, xlsx_cell=cell)  # a scenario name like "=1+1" stays text
        cell.font = Font(bold=bold)
        cell.alignment = Alignment(wrap_text=True, vertical="top")

    used: set[str] = {"Text"}
    for tb in avsnitt.tabeller:
        name = tb.namn[:SHEET_NAME_MAX]
        n = 2
        while name in used:
            name = f"{tb.namn[:SHEET_NAME_MAX - 3]} {n}"
            n += 1
        used.add(name)
        sh = wb.create_sheet(name)
        formelsaker(tb.rubrik, xlsx_cell=sh.cell(row=1, column=1, value=tb.rubrik))
        sh.cell(row=1, column=1).font = Font(bold=True)
        for j, col in enumerate(tb.kolumner, start=1):
            formelsaker(col, xlsx_cell=sh.cell(row=3, column=j, value=col))
            sh.cell(row=3, column=j).font = Font(bold=True)
            sh.column_dimensions[sh.cell(row=3, column=j).column_letter].width = 60 if tb.format[j - 1] == "text" and j > 1 else 22
        for i, row in enumerate(tb.rader, start=4):
            for j, (value, fmt) in enumerate(zip(row, tb.format), start=1):
                cell = sh.cell(row=i, column=j)
                if value is None:
                    cell.value = MASK
                    cell.alignment = Alignment(horizontal="right")
                elif isinstance(value, str):
                    cell.value = value
                    formelsaker(value, xlsx_cell=cell)
                    if fmt in _NUMERIC:
                        cell.alignment = Alignment(horizontal="right")
                else:
                    number = float(value)
                    if fmt in ("procent", "andring_procent"):
                        number = float(Decimal(value) / 100)
                    cell.value = number
                    cell.number_format = XLSX_FORMAT.get(fmt, "General")
                    if fmt == "kr_tim" and Decimal(value) != Decimal(value).to_integral_value():
                        cell.number_format = "#,##0.00"  # a rate with öre; '#,##0.##' would show "468."
                if row[0] == TOTALT:
                    cell.font = Font(bold=True)
        if tb.fotnot:
            sh.cell(row=len(tb.rader) + 5, column=1, value=tb.fotnot).font = Font(italic=True)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def markdown_text(avsnitt: Avsnitt) -> str:
    """The section as Markdown for a page (paragraphs, assumptions, sources, footnote), no tables.

    Every sentence is escaped: it carries scenario names and file-supplied text, which are data.
    """
    esc = saker_text.markdown

    delar = [f"#### {esc(avsnitt.rubrik)}", *map(esc, avsnitt.stycken)]
    if avsnitt.antaganden:
        delar.append("**Antaganden**\n\n" + "\n".join(f"- {esc(a)}" for a in avsnitt.antaganden))
    kallor = (*avsnitt.beslut, *avsnitt.kallor)
    delar.append("**Källor och beslutsunderlag**\n\n" + "\n".join(f"- {esc(x)}" for x in kallor))
    if avsnitt.fotnot:
        delar.append(f"*{esc(avsnitt.fotnot)}*")
    return "\n\n".join(delar)
