"""The charts everyone can read (issue 15): contrast by WCAG's formula, a Swedish mode bar with one
button, hidden values drawn explicitly, and a text alternative computed from the chart's own points."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from beslutsstod.diagram import analys, grund, kartlaggning, manadsuppfoljning, simulator
from beslutsstod.vyer import oversikt
from beslutsstod.vyer.urval import Filter, Sammanhang

TEXT_MIN, GRAFIK_MIN = 4.5, 3.0  # WCAG 2.1 1.4.3 and 1.4.11


def test_contrast_formula_matches_wcag_reference_values():
    assert grund.kontrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert grund.kontrast("#767676") == pytest.approx(4.54, abs=0.01)  # the well-known AA grey
    assert grund.kontrast("#a9c4d8") == pytest.approx(1.81, abs=0.01)  # the old light bars (issue 15)
    assert grund.kontrast("#808495") == pytest.approx(3.72, abs=0.01)  # the old axis text


def test_chart_text_reaches_4_5_to_1():
    assert grund.kontrast(grund.TEXTFARG) >= TEXT_MIN
    assert grund.kontrast(simulator.MARKERING) >= TEXT_MIN
    assert grund.kontrast(manadsuppfoljning.FARG_TEXT) >= TEXT_MIN
    # the heatmap writes every value in dark text on its darkest cell
    for skala in (analys.SKALA_RUTOR, analys.SKALA_NETTO_RUTOR):
        assert min(grund.kontrast(analys.RUTTEXT, farg) for _, farg in skala) >= TEXT_MIN
    assert grund.kontrast("#ffffff", analys.GRA_DOLD) >= TEXT_MIN  # `..` in white on the hidden grey


GRAFIK = {
    "år": grund.FARG_AR, "året före": grund.FARG_FOREG_AR, "dolt": grund.FARG_DOLT, "saknas": grund.FARG_SAKNAS,
    "rangordning": analys.FARG, "markerad": analys.FARG_MARKERAD, "dolt på kartan": analys.GRA_DOLD,
    "budget": manadsuppfoljning.FARG_BUDGET, "nuvarande nivå": simulator.FARG_NU, "scenariots värde": simulator.FARG_VALD,
    **{f"serie {i}": f for i, f in enumerate(analys.SERIEFARGER)},
    **{f"scenario {i}": f for i, f in enumerate(simulator.SCENARIOFARGER)},
    **{f"insats {k}": f for k, f in kartlaggning.FARG_INSATS.items()},
    **{f"kartskala {i}": f for i, (_, f) in enumerate(analys.SKALA)},
}


@pytest.mark.parametrize("namn", list(GRAFIK))
def test_bars_lines_and_markers_reach_3_to_1_on_white(namn):
    assert grund.kontrast(GRAFIK[namn]) >= GRAFIK_MIN, f"{namn}: {GRAFIK[namn]} {grund.kontrast(GRAFIK[namn]):.2f}:1"


def test_hidden_grey_stands_apart_from_no_visits():
    assert grund.kontrast(analys.GRA_DOLD, analys.GRA_UTAN_DATA) >= GRAFIK_MIN  # was 1,49:1


def test_mode_bar_is_swedish_with_one_button_and_no_logo():
    c = grund.PLOTLY_CONFIG
    assert c["locale"] == "sv" and c["displaylogo"] is False
    assert c["modeBarButtons"] == [["toImage"]]  # one tab stop instead of eight
    ordlista = c["locales"]["sv"]["dictionary"]
    # the exact key plotly.js 3 (Streamlit 1.67's bundle) looks up for the PNG button
    assert ordlista["Download plot as a PNG"] == "Ladda ned diagrammet som PNG"
    assert c["locales"]["sv"]["format"]["shortMonths"][4] == "maj"


def _kostnad_per_manad():
    rader = pd.DataFrame({"ar": [2024] * 3 + [2025] * 3, "manad": [1, 2, 3] * 2,
                          "kostnad_kr": [100.0, 200.0, 300.0, 150.0, 50.0, 400.0]})
    return rader, {(2025, 2)}, {(2024, 3)}


def test_overview_month_chart_draws_hidden_and_missing_with_legend_entries():
    rader, dolda, saknas = _kostnad_per_manad()
    fig = grund.kostnad_per_manad(rader, 2025, dolda, saknas)
    namn = {t.name: t for t in fig.data}
    assert list(namn["dolt (..)"].x) == ["feb"] and namn["dolt (..)"].offsetgroup == "2025"
    assert namn["dolt (..)"].marker.pattern.shape == "x" and namn["dolt (..)"].showlegend
    assert list(namn["saknas (–)"].x) == ["mar"] and namn["saknas (–)"].offsetgroup == "2024"
    assert namn["2024"].marker.pattern.shape == "."  # the year before: dotted, not only lighter
    assert fig.layout.separators == ", " and fig.layout.xaxis.color == grund.TEXTFARG
    assert fig.layout.yaxis.tickfont.color == grund.TEXTFARG


def test_summary_names_largest_smallest_hidden_and_missing():
    rader, dolda, saknas = _kostnad_per_manad()
    p = grund.kostnad_per_manad_punkter(rader, 2025, dolda, saknas)
    t = grund.beskriv("Stapeldiagram: kostnad per månad, 2024 och 2025", p, namnform="{kategori} {serie}")
    assert t.sammanfattning == (
        "Stapeldiagram: kostnad per månad, 2024 och 2025. Högst: mar 2025, 400 kr. Lägst: jan 2024, 100 kr. "
        "1 av 6 värden är dolda (..) för att skydda små tal: feb 2025. Saknar data (–): mar 2024.")
    assert t.siffror.to_dict("list") == {"Månad": ["jan", "feb", "mar"], "2024": ["100 kr", "200 kr", "–"],
                                          "2025": ["150 kr", "..", "400 kr"]}


def test_summary_of_a_chart_with_everything_hidden_says_so():
    p = grund.punkter([("jan", "", math.nan, grund.DOLT), ("feb", "", math.nan, grund.DOLT)])
    t = grund.beskriv("Stapeldiagram: x", p)
    assert "inga visade värden" in t.sammanfattning and "2 av 2 värden är dolda" in t.sammanfattning
    assert t.siffror.to_dict("list") == {"Månad": ["jan", "feb"], "Värde": ["..", ".."]}


def test_long_lists_are_counted_not_listed():
    p = grund.punkter([(f"k{i}", "", math.nan, grund.SAKNAS) for i in range(10)]
                      + [("k10", "", 5.0, grund.VISAS)])
    assert "10 av 11 värden: saknar data (–)." in grund.beskriv("t", p).sammanfattning


def test_ranking_summary_and_table_keep_the_charts_order_and_masking():
    df = pd.DataFrame({"Utförare": ["A", "B", "C"], "Kostnad (kr)": [300.0, np.nan, 100.0]})
    p = analys.rangordning_punkter(df, "Utförare", "Kostnad (kr)")
    t = grund.beskriv("Liggande stapeldiagram", p, kategori="Utförare")
    assert t.siffror["Utförare"].tolist() == ["A", "C", "B"]
    assert t.siffror["Värde"].tolist() == ["300 kr", "100 kr", ".."]


def test_page_model_gives_the_chart_its_text(fixture_db):
    s = Sammanhang(lambda n, p: fixture_db.query(n, p or {}).to_pandas(), False, 5, "1401")
    vy = oversikt.oversikt(s, Filter(2024, [], [], [], dt.date(2024, 12, 31)), "kostnad")
    assert vy.per_manad is not None and vy.per_manad_text is not None
    text = vy.per_manad_text
    assert text.sammanfattning.startswith("Stapeldiagram: kostnad per månad, 2023 och 2024.")
    # the table holds every bar of the chart: each year's shown months with their amounts
    visade = {(str(t.name), x) for t in vy.per_manad.data if t.type == "bar" and t.name in ("2023", "2024")
              for x, y in zip(t.x, t.y) if y is not None and not math.isnan(y)}
    i_tabell = {(ar, m) for ar in ("2023", "2024") for m, v in zip(text.siffror["Månad"], text.siffror[ar])
                if v not in ("..", "–")}
    assert visade == i_tabell
