"""Tests of beslutsstod.vyer.manadsuppfoljning: small-number protection, the Swedish table, the masked export,
forecast accuracy in words. (The .xlsx: tests/test_manadsrapport.py.) Frames are hand-written; amounts in tkr × 1 000 = kr."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import math

import pandas as pd
import pytest
from openpyxl import load_workbook

from beslutsstod import begrepp
from beslutsstod.regler import prognos, smatalsskydd
from beslutsstod.vyer import manadsuppfoljning

TKR = 1000
NBSP = "\xa0"  # babel's sv_SE thousands separator


def _utfall(rows):
    return pd.DataFrame([dict(ar=a, manad=m, insats=i, regi=r, utfall_kr=v * TKR, fakturerat_kr=0.0,
                              saknar_data=False) for a, m, i, r, v in rows])


def report_2024_03() -> prognos.Report:
    """Hemtjänst egen regi 100 and privat 1 000 tkr a month, primärvård vistelsekommun 10;
    2023 and 2024 Jan–Mar; budget hemtjänst 1 200 a month, none for primärvård."""
    rows = []
    for ar in (2023, 2024):
        for m in range(1, 13 if ar == 2023 else 4):
            rows += [(ar, m, "hemtjanst", "egen_regi", 100), (ar, m, "hemtjanst", "privat", 1000),
                     (ar, m, "kommunal_primarvard", "vistelsekommun", 10)]
    budget = pd.DataFrame([dict(ar=2024, manad=m, insats="hemtjanst", budget_kr=1200 * TKR) for m in range(1, 13)])
    return prognos.report_table(_utfall(rows), budget, 2024, 3, prognos.STRAIGHT_LINE)


def persons(year_counts: dict, prev_counts: dict | None = None) -> pd.DataFrame:
    """(niva, insats, regi) → persons, for 2024 and (prev_counts) 2023; all at 10 unless given."""
    base = {("total", None, None): 10, ("insats", "hemtjanst", None): 10,
            ("insats", "kommunal_primarvard", None): 10, ("regi", "hemtjanst", "egen_regi"): 10,
            ("regi", "hemtjanst", "privat"): 10, ("regi", "kommunal_primarvard", "vistelsekommun"): 10}
    rows = []
    for ar, counts in ((2024, year_counts), (2023, prev_counts or {})):
        for (niva, insats, regi), n in {**base, **counts}.items():
            rows.append(dict(niva=niva, ar=ar, manad=None, insats=insats, regi=regi, antal_personer=n))
    return pd.DataFrame(rows)


def hidden(rep: prognos.Report, mask: pd.DataFrame) -> dict[str, list[str]]:
    """Column → the labels of the rows hidden in it (insats/regi, Totalt)."""
    labels = [f"{r.insats}/{r.regi}" if r.radtyp == "regi" else ("Totalt" if r.radtyp == "total" else r.insats)
              for r in rep.table.itertuples()]
    return {c: [labels[i] for i in range(len(labels)) if mask[c].iloc[i]] for c in prognos.REPORT_COLUMNS
            if mask[c].any()}


def test_months_to_choose_and_months_the_ytd_covers():
    assert manadsuppfoljning.manader_att_valja(2026, dt.date(2026, 10, 31)) == list(range(1, 11))
    assert manadsuppfoljning.manader_att_valja(2025, dt.date(2026, 10, 31)) == list(range(1, 13))
    assert manadsuppfoljning.manader_att_valja(2027, dt.date(2026, 10, 31)) == []
    rows = [(2024, m, "hemtjanst", "egen_regi", 100) for m in (1, 2, 4, 5)]
    rep = prognos.report_table(_utfall(rows), pd.DataFrame(columns=["ar", "manad", "insats", "budget_kr"]), 2024, 5)
    assert manadsuppfoljning.ack_manader(rep) == [1, 2, 4, 5]  # March has no row at all: missing


def test_no_mask_when_every_row_describes_enough_persons_or_in_the_detail_view():
    rep = report_2024_03()
    assert not manadsuppfoljning.maskering(rep, persons({}), oppen_vy=True, smatal_grans=5).to_numpy().any()
    few = persons({("regi", "hemtjanst", "egen_regi"): 2})
    assert not manadsuppfoljning.maskering(rep, few, oppen_vy=False, smatal_grans=5).to_numpy().any()


def test_a_small_regi_hides_all_regi_rows_of_its_insats_in_this_years_columns():
    rep = report_2024_03()
    mask = manadsuppfoljning.maskering(rep, persons({("regi", "hemtjanst", "egen_regi"): 2}), oppen_vy=True, smatal_grans=5)
    # hiding only egen regi would leave it = Hemtjänst − Privat; privat is hidden too
    assert hidden(rep, mask) == {c: ["hemtjanst/egen_regi", "hemtjanst/privat"] for c in manadsuppfoljning.KOLUMNER_I_AR
                                 if not c.startswith("Avvikelse")}  # regi rows have no deviation to hide
    # 0 persons describe nobody: a regi without visits this year is not a reason to hide
    zero = manadsuppfoljning.maskering(rep, persons({("regi", "hemtjanst", "egen_regi"): 0}), oppen_vy=True, smatal_grans=5)
    assert not zero.to_numpy().any()


def test_a_small_insats_hides_every_insats_and_regi_row_and_a_small_total_everything():
    rep = report_2024_03()
    mask = manadsuppfoljning.maskering(rep, persons({("insats", "kommunal_primarvard", None): 4,
                                         ("regi", "kommunal_primarvard", "vistelsekommun"): 4}), True, 5)
    rows = ["hemtjanst", "hemtjanst/egen_regi", "hemtjanst/privat", "kommunal_primarvard",
            "kommunal_primarvard/vistelsekommun"]
    # Avvikelse exists only where there is a budget (hemtjänst): elsewhere it is "–", nothing to hide
    assert hidden(rep, mask) == {"Ack utfall": rows, "År prognos": rows, "Förändring prognos": rows,
                                 "Avvikelse": ["hemtjanst"], "Avvikelse prognos mot budget": ["hemtjanst"]}
    assert manadsuppfoljning.prognos_visas(rep, mask)  # the total's forecast is still shown
    everything = manadsuppfoljning.maskering(rep, persons({("total", None, None): 3}), True, 5)
    assert hidden(rep, everything) == {
        "Ack utfall": rows + ["Totalt"], "År prognos": rows + ["Totalt"], "Förändring prognos": rows + ["Totalt"],
        "Avvikelse": ["hemtjanst"], "Avvikelse prognos mot budget": ["hemtjanst"]}
    assert not manadsuppfoljning.prognos_visas(rep, everything)  # nor may the chart show it
    # budget columns describe no person: never hidden
    assert not everything[["Ack budget", "År budget"]].to_numpy().any()


def test_last_years_persons_decide_only_the_previous_year_column():
    rep = report_2024_03()
    mask = manadsuppfoljning.maskering(rep, persons({}, {("regi", "hemtjanst", "privat"): 1}), True, 5)
    assert hidden(rep, mask) == {"Föregående år ack utfall": ["hemtjanst/egen_regi", "hemtjanst/privat"]}


def test_display_strings_swedish_tkr_blank_regi_budget_dash_for_missing_and_mask():
    rep = report_2024_03()
    mask = manadsuppfoljning.maskering(rep, persons({("regi", "hemtjanst", "egen_regi"): 2}), True, 5)
    text = manadsuppfoljning.visningstabell(rep, mask)
    assert list(text.columns) == [prognos.LABEL_COLUMN, *prognos.REPORT_COLUMNS]
    hem, egen, privat, hsl = (text.iloc[i] for i in range(4))
    assert hem[prognos.LABEL_COLUMN] == "Hemtjänst" and egen[prognos.LABEL_COLUMN] == manadsuppfoljning.INDRAG + "Egen regi"
    # Hemtjänst Jan–Mar: ack utfall 3 × 1 100 = 3 300 tkr, budget 3 × 1 200 = 3 600, deviation 300
    assert (hem["Ack utfall"], hem["Ack budget"], hem["Avvikelse"]) == (f"3{NBSP}300,0", f"3{NBSP}600,0", "300,0")
    # year: 14 400 budget; straight-line forecast 3 300 / 3 × 12 = 13 200; deviation 1 200
    assert (hem["År budget"], hem["År prognos"], hem["Avvikelse prognos mot budget"]) == (
        f"14{NBSP}400,0", f"13{NBSP}200,0", f"1{NBSP}200,0")
    assert egen["Ack utfall"] == ".." and privat["År prognos"] == ".."
    assert egen["Ack budget"] == "" and egen["Föregående år ack utfall"] == "300,0"  # 3 × 100, shown
    # primärvård has no budget: "–", never 0 or blank
    assert (hsl["Ack budget"], hsl["Avvikelse"], hsl["Ack utfall"]) == ("–", "–", "30,0")


def test_styler_keeps_numbers_right_aligned_and_drops_hidden_numbers_from_the_data():
    rep = report_2024_03()
    mask = manadsuppfoljning.maskering(rep, persons({("regi", "hemtjanst", "egen_regi"): 2}), True, 5)
    styler = manadsuppfoljning.stil(rep, mask)
    data = styler.data
    assert pd.api.types.is_float_dtype(data["Ack utfall"])  # numeric: st.table right-aligns it
    # egen regi's 300 tkr must not reach the browser, not even under its ".."
    assert pd.isna(data.at[1, "Ack utfall"]) and data.at[0, "Ack utfall"] == pytest.approx(3300.0)
    html = styler.to_html()
    assert f"3{NBSP}300,0" in html and ">..<" in html and "font-weight: bold" in html


def test_hidden_months_of_the_chart_get_a_second_month():
    rows = [dict(niva="manad", ar=2024, manad=m, insats=None, regi=None, antal_personer=n)
            for m, n in ((1, 12), (2, 3), (3, 8), (4, 20))]
    rows.append(dict(niva="manad", ar=2023, manad=2, insats=None, regi=None, antal_personer=1))
    frame = pd.DataFrame(rows)
    # February (3 persons) is hidden; alone it would be Ack utfall − the others: March (8, the
    # fewest of the rest) goes too. 2023's month is not this chart's.
    assert manadsuppfoljning.dolda_manader(frame, 2024, True, 5) == {2, 3}
    assert manadsuppfoljning.dolda_manader(frame, 2024, False, 5) == set()
    assert manadsuppfoljning.dolda_manader(frame, 2022, True, 5) == set()


def test_previous_year_before_the_data_is_missing_not_zero():
    rows = [(2024, m, "hemtjanst", "privat", 100) for m in (1, 2, 3)]
    frame = _utfall(rows)
    rep = prognos.report_table(frame, pd.DataFrame(columns=["ar", "manad", "insats", "budget_kr"]), 2024, 3)
    assert rep.table["Föregående år ack utfall"].eq(0).all()  # forecast sums no months to 0 …
    fixed = manadsuppfoljning.utan_foregaende_ar(rep, frame)
    assert fixed.table["Föregående år ack utfall"].isna().all()  # … which is shown as "–"
    assert fixed.table["Ack utfall"].tolist() == rep.table["Ack utfall"].tolist()
    assert manadsuppfoljning.visningstabell(fixed).at[0, "Föregående år ack utfall"] == "–"
    # with a year before in the data, the report is left as it is (0 kr then is 0 kr)
    with_2023 = _utfall(rows + [(2023, 1, "hemtjanst", "privat", 0)])
    rep = prognos.report_table(with_2023, pd.DataFrame(columns=["ar", "manad", "insats", "budget_kr"]), 2024, 3)
    assert manadsuppfoljning.utan_foregaende_ar(rep, with_2023) is rep


def test_visits_without_amount_and_missing_month_sentence():
    frame = pd.DataFrame([dict(ar=2024, manad=m, antal_besok_utan_belopp=n) for m, n in ((1, 2), (3, 5), (4, 7))]
                         + [dict(ar=2023, manad=1, antal_besok_utan_belopp=9)])
    assert manadsuppfoljning.besok_utan_belopp(frame, 2024, 3) == 7  # 2 + 5; April is after the month
    # no row at all in March (missing for both); primärvård's February flagged (an outage of its own)
    rows = [(2024, m, "hemtjanst", "egen_regi", 100) for m in (1, 2, 4)]
    rows += [(2024, m, "kommunal_primarvard", "vistelsekommun", 10) for m in (1, 2, 4)]
    flagged = _utfall(rows)
    flagged.loc[(flagged["manad"] == 2) & (flagged["insats"] == "kommunal_primarvard"), "saknar_data"] = True
    rep = prognos.report_table(flagged, pd.DataFrame(columns=["ar", "manad", "insats", "budget_kr"]), 2024, 4)
    assert manadsuppfoljning.saknade_manader_text(rep) == (
        "Data saknas 2024 för hemtjänst i mars; kommunal primärvård i februari och mars. Månaderna visas inte "
        "som noll: de ingår inte i ackumulerat utfall eller budget, och prognosen uppskattar dem som "
        "kommande månader.")
    assert manadsuppfoljning.saknade_manader_text(report_2024_03()) is None
    # the same month for every insats (a whole outage) is said once
    outage = prognos.report_table(_utfall(rows), pd.DataFrame(columns=["ar", "manad", "insats", "budget_kr"]), 2024, 4)
    assert manadsuppfoljning.saknade_manader_text(outage) == (
        "Data saknas för mars 2024. Månaden visas inte som noll: den ingår inte i ackumulerat utfall eller "
        "budget, och prognosen uppskattar den som en kommande månad.")


def test_forecast_accuracy_hand_computed():
    # 2022: 10 tkr a month, 40 in July (= 150); 2023 twice that (= 300); 2024 Jan–Mar only.
    v2022 = [10] * 6 + [40] + [10] * 5
    rows = [(2022, m, "hemtjanst", "privat", v2022[m - 1]) for m in range(1, 13)]
    rows += [(2023, m, "hemtjanst", "privat", 2 * v2022[m - 1]) for m in range(1, 13)]
    rows += [(2024, m, "hemtjanst", "privat", 20) for m in range(1, 4)]
    utfall = _utfall(rows)

    rak = manadsuppfoljning.prognosfel(utfall, 2025, prognos.STRAIGHT_LINE)
    assert rak.ar == (2022, 2023) and rak.utan_slutligt_utfall == (2024,) and rak.reservmetod == (2022,)
    # Straight-line per January: 20 × 12 = 240 against 300 → −20 %; per July: (6 × 20 + 80) / 7 × 12
    # = 342,86 → +14,3 %. The same percentages in 2022 (every amount is half).
    assert rak.tabell.loc["jan", "2023"] == "-20,0 %" and rak.tabell.loc["jul", "2023"] == "+14,3 %"
    assert rak.tabell.loc["jul", "2022"] == "+14,3 %" and list(rak.tabell.index)[-1] == "nov"
    # Mean absolute error of straight-line: months 1–6 are 20 %, 7–11 are 14,29 10 6,67 4 1,82 %:
    # (120 + 36,77) / 11 = 14,25 % in each year. Seasonal: 2023 repeats 2022's pattern, so it is
    # exact (0 %); 2022 has no year before and is straight-line: (14,25 × 11 + 0 × 11) / 22 = 7,13 %.
    assert rak.medelfel[prognos.STRAIGHT_LINE] == pytest.approx(14.2519, abs=1e-3)
    assert rak.medelfel[prognos.SEASONAL] == pytest.approx(7.1260, abs=1e-3)
    sas = manadsuppfoljning.prognosfel(utfall, 2025, prognos.SEASONAL)
    assert sas.tabell.loc["jan", "2023"] == "0,0 %" and sas.tabell.loc["jan", "2022"] == "-20,0 %"
    assert "rak prognos 14,3 % och säsongsprognos 7,1 %" in sas.text
    assert "2024 saknar data för någon månad" in sas.text
    assert "För 2022 finns inget utfall året före" in sas.text
    # only years before the chosen one
    assert manadsuppfoljning.prognosfel(utfall, 2023, prognos.SEASONAL).ar == (2022,)
    assert manadsuppfoljning.prognosfel(utfall, 2022, prognos.SEASONAL).text.startswith("Det finns inget tidigare helt år")


def test_previous_year_ack_lacking_a_month_is_marked_with_the_month_on_page_and_export():
    # issue 11 point 2. Hemtjänst egen regi 100 tkr a month 2023 and 2024 Jan–Mar, but 2023 lacks February
    # (an outage: saknar_data). Ack utfall 2024 jan–mar = 300,0 tkr (every month registered);
    # Föregående år ack utfall = jan + mar 2023 = 200,0 tkr — incomplete, so it is marked "(utan februari)".
    rows = _utfall([(a, m, "hemtjanst", "egen_regi", 100) for a in (2023, 2024) for m in range(1, 4)])
    rows.loc[(rows["ar"] == 2023) & (rows["manad"] == 2), ["utfall_kr", "saknar_data"]] = [None, True]
    rep = prognos.report_table(rows, pd.DataFrame(columns=["ar", "manad", "insats", "budget_kr"]), 2024, 3)
    text = manadsuppfoljning.visningstabell(rep).set_index(prognos.LABEL_COLUMN)
    assert text.loc[begrepp.TOTALT, "Ack utfall"] == "300,0"
    assert text.loc[begrepp.TOTALT, "Föregående år ack utfall"] == "200,0 (utan februari)"
    assert any("ofullständigt: februari 2023 saknar data" in n for n in rep.notes)


# ---------------------------------------------------------------------------------------------
# The page model on the demo data (as of 2026-11-23: data through October 2026, an outage in March 2025)
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_sammanhang(demo_data_dir):
    from beslutsstod.data import db
    from beslutsstod.vyer.urval import Sammanhang

    database = db.Database(demo_data_dir / "extracts", hemkommun="1401", momskompensation_procent=6.0)
    return lambda oppen_vy: Sammanhang(lambda n, p: database.query(n, p).to_pandas(), oppen_vy, 5, "1401")


def _filter(ar=2026, **urval):
    from beslutsstod.vyer.urval import Filter

    return Filter(ar, urval.get("insatser", []), urval.get("regier", []), urval.get("kommuner", []),
                  dt.date(2026, 10, 31))


def test_page_model_total_is_the_months_outcome_and_the_export_shows_the_page_figures(demo_sammanhang):
    s = demo_sammanhang(False)
    vy = manadsuppfoljning.manadsuppfoljning(dataclasses.replace(s, demodata=True), _filter(), 10, prognos.SEASONAL)
    assert vy.tomt is None and vy.rubrik.startswith("Månadsuppföljning per den 31 oktober 2026")
    tabell = vy.tabell.data.set_index(prognos.LABEL_COLUMN)
    # Ack utfall Totalt = the outcome of January–October 2026 (the query's months, in tkr), up to the
    # rounding of each regi row to 0,1 tkr
    utfall = s.fraga("manadsuppfoljning/utfall_per_manad", dict(insatser=[], regier=[], kommuner=[]))
    jan_okt = utfall.loc[(utfall["ar"] == 2026) & (utfall["manad"] <= 10), "utfall_kr"].sum() / 1000
    assert tabell.at[begrepp.TOTALT, "Ack utfall"] == pytest.approx(jan_okt, abs=0.05 * 5)
    assert vy.fotnot is None and vy.saknade_manader is None and vy.utan_budget is None
    assert vy.filnamn == "manadsuppfoljning_2026_10.xlsx" and "2026" in vy.diagram.layout.title.text
    # the .xlsx, built on click, holds the same figures under the municipality's heading
    ws = load_workbook(io.BytesIO(vy.xlsx())).active
    rader = [[c.value for c in rad] for rad in ws.iter_rows()]
    assert rader[0][0] == "Härryda kommun – Socialnämnden" and "fiktiva" in rader[2][0]
    total = next(r for r in rader if r[0] == begrepp.TOTALT)
    assert total[1 + prognos.REPORT_COLUMNS.index("Ack utfall")] == pytest.approx(tabell.at[begrepp.TOTALT, "Ack utfall"])
    # forecast accuracy: every complete year before 2026, 2025 left out (its March has no data)
    assert vy.prognosfel_ar == ("2019", "2020", "2021", "2022", "2023", "2024")
    assert "2025 saknar data för någon månad" in vy.prognosfel_text


def test_page_model_a_year_with_an_outage_and_a_regi_selection(demo_sammanhang):
    s = demo_sammanhang(False)
    vy = manadsuppfoljning.manadsuppfoljning(s, _filter(2025), 4, prognos.STRAIGHT_LINE)
    assert vy.saknade_manader.startswith("Data saknas för mars 2025.")
    assert vy.metodforklaring.startswith("Rak prognos:")
    privat = manadsuppfoljning.manadsuppfoljning(s, _filter(regier=["privat"]), 10, prognos.SEASONAL)
    assert privat.utan_budget == manadsuppfoljning.UTAN_BUDGET
    assert math.isnan(privat.tabell.data.set_index(prognos.LABEL_COLUMN).at[begrepp.TOTALT, "År budget"])


def test_page_model_open_view_hides_a_small_selection(demo_sammanhang):
    # Åre (2321) has 4 of our residents January–October 2026: shown to officials, hidden in the open view
    detalj = manadsuppfoljning.manadsuppfoljning(demo_sammanhang(False), _filter(kommuner=["2321"]), 10,
                                                 prognos.SEASONAL)
    assert detalj.tabell.data["Ack utfall"].notna().all() and detalj.fotnot is None
    oppen = manadsuppfoljning.manadsuppfoljning(demo_sammanhang(True), _filter(kommuner=["2321"]), 10,
                                                prognos.SEASONAL)
    assert oppen.tabell.data["Ack utfall"].isna().all()  # the figures do not reach the browser
    assert oppen.fotnot == smatalsskydd.footnote_sv(5)
    assert not [t for t in oppen.diagram.data if (t.name or "").startswith("Prognos")]
