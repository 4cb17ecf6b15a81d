"""PDF for the nämnd: the committee's monthly table (Månadsuppföljning) and the section "Ekonomiska
konsekvenser" (Vad händer om?), A4, in Swedish, made with fpdf2.

Every string is written as plain text: fpdf2 parses no markup unless asked (``markdown=False``, its
default, everywhere here), so a scenario name such as ``**fet** <b>`` is printed as typed. The text
is set in DejaVu Sans (shipped in assets/typsnitt), which has every character the app writes: å ä ö,
the en dash of a missing value (–), no-break spaces in numbers, the em spaces that indent regi rows,
typographic quotes. The document is tagged Swedish (sv-SE) and carries a title, an author and the
date it was made; headings become the PDF's bookmarks.

Both builders take what their page shows (the display strings of the table, the ``Avsnitt`` of the
.docx), never figures of their own, so the PDF, the page and the other files hold the same numbers.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import pandas as pd

from beslutsstod import installningar
from beslutsstod import talformat as fmt

PDF_MIME = "application/pdf"
TYPSNITT = "DejaVu"
TYPSNITT_FILER = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
# The fonts ship with the app (assets/typsnitt, DejaVu licence beside them); Debian's copy is the fallback.
TYPSNITT_KATALOGER = (installningar.REPO_ROOT / "assets" / "typsnitt", Path("/usr/share/fonts/truetype/dejavu"),
                      Path("/usr/share/fonts/dejavu"))
SKAPARE = "Beslutsstöd för socialnämnden"
PUNKT = "\u2022"  # bullet of a list
MORK = (27, 38, 49)  # text, as the app's (#1b2631)
GRA = (80, 88, 96)  # secondary text: 7,5:1 on white
LINJE = (150, 155, 160)
RAND_MM = 15


class TypsnittSaknas(RuntimeError):
    """The font the PDF is set in is not installed (the message is Swedish, for the page)."""


def typsnitt() -> dict[str, Path]:
    """Style ("" regular, "B" bold) → DejaVu Sans file, from the first folder that has both."""
    for katalog in TYPSNITT_KATALOGER:
        filer = {stil: katalog / namn for stil, namn in TYPSNITT_FILER.items()}
        if all(p.is_file() for p in filer.values()):
            return filer
    raise TypsnittSaknas("Typsnittet DejaVu Sans saknas, så ingen PDF kan skapas. Installera Debians paket "
                         "fonts-dejavu-core.")


def datum_text(d: dt.date) -> str:
    """'31 oktober 2026'."""
    return f"{d.day} {fmt.manad_namn(d.month, lang=True)} {d.year}"


def data_till_text(d: dt.date) -> str:
    """'Data till och med 31 oktober 2026.'"""
    return f"Data till och med {datum_text(d)}."


def _dokument(titel: str, forfattare: str, orientering: str, sidfot: str, skapad: dt.datetime | None):
    from fpdf import FPDF

    class Dokument(FPDF):
        def footer(self) -> None:
            self.set_y(-RAND_MM + 3)
            self.set_font(TYPSNITT, "", 7.5)
            self.set_text_color(*GRA)
            bredd = self.epw * 0.82
            text = sidfot
            while text and self.get_string_width(text) > bredd - 2:  # one line, never under the page number
                text = text[:-2].rstrip() + "…"
            self.cell(bredd, 4, text, align="L")
            self.cell(self.epw - bredd, 4, f"Sida {self.page_no()} av {{nb}}", align="R")

    pdf = Dokument(orientation=orientering, unit="mm", format="A4")
    for stil, fil in typsnitt().items():
        pdf.add_font(TYPSNITT, stil, str(fil))
    pdf.set_margins(RAND_MM, RAND_MM, RAND_MM)
    pdf.set_auto_page_break(True, margin=RAND_MM + 2)
    pdf.set_lang("sv-SE")
    pdf.set_title(titel)
    pdf.set_author(forfattare)
    pdf.set_subject(titel)
    pdf.set_creator(SKAPARE)
    pdf.set_producer(SKAPARE)
    pdf.set_creation_date((skapad or dt.datetime.now()).astimezone())
    pdf.set_display_mode("fullwidth")
    pdf.set_text_color(*MORK)
    pdf.add_page()
    return pdf


def _stycke(pdf, text: str, storlek: float = 10, stil: str = "", farg=MORK, efter: float = 1.5) -> None:
    pdf.set_font(TYPSNITT, stil, storlek)
    pdf.set_text_color(*farg)
    pdf.multi_cell(0, storlek * 0.45, text, align="L", markdown=False, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(efter)
    pdf.set_text_color(*MORK)


def _rubrik(pdf, text: str, niva: int, behov: float = 25) -> None:
    """A heading, also a bookmark; kept on one page with `behov` mm of what follows it."""
    storlek = {0: 15, 1: 12}[niva]
    if pdf.will_page_break(storlek * 0.45 + 3 + behov):
        pdf.add_page()
    pdf.start_section(text, level=niva)
    if niva:
        pdf.ln(2)
    _stycke(pdf, text, storlek, "B", efter=1 if niva else 2)


def _lista(pdf, rader: Sequence[str], storlek: float = 9.5) -> None:
    pdf.set_font(TYPSNITT, "", storlek)
    for rad in rader:
        x = pdf.get_x()
        pdf.cell(5, storlek * 0.45, PUNKT)
        pdf.multi_cell(0, storlek * 0.45, rad, align="L", markdown=False, new_x="LMARGIN", new_y="NEXT")
        pdf.set_x(x)
        pdf.ln(0.8)
    pdf.ln(1)


@dataclass(frozen=True)
class Tabellrad:
    """One row of a PDF table: its cells as shown, and how it is set."""

    celler: tuple[str, ...]
    fet: bool = False  # a subtotal or total


LUFT_MM = 2 * 1.2 + 0.6  # a cell's padding left and right, and a little room


def _ord(text: str) -> list[str]:
    """The pieces a cell may wrap between: at ordinary spaces only (a no-break space holds a number together)."""
    return [o for o in text.split(" ") if o] or [""]


def _bredder(pdf, kolumner: Sequence[str], rader: Sequence[Tabellrad], storlek: float) -> list[float]:
    """Column widths (mm) that fill the line, as a browser lays out a table: every column at least
    as wide as its longest word (a number never wraps), and the rest of the line shared out in
    proportion to how much wider each column's longest line would like to be."""
    minst, onskat = [], []
    for j, kolumn in enumerate(kolumner):
        pdf.set_font(TYPSNITT, "B", storlek)
        ord_ = [pdf.get_string_width(o) for o in _ord(kolumn)]
        lo, hi = max(ord_), max(ord_)  # a heading may wrap at its spaces
        for rad in rader:
            pdf.set_font(TYPSNITT, "B" if rad.fet else "", storlek)
            lo = max(lo, *(pdf.get_string_width(o) for o in _ord(rad.celler[j])))
            hi = max(hi, pdf.get_string_width(rad.celler[j]))
        minst.append(lo + LUFT_MM)
        onskat.append(hi + LUFT_MM)
    rum = pdf.epw - sum(minst)
    if rum <= 0:  # even the longest words do not fit: narrow every column alike (words break)
        return [m * pdf.epw / sum(minst) for m in minst]
    vill = [o - m for o, m in zip(onskat, minst)]
    if sum(vill) <= rum:  # every line fits: the space left goes to every column alike
        extra = (rum - sum(vill)) / len(minst)
        return [o + extra for o in onskat]
    return [m + rum * v / sum(vill) for m, v in zip(minst, vill)]


def _hojd(pdf, kolumner: Sequence[str], rader: Sequence[Tabellrad], bredder: Sequence[float],
          storlek: float) -> float:
    """About how tall the table is (mm): its rows' lines, the heading's, and the padding."""
    def rader_i(text: str, bredd: float) -> int:
        return max(1, math.ceil(pdf.get_string_width(text) / max(bredd - LUFT_MM, 1.0)))

    pdf.set_font(TYPSNITT, "B", storlek)
    linjer = max(rader_i(k, b) for k, b in zip(kolumner, bredder))
    pdf.set_font(TYPSNITT, "", storlek)
    linjer += sum(max(rader_i(c, b) for c, b in zip(rad.celler, bredder)) for rad in rader)
    return linjer * storlek * 0.5 + (len(rader) + 1) * 1.6 + 1.5


def _tabell(pdf, rubrik: str | None, kolumner: Sequence[str], rader: Sequence[Tabellrad], hoger: Sequence[bool],
            storlek: float = 8.5) -> None:
    """A table under its heading, as wide as the page; its heading row repeats on every page it takes.
    A table shorter than half a page starts on a new page rather than being split. The cells are plain text."""
    from fpdf.fonts import FontFace

    bredder = _bredder(pdf, kolumner, rader, storlek)
    hojd = _hojd(pdf, kolumner, rader, bredder, storlek)
    if rubrik:
        _rubrik(pdf, rubrik, 1, behov=hojd if hojd < pdf.eph / 2 else 30)
    elif hojd < pdf.eph / 2 and pdf.will_page_break(hojd):
        pdf.add_page()
    pdf.set_font(TYPSNITT, "", storlek)
    pdf.set_draw_color(*LINJE)
    pdf.set_line_width(0.2)
    justering = tuple("RIGHT" if h else "LEFT" for h in hoger)
    fet = FontFace(emphasis="BOLD")
    with pdf.table(col_widths=tuple(bredder), align="LEFT", text_align=justering,
                   borders_layout="HORIZONTAL_LINES", headings_style=FontFace(emphasis="BOLD", fill_color=(236, 239, 242)),
                   line_height=storlek * 0.5, padding=(0.8, 1.2), repeat_headings=1, markdown=False,
                   v_align="BOTTOM") as tabell:
        rubrikrad = tabell.row()
        for kolumn in kolumner:
            rubrikrad.cell(kolumn)
        for rad in rader:
            r = tabell.row()
            for text in rad.celler:
                r.cell(text, style=fet if rad.fet else None)
    pdf.ln(1.5)


# --------------------------------------------------------------------------- Månadsuppföljning


def manadsrapport_pdf(tabell: pd.DataFrame, radtyper: Sequence[str], *, rubrik: str, titel: str,
                      inledning: Sequence[str], fotnot: str | None, noter: Sequence[str], datadatum: dt.date,
                      demo: bool = False, skapad: dt.datetime | None = None) -> bytes:
    """The committee's follow-up table as an A4 (landscape) PDF, as the page shows it.

    `tabell` is the page's table of display strings (vyer.manadsuppfoljning.visningstabell: Swedish
    tkr, `..` where hidden, `–` for a figure that does not exist, regi rows indented), `radtyper` its
    rows' kinds (total, insats, regi). `rubrik` is the municipality and committee, `titel` the
    report's title (with its period), `inledning` the lines above the table (unit and selection,
    the method, how to read the signs), `fotnot` the small-number footnote when anything is
    hidden, `noter` the table's notes; `datadatum` the last day with data.
    """
    sidfot = f"{titel}. {data_till_text(datadatum)}"
    pdf = _dokument(titel, rubrik, "landscape", sidfot, skapad)
    _stycke(pdf, rubrik, 10, "B", efter=0.5)
    _rubrik(pdf, titel, 0)
    if demo:
        _stycke(pdf, "Demodata: alla uppgifter är fiktiva.", 10, "B", farg=(160, 0, 0))
    for rad in (*inledning, data_till_text(datadatum)):
        _stycke(pdf, rad, 9, efter=0.8)
    pdf.ln(2)

    kolumner = [str(k) for k in tabell.columns]
    rader = [Tabellrad(tuple(str(v) for v in rad), fet=typ != "regi")
             for rad, typ in zip(tabell.itertuples(index=False), radtyper)]
    _tabell(pdf, None, kolumner, rader, [False] + [True] * (len(kolumner) - 1), storlek=9)
    if fotnot:
        _stycke(pdf, fotnot, 8.5, farg=GRA)
    if noter:
        _rubrik(pdf, "Noter till tabellen", 1)
        _lista(pdf, noter, 8.5)
    return bytes(pdf.output())


# --------------------------------------------------------------------------- Ekonomiska konsekvenser


def ekonomiska_konsekvenser_pdf(avsnitt, forfattare: str, datadatum: dt.date | None = None,
                                skapad: dt.datetime | None = None) -> bytes:
    """The section "Ekonomiska konsekvenser" as an A4 PDF: the same text and tables as the .docx.

    `avsnitt` is dokument.tjansteskrivelse.Avsnitt: heading, paragraphs, assumptions, the tables
    (their display strings, `..` where hidden) with their footnotes, sources and decisions.
    `forfattare` (e.g. "Härryda kommun, Socialnämnden") heads the page and is the author.
    """
    from beslutsstod.begrepp import TOTALT

    sidfot = f"{forfattare}. {avsnitt.rubrik}." + (f" {data_till_text(datadatum)}" if datadatum else "")
    pdf = _dokument(avsnitt.rubrik, forfattare, "portrait", sidfot, skapad)
    _stycke(pdf, forfattare, 10, "B", efter=0.5)
    _rubrik(pdf, avsnitt.rubrik, 0)
    for stycke in avsnitt.stycken:
        _stycke(pdf, stycke, 10, efter=2)
    if datadatum:
        _stycke(pdf, data_till_text(datadatum), 9, farg=GRA)
    if avsnitt.antaganden:
        _rubrik(pdf, "Antaganden", 1)
        _lista(pdf, avsnitt.antaganden)
    for tb in avsnitt.tabeller:
        hoger = [f != "text" for f in tb.format]  # every other format is a number
        rader = [Tabellrad(tuple(celler), fet=rad[0] == TOTALT)
                 for rad, celler in zip(tb.rader, tb.text_rows())]
        _tabell(pdf, tb.rubrik, tb.kolumner, rader, hoger, storlek=8)
        if tb.fotnot:
            _stycke(pdf, tb.fotnot, 8, farg=GRA)
    _rubrik(pdf, "Källor och beslutsunderlag", 1)
    _lista(pdf, (*avsnitt.beslut, *avsnitt.kallor))
    if avsnitt.fotnot:
        _stycke(pdf, avsnitt.fotnot, 8, farg=GRA)
    return bytes(pdf.output())


