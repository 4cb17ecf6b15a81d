"""The protected tables of Kostnader över år, Utförare and Vistelsekommuner: type, display and export.

A page model builds an ``Analystabell`` (a ``smatalsskydd.MaskedTable`` with Swedish column
headers, the formats of its columns and the frame its charts are drawn from) and hands the page
a ``Tabellvy``: the display strings (`..` in hidden cells, `–` where a value is missing), the
footnote, and the .xlsx/.csv downloads built on click, with `..` where the view hides a cell.

Small-number protection. A page shows the same cells in more than one table: a year's total
is the total of both its insats lines and its regi lines; an utförare's row is a detail of its
regi's subtotal and the total of its month table; a kommun's year figure is the total of its
month column. ``smatalsskydd.mask_long`` protects one line with one total; ``smatalsskydd.hide_in_lines``
applies the same rules (primary: 1..smatal_grans-1 persons; secondary: a line never holds exactly one
hidden cell) to a set of lines that share cells, iterating until nothing changes. When the lines
form a tree (each pair of lines shares at most one cell and there are no cycles of lines), as on
these pages, a line never holding exactly one hidden cell is enough for no hidden value to be
computable exactly from the shown cells (tests/test_tabell.py checks this by linear algebra).
The month × kommun table is a real crosstab (rows and columns form cycles) and uses
``lasarvy.korstabell_dolda`` (smatalsskydd.crosstab_mask_protected: the grand total stays shown since other
pages publish it, and no hidden cell is bounded too narrowly); the kommun ranking, the map and the season chart show that crosstab's
margins, so they hide exactly the cells it hides.

Not covered: the sidebar filters let a reader difference two selections (all kommuner minus
"all but one" gives the one); protection here is per page view, as in smatalsskydd.py.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from beslutsstod import begrepp
from beslutsstod import talformat as fmt
from beslutsstod.dokument import tabellfil
from beslutsstod.regler import smatalsskydd

NAN = float("nan")
KALLA = ("Besöksextrakt (tid- och fakturasystem). Kostnad beräknad som timmar enligt ersättningens grund × "
         "ersättningsnivån som gällde besöksdagen, plus momskompensation till privata utförare när nivån "
         "är exklusive.")
NEUTRAL_NOTE = "Färgen visar bara storleken, inte om ett värde är bra eller dåligt."

@dataclass(frozen=True)
class Analystabell:
    """A protected table with its export formats, and the long frame its charts are drawn from."""

    titel: str
    tabell: smatalsskydd.MaskedTable
    kolumnformat: dict[str, str]
    diagram: pd.DataFrame = field(default_factory=pd.DataFrame)
    antal_utan_niva: int = 0  # visits in the table with no rate in force (cost missing)

    @property
    def fotnot(self) -> str | None:
        return self.tabell.footnote


def maskerad_tabell(data: pd.DataFrame, dolda_kolumner: Mapping[str, Sequence[bool]],
                    smatal_grans: int) -> smatalsskydd.MaskedTable:
    """A MaskedTable of `data` hiding, per column named in `dolda_kolumner`, the rows flagged True."""
    mask = pd.DataFrame(False, index=data.index, columns=data.columns)
    for kolumn, flaggor in dolda_kolumner.items():
        mask[kolumn] = np.asarray(flaggor, dtype=bool)
    return smatalsskydd.MaskedTable(smatalsskydd.apply_mask(data, mask), mask, smatal_grans)


def objekt(serie: pd.Series) -> pd.Series:
    """The column as Python objects with None for missing (grouping-set keys: NaN != NaN)."""
    return pd.Series([None if begrepp.saknas(v) else v for v in serie], index=serie.index, dtype=object)


def tal(x: object) -> float:
    return NAN if begrepp.saknas(x) else float(x)


def visningstabell(tabell: smatalsskydd.MaskedTable, kolumnformat: Mapping[str, str]) -> pd.DataFrame:
    """Display strings: Swedish number formats, `..` in hidden cells, `–` where a value is missing."""
    formatters = {}
    for kolumn in tabell.data.columns:
        slag, _, dec = kolumnformat.get(kolumn, "text").partition(":")
        decimaler = int(dec) if dec else tabellfil.COLUMN_KINDS.get(slag, ("", 0))[1]
        tecken = str(kolumn).startswith("Förändring")  # a change reads best with its sign: +12 345
        if slag == "kr":
            formatters[kolumn] = lambda x, d=decimaler, t=tecken: (
                ("+" if t and fmt.avrunda(x, d) > 0 else "") + fmt.fmt_tal(x, d))
        elif slag == "procent":
            formatters[kolumn] = lambda x, d=decimaler, t=tecken: fmt.fmt_procent(x, d, tecken=t)
        elif slag in ("tal", "timmar"):
            formatters[kolumn] = lambda x, d=decimaler: fmt.fmt_tal(x, d)
    return smatalsskydd.render_masked(tabell, formatters, missing=begrepp.SAKNAS)


# --- exports ---------------------------------------------------------------------------------


def metadata(filtertext: str, oppen_vy: bool, datadatum: dt.date | None, demodata: bool,
             kalla: str = KALLA, **extra: str) -> dict[str, str]:
    """The export's "Om tabellen" rows (tabellfil.build_metadata) plus page-specific rows (e.g. Prisnivå)."""
    meta = tabellfil.build_metadata(kalla, filtertext, oppen_vy, datadatum, demodata)
    meta.update({k.replace("_", " "): v for k, v in extra.items()})
    return meta


def filnamn(titel: str) -> str:
    """An ASCII file name from a Swedish title: 'Kostnad per år 2024' → 'kostnad_per_ar_2024'."""
    ascii_text = titel.lower().translate(str.maketrans("åäöéü", "aaoeu"))
    return re.sub(r"[^a-z0-9]+", "_", ascii_text).strip("_") or "tabell"


@dataclass(frozen=True)
class Tabellvy:
    """One table as the page shows it: display strings, footnote, and its downloads (built on click)."""

    analys: Analystabell
    meta: dict[str, str]  # the export's "Om tabellen" rows
    visning: pd.DataFrame  # display strings, as shown

    @property
    def titel(self) -> str:
        return self.analys.titel

    @property
    def fotnot(self) -> str | None:
        return self.analys.fotnot

    @property
    def talkolumner(self) -> list[str]:
        """The columns shown right-aligned (every formatted number)."""
        return list(self.analys.kolumnformat)

    @property
    def filnamn(self) -> str:  # without extension, ASCII
        return filnamn(self.analys.titel)

    def _format(self) -> dict[str, str]:
        return {k: v for k, v in self.analys.kolumnformat.items() if k in self.analys.tabell.data.columns}

    def xlsx(self) -> bytes:
        return tabellfil.to_xlsx(self.analys.tabell, titel=self.titel, metadata=self.meta, kolumnformat=self._format())

    def csv(self) -> bytes:
        return tabellfil.to_csv(self.analys.tabell, kolumnformat=self._format())


def tabellvy(t: Analystabell, meta: Mapping[str, str]) -> Tabellvy:
    return Tabellvy(t, dict(meta), visningstabell(t.tabell, t.kolumnformat))
