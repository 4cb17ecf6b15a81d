"""AppTest runs of every page on the demo data: no exception, and the figures follow the filters."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
SIDOR = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "sidor").glob("*.py"))


def start(**query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def test_every_page_is_registered():
    app = (ROOT / "app.py").read_text(encoding="utf-8")
    assert SIDOR and all(f'"{sida}"' in app for sida in SIDOR)


@pytest.mark.parametrize("sida", SIDOR)
def test_page_runs_without_exception(demo_env, sida):
    at = start()
    at.switch_page(sida).run()
    assert not at.exception, at.exception
    assert at.title, "varje sida har en rubrik"


def metrics(at):
    return {m.label: m.value for m in at.metric}


def test_oversikt_kpi_follows_filters(demo_env):
    at = start()
    alla = metrics(at)
    assert alla["Kostnad"].endswith(" kr") and alla["Personer"] != ".."
    at.sidebar.multiselect(key="insats").set_value(["kommunal_primarvard"]).run()
    bara_hsl = metrics(at)
    assert bara_hsl["Kostnad"] != alla["Kostnad"]
    assert at.sidebar.selectbox(key="ar").value == 2026
    at.sidebar.selectbox(key="ar").set_value(2023).run()
    assert metrics(at)["Kostnad"] != bara_hsl["Kostnad"]
    assert "helår 2023 jämfört med helår 2022" in at.caption[0].value


def test_lasare_chooses_only_the_year_and_the_url_cannot_widen_it(lasare_env):
    # The protected view offers the year only: insats, regi and kommun are always "all", so a
    # läsare cannot difference "all kommuner" against "all but one". A crafted URL changes nothing.
    at = start()
    assert [s.key for s in at.sidebar.selectbox] == ["ar"] and not at.sidebar.multiselect
    alla = metrics(at)
    smal = start(insats="Kommunal primärvård", kommun="Åre", regi="Privat (LOV/avtal)")
    assert metrics(smal) == alla
    assert "insats: alla; regi: alla; kommun: alla" in smal.caption[0].value


def test_url_query_params_open_the_same_view(demo_env):
    # bound widgets keep the option label in the URL (readable links): ?ar=2022&insats=Hemtjänst
    at = start(ar="2022", insats="Hemtjänst")
    assert at.sidebar.selectbox(key="ar").value == 2022
    assert at.sidebar.multiselect(key="insats").value == ["hemtjanst"]
    assert "helår 2022" in at.caption[0].value
