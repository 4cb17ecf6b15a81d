"""The protected public view (role läsare): a finite set of linked tables, protected together.

What a läsare can reach (README, Säkerhet):

* the filters: the year only. Insats, regi and kommun are always "all" (ui.sidebar_filters), so
  no two selections can be subtracted from each other;
* the pages Översikt and Vistelsekommuner (behorighet.LASARSIDOR), with their direction
  (kostnader, intäkter, netto) and measure choices, tables, charts, map and exports.

Every figure on those pages, per year and direction, is a cell of ONE crosstab, month ×
counterpart kommun with its margins (queries/vistelsekommuner/per_manad_kommun.sql), protected
once by privacy.crosstab_mask_shown_total (primary, secondary and bridge suppression; its grand
total is never the protecting cell). Översikt takes its hidden months and its KPI masking from
the same crosstab (`oversikt_skydd`), instead of protecting its own month line separately;
netto is shown only where both directions are shown (analys.kommun_tabeller).

One figure is not a crosstab cell: during an ongoing year Översikt compares January–month t
with the same months of the year before. That partial sum of the year before is published only
when it does not split the hidden months of that year (all of them inside, or none), since
"partial sum − shown months" would otherwise give the hidden months inside it. Otherwise the
comparison is left out. tests/test_lasarvy.py checks the union of all these figures, for every
year and direction, by linear algebra and linear programming.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from beslutsstod import analys


@dataclass(frozen=True)
class OversiktSkydd:
    kpi_dolda: bool  # the year's KPI cards show ".."
    jamforelse_dold: bool  # the change against the year before is left out
    dolda_manader: frozenset[tuple[int, int]]  # (ar, manad) hidden in the monthly chart


def dolda_celler(rader: pd.DataFrame, riktning: str, grans: int) -> set[tuple]:
    """Hidden cells (manad|None, kommunkod|None) of one year's and direction's protected crosstab.

    `rader` are the rows of vistelsekommuner/per_manad_kommun for one year (all kommuner)."""
    egna = rader.loc[rader["riktning"] == riktning].copy()
    egna["manad"] = pd.Series([None if pd.isna(m) else int(m) for m in egna["manad"].astype(object)],
                              index=egna.index, dtype=object)
    egna["kommunkod"] = pd.Series([None if pd.isna(k) else k for k in egna["kommunkod"].astype(object)],
                                  index=egna.index, dtype=object)
    return analys._crosstab_dolda(egna, grans, True)


def oversikt_skydd(rader_ar: pd.DataFrame, rader_fore: pd.DataFrame, ar: int, riktning: str, till_manad: int,
                   grans: int) -> OversiktSkydd:
    """Översikt's masking in the protected view, taken from the two years' protected crosstabs."""
    nu, fore = dolda_celler(rader_ar, riktning, grans), dolda_celler(rader_fore, riktning, grans)
    manader_nu = {m for m, k in nu if k is None and m is not None}
    manader_fore = {m for m, k in fore if k is None and m is not None}
    # The KPI values are the year's grand total (data run to month t) and, through the change,
    # the year before's months 1..t.
    kpi_dolda = (None, None) in nu or (None, None) in fore
    inne = {m for m in manader_fore if m <= till_manad}
    jamforelse_dold = till_manad < 12 and bool(inne) and inne != manader_fore
    return OversiktSkydd(kpi_dolda, jamforelse_dold,
                         frozenset({(ar, m) for m in manader_nu} | {(ar - 1, m) for m in manader_fore}))
