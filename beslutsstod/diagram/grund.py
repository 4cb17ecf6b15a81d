"""Plotly figure builders. They return figures and never call Streamlit."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from beslutsstod import begrepp, saker_text
from beslutsstod import talformat as fmt

# Calm, colour-blind-safe pair for "this year" and "the year before"; neither implies good/bad.
FARG_AR = "#1f5f8b"
FARG_FOREG_AR = "#a9c4d8"
LAYOUT = dict(separators=", ", font=dict(family="Source Sans Pro, sans-serif", size=14),
              margin=dict(l=10, r=10, t=60, b=10), legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1.0))


def kostnad_per_manad(rader: pd.DataFrame, ar: int, dolda: set[tuple[int, int]] = frozenset(),
                      saknar_data: set[tuple[int, int]] = frozenset(), belopp: str = "Kostnad") -> go.Figure:
    """Grouped bars: cost (or revenue: ``belopp`` "Intäkt") per month for `ar` and the year before.

    A hidden month (small numbers) is marked `..` and a month without time registrations
    `saknas` on its axis position, so neither reads as zero.
    """
    fig = go.Figure()
    for year, colour in ((ar - 1, FARG_FOREG_AR), (ar, FARG_AR)):
        per_manad = rader.loc[rader["ar"] == year].set_index("manad")["kostnad_kr"]
        values = [None if (year, m) in dolda else per_manad.get(m) for m in range(1, 13)]
        fig.add_bar(name=str(year), x=list(fmt.MANADER), y=values, marker_color=colour, offsetgroup=str(year),
                    hovertemplate="%{x} " + str(year) + ": %{y:,.0f} kr<extra></extra>")
        for markering, manader in ((begrepp.MASK, dolda), ("saknas", saknar_data)):
            x = [fmt.MANADER[m - 1] for (y, m) in sorted(manader) if y == year]
            if x:
                fig.add_scatter(x=x, y=[0] * len(x), mode="text", text=[markering] * len(x), offsetgroup=str(year),
                                textposition="top center", showlegend=False, hoverinfo="skip",
                                textfont=dict(color="#5d6d7e"))
    fig.update_layout(**LAYOUT, barmode="group", title=f"{belopp} per månad, {ar - 1} och {ar}",
                      yaxis=dict(title="kr", tickformat=",.0f"), xaxis=dict(title=None))
    return saker_text.sakra_figur(fig)
