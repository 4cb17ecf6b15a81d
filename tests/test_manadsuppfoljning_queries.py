"""Månadsuppföljning's queries against the hand-written fixture, with hand-computed expected rows.

The shared fixture (tests/fixtures.py) plus, in this module's own copy:
- B20 2024-07-10, x6 in 1480 (P1, privat, hemtjänst), 60 min utförd, invoiced 500,00 kr
  (its computed cost would be 1 h × 420 × 1,06 = 445,20 kr: the invoice wins);
- B21 2024-07-11, x7 in 1435 by utförare X9, which is missing from the utforare extract (regi
  null), hemtjänst 30 min: 0,5 h × 420 = 210,00 kr (no momskompensation: regi not privat);
- an annual budget 3 000 kr for kommunal primärvård 2024 (manad null).

Costs of the shared fixture used below (stg_besok's cost rule, checked in test_staging):
B1 2024-06 egen 300,00 · B2 2024-07 egen 315,00 · B3 2024-07 privat 185,50 · B4 2024-07
vistelsekommun 143,33 · B5 2024-03 primärvård 600,00 · B6 2024-02 primärvård no rate ·
B7 2024-08 primärvård privat 282,67 · B8 is a revenue (not here) · B10 2023-12 egen no rate.
Visits exist in 2023-12 and 2024-02, 03, 06, 07, 08: January, April and May 2024 have none
(an outage).
"""

import datetime as dt
from decimal import Decimal

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from beslutsstod.data import db, demo
from beslutsstod.regler import prognos
from tests.fixtures import write_fixture

ALLA = dict(insatser=[], regier=[], kommuner=[])


@pytest.fixture(scope="module")
def manad_db(tmp_path_factory) -> db.Database:
    extracts = write_fixture(tmp_path_factory.mktemp("manad"))
    path = extracts / "besok" / "ar=2024" / "besok.parquet"
    rows = pq.read_table(path).to_pylist()
    rows += [
        dict(besok_id="B20", datum=dt.date(2024, 7, 10), brukare_id="x6", bosattningskommun="1401",
             vistelsekommun="1480", utforare_id="P1", insats="hemtjanst", beviljad_min=60, utford_min=60,
             fakturerat_kr=Decimal("500.00")),
        dict(besok_id="B21", datum=dt.date(2024, 7, 11), brukare_id="x7", bosattningskommun="1401",
             vistelsekommun="1435", utforare_id="X9", insats="hemtjanst", beviljad_min=30, utford_min=30,
             fakturerat_kr=None),
    ]
    pq.write_table(pa.Table.from_pylist(rows, schema=demo.BESOK_SCHEMA), path)
    budget = pq.read_table(extracts / "budget.parquet").to_pylist()
    budget.append(dict(ar=2024, manad=None, insats="kommunal_primarvard", budget_kr=Decimal("3000.00"),
                       budget_timmar=None))
    pq.write_table(pa.Table.from_pylist(budget, schema=demo.BUDGET_SCHEMA), extracts / "budget.parquet")
    return db.Database(extracts, hemkommun="1401", momskompensation_procent=6.0)


def utfall(manad_db, **filters) -> pd.DataFrame:
    return manad_db.query("manadsuppfoljning/utfall_per_manad", dict(ALLA, **filters)).to_pandas()


def by_key(frame: pd.DataFrame) -> dict:
    """(ar, manad, insats, regi) → row; regi None (not NaN) for a missing regi."""
    return {(r.ar, r.manad, r.insats, None if pd.isna(r.regi) else r.regi): r for r in frame.itertuples()}


def test_outcome_is_invoice_where_it_exists_else_computed_with_the_split(manad_db):
    rows = by_key(utfall(manad_db))
    privat = rows[(2024, 7, "hemtjanst", "privat")]
    # B3 computed 185,50 + B20 invoiced 500,00 = 685,50 (not 185,50 + 445,20)
    assert (privat.utfall_kr, privat.fakturerat_kr, privat.beraknat_kr) == (
        pytest.approx(685.50), pytest.approx(500.00), pytest.approx(185.50))
    assert privat.antal_besok == 2
    egen = rows[(2024, 7, "hemtjanst", "egen_regi")]
    # B2 only: the revenue visit B8 (another municipality's resident, same utförare) is not a cost
    assert (egen.utfall_kr, egen.fakturerat_kr, egen.beraknat_kr) == (pytest.approx(315.0), 0.0, pytest.approx(315.0))
    # X9 has no regi: a row with regi null, 0,5 h × 420 = 210,00
    assert rows[(2024, 7, "hemtjanst", None)].utfall_kr == pytest.approx(210.0)
    assert rows[(2024, 7, "hemtjanst", "vistelsekommun")].utfall_kr == pytest.approx(143.33)


def test_outage_months_are_flagged_per_insats_never_zero(manad_db):
    frame = utfall(manad_db)
    flagged = frame.loc[frame["saknar_data"]]
    assert sorted(zip(flagged["ar"], flagged["manad"], flagged["insats"])) == [
        (2024, m, i) for m in (1, 4, 5) for i in ("hemtjanst", "kommunal_primarvard")]
    assert flagged["utfall_kr"].isna().all() and flagged["regi"].isna().all()
    # 2023 is covered from December only: no rows before it (outside the extracts, not 0 kr)
    assert sorted(frame.loc[frame["ar"] == 2023, "manad"].unique()) == [12]


def test_every_covered_month_of_a_year_has_each_insats_and_regi_of_that_year(manad_db):
    rows = by_key(utfall(manad_db))
    # privat primärvård has only B7 (August 2024): the other covered 2024 months are 0 kr, not missing
    for m in (2, 3, 6, 7):
        assert rows[(2024, m, "kommunal_primarvard", "privat")].utfall_kr == 0.0
    assert rows[(2024, 8, "kommunal_primarvard", "privat")].utfall_kr == pytest.approx(282.67)
    # no month after the last visit (August 2024) and none of the outage months has a regi row
    assert not [k for k in rows if k[0] == 2024 and k[1] > 8]
    assert not [k for k in rows if k[:2] in {(2024, 1), (2024, 4), (2024, 5)} and k[3] is not None]
    # 2023 only has egen regi hemtjänst (B10): the 2024 regi do not spill into 2023
    assert [k for k in rows if k[0] == 2023] == [(2023, 12, "hemtjanst", "egen_regi")]


def test_visits_without_invoice_or_rate_make_the_outcome_missing_and_are_counted(manad_db):
    rows = by_key(utfall(manad_db))
    feb = rows[(2024, 2, "kommunal_primarvard", "vistelsekommun")]  # B6: no rate in force, no invoice
    assert pd.isna(feb.utfall_kr)
    assert (feb.antal_besok, feb.antal_besok_utan_belopp) == (1, 1)
    assert rows[(2023, 12, "hemtjanst", "egen_regi")].antal_besok_utan_belopp == 1  # B10


def test_filters_insats_regi_kommun(manad_db):
    privat = utfall(manad_db, regier=["privat"])
    got = {(r.ar, r.manad, r.insats): r.utfall_kr for r in privat.itertuples() if r.utfall_kr > 0}
    assert got == {(2024, 7, "hemtjanst"): pytest.approx(685.50),
                   (2024, 8, "kommunal_primarvard"): pytest.approx(282.67)}
    # privat had no visit in 2023 (covered from December): 0 kr there for each insats and regi of
    # the selection, so the comparison year reads as 0 kr, not as missing data
    assert [(r.ar, r.manad, r.insats, r.regi, r.utfall_kr) for r in privat.itertuples() if r.ar == 2023] == [
        (2023, 12, "hemtjanst", "privat", 0.0), (2023, 12, "kommunal_primarvard", "privat", 0.0)]
    tanum = utfall(manad_db, kommuner=["1435"], insatser=["hemtjanst"])
    got = {k[:2] + k[3:]: r.utfall_kr for k, r in by_key(tanum).items() if r.utfall_kr > 0}
    # B4 143,33 (vistelsekommun) and B21 210,00 (regi unknown); B5/B6 are primärvård
    assert got == {(2024, 7, "vistelsekommun"): pytest.approx(143.33), (2024, 7, None): pytest.approx(210.0)}
    assert set(tanum["insats"]) == {"hemtjanst"}
    # the outage is still flagged in a filtered view: it is a fact about the extracts
    assert set(tanum.loc[tanum["saknar_data"], "manad"]) == {1, 4, 5}


def test_budget_rows_and_annual_budget_and_no_budget_for_a_part(manad_db):
    rows = manad_db.query("manadsuppfoljning/budget", ALLA).to_pylist()
    hemtjanst = [r for r in rows if r["insats"] == "hemtjanst"]
    assert [(r["ar"], r["manad"], r["budget_kr"]) for r in hemtjanst] == [(2024, m, 1000.0) for m in range(1, 13)]
    assert [r for r in rows if r["insats"] == "kommunal_primarvard"] == [
        dict(ar=2024, manad=None, insats="kommunal_primarvard", budget_kr=3000.0)]
    only_hsl = manad_db.query("manadsuppfoljning/budget", dict(ALLA, insatser=["kommunal_primarvard"])).to_pylist()
    assert [r["insats"] for r in only_hsl] == ["kommunal_primarvard"]
    # the budget is for all of our costs: a regi or kommun selection has none to compare with
    assert manad_db.query("manadsuppfoljning/budget", dict(ALLA, regier=["privat"])).num_rows == 0
    assert manad_db.query("manadsuppfoljning/budget", dict(ALLA, kommuner=["1435"])).num_rows == 0


def test_persons_per_level_and_month(manad_db):
    rows = manad_db.query("manadsuppfoljning/personer", dict(ALLA, ar=2024, manader=[2, 3, 6, 7])).to_pylist()
    got = {(r["niva"], r["ar"], r["manad"], r["insats"], r["regi"]): r["antal_personer"] for r in rows}
    assert got == {
        # 2024 Feb, Mar, Jun, Jul: x4 (B5, B6), x1 (B1, B2), x2 (B3), x3 (B4), x6 (B20), x7 (B21)
        ("total", 2024, None, None, None): 6,
        ("insats", 2024, None, "hemtjanst", None): 5,  # x1, x2, x3, x6, x7
        ("insats", 2024, None, "kommunal_primarvard", None): 1,  # x4; B7 (August) is outside
        ("regi", 2024, None, "hemtjanst", "egen_regi"): 1,
        ("regi", 2024, None, "hemtjanst", "privat"): 2,
        ("regi", 2024, None, "hemtjanst", "vistelsekommun"): 1,
        ("regi", 2024, None, "hemtjanst", None): 1,
        ("regi", 2024, None, "kommunal_primarvard", "vistelsekommun"): 1,
        ("manad", 2024, 2, None, None): 1, ("manad", 2024, 3, None, None): 1,
        ("manad", 2024, 6, None, None): 1, ("manad", 2024, 7, None, None): 5,
        # 2023: December is not among the months asked for, so 2023 has no rows
    }


def test_report_from_the_queries_flags_the_outage_and_adds_up(manad_db):
    rep = prognos.report_table(utfall(manad_db), manad_db.query("manadsuppfoljning/budget", ALLA).to_pandas(),
                          2024, 8, prognos.STRAIGHT_LINE)
    assert rep.missing_months == {"hemtjanst": (1, 4, 5), "kommunal_primarvard": (1, 2, 4, 5)}
    t = rep.table.set_index(["radtyp", "insats", "regi"], drop=False)
    # hemtjänst Ack utfall, per regi rounded to 0,1 tkr (100 kr): egen 300 + 315 = 615 → 0,6;
    # privat 685,50 → 0,7; vistelsekommun 143,33 → 0,1; okänd regi 210 → 0,2; subtotal 1,6
    assert t.loc[("insats", "hemtjanst", None), "Ack utfall"] == pytest.approx(1.6)
    assert t.loc[("regi", "hemtjanst", "okand"), "Ack utfall"] == pytest.approx(0.2)
    # Ack budget: 1 000 kr in each month with data, Feb, Mar, Jun, Jul, Aug = 5 000 kr = 5,0 tkr
    assert t.loc[("insats", "hemtjanst", None), "Ack budget"] == pytest.approx(5.0)
    assert t.loc[("insats", "hemtjanst", None), "Avvikelse"] == pytest.approx(5.0 - 1.6)
    # primärvård: the annual 3 000 kr is spread by 2023's outcome, which has no primärvård: evenly, 250 a month
    assert t.loc[("insats", "kommunal_primarvard", None), "År budget"] == pytest.approx(3.0)
    assert rep.budget_spread == {"kommunal_primarvard": prognos.BUDGET_EVEN}
    rader = rep.table
    total = rader.loc[rader["radtyp"] == "total", "Ack utfall"].item()
    assert total == pytest.approx(rader.loc[rader["radtyp"] == "insats", "Ack utfall"].sum())
