"""The product's vocabulary, defined once: the codes of the data contract and their Swedish labels.

Every page, table, chart, export and text takes its words from here, so a measure or a category has
one name everywhere. Codes are the values in the extracts (DESIGN.md's data contract); labels are
what a user reads. Lower-case forms are for running text ("kostnaden för hemtjänst i egen regi").
"""

from __future__ import annotations

import math
from numbers import Real

import pandas as pd

# --- codes of the data contract and their labels ---------------------------------------------------
INSATSER = ("hemtjanst", "kommunal_primarvard")
INSATS_NAMN = {"hemtjanst": "Hemtjänst", "kommunal_primarvard": "Kommunal primärvård"}
INSATS_TEXT = {k: v.lower() for k, v in INSATS_NAMN.items()}  # in running text

REGIER = ("egen_regi", "privat", "vistelsekommun")
REGI_NAMN = {"egen_regi": "Egen regi", "privat": "Privat (LOV/avtal)", "vistelsekommun": "Vistelsekommunen"}
REGI_TEXT = {"egen_regi": "egen regi", "privat": "privata utförare (LOV/avtal)", "vistelsekommun": "vistelsekommunen"}
REGI_OKAND = "okand"  # a visit whose utförare has no regi (no match in the utforare extract)
REGI_OKAND_NAMN = "Okänd regi"
MOMS_REGI = "privat"  # the only regi that receives momskompensation

RIKTNINGAR = {"kostnad": "Kostnader (våra invånare i andra kommuner)",
              "intakt": "Intäkter (andra kommuners invånare hos oss)"}

# --- the words of every table ---------------------------------------------------------------------
TOTALT = "Totalt"  # the total row or column
MASK = ".."  # Kolada's code: a value withheld to protect individuals (small-number protection)
SAKNAS = "–"  # a value that does not exist (no data, a change from zero), never shown as 0

# The small-number threshold is the setting `smatal_grans` (installningar.py): groups of fewer
# persons than this are shown as MASK. Code names it `smatal_grans` everywhere.


def saknas(varde: object) -> bool:
    """The one missing-value test: None, NaN, pandas' NA/NaT; a string or a list is never missing."""
    if varde is None:
        return True
    if isinstance(varde, Real):
        return math.isnan(float(varde))
    try:
        return bool(pd.isna(varde))
    except (TypeError, ValueError):
        return False
