"""AppTest of "Vad händer om?" on the demo data (data to 2026-10-31): inputs drive the figures,
and a scenario in the URL is restored."""

import json
import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
SIDA = "sidor/simulator.py"


def open_simulator(**query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page(SIDA)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def metrics(at) -> dict[str, tuple[str, str]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def test_moving_the_opi_changes_the_new_rate_and_the_cost_change(demo_env):
    at = open_simulator()
    assert not at.exception, at.exception
    fore = metrics(at)
    # The default: the own rate of 2026 (454 kr, demo data) + an assumed OPI 2027 of 2,7 %
    # (mean of published OPI 2019–2023): 454 × 1,027 = 466,258 → 466 kr.
    assert fore["Hemtjänst 2027"] == ("466 kr/tim", "+12 kr (+2,6 %) mot 2026")
    at.text_input(key="simulator_s1_opi_2027").input("4,0").run()
    efter = metrics(at)
    # 454 × 1,04 = 472,16 → 472 kr; 828 × 1,04 = 861,12 → 861 kr
    assert efter["Hemtjänst 2027"] == ("472 kr/tim", "+18 kr (+4,0 %) mot 2026")
    assert efter["Kommunal primärvård 2027"][0] == "861 kr/tim"
    assert efter["Kostnad 2027"][1] != fore["Kostnad 2027"][1]
    assert efter["Kostnad 2027"][1].endswith("(+4,0 %)")
    # the scenario in the URL follows the input
    url = at.query_params["simulator_s1"]
    assert json.loads(url if isinstance(url, str) else url[0])["opi_antaganden"] == {"2027": "4"}
    # and the generated text names the new rate
    # (the page's Markdown escapes every text: "\(454 kr \+ OPI …", shown as written)
    assert any("472 kronor per timme 2027 (454 kr + OPI 4,0 %)" in re.sub(r"\\(.)", r"\1", m.value)
               for m in at.markdown)


def test_a_scenario_from_the_url_is_restored(demo_env):
    delat = {"namn": "Delat förslag", "malar": 2027, "grund": "beviljad", "opi_antaganden": {"2027": "5"},
             "modeller": {"hemtjanst": {"modell": "egen"},
                          "kommunal_primarvard": {"modell": "egen_summa", "belopp_kr": "900"}}}
    at = open_simulator(simulator_s1=json.dumps(delat))
    assert not at.exception, at.exception
    assert at.text_input(key="simulator_s1_namn").value == "Delat förslag"
    assert at.text_input(key="simulator_s1_opi_2027").value == "5"
    assert at.selectbox(key="simulator_s1_modell_kommunal_primarvard").value == "egen_summa"
    assert at.text_input(key="simulator_s1_belopp_kommunal_primarvard").value == "900"
    assert at.radio(key="simulator_s1_grund").value == "beviljad"
    m = metrics(at)
    # 454 × 1,05 = 476,7 → 477 kr; primärvård the own amount 900 kr
    assert m["Hemtjänst 2027"][0] == "477 kr/tim"
    assert m["Kommunal primärvård 2027"][0] == "900 kr/tim"
    # the restored scenario is not overwritten by the defaults on the next run
    at.run()
    assert at.text_input(key="simulator_s1_opi_2027").value == "5"



def test_an_implausible_opi_is_not_used_until_confirmed(demo_env):
    # issue 11 point 3: OPI outside −5…15 % gets a Swedish warning; the scenario waits for a confirmation
    at = open_simulator()
    at.text_input(key="simulator_s1_opi_2027").input("35").run()
    assert not at.exception, at.exception
    assert any("35 % ligger utanför det rimliga intervallet -5 … 15 %" in w.value for w in at.warning)
    # (the scenario name is escaped Markdown: "Egen nivå \+ OPI")
    assert any("Egen nivå + OPI: ett värde i scenariot" in re.sub(r"\\(.)", r"\1", e.value) for e in at.error)
    # the KPIs show the next scenario, not one at 35 %
    assert metrics(at)["Hemtjänst 2027"][0] != "613 kr/tim"  # 454 × 1,35 = 612,9 → 613 would be the tenfold error
    at.checkbox(key="simulator_s1_opi_2027_bekraftat_35").check().run()
    # confirmed: 454 × 1,35 = 612,9 → 613 kr
    assert metrics(at)["Hemtjänst 2027"][0] == "613 kr/tim"


def _i_ordning(nod):
    """The page's elements in the order they are shown (depth first)."""
    yield nod
    for barn in getattr(nod, "children", {}).values():
        yield from _i_ordning(barn)


def test_the_answer_leads_and_the_inputs_follow_in_an_expander(demo_env):
    # issue 15: the new level, the cost change and the text's lead come first; the inputs after, to open
    at = open_simulator()
    assert not at.exception, at.exception
    indata = next(e for e in at.expander if e.label.startswith("Ändra förutsättningar och scenarier"))
    assert indata.proto.expanded is False  # closed until the user opens it
    assert indata.text_input(key="simulator_s1_opi_2027").value == "2,7"
    assert indata.radio(key="simulator_volymbas") is not None and not indata.metric
    ordning = list(_i_ordning(at.main))
    forsta_kort = next(i for i, n in enumerate(ordning) if getattr(n, "type", None) == "metric")
    sammanfattning = next(i for i, n in enumerate(ordning)
                          if getattr(n, "type", None) == "markdown" and "466 kronor per timme 2027" in n.value)
    assert forsta_kort < sammanfattning < ordning.index(indata)
    # the whole section, with its downloads, stays last
    assert ordning.index(indata) < next(i for i, n in enumerate(ordning) if getattr(n, "type", None) == "markdown"
                                         and "Källor och beslutsunderlag" in n.value)
