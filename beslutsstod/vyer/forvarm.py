"""What the protected view's first visitor would wait for, computed when new data arrives (issue 16).

The protected view (role läsare) masks Översikt and Vistelsekommuner from one crosstab per year and
direction (regler/lasarvy): hundreds of small linear programs, 0,9 s per year at 10 million
visits. The import and the demo data compute them for the view a visitor opens first: Översikt of
the latest year against the year before, both directions, the sidebar's "all" (a läsare has no
other filter). They go through the page's own path (Sammanhang.oversikt_skydd, so the same queries
and the same cells), and the pages find the result in the on-disk cache (bestandig_cache), also
after a restart. Other years are computed when first asked, and kept.
"""

from __future__ import annotations

import pandas as pd

from beslutsstod import begrepp
from beslutsstod.vyer.urval import Filter, Fraga, Sammanhang


def forvarm(fraga: Fraga, smatal_grans: int, hemkommun: str) -> int:
    """Compute Översikt's protected masks for the latest year and the one before, both directions;
    returns how many directions were computed."""
    sista = pd.Timestamp(fraga("filter/datatackning", None).iloc[0]["sista_datum"]).date()
    s = Sammanhang(fraga, True, smatal_grans, hemkommun)
    f = Filter(sista.year, [], [], [], sista)
    for riktning in begrepp.RIKTNINGAR:
        s.oversikt_skydd(f, riktning, [])  # the masks do not depend on the compared months
    return len(begrepp.RIKTNINGAR)
