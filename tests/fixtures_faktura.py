"""Hand-written extracts with one case of every invoice flag, for Fakturakontroll and Kartläggning.

Built like tests/fixtures.py (which other tests depend on and is left as it is). Rates: hemtjänst
400 kr/h from 2024-01-01 for all regi, primärvård 800 kr/h from 2024-03-01, both per utförd
hour and excluding momskompensation (6 %: a private payee gets 1,06 × the amount). Each
visit's comment says which case it is and its expected amount.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from beslutsstod.data import demo
from tests.fixtures import write_besok_and_utforare

D = dt.date
K = Decimal

UTFORARE = [
    ("E1", "Egen hemtjänst", "egen_regi", "1401"),
    ("P1", "Privat Omsorg AB", "privat", "1401"),
    ("V1435", "Tanums kommun", "vistelsekommun", "1435"),
    ("V1486", "Strömstads kommun", "vistelsekommun", "1486"),
]

NIVAER = [
    dict(giltig_fran=D(2024, 1, 1), giltig_till=None, insats="hemtjanst", regi=None, kr_per_timme=K("400.00"),
         grund="utford", momskompensation_ingar=False, kalla="Fixtur: hemtjänst", beslut="SN 2023-12-01 § 1",
         preliminar=False),
    dict(giltig_fran=D(2024, 3, 1), giltig_till=None, insats="kommunal_primarvard", regi=None,
         kr_per_timme=K("800.00"), grund="utford", momskompensation_ingar=False, kalla="Fixtur: primärvård",
         beslut="SN 2024-02-01 § 2", preliminar=False),
]

VISTELSER = [
    ("a1", "1401", "1435", D(2024, 2, 1), D(2024, 2, 29)),
    ("a1", "1401", "1435", D(2024, 7, 1), D(2024, 7, 31)),
    ("a4", "1401", "1435", D(2024, 7, 1), D(2024, 7, 31)),
    ("a2", "1401", "1486", D(2024, 7, 1), D(2024, 8, 31)),
    ("a3", "1401", "1480", D(2024, 7, 1), D(2024, 9, 30)),
]

# besok_id, datum, brukare, bosattningskommun, vistelsekommun, utforare, insats, beviljad_min, utford_min, fakturerat_kr
BESOK = [
    # Tanum (a municipality, no momskompensation)
    ("B01", D(2024, 7, 2), "a1", "1401", "1435", "V1435", "hemtjanst", 60, 60, K("400.00")),  # right: 1 h × 400
    ("B02", D(2024, 7, 3), "a1", "1401", "1435", "V1435", "hemtjanst", 60, 30, K("240.00")),  # 480 kr/h: expected 200
    ("B03", D(2024, 7, 4), "a4", "1401", "1435", "V1435", "hemtjanst", 30, 45, K("300.00")),  # 0,75 h paid, 0,5 granted
    ("B04", D(2024, 8, 5), "a1", "1401", "1435", "V1435", "hemtjanst", 30, 30, K("200.00")),  # a1's stay ended 07-31
    ("B05", D(2024, 2, 10), "a1", "1401", "1435", "V1435", "kommunal_primarvard", 30, 30, K("400.00")),  # no rate yet
    # Strömstad (a municipality)
    ("B06", D(2024, 7, 10), "a2", "1401", "1486", "V1486", "hemtjanst", 60, 60, K("424.00")),  # 400 × 1,06: momskomp.
    ("B07", D(2024, 7, 11), "a2", "1401", "1486", "V1486", "hemtjanst", 30, 30, K("200.00")),  # right
    ("B08", D(2024, 8, 1), "a2", "1401", "1486", "V1486", "hemtjanst", 60, 60, K("400.50")),  # +0,50 kr: tolerated
    # Privat Omsorg AB (private: × 1,06)
    ("B09", D(2024, 7, 5), "a3", "1401", "1480", "P1", "hemtjanst", 60, 45, K("424.00")),  # beviljad time: expect 318
    ("B10", D(2024, 7, 6), "a3", "1401", "1480", "P1", "hemtjanst", 30, 30, K("212.00")),  # right: 0,5 × 400 × 1,06
    ("D01", D(2024, 7, 6), "a3", "1401", "1480", "P1", "hemtjanst", 30, 30, K("212.00")),  # B10 again under a new id
    ("B11", D(2024, 9, 3), "a3", "1401", "1480", "P1", "hemtjanst", 30, 30, None),  # not invoiced yet; expected 212
    # Left out of the invoice check: own staff, and the revenue side
    ("B12", D(2024, 7, 7), "x9", "1401", "1481", "E1", "hemtjanst", 60, 60, None),
    ("B13", D(2024, 7, 15), "g1", "1480", "1401", "E1", "hemtjanst", 30, 30, K("200.00")),
    # Another year (no hemtjänst rate before 2024)
    ("B14", D(2023, 7, 2), "a1", "1401", "1435", "V1435", "hemtjanst", 60, 60, K("400.00")),
]

BESOK_KOLUMNER = ("besok_id", "datum", "brukare_id", "bosattningskommun", "vistelsekommun", "utforare_id", "insats",
                  "beviljad_min", "utford_min", "fakturerat_kr")


def write_faktura_fixture(data_dir: Path) -> Path:
    """Write the extracts under data_dir/extracts and return that folder."""
    out = data_dir / "extracts"
    rows = [dict(zip(BESOK_KOLUMNER, b)) for b in BESOK]
    write_besok_and_utforare(out, rows, UTFORARE)
    pq.write_table(pa.Table.from_pylist(NIVAER, schema=demo.NIVA_SCHEMA), out / "ersattningsnivaer.parquet")
    pq.write_table(pa.Table.from_pylist([], schema=demo.BUDGET_SCHEMA), out / "budget.parquet")
    pq.write_table(pa.Table.from_pylist([dict(zip(demo.VISTELSE_SCHEMA.names, v)) for v in VISTELSER],
                                        schema=demo.VISTELSE_SCHEMA), out / "vistelser.parquet")
    return out
