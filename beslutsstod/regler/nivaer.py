"""Published rates (ersättningsnivåer) and their revision by a percentage such as OPI.

Rates are kr per hour. Decisions round the revised rate to whole kronor (VästKom: 383 kr ×
1,02 = 390,66 → 391 kr for 2017), so that is the default; "tiotal_ore" rounds to 0,10 kr and
"none" keeps the exact product. All arithmetic is Decimal with ROUND_HALF_UP.

The published table is ``data/reference/beslutade_nivaer.csv``: one row per year, insats and
level. Where a year has several levels for one insats (kommunal primärvård 2016–2017: after a
district nurse's decision, and after a physiotherapist's/occupational therapist's), the first
row in the file is the main level (the one used for visits); the others are variants.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Iterable, Mapping

import pandas as pd

from beslutsstod import begrepp, installningar, talformat
from beslutsstod.regler import kostnadsregel
from beslutsstod.regler.opi import OpiValue, PublishedOpi, fmt_procent_sv, load_opi, opi_for_year, to_decimal

ROUNDING_STEPS: dict[str, Decimal | None] = {
    "krona": Decimal("1"),  # whole kronor, as rate decisions are written
    "tiotal_ore": Decimal("0.1"),  # 0,10 kr
    "none": None,  # the exact product, no rounding
}
ROUNDING_TEXT = {"krona": "hela kronor", "tiotal_ore": "tiotal öre", "none": "ingen avrundning"}
INSATS_TEXT = begrepp.INSATS_TEXT


def default_path() -> Path:
    return installningar.reference_dir() / "beslutade_nivaer.csv"


def fmt_kr_sv(x: object) -> str:
    """'391 kr' for whole kronor, '390,66 kr' otherwise (rounded half-up to öre first)."""
    d = to_decimal(x).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return talformat.fmt_kr(float(d), 0 if d == d.to_integral_value() else 2)


@dataclass(frozen=True)
class PublishedRate:
    """One row of beslutade_nivaer.csv."""

    ar: int
    insats: str
    kr_per_timme: Decimal
    momskompensation_ingar: bool | None  # None = not stated in the source
    avser: str
    kalla: str
    referens: str

    @property
    def is_vastkom_recommendation(self) -> bool:
        """A VästKom board recommendation (as opposed to a municipality's own decision)."""
        return self.kalla.startswith("VästKom")



def _bool_or_none(text: str) -> bool | None:
    t = (text or "").strip().lower()
    if t in ("true", "1", "ja"):
        return True
    if t in ("false", "0", "nej"):
        return False
    return None


def _read_rows(path: Path) -> list[dict[str, str]]:
    """Rows of the CSV; a row with surplus fields has them rejoined into `avser`.

    `avser` is free text and may hold an unquoted decimal comma: the 2016 row reads
    "(+2,5 % mot 2015)" without quotes, which splits into one field too many. The other
    columns are codes, numbers and sources without commas, so the surplus belongs to `avser`.
    """
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = [h.strip() for h in next(reader)]
        at = header.index("avser")
        out = []
        for fields in reader:
            if not fields:
                continue
            extra = len(fields) - len(header)
            if extra > 0:
                fields = fields[:at] + [",".join(fields[at:at + extra + 1])] + fields[at + extra + 1:]
            elif extra < 0:
                raise ValueError(f"{path.name}: raden {fields!r} har för få fält")
            out.append(dict(zip(header, fields)))
        return out


def load_published_rates(path: Path | str | None = None) -> list[PublishedRate]:
    """All rows of beslutade_nivaer.csv, in file order."""
    path = Path(path) if path is not None else default_path()
    return [
        PublishedRate(
            ar=int(r["ar"]),
            insats=r["insats"].strip(),
            kr_per_timme=to_decimal(r["kr_per_timme"]),
            momskompensation_ingar=_bool_or_none(r.get("momskompensation_ingar", "")),
            avser=r["avser"].strip(),
            kalla=r["kalla"].strip(),
            referens=r["referens"].strip(),
        )
        for r in _read_rows(path)
    ]


def published_rate(year: int, insats: str, rates: Iterable[PublishedRate] | None = None) -> PublishedRate | None:
    """The main published level of a year and insats (first row in file order), or None."""
    for r in rates if rates is not None else load_published_rates():
        if r.ar == year and r.insats == insats:
            return r
    return None


def published_rates_by_year(insats: str, rates: Iterable[PublishedRate] | None = None) -> dict[int, PublishedRate]:
    """Main published level per year for one insats."""
    out: dict[int, PublishedRate] = {}
    for r in rates if rates is not None else load_published_rates():
        if r.insats == insats and r.ar not in out:
            out[r.ar] = r
    return out


def latest_published_rate(
    insats: str, up_to_year: int, rates: Iterable[PublishedRate] | None = None, *, only_vastkom: bool = False
) -> PublishedRate | None:
    """The most recent main level for insats with year ≤ up_to_year (optionally VästKom's only)."""
    candidates = [r for r in published_rates_by_year(insats, rates).values()
                  if r.ar <= up_to_year and (r.is_vastkom_recommendation or not only_vastkom)]
    return max(candidates, key=lambda r: r.ar) if candidates else None


def round_rate(value: Decimal, rounding: str = "krona") -> Decimal:
    """Round a rate as decisions do: whole kronor (default), tiotal öre, or not at all."""
    if rounding not in ROUNDING_STEPS:
        raise ValueError(f"Okänd avrundning {rounding!r}; välj bland {', '.join(ROUNDING_STEPS)}")
    step = ROUNDING_STEPS[rounding]
    return value if step is None else value.quantize(step, rounding=ROUND_HALF_UP)


def revise_rate(rate: object, opi_procent: object, rounding: str = "krona") -> Decimal:
    """rate × (1 + opi_procent / 100), rounded half-up (454 kr, 3,0 % → 467,62 → 468 kr)."""
    return round_rate(to_decimal(rate) * (1 + to_decimal(opi_procent) / 100), rounding)


@dataclass(frozen=True)
class RevisionStep:
    """One year's revision: from_kr (year − 1) × (1 + OPI) = exakt_kr, rounded to to_kr."""

    ar: int
    from_kr: Decimal
    opi_procent: Decimal
    exakt_kr: Decimal
    to_kr: Decimal
    opi_status: str
    kalla: str
    is_assumption: bool

    def text(self, rounding: str = "krona") -> str:
        """'2025: 454 kr × (1 + 3,0 %) = 467,62 kr → 468 kr (hela kronor). OPI 2025 3,0 % är ett antagande (…).'"""
        avr = "" if self.exakt_kr == self.to_kr else f" → {fmt_kr_sv(self.to_kr)} ({ROUNDING_TEXT[rounding]})"
        pct = fmt_procent_sv(self.opi_procent)
        if self.is_assumption:
            om_opi = f"OPI {self.ar} {pct} är ett antagande ({self.kalla})."
        else:
            om_opi = f"OPI {self.ar} {pct}, {self.opi_status} (källa: {self.kalla})."
        return f"{self.ar}: {fmt_kr_sv(self.from_kr)} × (1 + {pct}) = {fmt_kr_sv(self.exakt_kr)}{avr}. {om_opi}"


class MissingOpiError(ValueError):
    """An OPI needed for a revision is neither published nor given as an assumption."""

    def __init__(self, years: list[int]):
        self.years = years
        ar = ", ".join(str(y) for y in years)
        super().__init__(f"OPI saknas för {ar}: ange ett antaget värde (det märks som antagande) "
                         "eller komponenterna för att härleda det.")


def resolve_opi(
    years: Iterable[int],
    published: Mapping[int, PublishedOpi] | None = None,
    assumptions: Mapping[int, object] | None = None,
) -> dict[int, OpiValue]:
    """OpiValue per year: published wins, else the caller's assumption, else missing."""
    table = published if published is not None else load_opi()
    assumptions = assumptions or {}
    return {y: opi_for_year(y, table, assumed_procent=assumptions.get(y)) for y in years}


def chain_revisions(
    start_rate: object,
    start_year: int,
    to_year: int,
    opi: Mapping[int, OpiValue | object],
    rounding: str = "krona",
) -> list[RevisionStep]:
    """Revise start_rate (in force start_year) year by year up to to_year, one step per year.

    The step into year Y uses OPI for Y (the index SKR publishes for Y in December of Y − 1).
    Each step is rounded as a decision would be, and the next step starts from the rounded
    rate. ``opi`` maps year → OpiValue (or a bare percentage, labelled 'angivet'). Raises
    MissingOpiError listing every year without a value.
    """
    if to_year < start_year:
        raise ValueError(f"Målår {to_year} ligger före utgångsåret {start_year}")
    values: dict[int, OpiValue] = {}
    missing: list[int] = []
    for y in range(start_year + 1, to_year + 1):
        v = opi.get(y)
        if v is not None and not isinstance(v, OpiValue):
            v = OpiValue(y, to_decimal(v), "angivet", "angivet av användaren", is_assumption=True)
        if v is None or v.value_procent is None:
            missing.append(y)
        else:
            values[y] = v
    if missing:
        raise MissingOpiError(missing)
    steps: list[RevisionStep] = []
    rate = to_decimal(start_rate)
    for y in range(start_year + 1, to_year + 1):
        v = values[y]
        exakt = rate * (1 + v.value_procent / 100)
        new = round_rate(exakt, rounding)
        steps.append(RevisionStep(y, rate, v.value_procent, exakt, new, v.status, v.kalla, v.is_assumption))
        rate = new
    return steps


# --------------------------------------------------------------------------- rates in force (the imported table)


@dataclass(frozen=True)
class Niva:
    """The one rate per insats in force on a date, from the imported rate table (kr per hour)."""

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


def _kr_ore(x: object) -> Decimal:
    """An amount to öre, whole kronor without decimals: 454.0 → 454, 467.615 → 467.62."""
    d = to_decimal(x).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d


def _text(x: object) -> str:
    return "" if begrepp.saknas(x) else str(x)


def nivaer_per_insats(frame: pd.DataFrame) -> tuple[dict[str, Niva], list[str]]:
    """One rate per insats from queries/simulator/ersattningsnivaer.sql, and notes when regi rates differ.

    The rate for all regi (regi null) is used; an insats with only regi-specific rates uses
    the first of them. A regi-specific rate that differs is named in a note: the simulator
    counts with one rate per insats.
    """
    out: dict[str, Niva] = {}
    noter: list[str] = []
    for insats, grupp in frame.groupby("insats", sort=False):
        rows = grupp.to_dict("records")
        generell = [r for r in rows if begrepp.saknas(r["regi"])]
        r = (generell or rows)[0]
        niva = Niva(str(insats), _kr_ore(r["kr_per_timme"]), str(r["grund"]), _text(r["kalla"]), _text(r["beslut"]),
                    bool(r["is_preliminar"]), bool(r["is_momskompensation_ingar"]),
                    None if begrepp.saknas(r["giltig_fran"]) else pd.Timestamp(r["giltig_fran"]).date())
        out[str(insats)] = niva
        ins = begrepp.INSATS_TEXT.get(str(insats), str(insats))
        for o in rows:
            annan = _kr_ore(o["kr_per_timme"])
            if o is not r and annan != niva.kr_per_timme:
                regi = "alla regier" if begrepp.saknas(o["regi"]) else begrepp.REGI_TEXT.get(str(o["regi"]), str(o["regi"]))
                noter.append(f"För {ins} gäller {fmt_kr_sv(annan)} för {regi}; "
                             f"simulatorn räknar med en nivå per insats, {fmt_kr_sv(niva.kr_per_timme)}.")
        if niva.is_momskompensation_ingar:
            noter.append(f"Nivån för {ins} anges inklusive momskompensation. "
                         "Kostnaden i dag räknas som i uppföljningen: privata utförare får nivån som den står, "
                         "kommuner och egen regi nivån med momskompensationen avdragen. Nya nivåer anges exklusive "
                         "momskompensation och räknas upp från den avdragna nivån.")
    return out, noter


def insatser_med_niva(nivaer: pd.DataFrame, valda: Iterable[str]) -> list[str]:
    """The insatser to read hours for: the chosen ones (all when none is chosen) that have a rate."""
    valda = list(valda)
    med = list(dict.fromkeys(str(i) for i in nivaer["insats"]))
    return [i for i in med if not valda or i in valda]
