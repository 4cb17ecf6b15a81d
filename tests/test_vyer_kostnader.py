"""vyer/kostnader.py: the yearly table's masking and changes, fixed prices, and the page model on demo data."""

from __future__ import annotations

import pandas as pd
import pytest

from beslutsstod.regler import fasta_priser, opi, smatalsskydd
from beslutsstod.vyer import kostnader
from beslutsstod.vyer.tabell import visningstabell

OPI = opi.load_opi()
ET = {"hemtjanst": "Hemtjänst", "kommunal_primarvard": "Kommunal primärvård",
      "egen_regi": "Egen regi", "privat": "Privat", "vistelsekommun": "Vistelsekommunen"}


# --- Kostnader över år: masking and changes ---------------------------------------------------


def _per_ar_rader() -> pd.DataFrame:
    """Hand-written rows of queries/kostnader/per_ar: two years, costs only."""
    rows = []

    def add(ar, dim, grupp, kr, personer, timmar=10.0, jmf=False, riktning="kostnad"):
        rows.append(dict(ar=ar, is_jamforelse=jmf, riktning=riktning, dimension=dim, grupp=grupp, kostnad_kr=kr,
                         utford_timmar=timmar, debiterbara_timmar=timmar, antal_personer=personer, antal_besok=personer,
                         antal_besok_utan_niva=0))
    add(2024, "totalt", None, 10000.0, 22)
    add(2024, "insats", "hemtjanst", 1000.0, 3)  # 3 persons: hidden
    add(2024, "insats", "kommunal_primarvard", 9000.0, 20)  # hidden too (second cell of the line)
    add(2024, "regi", "egen_regi", 4000.0, 10)
    add(2024, "regi", "privat", 6000.0, 12)
    add(2025, "totalt", None, 12000.0, 30)
    add(2025, "insats", "hemtjanst", 2000.0, 8)
    add(2025, "insats", "kommunal_primarvard", 10000.0, 25)
    add(2025, "regi", "egen_regi", 5000.0, 12)
    add(2025, "regi", "privat", 7000.0, 18)
    add(2025, "totalt", None, 800.0, 2, riktning="intakt")
    add(2025, "insats", "hemtjanst", 800.0, 2, riktning="intakt")
    add(2025, "regi", "egen_regi", 800.0, 2, riktning="intakt")
    return pd.DataFrame(rows)


def test_kostnader_insats_masks_line_and_changes():
    t = kostnader.kostnader_per_ar(_per_ar_rader(), riktning="kostnad", dimension="insats", ar=2025, till_manad=12,
                                oppen_vy=True, smatal_grans=5, etiketter=ET)
    d, m = t.tabell.data, t.tabell.mask
    assert list(d["Insats"]) == ["Hemtjänst", "Kommunal primärvård", "Alla insatser"] * 2
    # 2024: hemtjänst (3) primary, primärvård secondary; the year's total stays shown
    assert m["Kostnad (kr)"].tolist() == [True, True, False, False, False, False]
    assert m["Personer"].tolist() == m["Kostnad (kr)"].tolist()
    # 2025's changes against hidden 2024 cells would give them away: hidden too
    assert m["Förändring (kr)"].tolist() == [True, True, False, True, True, False]
    assert d["Förändring (kr)"].iloc[5] == pytest.approx(2000.0)  # 12 000 − 10 000
    assert d["Förändring (%)"].iloc[5] == pytest.approx(20.0)
    assert t.fotnot and ".." in t.fotnot
    shown = visningstabell(t.tabell, t.kolumnformat)
    assert shown["Kostnad (kr)"].tolist()[:3] == ["..", "..", "10\xa0000"]
    assert shown["Förändring (%)"].iloc[5] == "+20,0 %"
    # the chart draws the same cells: hidden values are gaps
    assert t.diagram["varde"].isna().tolist() == [True, True, False, False, False, False]


def test_kostnader_regi_view_of_the_same_rows_and_detail_view():
    t = kostnader.kostnader_per_ar(_per_ar_rader(), riktning="kostnad", dimension="regi", ar=2025, till_manad=12,
                                oppen_vy=True, smatal_grans=5, etiketter=ET)
    assert not t.tabell.any_masked  # every regi cell has ≥ 10 persons
    detalj = kostnader.kostnader_per_ar(_per_ar_rader(), riktning="kostnad", dimension="insats", ar=2025,
                                     till_manad=12, oppen_vy=False, smatal_grans=5, etiketter=ET)
    assert not detalj.tabell.any_masked
    assert detalj.tabell.data["Kostnad (kr)"].iloc[0] == 1000.0


def test_kostnader_netto_hidden_when_either_side_is():
    t = kostnader.kostnader_per_ar(_per_ar_rader(), riktning="netto", dimension="totalt", ar=2025, till_manad=12,
                                oppen_vy=True, smatal_grans=5, etiketter=ET)
    d, m = t.tabell.data.set_index("År"), t.tabell.mask.set_index(t.tabell.data["År"])
    # 2025 revenue describes 2 persons: revenue, netto and its change are hidden; costs shown
    assert m.loc["2025", ["Intäkter (kr)", "Netto (kr)", "Förändring netto (kr)"]].all()
    assert not m.loc["2025", "Kostnader (kr)"]
    assert d.loc["2025", "Kostnader (kr)"] == 12000.0
    assert d.loc["2024", "Netto (kr)"] == -10000.0  # no revenue 2024: 0 − 10 000


def test_kostnader_running_year_label_and_comparison():
    rader = _per_ar_rader()
    extra = rader.loc[(rader["ar"] == 2024) & (rader["riktning"] == "kostnad")].assign(
        is_jamforelse=True, kostnad_kr=lambda r: r["kostnad_kr"] / 2)
    t = kostnader.kostnader_per_ar(pd.concat([rader, extra]), riktning="kostnad", dimension="totalt", ar=2025,
                                till_manad=6, oppen_vy=True, smatal_grans=5, etiketter=ET)
    d = t.tabell.data
    assert d["År"].tolist() == ["2024", "2025 (jan–jun)"]
    assert d["Förändring (kr)"].iloc[1] == pytest.approx(12000.0 - 5000.0)  # against jan–jun 2024


def test_opi_analystabell_exports_the_opi_used():
    p = fasta_priser.fasta_priser([2022, 2024], 2023, {2024: 2.5}, publicerade=OPI)
    t = kostnader.opi_analystabell(p)
    shown = visningstabell(t.tabell, t.kolumnformat)
    assert shown["OPI (%)"].tolist() == ["4,6 %", "2,5 %"]
    assert shown["Status"].tolist() == ["definitiv", "antagande"]
    assert isinstance(t.tabell, smatalsskydd.MaskedTable) and not t.tabell.any_masked


# --- the page model on the fixture extracts ----------------------------------------------------


def test_kostnader_page_model_current_and_fixed_prices(fixture_db):
    import datetime as dt

    from beslutsstod.vyer.urval import Filter
    from tests.test_vyer_oversikt import sammanhang

    s, f = sammanhang(fixture_db), Filter(2024, [], [], [], dt.date(2024, 12, 31))
    val = kostnader.valbara(s, f)
    assert val.ar_lista == [2023, 2024] and val.standard_basar == 2023  # OPI published up to 2023
    vy = kostnader.kostnader(s, f, val, "kostnad", "totalt")
    d = vy.tabell.analys.tabell.data.set_index("År")
    assert d.loc["2024 (ofullständigt: januari, april och maj saknas)", "Kostnad (kr)"] == pytest.approx(1826.50)
    assert vy.tabell.meta["Prisnivå"] == "Löpande priser" and vy.opi is None and vy.per_timme is not None
    assert vy.varning.startswith("2 besök saknar")  # B6 (2024) and B10 (2023) have no rate

    assert kostnader.opi_saknas(val, 2023) == [2024]
    fasta = kostnader.kostnader(s, f, val, "kostnad", "totalt", 2023, {2024: 2.0})
    d = fasta.tabell.analys.tabell.data.set_index("År")
    # 2024 in 2023 prices with an assumed OPI 2024 of 2,0 %: 1 826,50 / 1,02
    assert d.iloc[-1]["Kostnad (kr)"] == pytest.approx(1826.50 / 1.02)
    assert fasta.opi.visning.set_index("År").loc["2024", "Status"] == "antagande" and fasta.opi_oppen
    assert fasta.tabell.xlsx().startswith(b"PK") and fasta.tabell.csv().startswith(b"\xef\xbb\xbf")
