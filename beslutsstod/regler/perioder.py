"""The simulator's years: which volume year the data allows, its forecast months, the target years.

The *volume year* (volymar) is the year whose hours are the basis: the last complete year
(outcome), or the running year (outcome so far + a seasonal forecast of the rest). A year is
complete when the data reaches December (the same rule as the global filters' ``till_manad``).
The *target year* (malar) is the year a new rate applies: the year after the data's last year
or the one after.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

import pandas as pd

from beslutsstod import talformat

VOLYMBAS_PROGNOS = "prognos"
VOLYMBAS_UTFALL = "utfall"
# months of data: with fewer, the last complete year is the default basis, since a forecast
# from a few winter months says little about the summer peak of these stays
PROGNOS_MIN_MANADER = 6
MALAR_FRAMAT = 2  # target years offered: the year after the data's last year and the one after


def manader_text(manader: Iterable[int], lang: bool = False) -> str:
    """'jan–okt' for a run of months, else 'mar, maj' ('mars' with lang)."""
    m = sorted(manader)
    if not m:
        return ""
    if len(m) >= 2 and m == list(range(m[0], m[-1] + 1)):
        return f"{talformat.manad_namn(m[0], lang)}–{talformat.manad_namn(m[-1], lang)}"
    return ", ".join(talformat.manad_namn(x, lang) for x in m)


@dataclass(frozen=True)
class Period:
    """What the data allows: the last complete year, the running year and the target years."""

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
            return f"Prognos helår {ar} (utfall {manader_text(range(1, self.pagaende_manader + 1))} + prognos)"
        if ar == self.senaste_hela_ar:
            return f"Utfall {ar} (senaste hela året)"
        return f"Utfall {manader_text(range(1, self.pagaende_manader + 1))} {ar} (inte ett helt år)"

    def prognos_manader(self, bas: str, utan_data: Iterable[tuple[int, int]] = ()) -> list[int]:
        """Months of the volume year a forecast estimates: after the data, and outage months before."""
        if bas != VOLYMBAS_PROGNOS:
            return []
        ar, till = self.volymar(bas), self.till_manad(bas)
        avbrott = {m for (a, m) in utan_data if a == ar and m <= till}
        return sorted(set(range(till + 1, 13)) | avbrott)


def period(sista_datum: object, ar_lista: Iterable[int]) -> Period:
    """Period from filter/datatackning (its sista_datum and ar_lista)."""
    return Period(pd.Timestamp(sista_datum).date(), tuple(int(a) for a in ar_lista))
