"""The staging view's cost rule against hand-computed visits (tests/fixtures.py)."""

from decimal import Decimal

import pytest

# besok_id → (regi, riktning, grund, kr_per_timme, expected beräknad kostnad in kr, None = missing)
EXPECTED = {
    # 45 min × 400 kr/h (first-half rate, all regi, utförd basis) = 300,00
    "B1": ("egen_regi", "kostnad", "utford", Decimal("400.00"), Decimal("300.00")),
    # the day after the rate change: 45 × 420 / 60 = 315,00
    "B2": ("egen_regi", "kostnad", "utford", Decimal("420.00"), Decimal("315.00")),
    # private payee, rate excludes moms: 25 × 420 / 60 = 175,00 × 1,06 = 185,50
    "B3": ("privat", "kostnad", "utford", Decimal("420.00"), Decimal("185.50")),
    # regi-specific rate wins: 20 × 430 / 60 = 143,333… → 143,33 (no moms to a municipality)
    "B4": ("vistelsekommun", "kostnad", "utford", Decimal("430.00"), Decimal("143.33")),
    # beviljad basis: 45 (not the 30 delivered) × 800 / 60 = 600,00
    "B5": ("vistelsekommun", "kostnad", "beviljad", Decimal("800.00"), Decimal("600.00")),
    # primärvård before March 2024: no rate in force → missing, not zero
    "B6": ("vistelsekommun", "kostnad", None, None, None),
    # beviljad basis, private: 20 × 800 / 60 = 266,666… × 1,06 = 282,666… → 282,67
    "B7": ("privat", "kostnad", "beviljad", Decimal("800.00"), Decimal("282.67")),
    # another municipality's resident carried out by us: a revenue, 30 × 420 / 60 = 210,00
    "B8": ("egen_regi", "intakt", "utford", Decimal("420.00"), Decimal("210.00")),
    # before any hemtjänst rate: missing
    "B10": ("egen_regi", "kostnad", None, None, None),
}


@pytest.fixture(scope="module")
def rows(fixture_db):
    table = fixture_db.cursor().sql("select * from stg_besok order by besok_id").to_arrow_table()
    return {r["besok_id"]: r for r in table.to_pylist()}


@pytest.mark.parametrize("besok_id", sorted(EXPECTED))
def test_cost_rule(rows, besok_id):
    regi, riktning, grund, kr, kostnad = EXPECTED[besok_id]
    row = rows[besok_id]
    assert (row["regi"], row["riktning"], row["grund"], row["kr_per_timme"], row["beraknad_kostnad_kr"]) == (
        regi, riktning, grund, kr, kostnad)
    assert row["is_niva_saknas"] == (kostnad is None)


def test_momskompensation_only_to_private_payees(rows):
    assert {b for b, r in rows.items() if r["is_momskompensation"]} == {"B3", "B7"}


def test_hours_and_counterpart(rows):
    assert rows["B1"]["utford_timmar"] == pytest.approx(0.75)
    assert rows["B1"]["beviljad_timmar"] == pytest.approx(1.0)
    assert rows["B4"]["motpartskommun"] == "1435"  # cost: the vistelsekommun
    assert rows["B8"]["motpartskommun"] == "1480"  # revenue: the bosättningskommun


def test_every_visit_once(rows):
    # a regi-specific and an all-regi rate both in force must not duplicate the visit
    assert len(rows) == 9


def test_momskompensation_percentage_is_a_setting(tmp_path):
    from beslutsstod.data import db
    from tests.fixtures import write_fixture

    database = db.Database(write_fixture(tmp_path), hemkommun="1401", momskompensation_procent=0.0)
    kostnad = database.cursor().sql("select beraknad_kostnad_kr from stg_besok where besok_id = 'B3'").fetchall()[0][0]
    assert kostnad == Decimal("175.00")  # 25 × 420 / 60 with no surcharge


def test_hemkommun_is_a_setting(tmp_path):
    from beslutsstod.data import db
    from tests.fixtures import write_fixture

    database = db.Database(write_fixture(tmp_path), hemkommun="1480", momskompensation_procent=6.0)
    riktning = dict(database.cursor().sql("select besok_id, riktning from stg_besok").fetchall())
    # seen from Göteborg, B8 (a Göteborg resident staying in Härryda) is a cost; others are revenues or nothing
    assert riktning["B8"] == "kostnad"
    assert riktning["B3"] == "intakt"  # a Härryda resident staying in Göteborg
    assert riktning["B4"] is None  # neither side is Göteborg


def test_revenue_priced_at_the_payers_rate_when_one_is_in_force(tmp_path):
    # issue 11 point 9, seed 004 (2 a kap. 7 § SoL): the bosättningskommun pays "i enlighet med den
    # ersättningsnivå som bosättningskommunen tillämpar". Our own rate 400 kr/h; Göteborg (1480) pays
    # 480 kr/h for hemtjänst from 2024. 60 utförda min each, egen regi, rates excl. momskompensation:
    #   G1 Göteborg resident in Härryda (revenue): 1 h × 480 = 480,00 (the payer's rate)
    #   K1 Kungsbacka resident in Härryda (revenue): no Kungsbacka rate → 1 h × 400 = 400,00, an assumption
    #   H1 Härryda resident in Göteborg (cost): our own rate, 400,00 — Göteborg's row is not ours
    import datetime as dt

    import pyarrow as pa
    import pyarrow.parquet as pq

    from beslutsstod.data import db, demo
    from tests.fixtures import write_besok_and_utforare

    out = tmp_path / "extracts"
    besok = [dict(besok_id=b, datum=dt.date(2024, 7, 1), brukare_id=b.lower(), bosattningskommun=bo,
                  vistelsekommun=vi, utforare_id="E1", insats="hemtjanst", beviljad_min=60, utford_min=60,
                  fakturerat_kr=None)
             for b, bo, vi in (("G1", "1480", "1401"), ("K1", "1384", "1401"), ("H1", "1401", "1480"))]
    write_besok_and_utforare(out, besok, [("E1", "Egen", "egen_regi", "1401")])
    niva = dict(giltig_fran=dt.date(2024, 1, 1), giltig_till=None, insats="hemtjanst", regi=None, grund="utford",
                momskompensation_ingar=False, kalla="test", beslut="test", preliminar=False)
    pq.write_table(pa.Table.from_pylist([dict(niva, kr_per_timme=Decimal("400.00")),
                                         dict(niva, kr_per_timme=Decimal("480.00"), betalande_kommun="1480")],
                                        schema=demo.NIVA_SCHEMA), out / "ersattningsnivaer.parquet")
    pq.write_table(pa.Table.from_pylist([], schema=demo.BUDGET_SCHEMA), out / "budget.parquet")
    pq.write_table(pa.Table.from_pylist([], schema=demo.VISTELSE_SCHEMA), out / "vistelser.parquet")
    database = db.Database(out, hemkommun="1401", momskompensation_procent=6.0)
    rader = {r[0]: r[1:] for r in database.cursor().sql(
        "select besok_id, riktning, beraknad_kostnad_kr, is_betalarens_niva, is_egen_niva_antagande "
        "from stg_besok").fetchall()}
    database.close()
    assert rader == {"G1": ("intakt", Decimal("480.00"), True, False),
                     "K1": ("intakt", Decimal("400.00"), False, True),
                     "H1": ("kostnad", Decimal("400.00"), False, False)}


def test_an_extract_without_the_payer_column_still_reads(tmp_path):
    # backwards compatible (issue 11 point 9): a rate table written before betalande_kommun existed is read
    # with the column null — every rate our own; B3 (private, 25 min × 420 × 1,06) costs 185,50 as before
    import pyarrow.parquet as pq

    from beslutsstod.data import db
    from tests.fixtures import write_fixture

    out = write_fixture(tmp_path)
    gammal = pq.read_table(out / "ersattningsnivaer.parquet").drop_columns(["betalande_kommun"])
    pq.write_table(gammal, out / "ersattningsnivaer.parquet")
    database = db.Database(out, hemkommun="1401", momskompensation_procent=6.0)
    cur = database.cursor()
    assert cur.sql("select count(*), count(betalande_kommun) from stg_ersattningsnivaer").fetchall() == [(4, 0)]
    assert cur.sql("select beraknad_kostnad_kr from stg_besok where besok_id = 'B3'").fetchall() == [(Decimal("185.50"),)]
    database.close()
