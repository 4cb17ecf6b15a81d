"""The rate revision simulator: new rates, costs, comparison, sensitivity, break-even, basis, arrears."""

from __future__ import annotations

import json
import random
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beslutsstod import begrepp
from beslutsstod.regler import nivaer, opi
from beslutsstod.regler import simulator as sim

D = Decimal
PUBLISHED = nivaer.load_published_rates()
OPI = opi.load_opi()
CTX = {"published_rates": PUBLISHED, "published_opi": OPI}


def hours(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["insats", "regi", "vistelsekommun", "manad",
                                       "beviljad_timmar", "utford_timmar", "kr_per_timme"])


# Three rows, small enough to compute by hand.
HAND = hours([
    ("hemtjanst", "vistelsekommun", "1427", 7, 110, 100, 454),
    ("hemtjanst", "privat", "1480", 7, 60, 50, 454),
    ("kommunal_primarvard", "vistelsekommun", "1427", 8, 25, 20, 828),
])
# Hemtjänst: own rate 454 kr + OPI 3,0 % (assumed) = 467,62 → 468. Primärvård: own amount 850 kr.
SCEN = sim.Scenario("Förslag", 2025, {
    "hemtjanst": sim.RateModel("egen", opi_procent=D("3.0")),
    "kommunal_primarvard": sim.RateModel("egen_summa", belopp_kr=D(850)),
})


def test_hand_computed_scenario():
    r = sim.scenario_cost(HAND, SCEN, **CTX)
    assert r.nivaer["hemtjanst"].kr_per_timme == D(468)
    assert r.nivaer["kommunal_primarvard"].kr_per_timme == D(850)
    t = r.totalt()
    # Today: 100 × 454 = 45 400; 50 × 454 × 1,06 = 24 062 (privat); 20 × 828 = 16 560 → 86 022
    assert t.kostnad_nu_kr == D("86022.00")
    # New: 100 × 468 = 46 800; 50 × 468 × 1,06 = 24 804; 20 × 850 = 17 000 → 88 604
    assert t.kostnad_ny_kr == D("88604.00")
    # +2 582 kr; 2 582 / 86 022 = 3,0016 % → 3,0 %
    assert t.forandring_kr == D("2582.00") and t.forandring_procent == D("3.0")
    # Momskompensation on the private row only: 50 × 468 × 0,06 = 1 404
    assert t.momskompensation_ny_kr == D("1404.00")
    assert t.priseffekt_kr == t.forandring_kr and t.volymeffekt_kr == 0
    ht = {a.nyckel: a for a in r.per("insats")}[("hemtjanst",)]
    # 69 462 → 71 604: +2 142; 2 142 / 69 462 = 3,084 % → 3,1 %
    assert (ht.kostnad_nu_kr, ht.kostnad_ny_kr, ht.forandring_procent) == (D(69462), D(71604), D("3.1"))


def test_frame_output_is_float_and_matches():
    r = sim.scenario_cost(HAND, SCEN, **CTX)
    f = r.frame("regi").set_index("regi")
    assert f.loc["privat", "kostnad_ny_kr"] == pytest.approx(24804.0)
    assert f.loc["vistelsekommun", "kostnad_nu_kr"] == pytest.approx(45400.0 + 16560.0)
    assert list(r.frame("vistelsekommun", "manad").columns[:2]) == ["vistelsekommun", "manad"]


def test_volume_change_and_its_decomposition():
    s = sim.Scenario("Volym", 2025, SCEN.modeller, volymforandring_procent=10)
    t = sim.scenario_cost(HAND, s, **CTX).totalt()
    # Hours +10 %: 110, 55, 22. 110 × 468 = 51 480; 55 × 468 × 1,06 = 27 284,40; 22 × 850 = 18 700
    assert t.timmar_ny == D(187) and t.kostnad_ny_kr == D("97464.40")
    # Price effect on the new hours: 110 × 14 + 55 × 14 × 1,06 + 22 × 22 = 1 540 + 816,20 + 484 = 2 840,20
    assert t.priseffekt_kr == D("2840.20")
    # Volume effect = 10 % of today's 86 022 = 8 602,20
    assert t.volymeffekt_kr == D("8602.20")
    assert t.priseffekt_kr + t.volymeffekt_kr == t.forandring_kr


def test_months_sort_as_numbers():
    frame = hours([("hemtjanst", "privat", "1480", m, 1, 1, 454) for m in (10, 2, 12, 1)])
    r = sim.scenario_cost(frame, SCEN, **CTX)
    assert [a.nyckel[0] for a in r.per("manad")] == [1, 2, 10, 12]


def test_volume_change_per_vistelsekommun_replaces_the_overall():
    s = sim.Scenario("Göteborg halveras", 2025, SCEN.modeller, volymforandring_procent=10,
                     volymforandring_per_vistelsekommun={"1480": -50})
    per = {a.nyckel[0]: a for a in sim.scenario_cost(HAND, s, **CTX).per("vistelsekommun")}
    assert per["1480"].timmar_ny == D(25)          # 50 × 0,5
    assert per["1427"].timmar_ny == D(110) + D(22)  # 100 × 1,1 + 20 × 1,1


def test_basis_beviljad_in_scenario():
    s = sim.Scenario("Beviljad", 2025, SCEN.modeller, grund="beviljad")
    t = sim.scenario_cost(HAND, s, **CTX).totalt()
    assert t.timmar_nu == D(170) and t.timmar_ny == D(195)
    # 110 × 468 + 60 × 468 × 1,06 + 25 × 850 = 51 480 + 29 764,80 + 21 250 = 102 494,80
    assert t.kostnad_ny_kr == D("102494.80")


def test_momskompensation_never_to_municipalities_or_own_staff():
    frame = hours([
        ("hemtjanst", "vistelsekommun", "1427", 7, 10, 10, 400),
        ("hemtjanst", "egen_regi", "1401", 7, 10, 10, 400),
        ("hemtjanst", "privat", "1480", 7, 10, 10, 400),
    ])
    s = sim.Scenario("Moms 25", 2025, {"hemtjanst": sim.RateModel("egen_summa", belopp_kr=500)},
                     momskompensation_procent=25)
    per = {a.nyckel[0]: a for a in sim.scenario_cost(frame, s, **CTX).per("regi")}
    assert per["vistelsekommun"].kostnad_ny_kr == D(5000)  # 10 × 500, no momskompensation
    assert per["egen_regi"].kostnad_ny_kr == D(5000)
    assert per["privat"].kostnad_ny_kr == D(6250)  # 10 × 500 × 1,25
    assert per["vistelsekommun"].momskompensation_ny_kr == 0 and per["egen_regi"].momskompensation_ny_kr == 0


def test_current_rates_argument_overrides_the_frame():
    r = sim.scenario_cost(HAND, SCEN, {"hemtjanst": 440, "kommunal_primarvard": 828}, **CTX)
    # Own rate from the given current rate: 440 × 1,03 = 453,2 → 453
    assert r.nivaer["hemtjanst"].kr_per_timme == D(453)
    # Today: 100 × 440 + 50 × 440 × 1,06 + 20 × 828 = 44 000 + 23 320 + 16 560 = 83 880
    assert r.totalt().kostnad_nu_kr == D(83880)


def test_insats_without_model_keeps_its_rate():
    s = sim.Scenario("Bara hemtjänst", 2025, {"hemtjanst": sim.RateModel("egen", opi_procent=3)})
    r = sim.scenario_cost(HAND, s, **CTX)
    assert r.nivaer["kommunal_primarvard"].modell == "oforandrad"
    kpv = {a.nyckel: a for a in r.per("insats")}[("kommunal_primarvard",)]
    assert kpv.forandring_kr == 0


def test_bad_inputs():
    with pytest.raises(ValueError, match="saknar kolumnerna"):
        sim.scenario_cost(HAND.drop(columns=["utford_timmar"]), SCEN, **CTX)
    with pytest.raises(ValueError, match="Okänd regi"):
        sim.scenario_cost(HAND.assign(regi="kommun"), SCEN, **CTX)
    with pytest.raises(ValueError, match="ersättningsmodell"):
        sim.RateModel("gissad")
    with pytest.raises(ValueError, match="belopp"):
        sim.RateModel("egen_summa")
    with pytest.raises(ValueError, match="grund"):
        sim.Scenario("x", 2025, grund="arbetad")


# --------------------------------------------------------------------------- new_rate


def test_new_rate_own_rate_plus_assumed_opi():
    c = sim.new_rate("hemtjanst", sim.RateModel("egen"), 2025, current_rate=454,
                     opi_antaganden={2025: "3.0"}, **CTX)
    assert c.kr_per_timme == D(468) and c.utgangslage_ar == 2024
    assert c.kort.replace("\u00a0", " ") == "454 kr + OPI 3,0 %"
    assert c.is_assumption and any("antagande" in a for a in c.antaganden)
    # 454 kr for 2024 is Härryda's decided own rate: its decision reference is cited.
    assert c.beslut == ("Tjänsteskrivelse 2024-05-20, dnr 2024SOCN66 709",)
    text = " ".join(c.forklaring).replace("\u00a0", " ")
    assert "454 kr × (1 + 3,0 %) = 467,62 kr → 468 kr" in text and "exklusive momskompensation" in text


def test_new_rate_latest_recommendation_with_published_opi():
    # VästKom 2021 433 → 441 (OPI 2022 1,9 %) → 461 (OPI 2023 4,6 %); labelled as an assumption.
    c = sim.new_rate("hemtjanst", sim.RateModel("senaste_plus_opi"), 2023, **CTX)
    assert c.kr_per_timme == D(461) and [s.to_kr for s in c.steg] == [D(441), D(461)]
    assert c.is_assumption and c.beslut[0].startswith("VästKom styrelse 2021-03-09 § 15")
    assert any("Vårdföretagarna" in k for k in c.kallor)


def test_new_rate_latest_recommendation_after_vastkom_stopped():
    c = sim.new_rate("hemtjanst", sim.RateModel("senaste_plus_opi"), 2025, **CTX)
    assert c.kr_per_timme is None and c.saknade_opi_ar == (2024, 2025)
    c = sim.new_rate("hemtjanst", sim.RateModel("senaste_plus_opi"), 2025,
                     opi_antaganden={2024: "4.1", 2025: "3.0"}, **CTX)
    # 461 × 1,041 = 479,901 → 480; 480 × 1,03 = 494,4 → 494
    assert c.kr_per_timme == D(494)
    assert any("2023-12-12 § 67" in a for a in c.antaganden)


def test_new_rate_published():
    c = sim.new_rate("kommunal_primarvard", sim.RateModel("publicerad"), 2024, **CTX)
    assert c.kr_per_timme == D(828) and c.steg == () and c.beslut == ("VästKom styrelse 2024-03-21 § 11",)
    assert c.kort == "enligt VästKoms rekommendation"
    missing = sim.new_rate("hemtjanst", sim.RateModel("publicerad"), 2025, **CTX)
    assert missing.kr_per_timme is None and "2023-12-12 § 67" in missing.saknas


def test_opi_override_that_differs_from_published_is_labelled():
    c = sim.new_rate("hemtjanst", sim.RateModel("egen", belopp_kr=441, bas_ar=2022, opi_procent="3.5"), 2023, **CTX)
    # 441 × 1,035 = 456,435 → 456
    assert c.kr_per_timme == D(456)
    assert c.steg[0].is_assumption and "4,6" in c.steg[0].kalla
    same = sim.new_rate("hemtjanst", sim.RateModel("egen", belopp_kr=441, bas_ar=2022, opi_procent="4.6"), 2023, **CTX)
    assert not same.steg[0].is_assumption and same.kr_per_timme == D(461)


def test_opi_from_components_in_a_scenario():
    # OPI 2025 not published: derived from components 0,8 × 3,40 + 0,2 × 1,10 = 2,72 + 0,22 = 2,94 → 2,9;
    # 454 × 1,029 = 467,166 → 467.
    s = sim.Scenario("Komponenter", 2025, {"hemtjanst": sim.RateModel("egen")},
                     opi_komponenter={2025: ("3.40", "1.10")}, opi_antaganden={2025: "9.9"})
    c = sim.scenario_cost(HAND, s, **CTX).nivaer["hemtjanst"]
    assert c.kr_per_timme == D(467) and c.steg[0].opi_procent == D("2.9") and c.steg[0].opi_status == "härledd"
    assert any("härlett" in a for a in c.antaganden)
    # Published wins over components: OPI 2023 stays 4,6 % (441 × 1,046 = 461,286 → 461).
    c = sim.new_rate("hemtjanst", sim.RateModel("egen", belopp_kr=441, bas_ar=2022), 2023,
                     opi_komponenter={2023: ("1", "1")}, **CTX)
    assert c.kr_per_timme == D(461)


def test_own_amount_for_the_target_year_is_not_revised():
    c = sim.new_rate("hemtjanst", sim.RateModel("egen", belopp_kr=470), 2025, **CTX)
    assert c.kr_per_timme == D(470) and c.steg == () and c.kort == "kommunens egen nivå"


def test_missing_rate_stops_the_scenario():
    s = sim.Scenario("Publicerad 2025", 2025, {"hemtjanst": sim.RateModel("publicerad")})
    with pytest.raises(sim.MissingInputError, match="hemtjänst 2025"):
        sim.scenario_cost(HAND, s, **CTX)


def test_scenario_round_trips_through_json():
    s = sim.Scenario("Förslag", 2025, SCEN.modeller, avrundning="tiotal_ore", grund="beviljad",
                     volymforandring_procent="2.5", volymforandring_per_vistelsekommun={"1480": 5},
                     opi_antaganden={2025: "3.0"}, opi_komponenter={2026: ("3.1", "1.2")})
    back = sim.Scenario.from_dict(json.loads(json.dumps(s.to_dict())))
    assert back == s


# --------------------------------------------------------------------------- sensitivity


def test_sensitivity_in_opi():
    f = sim.sensitivity(HAND, SCEN, opi_procent=[0, 1, 2, 3], **CTX)
    # 454 × 1,00 / 1,01 / 1,02 / 1,03 = 454 / 458,54 / 463,08 / 467,62 → 454, 459, 463, 468
    assert list(f["kr_per_timme_hemtjanst"]) == [454.0, 459.0, 463.0, 468.0]
    # The own amount for primärvård does not move with OPI.
    assert set(f["kr_per_timme_kommunal_primarvard"]) == {850.0}
    assert f["kostnad_ny_kr"].is_monotonic_increasing


def test_sensitivity_in_rate():
    f = sim.sensitivity(HAND, SCEN, kr_per_timme=[400, 454, 500], insats="hemtjanst", **CTX)
    # At 454 kr hemtjänst is unchanged; only primärvård's 850 − 828 = 22 kr × 20 h = 440 kr remains.
    assert f.loc[f["varde"] == 454, "forandring_kr"].item() == 440.0
    with pytest.raises(ValueError, match="antingen"):
        sim.sensitivity(HAND, SCEN, **CTX)
    with pytest.raises(ValueError, match="insats"):
        sim.sensitivity(HAND, SCEN, kr_per_timme=[400], **CTX)


# --------------------------------------------------------------------------- break-even, basis, arrears


def test_break_even_share():
    b = sim.break_even_share(468, 380)
    # 380 / 468 = 0,81196… → at least 81,2 % delivered time, at most 18,8 % kringtid
    assert b.andel == D(380) / D(468) and b.procent == D("81.2") and b.kringtid_max_procent == D("18.8")
    assert b.mojlig and "81,2" in b.forklaring and "18,8" in b.forklaring


def test_break_even_rounds_up():
    # 324,02 / 400 = 0,81005 → 81,1 % (rounded up: "at least" must not be understated; half-up gives 81,0)
    assert sim.break_even_share(400, "324.02").procent == D("81.1")


def test_break_even_impossible():
    b = sim.break_even_share(400, 450)
    # 450 / 400 = 112,5 %
    assert not b.mojlig and b.procent == D("112.5") and b.kringtid_max_procent is None
    assert "täcker inte" in b.forklaring
    with pytest.raises(ValueError):
        sim.break_even_share(0, 100)


def test_basis_switch_effect():
    b = sim.basis_switch_effect(HAND)
    # Per utförd: 86 022 (as above). Per beviljad: 110 × 454 + 60 × 454 × 1,06 + 25 × 828
    #   = 49 940 + 28 874,40 + 20 700 = 99 514,40 → 13 492,40 more; 13 492,40 / 86 022 = 15,68 % → 15,7 %
    assert b.total_utford_kr == D(86022) and b.total_beviljad_kr == D("99514.40")
    assert b.skillnad_kr == D("13492.40")
    total = b.tabell.set_index("insats").loc["totalt"]
    assert total["skillnad_procent"] == pytest.approx(15.7)
    # 170 / 195 = 87,18 % → 87,2
    assert total["utford_andel_procent"] == pytest.approx(87.2)
    assert "13 492 kr högre (15,7 %)" in b.forklaring.replace("\u00a0", " ")


def test_arrears_correction_2023():
    e = sim.arrears_correction(HAND, {"hemtjanst": 441, "kommunal_primarvard": 750},
                               opi.preliminary_opi(2023), opi.opi_for_year(2023, OPI), ar=2023)
    t = e.tabell.set_index("insats")
    # Hemtjänst: 441 × 1,035 = 456,435 → 456; 441 × 1,046 = 461,286 → 461; +5 kr/h
    assert (t.loc["hemtjanst", "kr_per_timme_preliminar"], t.loc["hemtjanst", "kr_per_timme_definitiv"]) == (456, 461)
    # Primärvård: 750 × 1,035 = 776,25 → 776; 750 × 1,046 = 784,5 → 785 (half-up); +9 kr/h
    assert t.loc["kommunal_primarvard", "skillnad_kr_per_timme"] == 9
    # 100 × 5 + 50 × 5 × 1,06 + 20 × 9 = 500 + 265 + 180 = 945
    assert e.efterbetalning_kr == D(945)
    assert e.preliminar_procent == D("3.5") and e.definitiv_procent == D("4.6")


def test_arrears_needs_every_base_rate():
    with pytest.raises(sim.MissingInputError, match="primärvård"):
        sim.arrears_correction(HAND, {"hemtjanst": 441}, 3.5, 4.6)


# --------------------------------------------------------------------------- properties

_rng = random.Random(42)
KOMMUNER = ["1427", "1480", "1484", "2321"]


@st.composite
def frames(draw):
    n = draw(st.integers(1, 8))
    rows = []
    for _ in range(n):
        utf = draw(st.decimals(min_value=0, max_value=500, places=2))
        extra = draw(st.decimals(min_value=0, max_value=100, places=2))
        rows.append((draw(st.sampled_from(["hemtjanst", "kommunal_primarvard"])),
                     draw(st.sampled_from(list(begrepp.REGIER))), draw(st.sampled_from(KOMMUNER)),
                     draw(st.integers(1, 12)), utf + extra, utf, None))
    f = hours(rows)
    f["kr_per_timme"] = f["insats"].map({"hemtjanst": D(454), "kommunal_primarvard": D(828)})
    return f


OPIS = st.decimals(min_value=-5, max_value=15, places=1)
PROPS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _opi_scenario(p: Decimal, **kw) -> sim.Scenario:
    return sim.Scenario("p", 2025, {"hemtjanst": sim.RateModel("egen", opi_procent=p),
                                    "kommunal_primarvard": sim.RateModel("egen", opi_procent=p)}, **kw)


@PROPS
@given(frames(), OPIS, OPIS)
def test_cost_is_monotonic_in_opi(frame, a, b):
    lo, hi = min(a, b), max(a, b)
    c_lo = sim.scenario_cost(frame, _opi_scenario(lo), **CTX).totalt().kostnad_ny_kr
    c_hi = sim.scenario_cost(frame, _opi_scenario(hi), **CTX).totalt().kostnad_ny_kr
    assert c_lo <= c_hi


@PROPS
@given(frames(), st.integers(100, 1000), st.integers(100, 1000))
def test_cost_is_monotonic_in_rate(frame, a, b):
    def cost(kr):
        s = sim.Scenario("r", 2025, {i: sim.RateModel("egen_summa", belopp_kr=kr)
                                     for i in ("hemtjanst", "kommunal_primarvard")})
        return sim.scenario_cost(frame, s, **CTX).totalt().kostnad_ny_kr
    assert cost(min(a, b)) <= cost(max(a, b))


@PROPS
@given(frames(), st.sampled_from(list(sim.BASES)), st.decimals(min_value=0, max_value=25, places=1))
def test_unchanged_rate_gives_zero_change(frame, grund, moms):
    # Own amount = today's rate, no volume change, same basis: nothing may change, in any group.
    s = sim.Scenario("Oförändrad", 2025, {"hemtjanst": sim.RateModel("egen_summa", belopp_kr=454),
                                          "kommunal_primarvard": sim.RateModel("egen_summa", belopp_kr=828)},
                     grund=grund, nuvarande_grund=grund, momskompensation_procent=moms)
    r = sim.scenario_cost(frame, s, **CTX)
    for dims in [(), ("insats",), ("regi",), ("vistelsekommun", "manad")]:
        assert all(a.forandring_kr == 0 and a.priseffekt_kr == 0 for a in r.per(*dims))
    # OPI 0 % on the own rate is also no change.
    assert sim.scenario_cost(frame, _opi_scenario(D(0)), **CTX).totalt().forandring_kr == 0


@PROPS
@given(frames(), OPIS, st.decimals(min_value=-50, max_value=50, places=1), st.sampled_from(list(sim.BASES)))
def test_totals_equal_the_sum_of_parts(frame, p, vol, grund):
    r = sim.scenario_cost(frame, _opi_scenario(p, volymforandring_procent=vol, grund=grund), **CTX)
    total = r.totalt()
    fields = ("timmar_nu", "timmar_ny", "kostnad_nu_kr", "kostnad_ny_kr", "priseffekt_kr", "volymeffekt_kr",
              "momskompensation_ny_kr", "forandring_kr")
    for dims in [("insats",), ("regi",), ("vistelsekommun",), ("manad",), ("insats", "regi", "vistelsekommun")]:
        parts = r.per(*dims)
        for f in fields:
            assert sum((getattr(a, f) for a in parts), D(0)) == getattr(total, f), (dims, f)
    assert total.priseffekt_kr + total.volymeffekt_kr == total.forandring_kr
    if vol == 0 and grund == "utford":  # same hours: the whole change is price, to the öre
        assert total.volymeffekt_kr == 0 and total.priseffekt_kr == total.forandring_kr


def test_seeded_random_frame_totals():
    # A larger frame from random.Random(42): the float frame's sums match the Decimal total to the öre.
    rows = [(_rng.choice(["hemtjanst", "kommunal_primarvard"]), _rng.choice(begrepp.REGIER), _rng.choice(KOMMUNER),
             _rng.randint(1, 12), round(_rng.uniform(1, 300), 2), round(_rng.uniform(1, 250), 2), None)
            for _ in range(400)]
    f = hours(rows).assign(kr_per_timme=lambda d: d["insats"].map({"hemtjanst": 454, "kommunal_primarvard": 828}))
    r = sim.scenario_cost(f, SCEN, **CTX)
    assert r.frame("vistelsekommun")["kostnad_ny_kr"].sum() == pytest.approx(float(r.totalt().kostnad_ny_kr), abs=0.005)


def test_break_even_wording_follows_the_basis():
    # issue 11 point 6: 468 kr per beviljad timme, 380 kr per arbetad timme: 380 / 468 = 81,197… → at least 81,2 %
    # of the worked time must be beviljad (paid) time; the text names beviljad time, not utförd
    b = sim.break_even_share(468, 380, "beviljad")
    assert b.procent == D("81.2")
    assert "468 kr per beviljad timme" in b.forklaring.replace("\xa0", " ")
    assert "utförd" not in b.forklaring
