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
import math
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from beslutsstod import begrepp, installningar, saker_text
from beslutsstod import talformat as fmt
from beslutsstod.diagram import grund
from beslutsstod.diagram.grund import DOLT, SAKNAS, VISAS

FARG = "#1f5f8b"  # the one hue of rankings and single series (6,8:1 on white)
FARG_MARKERAD = "#0b3552"  # the chosen utförare: darker, same hue, and outlined
# Series (insats, regi): each ≥ 3:1 on white (tests/test_diagram_tillganglighet.py); stacked parts are
# separated by a white line and named in the legend, the hover and the table of the chart's numbers.
SERIEFARGER = ["#1f5f8b", "#b35c00", "#5b6770", "#6a4c93", "#6b93bd"]
# Map: one hue, light = small, dark = large; its light end ≥ 3:1 on white, so every coloured kommun
# stands out from the white ground and from the pale grey of "no visits".
SKALA = [[0.0, "#6b93bd"], [1.0, "#08306b"]]
# Heatmap: the value is written in every cell in dark text (≥ 4,5:1 on the darkest cell); colour adds.
SKALA_RUTOR = [[0.0, "#eef4fa"], [1.0, "#7fa7c9"]]
SKALA_NETTO = [[0.0, "#5e3c99"], [0.5, "#f7f7f7"], [1.0, "#b35806"]]  # purple–orange, no green/red; 0 in the middle
SKALA_NETTO_RUTOR = [[0.0, "#b2abd2"], [0.5, "#f7f7f7"], [1.0, "#fdb863"]]
RUTTEXT = "#111111"
GRA_UTAN_DATA = "#f2f2f2"  # kommuner and cells without visits
GRA_DOLD = "#767676"  # hidden by small-number protection: 4,5:1 on white and 4,1:1 against "no visits"
UTAN_DATA_NAMN = f"inga besök ({begrepp.SAKNAS})"
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


# The map's polygons as a file the browser fetches once (Streamlit's static serving, server.enableStaticServing),
# instead of inside every rerun's figure: the figure was 384 kB of JSON per rerun, and encoding it was the
# largest part of a cached Vistelsekommuner rerun (bench/loadtest.py). The file is what _geojson makes
# of the reference file (tests/test_charts_analys.py checks they are the same); plotly.js takes a URL as
# `geojson`. Relative to the page, so it also works under server.baseUrlPath and behind the proxy.
STATISK_GEOJSON = installningar.REPO_ROOT / "static" / "kommuner.geojson"
STATISK_GEOJSON_URL = "app/static/kommuner.geojson"


def statisk_geojson_text(geojson_path: Path) -> str:
    """The content of static/kommuner.geojson made from a reference geojson (rounded, `id` only)."""
    geo = _geojson(str(geojson_path))
    return json.dumps({"type": "FeatureCollection", "features": [geo[k] for k in sorted(geo)]},
                      ensure_ascii=False, separators=(",", ":")) + "\n"


def _geojson_for(geo: dict[str, dict], geojson_path: Path, koder) -> dict | str:
    """A trace's geojson: the served file's URL when the map draws the repo's reference file, else (a
    data folder with its own reference file) the trace's own polygons inside the figure."""
    if Path(geojson_path).resolve() == (installningar.REPO_ROOT / "data" / "reference" / "kommuner.geojson").resolve():
        return STATISK_GEOJSON_URL
    return _delmangd(geo, koder)


def _delmangd(geo: dict[str, dict], koder) -> dict:
    """A FeatureCollection of just these kommuner: each trace carries only its own polygons."""
    return {"type": "FeatureCollection", "features": [geo[k] for k in koder if k in geo]}


def _layout(fig: go.Figure, titel: str | None, **extra) -> go.Figure:
    """Layout, and every user-supplied string made literal (always the builder's last step)."""
    return grund.avsluta(fig, titel, **extra)


def _status(varde, dolt: bool) -> str:
    return DOLT if dolt else SAKNAS if begrepp.saknas(varde) else VISAS


def _dolda(diagram: pd.DataFrame, kolumn: str = "dolt") -> pd.Series:
    """The frame's hidden flags (all False when the frame has none)."""
    return diagram[kolumn].astype(bool) if kolumn in diagram else pd.Series(False, index=diagram.index)


def per_ar_punkter(diagram: pd.DataFrame) -> pd.DataFrame:
    """The points of `per_ar`: every year and series drawn (a hidden value `dolt`, a missing one `saknas`)."""
    dolda = _dolda(diagram)
    return grund.punkter((str(r["ar"]), str(r["serie"]), r["varde"], _status(r["varde"], d))
                         for (_, r), d in zip(diagram.iterrows(), dolda))


def per_ar(diagram: pd.DataFrame, titel: str, ytitel: str) -> go.Figure:
    """Bars per year and series (insats, regi or one series); a hidden value a hatched "dolt (..)" bar.

    When the year is broken down, the groups are stacked (grouped when some are negative) and
    the year's total is a marker above them, so a hidden group does not make the year look smaller;
    a year with a hidden part gets one hatched bar beside its stack.
    """
    fig = go.Figure()
    uppdelad = diagram["serie"].nunique() > 1
    dolda = _dolda(diagram)
    grupper = diagram.loc[~diagram["is_totalt"]] if uppdelad else diagram
    for i, (serie, grupp) in enumerate(grupper.groupby("serie", sort=False)):
        fig.add_bar(name=str(serie), x=grupp["ar"].astype(str), y=grupp["varde"], offsetgroup="varden",
                    marker=dict(color=SERIEFARGER[i % len(SERIEFARGER)], line=dict(color=grund.BAKGRUND, width=1)),
                    hovertemplate="%{x} " + str(serie) + ": %{y:,.0f} kr<extra></extra>")
    negativ = bool((diagram["varde"].dropna() < 0).any())
    if uppdelad:
        totalt = diagram.loc[diagram["is_totalt"]]
        fig.add_scatter(name=str(totalt["serie"].iloc[0]) if len(totalt) else "Totalt", x=totalt["ar"].astype(str),
                        y=totalt["varde"], mode="markers", marker=dict(symbol="diamond", size=11, color="#222222"),
                        hovertemplate="%{x} totalt: %{y:,.0f} kr<extra></extra>")
    dolda_ar = list(dict.fromkeys(diagram.loc[dolda, "ar"].astype(str)))
    topp = grund._topp(diagram.loc[diagram["is_totalt"] if uppdelad else diagram.index, "varde"]) if len(diagram) else 1.0
    grund.dolda_staplar(fig, dolda_ar, topp, offsetgroup="dolt" if uppdelad else "varden")
    return _layout(fig, titel, barmode="group" if negativ else "stack",
                   yaxis=dict(title=ytitel, tickformat=",.0f", zeroline=True),
                   xaxis=dict(title=None, type="category"), showlegend=uppdelad or bool(dolda_ar))


SYMBOLER = ["circle", "square", "diamond", "triangle-up", "star"]  # a line's markers: a carrier beside colour


def per_timme_punkter(diagram: pd.DataFrame) -> pd.DataFrame:
    """The points of `per_timme` (kr per hour per year and series)."""
    dolda = _dolda(diagram, "dolt_h")
    return grund.punkter((str(r["ar"]), str(r["serie"]), r["per_timme"], _status(r["per_timme"], d))
                         for (_, r), d in zip(diagram.iterrows(), dolda))


def per_timme(diagram: pd.DataFrame, titel: str) -> go.Figure:
    """Lines: kronor per hour per year and series, each with its own marker; the all-groups line dashed.

    A hidden value is a gap in its line and a grey "x" marker labelled `..` on the axis' floor.
    """
    fig = go.Figure()
    for i, (serie, grupp) in enumerate(diagram.groupby("serie", sort=False)):
        totalt = bool(grupp["is_totalt"].all())
        fig.add_scatter(name=str(serie), x=grupp["ar"].astype(str), y=grupp["per_timme"], mode="lines+markers",
                        line=dict(color="#333333" if totalt else SERIEFARGER[i % len(SERIEFARGER)],
                                  dash="dash" if totalt and diagram["serie"].nunique() > 1 else "solid"),
                        marker=dict(symbol=SYMBOLER[i % len(SYMBOLER)], size=8),
                        connectgaps=False, hovertemplate="%{x} " + str(serie) + ": %{y:,.0f} " + begrepp.KR_TIM
                        + "<extra></extra>")
    dolda = diagram.loc[_dolda(diagram, "dolt_h")]
    if len(dolda):
        golv = float(diagram["per_timme"].min()) if diagram["per_timme"].notna().any() else 0.0
        fig.add_scatter(name=grund.DOLT_NAMN, legendgroup="dolt", x=dolda["ar"].astype(str), y=[golv] * len(dolda),
                        mode="markers+text", text=[begrepp.MASK] * len(dolda), textposition="bottom center",
                        marker=dict(symbol="x-thin-open", size=12, color=grund.FARG_DOLT, line=dict(width=2)),
                        customdata=dolda["serie"].astype(str),
                        hovertemplate="%{x} %{customdata}: " + grund.DOLT_HJALP + "<extra></extra>")
    return _layout(fig, titel, yaxis=dict(title=begrepp.KR_TIM, tickformat=",.0f"),
                   xaxis=dict(title=None, type="category"))


def rangordning_punkter(diagram: pd.DataFrame, etikett: str, varde: str,
                       dolda: pd.Series | None = None) -> pd.DataFrame:
    """The points of `rangordning`, largest first, hidden rows last."""
    dolt = dolda.to_numpy(dtype=bool) if dolda is not None else diagram[varde].isna().to_numpy()
    p = grund.punkter((str(r[etikett]), "", r[varde], _status(r[varde], d))
                      for (_, r), d in zip(diagram.iterrows(), dolt))
    return p.assign(_o=p["varde"].fillna(-np.inf)).sort_values("_o", ascending=False, kind="stable").drop(columns="_o")


def rangordning(diagram: pd.DataFrame, etikett: str, varde: str, titel: str, format_: str = ",.0f",
                markerad: str | None = None, id_kolumn: str | None = None,
                dolda: pd.Series | None = None) -> go.Figure:
    """Horizontal bars, largest on top, one hue; rows with a hidden value (`dolda`, else every NaN)
    are hatched "dolt (..)" bars at the bottom; a row without a value (not hidden) is left out."""
    dolt = dolda.to_numpy(dtype=bool) if dolda is not None else diagram[varde].isna().to_numpy()
    visas = diagram.loc[~dolt].dropna(subset=[varde]).sort_values(varde, ascending=True)
    farger = [FARG_MARKERAD if markerad is not None and id_kolumn and r == markerad else FARG
              for r in (visas[id_kolumn] if id_kolumn else [None] * len(visas))]
    linjer = [2.5 if f == FARG_MARKERAD else 0 for f in farger]
    fig = go.Figure()
    dolda_namn = list(diagram.loc[dolt, etikett].astype(str))
    grund.dolda_staplar(fig, dolda_namn, grund._topp(visas[varde]), horisontell=True)
    fig.add_bar(x=visas[varde], y=visas[etikett], orientation="h", name=varde,
                marker=dict(color=farger, line=dict(color="#000000", width=linjer)),
                hovertemplate="%{y}: %{x:" + format_ + "}<extra></extra>")
    antal = len(visas) + len(dolda_namn)
    return _layout(fig, titel, height=max(320, 28 * antal + 120), showlegend=bool(dolda_namn), barmode="overlay",
                   xaxis=dict(title=varde, tickformat=format_), yaxis=dict(title=None, automargin=True))


def per_manad_punkter(diagram: pd.DataFrame, varde: str, till_manad: int | None = None) -> pd.DataFrame:
    """The points of `per_manad`: every month up to `till_manad` (the data's last month; default the last
    month with a row). A month without a value that is not hidden has no visits."""
    per = {int(m): (v, d) for m, v, d in zip(diagram["manad"], diagram[varde], _dolda(diagram))}
    sista = till_manad or max(per, default=0)
    return grund.punkter((fmt.MANADER[m - 1], "", per.get(m, (math.nan, False))[0],
                          _status(*per.get(m, (math.nan, False)))) for m in range(1, sista + 1))


def per_manad(diagram: pd.DataFrame, varde: str, titel: str, ytitel: str | None = None,
              till_manad: int | None = None) -> go.Figure:
    """Bars per month (jan..dec); a hidden month a hatched "dolt (..)" bar, a month without visits
    (up to the last month with any) an open "inga besök" marker."""
    p = per_manad_punkter(diagram, varde, till_manad)
    visas = p.loc[p["status"] == VISAS]
    fig = go.Figure(go.Bar(x=visas["kategori"], y=visas["varde"], marker_color=FARG, name=ytitel or varde,
                           hovertemplate="%{x}: %{y:,.0f}<extra></extra>"))
    grund.dolda_staplar(fig, list(p.loc[p["status"] == DOLT, "kategori"]), grund._topp(visas["varde"]))
    grund.saknade_punkter(fig, list(p.loc[p["status"] == SAKNAS, "kategori"]), namn=UTAN_DATA_NAMN,
                          text="inga besök")
    return _layout(fig, titel, yaxis=dict(title=ytitel or varde, tickformat=",.0f", rangemode="tozero"),
                   xaxis=dict(title=None, categoryorder="array", categoryarray=list(fmt.MANADER)),
                   showlegend=len(fig.data) > 1, barmode="overlay", height=340)


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
        geojson=_geojson_for(geo, geojson_path, ovriga), featureidkey="properties.id", locations=ovriga, z=[0] * len(ovriga),
        colorscale=[[0, GRA_UTAN_DATA], [1, GRA_UTAN_DATA]], showscale=False, marker_line_color="#ffffff",
        marker_line_width=0.4, name=UTAN_DATA_NAMN, showlegend=True,
        customdata=[f"<b>{saker_text.plotly(kommuner[k][0])}</b><br>{saker_text.plotly(kommuner[k][1])}<br>Inga besök"
                    for k in ovriga],
        hovertemplate="%{customdata}<extra></extra>"))
    dolda = karta_df.loc[karta_df["dolt"]]
    if len(dolda):
        fig.add_trace(go.Choroplethmap(
            geojson=_geojson_for(geo, geojson_path, dolda["kommunkod"]), featureidkey="properties.id", locations=dolda["kommunkod"],
            z=[0] * len(dolda),
            colorscale=[[0, GRA_DOLD], [1, GRA_DOLD]], showscale=False, marker_line_color="#ffffff",
            marker_line_width=0.4, name=grund.DOLT_NAMN, showlegend=True, customdata=dolda["hover"],
            hovertemplate="%{customdata}<extra></extra>"))
    visas = karta_df.loc[~karta_df["dolt"]]
    if len(visas):
        extra = {}
        if divergerande:
            grans = float(visas["varde"].abs().max()) or 1.0
            extra = dict(colorscale=SKALA_NETTO, zmid=0, zmin=-grans, zmax=grans)  # the middle is pale: netto ≈ 0
        else:
            extra = dict(colorscale=SKALA, zmin=0, zmax=float(visas["varde"].max()) or 1.0)
        fig.add_trace(go.Choroplethmap(
            geojson=_geojson_for(geo, geojson_path, visas["kommunkod"]), featureidkey="properties.id", locations=visas["kommunkod"],
            z=visas["varde"],
            marker_line_color="#ffffff", marker_line_width=0.6, name=varde_titel, showlegend=False,
            customdata=visas["hover"],
            hovertemplate="%{customdata}<extra></extra>",
            colorbar=dict(title=dict(text=varde_titel, side="top"), tickformat=",.0f", thickness=12,
                          orientation="h", x=0.5, xanchor="center", y=0.0, yanchor="top", len=0.9), **extra))
    return _layout(fig, None, map=dict(style="white-bg", center=SVERIGE_MITT, zoom=SVERIGE_ZOOM),
                   height=780, margin=dict(l=0, r=0, t=40, b=60), showlegend=True,
                   legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="left", x=0.0))


def karta_punkter(karta_df: pd.DataFrame) -> pd.DataFrame:
    """The points of `karta`: the kommuner with visits, largest first, hidden ones last."""
    p = grund.punkter((str(r["namn"]), "", r["varde"], _status(r["varde"], bool(r["dolt"])))
                      for _, r in karta_df.iterrows())
    return p.assign(_o=p["varde"].fillna(-np.inf)).sort_values("_o", ascending=False, kind="stable").drop(columns="_o")


def manad_kommun_punkter(tabell: pd.DataFrame, mask: pd.DataFrame) -> pd.DataFrame:
    """The points of `manad_kommun`: every kommun (row) and month (column) of the heatmap."""
    detalj = tabell.loc[tabell["Kommun"] != "Totalt"]
    return grund.punkter((str(k), m, detalj.at[i, m], _status(detalj.at[i, m], bool(mask.at[i, m])))
                         for i, k in zip(detalj.index, detalj["Kommun"]) for m in fmt.MANADER)


def manad_kommun(tabell: pd.DataFrame, mask: pd.DataFrame, varde_titel: str, divergerande: bool = False) -> go.Figure:
    """Heatmap month × kommun from the protected table (without its totals).

    Every cell carries its text: the value, `..` on dark grey (hidden) or `–` on pale grey (no
    visits), and both greys have a legend entry, so colour is never the only carrier.
    """
    detalj = tabell.loc[tabell["Kommun"] != "Totalt"]
    manader = list(fmt.MANADER)
    kommuner = list(detalj["Kommun"])
    z = detalj[manader].to_numpy(dtype=float)
    dolda = mask.loc[detalj.index, manader].to_numpy(dtype=bool)
    text = [["" if (d or pd.isna(v)) else fmt.fmt_tal(v) for v, d in zip(zr, dr)] for zr, dr in zip(z, dolda)]
    hover = [[f"{k} {m}: " + (begrepp.MASK + " (dolt)" if d else ("inga besök" if pd.isna(v) else fmt.fmt_tal(v)))
              for m, v, d in zip(manader, zr, dr)] for k, zr, dr in zip(kommuner, z, dolda)]
    storst = float(np.nanmax(np.abs(z))) if np.isfinite(z).any() else 1.0
    skala = (dict(colorscale=SKALA_NETTO_RUTOR, zmin=-storst, zmax=storst) if divergerande
             else dict(colorscale=SKALA_RUTOR, zmin=0, zmax=storst))
    fig = go.Figure(go.Heatmap(z=z, x=manader, y=kommuner, text=text, texttemplate="%{text}",
                               textfont=dict(color=RUTTEXT), name=varde_titel, showlegend=False,
                               customdata=hover, hovertemplate="%{customdata}<extra></extra>", xgap=2, ygap=2,
                               colorbar=dict(title=dict(text=varde_titel, side="right"), thickness=14,
                                             tickformat=",.0f"), **skala))
    # hidden (1) and no visits (0) as a second, two-colour layer with its own text
    status = np.where(dolda, 1.0, np.where(np.isnan(z), 0.0, np.nan))
    status_text = [[begrepp.MASK if s == 1 else (begrepp.SAKNAS if s == 0 else "") for s in rad] for rad in status]
    fig.add_heatmap(z=status, x=manader, y=kommuner, text=status_text, texttemplate="%{text}",
                    textfont=dict(size=15), zmin=0, zmax=1, showscale=False, showlegend=False,  # auto: white on ..
                    colorscale=[[0.0, GRA_UTAN_DATA], [0.5, GRA_UTAN_DATA], [0.5, GRA_DOLD], [1.0, GRA_DOLD]],
                    customdata=hover, hovertemplate="%{customdata}<extra></extra>", xgap=2, ygap=2)
    for namn, farg in ((grund.DOLT_NAMN, GRA_DOLD), (UTAN_DATA_NAMN, GRA_UTAN_DATA)):
        fig.add_scatter(x=[None], y=[None], mode="markers", name=namn, showlegend=True, hoverinfo="skip",
                        marker=dict(symbol="square", size=14, color=farg, line=dict(color=grund.TEXTFARG, width=1)))
    return _layout(fig, None, height=max(320, 26 * len(detalj) + 140), margin=dict(l=10, r=10, t=50, b=10),
                   yaxis=dict(autorange="reversed", automargin=True, showgrid=False),
                   xaxis=dict(side="top", showgrid=False), plot_bgcolor="#ffffff",
                   legend=dict(orientation="h", yanchor="bottom", y=1.06, xanchor="left", x=0.0))
