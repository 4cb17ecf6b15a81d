"""Revenue priced by our own rates: when it is an assumption, and the label that says so (issue 11 point 9).

The kommun whose resident we serve pays by its own rate (2 a kap. 7 § SoL). When the rate table
names no such rate (column betalande_kommun), the revenue is priced by our own rates: an
assumption, which every page showing revenue labels.
"""

from __future__ import annotations

import pandas as pd

from beslutsstod import talformat as fmt

EGNA_NIVAER = "beräknad med egna nivåer (antagande)"


def intakt_antagande(rader: pd.DataFrame, ar: int | None = None) -> str | None:
    """'Intäkten är beräknad med egna nivåer (antagande) för 120 av 130 besök …' from
    queries/filter/intakt_nivaer (year `ar`, or every year in the frame); None when every
    revenue visit is priced by the paying kommun's rate (2 a kap. 7 § SoL)."""
    if ar is not None:
        rader = rader.loc[rader["ar"] == ar]
    egna, alla = int(rader["antal_egna_nivaer"].sum()), int(rader["antal_besok"].sum())
    if not egna:
        return None
    andel = "alla" if egna == alla else f"{fmt.fmt_tal(egna)} av {fmt.fmt_tal(alla)}"
    return (f"Intäkten är {EGNA_NIVAER} för {andel} besök: bosättningskommunen betalar enligt sin egen "
            "ersättningsnivå (2 a kap. 7 § SoL), men ingen sådan nivå finns i ersättningsnivåtabellen "
            "(kolumnen betalande_kommun), så beloppet räknas med kommunens egna nivåer.")
