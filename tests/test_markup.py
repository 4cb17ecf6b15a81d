"""Issue 13, out: user-supplied strings are never Markdown or HTML, in the app or in Plotly charts."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from beslutsstod import saker_text
from beslutsstod.diagram import analys as diagram_analys
from beslutsstod.diagram import simulator as diagram_simulator
from beslutsstod.inlasning.importflode import AVVISAD, FilResultat
from beslutsstod.vyer import data as ds

FIENTLIGA_NAMN = ['<a href="https://evil.example">Klicka</a>', "<b>fet</b>",
                  '<span style="font-size:80px">stor</span>', "A & B <br> C",
                  "![s](https://tracker.example)", "[Klicka](https://evil.example)",
                  ":red[röd] :material/home:", "$x^2$", "**fet** _kursiv_ `kod`", "# rubrik",
                  "www.evil.example", "a@evil.example", "<img src=x onerror=alert(1)>"]


def _avkoda_markdown(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text).replace(saker_text.ORDFOG, "")


@pytest.mark.parametrize("namn", FIENTLIGA_NAMN)
def test_markdown_escape_lamnar_inga_markorer_och_visar_texten(namn):
    esc = saker_text.markdown(namn)
    # Every character that can open Markdown syntax is escaped, and unescaping gives the text back.
    assert _avkoda_markdown(esc) == namn
    assert not re.search(r"(?<!\\)[\[\]()<>*_`#$:!@]", esc)
    assert "www." not in esc and "://" not in esc and not re.search(r"@\w", esc)


def test_filnamn_i_dataSidans_texter_escapas():
    fil = "![s](https:tracker.example) [Klicka](https:evil.example).csv"
    typ, text = ds.rubrik(FilResultat(tabell="besok", fil=fil, status=AVVISAD, antal_fel=1))
    assert "](" not in text and "\\!\\[s\\]\\(https\\:tracker.example\\)" in text
    assert "https\\:\u2060//evil" in ds.rubrik(FilResultat(tabell="besok", fil="https://evil.example/x.csv",
                                                        status=AVVISAD))[1]


def _datastrangar(fig) -> list[str]:
    """Every string Plotly renders as markup, except our own hovertemplates."""
    ut = [fig.layout.title.text or ""]
    for trace in fig.data:
        for falt in ("name", "x", "y", "text", "hovertext"):
            varde = trace[falt] if falt in trace else None
            if isinstance(varde, str):
                ut.append(varde)
            elif varde is not None:
                ut += [v for v in varde if isinstance(v, str)]
    return ut


def test_plotly_figurer_visar_namn_som_text():
    # An utförare ranking and a scenario chart with hostile names: no tag survives in the
    # figure's data or layout; html.unescape gives the names back (Plotly shows the entities).
    import html
    diagram = pd.DataFrame({"Utförare": FIENTLIGA_NAMN, "Kostnad": range(len(FIENTLIGA_NAMN))})
    fig = diagram_analys.rangordning(diagram, "Utförare", "Kostnad", "Kostnad per <b>utförare</b>")
    assert not any("<" in t for t in _datastrangar(fig))
    assert [html.unescape(v) for v in fig.data[0].y] == FIENTLIGA_NAMN
    assert fig.layout.title.text == "Kostnad per &lt;b&gt;utförare&lt;/b&gt;"

    rader = pd.DataFrame({"serie": FIENTLIGA_NAMN[:2] * 2,
                          "insats": ["Hemtjänst"] * 2 + ["Kommunal primärvård"] * 2,
                          "kostnad_kr": [1.0, 2.0, 3.0, 4.0]})
    fig2 = diagram_simulator.jamforelse(rader, 2027)
    assert not any("<" in t for t in _datastrangar(fig2))
    assert [html.unescape(v) for v in fig2.data[0].x] == FIENTLIGA_NAMN[:2]


def test_docx_visar_namn_som_text():
    """The .docx holds hostile scenario names as plain runs: no hyperlink, no field, no markup."""
    import io
    import zipfile

    from beslutsstod.dokument import tjansteskrivelse as tj
    namn = '<a href="https://evil.example">x</a> [Klicka](https://evil.example) =HYPERLINK("https://evil.example")'
    avsnitt = tj.Avsnitt(rubrik=f"Scenario {namn}", stycken=(f"Scenariot {namn} kostar 1 000 kr.",),
                         antaganden=(), kallor=(namn,), beslut=(), tabeller=(tj.Tabell(
                             namn="Scenarier", rubrik=namn, kolumner=("Scenario", "Kostnad"),
                             format=("text", "kr"), rader=((namn, 1000),)),))
    with zipfile.ZipFile(io.BytesIO(tj.to_docx(avsnitt))) as zf:
        dokument = zf.read("word/document.xml").decode("utf-8")
        relationer = zf.read("word/_rels/document.xml.rels").decode("utf-8")
    assert "<w:hyperlink" not in dokument and "<w:fldSimple" not in dokument and "instrText" not in dokument
    assert "evil.example" not in relationer
    assert "&lt;a href=" in dokument  # the name is there, as text
