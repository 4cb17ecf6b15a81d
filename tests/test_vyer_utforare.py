"""vyer/utforare.py: the providers' tables protected jointly, and the page model on demo data."""

from __future__ import annotations

import pandas as pd

from beslutsstod.vyer import utforare
from tests.test_vyer_kostnader import ET

# --- Utförare ---------------------------------------------------------------------------------


def _utforare_rader() -> pd.DataFrame:
    def rad(niva, regi, uid, namn, personer, kr):
        return dict(niva=niva, regi=regi, utforare_id=uid, utforare_namn=namn, antal_personer=personer,
                    antal_besok=personer * 10, beviljad_timmar=personer * 5.0, utford_timmar=personer * 4.5,
                    utford_andel_procent=90.0, kostnad_kr=kr, kr_per_utford_timme=kr / (personer * 4.5),
                    antal_besok_utan_niva=0)
    return pd.DataFrame([
        rad("utforare", "egen_regi", "E1", "Egen", 20, 9000.0),
        rad("utforare", "privat", "P1", "Alfa AB", 3, 1500.0),
        rad("utforare", "privat", "P2", "Beta AB", 10, 5000.0),
        rad("utforare", "privat", "P3", "Gamma AB", 12, 6000.0),
        rad("regi", "egen_regi", None, None, 20, 9000.0),
        rad("regi", "privat", None, None, 25, 12500.0),
        rad("totalt", None, None, None, 45, 21500.0),
    ])


def test_utforare_tables_hide_within_regi_and_months():
    manader = pd.DataFrame([dict(manad=m, antal_personer=p, antal_besok=p, beviljad_timmar=1.0, utford_timmar=1.0,
                                 utford_andel_procent=100.0, kostnad_kr=k, kr_per_utford_timme=k)
                            for m, p, k in ((6, 6, 2000.0), (7, 8, 3000.0), (None, 10, 5000.0))])
    res = utforare.utforare_tabeller(_utforare_rader(), oppen_vy=True, smatal_grans=5, regi_namn=ET, vald="P2",
                                   manader=manader, ar=2025)
    u = res.per_utforare.tabell
    # P1 (3 persons) primary; P2 (10) is the smallest other utförare in the privat line
    assert dict(zip(u.data["Utförare"], u.mask["Kostnad (kr)"])) == {
        "Egen": False, "Alfa AB": True, "Beta AB": True, "Gamma AB": False, "Totalt": False}
    assert res.dolda_utforare == {"P1", "P2"}
    assert not res.per_regi.tabell.any_masked  # the regi subtotals describe ≥ 20 persons
    # P2 is hidden in the main table, so its month line has a hidden total: one month more
    # (June, 6 persons, the smaller) is hidden, else the hidden year = the shown months
    m = res.per_manad.tabell
    assert dict(zip(m.data["Månad"], m.mask["Kostnad (kr)"])) == {"juni": True, "juli": False, "Helår": True}
    assert res.utforare == {"E1": "Egen", "P1": "Alfa AB", "P2": "Beta AB", "P3": "Gamma AB"}
    # hidden utförare come after the shown ones of their regi, by name: their place in the
    # order must not bound their value
    assert u.data["Utförare"].tolist() == ["Egen", "Gamma AB", "Alfa AB", "Beta AB", "Totalt"]
    assert res.per_utforare.diagram["Kostnad (kr)"].isna().tolist() == [False, False, True, True]
    assert res.per_utforare.diagram["utforare_id"].tolist() == ["E1", "P3", "P1", "P2"]


def test_utforare_detail_view_hides_nothing():
    res = utforare.utforare_tabeller(_utforare_rader(), oppen_vy=False, smatal_grans=5, regi_namn=ET)
    assert not res.per_utforare.tabell.any_masked and res.per_manad is None
    assert res.per_utforare.tabell.data["Kostnad (kr)"].iloc[1] == 1500.0


# --- the page model on the fixture extracts ----------------------------------------------------


def test_utforare_page_model(fixture_db):
    import datetime as dt

    import pytest

    from beslutsstod.vyer.urval import Filter
    from tests.test_vyer_oversikt import sammanhang

    s, f = sammanhang(fixture_db), Filter(2024, [], [], [], dt.date(2024, 12, 31))
    val = utforare.valbara(s, f, "kostnad")
    assert set(val.utforare) == {"E1", "P1", "V1435"}
    vy = utforare.utforare(s, f, val, "kostnad", None, "kostnad_kr")
    kr = dict(zip(vy.per_utforare.analys.tabell.data["Utförare"], vy.per_utforare.analys.tabell.data["Kostnad (kr)"]))
    # E1: B1 300 + B2 315; P1: B3 185,50 + B7 282,67; V1435: B4 143,33 + B5 600 (B6 has no rate)
    assert kr["Egen hemtjänst"] == pytest.approx(615.0) and kr["Totalt"] == pytest.approx(1826.50)
    assert vy.per_manad is None
    vald = utforare.utforare(s, f, val, "kostnad", "P1", "kostnad_kr")
    m = vald.per_manad.analys.tabell.data.set_index("Månad")["Kostnad (kr)"]
    assert m.to_dict() == {"juli": pytest.approx(185.50), "augusti": pytest.approx(282.67),
                           "Helår": pytest.approx(468.17)}
    # the open view: every provider describes fewer than 5 persons; the total (5 persons) is shown
    oppen = utforare.utforare(sammanhang(fixture_db, oppen_vy=True), f,
                              utforare.valbara(sammanhang(fixture_db, oppen_vy=True), f, "kostnad"), "kostnad",
                              None, "kostnad_kr")
    assert oppen.per_utforare.visning["Kostnad (kr)"].tolist() == ["..", "..", "..", "1\xa0827"]
