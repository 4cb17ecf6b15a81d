"""beslutsstod.diagram.analys: the map draws from the geojson alone; colours say size, never good/bad."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from beslutsstod.data import referens
from beslutsstod.diagram import analys as diagram_analys


def _karta(dolt=(False, True)) -> pd.DataFrame:
    return pd.DataFrame({"kommunkod": ["1435", "2321"], "namn": ["Tanum", "Åre"],
                         "lan": ["Västra Götalands län", "Jämtlands län"], "varde": [16000.0, np.nan],
                         "dolt": list(dolt), "hover": ["<b>Tanum</b>", "<b>Åre</b><br>Kostnad: .."]})


def test_map_is_tile_free_choropleth_map_over_all_kommuner():
    kommuner = referens.kommuner()
    fig = diagram_analys.karta(_karta(), kommuner, referens.geojson_path(), "Kostnad (kr)")
    assert {t.type for t in fig.data} == {"choroplethmap"}  # not "choropleth" (geo needs a CDN)
    assert fig.layout.map.style == "white-bg"
    assert not fig.layout.map.layers  # no tile or raster source to fetch
    bas, dolda, visas = fig.data
    # every one of the 290 kommuner is drawn once: 288 without visits, one hidden, one coloured
    assert len(bas.locations) == 288 and list(dolda.locations) == ["2321"] and list(visas.locations) == ["1435"]
    assert len(set(bas.locations) | set(dolda.locations) | set(visas.locations)) == 290
    # the polygons come from the served file, fetched once, not inside the figure on every rerun
    assert bas.featureidkey == "properties.id" and {t.geojson for t in fig.data} == {diagram_analys.STATISK_GEOJSON_URL}
    assert len(fig.to_json()) < 60_000
    assert ".." in dolda.customdata[0]
    assert visas.zmin == 0  # one hue from 0: the depth shows size only
    assert all("#" in c[1] for c in visas.colorscale)  # the module's blue scale, not a red–green one


def test_netto_map_is_diverging_around_zero_without_green():
    df = _karta(dolt=(False, False)).assign(varde=[-5000.0, 2000.0])
    fig = diagram_analys.karta(df, referens.kommuner(), referens.geojson_path(), "Netto (kr)", divergerande=True)
    visas = fig.data[-1]
    assert (visas.zmin, visas.zmax) == (-5000.0, 5000.0) and visas.zmid == 0


def test_ranking_one_hue_and_hidden_rows_drawn_hatched_at_the_bottom():
    df = pd.DataFrame({"Utförare": ["A", "B", "C"], "Kostnad (kr)": [300.0, np.nan, 100.0],
                       "utforare_id": ["a", "b", "c"]})
    fig = diagram_analys.rangordning(df, "Utförare", "Kostnad (kr)", "t", markerad="c", id_kolumn="utforare_id")
    dolt, bar = fig.data
    assert list(bar.y) == ["C", "A"]  # ascending, so the largest is drawn on top
    assert list(bar.marker.color) == [diagram_analys.FARG_MARKERAD, diagram_analys.FARG]
    # the hidden row is not left out: a cross-hatched bar named "dolt (..)", below the shown ones
    assert list(dolt.y) == ["B"] and dolt.name == "dolt (..)" and dolt.marker.pattern.shape == "x"
    assert list(dolt.x) == [300.0] and fig.layout.showlegend


def test_per_ar_stacks_groups_with_total_marker_and_gaps():
    diagram = pd.DataFrame({"ar": ["2024", "2024", "2024", "2025", "2025", "2025"],
                            "serie": ["Hemtjänst", "Primärvård", "Alla insatser"] * 2,
                            "varde": [np.nan, np.nan, 10.0, 2.0, 10.0, 12.0], "per_timme": np.nan,
                            "is_totalt": [False, False, True] * 2})
    fig = diagram_analys.per_ar(diagram, "t", "kr")
    assert [t.type for t in fig.data] == ["bar", "bar", "scatter"]
    assert np.isnan(fig.data[0].y[0]) and list(fig.data[2].y) == [10.0, 12.0]
    assert fig.layout.barmode == "stack"


def test_heatmap_hidden_cells_show_mask_code():
    tabell = pd.DataFrame({"Kommun": ["Tanum", "Totalt"], **{m: [np.nan, np.nan] for m in
                                                           ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug",
                                                            "sep", "okt", "nov", "dec")}, "Totalt": [5.0, 5.0]})
    tabell.loc[0, "jul"] = 5.0
    mask = pd.DataFrame(False, index=tabell.index, columns=tabell.columns)
    mask.loc[0, "aug"] = True
    fig = diagram_analys.manad_kommun(tabell, mask, "Kostnad (kr)")
    heat, status = fig.data[:2]
    assert list(heat.y) == ["Tanum"]  # the totals row is in the table, not the heatmap
    assert heat.text[0][6] == "5" and heat.text[0][7] == "" and heat.text[0][0] == ""
    # hidden (aug) and no visits (jan) each have their own cell text and grey, and a legend entry
    assert status.text[0][7] == ".." and status.text[0][0] == "–" and status.text[0][6] == ""
    assert status.z[0][7] == 1 and status.z[0][0] == 0 and np.isnan(status.z[0][6])
    assert {t.name for t in fig.data if t.showlegend} == {"dolt (..)", "inga besök (–)"}


def test_month_bars_draw_hidden_and_empty_months():
    diagram = pd.DataFrame({"manad": [6, 7, 8], "varde": [5.0, np.nan, np.nan], "dolt": [False, True, False]})
    fig = diagram_analys.per_manad(diagram, "varde", "t", "kr")
    varden, dolt, saknas = fig.data
    assert list(varden.x) == ["jun"] and list(varden.y) == [5.0]
    # July hidden: a cross-hatched bar to the top of the chart, named "dolt (..)", never a gap
    assert list(dolt.x) == ["jul"] and list(dolt.y) == [5.0] and dolt.name == "dolt (..)"
    assert dolt.marker.pattern.shape == "x" and list(dolt.text) == [".."]
    # January–May and August without visits: an open marker on the zero line, "inga besök (–)"
    assert list(saknas.x) == ["jan", "feb", "mar", "apr", "maj", "aug"] and saknas.name == "inga besök (–)"
    assert saknas.marker.symbol == "circle-open" and set(saknas.y) == {0}
    # through the data's last month only: September is not yet "without visits"
    assert "sep" not in diagram_analys.per_manad(diagram, "varde", "t", "kr", till_manad=8).data[2].x


def test_map_sends_each_polygon_once_and_stays_under_1_mb(tmp_path):
    import pandas as pd

    from beslutsstod.data import referens
    from beslutsstod.diagram import analys as diagram_analys

    kommuner = referens.kommuner()
    koder = list(kommuner)
    df = pd.DataFrame(dict(kommunkod=koder[:200], varde=[float(i) for i in range(200)],
                           dolt=[i % 5 == 0 for i in range(200)], hover=["x"] * 200))
    fig = diagram_analys.karta(df, kommuner, referens.geojson_path(), "Kostnad (kr)")
    ids = [k for t in fig.data for k in t.locations]
    assert sorted(ids) == sorted(koder)  # all 290 drawn, none twice
    assert len(fig.to_json()) <= 60_000  # the polygons are fetched once from static/, not sent per rerun
    # with its own reference file (the polygons inside the figure): each polygon once, under 1 MB (issue 7)
    eget = tmp_path / "kommuner.geojson"
    eget.write_text(referens.geojson_path().read_text(encoding="utf-8"), encoding="utf-8")
    fig = diagram_analys.karta(df, kommuner, eget, "Kostnad (kr)")
    ids = [f["properties"]["id"] for t in fig.data for f in t.geojson["features"]]
    assert sorted(ids) == sorted(koder)
    assert len(fig.to_json()) <= 1_000_000


def test_the_served_polygons_are_the_reference_files_and_an_own_reference_file_is_drawn_from_itself(tmp_path):
    # static/kommuner.geojson (served at app/static/) is made from data/reference/kommuner.geojson
    assert diagram_analys.STATISK_GEOJSON.read_text(encoding="utf-8") == \
        diagram_analys.statisk_geojson_text(referens.geojson_path())
    served = json.loads(diagram_analys.STATISK_GEOJSON.read_text(encoding="utf-8"))
    assert len({f["properties"]["id"] for f in served["features"]}) == 290
    # a data folder with its own reference file: its polygons go inside the figure, as before
    eget = tmp_path / "kommuner.geojson"
    eget.write_text(referens.geojson_path().read_text(encoding="utf-8"), encoding="utf-8")
    fig = diagram_analys.karta(_karta(), referens.kommuner(), eget, "Kostnad (kr)")
    assert fig.data[0].geojson["features"][0]["properties"]["id"] in referens.kommuner()
