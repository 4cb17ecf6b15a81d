"""Reference data versioned in data/reference/: the 290 municipalities, OPI, published rates."""

from __future__ import annotations

import functools
import json
from pathlib import Path

from beslutsstod import installningar

# SCB länskoder → länsnamn (the 21 län), for hover texts and tables.
LAN_NAMN = {
    "01": "Stockholms län", "03": "Uppsala län", "04": "Södermanlands län",
    "05": "Östergötlands län", "06": "Jönköpings län", "07": "Kronobergs län",
    "08": "Kalmar län", "09": "Gotlands län", "10": "Blekinge län", "12": "Skåne län",
    "13": "Hallands län", "14": "Västra Götalands län", "17": "Värmlands län",
    "18": "Örebro län", "19": "Västmanlands län", "20": "Dalarnas län",
    "21": "Gävleborgs län", "22": "Västernorrlands län", "23": "Jämtlands län",
    "24": "Västerbottens län", "25": "Norrbottens län",
}


def geojson_path() -> Path:
    return installningar.reference_dir() / "kommuner.geojson"


@functools.cache
def _kommuner(path: Path) -> dict[str, tuple[str, str]]:
    with path.open(encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    return {
        f["properties"]["id"]: (f["properties"]["kom_namn"], LAN_NAMN[f["properties"]["lan_code"]])
        for f in features
    }


def kommuner() -> dict[str, tuple[str, str]]:
    """kommunkod → (kommunnamn, länsnamn) for all 290 municipalities."""
    return _kommuner(geojson_path())


def kommunnamn(kod: str) -> str:
    namn = kommuner().get(kod)
    return namn[0] if namn else f"Okänd kommun ({kod})"
