"""Like with like: a change between two periods counts only the months both have (issue 11).

A month without any registration (an outage, filter/manader_utan_data) is missing, not zero.
Amounts stay what was registered, but a *change* between two periods is computed on the months
both periods have, and the figure says so: "jämfört med samma 10 månader; mars saknas 2025".
A period total that lacks a month is marked incomplete with the month named.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from beslutsstod import talformat as fmt


def _namn(manader: Iterable[int]) -> str:
    namn = [fmt.manad_namn(m, lang=True) for m in sorted(manader)]
    return namn[0] if len(namn) == 1 else ", ".join(namn[:-1]) + " och " + namn[-1]


@dataclass(frozen=True)
class Jamforbarhet:
    """Which months of 1..till_manad two years both have, and which each lacks."""

    ar: tuple[int, ...]  # the years compared, earliest first
    till_manad: int
    saknas: dict[int, tuple[int, ...]]  # year → months (within 1..till_manad) without registrations

    @property
    def manader(self) -> list[int]:
        """The months every compared year has (what changes are computed on)."""
        borta = {m for ms in self.saknas.values() for m in ms}
        return [m for m in range(1, self.till_manad + 1) if m not in borta]

    @property
    def komplett(self) -> bool:
        return not any(self.saknas.values())

    def text(self) -> str | None:
        """'jämfört med samma 10 månader; mars saknas 2025' — None when nothing is missing."""
        if self.komplett:
            return None
        delar = [f"{_namn(ms)} saknas {ar}" for ar, ms in sorted(self.saknas.items()) if ms]
        n = len(self.manader)
        return f"jämfört med samma {n} {'månad' if n == 1 else 'månader'}; " + "; ".join(delar)


def jamforbarhet(ar: Iterable[int], till_manad: int, utan_data: Iterable[tuple[int, int]]) -> Jamforbarhet:
    """Jamforbarhet of the years ``ar`` over months 1..till_manad, given the (ar, manad) outages."""
    ar = tuple(sorted({int(a) for a in ar}))
    borta = {(int(a), int(m)) for a, m in utan_data}
    saknas = {a: tuple(m for m in range(1, till_manad + 1) if (a, m) in borta) for a in ar}
    return Jamforbarhet(ar, till_manad, saknas)


def ofullstandig(ar: int, till_manad: int, utan_data: Iterable[tuple[int, int]]) -> str | None:
    """'ofullständigt: mars saknas' for a period total of ``ar`` (months 1..till_manad) lacking a month."""
    saknas = jamforbarhet([ar], till_manad, utan_data).saknas[int(ar)]
    return f"ofullständigt: {_namn(saknas)} saknas" if saknas else None


def utan_data_koder(utan_data: Iterable[tuple[int, int]]) -> list[int]:
    """(ar, manad) outages as the integer codes queries take: ar × 100 + manad."""
    return sorted(int(a) * 100 + int(m) for a, m in utan_data)


def ar_som_jamfors(ar_lista: Iterable[int], valt_ar: int, till_manad: int,
                   utan_data: Iterable[tuple[int, int]]) -> list[int]:
    """Years whose change against the year before must be restricted to common months: the running
    year, and any year where it or the year before lacks a month in its range."""
    borta = {(int(a), int(m)) for a, m in utan_data}
    ut = []
    for a in sorted({int(a) for a in ar_lista}):
        till = till_manad if a == valt_ar else 12
        if (a == valt_ar and till_manad < 12) or any(
                (y, m) in borta for y in (a, a - 1) for m in range(1, till + 1)):
            ut.append(a)
    return ut
