"""Figures for Månadsuppföljning. They return Plotly figures and never call Streamlit."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from beslutsstod import talformat as fmt
from beslutsstod.diagram import grund
from beslutsstod.diagram.grund import DOLT, FARG_AR, FARG_FOREG_AR, SAKNAS, VISAS
from beslutsstod.regler import prognos

KR_PER_TKR = 1000
FARG_BUDGET = "#b35c00"  # dark orange: reads apart from the blues for outcome and forecast
FARG_TEXT = grund.TEXTFARG


def _tkr(x: float) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else x / KR_PER_TKR


def utfall_budget_prognos_punkter(serie: pd.DataFrame, ar: int, manad: int, metod: str,
                                  dolda: set[int] = frozenset(), visa_prognos: bool = True) -> pd.DataFrame:
    """The points of `utfall_budget_prognos` (tkr): the outcome up to `manad`, the forecast after it, the budget."""
    serie = serie.set_index("manad")
    rad = []
    for m in prognos.MONTHS:
        x = fmt.MANADER[m - 1]
        saknas = bool(serie.at[m, "saknar_data"])
        if m <= manad:
            status = DOLT if m in dolda and not saknas else SAKNAS if saknas else VISAS
            rad.append((x, f"Utfall {ar}", _tkr(serie.at[m, "utfall_kr"]) if status == VISAS else math.nan, status))
        if visa_prognos and (m > manad or saknas):
            rad.append((x, f"Prognos ({prognos.METHOD_NAME[metod].lower()})", _tkr(serie.at[m, "prognos_kr"]), VISAS))
        budget = _tkr(serie.at[m, "budget_kr"])
        if budget is not None:
            rad.append((x, "Budget", budget, VISAS))
    return grund.punkter(rad)


def utfall_budget_prognos(serie: pd.DataFrame, ar: int, manad: int, metod: str,
                          dolda: set[int] = frozenset(), visa_prognos: bool = True) -> go.Figure:
    """Bars of the outcome per month up to `manad`, hatched bars of the forecast for the months
    after it (and for a month without data, which the forecast estimates), the budget as a line.

    `serie` is prognos.monthly_series(...). A month without data is labelled `saknas` and a month
    hidden by small-number protection (`dolda`) a hatched "dolt (..)" bar, so neither reads as zero. Without
    `visa_prognos` (the table hides the forecast) the forecast bars are left out. Amounts in tkr.
    """
    serie = serie.set_index("manad")
    x = list(fmt.MANADER)
    saknas = {m for m in prognos.MONTHS if bool(serie.at[m, "saknar_data"])}
    utfall = [None if m > manad or m in saknas or m in dolda else _tkr(serie.at[m, "utfall_kr"]) for m in prognos.MONTHS]
    prognosvarden = [_tkr(serie.at[m, "prognos_kr"]) if (m > manad or m in saknas) else None for m in prognos.MONTHS]
    budget = [_tkr(serie.at[m, "budget_kr"]) for m in prognos.MONTHS]

    fig = go.Figure()
    fig.add_bar(name=f"Utfall {ar}", x=x, y=utfall, marker_color=FARG_AR, offsetgroup="a",
                hovertemplate="%{x}: utfall %{y:,.1f} tkr<extra></extra>")
    if visa_prognos:
        fig.add_bar(name=f"Prognos ({prognos.METHOD_NAME[metod].lower()})", x=x, y=prognosvarden, offsetgroup="a",
                    marker=dict(color=FARG_FOREG_AR, pattern=dict(shape="/", fgcolor=FARG_AR, size=6)),
                    hovertemplate="%{x}: prognos %{y:,.1f} tkr<extra></extra>")
    if any(b is not None for b in budget):
        spread = [bool(serie.at[m, "fordelad_budget"]) for m in prognos.MONTHS]
        name = "Budget" + (" (årsbudget fördelad per månad)" if any(spread) else "")
        fig.add_scatter(name=name, x=x, y=budget, mode="lines+markers",
                        line=dict(color=FARG_BUDGET, width=2.5), marker=dict(size=8, symbol="diamond"),
                        hovertemplate="%{x}: budget %{y:,.1f} tkr<extra></extra>")
    visade = [v for v in utfall + prognosvarden + budget if v is not None]
    grund.dolda_staplar(fig, [x[m - 1] for m in sorted(dolda - saknas) if m <= manad], grund._topp(visade),
                        offsetgroup="a")
    grund.saknade_punkter(fig, [x[m - 1] for m in sorted(saknas) if m <= manad], offsetgroup="a")
    return grund.avsluta(fig, f"Utfall, prognos och budget per månad {ar}", barmode="overlay", bargap=0.25,
                         scattermode="group",
                         yaxis=dict(title="tkr", tickformat=",.0f", rangemode="tozero"),
                         xaxis=dict(title=None, categoryorder="array", categoryarray=x))
