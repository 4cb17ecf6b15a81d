"""Figures of "Vad händer om?": the right series, hidden values drawn as hatched bars named "dolt (..)"."""

import math

import pandas as pd

from beslutsstod.diagram import simulator as charts


def test_jamforelse_stacks_insatser_per_scenario_and_marks_hidden():
    rader = pd.DataFrame([
        ("Nuvarande nivå (2026)", "Hemtjänst", 1000.0), ("Nuvarande nivå (2026)", "Kommunal primärvård", math.nan),
        ("Egen nivå + OPI", "Hemtjänst", 1030.0), ("Egen nivå + OPI", "Kommunal primärvård", math.nan),
    ], columns=["serie", "insats", "kostnad_kr"])
    fig = charts.jamforelse(rader, 2027)
    bars = [t for t in fig.data if t.type == "bar"]
    assert [t.name for t in bars] == ["Hemtjänst", "Kommunal primärvård", "dolt (..)"]
    assert list(bars[0].y) == [1000.0, 1030.0]
    # both scenarios have a hidden part: a hatched bar beside each stack
    assert list(bars[2].x) == ["Nuvarande nivå (2026)", "Egen nivå + OPI"] and bars[2].offsetgroup == "dolt"
    assert bars[2].marker.pattern.shape == "x" and list(bars[2].text) == ["..", ".."]
    texts = [t for t in fig.data if t.type == "scatter"]
    assert list(texts[0].text) == ["", ""]  # no total above a bar with a hidden part

    shown = rader.fillna(5.0)
    texts = [t for t in charts.jamforelse(shown, 2027).data if t.type == "scatter"]
    assert list(texts[-1].text) == ["1\xa0005 kr", "1\xa0035 kr"]  # 1 000 + 5; 1 030 + 5
    assert fig.layout.barmode == "stack" and fig.layout.title.text == "Årskostnad 2027 per scenario"


def test_per_manad_marks_hidden_months():
    rader = pd.DataFrame({"manad": [6, 7, 8], "kostnad_nu_kr": [10.0, math.nan, 12.0],
                          "kostnad_ny_kr": [11.0, math.nan, 13.0]})
    fig = charts.per_manad(rader, 2026, 2027)
    assert [t.name for t in fig.data[:2]] == ["Med 2026 års nivå", "Med 2027 års nivå"]
    dolda = [t for t in fig.data if t.name == "dolt (..)"]
    assert [list(t.x) for t in dolda] == [["jul"], ["jul"]]  # in each series' place
    assert [t.showlegend for t in dolda] == [True, False]  # one legend entry


def test_kanslighet_marks_the_scenarios_value_and_todays_cost():
    rader = pd.DataFrame({"varde": [0.0, 0.5, 1.0], "kostnad_ny_kr": [100.0, 101.0, 102.0]})
    fig = charts.kanslighet(rader, "Kostnad 2027 beroende på OPI 2027", "OPI 2027 (%)", 0.5, 100.0)
    assert list(fig.data[1].x) == [0.5] and list(fig.data[1].y) == [101.0]
    assert fig.layout.shapes[0].y0 == 100.0  # today's cost, dashed


def test_break_even_lines_per_payee():
    rader = pd.DataFrame({"mottagare": ["Kommun", "Kommun", "Privat", "Privat"],
                          "kostnad_per_arbetad_timme_kr": [234.0, 468.0, 234.0, 468.0],
                          "andel_procent": [50.0, 100.0, 47.2, 94.3]})
    fig = charts.break_even(rader, 380.0)
    assert [t.name for t in fig.data] == ["Kommun", "Privat"]
    assert [s.x0 for s in fig.layout.shapes if s.type == "line"][-1] == 380.0
