"""The simulator's question queries (queries/simulator/) against the fixture, expected rows by hand.

Fixture visits of our residents (bosättningskommun 1401, riktning 'kostnad'):
  B1 2024-06-30 x1 Mölndal 1481 egen regi      hemtjänst   60/45 min (beviljad/utförd)
  B2 2024-07-01 x1 Mölndal 1481 egen regi      hemtjänst   60/45
  B3 2024-07-01 x2 Göteborg 1480 privat        hemtjänst   30/25
  B4 2024-07-02 x3 Tanum 1435 vistelsekommun   hemtjänst   30/20
  B5 2024-03-15 x4 Tanum 1435 vistelsekommun   primärvård  45/30
  B6 2024-02-10 x4 Tanum 1435 vistelsekommun   primärvård  30/30
  B7 2024-08-01 x5 Göteborg 1480 privat        primärvård  20/20
  B10 2023-12-31 x1 Mölndal 1481 egen regi     hemtjänst   60/60
B8 is another municipality's resident here (riktning 'intakt') and never counts.
"""

import datetime as dt

import pytest

ALLA = dict(insatser=[], regier=[], kommuner=[])
HELAR = dict(ar=2024, till_manad=12, prognos_manader=[])
# Outcome Jan–Jun 2024, the rest of the year from 2023's same months (a forecast's basis)
PROGNOS = dict(ar=2024, till_manad=6, prognos_manader=[7, 8, 9, 10, 11, 12])


def rows(fixture_db, name, **params):
    return fixture_db.query(f"simulator/{name}", params).to_pylist()


def key(r):
    return (r["ar"], r["insats"], r["regi"], r["vistelsekommun"], r["manad"])


def test_timunderlag_whole_year(fixture_db):
    got = {key(r): (r["beviljad_min"], r["utford_min"], r["antal_besok"], r["is_prognosunderlag"])
           for r in rows(fixture_db, "timunderlag", **HELAR, **ALLA)}
    assert got == {
        (2024, "hemtjanst", "egen_regi", "1481", 6): (60, 45, 1, False),  # B1
        (2024, "hemtjanst", "egen_regi", "1481", 7): (60, 45, 1, False),  # B2
        (2024, "hemtjanst", "privat", "1480", 7): (30, 25, 1, False),  # B3
        (2024, "hemtjanst", "vistelsekommun", "1435", 7): (30, 20, 1, False),  # B4
        (2024, "kommunal_primarvard", "vistelsekommun", "1435", 2): (30, 30, 1, False),  # B6
        (2024, "kommunal_primarvard", "vistelsekommun", "1435", 3): (45, 30, 1, False),  # B5
        (2024, "kommunal_primarvard", "privat", "1480", 8): (20, 20, 1, False),  # B7
    }


def test_timunderlag_hours_are_minutes_over_60(fixture_db):
    r = next(r for r in rows(fixture_db, "timunderlag", **HELAR, **ALLA) if r["manad"] == 7 and r["regi"] == "privat")
    assert (r["beviljad_timmar"], r["utford_timmar"]) == (pytest.approx(0.5), pytest.approx(25 / 60))  # B3


def test_timunderlag_forecast_basis_takes_the_previous_year_for_the_forecast_months(fixture_db):
    got = {key(r): (r["beviljad_min"], r["utford_min"], r["is_prognosunderlag"])
           for r in rows(fixture_db, "timunderlag", **PROGNOS, **ALLA)}
    # Jan–Jun 2024: B1, B5, B6. Jul–Dec from 2023: B10 only. B2–B4 and B7 (Jul–Aug 2024) are out.
    assert got == {
        (2023, "hemtjanst", "egen_regi", "1481", 12): (60, 60, True),
        (2024, "hemtjanst", "egen_regi", "1481", 6): (60, 45, False),
        (2024, "kommunal_primarvard", "vistelsekommun", "1435", 2): (30, 30, False),
        (2024, "kommunal_primarvard", "vistelsekommun", "1435", 3): (45, 30, False),
    }


def test_timunderlag_outage_month_comes_from_the_previous_year(fixture_db):
    # Month 6 listed as a forecast month (an outage): B1 (June 2024) is replaced by 2023's June (none).
    got = {key(r) for r in rows(fixture_db, "timunderlag", ar=2024, till_manad=6, prognos_manader=[6], **ALLA)}
    assert got == {(2024, "kommunal_primarvard", "vistelsekommun", "1435", 2),
                   (2024, "kommunal_primarvard", "vistelsekommun", "1435", 3)}


@pytest.mark.parametrize("filters, expected", [
    (dict(insatser=["kommunal_primarvard"], regier=[], kommuner=[]), {"B5", "B6", "B7"}),
    (dict(insatser=[], regier=["privat"], kommuner=[]), {"B3", "B7"}),
    (dict(insatser=[], regier=[], kommuner=["1435"]), {"B4", "B5", "B6"}),
    (dict(insatser=["hemtjanst"], regier=[], kommuner=["1480"]), {"B3"}),
])
def test_timunderlag_follows_the_global_filters(fixture_db, filters, expected):
    per_besok = {"B1": 60, "B2": 60, "B3": 30, "B4": 30, "B5": 45, "B6": 30, "B7": 20}  # beviljad min
    got = sum(r["beviljad_min"] for r in rows(fixture_db, "timunderlag", **HELAR, **filters))
    assert got == sum(per_besok[b] for b in expected)


def personer(fixture_db, **params):
    out: dict = {}
    for r in rows(fixture_db, "personer", **params):
        niva = r["niva"]
        out.setdefault(niva, {})[None if niva == "totalt" else r[niva]] = r["antal_personer"]
    return out


def test_personer_whole_year(fixture_db):
    assert personer(fixture_db, **HELAR, **ALLA) == {
        "totalt": {None: 5},  # x1..x5
        "insats": {"hemtjanst": 3, "kommunal_primarvard": 2},  # x1 x2 x3 | x4 x5
        "regi": {"egen_regi": 1, "privat": 2, "vistelsekommun": 2},  # x1 | x2 x5 | x3 x4
        "vistelsekommun": {"1481": 1, "1480": 2, "1435": 2},  # x1 | x2 x5 | x3 x4
        "manad": {2: 1, 3: 1, 6: 1, 7: 3, 8: 1},  # x4 | x4 | x1 | x1 x2 x3 | x5
    }


def test_personer_of_a_forecast_count_the_previous_year_rows_used(fixture_db):
    got = personer(fixture_db, **PROGNOS, **ALLA)
    # B1 (x1), B5 and B6 (x4) and B10 (x1, December 2023): x1 is one person
    assert got["totalt"] == {None: 2}
    assert got["insats"] == {"hemtjanst": 1, "kommunal_primarvard": 1}
    assert got["manad"] == {2: 1, 3: 1, 6: 1, 12: 1}


def test_timmar_per_manad(fixture_db):
    got = {(r["ar"], r["insats"], r["manad"]): (r["beviljad_min"], r["utford_min"])
           for r in rows(fixture_db, "timmar_per_manad", ar=2024, **ALLA)}
    assert got == {
        (2023, "hemtjanst", 12): (60, 60),  # B10
        (2024, "hemtjanst", 6): (60, 45),  # B1
        (2024, "hemtjanst", 7): (120, 90),  # B2 + B3 + B4: 60 + 30 + 30 | 45 + 25 + 20
        (2024, "kommunal_primarvard", 2): (30, 30),  # B6
        (2024, "kommunal_primarvard", 3): (45, 30),  # B5
        (2024, "kommunal_primarvard", 8): (20, 20),  # B7
    }


@pytest.mark.parametrize("datum, insatser, expected", [
    # From July 2024 hemtjänst is 420 for all regi and 430 for vistelsekommuner; primärvård 800 per beviljad
    (dt.date(2024, 12, 31), [], [("hemtjanst", None, 420.0, "utford"), ("hemtjanst", "vistelsekommun", 430.0, "utford"),
                                 ("kommunal_primarvard", None, 800.0, "beviljad")]),
    (dt.date(2024, 5, 1), [], [("hemtjanst", None, 400.0, "utford"), ("kommunal_primarvard", None, 800.0, "beviljad")]),
    (dt.date(2024, 2, 1), [], [("hemtjanst", None, 400.0, "utford")]),  # primärvård's rate starts in March
    (dt.date(2024, 12, 31), ["kommunal_primarvard"], [("kommunal_primarvard", None, 800.0, "beviljad")]),
    (dt.date(2023, 12, 31), [], []),
])
def test_ersattningsnivaer_in_force_on_a_date(fixture_db, datum, insatser, expected):
    got = rows(fixture_db, "ersattningsnivaer", datum=datum, insatser=insatser)
    assert [(r["insats"], r["regi"], r["kr_per_timme"], r["grund"]) for r in got] == expected
    assert all(r["kalla"] == "test" and r["beslut"] == "test" and r["is_preliminar"] is False for r in got)
