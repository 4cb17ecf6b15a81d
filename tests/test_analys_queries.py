"""The analysis pages' question queries against the fixture, with hand-computed expected rows.

The shared fixture (tests/fixtures.py) is copied and extended here, never edited: a 2022–2023
hemtjänst rate (380 kr/h per utförd timme, excl. momskompensation) and two more visits, so
that the yearly trend and the fixed-price conversion have three years with a cost.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from beslutsstod.data import db, demo
from beslutsstod.regler import fasta_priser
from beslutsstod.vyer import kostnader, vistelsekommuner
from tests import fixtures

D = dt.date
ALLA = dict(insatser=[], regier=[], kommuner=[])
EXTRA_NIVAER = [
    dict(giltig_fran=D(2022, 1, 1), giltig_till=D(2023, 12, 31), insats="hemtjanst", regi=None,
         kr_per_timme=Decimal("380.00"), grund="utford", momskompensation_ingar=False),
]
EXTRA_BESOK = [
    # 60 utförda min × 380 kr/h = 380,00 kr (egen regi: no momskompensation)
    ("B20", D(2022, 7, 10), "x1", "1401", "1481", "E1", "hemtjanst", 60, 60),
    # 30 min × 380 kr/h × 1,06 (private, rate excl. momskompensation) = 201,40 kr
    ("B21", D(2023, 7, 5), "x2", "1401", "1480", "P1", "hemtjanst", 30, 30),
]
# With the extension, B10 (2023-12-31, 60 utförda min, E1) now has a rate: 380,00 kr.


@pytest.fixture(scope="module")
def analys_db(tmp_path_factory) -> db.Database:
    extracts = fixtures.write_fixture(tmp_path_factory.mktemp("analys_fixture"))
    nivaer = [dict(n, kalla="test", beslut="test", preliminar=False) for n in fixtures.NIVAER + EXTRA_NIVAER]
    pq.write_table(pa.Table.from_pylist(nivaer, schema=demo.NIVA_SCHEMA), extracts / "ersattningsnivaer.parquet")
    for besok in EXTRA_BESOK:
        rad = dict(zip(("besok_id", "datum", "brukare_id", "bosattningskommun", "vistelsekommun", "utforare_id",
                        "insats", "beviljad_min", "utford_min"), besok), fakturerat_kr=None)
        part = extracts / "besok" / f"ar={besok[1].year}"
        part.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.Table.from_pylist([rad], schema=demo.BESOK_SCHEMA), part / f"extra_{besok[0]}.parquet")
    database = db.Database(extracts, hemkommun="1401", momskompensation_procent=6.0)
    yield database
    database.close()


def per_ar_params(**params) -> dict:
    """The page's parameters: the running year compared on the same months; no outages unless given."""
    params.setdefault("utan_data", [])
    params.setdefault("jmf_ar", [params["ar"]] if params["till_manad"] < 12 else [])
    return params


def per_ar(analys_db, **params):
    rows = analys_db.query("kostnader/per_ar", per_ar_params(**params)).to_pylist()
    return {(r["ar"], r["is_jamforelse"], r["riktning"], r["dimension"], r["grupp"]): r for r in rows
            if not r["is_jamforelse_nu"]}


def test_per_ar_totals_per_year_and_direction(analys_db):
    rows = per_ar(analys_db, ar=2024, till_manad=12, **ALLA)
    kost = {a: rows[(a, False, "kostnad", "totalt", None)] for a in (2022, 2023, 2024)}
    assert kost[2022]["kostnad_kr"] == pytest.approx(380.00)  # B20
    assert kost[2023]["kostnad_kr"] == pytest.approx(581.40)  # B21 201,40 + B10 380,00
    # 2024 as in test_oversikt_queries: 300 + 315 + 185,50 + 143,33 + 600 + 282,67 (B6 no rate)
    assert kost[2024]["kostnad_kr"] == pytest.approx(1826.50)
    assert [kost[a]["antal_personer"] for a in (2022, 2023, 2024)] == [1, 2, 5]
    assert kost[2023]["debiterbara_timmar"] == pytest.approx(1.5)  # 30 + 60 min
    assert kost[2024]["antal_besok_utan_niva"] == 1  # B6
    intakt = rows[(2024, False, "intakt", "totalt", None)]
    assert (intakt["kostnad_kr"], intakt["antal_personer"]) == (pytest.approx(210.00), 1)  # B8: 30 min × 420
    assert (2023, False, "intakt", "totalt", None) not in rows  # no revenue visits in 2023
    assert not any(k[1] for k in rows), "a completed year needs no comparison rows"


def test_per_ar_breakdowns(analys_db):
    rows = per_ar(analys_db, ar=2024, till_manad=12, **ALLA)

    def kr(dim, grupp, ar=2024):
        r = rows[(ar, False, "kostnad", dim, grupp)]
        return r["kostnad_kr"], r["antal_personer"]

    # insats: hemtjänst B1+B2+B3+B4 = 300 + 315 + 185,50 + 143,33 = 943,83 (x1, x2, x3);
    # primärvård B5 + B7 = 600 + 282,67 = 882,67 (x4, x5)
    assert kr("insats", "hemtjanst") == (pytest.approx(943.83), 3)
    assert kr("insats", "kommunal_primarvard") == (pytest.approx(882.67), 2)
    # regi: E1 B1+B2 = 615; P1 B3+B7 = 468,17; V1435 B4+B5 = 743,33
    assert kr("regi", "egen_regi") == (pytest.approx(615.00), 1)
    assert kr("regi", "privat") == (pytest.approx(468.17), 2)
    assert kr("regi", "vistelsekommun") == (pytest.approx(743.33), 2)
    assert kr("regi", "privat", ar=2023) == (pytest.approx(201.40), 1)


def test_per_ar_running_year_compares_same_months(analys_db):
    rows = per_ar(analys_db, ar=2024, till_manad=7, **ALLA)
    jmf = rows[(2023, True, "kostnad", "totalt", None)]
    # 2023 jan–jul: B21 only (B10 is 31 December)
    assert (jmf["kostnad_kr"], jmf["antal_personer"]) == (pytest.approx(201.40), 1)
    assert rows[(2023, False, "kostnad", "totalt", None)]["kostnad_kr"] == pytest.approx(581.40)
    assert {k[0] for k in rows if k[1]} == {2023}


def test_per_ar_change_on_the_months_both_years_have(analys_db):
    # issue 11 point 2: suppose 2023 lacks March (an outage; the fixture has no visit then). 2024's
    # amount stays what was registered, 1 826,50 kr, but its change is computed without March 2024
    # (B5, 15 March, 600,00 kr): 1 826,50 − 600,00 = 1 226,50 against 2023's 581,40 (all its months
    # 2024 also has) = +645,10 kr. 2023 is labelled incomplete.
    from beslutsstod.regler import jamforelse

    utan = [(2023, 3)]
    jmf_ar = jamforelse.ar_som_jamfors([2022, 2023, 2024], 2024, 12, utan)
    assert jmf_ar == [2023, 2024]  # 2023 lacks a month; 2024's year before does
    rader = analys_db.query("kostnader/per_ar", per_ar_params(ar=2024, till_manad=12, jmf_ar=jmf_ar,
                                                             utan_data=jamforelse.utan_data_koder(utan), **ALLA))
    t = kostnader.kostnader_per_ar(rader.to_pandas(), riktning="kostnad", dimension="totalt", ar=2024, till_manad=12,
                                oppen_vy=False, smatal_grans=5, etiketter={}, utan_data=utan)
    d = t.tabell.data.set_index("År")
    assert list(d.index) == ["2022", "2023 (ofullständigt: mars saknas)", "2024"]
    assert d.loc["2024", "Kostnad (kr)"] == pytest.approx(1826.50)
    assert d.loc["2024", "Förändring (kr)"] == pytest.approx(645.10)
    # 2023 against 2022 on the months both have (2023 lacks March; 2022 had no March visit): 581,40 − 380,00
    assert d.loc["2023 (ofullständigt: mars saknas)", "Förändring (kr)"] == pytest.approx(201.40)


def test_per_ar_filters(analys_db):
    rows = per_ar(analys_db, ar=2024, till_manad=12, insatser=["hemtjanst"], regier=["privat"], kommuner=[])
    assert rows[(2024, False, "kostnad", "totalt", None)]["kostnad_kr"] == pytest.approx(185.50)  # B3
    rows = per_ar(analys_db, ar=2023, till_manad=12, insatser=[], regier=[], kommuner=["1481"])
    assert {k[0] for k in rows} == {2022, 2023}  # years after $ar are left out
    assert rows[(2023, False, "kostnad", "totalt", None)]["kostnad_kr"] == pytest.approx(380.00)  # B10


def test_fixed_prices_on_the_query(analys_db):
    """Fixed 2023 prices with published OPI 2023 (4,6 %) and an assumed OPI 2024 of 2,0 %."""
    rader = analys_db.query("kostnader/per_ar", per_ar_params(ar=2024, till_manad=12, **ALLA)).to_pandas()
    priser = fasta_priser.fasta_priser([2022, 2023, 2024], 2023, {2024: 2.0})
    t = kostnader.kostnader_per_ar(rader, riktning="kostnad", dimension="totalt", ar=2024, till_manad=12,
                                oppen_vy=False, smatal_grans=5, etiketter={}, priser=priser)
    d = t.tabell.data.set_index("År")
    # 2022: 380,00 × 1,046 = 397,48; 2023: 581,40 × 1 ; 2024: 1 826,50 / 1,02 = 1 790,686…
    assert d["Kostnad (kr)"].tolist() == pytest.approx([397.48, 581.40, 1826.50 / 1.02])
    # change 2023: 581,40 − 397,48 = 183,92 kr = 183,92 / 397,48 = 46,27 %
    assert d.loc["2023", "Förändring (kr)"] == pytest.approx(183.92)
    assert d.loc["2023", "Förändring (%)"] == pytest.approx(46.2715, abs=1e-3)
    # kr per hour 2022: 380 kr / 1 h × 1,046 = 397,48; 2023: 581,40 / 1,5 h = 387,60
    assert d["Kr per debiterad timme"].tolist()[:2] == pytest.approx([397.48, 387.60])
    assert priser.opi[2024].is_assumption and priser.opi[2023].status == "definitiv"

    utan = kostnader.kostnader_per_ar(rader, riktning="kostnad", dimension="totalt", ar=2024, till_manad=12,
                                   oppen_vy=False, smatal_grans=5, etiketter={},
                                   priser=fasta_priser.fasta_priser([2022, 2023, 2024], 2023))
    # without an OPI for 2024 the year has no fixed-price value (missing, not guessed)
    assert utan.tabell.data["Kostnad (kr)"].isna().tolist() == [False, False, True]


def test_netto_per_year(analys_db):
    rader = analys_db.query("kostnader/per_ar", per_ar_params(ar=2024, till_manad=12, **ALLA)).to_pandas()
    t = kostnader.kostnader_per_ar(rader, riktning="netto", dimension="totalt", ar=2024, till_manad=12,
                                oppen_vy=False, smatal_grans=5, etiketter={})
    rad = t.tabell.data.set_index("År").loc["2024"]
    assert rad["Netto (kr)"] == pytest.approx(210.00 - 1826.50)  # −1 616,50
    # 2023: 0 − 581,40; change 2024: −1 616,50 − (−581,40) = −1 035,10
    assert rad["Förändring netto (kr)"] == pytest.approx(-1035.10)


def test_per_utforare(analys_db):
    rows = analys_db.query("utforare/per_utforare", dict(riktning="kostnad", ar=2024, **ALLA)).to_pylist()
    u = {r["utforare_id"]: r for r in rows if r["niva"] == "utforare"}
    assert set(u) == {"E1", "P1", "V1435"}
    # E1: B1, B2 (x1): beviljad 120 min, utförd 90 min, 615 kr → 410 kr per utförd timme, 75 %
    assert (u["E1"]["antal_personer"], u["E1"]["antal_besok"]) == (1, 2)
    assert (u["E1"]["beviljad_timmar"], u["E1"]["utford_timmar"]) == (pytest.approx(2.0), pytest.approx(1.5))
    assert u["E1"]["utford_andel_procent"] == pytest.approx(75.0)
    assert u["E1"]["kr_per_utford_timme"] == pytest.approx(410.0)
    assert u["E1"]["utforare_namn"] == "Egen hemtjänst"
    # P1: B3 185,50 + B7 282,67 = 468,17 kr over 45 utförda min → 624,23 kr/h; 45 / 50 min = 90 %
    assert u["P1"]["kostnad_kr"] == pytest.approx(468.17)
    assert u["P1"]["kr_per_utford_timme"] == pytest.approx(468.17 / 0.75)
    assert u["P1"]["utford_andel_procent"] == pytest.approx(90.0)
    # V1435: B4 143,33 + B5 600 (+ B6 without rate) = 743,33 kr; kr/h over the 50 utförda min
    # of the visits with a rate (B4 20 + B5 30), not all 80 → 891,996
    assert u["V1435"]["kostnad_kr"] == pytest.approx(743.33)
    assert u["V1435"]["kr_per_utford_timme"] == pytest.approx(743.33 / (50 / 60))
    assert u["V1435"]["antal_besok_utan_niva"] == 1
    regi = {r["regi"]: r for r in rows if r["niva"] == "regi"}
    assert regi["privat"]["kostnad_kr"] == pytest.approx(468.17)
    totalt = [r for r in rows if r["niva"] == "totalt"]
    assert len(totalt) == 1
    # 5 persons, 7 visits, beviljad 275 min, 1 826,50 kr over 185 utförda min with a rate
    assert (totalt[0]["antal_personer"], totalt[0]["antal_besok"]) == (5, 7)
    assert totalt[0]["beviljad_timmar"] == pytest.approx(275 / 60)
    assert totalt[0]["kr_per_utford_timme"] == pytest.approx(1826.50 / (185 / 60))

    intakt = analys_db.query("utforare/per_utforare", dict(riktning="intakt", ar=2024, **ALLA)).to_pylist()
    assert [(r["niva"], r["utforare_id"], r["kostnad_kr"]) for r in intakt if r["niva"] == "utforare"] == [
        ("utforare", "E1", pytest.approx(210.0))]


def test_per_utforare_no_visits_gives_no_rows(analys_db):
    params = dict(riktning="intakt", ar=2023, **ALLA)  # no revenue visits in 2023
    assert analys_db.query("utforare/per_utforare", params).num_rows == 0
    assert analys_db.query("utforare/per_manad", dict(params, utforare_id="E1")).num_rows == 0


def test_utforare_per_manad(analys_db):
    rows = analys_db.query("utforare/per_manad", dict(riktning="kostnad", ar=2024, utforare_id="P1", **ALLA)).to_pylist()
    got = {r["manad"]: (r["kostnad_kr"], r["antal_personer"]) for r in rows}
    assert got == {7: (pytest.approx(185.50), 1), 8: (pytest.approx(282.67), 1), None: (pytest.approx(468.17), 2)}


def test_per_manad_kommun_crosstab_with_margins(analys_db):
    rows = analys_db.query("vistelsekommuner/per_manad_kommun", dict(ar=2024, **ALLA)).to_pylist()
    kost = {(r["manad"], r["kommunkod"]): (r["kostnad_kr"], r["antal_personer"]) for r in rows if r["riktning"] == "kostnad"}
    assert kost == {
        (2, "1435"): (None, 1),  # B6: no rate in force → missing, not 0
        (3, "1435"): (pytest.approx(600.0), 1),
        (6, "1481"): (pytest.approx(300.0), 1),
        (7, "1435"): (pytest.approx(143.33), 1),
        (7, "1480"): (pytest.approx(185.50), 1),
        (7, "1481"): (pytest.approx(315.0), 1),
        (8, "1480"): (pytest.approx(282.67), 1),
        (2, None): (None, 1), (3, None): (pytest.approx(600.0), 1), (6, None): (pytest.approx(300.0), 1),
        (7, None): (pytest.approx(643.83), 3),  # x1, x2, x3
        (8, None): (pytest.approx(282.67), 1),
        (None, "1435"): (pytest.approx(743.33), 2), (None, "1480"): (pytest.approx(468.17), 2),
        (None, "1481"): (pytest.approx(615.0), 1),
        (None, None): (pytest.approx(1826.50), 5),
    }
    intakt = {(r["manad"], r["kommunkod"]): r["kostnad_kr"] for r in rows if r["riktning"] == "intakt"}
    assert intakt == {(7, "1480"): pytest.approx(210.0), (7, None): pytest.approx(210.0),
                      (None, "1480"): pytest.approx(210.0), (None, None): pytest.approx(210.0)}


def test_kommun_netto_from_the_query(analys_db):
    rader = analys_db.query("vistelsekommuner/per_manad_kommun", dict(ar=2024, **ALLA)).to_pandas()
    res = vistelsekommuner.kommun_tabeller(rader, riktning="netto", matt="kostnad_kr", oppen_vy=False, smatal_grans=5,
                                 kommuner={"1480": ("Göteborg", "Västra Götalands län")})
    d = res.rangordning.tabell.data.set_index("Kommun")
    assert d.loc["Göteborg", "Netto (kr)"] == pytest.approx(210.0 - 468.17)  # −258,17
    assert d.loc["Totalt", "Netto (kr)"] == pytest.approx(210.0 - 1826.50)
    # largest netto first: Göteborg −258,17, then 1481 −615, then 1435 −743,33
    assert list(d.index) == ["Göteborg", "Okänd kommun (1481)", "Okänd kommun (1435)", "Totalt"]
