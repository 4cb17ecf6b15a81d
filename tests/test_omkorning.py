"""Cheap reruns (issue 16): what a rerun with cached page models still does is done once where the
result cannot change (a figure's dict, a setting read from a file), and never at a stale value."""

from __future__ import annotations

import json
import os
import tomllib

import plotly.graph_objects as go
import plotly.io as pio
import plotly.tools
from plotly.basedatatypes import BaseFigure

from beslutsstod import installningar
from beslutsstod.diagram import grund


def test_a_finished_figure_is_made_once_and_sends_the_same_json_as_the_figure():
    fig = go.Figure(go.Bar(x=["jan", "feb"], y=[3.5, 4.25], name="2026"))
    fig.update_layout(title="Kostnad per månad", height=380)
    fardig = grund.fardig(fig)
    assert grund.fardig(fig) is fardig and isinstance(fardig, BaseFigure)
    # What st.plotly_chart does with it: plotly's conversion, then JSON. The same as from the figure itself.
    som_streamlit = plotly.tools.return_figure_from_figure_or_data(fardig, validate_figure=True)
    assert som_streamlit is fardig.to_dict()  # no deep copy per rerun
    assert json.loads(pio.to_json(som_streamlit, validate=False)) == json.loads(pio.to_json(fig, validate=False))
    assert som_streamlit["layout"]["height"] == 380


def test_settings_from_secrets_toml_are_parsed_once_per_version_of_the_file(tmp_path, monkeypatch):
    monkeypatch.setattr(installningar, "REPO_ROOT", tmp_path)
    monkeypatch.delenv("BESLUTSSTOD_HEMKOMMUN", raising=False)
    (tmp_path / ".streamlit").mkdir()
    fil = tmp_path / ".streamlit" / "secrets.toml"
    assert installningar.get("hemkommun") == "1401"  # no file: the default
    fil.write_text('hemkommun = "1480"\n', encoding="utf-8")
    assert installningar.get("hemkommun") == "1480"
    fore = installningar._las_secrets.cache_info().hits
    assert installningar.get("hemkommun") == "1480"
    assert installningar._las_secrets.cache_info().hits == fore + 1  # read from the parsed copy
    fil.write_text('hemkommun = "1401"\n', encoding="utf-8")
    os.utime(fil, ns=(fil.stat().st_atime_ns, fil.stat().st_mtime_ns + 1_000_000))
    assert installningar.get("hemkommun") == "1401"  # a changed file is read again
    fil.unlink()
    assert installningar.get("hemkommun") == "1401"


def test_the_served_app_runs_without_file_watcher_and_without_a_collection_per_run():
    config = tomllib.loads((installningar.REPO_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["fileWatcherType"] == "none" and config["server"]["runOnSave"] is False
    assert config["runner"]["postScriptGC"] is False
