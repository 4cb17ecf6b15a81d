"""Översikt's question queries against the fixture, with hand-computed expected rows."""

import pytest

ALLA = dict(insatser=[], regier=[], kommuner=[])


def nyckeltal(fixture_db, **params):
    params.setdefault("jmf_manader", list(range(1, 13)))
    return {r["ar"]: r for r in fixture_db.query("oversikt/nyckeltal", params).to_pylist()}


def test_nyckeltal_costs_2024(fixture_db):
    rad = nyckeltal(fixture_db, riktning="kostnad", ar=2024, till_manad=12, **ALLA)[2024]
    # 300 + 315 + 185,50 + 143,33 + 600 + 282,67 (B6 has no rate: missing, not in the sum)
    assert rad["kostnad_kr"] == pytest.approx(1826.50)
    # delivered minutes 45+45+25+20+30+30+20 = 215 → 3,5833 h
    assert rad["utford_timmar"] == pytest.approx(215 / 60)
    assert rad["antal_personer"] == 5  # x1..x5
    assert rad["antal_kommuner"] == 3  # 1481, 1480, 1435
    assert rad["antal_besok"] == 7
    assert rad["antal_besok_utan_niva"] == 1
    # kr per charged hour: charged minutes with a rate 45+45+25+20+45+20 = 200 → 1826,50 / 3,3333 = 547,95
    assert rad["kr_per_timme"] == pytest.approx(547.95)


def test_nyckeltal_year_with_only_missing_rates_is_missing_not_zero(fixture_db):
    rad = nyckeltal(fixture_db, riktning="kostnad", ar=2024, till_manad=12, **ALLA)[2023]
    assert rad["antal_besok"] == 1
    assert rad["kostnad_kr"] is None


def test_nyckeltal_filters(fixture_db):
    rad = nyckeltal(fixture_db, riktning="kostnad", ar=2024, till_manad=12, insatser=["hemtjanst"],
                    regier=["privat"], kommuner=[])[2024]
    assert rad["kostnad_kr"] == pytest.approx(185.50)  # B3 only
    rad = nyckeltal(fixture_db, riktning="kostnad", ar=2024, till_manad=6, insatser=[], regier=[],
                    kommuner=["1435"])[2024]
    # up to June in Tanum: B5 (600) and B6 (missing)
    assert rad["kostnad_kr"] == pytest.approx(600.0)
    assert rad["antal_personer"] == 1


def test_nyckeltal_revenues(fixture_db):
    rad = nyckeltal(fixture_db, riktning="intakt", ar=2024, till_manad=12, **ALLA)[2024]
    assert (rad["kostnad_kr"], rad["antal_personer"], rad["antal_kommuner"]) == (pytest.approx(210.0), 1, 1)


def test_kostnad_per_manad(fixture_db):
    rows = fixture_db.query("oversikt/kostnad_per_manad", dict(riktning="kostnad", ar=2024, **ALLA)).to_pylist()
    got = {(r["ar"], r["manad"]): r["kostnad_kr"] for r in rows}
    assert got == {
        (2023, 12): None,  # B10: rate missing
        (2024, 2): None,  # B6: rate missing
        (2024, 3): pytest.approx(600.0),
        (2024, 6): pytest.approx(300.0),
        (2024, 7): pytest.approx(315 + 185.50 + 143.33),
        (2024, 8): pytest.approx(282.67),
    }


def test_manader_utan_data(fixture_db):
    rows = fixture_db.query("filter/manader_utan_data", {}).to_pylist()
    # visits exist in 2023-12, 2024-02, 03, 06, 07, 08: the months between without any are gaps
    assert [(r["ar"], r["manad"]) for r in rows] == [(2024, 1), (2024, 4), (2024, 5)]


def test_nyckeltal_change_columns_count_only_the_comparable_months(fixture_db):
    # issue 11 point 2: with March–June left out of the comparison (as if a year lacked them),
    # the registered amount stays 1 826,50 but the *_jmf columns hold only Jan–Feb and Jul–Dec:
    # B2 315,00 + B3 185,50 + B4 143,33 + B7 282,67 = 926,50 (B1 30 June and B5 15 March are left out)
    rad = nyckeltal(fixture_db, riktning="kostnad", ar=2024, till_manad=12, jmf_manader=[1, 2, 7, 8, 9, 10, 11, 12],
                    **ALLA)[2024]
    assert rad["kostnad_kr"] == pytest.approx(1826.50)
    assert rad["kostnad_kr_jmf"] == pytest.approx(926.50)
    # persons in the comparable months: x1 (B2), x2 (B3), x3 (B4), x5 (B7) and x4, whose B6 on 10 February
    # has no rate but is a visit → 5
    assert rad["antal_personer_jmf"] == 5
