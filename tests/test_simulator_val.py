"""The scenario inputs of "Vad händer om?": what a target year offers (regler/scenarier.py), widget
state ↔ Scenario and the URL (vyer/simulator_val.py), and which scenarios are computed.

Every expected figure is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from beslutsstod.regler import opi
from beslutsstod.regler import scenarier as sc
from beslutsstod.regler import simulator as sim
from beslutsstod.vyer import simulator_val as val
from tests.fixtures_simulator import OPI, PUBLISHED, hand_berakning, hand_underlag, kontext, state_for

D = Decimal


def test_standard_opi_is_the_mean_of_the_last_five_published_years():
    # 2019–2023: 2,7 + 3,0 + 1,5 + 1,9 + 4,6 = 13,7; / 5 = 2,74 → 2,7
    assert opi.standard_opi(OPI) == (D("2.7"), "genomsnittet av publicerat OPI 2019–2023")
    # components 2017–2021: (3,17 + 2,81 + 2,93 + 3,23 + 1,70) / 5 = 2,768 → 2,77; KPI 7,02 / 5 = 1,404 → 1,40
    assert opi.standard_komponenter(OPI) == (D("2.77"), D("1.40"))


def test_modellval_offers_published_levels_only_where_they_exist():
    # 2024: VästKom recommended 828 kr for primärvård; Härryda's own 454 kr for hemtjänst is published too
    assert sc.modellval(kontext(2024), "kommunal_primarvard")[0] == "publicerad"
    assert sc.modellval(kontext(2024), "hemtjanst")[0] == "publicerad"
    assert sc.modellval(kontext(2027), "hemtjanst") == ["egen", "senaste_plus_opi", "egen_summa"]
    k = kontext(2027)
    assert sc.modell_etikett(k, "hemtjanst", "egen") == "Egen nivå 454 kr (2026) + OPI"
    assert sc.modell_etikett(k, "hemtjanst", "senaste_plus_opi") == \
        "VästKoms senaste rekommendation 433 kr (2021) + OPI – antagande"


def test_opi_years_and_fields():
    k = kontext(2027)
    assert sc.opi_ar(k, {"hemtjanst": "egen", "kommunal_primarvard": "egen_summa"}) == [2027]
    # VästKom's last hemtjänst recommendation is 2021: OPI 2022–2027; primärvård's is 2024: 2025–2027
    assert sc.opi_ar(k, {"hemtjanst": "senaste_plus_opi"}) == [2022, 2023, 2024, 2025, 2026, 2027]
    assert sc.opi_ar(k, {"kommunal_primarvard": "senaste_plus_opi"}) == [2025, 2026, 2027]
    falt = {f.ar: f.val for f in val.opi_falt(k, {"hemtjanst": "senaste_plus_opi"})}
    assert falt[2022] == () and falt[2023] == ()  # published: shown, not asked
    assert falt[2024] == ("antagande", "komponenter")
    # a published target year may be overridden ("eget värde")
    assert [f.val for f in val.opi_falt(kontext(2023), {"hemtjanst": "egen"})] == [("publicerat", "eget")]
    assert val.opi_falt(kontext(2023), {"hemtjanst": "egen"})[0].text.startswith("OPI 2023: 4,6 %, definitiv")


def test_komponent_text():
    # 0,8 × 3,00 + 0,2 × 2,00 = 2,8 → 2,8 %
    assert val.komponent_text(3.0, 2.0) == "0,8 × 3,00 % + 0,2 × 2,00 % = 2,800 → OPI 2,8 %"


@pytest.mark.parametrize("i", [0, 1, 2])
def test_standard_scenarios_survive_widgets_and_url(i):
    k = kontext(2027)
    scn = sc.standardscenarier(k)[i]
    state, noter = val.scenario_state(scn, k, "simulator_s1")
    assert noter == []
    back = val.state_scenario(state, k, "simulator_s1")
    assert val.till_param(back) == val.till_param(scn)
    assert val.fran_param(val.till_param(scn)) == back


def test_standard_scenarios():
    s1, s2, s3 = sc.standardscenarier(kontext(2027))
    assert {i: m.modell for i, m in s1.modeller.items()} == {"hemtjanst": "egen", "kommunal_primarvard": "egen"}
    assert s1.opi_antaganden == {2027: D("2.7")}
    assert s2.modeller["hemtjanst"].modell == "senaste_plus_opi"
    assert s2.opi_antaganden == {2024: D("2.7"), 2025: D("2.7"), 2026: D("2.7"), 2027: D("2.7")}
    assert (s3.grund, s3.nuvarande_grund) == ("beviljad", "utford")


def test_till_param_is_compact_and_reads_back():
    scn = sc.standardscenarier(kontext(2027))[0]
    text = val.till_param(scn)
    assert json.loads(text) == {"namn": "Egen nivå + OPI", "malar": 2027, "opi_antaganden": {"2027": "2.7"},
                                "modeller": {"hemtjanst": {"modell": "egen"},
                                             "kommunal_primarvard": {"modell": "egen"}}}
    assert val.fran_param(text) == scn


@pytest.mark.parametrize("text", ["inte json", "[1, 2]", '{"namn": "x"}',
                                  '{"namn": "x", "malar": 2027, "grund": "fel"}'])
def test_fran_param_rejects_what_is_not_a_scenario(text):
    with pytest.raises(ValueError, match="Scenariot i adressen kunde inte läsas"):
        val.fran_param(text)

def test_widget_floats_become_clean_decimals():
    k = kontext(2027)
    scn = val.state_scenario(state_for(k, p_opi_2027=2.8000000000000003, p_volym=-5.0, p_moms=6.0), k, "p")
    assert scn.opi_antaganden == {2027: D("2.8")}
    assert scn.volymforandring_procent == D(-5) and scn.momskompensation_procent == D(6)


def test_opi_from_components_gives_a_derived_rate():
    k = kontext(2027)
    scn = val.state_scenario(state_for(k, p_opi_2027_val="komponenter", p_opi_2027_lon=3.0, p_opi_2027_kpi=2.0), k, "p")
    assert scn.opi_komponenter == {2027: (D(3), D(2))} and scn.opi_antaganden == {}
    calc = sim.new_rate("hemtjanst", sc.for_berakning(scn, k).modeller["hemtjanst"], 2027,
                        published_rates=PUBLISHED, published_opi=OPI, opi_komponenter=scn.opi_komponenter)
    # 0,8 × 3 + 0,2 × 2 = 2,8 %; 454 × 1,028 = 466,712 → 467
    assert calc.kr_per_timme == D(467)
    assert any("härlett" in a for a in calc.antaganden)


def test_own_value_for_a_published_target_year_overrides_it():
    k = kontext(2023, basniva=(D(441), D(723)))
    eget = val.state_scenario(state_for(k, p_opi_2023_val="eget", p_opi_2023=5.0), k, "p")
    assert eget.modeller["hemtjanst"].opi_procent == D(5)
    u = hand_underlag(volymar=2022, nu=(D(441), D(723)))
    r = sc.berakna(u, [eget, sc.standardscenarier(k)[0]], k)
    # eget: 441 × 1,05 = 463,05 → 463; published 4,6 %: 441 × 1,046 = 461,286 → 461
    assert r.resultat[0].nivaer["hemtjanst"].kr_per_timme == D(463)
    assert r.resultat[1].nivaer["hemtjanst"].kr_per_timme == D(461)
    state, _ = val.scenario_state(eget, k, "p")
    assert (state["p_opi_2023_val"], state["p_opi_2023"]) == ("eget", "5")  # as the text field shows it


def test_a_model_the_target_year_does_not_offer_becomes_the_default_with_a_note():
    k = kontext(2027)
    scn = sim.Scenario("Från 2024", 2027, {"hemtjanst": sim.RateModel("publicerad")},
                       volymforandring_per_vistelsekommun={"1480": 5, "0180": 3})
    state, noter = val.scenario_state(scn, k, "p")
    assert state["p_modell_hemtjanst"] == "egen"
    assert noter[0].startswith("Hemtjänst: modellen ”publicerad nivå (rekommendation eller beslut)” finns inte "
                               "för 2027")
    assert noter[1] == "Volymförändring för Stockholm används inte: kommunen finns inte i underlaget."
    assert state["p_volym_kommuner"] == ["1480"] and state["p_volym_1480"] == "5"


def test_for_berakning_starts_own_rate_from_the_rate_of_the_year_before_the_target():
    k = kontext(2027)
    scn = sc.for_berakning(sc.standardscenarier(k)[0], k)
    m = scn.modeller["hemtjanst"]
    assert (m.belopp_kr, m.bas_ar, m.kalla) == (D(454), 2026, "källa; beslut")


# --------------------------------------------------------------------------- which scenarios are computed


@pytest.fixture()
def hand():
    return hand_berakning()


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
    b = sc.berakna(u, [bad], k)
    assert b.resultat == (None,) and b.giltiga == []
    assert "Ingen publicerad nivå för hemtjänst 2025" in b.fel[0]

@pytest.mark.parametrize(("skrivet", "vantat"), [("3,5", D("3.5")), ("3.5", D("3.5")), (" 3,5 ", D("3.5")),
                                                  ("1 234,5", D("1234.5")), ("-2,5", D("-2.5"))])
def test_a_percentage_typed_the_swedish_way_keeps_its_magnitude(skrivet, vantat):
    # issue 11 point 3: `3,5` is three and a half per cent, never 35
    k = kontext(2023, basniva=(D(441), D(723)))
    scn = val.state_scenario(state_for(k, p_opi_2023_val="eget", p_opi_2023=skrivet, p_volym=skrivet), k, "p")
    assert scn.modeller["hemtjanst"].opi_procent == vantat
    assert scn.volymforandring_procent == vantat


def test_a_stopped_scenario_is_not_computed():
    # an implausible value not yet confirmed (ui.tal_input returned None): the scenario shows why, no figure
    k = kontext(2023, basniva=(D(441), D(723)))
    u = hand_underlag(volymar=2022, nu=(D(441), D(723)))
    r = sc.berakna(u, sc.standardscenarier(k)[:2], k, ["inte bekräftat", None])
    assert r.resultat[0] is None and r.fel[0] == "inte bekräftat"
    assert r.resultat[1] is not None and r.giltiga == [1]

