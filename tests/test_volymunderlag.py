"""The simulator's volume basis (regler/volymunderlag.py) and the rates in force (regler/nivaer.py),
from the fixture's queries and from hand-made frames; every figure worked out beside it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd

from beslutsstod.regler import nivaer
from beslutsstod.regler import volymunderlag as vu

D = Decimal
ALLA = dict(insatser=[], regier=[], kommuner=[])
NIVA_2024 = {"datum": dt.date(2024, 12, 31), "insatser": []}


def personer_totalt(n: int) -> pd.DataFrame:
    return pd.DataFrame([dict(niva="totalt", insats=None, regi=None, vistelsekommun=None, manad=None,
                              antal_personer=n)])


def test_nivaer_per_insats_uses_the_rate_for_all_regi_and_names_the_exception(fixture_db):
    frame = fixture_db.query("simulator/ersattningsnivaer", NIVA_2024).to_pandas()
    per_insats, noter = nivaer.nivaer_per_insats(frame)
    assert {i: (n.kr_per_timme, n.grund) for i, n in per_insats.items()} == {
        "hemtjanst": (D(420), "utford"), "kommunal_primarvard": (D(800), "beviljad")}
    assert noter == ["För hemtjänst gäller 430 kr för vistelsekommunen; simulatorn räknar med en nivå per "
                     "insats, 420 kr."]
    assert nivaer.insatser_med_niva(frame, []) == ["hemtjanst", "kommunal_primarvard"]
    assert nivaer.insatser_med_niva(frame, ["kommunal_primarvard"]) == ["kommunal_primarvard"]


def fixture_underlag(fixture_db, **extra):
    nivaer = fixture_db.query("simulator/ersattningsnivaer", NIVA_2024).to_pandas()
    p = dict(ar=2024, till_manad=12, prognos_manader=[], **ALLA)
    return vu.bygg_underlag(fixture_db.query("simulator/timunderlag", p).to_pandas(),
                            fixture_db.query("simulator/personer", p).to_pandas(), nivaer, nivaer,
                            volymar=2024, volymbas="utfall", till_manad=12, **extra)


def test_bygg_underlag_outcome_year(fixture_db):
    u = fixture_underlag(fixture_db, utan_data=[(2024, 4)])
    assert len(u.timmar) == 7
    row = u.timmar[(u.timmar["regi"] == "privat") & (u.timmar["insats"] == "hemtjanst")].iloc[0]
    assert (row["beviljad_timmar"], row["utford_timmar"]) == (D(30) / 60, D(25) / 60)  # B3, exact minutes / 60
    assert sum(u.timmar["utford_timmar"]) == D(215) / 60  # 45+45+25+20+30+30+20 min
    assert u.nuvarande_kr == {"hemtjanst": D(420), "kommunal_primarvard": D(800)}
    assert u.personer == {"totalt": 5, "insats": {"hemtjanst": 3, "kommunal_primarvard": 2},
                          "regi": {"egen_regi": 1, "privat": 2, "vistelsekommun": 2},
                          "vistelsekommun": {"1481": 1, "1480": 2, "1435": 2},
                          "manad": {2: 1, 3: 1, 6: 1, 7: 3, 8: 1}}
    assert u.kommuner == ("1480", "1481", "1435")  # Göteborg, Mölndal, Tanum (by name)
    assert u.datakalla == "kommunens tidregistrering (besök), utfall helår"
    assert any(n.startswith("April 2024 saknar tidsregistreringar helt") for n in u.noter)
    # one insats per utförd, one per beviljad: a tie gives utförd
    assert u.grund == "utford"


def test_bygg_underlag_leaves_out_unknown_regi_and_insats_without_rate():
    tim = pd.DataFrame([
        dict(ar=2025, is_prognosunderlag=False, insats="hemtjanst", regi="privat", vistelsekommun="1480", manad=1,
             beviljad_min=120, utford_min=90, antal_besok=2),
        dict(ar=2025, is_prognosunderlag=False, insats="hemtjanst", regi=None, vistelsekommun="1480", manad=1,
             beviljad_min=60, utford_min=60, antal_besok=3),
        dict(ar=2025, is_prognosunderlag=False, insats="kommunal_primarvard", regi="privat", vistelsekommun="1480",
             manad=1, beviljad_min=60, utford_min=60, antal_besok=1),
    ])
    niva = pd.DataFrame([dict(insats="hemtjanst", regi=None, giltig_fran=dt.date(2025, 1, 1), giltig_till=None,
                              kr_per_timme=454.0, grund="utford", is_momskompensation_ingar=False, kalla="k",
                              beslut="b", is_preliminar=False)])
    pers = personer_totalt(7)
    u = vu.bygg_underlag(tim, pers, niva, niva, volymar=2025, volymbas="utfall", till_manad=12)
    assert u.timmar[["insats", "regi", "utford_timmar"]].values.tolist() == [["hemtjanst", "privat", D("1.5")]]
    assert "3 besök saknar känd utförare (regi) och ingår inte i underlaget." in u.noter
    assert any("kommunal primärvård" in n and "ingår inte i beräkningen" in n for n in u.noter)


def forecast_frames():
    """Hemtjänst, privat, Göteborg. 2025: 60 × m utförd minutes in month m (beviljad: twice that).
    2026 Jan–Oct: 90 × m utförd (level 1,5), beviljad 120 × m (level 1,0)."""
    manad = [dict(ar=2025, insats="hemtjanst", manad=m, beviljad_min=120 * m, utford_min=60 * m) for m in range(1, 13)]
    manad += [dict(ar=2026, insats="hemtjanst", manad=m, beviljad_min=120 * m, utford_min=90 * m) for m in range(1, 11)]
    tim = [dict(ar=a, is_prognosunderlag=a == 2025, insats="hemtjanst", regi="privat", vistelsekommun="1480", manad=m,
                beviljad_min=b, utford_min=u, antal_besok=1)
           for a, m, b, u in [(r["ar"], r["manad"], r["beviljad_min"], r["utford_min"]) for r in manad]
           if (a == 2026) or m > 10]
    niva = pd.DataFrame([dict(insats="hemtjanst", regi=None, giltig_fran=dt.date(2026, 1, 1), giltig_till=None,
                              kr_per_timme=454.0, grund="utford", is_momskompensation_ingar=False, kalla="k",
                              beslut="b", is_preliminar=True)])
    pers = personer_totalt(20)
    return pd.DataFrame(tim), pers, niva, pd.DataFrame(manad)


def test_bygg_underlag_seasonal_forecast_scales_the_previous_years_months():
    tim, pers, niva, manad = forecast_frames()
    u = vu.bygg_underlag(tim, pers, niva, niva, volymar=2026, volymbas="prognos", till_manad=10,
                         prognos_manader=[11, 12], manadstimmar=manad)
    by_month = u.timmar.set_index("manad")
    # utförd: level = Σ 90m / Σ 60m over Jan–Oct = 1,5; November 60 × 11 × 1,5 = 990 min = 16,5 h; December 18 h
    assert by_month.loc[11, "utford_timmar"] == D("16.5") and by_month.loc[12, "utford_timmar"] == D(18)
    # beviljad: level 1,0; November 120 × 11 = 1 320 min = 22 h
    assert by_month.loc[11, "beviljad_timmar"] == D(22)
    # October is the outcome: 90 × 10 = 900 min = 15 h
    assert by_month.loc[10, "utford_timmar"] == D(15)
    # the level per insats is filled in by the page model, which leaves out a hidden insats's level
    assert u.prognosnivaer == {"hemtjanst": 1.5}
    assert "jämfört med 2025{nivaer}. Säsongsprognos" in u.prognos_text
    assert u.datakalla == "kommunens tidregistrering (besök), utfall jan–okt och prognos för nov–dec"


def test_bygg_underlag_forecast_leaves_out_the_outage_month_of_the_comparison_year():
    tim, pers, niva, manad = forecast_frames()
    # March 2025 was an outage (no registrations): the level uses the other common months.
    manad.loc[(manad["ar"] == 2025) & (manad["manad"] == 3), ["utford_min", "beviljad_min"]] = 0
    u = vu.bygg_underlag(tim, pers, niva, niva, volymar=2026, volymbas="prognos", till_manad=10,
                         prognos_manader=[11, 12], manadstimmar=manad, utan_data=[(2025, 3)])
    # level = Σ_{m≠3} 90m / Σ_{m≠3} 60m = 1,5 still (a zero March would have given 1 485/930 = 1,597)
    assert u.timmar.set_index("manad").loc[11, "utford_timmar"] == D("16.5")


