"""Tests of beslutsstod.diagram.manadsuppfoljning: what each trace shows, month by month, in tkr."""

import math

import pandas as pd

from beslutsstod.diagram import manadsuppfoljning as diagram_manadsuppfoljning
from beslutsstod.regler import prognos


def serie() -> pd.DataFrame:
    """Outcome 10 tkr a month through April, March without data; budget 12; forecast 10 a month."""
    return pd.DataFrame({
        "manad": list(range(1, 13)),
        "utfall_kr": [10_000, 10_000, math.nan, 10_000] + [math.nan] * 8,
        "budget_kr": [12_000] * 12,
        "prognos_kr": [10_000] * 12,
        "saknar_data": [m == 3 for m in range(1, 13)],
        "fordelad_budget": [True] * 12,
    })


def traces(fig):
    return {t.name: t for t in fig.data if t.name}


def test_outcome_forecast_budget_by_month_with_missing_and_hidden_months():
    fig = diagram_manadsuppfoljning.utfall_budget_prognos(serie(), 2024, 4, prognos.SEASONAL, dolda={2})
    t = traces(fig)
    assert list(t["Utfall 2024"].x) == ["jan", "feb", "mar", "apr", "maj", "jun",
                                        "jul", "aug", "sep", "okt", "nov", "dec"]
    # January and April shown (10 tkr); February hidden (small numbers), March has no data
    assert list(t["Utfall 2024"].y) == [10.0, None, None, 10.0] + [None] * 8
    # the forecast bars: the missing March (estimated) and May–December
    assert list(t["Prognos (säsongsprognos)"].y) == [None, None, 10.0, None] + [10.0] * 8
    budget = t["Budget (årsbudget fördelad per månad)"]
    assert list(budget.y) == [12.0] * 12 and budget.mode == "lines+markers"
    # February hidden: a hatched bar "dolt (..)"; March without data: an open marker "saknas (–)"
    assert list(t["dolt (..)"].x) == ["feb"] and t["dolt (..)"].marker.pattern.shape == "x"
    assert list(t["saknas (–)"].x) == ["mar"] and list(t["saknas (–)"].text) == ["saknas"]
    assert fig.layout.yaxis.title.text == "tkr" and fig.layout.separators == ", "
    assert fig.layout.title.text == "Utfall, prognos och budget per månad 2024"


def test_no_budget_line_without_budget_and_plain_name_for_monthly_budget():
    s = serie().assign(budget_kr=math.nan)
    assert "Budget" not in " ".join(traces(diagram_manadsuppfoljning.utfall_budget_prognos(s, 2024, 4, prognos.STRAIGHT_LINE)))
    s = serie().assign(fordelad_budget=False)
    assert "Budget" in traces(diagram_manadsuppfoljning.utfall_budget_prognos(s, 2024, 12, prognos.STRAIGHT_LINE))
    # through December there is nothing left to forecast but the missing March
    fig = diagram_manadsuppfoljning.utfall_budget_prognos(s, 2024, 12, prognos.STRAIGHT_LINE)
    assert [y for y in traces(fig)["Prognos (rak prognos)"].y if y is not None] == [10.0]


def test_forecast_left_out_when_the_table_hides_it():
    fig = diagram_manadsuppfoljning.utfall_budget_prognos(serie(), 2024, 4, prognos.SEASONAL, dolda={1, 2, 4}, visa_prognos=False)
    assert not [name for name in traces(fig) if name.startswith("Prognos")]
    assert list(traces(fig)["Utfall 2024"].y) == [None] * 12
