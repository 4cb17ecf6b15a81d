"""Glue of "Vad händer om?": periods, the volume basis, widget state ↔ Scenario, the outputs.

Every expected figure is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pandas as pd
import pytest

from beslutsstod.dokument import tjansteskrivelse as tj
from beslutsstod.regler import nivaer, opi
from beslutsstod.regler import simulator as sim
from beslutsstod.vyer import simulator as sd

D = Decimal
PUBLISHED = tuple(nivaer.load_published_rates())
OPI = opi.load_opi()
ALLA = dict(insatser=[], regier=[], kommuner=[])
NIVA_2024 = {"datum": dt.date(2024, 12, 31), "insatser": []}


def personer_totalt(n: int) -> pd.DataFrame:
    return pd.DataFrame([dict(niva="totalt", insats=None, regi=None, vistelsekommun=None, manad=None,
                              antal_personer=n)])


# --------------------------------------------------------------------------- period


def test_period_running_year():
    p = sd.period(pd.Timestamp("2026-10-31"), range(2019, 2027))
    assert (p.senaste_hela_ar, p.pagaende_ar, p.pagaende_manader) == (2025, 2026, 10)
    assert p.volymbaser == ("prognos", "utfall")  # 10 ≥ 6 months: the forecast is the default
    assert p.malar == (2027, 2028)
    assert (p.volymar("prognos"), p.till_manad("prognos")) == (2026, 10)
    assert (p.volymar("utfall"), p.till_manad("utfall")) == (2025, 12)
    assert p.text("prognos") == "Prognos helår 2026 (utfall jan–okt + prognos)"
    assert p.text("utfall") == "Utfall 2025 (senaste hela året)"
    # the months after October, and March (an outage of 2026) come from a forecast; 2025's outage does not
    assert p.prognos_manader("prognos", [(2026, 3), (2025, 5)]) == [3, 11, 12]
    assert p.prognos_manader("utfall", [(2025, 3)]) == []


def test_period_early_in_the_year_defaults_to_the_last_complete_year():
    p = sd.period(dt.date(2026, 3, 20), [2025, 2026])
    assert p.volymbaser == ("utfall", "prognos")  # 3 < 6 months of data


def test_period_complete_year_has_no_forecast():
    p = sd.period(dt.date(2025, 12, 31), [2024, 2025])
    assert (p.senaste_hela_ar, p.pagaende_ar) == (2025, None)
    assert p.volymbaser == ("utfall",)
    assert p.malar == (2026, 2027)


def test_period_single_partial_year_offers_its_outcome():
    p = sd.period(dt.date(2026, 8, 31), [2026])
    assert p.volymbaser == ("utfall",)
    assert (p.volymar("utfall"), p.till_manad("utfall")) == (2026, 8)
    assert p.text("utfall") == "Utfall jan–aug 2026 (inte ett helt år)"


# --------------------------------------------------------------------------- rates and the volume basis


def test_nivaer_per_insats_uses_the_rate_for_all_regi_and_names_the_exception(fixture_db):
    frame = fixture_db.query("simulator/ersattningsnivaer", NIVA_2024).to_pandas()
    nivaer, noter = sd.nivaer_per_insats(frame)
    assert {i: (n.kr_per_timme, n.grund) for i, n in nivaer.items()} == {
        "hemtjanst": (D(420), "utford"), "kommunal_primarvard": (D(800), "beviljad")}
    assert noter == ["För hemtjänst gäller 430 kr för vistelsekommuner; simulatorn räknar med en nivå per "
                     "insats, 420 kr."]
    assert sd.insatser_med_niva(frame, []) == ["hemtjanst", "kommunal_primarvard"]
    assert sd.insatser_med_niva(frame, ["kommunal_primarvard"]) == ["kommunal_primarvard"]


def fixture_underlag(fixture_db, **extra):
    nivaer = fixture_db.query("simulator/ersattningsnivaer", NIVA_2024).to_pandas()
    p = dict(ar=2024, till_manad=12, prognos_manader=[], **ALLA)
    return sd.bygg_underlag(fixture_db.query("simulator/timunderlag", p).to_pandas(),
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
    u = sd.bygg_underlag(tim, pers, niva, niva, volymar=2025, volymbas="utfall", till_manad=12)
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
    u = sd.bygg_underlag(tim, pers, niva, niva, volymar=2026, volymbas="prognos", till_manad=10,
                         prognos_manader=[11, 12], manadstimmar=manad)
    by_month = u.timmar.set_index("manad")
    # utförd: level = Σ 90m / Σ 60m over Jan–Oct = 1,5; November 60 × 11 × 1,5 = 990 min = 16,5 h; December 18 h
    assert by_month.loc[11, "utford_timmar"] == D("16.5") and by_month.loc[12, "utford_timmar"] == D(18)
    # beviljad: level 1,0; November 120 × 11 = 1 320 min = 22 h
    assert by_month.loc[11, "beviljad_timmar"] == D(22)
    # October is the outcome: 90 × 10 = 900 min = 15 h
    assert by_month.loc[10, "utford_timmar"] == D(15)
    s = sd.Skydd({"insats": frozenset()}, False)
    assert "jämfört med 2025 (utförd tid: hemtjänst 1,50). Säsongsprognos" in sd.prognos_beskrivning(u, s)
    # a hidden insats's level is not told
    dold = sd.Skydd({"insats": frozenset({"hemtjanst"})}, False)
    assert "jämfört med 2025. Säsongsprognos" in sd.prognos_beskrivning(u, dold)
    assert u.datakalla == "kommunens tidregistrering (besök), utfall jan–okt och prognos för nov–dec"


def test_bygg_underlag_forecast_leaves_out_the_outage_month_of_the_comparison_year():
    tim, pers, niva, manad = forecast_frames()
    # March 2025 was an outage (no registrations): the level uses the other common months.
    manad.loc[(manad["ar"] == 2025) & (manad["manad"] == 3), ["utford_min", "beviljad_min"]] = 0
    u = sd.bygg_underlag(tim, pers, niva, niva, volymar=2026, volymbas="prognos", till_manad=10,
                         prognos_manader=[11, 12], manadstimmar=manad, utan_data=[(2025, 3)])
    # level = Σ_{m≠3} 90m / Σ_{m≠3} 60m = 1,5 still (a zero March would have given 1 485/930 = 1,597)
    assert u.timmar.set_index("manad").loc[11, "utford_timmar"] == D("16.5")


# --------------------------------------------------------------------------- scenario choices

def kontext(malar: int, basniva=(D(454), D(828)), kommuner=("1480", "1427")) -> sd.Kontext:
    nivaer = {i: sd.Niva(i, kr, "utford", "källa", "beslut", False, False)
              for i, kr in zip(("hemtjanst", "kommunal_primarvard"), basniva)}
    return sd.Kontext(malar, malar - 1, ("hemtjanst", "kommunal_primarvard"), nivaer, nivaer, kommuner, "utford",
                      D(6), PUBLISHED, OPI)


def test_standard_opi_is_the_mean_of_the_last_five_published_years():
    # 2019–2023: 2,7 + 3,0 + 1,5 + 1,9 + 4,6 = 13,7; / 5 = 2,74 → 2,7
    assert sd.standard_opi(kontext(2027)) == (D("2.7"), "genomsnittet av publicerat OPI 2019–2023")
    # components 2017–2021: (3,17 + 2,81 + 2,93 + 3,23 + 1,70) / 5 = 2,768 → 2,77; KPI 7,02 / 5 = 1,404 → 1,40
    assert sd.standard_komponenter(kontext(2027)) == (D("2.77"), D("1.40"))


def test_modellval_offers_published_levels_only_where_they_exist():
    # 2024: VästKom recommended 828 kr for primärvård; Härryda's own 454 kr for hemtjänst is published too
    assert sd.modellval(kontext(2024), "kommunal_primarvard")[0] == "publicerad"
    assert sd.modellval(kontext(2024), "hemtjanst")[0] == "publicerad"
    assert sd.modellval(kontext(2027), "hemtjanst") == ["egen", "senaste_plus_opi", "egen_summa"]
    k = kontext(2027)
    assert sd.modell_etikett(k, "hemtjanst", "egen") == "Egen nivå 454 kr (2026) + OPI"
    assert sd.modell_etikett(k, "hemtjanst", "senaste_plus_opi") == \
        "VästKoms senaste rekommendation 433 kr (2021) + OPI – antagande"


def test_opi_years_and_fields():
    k = kontext(2027)
    assert sd.opi_ar(k, {"hemtjanst": "egen", "kommunal_primarvard": "egen_summa"}) == [2027]
    # VästKom's last hemtjänst recommendation is 2021: OPI 2022–2027; primärvård's is 2024: 2025–2027
    assert sd.opi_ar(k, {"hemtjanst": "senaste_plus_opi"}) == [2022, 2023, 2024, 2025, 2026, 2027]
    assert sd.opi_ar(k, {"kommunal_primarvard": "senaste_plus_opi"}) == [2025, 2026, 2027]
    falt = {f.ar: f.val for f in sd.opi_falt(k, {"hemtjanst": "senaste_plus_opi"})}
    assert falt[2022] == () and falt[2023] == ()  # published: shown, not asked
    assert falt[2024] == ("antagande", "komponenter")
    # a published target year may be overridden ("eget värde")
    assert [f.val for f in sd.opi_falt(kontext(2023), {"hemtjanst": "egen"})] == [("publicerat", "eget")]
    assert sd.opi_falt(kontext(2023), {"hemtjanst": "egen"})[0].text.startswith("OPI 2023: 4,6 %, definitiv")


def test_komponent_text():
    # 0,8 × 3,00 + 0,2 × 2,00 = 2,8 → 2,8 %
    assert sd.komponent_text(3.0, 2.0) == "0,8 × 3,00 % + 0,2 × 2,00 % = 2,800 → OPI 2,8 %"


@pytest.mark.parametrize("i", [0, 1, 2])
def test_standard_scenarios_survive_widgets_and_url(i):
    k = kontext(2027)
    scn = sd.standardscenarier(k)[i]
    state, noter = sd.scenario_state(scn, k, "simulator_s1")
    assert noter == []
    back = sd.state_scenario(state, k, "simulator_s1")
    assert sd.till_param(back) == sd.till_param(scn)
    assert sd.fran_param(sd.till_param(scn)) == back


def test_standard_scenarios():
    s1, s2, s3 = sd.standardscenarier(kontext(2027))
    assert {i: m.modell for i, m in s1.modeller.items()} == {"hemtjanst": "egen", "kommunal_primarvard": "egen"}
    assert s1.opi_antaganden == {2027: D("2.7")}
    assert s2.modeller["hemtjanst"].modell == "senaste_plus_opi"
    assert s2.opi_antaganden == {2024: D("2.7"), 2025: D("2.7"), 2026: D("2.7"), 2027: D("2.7")}
    assert (s3.grund, s3.nuvarande_grund) == ("beviljad", "utford")


def test_till_param_is_compact_and_reads_back():
    scn = sd.standardscenarier(kontext(2027))[0]
    text = sd.till_param(scn)
    assert json.loads(text) == {"namn": "Egen nivå + OPI", "malar": 2027, "opi_antaganden": {"2027": "2.7"},
                                "modeller": {"hemtjanst": {"modell": "egen"},
                                             "kommunal_primarvard": {"modell": "egen"}}}
    assert sd.fran_param(text) == scn


@pytest.mark.parametrize("text", ["inte json", "[1, 2]", '{"namn": "x"}',
                                  '{"namn": "x", "malar": 2027, "grund": "fel"}'])
def test_fran_param_rejects_what_is_not_a_scenario(text):
    with pytest.raises(ValueError, match="Scenariot i adressen kunde inte läsas"):
        sd.fran_param(text)


def state_for(k, **changes):
    state, _ = sd.scenario_state(sd.standardscenarier(k)[0], k, "p")
    state.update(changes)
    return state


def test_widget_floats_become_clean_decimals():
    k = kontext(2027)
    scn = sd.state_scenario(state_for(k, p_opi_2027=2.8000000000000003, p_volym=-5.0, p_moms=6.0), k, "p")
    assert scn.opi_antaganden == {2027: D("2.8")}
    assert scn.volymforandring_procent == D(-5) and scn.momskompensation_procent == D(6)


def test_opi_from_components_gives_a_derived_rate():
    k = kontext(2027)
    scn = sd.state_scenario(state_for(k, p_opi_2027_val="komponenter", p_opi_2027_lon=3.0, p_opi_2027_kpi=2.0), k, "p")
    assert scn.opi_komponenter == {2027: (D(3), D(2))} and scn.opi_antaganden == {}
    calc = sim.new_rate("hemtjanst", sd.for_berakning(scn, k).modeller["hemtjanst"], 2027,
                        published_rates=PUBLISHED, published_opi=OPI, opi_komponenter=scn.opi_komponenter)
    # 0,8 × 3 + 0,2 × 2 = 2,8 %; 454 × 1,028 = 466,712 → 467
    assert calc.kr_per_timme == D(467)
    assert any("härlett" in a for a in calc.antaganden)


def test_own_value_for_a_published_target_year_overrides_it():
    k = kontext(2023, basniva=(D(441), D(723)))
    eget = sd.state_scenario(state_for(k, p_opi_2023_val="eget", p_opi_2023=5.0), k, "p")
    assert eget.modeller["hemtjanst"].opi_procent == D(5)
    u = hand_underlag(volymar=2022, nu=(D(441), D(723)))
    r = sd.berakna(u, [eget, sd.standardscenarier(k)[0]], k)
    # eget: 441 × 1,05 = 463,05 → 463; published 4,6 %: 441 × 1,046 = 461,286 → 461
    assert r.resultat[0].nivaer["hemtjanst"].kr_per_timme == D(463)
    assert r.resultat[1].nivaer["hemtjanst"].kr_per_timme == D(461)
    state, _ = sd.scenario_state(eget, k, "p")
    assert (state["p_opi_2023_val"], state["p_opi_2023"]) == ("eget", "5")  # as the text field shows it


def test_a_model_the_target_year_does_not_offer_becomes_the_default_with_a_note():
    k = kontext(2027)
    scn = sim.Scenario("Från 2024", 2027, {"hemtjanst": sim.RateModel("publicerad")},
                       volymforandring_per_vistelsekommun={"1480": 5, "0180": 3})
    state, noter = sd.scenario_state(scn, k, "p")
    assert state["p_modell_hemtjanst"] == "egen"
    assert noter[0].startswith("Hemtjänst: modellen ”publicerad nivå (rekommendation eller beslut)” finns inte "
                               "för 2027")
    assert noter[1] == "Volymförändring för Stockholm används inte: kommunen finns inte i underlaget."
    assert state["p_volym_kommuner"] == ["1480"] and state["p_volym_1480"] == "5"


def test_for_berakning_starts_own_rate_from_the_rate_of_the_year_before_the_target():
    k = kontext(2027)
    scn = sd.for_berakning(sd.standardscenarier(k)[0], k)
    m = scn.modeller["hemtjanst"]
    assert (m.belopp_kr, m.bas_ar, m.kalla) == (D(454), 2026, "källa; beslut")


# --------------------------------------------------------------------------- outputs on a hand-made basis


def hand_underlag(volymar: int = 2024, nu=(D(454), D(828)), personer=None) -> sd.Underlag:
    """100 utförda h hemtjänst in Sotenäs (vistelsekommun), 50 h privat in Göteborg, 20 h primärvård."""
    timmar = pd.DataFrame([
        ("hemtjanst", "vistelsekommun", "1427", 7, D(110), D(100)),
        ("hemtjanst", "privat", "1480", 7, D(60), D(50)),
        ("kommunal_primarvard", "vistelsekommun", "1427", 8, D(25), D(20)),
    ], columns=["insats", "regi", "vistelsekommun", "manad", "beviljad_timmar", "utford_timmar"])
    nivaer = {i: sd.Niva(i, kr, "utford", "källa", "beslut", False, False)
              for i, kr in zip(("hemtjanst", "kommunal_primarvard"), nu)}
    personer = personer or {"totalt": 30, "insats": {"hemtjanst": 20, "kommunal_primarvard": 10},
                            "regi": {"vistelsekommun": 22, "privat": 8},
                            "vistelsekommun": {"1427": 25, "1480": 8}, "manad": {7: 20, 8: 10}}
    return sd.Underlag(timmar, volymar, "utfall", nivaer, nivaer, personer)


@pytest.fixture()
def hand():
    u = hand_underlag()
    k = sd.kontext(u, 2025, published_rates=PUBLISHED, published_opi=OPI)
    scn = sd.state_scenario(state_for(k, p_opi_2025=3.0), k, "p")
    b = sd.berakna(u, [scn, sd.standardscenarier(k)[1]], k)
    return u, k, b


def test_berakna_hand_computed(hand):
    u, k, b = hand
    r = b.resultat[0]
    # 454 × 1,03 = 467,62 → 468; 828 × 1,03 = 852,84 → 853
    assert {i: c.kr_per_timme for i, c in r.nivaer.items()} == {"hemtjanst": D(468), "kommunal_primarvard": D(853)}
    t = r.totalt()
    # today: 100 × 454 + 50 × 454 × 1,06 + 20 × 828 = 45 400 + 24 062 + 16 560 = 86 022
    # new:   100 × 468 + 50 × 468 × 1,06 + 20 × 853 = 46 800 + 24 804 + 17 060 = 88 664
    assert (t.kostnad_nu_kr, t.kostnad_ny_kr) == (D(86022), D(88664))
    # +2 642; 2 642 / 86 022 = 3,071 % → 3,1 %
    assert (t.forandring_kr, t.forandring_procent) == (D(2642), D("3.1"))
    assert b.fel == (None, None)


def test_berakna_reports_a_scenario_that_cannot_be_computed(hand):
    u, k, _ = hand
    bad = sim.Scenario("Publicerad", 2025, {"hemtjanst": sim.RateModel("publicerad")})
    b = sd.berakna(u, [bad], k)
    assert b.resultat == (None,) and b.giltiga == []
    assert "Ingen publicerad nivå för hemtjänst 2025" in b.fel[0]


def test_nyckeltal(hand):
    u, k, b = hand
    s = sd.skydd(b.resultat[0], u.personer, True, 5)
    kort = sd.nyckeltal(b.resultat[0], s, 2024)
    assert [(c.etikett, c.varde, c.andring) for c in kort] == [
        ("Hemtjänst 2025", "468 kr/tim", "+14 kr (+3,1 %) mot 2024"),  # 14 / 454 = 3,08 %
        ("Kommunal primärvård 2025", "853 kr/tim", "+25 kr (+3,0 %) mot 2024"),  # 25 / 828 = 3,02 %
        ("Kostnad 2025", "88\xa0664 kr", "+2\xa0642 kr (+3,1 %)"),
    ]


def test_skydd_hides_small_groups_and_their_complement(hand):
    u, k, b = hand
    personer = {**u.personer, "insats": {"hemtjanst": 20, "kommunal_primarvard": 2}}
    s = sd.skydd(b.resultat[0], personer, True, 5)
    # primärvård has 2 < 5 persons; one hidden row would be total − hemtjänst, so hemtjänst (20, the
    # smallest of the rest before the total) is hidden too; the total (30) stays
    assert s.dolda["insats"] == {"hemtjanst", "kommunal_primarvard"} and not s.totalt
    assert s.dolda["regi"] == frozenset()
    assert sd.skydd(b.resultat[0], personer, False, 5).nagot is False  # the detail view hides nothing
    tiny = sd.skydd(b.resultat[0], {**u.personer, "totalt": 3}, True, 5)
    assert tiny.totalt and tiny.dold("regi", "privat")
    assert sd.nyckeltal(b.resultat[0], tiny, 2024)[-1].varde == ".."


def test_jamforelse_tabell_and_diagram(hand):
    u, k, b = hand
    s = sd.skydd(b.resultat[0], u.personer, True, 5)
    tab = sd.jamforelse_tabell(b, s, 2024)
    assert tab.columns.tolist() == ["Scenario", "Hemtjänst (kr/tim)", "Kommunal primärvård (kr/tim)",
                                    "Kostnad 2025 (kr)", "Förändring (kr)", "Förändring (%)"]
    assert tab.iloc[0].tolist() == ["Nuvarande nivå (2024)", "454", "828", "86\xa0022", "–", "–"]
    assert tab.iloc[1].tolist() == ["Egen nivå + OPI", "468", "853", "88\xa0664", "+2\xa0642", "+3,1"]
    dia = sd.jamforelse_diagram(b, s, 2024)
    # today's hemtjänst: 45 400 + 24 062 = 69 462
    assert dia.iloc[0].tolist() == ["Nuvarande nivå (2024)", "Hemtjänst", 69462.0]
    assert len(dia) == 6  # (today + 2 scenarios) × 2 insatser


def test_per_manad_hides_hidden_months(hand):
    u, k, b = hand
    s = sd.skydd(b.resultat[0], {**u.personer, "manad": {7: 20, 8: 2}}, True, 5)
    f = sd.per_manad(b.resultat[0], s)
    # August has 2 persons; July is then total − August: both hidden
    assert f["kostnad_ny_kr"].isna().all()


def test_kanslighet_over_opi(hand):
    u, k, b = hand
    ks = sd.kanslighet(u, b.resultat[0], k)
    assert ks.variabel == "opi_procent" and ks.vald == 3.0
    assert ks.frame["varde"].tolist() == [x / 2 for x in range(17)]  # 0,0 … 8,0; 3,0 is one of them
    # OPI 0: unchanged rates → today's cost
    assert ks.frame.iloc[0]["kostnad_ny_kr"] == 86022.0
    assert ks.frame.set_index("varde").loc[3.0, "kostnad_ny_kr"] == 88664.0
    assert ks.frame["kostnad_ny_kr"].is_monotonic_increasing


def test_kanslighet_over_the_rate_when_no_model_uses_opi(hand):
    u, k, _ = hand
    scn = sim.Scenario("Belopp", 2025, {"hemtjanst": sim.RateModel("egen_summa", belopp_kr=D(500)),
                                        "kommunal_primarvard": sim.RateModel("egen_summa", belopp_kr=D(850))})
    r = sd.berakna(u, [scn], k).resultat[0]
    ks = sd.kanslighet(u, r, k)
    assert ks.variabel == "kr_per_timme" and ks.vald == 500.0
    # 85 … 115 % of 500 kr in steps of 5 %
    assert ks.frame["varde"].tolist() == [425.0, 450.0, 475.0, 500.0, 525.0, 550.0, 575.0]


def test_break_even(hand):
    u, k, b = hand
    kurva, svar = sd.break_even(b.resultat[0], "hemtjanst", 380)
    # 380 / 468 = 0,81197 → at least 81,2 % (rounded up);
    # privat gets 468 × 1,06 = 496,08: 380 / 496,08 = 0,76600… → 76,7 %
    assert [x.procent for x in svar] == [D("81.2"), D("76.7")]
    assert svar[0].kringtid_max_procent == D("18.8")
    # 50 … 120 % of the rate in steps of 5 %: 15 costs per payee; 100 % of the rate needs all time delivered
    assert len(kurva) == 30
    rad = kurva[(kurva["mottagare"] == "Kommun eller egen regi") & (kurva["kostnad_per_arbetad_timme_kr"] == 468.0)]
    assert rad["andel_procent"].item() == 100.0
    assert sd.break_even(b.resultat[0], "hemtjanst", None)[1] == []


def test_efterreglering_as_2023(hand):
    u, k, b = hand
    e = sd.efterreglering(u, b.resultat[0])
    # hemtjänst 454 × 1,035 = 469,89 → 470; × 1,046 = 474,884 → 475: +5 kr;
    # primärvård 828 × 1,035 = 856,98 → 857; × 1,046 = 866,088 → 866: +9 kr
    # 100 × 5 + 50 × 5 × 1,06 + 20 × 9 = 500 + 265 + 180 = 945
    assert (e.preliminar_procent, e.definitiv_procent, e.efterbetalning_kr) == (D("3.5"), D("4.6"), D(945))
    s = sd.skydd(b.resultat[0], u.personer, True, 5)
    rader = sd.efterreglering_rader(e, s)
    assert len(rader) == 3 and rader[-1] == "Efterbetalning totalt: 945 kr."
    assert sd.efterreglering_intro(e, 2025).endswith("Om OPI 2025 ändras lika mycket efter beslutet, kostar "
                                                     "efterregleringen med underlagets volym och dagens nivåer:")
    dold = sd.skydd(b.resultat[0], {**u.personer, "insats": {"hemtjanst": 20, "kommunal_primarvard": 2}}, True, 5)
    assert sd.efterreglering_rader(e, dold) == ["Hemtjänst: ..", "Kommunal primärvård: ..",
                                                "Efterbetalning totalt: 945 kr."]


def test_basbyte_tabell(hand):
    u, k, b = hand
    byte = sim.basis_switch_effect(u.timmar, u.nuvarande_kr, D(6))
    tab = sd.basbyte_tabell(byte, sd.skydd(b.resultat[0], u.personer, True, 5))
    # hemtjänst beviljad: 110 × 454 + 60 × 454 × 1,06 = 49 940 + 28 874,40 = 78 814,40; utförd 69 462 → +9 352
    assert tab.iloc[0].tolist() == ["Hemtjänst", "170", "150", "88,2", "69\xa0462", "78\xa0814", "+9\xa0352", "+13,5"]
    assert tab.iloc[-1]["Insats"] == "Totalt"


def test_ekonomiska_konsekvenser_docx_names_rate_change_and_sources(hand):
    from docx import Document

    u, k, b = hand
    avsnitt = sd.ekonomiska_konsekvenser(b, 0, u, oppen_vy=True, threshold=5, demodata=True)
    text = "\n".join(p.text for p in Document(io.BytesIO(tj.to_docx(avsnitt))).paragraphs).replace("\xa0", " ")
    assert "468 kronor per timme 2025 (454 kr + OPI 3,0 %)" in text
    assert "ökar kostnaden med 2 642 kr (3,1 %) till 88 664 kr" in text
    assert "efterbetalning på 945 kr" in text
    # issue 11 point 6: the arrears sentence is conditional, it rests on today's volume and rates
    assert "Om OPI 2025 skulle ändras lika mycket efter beslutet, skulle det med underlagets volym och dagens " \
        "nivåer motsvara en efterbetalning på 945 kr." in text
    assert "OPI 2025: inte publicerat i referensdata" in text
    assert "I jämförelsescenariot ”VästKoms senaste + OPI (antagande)”" in text
    md = tj.markdown_text(avsnitt)
    assert md.startswith("#### Ekonomiska konsekvenser") and "**Källor och beslutsunderlag**" in md


def test_filnamn_is_ascii(hand):
    u, k, b = hand
    assert sd.filnamn(b.resultat[1], "docx") == "ekonomiska_konsekvenser_2025_vastkoms_senaste_opi_antagande.docx"


def test_visning_keeps_the_documents_strings(hand):
    u, k, b = hand
    avsnitt = sd.ekonomiska_konsekvenser(b, 0, u, oppen_vy=True, threshold=5, demodata=False)
    tb = next(t for t in avsnitt.tabeller if t.namn == "Per insats")
    html = sd.visning(tb).to_html()
    assert "88\xa0664" in html  # the figure as the Word file writes it
    assert "text-align: right !important" in html


@pytest.mark.parametrize(("skrivet", "vantat"), [("3,5", D("3.5")), ("3.5", D("3.5")), (" 3,5 ", D("3.5")),
                                                  ("1 234,5", D("1234.5")), ("-2,5", D("-2.5"))])
def test_a_percentage_typed_the_swedish_way_keeps_its_magnitude(skrivet, vantat):
    # issue 11 point 3: `3,5` is three and a half per cent, never 35
    k = kontext(2023, basniva=(D(441), D(723)))
    scn = sd.state_scenario(state_for(k, p_opi_2023_val="eget", p_opi_2023=skrivet, p_volym=skrivet), k, "p")
    assert scn.modeller["hemtjanst"].opi_procent == vantat
    assert scn.volymforandring_procent == vantat


def test_a_stopped_scenario_is_not_computed():
    # an implausible value not yet confirmed (ui.tal_input returned None): the scenario shows why, no figure
    k = kontext(2023, basniva=(D(441), D(723)))
    u = hand_underlag(volymar=2022, nu=(D(441), D(723)))
    r = sd.berakna(u, sd.standardscenarier(k)[:2], k, ["inte bekräftat", None])
    assert r.resultat[0] is None and r.fel[0] == "inte bekräftat"
    assert r.resultat[1] is not None and r.giltiga == [1]


def test_default_opi_is_labelled_as_the_products_assumption(hand):
    # issue 11 point 6: OPI 2025 is not published; the default 2,7 % is the mean of published OPI 2019–2023,
    # a choice the product made. The text and its sources say exactly that, never "angivet av användaren".
    from docx import Document

    u, k, _ = hand
    b = sd.berakna(u, [sd.standardscenarier(k)[0]], k)
    avsnitt = sd.ekonomiska_konsekvenser(b, 0, u, oppen_vy=True, threshold=5, demodata=True)
    text = "\n".join(p.text for p in Document(io.BytesIO(tj.to_docx(avsnitt))).paragraphs).replace("\xa0", " ")
    assert ("OPI 2025: inte publicerat i referensdata; antagande valt av produkten: genomsnittet av publicerat "
            "OPI 2019–2023") in text
    assert "OPI 2025 (2,7 %) är ett antagande (antagande valt av produkten" in text
    assert "angivet av användaren" not in text


def test_kpv_text_says_opi_stands_in_for_vastkoms_recommendation(hand):
    # issue 11 point 6, seed 000: the KPV rate follows VästKom's yearly recommendation; 2025's is not in the
    # reference data, so the default model (828 kr + OPI) says OPI stands in for it
    u, k, _ = hand
    b = sd.berakna(u, [sd.standardscenarier(k)[0]], k)
    antaganden = " ".join(b.resultat[0].nivaer["kommunal_primarvard"].antaganden)
    assert "Kommunal primärvård följer VästKoms årliga rekommendation. Rekommendationen för 2025 är inte " \
           "publicerad; uppräkning med OPI står i dess ställe" in antaganden
