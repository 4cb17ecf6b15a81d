"""What the protected view's first visitor would wait for, computed when new data arrives (issue 16).

The protected view (role läsare) masks Översikt and Vistelsekommuner from one crosstab per year and
direction (regler/lasarvy): hundreds of small linear programs, 0,9 s per year at 10 million
visits. The import and the demo data compute them for the views a visitor opens first (the two
latest years, both directions, the sidebar's "all": a läsare has no other filter) through the same
queries and the same function as the pages, so the pages find them in the on-disk cache
(bestandig_cache) also after a restart. Other years are computed when first asked, and kept.
"""

from __future__ import annotations

from beslutsstod import begrepp
from beslutsstod.regler import lasarvy

AR = 2  # the latest year and the one before (Översikt's default compares them)


def forvarm(fraga, smatal_grans: int) -> int:
    """Compute the protected crosstab masks of the latest AR years; returns how many were computed.

    ``fraga(namn, params)`` runs a named query and returns pandas (as Sammanhang.fraga)."""
    ar_lista = [int(a) for a in fraga("filter/datatackning", None).iloc[0]["ar_lista"]]
    antal = 0
    for ar in ar_lista[-AR:]:
        rader = fraga("vistelsekommuner/per_manad_kommun",
                      dict(riktning="alla", ar=ar, insatser=[], regier=[], kommuner=[]))
        for riktning in begrepp.RIKTNINGAR:
            lasarvy.dolda_celler(rader, riktning, smatal_grans)
            antal += 1
    return antal
