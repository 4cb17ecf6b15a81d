"""The page model of "Vad händer om?" (vyer/simulator.py): what the page shows, on the demo data
and on a hand-made basis. Every expected figure is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import io
import math
from decimal import Decimal

import pandas as pd
import pytest

from beslutsstod import installningar
from beslutsstod.data import db
from beslutsstod.regler import scenarier as sc
from beslutsstod.regler import simulator as sim
from beslutsstod.vyer import simulator as sd
from beslutsstod.vyer import simulator_val as val
from beslutsstod.vyer.urval import Filter, Sammanhang
from tests.fixtures_simulator import hand_berakning, hand_underlag

D = Decimal


def _ingen_fraga(namn, params):
    raise AssertionError(f"the results step runs no query (ran {namn})")


def vy_for(u, k, scenarier, *, visa=None, oppen_vy=True, sparrar=()) -> sd.SimulatorVy:
    """Step 3 on a hand-made basis, as the page calls it (the first view is the detailed scenario)."""
    fu = sd.Forutsattningar("", u.volymar, k.malar, None, u.noter, u, k, tuple(sc.standardscenarier(k)), "", False)
    s = Sammanhang(_ingen_fraga, oppen_vy, 5, "1401")
    return sd.simulator(s, fu, sd.Scenarioval(tuple(scenarier), tuple(sparrar), visa))


@pytest.fixture()
def hand():
    u, k, b = hand_berakning()
    return u, k, list(b.scenarier)


# --------------------------------------------------------------------------- the demo data, all three steps


def test_the_first_view_on_the_demo_data(demo_env):
    database = db.open_database()
    s = Sammanhang(lambda namn, p: database.query(namn, p or {}).to_pandas(), False, 5,
                   installningar.get("hemkommun"))
    period = sd.valbara_perioder(s)
    # data to 2026-10-31: the forecast of 2026 first (10 ≥ 6 months), target years 2027 and 2028
    assert period.volymbaser == ("prognos", "utfall") and period.malar == (2027, 2028)
    f = Filter(2026, [], [], [], period.sista_datum)
    fu = sd.forutsattningar(s, f, period.volymbaser[0], period.malar[0])
    assert fu.stopp is None and fu.volymar == 2026
    assert "Förvalt antagande: genomsnittet av publicerat OPI 2019–2023" in fu.opi_hjalp
    # the widgets start from the default scenarios: as the page reads them back
    scenarier = [val.state_scenario(val.scenario_state(scn, fu.k, "p")[0], fu.k, "p") for scn in fu.standard[:2]]
    vy = sd.simulator(s, fu, sd.Scenarioval(tuple(scenarier)))
    kort = {c.etikett: (c.varde, c.andring) for c in vy.kort}
    # own rate 2026 454 kr + assumed OPI 2027 2,7 %: 454 × 1,027 = 466,258 → 466 kr; +12 / 454 = 2,64 %
    assert kort["Hemtjänst 2027"] == ("466 kr/tim", "+12 kr (+2,6 %) mot 2026")
    # the cost card is the total row of the table "Per insats" (the same figure as the Word file)
    per_insats = next(t.frame for t in vy.kostnadstabeller if t.namn == "Per insats").set_index("Insats")
    assert kort["Kostnad 2027"][0] == per_insats.loc["Totalt", "Kostnad 2027 (kr)"] + " kr"
    assert vy.giltiga == (0, 1) and vy.jamforelse is not None
    assert vy.docx_namn == "ekonomiska_konsekvenser_2027_egen_niva_opi.docx"
    assert "466 kronor per timme 2027 (454 kr + OPI 2,7 %)" in vy.text.replace("\\", "")


# --------------------------------------------------------------------------- a hand-made basis


def test_nyckeltal(hand):
    u, k, scenarier = hand
    vy = vy_for(u, k, scenarier)
    assert [(c.etikett, c.varde, c.andring) for c in vy.kort] == [
        ("Hemtjänst 2025", "468 kr/tim", "+14 kr (+3,1 %) mot 2024"),  # 454 × 1,03 = 467,62 → 468; 14 / 454 = 3,08 %
        ("Kommunal primärvård 2025", "853 kr/tim", "+25 kr (+3,0 %) mot 2024"),  # 828 × 1,03 = 852,84 → 853
        # today: 100 × 454 + 50 × 454 × 1,06 + 20 × 828 = 86 022; new: 100 × 468 + 50 × 468 × 1,06 + 20 × 853
        # = 88 664: +2 642, 2 642 / 86 022 = 3,07 %
        ("Kostnad 2025", "88\xa0664 kr", "+2\xa0642 kr (+3,1 %)"),
    ]
    assert vy.nivaforklaringar[0].rubrik == "Hemtjänst: 454 kr + OPI 3,0 %"


def test_small_groups_and_their_complement_are_hidden(hand):
    _, k, scenarier = hand
    u = hand_underlag(personer={"totalt": 30, "insats": {"hemtjanst": 20, "kommunal_primarvard": 2},
                                "regi": {"vistelsekommun": 22, "privat": 8},
                                "vistelsekommun": {"1427": 25, "1480": 8}, "manad": {7: 20, 8: 10}})
    vy = vy_for(u, k, scenarier)
    # primärvård has 2 < 5 persons; one hidden row would be total − hemtjänst, so hemtjänst is hidden too;
    # the total (30) stays, and so does every regi
    per_insats = next(t.frame for t in vy.kostnadstabeller if t.namn == "Per insats").set_index("Insats")
    assert (per_insats.loc[["Hemtjänst", "Kommunal primärvård"], "Kostnad 2025 (kr)"] == "..").all()
    assert per_insats.loc["Totalt", "Kostnad 2025 (kr)"] == "88\xa0664"
    assert ".." not in next(t.frame for t in vy.kostnadstabeller if t.namn == "Per regi").values
    assert vy.fotnot and vy.kanslighet_figur is not None
    assert list(vy.efterreglering_rader[:2]) == ["Hemtjänst: ..", "Kommunal primärvård: .."]
    # the detailed view hides nothing
    assert vy_for(u, k, scenarier, oppen_vy=False).fotnot is None
    tiny = vy_for(hand_underlag(personer={**u.personer, "totalt": 3}), k, scenarier)
    assert tiny.kort[-1].varde == ".." and tiny.kanslighet_figur is None and tiny.basbyte is None
    assert tiny.efterreglering_rader == ()


def test_jamforelse_tabell_and_diagram(hand):
    u, k, scenarier = hand
    vy = vy_for(u, k, scenarier)
    tab = vy.jamforelse.frame
    assert tab.columns.tolist() == ["Scenario", "Hemtjänst (kr/tim)", "Kommunal primärvård (kr/tim)",
                                    "Kostnad 2025 (kr)", "Förändring (kr)", "Förändring (%)"]
    assert tab.iloc[0].tolist() == ["Nuvarande nivå (2024)", "454", "828", "86\xa0022", "–", "–"]
    assert tab.iloc[1].tolist() == ["Egen nivå + OPI", "468", "853", "88\xa0664", "+2\xa0642", "+3,1"]
    hemtjanst = next(t for t in vy.jamforelse_figur.data if t.type == "bar" and t.name == "Hemtjänst")
    # today's hemtjänst: 45 400 + 24 062 = 69 462; with 468 kr: 46 800 + 24 804 = 71 604
    assert list(hemtjanst.y)[:2] == [69462.0, 71604.0] and len(hemtjanst.y) == 3  # today + 2 scenarios
    # one computed scenario: no comparison
    assert vy_for(u, k, scenarier[:1]).jamforelse is None


def test_per_manad_hides_hidden_months(hand):
    _, k, scenarier = hand
    u = hand_underlag()
    u = hand_underlag(personer={**u.personer, "manad": {7: 20, 8: 2}})
    vy = vy_for(u, k, scenarier)
    # August has 2 persons; July is then total − August: both hidden
    assert all(math.isnan(y) for y in vy.per_manad_figur.data[1].y)


def test_kanslighet_over_opi(hand):
    u, k, scenarier = hand
    linje, vald = vy_for(u, k, scenarier).kanslighet_figur.data[:2]
    assert list(linje.x) == [x / 2 for x in range(17)]  # 0,0 … 8,0; 3,0 is one of them
    # OPI 0: unchanged rates → today's cost; OPI 3,0: 88 664 (the scenario, marked)
    assert linje.y[0] == 86022.0 and (vald.x[0], vald.y[0]) == (3.0, 88664.0)
    assert list(linje.y) == sorted(linje.y)


def test_kanslighet_over_the_rate_when_no_model_uses_opi(hand):
    u, k, _ = hand
    scn = sim.Scenario("Belopp", 2025, {"hemtjanst": sim.RateModel("egen_summa", belopp_kr=D(500)),
                                        "kommunal_primarvard": sim.RateModel("egen_summa", belopp_kr=D(850))})
    linje = vy_for(u, k, [scn]).kanslighet_figur.data[0]
    # 85 … 115 % of 500 kr in steps of 5 %
    assert list(linje.x) == [425.0, 450.0, 475.0, 500.0, 525.0, 550.0, 575.0]


def test_break_even(hand):
    u, k, scenarier = hand
    vy = vy_for(u, k, scenarier)
    assert vy.fordjupning[1] == "Break-even för utförd tid"
    be = vy.break_even("hemtjanst", D(380))
    # 380 / 468 = 0,81197 → at least 81,2 % (rounded up), at most 18,8 % kringtid;
    # privat gets 468 × 1,06 = 496,08: 380 / 496,08 = 0,76600… → 76,7 %
    assert "minst 81,2 %" in be.svar[0] and "högst 18,8 %" in be.svar[0] and "minst 76,7 %" in be.svar[1]
    kommun = be.figur.data[0]
    # 50 … 120 % of the rate in steps of 5 %: 15 costs; 100 % of the rate needs all time delivered
    assert len(kommun.x) == 15 and dict(zip(kommun.x, kommun.y))[468.0] == 100.0
    utan = vy.break_even("hemtjanst", None)
    assert utan.svar == () and utan.upplysning.startswith("Bara utförd tid ersätts")


def test_efterreglering_as_2023(hand):
    u, k, scenarier = hand
    vy = vy_for(u, k, scenarier)
    # hemtjänst 454 × 1,035 = 469,89 → 470; × 1,046 = 474,884 → 475: +5 kr;
    # primärvård 828 × 1,035 = 856,98 → 857; × 1,046 = 866,088 → 866: +9 kr
    # 100 × 5 + 50 × 5 × 1,06 + 20 × 9 = 500 + 265 + 180 = 945
    assert len(vy.efterreglering_rader) == 3 and vy.efterreglering_rader[-1] == "Efterbetalning totalt: 945 kr."
    assert vy.efterreglering_intro.endswith("Om OPI 2025 ändras lika mycket efter beslutet, kostar "
                                            "efterregleringen med underlagets volym och dagens nivåer:")


def test_basbyte_tabell(hand):
    u, k, scenarier = hand
    tab = vy_for(u, k, scenarier).basbyte.frame
    # hemtjänst beviljad: 110 × 454 + 60 × 454 × 1,06 = 49 940 + 28 874,40 = 78 814,40; utförd 69 462 → +9 352
    assert tab.iloc[0].tolist() == ["Hemtjänst", "170", "150", "88,2", "69\xa0462", "78\xa0814", "+9\xa0352", "+13,5"]
    assert tab.iloc[-1]["Insats"] == "Totalt"


def test_ekonomiska_konsekvenser_docx_names_rate_change_and_sources(hand):
    from docx import Document

    u, k, scenarier = hand
    vy = vy_for(u, k, scenarier)
    text = "\n".join(p.text for p in Document(io.BytesIO(vy.docx())).paragraphs).replace("\xa0", " ")
    assert "468 kronor per timme 2025 (454 kr + OPI 3,0 %)" in text
    assert "ökar kostnaden med 2 642 kr (3,1 %) till 88 664 kr" in text
    # issue 11 point 6: the arrears sentence is conditional, it rests on today's volume and rates
    assert "Om OPI 2025 skulle ändras lika mycket efter beslutet, skulle det med underlagets volym och dagens " \
        "nivåer motsvara en efterbetalning på 945 kr." in text
    assert "OPI 2025: inte publicerat i referensdata" in text
    assert "I jämförelsescenariot ”VästKoms senaste + OPI (antagande)”" in text
    assert vy.text.startswith("#### Ekonomiska konsekvenser") and "**Källor och beslutsunderlag**" in vy.text
    with pd.ExcelFile(io.BytesIO(vy.xlsx())) as xl:
        assert xl.sheet_names[:3] == ["Text", "Ersättningsnivåer", "Per insats"]


def test_the_chosen_scenario_names_the_files(hand):
    u, k, scenarier = hand
    vy = vy_for(u, k, scenarier, visa=1)
    assert vy.vald == 1 and vy.docx_namn == "ekonomiska_konsekvenser_2025_vastkoms_senaste_opi_antagande.docx"
    assert vy.xlsx_namn.endswith("vastkoms_senaste_opi_antagande.xlsx")


def test_tables_keep_the_documents_strings(hand):
    u, k, scenarier = hand
    tb = next(t for t in vy_for(u, k, scenarier).kostnadstabeller if t.namn == "Per insats")
    assert tb.frame.set_index("Insats").loc["Totalt", "Kostnad 2025 (kr)"] == "88\xa0664"  # as the Word file writes it
    assert [t.namn for t in vy_for(u, k, scenarier).kostnadstabeller][0] == "Ersättningsnivåer"


def test_a_stopped_scenario_shows_why_and_the_next_is_detailed(hand):
    u, k, scenarier = hand
    vy = vy_for(u, k, scenarier, sparrar=["inte bekräftat", None])
    assert vy.fel[0] == "inte bekräftat" and vy.giltiga == (1,) and vy.vald == 1
    inget = vy_for(u, k, scenarier[:1], sparrar=["inte bekräftat"])
    assert inget.vald is None and inget.kort == ()


def test_default_opi_is_labelled_as_the_products_assumption(hand):
    # issue 11 point 6: OPI 2025 is not published; the default 2,7 % is the mean of published OPI 2019–2023,
    # a choice the product made. The text and its sources say exactly that, never "angivet av användaren".
    from docx import Document

    u, k, _ = hand
    vy = vy_for(u, k, [sc.standardscenarier(k)[0]])
    text = "\n".join(p.text for p in Document(io.BytesIO(vy.docx())).paragraphs).replace("\xa0", " ")
    assert ("OPI 2025: inte publicerat i referensdata; antagande valt av produkten: genomsnittet av publicerat "
            "OPI 2019–2023") in text
    assert "OPI 2025 (2,7 %) är ett antagande (antagande valt av produkten" in text
    assert "angivet av användaren" not in text


def test_kpv_text_says_opi_stands_in_for_vastkoms_recommendation(hand):
    # issue 11 point 6, seed 000: the KPV rate follows VästKom's yearly recommendation; 2025's is not in the
    # reference data, so the default model (828 kr + OPI) says OPI stands in for it
    u, k, _ = hand
    vy = vy_for(u, k, [sc.standardscenarier(k)[0]])
    antaganden = " ".join(vy.nivaforklaringar[1].antaganden)
    assert "Kommunal primärvård följer VästKoms årliga rekommendation. Rekommendationen för 2025 är inte " \
           "publicerad; uppräkning med OPI står i dess ställe" in antaganden


def test_the_forecast_tells_its_level_unless_the_insats_is_hidden(hand):
    _, k, scenarier = hand
    extra = dict(prognos_text="jämfört med 2023{nivaer}. Säsongsprognos", prognosnivaer={"hemtjanst": 1.5})
    assert vy_for(hand_underlag(**extra), k, scenarier).prognos == \
        "jämfört med 2023 (utförd tid: hemtjänst 1,50). Säsongsprognos"
    u = hand_underlag()
    dold = hand_underlag(personer={**u.personer, "insats": {"hemtjanst": 20, "kommunal_primarvard": 2}}, **extra)
    assert vy_for(dold, k, scenarier).prognos == "jämfört med 2023. Säsongsprognos"
