"""The generated "Ekonomiska konsekvenser" section, read back from .docx and .xlsx."""

from __future__ import annotations

import io
from decimal import Decimal

import docx
import openpyxl
import pandas as pd
import pytest

from beslutsstod.dokument import tjansteskrivelse as tj
from beslutsstod.regler import nivaer, opi
from beslutsstod.regler import simulator as sim

D = Decimal
CTX = {"published_rates": nivaer.load_published_rates(), "published_opi": opi.load_opi()}

# Hours as the SQL returns them: per insats, regi, vistelsekommun (1427 Sotenäs, 1480 Göteborg,
# 1481 Mölndal) and month.
HOURS = pd.DataFrame([
    ("hemtjanst", "vistelsekommun", "1427", 7, 5400, 5000, 454),
    ("hemtjanst", "vistelsekommun", "1427", 8, 3300, 3000, 454),
    ("hemtjanst", "privat", "1480", 7, 2300, 2000, 454),
    ("hemtjanst", "egen_regi", "1481", 7, 2500, 2345, 454),
    ("kommunal_primarvard", "vistelsekommun", "1427", 7, 900, 800, 828),
], columns=["insats", "regi", "vistelsekommun", "manad", "beviljad_timmar", "utford_timmar", "kr_per_timme"])
# Distinct persons per group (from the query; not additive).
PERSONER = {"totalt": 40, "insats": {"hemtjanst": 35, "kommunal_primarvard": 8},
            "regi": {"vistelsekommun": 30, "privat": 12, "egen_regi": 9},
            "vistelsekommun": {"1427": 30, "1480": 12, "1481": 9}, "manad": {7: 38, 8: 20}}
SCEN = sim.Scenario("Egen nivå + OPI", 2025, {"hemtjanst": sim.RateModel("egen"),
                                               "kommunal_primarvard": sim.RateModel("senaste_plus_opi")},
                    opi_antaganden={2025: "3.0"})


def norm(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.fixture(scope="module")
def result():
    return sim.scenario_cost(HOURS, SCEN, **CTX)


@pytest.fixture(scope="module")
def avsnitt(result):
    return tj.build_section(result, personer=PERSONER)


@pytest.fixture(scope="module")
def document(avsnitt):
    return docx.Document(io.BytesIO(tj.to_docx(avsnitt)))


def test_hand_computed_figures(result):
    t = result.totalt()
    # Hemtjänst 454 + 3,0 % = 467,62 → 468; primärvård VästKom 2024 828 + 3,0 % = 852,84 → 853.
    # Today: 5 000 × 454 + 3 000 × 454 + 2 000 × 454 × 1,06 + 2 345 × 454 + 800 × 828
    #      = 2 270 000 + 1 362 000 + 962 480 + 1 064 630 + 662 400 = 6 321 510
    assert t.kostnad_nu_kr == D(6321510)
    # New: 12 345 × 468 + 2 000 × 468 × 0,06 + 800 × 853 = 5 777 460 + 56 160 + 682 400 = 6 516 020
    assert t.kostnad_ny_kr == D(6516020)
    # +194 510 kr; 194 510 / 6 321 510 = 3,077 % → 3,1 %
    assert t.forandring_kr == D(194510) and t.forandring_procent == D("3.1")


def test_text_reads_like_the_tjansteskrivelse(avsnitt):
    text = norm(avsnitt.text())
    assert text.startswith("Ekonomiska konsekvenser")
    assert ("Förslaget innebär att ersättningen för hemtjänst blir 468 kronor per timme 2025 "
            "(454 kr + OPI 3,0 %) exklusive momskompensation.") in text
    assert "Ersättningen för kommunal primärvård blir 853 kronor per timme 2025 (828 kr + OPI 3,0 %)" in text
    assert "Med 2024 års volym, 13 145 utförda timmar, ökar kostnaden med 194 510 kr (3,1 %) till 6 516 020 kr." in text
    assert "6 321 510 kr" in text
    # Hemtjänst: 5 659 110 → 5 833 620, +174 510 (3,08 % → 3,1 %); primärvård 662 400 → 682 400, +20 000 (3,0 %)
    assert "För hemtjänst ökar kostnaden med 174 510 kr (3,1 %) till 5 833 620 kr." in text
    assert "För kommunal primärvård ökar kostnaden med 20 000 kr (3,0 %) till 682 400 kr." in text
    # Momskompensation: 2 000 × 468 × 0,06 = 56 160 kr, to private providers only.
    assert "momskompensation med 6 %" in text and "56 160 kr" in text
    assert "Vistelsekommuner och egen regi får ingen momskompensation" in text
    assert "Flest timmar utfördes i juli (10 145 timmar)." in text  # 5 000 + 2 000 + 2 345 + 800
    assert "förändrad volym" not in text  # no volume change: no decomposition sentence


def test_text_names_assumptions_sources_and_decisions(avsnitt):
    assert any("OPI 2025 (3,0 %) är ett antagande" in norm(a) for a in avsnitt.antaganden)
    assert any("VästKoms senaste publicerade rekommendation" in a for a in avsnitt.antaganden)
    assert "Tjänsteskrivelse 2024-05-20, dnr 2024SOCN66 709" in avsnitt.beslut
    assert "VästKom styrelse 2024-03-21 § 11" in avsnitt.beslut
    assert any(k.startswith("Volymer:") for k in avsnitt.kallor)


def _docx_text(document) -> str:
    return norm("\n".join(p.text for p in document.paragraphs))


def test_docx_text_names_rate_change_and_sources(document):
    text = _docx_text(document)
    assert "Ekonomiska konsekvenser" in text
    assert "468 kronor per timme 2025" in text
    assert "ökar kostnaden med 194 510 kr (3,1 %)" in text
    assert "Källor och beslutsunderlag" in text
    assert "2024SOCN66 709" in text and "VästKom styrelse 2024-03-21 § 11" in text
    assert "Antaganden" in text and "antagande" in text


def test_docx_tables_hold_the_same_figures(document, avsnitt):
    assert len(document.tables) == len(avsnitt.tabeller)
    for table, tabell in zip(document.tables, avsnitt.tabeller):
        cells = [[norm(c.text) for c in row.cells] for row in table.rows]
        assert cells[0] == list(tabell.kolumner)
        assert cells[1:] == [[norm(x) for x in row] for row in tabell.text_rows()]
    per_insats = {t.namn: t for t in avsnitt.tabeller}["Per insats"]
    total = [norm(c.text) for c in document.tables[1].rows[-1].cells]
    assert total[0] == "Totalt" and "6 516 020" in total and "+194 510" in total and "+3,1" in total
    assert per_insats.rader[-1][0] == "Totalt"


def test_rate_table(avsnitt):
    rate = avsnitt.tabeller[0].to_frame().set_index("Insats")
    assert rate.loc["Hemtjänst", "Nivå 2025 (kr/tim)"] == 468.0
    assert rate.loc["Hemtjänst", "Nivå 2024 (kr/tim)"] == 454.0
    assert rate.loc["Kommunal primärvård", "Förändring (kr/tim)"] == 25.0
    assert "467,62" in norm(rate.loc["Hemtjänst", "Beräkning"])


def test_xlsx_numbers_are_numbers_and_match(avsnitt):
    wb = openpyxl.load_workbook(io.BytesIO(tj.to_xlsx(avsnitt)))
    assert wb.sheetnames[0] == "Text"
    assert "Ekonomiska konsekvenser" == wb["Text"]["A1"].value
    ws = wb["Per insats"]
    header = [c.value for c in ws[3]]
    assert header == list({t.namn: t for t in avsnitt.tabeller}["Per insats"].kolumner)
    tabell = {t.namn: t for t in avsnitt.tabeller}["Per insats"]
    total_row = 3 + len(tabell.rader)  # title, blank, header, then the rows; "Totalt" is last
    assert ws.cell(total_row, 1).value == "Totalt"
    total = {h: c.value for h, c in zip(header, ws[total_row])}
    assert total["Kostnad 2025 (kr)"] == 6516020.0
    assert total["Kostnad med 2024 års nivå (kr)"] == 6321510.0
    assert total["Förändring (kr)"] == 194510.0
    assert total["Förändring (%)"] == pytest.approx(0.031)  # stored as a fraction, shown 3,1 %
    assert total["Utförda timmar 2024"] == 13145.0
    # Every table's numeric cells equal the Tabell's values.
    for tabell in avsnitt.tabeller:
        sheet = wb[tabell.namn]
        for i, row in enumerate(tabell.rader, start=4):
            for j, (value, fmt) in enumerate(zip(row, tabell.format), start=1):
                got = sheet.cell(i, j).value
                if value is None:
                    assert got == ".."
                elif isinstance(value, str):
                    assert got == value
                elif fmt in ("procent", "andring_procent"):
                    assert got == pytest.approx(float(value) / 100)
                else:
                    assert isinstance(got, (int, float)) and got == pytest.approx(float(value))


# --------------------------------------------------------------------------- small numbers


def test_small_groups_are_masked_in_tables_text_and_files(result):
    personer = {**PERSONER, "regi": {"vistelsekommun": 30, "privat": 3, "egen_regi": 9},
                "vistelsekommun": {"1427": 30, "1480": 3, "1481": 9}}
    a = tj.build_section(result, personer=personer)
    regi = {t.namn: t for t in a.tabeller}["Per regi"]
    rows = {r[0]: r for r in regi.rader}
    # Privat (3 persons) hidden; egen regi (9, the smallest other row) hidden too, so that
    # total − shown rows does not give the private providers' cost.
    assert all(v is None for v in rows["Privat (LOV/avtal)"][1:])
    assert all(v is None for v in rows["Egen regi"][1:])
    assert rows["Vistelsekommunen"][1] == 30 and rows["Totalt"][1] == 40
    assert regi.fotnot and a.fotnot
    text = norm(a.text())
    assert "56 160 kr" not in text  # the momskompensation amount would reveal the private cost
    assert "Till privata utförare betalas momskompensation med 6 %" in text
    d = docx.Document(io.BytesIO(tj.to_docx(a)))
    regi_table = d.tables[[t.namn for t in a.tabeller].index("Per regi")]
    assert [c.text for c in regi_table.rows[2].cells][1:] == [".."] * 7
    assert ".. = uppgiften visas inte" in "\n".join(p.text for p in d.paragraphs)
    wb = openpyxl.load_workbook(io.BytesIO(tj.to_xlsx(a)))
    assert wb["Per regi"].cell(5, 4).value == ".."


def test_masked_total_is_masked_everywhere(result):
    personer = {"totalt": 4, "insats": {"hemtjanst": 3, "kommunal_primarvard": 1},
                "regi": {"vistelsekommun": 2, "privat": 1, "egen_regi": 1},
                "vistelsekommun": {"1427": 2, "1480": 1, "1481": 1}, "manad": {7: 4, 8: 1}}
    a = tj.build_section(result, personer=personer)
    text = norm(a.text())
    assert "redovisas inte eftersom underlaget gäller färre än 5 personer" in text
    assert "6 516 020" not in text and "194 510" not in text
    assert "468 kronor per timme 2025" in text  # rates are public decisions, never masked
    for tabell in a.tabeller[1:]:
        assert all(v is None for v in tabell.rader[-1][1:]), tabell.namn


def test_open_view_requires_persons(result):
    with pytest.raises(ValueError, match="personer"):
        tj.build_section(result)
    with pytest.raises(ValueError, match="1481"):
        tj.build_section(result, personer={**PERSONER, "vistelsekommun": {"1427": 30, "1480": 12}})


def test_detail_view_without_persons(result):
    a = tj.build_section(result, oppen_vy=False)
    per_insats = {t.namn: t for t in a.tabeller}["Per insats"]
    assert "Personer" not in per_insats.kolumner
    assert all(v is not None for row in per_insats.rader for v in row) and a.fotnot is None


def test_none_cell_is_written_as_mask():
    tabell = tj.Tabell("T", "Test", ("Grupp", "Kostnad (kr)"), ("text", "kr"),
                       (("A", D(1000)), ("B", None)))
    a = tj.Avsnitt("Ekonomiska konsekvenser", ("Text.",), (), ("Källa",), (), (tabell,))
    d = docx.Document(io.BytesIO(tj.to_docx(a)))
    assert [c.text for c in d.tables[0].rows[2].cells] == ["B", ".."]
    assert norm(d.tables[0].rows[1].cells[1].text) == "1 000"
    wb = openpyxl.load_workbook(io.BytesIO(tj.to_xlsx(a)))
    assert wb["T"].cell(5, 2).value == ".." and wb["T"].cell(4, 2).value == 1000.0


# --------------------------------------------------------------------------- other wordings


def test_decrease_basis_switch_volume_and_comparison():
    s = sim.Scenario("Sänkt", 2025, {"hemtjanst": sim.RateModel("egen_summa", belopp_kr=440),
                                     "kommunal_primarvard": sim.RateModel("publicerad")},
                     grund="beviljad", volymforandring_procent=-10)
    with pytest.raises(sim.MissingInputError):
        sim.scenario_cost(HOURS, s, **CTX)  # no published primärvård level for 2025
    s = sim.Scenario("Sänkt", 2024, {"hemtjanst": sim.RateModel("egen_summa", belopp_kr=440),
                                     "kommunal_primarvard": sim.RateModel("publicerad")},
                     grund="beviljad", volymforandring_procent=-10)
    r = sim.scenario_cost(HOURS, s, **CTX)
    e = sim.arrears_correction(HOURS, {"hemtjanst": 441, "kommunal_primarvard": 750}, "3.5", "4.6", ar=2023)
    a = tj.build_section(r, volymar=2023, oppen_vy=False, jamforelse=[sim.scenario_cost(HOURS, SCEN, **CTX)],
                         efterreglering=e, demodata=True)
    text = norm(a.text())
    assert "enligt VästKoms rekommendation (VästKom styrelse 2024-03-21 § 11)" in text
    # Basis switches from 13 145 utförda to 14 400 beviljade hours, then −10 % volume.
    assert "ändrar grunden för ersättningen från utförd till beviljad tid" in text
    # 14 400 beviljade timmar − 10 % = 12 960 timmar
    assert "Med 2023 års volym, 14 400 beviljade timmar, och en volymförändring på -10,0 % till 12 960 timmar" in text
    assert "Beviljade timmar 2024" in {t.namn: t for t in a.tabeller}["Per insats"].kolumner
    assert "på förändrad volym och grund" in text
    assert "I jämförelsescenariot ”Egen nivå + OPI” blir ersättningen 468 kr för hemtjänst" in text
    assert "OPI 2023 var preliminärt 3,5 % och blev definitivt 4,6 %" in text
    assert "fiktiva demodata" in text
    assert len(a.tabeller) == 6 and a.tabeller[-1].namn == "Jämförelse"


def test_decrease_wording(result):
    s = sim.Scenario("Lägre", 2025, {"hemtjanst": sim.RateModel("egen_summa", belopp_kr=440),
                                     "kommunal_primarvard": sim.RateModel("egen_summa", belopp_kr=828)})
    r = sim.scenario_cost(HOURS, s, **CTX)
    text = norm(tj.build_section(r, oppen_vy=False).text())
    # 12 345 h × 14 kr + 2 000 × 14 × 0,06 = 172 830 + 1 680 = 174 510 kr less; 174 510 / 6 321 510 = 2,76 % → 2,8 %
    assert "minskar kostnaden med 174 510 kr (2,8 %) till 6 147 000 kr" in text
    assert "Ersättningen för kommunal primärvård blir 828 kronor per timme 2025 (eget belopp)" in text


def test_hemtjanst_after_vastkom_stopped_cites_the_decision():
    s = sim.Scenario("VästKom + OPI", 2025, {"hemtjanst": sim.RateModel("senaste_plus_opi")},
                     opi_antaganden={2024: "4.1", 2025: "3.0"})
    r = sim.scenario_cost(HOURS[HOURS["insats"] == "hemtjanst"], s, **CTX)
    a = tj.build_section(r, oppen_vy=False)
    assert "Protokoll VästKom 2023-12-12, § 67" in a.beslut
    assert any("upphörde att rekommendera" in x for x in a.antaganden)
    assert "blir 494 kronor per timme 2025 (433 kr för 2021 uppräknat med OPI för 2022–2025)" in norm(a.text())


def test_docx_is_a_swedish_a4_document_a_committee_can_file():
    # issue 11 point 7: sv-SE, A4 (21 × 29,7 cm) with 2,5 cm margins, title, author, creation time;
    # no "python-docx" author and no 2013 template date
    import datetime as dt

    from docx.oxml.ns import qn

    avsnitt = tj.Avsnitt("Ekonomiska konsekvenser", ("Ett stycke.",), (), ("källa",), (), ())
    skapad = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.timezone.utc)
    d = docx.Document(io.BytesIO(tj.to_docx(avsnitt, "Härryda kommun, Socialnämnden", skapad)))
    p = d.core_properties
    assert (p.title, p.author, p.language) == ("Ekonomiska konsekvenser", "Härryda kommun, Socialnämnden", "sv-SE")
    assert p.created == skapad and p.modified == skapad
    assert "python-docx" not in (p.author + p.last_modified_by + p.comments)
    s = d.sections[0]
    # stored in twips: compare to the millimetre
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    assert {round(m.mm) for m in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)} == {25}
    defaults = d.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:lang")).get(qn("w:val")) == "sv-SE"
