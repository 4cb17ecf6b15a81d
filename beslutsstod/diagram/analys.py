"""Plotly figures for the analysis pages (Kostnader över år, Utförare, Vistelsekommuner).

Colour never says good or bad (Kolada and SKR warn against red–green in rankings): rankings
and maps use one blue hue whose depth shows size only; series (insats, regi) use calm blues and
greys; netto, which has a sign, uses a purple–orange scale centred on 0 (neither end is "good").
Hidden cells (small-number protection) arrive as NaN and are drawn as gaps or in grey with `..`.
The map is ``choropleth_map`` with ``map_style="white-bg"``: it draws the kommun polygons from
data/reference/kommuner.geojson alone and fetches no tiles, so it works without internet.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from beslutsstod import begrepp, saker_text
from beslutsstod import talformat as fmt
from beslutsstod.diagram.grund import LAYOUT

FARG = "#1f5f8b"  # the one hue of rankings and single series
FARG_MARKERAD = "#0b3552"  # the chosen utförare: darker, same hue
SERIEFARGER = ["#1f5f8b", "#7fa7c9", "#5b6770", "#b9cfe0", "#9aa5ad"]
SKALA = [[0.0, "#c6dbef"], [1.0, "#08306b"]]  # sequential, one hue: light = small, dark = large; the light end
# is kept clearly bluer than the grey of "no visits"
SKALA_NETTO = "PuOr"  # diverging without green/red; 0 in the middle
GRA_UTAN_DATA = "#f2f2f2"  # kommuner without visits
GRA_DOLD = "#c8c8c8"  # kommuner hidden by small-number protection
SVERIGE_MITT = {"lat": 62.9, "lon": 17.0}  # degrees; Mercator midpoint of 55,3–69,1 °N
SVERIGE_ZOOM = 3.8  # Sweden's 55,3–69,1 °N then take about 600 of the map's 720 px


KOORDINAT_DECIMALER = 3  # degrees: 0,001° ≈ 100 m, finer than a pixel of the whole-Sweden map


def _avrunda(koordinater):
    if isinstance(koordinater[0], (int, float)):
        return [round(koordinater[0], KOORDINAT_DECIMALER), round(koordinater[1], KOORDINAT_DECIMALER)]
    return [_avrunda(k) for k in koordinater]


@functools.cache
def _geojson(path: str) -> dict[str, dict]:
    """kommunkod → its feature, with rounded coordinates and only the `id` property.

    The figure carries its polygons to the browser on every rerun: the file as it is (818 kB,
    15 decimals) made the map 2,6 MB of JSON (bench/). Rounded it is about a third of that.
    """
    with Path(path).open(encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    return {f["properties"]["id"]: {"type": "Feature", "properties": {"id": f["properties"]["id"]},
                                    "geometry": {"type": f["geometry"]["type"],
                                                 "coordinates": _avrunda(f["geometry"]["coordinates"])}}
            for f in features}


def _delmangd(geo: dict[str, dict], koder) -> dict:
    """A FeatureCollection of just these kommuner: each trace carries only its own polygons."""
    return {"type": "FeatureCollection", "features": [geo[k] for k in koder if k in geo]}


def _layout(fig: go.Figure, titel: str, **extra) -> go.Figure:
    """Layout, and every user-supplied string made literal (always the builder's last step)."""
    fig.update_layout(**{**LAYOUT, "title": titel, **extra})
    return saker_text.sakra_figur(fig)


def per_ar(diagram: pd.DataFrame, titel: str, ytitel: str) -> go.Figure:
    """Bars per year and series (insats, regi or one series); a hidden value is a gap.

    When the year is broken down, the groups are stacked (grouped when some are negative) and
    the year's total is a marker above them, so a hidden group does not make the year look smaller.
    """
    fig = go.Figure()
    uppdelad = diagram["serie"].nunique() > 1
    grupper = diagram.loc[~diagram["is_totalt"]] if uppdelad else diagram
    for i, (serie, grupp) in enumerate(grupper.groupby("serie", sort=False)):
        fig.add_bar(name=str(serie), x=grupp["ar"].astype(str), y=grupp["varde"],
                    marker_color=SERIEFARGER[i % len(SERIEFARGER)],
                    hovertemplate="%{x} " + str(serie) + ": %{y:,.0f} kr<extra></extra>")
    negativ = bool((diagram["varde"].dropna() < 0).any())
    if uppdelad:
        totalt = diagram.loc[diagram["is_totalt"]]
        fig.add_scatter(name=str(totalt["serie"].iloc[0]) if len(totalt) else "Totalt", x=totalt["ar"].astype(str),
                        y=totalt["varde"], mode="markers", marker=dict(symbol="diamond", size=11, color="#222222"),
                        hovertemplate="%{x} totalt: %{y:,.0f} kr<extra></extra>")
    return _layout(fig, titel, barmode="group" if negativ else "stack",
                   yaxis=dict(title=ytitel, tickformat=",.0f", zeroline=True, zerolinecolor="#888"),
                   xaxis=dict(title=None, type="category"), showlegend=uppdelad)


def per_timme(diagram: pd.DataFrame, titel: str) -> go.Figure:
    """Lines: kronor per hour per year and series; the all-groups line dashed."""
    fig = go.Figure()
    for i, (serie, grupp) in enumerate(diagram.groupby("serie", sort=False)):
        totalt = bool(grupp["is_totalt"].all())
        fig.add_scatter(name=str(serie), x=grupp["ar"].astype(str), y=grupp["per_timme"], mode="lines+markers",
                        line=dict(color="#333333" if totalt else SERIEFARGER[i % len(SERIEFARGER)],
                                  dash="dash" if totalt and diagram["serie"].nunique() > 1 else "solid"),
                        connectgaps=False, hovertemplate="%{x} " + str(serie) + ": %{y:,.0f} " + begrepp.KR_TIM + "<extra></extra>")
    return _layout(fig, titel, yaxis=dict(title=begrepp.KR_TIM, tickformat=",.0f"),
                   xaxis=dict(title=None, type="category"))


def rangordning(diagram: pd.DataFrame, etikett: str, varde: str, titel: str, format_: str = ",.0f",
                markerad: str | None = None, id_kolumn: str | None = None) -> go.Figure:
    """Horizontal bars, largest on top, one hue; rows with a hidden (NaN) value are left out."""
    visas = diagram.dropna(subset=[varde]).sort_values(varde, ascending=True)
    farger = [FARG_MARKERAD if markerad is not None and id_kolumn and r == markerad else FARG
              for r in (visas[id_kolumn] if id_kolumn else [None] * len(visas))]
    fig = go.Figure(go.Bar(x=visas[varde], y=visas[etikett], orientation="h", marker_color=farger,
                           hovertemplate="%{y}: %{x:" + format_ + "}<extra></extra>"))
    return _layout(fig, titel, height=max(320, 28 * len(visas) + 120), showlegend=False,
                   xaxis=dict(title=varde, tickformat=format_), yaxis=dict(title=None, automargin=True))


def per_manad(diagram: pd.DataFrame, varde: str, titel: str, ytitel: str | None = None) -> go.Figure:
    """Bars per month (jan..dec); a month without visits is a gap, a hidden month (`dolt`) a gap marked `..`."""
    per = dict(zip(diagram["manad"], diagram[varde]))
    fig = go.Figure(go.Bar(x=list(fmt.MANADER), y=[per.get(m) for m in range(1, 13)], marker_color=FARG,
                           hovertemplate="%{x}: %{y:,.0f}<extra></extra>"))
    if "dolt" in diagram:
        for m in diagram.loc[diagram["dolt"].astype(bool), "manad"]:
            fig.add_annotation(x=fmt.manad_namn(int(m)), y=0, text=begrepp.MASK, showarrow=False, yshift=10,
                               hovertext="Dolt: färre än gränsen för små tal", font=dict(size=16))
    return _layout(fig, titel, yaxis=dict(title=ytitel or varde, tickformat=",.0f", rangemode="tozero"),
                   xaxis=dict(title=None), showlegend=False, height=320)


def karta(karta_df: pd.DataFrame, kommuner: dict[str, tuple[str, str]], geojson_path: Path, varde_titel: str,
          divergerande: bool = False) -> go.Figure:
    """Choropleth of Sweden's 290 kommuner from the geojson; coloured where there is a shown value.

    Three traces: every kommun in light grey (no visits), hidden kommuner in mid grey with `..`
    in the hover, and the kommuner with a value on a one-hue scale (purple–orange around 0 for
    netto). No tiles: ``white-bg`` draws on white from the polygons alone.
    """
    geo = _geojson(str(geojson_path))
    med_data = set(karta_df["kommunkod"])
    ovriga = [k for k in kommuner if k not in med_data]
    fig = go.Figure()
    fig.add_trace(go.Choroplethmap(
        geojson=_delmangd(geo, ovriga), featureidkey="properties.id", locations=ovriga, z=[0] * len(ovriga),
        colorscale=[[0, GRA_UTAN_DATA], [1, GRA_UTAN_DATA]], showscale=False, marker_line_color="#ffffff",
        marker_line_width=0.4, name="Inga besök",
        customdata=[f"<b>{saker_text.plotly(kommuner[k][0])}</b><br>{saker_text.plotly(kommuner[k][1])}<br>Inga besök"
                    for k in ovriga],
        hovertemplate="%{customdata}<extra></extra>"))
    dolda = karta_df.loc[karta_df["dolt"]]
    if len(dolda):
        fig.add_trace(go.Choroplethmap(
            geojson=_delmangd(geo, dolda["kommunkod"]), featureidkey="properties.id", locations=dolda["kommunkod"],
            z=[0] * len(dolda),
            colorscale=[[0, GRA_DOLD], [1, GRA_DOLD]], showscale=False, marker_line_color="#ffffff",
            marker_line_width=0.4, name="Dolt (..)", customdata=dolda["hover"],
            hovertemplate="%{customdata}<extra></extra>"))
    visas = karta_df.loc[~karta_df["dolt"]]
    if len(visas):
        extra = {}
        if divergerande:
            grans = float(visas["varde"].abs().max()) or 1.0
            extra = dict(colorscale=SKALA_NETTO, zmid=0, zmin=-grans, zmax=grans)
        else:
            extra = dict(colorscale=SKALA, zmin=0, zmax=float(visas["varde"].max()) or 1.0)
        fig.add_trace(go.Choroplethmap(
            geojson=_delmangd(geo, visas["kommunkod"]), featureidkey="properties.id", locations=visas["kommunkod"],
            z=visas["varde"],
            marker_line_color="#ffffff", marker_line_width=0.6, name=varde_titel, customdata=visas["hover"],
            hovertemplate="%{customdata}<extra></extra>",
            colorbar=dict(title=dict(text=varde_titel, side="top"), tickformat=",.0f", thickness=12,
                          orientation="h", x=0.5, xanchor="center", y=0.0, yanchor="top", len=0.9), **extra))
    return _layout(fig, None, map=dict(style="white-bg", center=SVERIGE_MITT, zoom=SVERIGE_ZOOM),
                   height=780, margin=dict(l=0, r=0, t=10, b=60), showlegend=False)


def manad_kommun(tabell: pd.DataFrame, mask: pd.DataFrame, varde_titel: str, divergerande: bool = False) -> go.Figure:
    """Heatmap month × kommun from the protected table (without its totals); hidden cells blank with `..`."""
    detalj = tabell.loc[tabell["Kommun"] != "Totalt"]
    manader = list(fmt.MANADER)
    z = detalj[manader].to_numpy(dtype=float)
    dolda = mask.loc[detalj.index, manader].to_numpy(dtype=bool)
    text = [[begrepp.MASK if d else ("" if pd.isna(v) else fmt.fmt_tal(v)) for v, d in zip(zr, dr)]
            for zr, dr in zip(z, dolda)]
    hover = [[f"{k} {m}: " + (begrepp.MASK + " (dolt)" if d else ("inga besök" if pd.isna(v) else fmt.fmt_tal(v)))
              for m, v, d in zip(manader, zr, dr)] for k, zr, dr in zip(detalj["Kommun"], z, dolda)]
    storst = float(np.nanmax(np.abs(z))) if np.isfinite(z).any() else 1.0
    skala = (dict(colorscale=SKALA_NETTO, zmin=-storst, zmax=storst) if divergerande
             else dict(colorscale=SKALA, zmin=0, zmax=storst))
    fig = go.Figure(go.Heatmap(z=z, x=manader, y=list(detalj["Kommun"]), text=text, texttemplate="%{text}",
                               customdata=hover, hovertemplate="%{customdata}<extra></extra>", xgap=2, ygap=2,
                               colorbar=dict(title=dict(text=varde_titel, side="right"), thickness=14,
                                             tickformat=",.0f"), **skala))
    return _layout(fig, None, height=max(320, 26 * len(detalj) + 110), margin=dict(l=10, r=10, t=20, b=10),
                   yaxis=dict(autorange="reversed", automargin=True), xaxis=dict(side="top"),
                   plot_bgcolor="#ffffff")
