"""Fixed prices: each year's kronor restated in a base year's prices with the care price index (OPI).

OPI for year t is SKR's omsorgsprisindex, the price change of care services from t−1 to t
(regler/opi.py reads the published values). Used by Kostnader över år (vyer/kostnader.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from beslutsstod.regler import opi as opi_mod

NAN = float("nan")


@dataclass(frozen=True)
class PrisOmrakning:
    """Factors that restate each year's kronor in the prices of `basar`, and the OPI behind them.

    OPI for year t is the price change of care services from t−1 to t (per cent). A year y
    before the base year is inflated by every OPI from y+1 to the base year; a year after it is
    deflated by every OPI from the base year + 1 to y. A factor is None when an OPI it needs is
    missing: that year is then shown without a value, never with a guessed one.
    """

    basar: int
    opi: dict[int, opi_mod.OpiValue]  # every year whose OPI some factor needs
    faktor: dict[int, float | None]

    @property
    def saknade(self) -> list[int]:
        """Years whose OPI is needed but neither published nor assumed."""
        return [ar for ar, v in sorted(self.opi.items()) if v.is_missing]

    @property
    def antaganden(self) -> list[int]:
        return [ar for ar, v in sorted(self.opi.items()) if v.is_assumption]

    def beskrivning(self) -> str:
        """One line for export metadata: the base year and every OPI used, with its status."""
        delar = [f"{ar}: {opi_mod.fmt_procent_sv(v.value_procent)} ({v.status})" if not v.is_missing
                 else f"{ar}: saknas" for ar, v in sorted(self.opi.items())]
        return (f"Fasta priser, {self.basar} års prisnivå, omräknat med omsorgsprisindex (OPI) "
                + ("; ".join(delar) if delar else "(inget OPI behövs)") + ".")


def opi_ar_som_behovs(ar_lista: Iterable[int], basar: int) -> list[int]:
    """The years whose OPI the conversion of `ar_lista` to `basar` prices needs."""
    ar_lista = list(ar_lista)
    if not ar_lista:
        return []
    return list(range(min(min(ar_lista), basar) + 1, max(max(ar_lista), basar) + 1))


def saknade_opi(ar_lista: Iterable[int], basar: int,
                publicerade: Mapping[int, opi_mod.PublishedOpi] | None = None) -> list[int]:
    """The years whose OPI the conversion needs but that are not published (they need an assumption)."""
    tabell = publicerade if publicerade is not None else opi_mod.load_opi()
    return [ar for ar in opi_ar_som_behovs(ar_lista, basar) if ar not in tabell]


def fasta_priser(ar_lista: Iterable[int], basar: int, antaganden: Mapping[int, float | None] | None = None,
                 publicerade: Mapping[int, opi_mod.PublishedOpi] | None = None) -> PrisOmrakning:
    """Factors to `basar` prices for each year in `ar_lista`, from published OPI or the user's assumptions.

    A published OPI always wins over an assumption for the same year. Factors are computed
    in Decimal (OPI has one decimal) and returned as floats for the kronor columns.
    """
    ar_lista = sorted(set(int(a) for a in ar_lista))
    tabell = publicerade if publicerade is not None else opi_mod.load_opi()
    antaganden = {int(k): v for k, v in (antaganden or {}).items() if v is not None}
    behov = {ar: opi_mod.opi_for_year(ar, tabell, assumed_procent=antaganden.get(ar))
             for ar in opi_ar_som_behovs(ar_lista, basar)}

    def kedja(fran: int, till: int) -> Decimal | None:
        """Π (1 + OPI_t/100) for t in fran+1..till."""
        produkt = Decimal(1)
        for t in range(fran + 1, till + 1):
            if behov[t].is_missing:
                return None
            produkt *= 1 + behov[t].value_procent / 100
        return produkt

    faktor: dict[int, float | None] = {}
    for ar in ar_lista:
        if ar <= basar:
            k = kedja(ar, basar)
            faktor[ar] = None if k is None else float(k)
        else:
            k = kedja(basar, ar)
            faktor[ar] = None if k is None else float(1 / k)
    return PrisOmrakning(basar, behov, faktor)


def opi_tabell(priser: PrisOmrakning) -> pd.DataFrame:
    """The OPI values a fixed-price view uses, for display and export: år, OPI (%), status, källa."""
    rader = [{"År": ar, "OPI (%)": float(v.value_procent) if not v.is_missing else NAN,
              "Status": v.status, "Källa": v.kalla} for ar, v in sorted(priser.opi.items())]
    return pd.DataFrame(rader, columns=["År", "OPI (%)", "Status", "Källa"])


OPI_KALLA = "data/reference/opi.csv (SKR:s omsorgsprisindex; källan för varje år står i tabellen)"


def standard_basar(ar_lista: Iterable[int], valt_ar: int,
                   publicerade: Mapping[int, opi_mod.PublishedOpi] | None = None) -> int:
    """The default base year: the latest year up to `valt_ar` whose OPI is published, else `valt_ar`.

    With base year = the last published OPI year, every earlier year converts on published
    values alone; only later years need an assumption.
    """
    tabell = publicerade if publicerade is not None else opi_mod.load_opi()
    kandidater = [a for a in ar_lista if a <= valt_ar and a in tabell]
    return max(kandidater) if kandidater else valt_ar
