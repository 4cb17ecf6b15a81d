"""The PDFs for the nämnd (beslutsstod/dokument/pdf.py), read back with pypdf as a reader would: the
monthly report holds the figures Månadsuppföljning's table shows, row by row, `..` where the page hides
one; "Ekonomiska konsekvenser" holds the text and the tables of the .docx. Both A4, Swedish, plain text."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import pandas as pd
import pytest
from docx import Document
from pypdf import PdfReader

from beslutsstod import begrepp
from beslutsstod.data import db
from beslutsstod.dokument import pdf
from beslutsstod.regler import prognos, smatalsskydd
from beslutsstod.vyer import manadsuppfoljning
from beslutsstod.vyer import simulator as sd
from beslutsstod.vyer.urval import Filter, Sammanhang
from tests.fixtures_simulator import hand_berakning

A4_PT = (595.28, 841.89)  # 210 × 297 mm
DATA_TILL = dt.date(2026, 10, 31)


def las(data: bytes) -> tuple[PdfReader, str]:
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(sida.extract_text() for sida in reader.pages)


def ord_(text: str) -> str:
    """Words separated by one space: no-break and em spaces, line breaks of wrapped text, indents gone."""
    return " ".join(text.replace("\xa0", " ").replace("\u2003", " ").split())


def rader(text: str) -> list[str]:
    return [ord_(r) for r in text.splitlines()]


def sidans_tabell(vy: manadsuppfoljning.ManadsuppfoljningVy) -> list[list[str]]:
    """The committee table as st.table shows it: the Styler's display strings, heading first."""
    return [r.split("|") for r in vy.tabell.to_string(delimiter="|").splitlines()]


def storlek(reader: PdfReader, sida: int = 0) -> tuple[float, float]:
    box = reader.pages[sida].mediabox
    return round(float(box.width), 2), round(float(box.height), 2)


@pytest.fixture(scope="module")
def demo_fraga(demo_data_dir):
    database = db.Database(demo_data_dir / "extracts", hemkommun="1401", momskompensation_procent=6.0)
    return lambda namn, p: database.query(namn, p or {}).to_pandas()


def manadsvy(fraga, oppen_vy: bool, kommuner=()) -> manadsuppfoljning.ManadsuppfoljningVy:
    s = Sammanhang(fraga, oppen_vy, 5, "1401", demodata=True)
    return manadsuppfoljning.manadsuppfoljning(s, Filter(2026, [], [], list(kommuner), DATA_TILL), 10,
                                               prognos.SEASONAL)


# --------------------------------------------------------------------------- Månadsuppföljning


def test_the_monthly_report_holds_the_pages_table_row_by_row(demo_fraga):
    vy = manadsvy(demo_fraga, oppen_vy=False)
    reader, text = las(vy.pdf())
    assert vy.pdf_namn == "manadsuppfoljning_2026_10.pdf"
    assert storlek(reader) == A4_PT[::-1]  # landscape: eight columns side by side
    assert reader.trailer["/Root"]["/Lang"] == "sv-SE" and reader.metadata.title == vy.rubrik
    assert reader.metadata.author == "Härryda kommun – Socialnämnden"
    linjer = rader(text)
    # every row of the page's table is one line of the PDF, its cells in the page's order, rows in order
    tabell = sidans_tabell(vy)
    assert [r[0].strip() for r in tabell[1:]][-1] == begrepp.TOTALT
    platser = [linjer.index(ord_(" ".join(c for c in rad if c.strip()))) for rad in tabell[1:]]
    assert platser == sorted(platser)
    # e.g. the total's outcome so far, as the page writes it (Swedish tkr with a no-break space)
    total = dict(zip(tabell[0], tabell[-1]))
    assert ord_(total["Ack utfall"]) in linjer[platser[-1]].split(" ", 1)[1]
    alla = ord_(text)
    for rad in ("Härryda kommun – Socialnämnden", vy.rubrik, "Demodata: alla uppgifter är fiktiva.",
                "Belopp i tkr. År 2026; insats: alla; regi: alla; kommun: alla.",
                "Data till och med 31 oktober 2026.", *[n.removeprefix("- ") for n in vy.noter.splitlines()]):
        assert ord_(rad) in alla, rad
    assert smatalsskydd.footnote_sv(5) not in alla  # nothing is hidden in the detail view
    assert "Sida 1 av 1" in alla


def test_what_the_page_hides_the_pdf_hides(demo_fraga):
    # Åre (2321): 4 of our residents January–October 2026, hidden in the open view
    detalj, oppen = manadsvy(demo_fraga, False, ["2321"]), manadsvy(demo_fraga, True, ["2321"])
    _, text = las(oppen.pdf())
    linjer = rader(text)
    tabell = sidans_tabell(oppen)
    for rad in tabell[1:]:
        assert ord_(" ".join(c for c in rad if c.strip())) in linjer
    total = dict(zip(tabell[0], tabell[-1]))
    assert total["Ack utfall"] == begrepp.MASK
    assert ord_(smatalsskydd.footnote_sv(5)) in ord_(text)
    # no figure the detail view shows in the hidden cells reaches the open PDF
    visad = dict(zip(sidans_tabell(detalj)[0], sidans_tabell(detalj)[-1]))
    assert visad["Ack utfall"] != begrepp.MASK and ord_(visad["Ack utfall"]) not in ord_(text)


def test_a_long_table_repeats_its_heading_and_numbers_its_pages():
    kolumner = [prognos.LABEL_COLUMN, "Ack utfall", "Avvikelse"]
    namn = [f"Rad {i} åäö" for i in range(120)]
    tabell = pd.DataFrame([[n, f"{i}\xa0234,5", begrepp.SAKNAS if i % 2 else begrepp.MASK]
                           for i, n in enumerate(namn)], columns=kolumner)
    data = pdf.manadsrapport_pdf(tabell, ["insats"] * 120, rubrik="Härryda kommun – Socialnämnden",
                                 titel="Månadsuppföljning per den 31 oktober 2026", inledning=("Belopp i tkr.",),
                                 fotnot=None, noter=("En not.",), datadatum=DATA_TILL,
                                 skapad=dt.datetime(2026, 11, 2, 9, 0))
    reader, text = las(data)
    sidor = len(reader.pages)
    assert sidor >= 3
    for i, sida in enumerate(reader.pages, start=1):
        sidtext = sida.extract_text()
        assert f"Sida {i} av {sidor}" in sidtext
        if "Rad " in sidtext:
            assert prognos.LABEL_COLUMN in sidtext  # the heading row on every page the table takes
    linjer = rader(text)
    assert all(f"{n} {i} 234,5 {begrepp.SAKNAS if i % 2 else begrepp.MASK}" in linjer for i, n in enumerate(namn))
    assert reader.metadata.creation_date.date() == dt.date(2026, 11, 2)


def test_without_its_font_the_pdf_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(pdf, "TYPSNITT_KATALOGER", (tmp_path,))
    with pytest.raises(pdf.TypsnittSaknas, match="fonts-dejavu-core"):
        pdf.manadsrapport_pdf(pd.DataFrame({"Verksamhet": ["Totalt"]}), ["total"], rubrik="", titel="",
                              inledning=(), fotnot=None, noter=(), datadatum=DATA_TILL)


# --------------------------------------------------------------------------- Ekonomiska konsekvenser


def simulatorvy(namn: str | None = None) -> sd.SimulatorVy:
    """The hand basis in the open view, the first scenario detailed; `namn` renames the second."""
    u, k, b = hand_berakning()
    scenarier = list(b.scenarier)
    if namn is not None:
        scenarier[1] = dataclasses.replace(scenarier[1], namn=namn)
    fu = sd.Forutsattningar("", u.volymar, k.malar, None, u.noter, u, k, tuple(scenarier), "", False, DATA_TILL)
    s = Sammanhang(lambda n, p: pytest.fail(f"no query in the results step ({n})"), True, 5, "1401")
    return sd.simulator(s, fu, sd.Scenarioval(tuple(scenarier)))


def test_ekonomiska_konsekvenser_holds_the_text_and_tables_of_the_docx():
    vy = simulatorvy()
    reader, text = las(vy.pdf())
    assert vy.pdf_namn == vy.docx_namn.removesuffix(".docx") + ".pdf"
    assert storlek(reader) == A4_PT and reader.trailer["/Root"]["/Lang"] == "sv-SE"
    assert reader.metadata.title == "Ekonomiska konsekvenser"
    assert reader.metadata.author == "Härryda kommun, Socialnämnden"
    doc = Document(io.BytesIO(vy.docx()))
    alla, linjer = ord_(text), rader(text)
    # every paragraph of the Word file (headings, text, assumptions, footnotes, sources), word for word
    stycken = [p.text for p in doc.paragraphs if p.text.strip()]
    assert len(stycken) > 10
    for stycke in stycken:
        assert ord_(stycke) in alla, stycke
    assert "468 kronor per timme 2025 (454 kr + OPI 3,0 %)" in alla
    # every table: its rows in the PDF as in the Word file (a row whose cells do not wrap is one line)
    assert len(doc.tables) >= 3
    for table in doc.tables:
        rubrik = [c.text for c in table.rows[0].cells]
        for row in table.rows[1:]:
            celler = [c.text for c in row.cells]
            if any(len(c) > 30 for c in celler):  # a long text cell wraps: each cell's words are there
                assert all(ord_(c) in alla for c in celler), celler
            else:
                assert ord_(" ".join(c for c in celler if c)) in linjer, (rubrik, celler)
    assert "Data till och med 31 oktober 2026." in alla


def test_scenario_names_are_text_never_markup():
    namn = "**Fet** <b>x</b> [länk](https://exempel.se) _k_ & ”citat”"
    vy = simulatorvy(namn)
    reader, text = las(vy.pdf())
    assert f"I jämförelsescenariot ”{namn}”" in ord_(text)
    assert all("/Annots" not in sida for sida in reader.pages)  # no link was made of it
