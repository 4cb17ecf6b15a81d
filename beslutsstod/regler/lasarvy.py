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
netto is shown only where both directions are shown (vyer/vistelsekommuner.py).

Two figures are not crosstab cells: Översikt's change against the year before is computed on
the months both years have (January–month t during an ongoing year, without months that lack
registrations), and "+x kr (+y %)" gives both years' sums over those months. Each such partial
sum is published only when it does not split its year's hidden months (all of them inside, or
none), since "partial sum − shown months" would otherwise give the hidden months inside it.
Otherwise the change is left out. tests/test_lasarvy.py checks the union of all these figures, for every
year and direction, by linear algebra and linear programming.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pandas as pd

from beslutsstod import begrepp
from beslutsstod.bestandig_cache import bestandig
from beslutsstod.regler import smatalsskydd


@dataclass(frozen=True)
class OversiktSkydd:
    kpi_dolda: bool  # the year's KPI cards show ".."
    jamforelse_dold: bool  # the change against the year before is left out
    dolda_manader: frozenset[tuple[int, int]]  # (ar, manad) hidden in the monthly chart


def korstabell_dolda(rader: pd.DataFrame, smatal_grans: int, oppen_vy: bool) -> set[tuple]:
    """Hidden cells (manad|None, kommunkod|None) of one direction's month × kommun crosstab.

    `rader`: one direction's rows of vistelsekommuner/per_manad_kommun, manad and kommunkod as
    Python objects with None for the margins. The crosstab is the protected public view's one
    table per year and direction: besides the per-table rules, no hidden cell may be bounded by
    the shown kronor to a band narrower than its own value (smatalsskydd.crosstab_mask_protected)."""
    if rader.empty or not oppen_vy:
        return set()
    celler = tuple(zip((None if m is None or pd.isna(m) else int(m) for m in rader["manad"]),
                       (None if k is None or pd.isna(k) else k for k in rader["kommunkod"]),
                       (0.0 if pd.isna(p) else float(p) for p in rader["antal_personer"]),
                       (0.0 if pd.isna(v) else float(v) for v in rader["kostnad_kr"])))
    return set(_korstabell_dolda_celler(celler, smatal_grans))


@functools.lru_cache(maxsize=256)
@bestandig("korstabellmasker", beror_pa=(smatalsskydd, begrepp), koda=lambda celler: sorted(map(list, celler), key=repr),
           avkoda=lambda celler: frozenset(map(tuple, celler)))
def _korstabell_dolda_celler(celler: tuple[tuple, ...], smatal_grans: int) -> frozenset[tuple]:
    # Cached on the cells themselves: the linear programs take ~0,5 s for a year of demo data
    # (0,9 s at 10 million visits), and Översikt, Vistelsekommuner and every rerun ask for the same
    # crosstabs. In memory per process, and on disk for every later process (bestandig_cache).
    totalt = begrepp.TOTALT
    tabell = pd.DataFrame({"rad": pd.Series([totalt if c[0] is None else c[0] for c in celler], dtype=object),
                           "kol": pd.Series([totalt if c[1] is None else c[1] for c in celler], dtype=object),
                           "antal_personer": [c[2] for c in celler], "kostnad_kr": [c[3] for c in celler]})
    persons = tabell.pivot(index="rad", columns="kol", values="antal_personer").fillna(0)
    kronor = tabell.pivot(index="rad", columns="kol", values="kostnad_kr").loc[persons.index, persons.columns]
    mask = smatalsskydd.crosstab_mask_protected(persons, kronor, smatal_grans, True)
    return frozenset((None if r == totalt else r, None if k == totalt else k)
                     for r in mask.index for k in mask.columns if mask.loc[r, k])


def dolda_celler(rader: pd.DataFrame, riktning: str, smatal_grans: int) -> set[tuple]:
    """Hidden cells (manad|None, kommunkod|None) of one year's and direction's protected crosstab.

    `rader` are the rows of vistelsekommuner/per_manad_kommun for one year (all kommuner)."""
    egna = rader.loc[rader["riktning"] == riktning].copy()
    egna["manad"] = pd.Series([None if pd.isna(m) else int(m) for m in egna["manad"].astype(object)],
                              index=egna.index, dtype=object)
    egna["kommunkod"] = pd.Series([None if pd.isna(k) else k for k in egna["kommunkod"].astype(object)],
                                  index=egna.index, dtype=object)
    return korstabell_dolda(egna, smatal_grans, True)


def oversikt_skydd(rader_ar: pd.DataFrame, rader_fore: pd.DataFrame, ar: int, riktning: str,
                   jmf_manader: list[int], smatal_grans: int) -> OversiktSkydd:
    """Översikt's masking in the protected view, taken from the two years' protected crosstabs.

    `jmf_manader` are the months the change is computed on (jamforelse.Jamforbarhet.manader:
    1..t that both years have)."""
    nu, fore = dolda_celler(rader_ar, riktning, smatal_grans), dolda_celler(rader_fore, riktning, smatal_grans)
    manader_nu = {m for m, k in nu if k is None and m is not None}
    manader_fore = {m for m, k in fore if k is None and m is not None}
    # The card is the year's grand total (data run to month t). The change "+x kr (+y %)"
    # gives both years' sums over the compared months: each is published only when it holds
    # none or all of that year's hidden months (else "sum − shown months" gives some of them).
    kpi_dolda = (None, None) in nu or (None, None) in fore
    jamforda = set(jmf_manader)
    jamforelse_dold = any(bool(dolda & jamforda) and not dolda <= jamforda for dolda in (manader_nu, manader_fore))
    return OversiktSkydd(kpi_dolda, jamforelse_dold,
                         frozenset({(ar, m) for m in manader_nu} | {(ar - 1, m) for m in manader_fore}))
