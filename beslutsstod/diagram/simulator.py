"""Plotly figures for "Vad händer om?". They return figures and never call Streamlit.

Hidden values (small-number protection) arrive as NaN and are drawn as gaps marked `..`.
Colours follow charts_analys: calm blues and greys, today's level in grey, no red–green.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from beslutsstod import talformat as fmt
from beslutsstod.diagram import grund
from beslutsstod.diagram.analys import SERIEFARGER
from beslutsstod.diagram.grund import DOLT, VISAS

FARG_NU = "#7a8a96"  # today's level: grey (3,6:1 on white), the reference every scenario is measured against
FARG_VALD = "#0b3552"  # the scenario's own value in the sensitivity and break-even charts
SCENARIOFARGER = ["#1f5f8b", "#b35c00", "#5b6770"]
MARKERING = grund.TEXTFARG


def _layout(fig: go.Figure, titel: str, **extra) -> go.Figure:
    """Layout, and every user-supplied string made literal (always the builder's last step)."""
    return grund.avsluta(fig, titel, **extra)


def jamforelse_punkter(rader: pd.DataFrame) -> pd.DataFrame:
    """The points of `jamforelse`: each scenario's cost per insats (NaN = hidden)."""
    return grund.punkter((str(r["serie"]), str(r["insats"]), r["kostnad_kr"],
                          DOLT if pd.isna(r["kostnad_kr"]) else VISAS) for _, r in rader.iterrows())


def per_manad_punkter(rader: pd.DataFrame, volymar: int, malar: int) -> pd.DataFrame:
    """The points of `per_manad`: each month at today's level and at the scenario's (NaN = hidden)."""
    return grund.punkter((fmt.manad_namn(int(r["manad"])), namn, r[kol], DOLT if pd.isna(r[kol]) else VISAS)
                         for _, r in rader.iterrows()
                         for kol, namn in (("kostnad_nu_kr", f"Med {volymar} års nivå"),
                                           ("kostnad_ny_kr", f"Med {malar} års nivå")))


def kanslighet_punkter(rader: pd.DataFrame, xtitel: str) -> pd.DataFrame:
    """The points of `kanslighet`: the annual cost at each value of OPI or the rate."""
    namn, enhet = xtitel.split(" (")[0], " %" if "(%)" in xtitel else " kr"
    return grund.punkter((f"{namn} {fmt.fmt_tal(r['varde'], 1 if enhet == ' %' else 0)}{enhet}", "",
                          r["kostnad_ny_kr"], VISAS) for _, r in rader.iterrows())


def break_even_punkter(rader: pd.DataFrame) -> pd.DataFrame:
    """The points of `break_even`: the required share per cost per worked hour and payee type."""
    return grund.punkter((f"{fmt.fmt_kr(r['kostnad_per_arbetad_timme_kr'])} per arbetad timme", str(r["mottagare"]),
                          r["andel_procent"], VISAS) for _, r in rader.iterrows())


def jamforelse(rader: pd.DataFrame, malar: int) -> go.Figure:
    """Stacked bars per scenario (today's level first): annual cost per insats.

    rader: serie, insats, kostnad_kr (NaN = hidden, marked `..`).
    """
    fig = go.Figure()
    serier = list(dict.fromkeys(rader["serie"]))
    for i, (insats, grupp) in enumerate(rader.groupby("insats", sort=False)):
        grupp = grupp.set_index("serie").reindex(serier)
        fig.add_bar(name=str(insats), x=serier, y=grupp["kostnad_kr"], offsetgroup="varden",
                    marker=dict(color=SERIEFARGER[i % len(SERIEFARGER)], line=dict(color=grund.BAKGRUND, width=1)),
                    hovertemplate="%{x}<br>" + str(insats) + ": %{y:,.0f} kr<extra></extra>")
    dolda = sorted({s for s, v in zip(rader["serie"], rader["kostnad_kr"]) if pd.isna(v)}, key=serier.index)
    summor = rader.groupby("serie", sort=False)["kostnad_kr"].sum(min_count=1)
    grund.dolda_staplar(fig, dolda, grund._topp(summor), offsetgroup="dolt")
    # a total is written only above a bar with no hidden part (a partial sum would read as the total)
    summa = rader.groupby("serie", sort=False)["kostnad_kr"].sum(min_count=1).reindex(serier)
    summa[summa.index.isin(dolda)] = math.nan
    fig.add_scatter(x=serier, y=summa, mode="text", showlegend=False, hoverinfo="skip", textposition="top center",
                    text=["" if pd.isna(v) else fmt.fmt_kr(v) for v in summa], textfont=dict(color=MARKERING))
    return _layout(fig, f"Årskostnad {malar} per scenario", barmode="stack",
                   yaxis=dict(title="kr", tickformat=",.0f", rangemode="tozero"), xaxis=dict(title=None))


def per_manad(rader: pd.DataFrame, volymar: int, malar: int) -> go.Figure:
    """Grouped bars per month: cost at today's level and at the scenario's; hidden months `..`."""
    fig = go.Figure()
    x = [fmt.manad_namn(int(m)) for m in rader["manad"]]
    serier = (("kostnad_nu_kr", f"Med {volymar} års nivå", FARG_NU),
              ("kostnad_ny_kr", f"Med {malar} års nivå", SCENARIOFARGER[0]))
    for kol, namn, farg in serier:
        fig.add_bar(name=namn, x=x, y=rader[kol], marker_color=farg, offsetgroup=kol,
                    hovertemplate="%{x}: %{y:,.0f} kr<extra>" + namn + "</extra>")
    topp = grund._topp(list(rader["kostnad_nu_kr"]) + list(rader["kostnad_ny_kr"]))
    for kol, _, _ in serier:  # a hatched bar in each series' place
        grund.dolda_staplar(fig, [xx for xx, v in zip(x, rader[kol]) if pd.isna(v)], topp, offsetgroup=kol)
    return _layout(fig, "Kostnad per månad", barmode="group", yaxis=dict(title="kr", tickformat=",.0f"),
                   xaxis=dict(title=None, categoryorder="array", categoryarray=list(fmt.MANADER)))


def kanslighet(rader: pd.DataFrame, titel: str, xtitel: str, vald: float | None,
               kostnad_nu_kr: float | None) -> go.Figure:
    """Annual cost as a line over OPI (or the rate), today's cost dashed, the scenario's value marked."""
    fig = go.Figure()
    fig.add_scatter(x=rader["varde"], y=rader["kostnad_ny_kr"], mode="lines+markers", name="Kostnad med ny nivå",
                    marker=dict(symbol="circle", size=7),
                    line=dict(color=SCENARIOFARGER[0]),
                    hovertemplate=xtitel + " %{x:.1f}: %{y:,.0f} kr<extra></extra>")
    if kostnad_nu_kr is not None:
        fig.add_hline(y=kostnad_nu_kr, line_dash="dash", line_color=FARG_NU,
                      annotation_text="Kostnad med nuvarande nivå", annotation_position="top left")
    if vald is not None:
        rad = rader.loc[(rader["varde"] - vald).abs().idxmin()]
        fig.add_scatter(x=[rad["varde"]], y=[rad["kostnad_ny_kr"]], mode="markers+text", name="Scenariots värde",
                        marker=dict(color=FARG_VALD, size=13, symbol="diamond"), text=[fmt.fmt_kr(rad["kostnad_ny_kr"])],
                        textposition="top left", hoverinfo="skip")
    return _layout(fig, titel, yaxis=dict(title="kr", tickformat=",.0f"), xaxis=dict(title=xtitel))


def break_even(rader: pd.DataFrame, kostnad: float | None) -> go.Figure:
    """Required share of delivered time over the cost per worked hour, one line per payee type."""
    fig = go.Figure()
    for i, (namn, grupp) in enumerate(rader.groupby("mottagare", sort=False)):
        fig.add_scatter(x=grupp["kostnad_per_arbetad_timme_kr"], y=grupp["andel_procent"], mode="lines",
                        name=str(namn), line=dict(color=SCENARIOFARGER[i % len(SCENARIOFARGER)],
                                                  dash=("solid", "dash", "dot")[i % 3]),
                        hovertemplate="%{x:,.0f} kr per arbetad timme: minst %{y:.1f} %<extra></extra>")
    fig.add_hline(y=100, line_dash="dot", line_color=FARG_NU, annotation_text="all arbetad tid är utförd tid",
                  annotation_position="bottom right")
    if kostnad is not None:
        fig.add_vline(x=kostnad, line_dash="dash", line_color=FARG_VALD, annotation_text="angiven kostnad")
    return _layout(fig, "Andel utförd tid som krävs för att ersättningen ska täcka kostnaden",
                   yaxis=dict(title="utförd tid, % av arbetad tid", ticksuffix=" %"),
                   xaxis=dict(title="kostnad per arbetad timme (kr)", tickformat=",.0f"))
