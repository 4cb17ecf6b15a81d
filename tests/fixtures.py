"""Small hand-written extracts for the SQL tests; each expected figure is computed by hand in the tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from beslutsstod.data import demo

D = dt.date

UTFORARE = [
    ("E1", "Egen hemtjänst", "egen_regi", "1401"),
    ("P1", "Privat Omsorg AB", "privat", "1401"),
    ("V1435", "Tanums kommun", "vistelsekommun", "1435"),
]

NIVAER = [
    # A rate change in the middle of 2024 for hemtjänst, all regi, per utförd hour, excl. moms.
    dict(giltig_fran=D(2024, 1, 1), giltig_till=D(2024, 6, 30), insats="hemtjanst", regi=None,
         kr_per_timme=Decimal("400.00"), grund="utford", momskompensation_ingar=False),
    dict(giltig_fran=D(2024, 7, 1), giltig_till=None, insats="hemtjanst", regi=None,
         kr_per_timme=Decimal("420.00"), grund="utford", momskompensation_ingar=False),
    # A regi-specific rate wins over the one for all regi.
    dict(giltig_fran=D(2024, 7, 1), giltig_till=None, insats="hemtjanst", regi="vistelsekommun",
         kr_per_timme=Decimal("430.00"), grund="utford", momskompensation_ingar=False),
    # Primärvård per beviljad hour, only from March 2024: visits before have no rate in force.
    dict(giltig_fran=D(2024, 3, 1), giltig_till=None, insats="kommunal_primarvard", regi=None,
         kr_per_timme=Decimal("800.00"), grund="beviljad", momskompensation_ingar=False),
]

# besok_id, datum, brukare, bosattningskommun, vistelsekommun, utforare, insats, beviljad_min, utford_min
BESOK = [
    ("B1", D(2024, 6, 30), "x1", "1401", "1481", "E1", "hemtjanst", 60, 45),
    ("B2", D(2024, 7, 1), "x1", "1401", "1481", "E1", "hemtjanst", 60, 45),
    ("B3", D(2024, 7, 1), "x2", "1401", "1480", "P1", "hemtjanst", 30, 25),
    ("B4", D(2024, 7, 2), "x3", "1401", "1435", "V1435", "hemtjanst", 30, 20),
    ("B5", D(2024, 3, 15), "x4", "1401", "1435", "V1435", "kommunal_primarvard", 45, 30),
    ("B6", D(2024, 2, 10), "x4", "1401", "1435", "V1435", "kommunal_primarvard", 30, 30),
    ("B7", D(2024, 8, 1), "x5", "1401", "1480", "P1", "kommunal_primarvard", 20, 20),
    ("B8", D(2024, 7, 15), "g1", "1480", "1401", "E1", "hemtjanst", 30, 30),
    ("B10", D(2023, 12, 31), "x1", "1401", "1481", "E1", "hemtjanst", 60, 60),
]


def write_besok_and_utforare(out: Path, rows: list[dict], utforare: list[tuple]) -> None:
    """Visits hive-partitioned by year as the data contract stores them, and the providers."""
    for ar in sorted({r["datum"].year for r in rows}):
        part = out / "besok" / f"ar={ar}"
        part.mkdir(parents=True)
        pq.write_table(pa.Table.from_pylist([r for r in rows if r["datum"].year == ar], schema=demo.BESOK_SCHEMA),
                       part / "besok.parquet")
    pq.write_table(pa.Table.from_pylist([dict(zip(demo.UTFORARE_SCHEMA.names, u)) for u in utforare],
                                        schema=demo.UTFORARE_SCHEMA), out / "utforare.parquet")


def write_fixture(data_dir: Path) -> Path:
    """Write the fixture extracts under data_dir/extracts and return that folder."""
    out = data_dir / "extracts"
    rows = [dict(zip(("besok_id", "datum", "brukare_id", "bosattningskommun", "vistelsekommun",
                      "utforare_id", "insats", "beviljad_min", "utford_min"), b), fakturerat_kr=None) for b in BESOK]
    write_besok_and_utforare(out, rows, UTFORARE)
    nivaer = [dict(n, kalla="test", beslut="test", preliminar=False) for n in NIVAER]
    pq.write_table(pa.Table.from_pylist(nivaer, schema=demo.NIVA_SCHEMA), out / "ersattningsnivaer.parquet")
    pq.write_table(pa.Table.from_pylist([dict(ar=2024, manad=m, insats="hemtjanst", budget_kr=Decimal("1000.00"),
                                              budget_timmar=None) for m in range(1, 13)],
                                        schema=demo.BUDGET_SCHEMA), out / "budget.parquet")
    pq.write_table(pa.Table.from_pylist([dict(brukare_id="x1", bosattningskommun="1401", vistelsekommun="1481",
                                              fran=D(2024, 6, 1), till=D(2024, 7, 31))],
                                        schema=demo.VISTELSE_SCHEMA), out / "vistelser.parquet")
    return out
