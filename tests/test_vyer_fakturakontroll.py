"""The page model of Fakturakontroll (beslutsstod.vyer.fakturakontroll.fakturakontroll and underlag) on the
demo data (seed 42, as of 2026-11-23): P02 (Hallandshemtjänst) billed granted instead of delivered time
in July 2022; the last two months of 2026 are not invoiced yet."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from beslutsstod import talformat as fmt
from beslutsstod.data import db
from beslutsstod.vyer import fakturakontroll as fk
from beslutsstod.vyer.urval import Filter, Sammanhang


@pytest.fixture(scope="module")
def sammanhang(demo_data_dir):
    database = db.Database(demo_data_dir / "extracts", hemkommun="1401", momskompensation_procent=6.0)
    fragor = []

    def fraga(namn, params):
        fragor.append(namn)
        return database.query(namn, params).to_pandas()
    return lambda oppen_vy: Sammanhang(fraga, oppen_vy, 5, "1401", demodata=True), fragor


def _vy(s, ar, visa="granska", flaggor=None):
    f = Filter(ar, [], [], [], dt.date(2026, 10, 31))
    return f, fk.fakturakontroll(s, f, fk.TOLERANS_KR, fk.TOLERANS_PROCENT, visa,
                                 list(fk.FLAGGOR) if flaggor is None else flaggor, 6.0)


def test_worklist_cards_and_export_for_2022(sammanhang):
    s = sammanhang[0](False)
    f, vy = _vy(s, 2022)
    assert vy.tomt is None and vy.rubrik == "Arbetslista"
    forsta = vy.tabell.iloc[0]
    assert forsta["Utförare"].startswith("Hallandshemtjänst") and forsta["Månad"] == "jul"
    assert "fel tidsgrund" in forsta["Orsaker"] and vy.utforare[0] == "P02"
    kort = {k.etikett: k.varde for k in vy.nyckeltal}
    # the cards are the sums over every row of the list; Avvikelse = Fakturerat − Förväntat
    fakturerat, forvantat = vy.lista["fakturerat_kr"].sum(), vy.lista["forvantat_kr"].sum()
    assert kort["Fakturerat"] == fmt.fmt_kr(fakturerat) and kort["Förväntat"] == fmt.fmt_kr(forvantat)
    assert kort["Avvikelse"] == fmt.fmt_andring_kr(fakturerat - forvantat) and kort["Avvikelse"].startswith("+")
    granska = int((vy.lista["status"] == fk.STATUS_GRANSKA).sum())
    assert kort["Rader att granska"] == f"{fmt.fmt_tal(granska)} av {fmt.fmt_tal(len(vy.lista))}"
    assert len(vy.tabell) == granska
    # the .xlsx (built on click) has the rows shown, numbers as numbers
    ws = load_workbook(io.BytesIO(vy.xlsx())).active
    rader = [[c.value for c in rad] for rad in ws.iter_rows()]
    rubrik = next(i for i, r in enumerate(rader) if r[0] == "Utförare")
    assert sum(1 for r in rader[rubrik + 1:] if r[0]) >= granska and vy.xlsx_filnamn == "fakturakontroll_2022.xlsx"


def test_underlag_shows_the_visits_behind_a_row_only_in_the_detailed_view(sammanhang):
    s_detalj, fragor = sammanhang[0](False), sammanhang[1]
    f, vy = _vy(s_detalj, 2022)
    u = fk.underlag(s_detalj, f, vy, "P02")
    juli = [besok for etikett, besok in u.rader if etikett.startswith("jul 2022 · Hemtjänst")]
    assert len(juli) == 1 and juli[0]["Orsak"].str.contains("Fel tidsgrund").sum() > 100
    assert juli[0]["Person (pseudonym)"].str.startswith("p-").all()
    alla = fk.underlag(s_detalj, f, vy, "P02", alla_besok=True)
    assert len(dict(alla.rader)[next(e for e, _ in alla.rader if e.startswith("jul 2022 · Hemtjänst"))]) > len(juli[0])
    assert u.xlsx_etikett.startswith("Underlag till Hallandshemtjänst") and load_workbook(io.BytesIO(u.xlsx()))
    s_oppen = sammanhang[0](True)
    f, vy = _vy(s_oppen, 2022)
    fore = len(fragor)
    skyddad = fk.underlag(s_oppen, f, vy, "P02")
    assert skyddad.rader == () and skyddad.xlsx is None and skyddad.skyddad == fk.SKYDDAD_VY_BESOK
    assert len(fragor) == fore  # no visit is asked for in the open view
    assert set(skyddad.tabell["Utförare"]) == {vy.utforare_namn["P02"]}


def test_no_flags_in_2026_leaves_only_not_yet_invoiced_rows(sammanhang):
    s = sammanhang[0](False)
    _, vy = _vy(s, 2026, flaggor=[])
    assert vy.inga_rader and vy.tabell is None and vy.xlsx is None
    assert {k.etikett: k.varde for k in vy.nyckeltal}["Ej fakturerade besök"] != "0"
    _, alla = _vy(s, 2026, visa="alla", flaggor=[])
    assert alla.rubrik == "Alla rader" and set(alla.tabell["Status"]) == {fk.STATUS_OK, fk.STATUS_EJ_FAKTURERAT}
