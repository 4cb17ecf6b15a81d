"""Plotly figures for Kartläggning. They return figures and never call Streamlit."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from beslutsstod import begrepp
from beslutsstod.diagram import grund

# One calm colour per insats (each ≥ 3:1 on white), and its own marker and dash: the same in every year.
FARG_INSATS = {"hemtjanst": "#1f5f8b", "kommunal_primarvard": "#b35c00"}
STIL_INSATS = {"hemtjanst": ("circle", "solid"), "kommunal_primarvard": ("square", "dash")}


def ersattningsniva_punkter(nivaer: pd.DataFrame) -> pd.DataFrame:
    """The points of `ersattningsniva_over_tid`: each insats' rate from each decision's first day."""
    generella = nivaer.loc[nivaer["regi"].isna()].sort_values(["insats", "giltig_fran"])
    return grund.punkter((f"från {pd.Timestamp(r['giltig_fran']):%Y-%m-%d}",
                          begrepp.INSATS_NAMN.get(r["insats"], r["insats"]), float(r["kr_per_timme"]), grund.VISAS)
                         for _, r in generella.iterrows())


def ersattningsniva_over_tid(nivaer: pd.DataFrame, ar: int) -> go.Figure:
    """Our decided rate (kr/tim, rates for all regi) as steps over time, one line per insats.

    A period's level holds from its giltig_fran to the next period's start. The chosen year is
    shaded.
    """
    fig = go.Figure()
    generella = nivaer.loc[nivaer["regi"].isna()].sort_values("giltig_fran")
    for insats, grupp in generella.groupby("insats", sort=True):
        x = list(pd.to_datetime(grupp["giltig_fran"]))
        y = list(grupp["kr_per_timme"].astype(float))
        # extend the last level to the end of its period (or of the chosen year) so it shows as a step
        slut = grupp["giltig_till"].iloc[-1]
        x.append(pd.Timestamp(slut) if not pd.isna(slut) else max(pd.Timestamp(ar, 12, 31), x[-1]))
        y.append(y[-1])
        namn = begrepp.INSATS_NAMN.get(insats, insats)
        symbol, streck = STIL_INSATS.get(insats, ("diamond", "dot"))
        fig.add_scatter(x=x, y=y, mode="lines+markers", line_shape="hv", name=namn,
                        line=dict(color=FARG_INSATS.get(insats), dash=streck), marker=dict(symbol=symbol, size=8),
                        hovertemplate=f"%{{x|%Y-%m-%d}}: %{{y:,.2f}} {begrepp.KR_TIM}<extra>{namn}</extra>")
    fig.add_vrect(x0=pd.Timestamp(ar, 1, 1), x1=pd.Timestamp(ar, 12, 31), fillcolor="#d9d9d9", opacity=0.35,
                  line_width=0, annotation_text=str(ar), annotation_position="top left",
                  annotation_font_color=grund.TEXTFARG)
    return grund.avsluta(fig, f"Vår {begrepp.ERSATTNINGSNIVA.lower()} (alla utförare)",
                         yaxis=dict(title=begrepp.KR_TIM, tickformat=",.0f", rangemode="tozero"),
                         xaxis=dict(title=None, tickformat="%b %Y"))
