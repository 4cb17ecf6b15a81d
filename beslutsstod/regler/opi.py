"""Omsorgsprisindex (OPI): the published table, SKR's formula, and one value per year with its status.

OPI is SKR's price index for care services: 80 % of the change in wage cost (summa
lönekostnadsförändring) plus 20 % of KPI, in per cent, rounded to one decimal. It is
published in December for the coming year, preliminary until a wage agreement exists, then
definitive. The published table lives in ``data/reference/opi.csv`` (one row per year, with the
components where SKR published them, and the source of every value).

Rules of this module (DESIGN §4, issue 4):
- a published value always wins over the formula (for 2020 they differ: 3,0 % published,
  0,8 × 3,23 + 0,2 × 1,82 = 2,948 → 2,9 % by the formula);
- a year that is not published is *missing* (``value_procent is None``); it gets a value only
  when the caller supplies components (→ "härledd") or an assumed value (→ "antagande").

All arithmetic is Decimal with ROUND_HALF_UP, as SKR rounds (2,948 → 2,9; 2,556 → 2,6).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Mapping

from beslutsstod import installningar, talformat

LONEANDEL = Decimal("0.8")  # weight of summa lönekostnadsförändring in OPI (SKR)
KPI_ANDEL = Decimal("0.2")  # weight of KPI in OPI (SKR)
EN_DECIMAL = Decimal("0.1")  # OPI is published in per cent with one decimal

STATUS_DEFINITIV = "definitiv"
STATUS_PRELIMINAR = "preliminär"
STATUS_HARLEDD = "härledd"  # computed by this module from components
STATUS_ANTAGANDE = "antagande"  # a value the user assumed
STATUS_SAKNAS = "saknas"

# Preliminary values that were later replaced by a definitive one, with their source. The
# opi.csv row holds the definitive value only; this keeps the preliminary one for the
# arrears (efterreglering) calculation. Source: the 2023 row's own `kalla` in opi.csv.
PRELIMINART_OPI: dict[int, tuple[Decimal, str]] = {
    2023: (Decimal("3.5"), "Vårdföretagarna 2023-04: preliminärt OPI 2023 var 3,5 % (definitivt 4,6 %)"),
}


# A typed OPI outside this range (per cent) gets a warning and is used only once confirmed (issue 11).
RIMLIGT_OPI = (-5, 15)


def to_decimal(x: object) -> Decimal:
    """A Decimal from int, str, Decimal or float; floats go through str() so 0.1 stays 0.1."""
    if isinstance(x, Decimal):
        return x
    if isinstance(x, float):
        return Decimal(repr(x))
    return Decimal(str(x).strip().replace(",", ".").replace("\u2212", "-"))


def fmt_procent_sv(x: object, decimaler: int = 1) -> str:
    """'3,0 %': the app's percent format, after rounding half-up in Decimal (not float's half-even)."""
    q = to_decimal(x).quantize(Decimal(1).scaleb(-decimaler), rounding=ROUND_HALF_UP)
    return talformat.fmt_procent(float(q), decimaler)


def default_path() -> Path:
    """data/reference/opi.csv of the repo (or of the configured data_dir)."""
    return installningar.reference_dir() / "opi.csv"


@dataclass(frozen=True)
class PublishedOpi:
    """One row of opi.csv: the published OPI of a year and, where published, its components."""

    ar: int
    opi_procent: Decimal
    status: str  # "definitiv" | "preliminär"
    kalla: str
    summa_lonekostnadsforandring: Decimal | None = None  # per cent
    kpi: Decimal | None = None  # per cent


def _status(text: str) -> str:
    t = text.strip().lower()
    if t.startswith("prelimin"):
        return STATUS_PRELIMINAR
    if t.startswith("definitiv"):
        return STATUS_DEFINITIV
    raise ValueError(f"Okänd OPI-status {text!r} (väntade definitiv eller preliminär)")


def load_opi(path: Path | str | None = None) -> dict[int, PublishedOpi]:
    """Published OPI per year from opi.csv (default: the repo's data/reference/opi.csv)."""
    path = Path(path) if path is not None else default_path()
    out: dict[int, PublishedOpi] = {}
    with Path(path).open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            ar = int(row["ar"])
            lon = row.get("summa_lonekostnadsforandring", "").strip()
            kpi = row.get("kpi", "").strip()
            out[ar] = PublishedOpi(
                ar=ar,
                opi_procent=to_decimal(row["opi_procent"]),
                status=_status(row["status"]),
                kalla=row["kalla"].strip(),
                summa_lonekostnadsforandring=to_decimal(lon) if lon else None,
                kpi=to_decimal(kpi) if kpi else None,
            )
    return out


def opi_from_components(summa_lonekostnadsforandring: object, kpi: object) -> Decimal:
    """OPI in per cent as SKR computes it: 0,8 × lönekostnadsförändring + 0,2 × KPI, half-up to 0,1."""
    raw = LONEANDEL * to_decimal(summa_lonekostnadsforandring) + KPI_ANDEL * to_decimal(kpi)
    return raw.quantize(EN_DECIMAL, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class OpiValue:
    """The OPI used for one year, with where it came from.

    ``value_procent`` is None when the year is missing. ``formel_procent`` is the formula's
    value when components are known (shown next to a published value that differs from it).
    """

    ar: int
    value_procent: Decimal | None
    status: str  # definitiv | preliminär | härledd | antagande | saknas
    kalla: str
    is_derived: bool = False  # härledd: computed from components by this module
    is_assumption: bool = False  # antagande: supplied by the user, not published
    formel_procent: Decimal | None = None

    @property
    def is_missing(self) -> bool:
        return self.value_procent is None

    @property
    def is_published(self) -> bool:
        return self.status in (STATUS_DEFINITIV, STATUS_PRELIMINAR)

    def beskrivning(self) -> str:
        """Swedish one-liner, e.g. 'OPI 2023 4,6 % (definitiv; källa: …)'."""
        if self.value_procent is None:
            return f"OPI {self.ar} saknas i referensdata ({self.kalla})"
        return f"OPI {self.ar} {fmt_procent_sv(self.value_procent)} ({self.status}; källa: {self.kalla})"


def opi_for_year(
    year: int,
    published: Mapping[int, PublishedOpi] | None = None,
    *,
    summa_lonekostnadsforandring: object | None = None,
    kpi: object | None = None,
    assumed_procent: object | None = None,
    assumed_kalla: str | None = None,
    path: Path | str | None = None,
) -> OpiValue:
    """OPI for ``year``: published > formula from caller's components > caller's assumption > missing.

    ``published`` defaults to ``load_opi(path)``. A published value is used as published even
    when the formula on its own components gives another value (2020); the formula value is
    then kept in ``formel_procent`` so the difference can be shown.
    """
    table = published if published is not None else load_opi(path)
    row = table.get(year)
    if row is not None:
        formel = None
        if row.summa_lonekostnadsforandring is not None and row.kpi is not None:
            formel = opi_from_components(row.summa_lonekostnadsforandring, row.kpi)
        return OpiValue(year, row.opi_procent, row.status, row.kalla, formel_procent=formel)
    if summa_lonekostnadsforandring is not None and kpi is not None:
        value = opi_from_components(summa_lonekostnadsforandring, kpi)
        kalla = (f"härlett enligt SKR:s formel 0,8 × {fmt_procent_sv(to_decimal(summa_lonekostnadsforandring), 2)}"
                 f" + 0,2 × {fmt_procent_sv(to_decimal(kpi), 2)} (KPI), avrundat till en decimal")
        return OpiValue(year, value, STATUS_HARLEDD, kalla, is_derived=True, formel_procent=value)
    if assumed_procent is not None:
        return OpiValue(year, to_decimal(assumed_procent), STATUS_ANTAGANDE,
                        "inte publicerat i referensdata; " + (assumed_kalla or "värdet är angivet av användaren"),
                        is_assumption=True)
    return OpiValue(year, None, STATUS_SAKNAS, f"OPI {year} finns inte i opi.csv och inget antagande är angivet")


def preliminary_opi(year: int) -> OpiValue | None:
    """The preliminary OPI of a year later made definitive (for arrears), or None if unknown."""
    if year not in PRELIMINART_OPI:
        return None
    value, kalla = PRELIMINART_OPI[year]
    return OpiValue(year, value, STATUS_PRELIMINAR, kalla)


# The default assumption for a year with no published OPI: the mean of the last published years.
STANDARD_AR = 5


def standard_opi(published: Mapping[int, PublishedOpi]) -> tuple[Decimal, str]:
    """Default assumed OPI for a year missing from opi.csv: mean of the last published years, to 0,1,
    and where it comes from ("genomsnittet av publicerat OPI 2019–2023")."""
    years = sorted(published)[-STANDARD_AR:]
    if not years:
        return Decimal("3"), "inget publicerat OPI finns i referensdata"
    mean = sum((published[y].opi_procent for y in years), Decimal(0)) / len(years)
    return mean.quantize(EN_DECIMAL, rounding=ROUND_HALF_UP), f"genomsnittet av publicerat OPI {years[0]}–{years[-1]}"


def standard_komponenter(published: Mapping[int, PublishedOpi]) -> tuple[Decimal, Decimal]:
    """Default components (summa lönekostnadsförändring %, KPI %): means of the last published ones."""
    rows = [r for y, r in sorted(published.items())
            if r.summa_lonekostnadsforandring is not None and r.kpi is not None][-STANDARD_AR:]
    if not rows:
        return Decimal("3"), Decimal("2")
    n, q = len(rows), Decimal("0.01")
    return ((sum((r.summa_lonekostnadsforandring for r in rows), Decimal(0)) / n).quantize(q, ROUND_HALF_UP),
            (sum((r.kpi for r in rows), Decimal(0)) / n).quantize(q, ROUND_HALF_UP))
