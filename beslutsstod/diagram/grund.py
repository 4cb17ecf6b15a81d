"""Plotly figure builders. They return figures and never call Streamlit.

Everything the charts share lives here: the palette (WCAG 2.1: text ≥ 4,5:1 and bars, lines and
markers ≥ 3:1 against the white background, measured by `kontrast` in tests/test_diagram_tillganglighet.py),
the layout (Swedish separators, dark axis text), the mode bar in Swedish (`PLOTLY_CONFIG`), the
explicit drawing of a hidden value (`dolda_staplar`: a hatched bar with the legend entry "dolt (..)",
never a gap) and of a missing one (`saknade_punkter`: an open marker, "saknas (–)"), and the chart's
text alternative (`Diagramtext`: a short summary and the chart's numbers as a table, masked as the
chart is, built by `beskriv` from the same points the figure is drawn from).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from beslutsstod import begrepp, saker_text
from beslutsstod import talformat as fmt

BAKGRUND = "#ffffff"
TEXTFARG = "#31333f"  # Streamlit's text colour: 12,5:1 on white (Plotly's theme grey #808495 was 3,72:1)
RUTNAT = "#e6e9ef"  # grid lines: decoration only, the tick labels carry the scale
# Calm, colour-blind-safe pair for "this year" and "the year before"; neither implies good/bad. The
# year before is lighter but still ≥ 3:1 on white, and its bars are dotted, so colour is not the only carrier.
FARG_AR = "#1f5f8b"
FARG_FOREG_AR = "#6b93bd"
MONSTER_FOREG_AR = "."
# A hidden value (small-number protection): a grey cross-hatched bar over the whole height, "we do not
# show this value", never a missing bar that reads as zero.
FARG_DOLT = "#595959"  # 7,0:1 on white
MONSTER_DOLT = "x"
DOLT_NAMN = f"dolt ({begrepp.MASK})"
DOLT_HJALP = "dolt: färre än gränsen för små tal"
SAKNAS_NAMN = f"saknas ({begrepp.SAKNAS})"
FARG_SAKNAS = "#595959"

LAYOUT = dict(separators=", ", font=dict(family="Source Sans Pro, sans-serif", size=14, color=TEXTFARG),
              title=dict(font=dict(color=TEXTFARG)), paper_bgcolor=BAKGRUND, plot_bgcolor=BAKGRUND,
              margin=dict(l=10, r=10, t=60, b=10),
              legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1.0,
                          font=dict(color=TEXTFARG)),
              hoverlabel=dict(font=dict(color=TEXTFARG), bgcolor=BAKGRUND))
AXEL = dict(color=TEXTFARG, tickfont=dict(color=TEXTFARG), title=dict(font=dict(color=TEXTFARG)),
            gridcolor=RUTNAT, linecolor=TEXTFARG, zerolinecolor="#8a8f98")

# Plotly's mode bar in Swedish, with one button: download the chart as a PNG (the other seven were
# tab stops in English that a committee member has no use for). Streamlit's bundled plotly.js has no
# Swedish locale registered, so the strings a user can meet are given here (config "locales").
PLOTLY_SV = {
    "dictionary": {
        "Download plot as a PNG": "Ladda ned diagrammet som PNG",
        "Download plot": "Ladda ned diagrammet",
        "Preparing image - this may take a few seconds": "Bilden skapas, det kan ta några sekunder",
        "Image download succeeded": "Bilden är nedladdad",
        "Sorry, there was a problem downloading your image!": "Bilden kunde inte laddas ned.",
        "Double-click to zoom back out": "Dubbelklicka för att zooma ut igen",
        "Double-click on legend to isolate one trace": "Dubbelklicka på en förklaring för att visa bara den serien",
        "Reset view": "Återställ vyn",
        "trace": "serie",
    },
    "format": {
        "days": ["söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"],
        "shortDays": ["sön", "mån", "tis", "ons", "tor", "fre", "lör"],
        "months": list(fmt.MANADER_LANG),
        "shortMonths": list(fmt.MANADER),
        "date": "%Y-%m-%d",
        "decimal": ",",
        "thousands": "\u00a0",
    },
}
class FardigFigur(go.Figure):
    """A finished figure whose dict is computed once. st.plotly_chart calls the figure's to_dict on
    every rerun, and plotly's to_dict deep-copies the whole figure (31 ms for Vistelsekommuner's map of
    290 kommuner). A page model's figures are never changed after they are built (ui.modell shares
    them between sessions), so the dict of the first rerun is the dict of every rerun."""

    def __init__(self, fig: go.Figure) -> None:  # no Figure.__init__: nothing to validate again
        self._bs_dict = fig.to_dict()

    def to_dict(self) -> dict:
        return self._bs_dict


def fardig(fig: go.Figure) -> FardigFigur:
    """The figure as st.plotly_chart takes it: made once per figure object and kept on it."""
    if not isinstance(getattr(fig, "_bs_fardig", None), FardigFigur):
        fig._bs_fardig = FardigFigur(fig)  # an underscore attribute: plotly stores it as it is
    return fig._bs_fardig


PLOTLY_CONFIG = {"locale": "sv", "locales": {"sv": PLOTLY_SV}, "displaylogo": False,
                 "modeBarButtons": [["toImage"]],
                 "toImageButtonOptions": {"format": "png", "filename": "diagram", "scale": 2}}


def _luminans(farg: str) -> float:
    h = farg.lstrip("#")
    kanaler = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in kanaler]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def kontrast(a: str, b: str = BAKGRUND) -> float:
    """WCAG 2.1 contrast ratio of two #rrggbb colours (1 … 21)."""
    ljus, mork = sorted((_luminans(a), _luminans(b)), reverse=True)
    return (ljus + 0.05) / (mork + 0.05)


def avsluta(fig: go.Figure, titel: str | None, **extra) -> go.Figure:
    """The shared layout and axis colours, then every user-supplied string made literal (last step)."""
    fig.update_layout(**{**LAYOUT, "title": dict(text=titel, font=dict(color=TEXTFARG)), **extra})
    fig.update_xaxes(**AXEL)
    fig.update_yaxes(**AXEL)
    return saker_text.sakra_figur(fig)


def _topp(varden: Iterable) -> float:
    """The height a hidden-value bar reaches: the largest shown value (1 when nothing is shown)."""
    visade = [float(v) for v in varden if v is not None and not begrepp.saknas(v)]
    storst = max(visade, default=0.0)
    return storst if storst > 0 else 1.0


def _i_forklaring(fig: go.Figure, grupp: str) -> bool:
    return any(t.legendgroup == grupp and t.showlegend is not False for t in fig.data)


def dolda_staplar(fig: go.Figure, x: list, topp: float, *, offsetgroup: str | None = None,
                  horisontell: bool = False) -> None:
    """Hidden values drawn explicitly: a cross-hatched grey bar to the chart's top, legend "dolt (..)"
    (once per figure however many series have hidden values)."""
    if not x:
        return
    visa_i_forklaring = not _i_forklaring(fig, "dolt")
    varden = [topp] * len(x)
    monster = dict(shape=MONSTER_DOLT, fgcolor=FARG_DOLT, bgcolor=BAKGRUND, size=8, solidity=0.25)
    fig.add_bar(name=DOLT_NAMN, legendgroup="dolt", showlegend=visa_i_forklaring,
                x=varden if horisontell else x, y=x if horisontell else varden,
                orientation="h" if horisontell else "v", offsetgroup=offsetgroup,
                marker=dict(color=BAKGRUND, pattern=monster, line=dict(color=FARG_DOLT, width=1)),
                text=[begrepp.MASK] * len(x), textposition="inside", insidetextanchor="middle",
                textfont=dict(color=TEXTFARG, size=16),
                hovertemplate=("%{y}" if horisontell else "%{x}") + ": " + DOLT_HJALP + "<extra></extra>")


def saknade_punkter(fig: go.Figure, x: list, *, offsetgroup: str | None = None, namn: str = SAKNAS_NAMN,
                    text: str = "saknas") -> None:
    """Values without data drawn explicitly: an open marker on the zero line with a label, never a zero bar."""
    if not x:
        return
    visa_i_forklaring = not _i_forklaring(fig, "saknas")
    fig.add_scatter(name=namn, legendgroup="saknas", showlegend=visa_i_forklaring, x=x, y=[0] * len(x),
                    mode="markers+text", offsetgroup=offsetgroup, text=[text] * len(x), textposition="top center",
                    marker=dict(symbol="circle-open", size=10, color=FARG_SAKNAS, line=dict(width=2)),
                    textfont=dict(color=TEXTFARG), hovertemplate="%{x}: " + text + "<extra></extra>")


# --- text alternative ---------------------------------------------------------------------------

VISAS, DOLT, SAKNAS = "visas", "dolt", "saknas"
MAX_UPPRAKNADE = 6  # hidden or missing points named in the summary; more are counted


@dataclass(frozen=True)
class Diagramtext:
    """A chart's text alternative: the short summary (shown next to it and its accessible name)
    and its numbers as a table of text, masked as the chart is (`..` hidden, `–` no data)."""
    sammanfattning: str
    siffror: pd.DataFrame

    @functools.cached_property
    def tabell(self) -> pd.DataFrame:
        """The numbers for st.table (an HTML table a screen reader can walk), the first column as its
        index, every text made literal (st.table renders Markdown); made once per chart text."""
        siffror = saker_text.tabell(self.siffror)
        return siffror.set_index(siffror.columns[0])


def punkter(rader: Iterable[tuple[str, str, float | None, str]]) -> pd.DataFrame:
    """The points of a chart: (kategori, serie, varde, status) with status visas/dolt/saknas."""
    return pd.DataFrame(list(rader), columns=["kategori", "serie", "varde", "status"])


def _lista(namn: list[str]) -> str:
    if len(namn) > MAX_UPPRAKNADE:
        return ", ".join(namn[:MAX_UPPRAKNADE]) + f" och {len(namn) - MAX_UPPRAKNADE} till"
    return ", ".join(namn[:-1]) + (" och " if len(namn) > 1 else "") + namn[-1]


def beskriv(titel: str, p: pd.DataFrame, *, enhet: str = "kr", kategori: str = "Månad", decimaler: int = 0,
            saknas_text: str = "saknar data", format_=None, extra: str | None = None,
            namnform: str = "{serie}, {kategori}") -> Diagramtext:
    """The summary (what the chart shows, its largest and smallest shown value, what is hidden or
    missing) and the table of the chart's numbers, from the chart's points (see `punkter`).
    `namnform` names a point when there are several series ("{kategori} {serie}": "jul 2025")."""
    formatera = format_ or (lambda v: fmt.fmt_tal(v, decimaler) + (f" {enhet}" if enhet else ""))
    serier = list(dict.fromkeys(p["serie"]))
    en_serie = len(serier) == 1

    def namn(rad) -> str:
        return str(rad["kategori"]) if en_serie else namnform.format(serie=rad["serie"], kategori=rad["kategori"])

    delar = [titel.rstrip(".") + "."]
    visas = p.loc[(p["status"] == VISAS) & p["varde"].map(lambda v: not begrepp.saknas(v))]
    if len(visas) == 0:
        delar.append("Diagrammet har inga visade värden.")
    elif len(visas) == 1:
        rad = visas.iloc[0]
        delar.append(f"Ett värde visas: {namn(rad)}, {formatera(float(rad['varde']))}.")
    else:
        varden = visas["varde"].astype(float)
        hog, lag = visas.loc[varden.idxmax()], visas.loc[varden.idxmin()]
        delar.append(f"Högst: {namn(hog)}, {formatera(float(hog['varde']))}. "
                     f"Lägst: {namn(lag)}, {formatera(float(lag['varde']))}.")
    dolda = p.loc[p["status"] == DOLT]
    if len(dolda):
        delar.append(f"{len(dolda)} av {len(p)} värden är dolda ({begrepp.MASK}) för att skydda små tal: "
                     f"{_lista([namn(r) for _, r in dolda.iterrows()])}.")
    saknade = p.loc[p["status"] == SAKNAS]
    if len(saknade) > MAX_UPPRAKNADE:
        delar.append(f"{len(saknade)} av {len(p)} värden: {saknas_text} ({begrepp.SAKNAS}).")
    elif len(saknade):
        delar.append(f"{saknas_text[0].upper()}{saknas_text[1:]} ({begrepp.SAKNAS}): "
                     f"{_lista([namn(r) for _, r in saknade.iterrows()])}.")
    if extra:
        delar.append(extra)

    def cell(rad) -> str:
        if rad["status"] == DOLT:
            return begrepp.MASK
        if rad["status"] == SAKNAS or begrepp.saknas(rad["varde"]):
            return begrepp.SAKNAS
        return formatera(float(rad["varde"]))

    tabell = p.assign(cell=[cell(r) for _, r in p.iterrows()])
    siffror = (tabell.pivot_table(index="kategori", columns="serie", values="cell", aggfunc="first", sort=False)
               .reindex(index=list(dict.fromkeys(p["kategori"])), columns=serier).fillna(begrepp.SAKNAS))
    siffror = siffror.reset_index().rename(columns={"kategori": kategori})
    siffror.columns.name = None
    if en_serie and serier[0] == "":
        siffror = siffror.rename(columns={"": "Värde"})
    return Diagramtext(" ".join(delar), siffror)


def kostnad_per_manad_punkter(rader: pd.DataFrame, ar: int, dolda: set[tuple[int, int]] = frozenset(),
                              saknar_data: set[tuple[int, int]] = frozenset()) -> pd.DataFrame:
    """The points of `kostnad_per_manad`: every month of both years that has a row, is hidden or has no
    data; a month whose row has no amount (visits without a rate) is `saknas` as well."""
    rad = []
    for year in (ar - 1, ar):
        per_manad = rader.loc[rader["ar"] == year].set_index("manad")["kostnad_kr"]
        for m in range(1, 13):
            if (year, m) in dolda:
                rad.append((fmt.MANADER[m - 1], str(year), math.nan, DOLT))
            elif (year, m) in saknar_data or (m in per_manad.index and begrepp.saknas(per_manad.get(m))):
                rad.append((fmt.MANADER[m - 1], str(year), math.nan, SAKNAS))
            elif m in per_manad.index:
                rad.append((fmt.MANADER[m - 1], str(year), float(per_manad.get(m)), VISAS))
    return punkter(rad)


def kostnad_per_manad(rader: pd.DataFrame, ar: int, dolda: set[tuple[int, int]] = frozenset(),
                      saknar_data: set[tuple[int, int]] = frozenset(), belopp: str = "Kostnad") -> go.Figure:
    """Grouped bars: cost (or revenue: ``belopp`` "Intäkt") per month for `ar` and the year before.

    A hidden month (small numbers) is a cross-hatched "dolt (..)" bar and a month without time
    registrations an open "saknas" marker in its place, so neither reads as zero or as nothing.
    """
    fig = go.Figure()
    topp = _topp(rader["kostnad_kr"])
    p = kostnad_per_manad_punkter(rader, ar, dolda, saknar_data)
    for year, colour, monster in ((ar - 1, FARG_FOREG_AR, MONSTER_FOREG_AR), (ar, FARG_AR, "")):
        per_manad = rader.loc[rader["ar"] == year].set_index("manad")["kostnad_kr"]
        values = [None if (year, m) in dolda else per_manad.get(m) for m in range(1, 13)]
        fig.add_bar(name=str(year), x=list(fmt.MANADER), y=values, offsetgroup=str(year),
                    marker=dict(color=colour, pattern=dict(shape=monster, fgcolor=BAKGRUND, size=5, solidity=0.3,
                                                          fillmode="overlay")),
                    hovertemplate="%{x} " + str(year) + ": %{y:,.0f} kr<extra></extra>")
        ars = p.loc[p["serie"] == str(year)]
        dolda_staplar(fig, list(ars.loc[ars["status"] == DOLT, "kategori"]), topp, offsetgroup=str(year))
        saknade_punkter(fig, list(ars.loc[ars["status"] == SAKNAS, "kategori"]), offsetgroup=str(year))
    return avsluta(fig, f"{belopp} per månad, {ar - 1} och {ar}", barmode="group", scattermode="group",
                   yaxis=dict(title="kr", tickformat=",.0f"), xaxis=dict(title=None))
