"""User- and file-supplied strings shown as data, never as Markdown, HTML or Plotly markup.

File and sheet names, utförare names, kommun names, scenario names and kartläggning comments
reach the screen through Streamlit's Markdown (st.markdown, st.caption, st.info … and widget
labels) and through Plotly, which renders a subset of HTML (<a href>, <b>, <span style>, <br>)
in trace names, hover labels, tick labels, titles and annotations. A file named
"![s](https://tracker.example).csv" would otherwise make the browser fetch an outside address,
and an utförare named '<a href="…">' would become a live link in a chart.

- `markdown(text)`: backslash-escapes every character that can begin Markdown syntax (links,
  images, emphasis, code, headings, lists, tables, HTML, Streamlit's ':color[…]' directives and
  ':icon:' codes, LaTeX '$', autolinks 'https://…' and e-mail autolinks '…@…'), breaks 'www.'
  autolinks, and turns line breaks into spaces. '.' and ',' stay as written ('b.csv').
- `tabell(df)`: `markdown` on every text cell, column and index label of a frame for st.table.
- `plotly(text)`: HTML-escapes & < > (Plotly shows the entities as the characters).
- `sakra_figur(fig)`: applies `plotly` to every data string of a finished figure (trace names,
  category values, text, hovertext, labels) and to layout titles and annotations. Our own
  hovertemplates are not touched; a value they insert (%{x}) is already escaped.
"""

from __future__ import annotations

import html
import re

import pandas as pd

_MARKDOWN_TECKEN = re.compile(r"([\\`*_{}\[\]()#+\-!|<>~$:@&])")
_WWW = re.compile(r"(?i)(www)\.")
ORDFOG = "\u2060"  # WORD JOINER: invisible, breaks the autolink patterns


def markdown(text: object) -> str:
    """The text shown literally by Streamlit's Markdown.

    Streamlit's GFM autolinks are found in the text after parsing (mdast-util-gfm-autolink-
    literal), where a backslash escape no longer counts: 'https://', 'www.' and e-mail addresses
    are therefore also broken with an invisible word joiner (':⁠//', 'www⁠.', '@⁠').
    """
    enrad = re.sub(r"[\r\n]+", " ", str(text))
    esc = _MARKDOWN_TECKEN.sub(r"\\\1", enrad)
    esc = _WWW.sub(r"\1" + ORDFOG + r"\\.", esc)
    return esc.replace("\\://", "\\:" + ORDFOG + "//").replace("\\@", "\\@" + ORDFOG)


def tabell(df: pd.DataFrame) -> pd.DataFrame:
    """A frame for st.table, which renders Markdown in every cell, header and index label: each text
    (an utförare's, a kommun's or a scenario's name) made literal; numbers are left as they are."""
    ut = df.map(lambda v: markdown(v) if isinstance(v, str) else v)
    ut.columns = [markdown(k) if isinstance(k, str) else k for k in df.columns]
    ut.index = [markdown(k) if isinstance(k, str) else k for k in df.index]
    ut.index.name = markdown(df.index.name) if isinstance(df.index.name, str) else df.index.name
    return ut


def plotly(text: object) -> str:
    """The text shown literally by Plotly (no <a>, <b>, <span style>, <br>)."""
    return html.escape(str(text), quote=False)


def _esc_varden(varden):
    if varden is None or isinstance(varden, (int, float)):
        return varden
    if isinstance(varden, str):
        return plotly(varden)
    try:
        lista = list(varden)
    except TypeError:
        return varden
    if not any(isinstance(v, str) for v in lista):
        return varden
    return [plotly(v) if isinstance(v, str) else v for v in lista]


_TRACE_FALT = ("name", "x", "y", "text", "hovertext", "labels", "ids")


def sakra_figur(fig):
    """Escape every data string of a finished figure (call once, just before it is returned)."""
    for trace in fig.data:
        for falt in _TRACE_FALT:
            if falt in trace and trace[falt] is not None:
                trace[falt] = _esc_varden(trace[falt])
    layout = fig.layout
    if layout.title and layout.title.text:
        layout.title.text = plotly(layout.title.text)
    for annotation in layout.annotations or ():
        if annotation.text:
            annotation.text = plotly(annotation.text)
    for axel in ("xaxis", "yaxis"):
        ax = layout[axel]
        if ax.ticktext is not None:
            ax.ticktext = _esc_varden(ax.ticktext)
        if ax.title and ax.title.text:
            ax.title.text = plotly(ax.title.text)
    if layout.legend and layout.legend.title and layout.legend.title.text:
        layout.legend.title.text = plotly(layout.legend.title.text)
    return fig
