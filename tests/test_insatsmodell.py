"""The trial of pay per insats (issue 17): the same visits priced both ways, the cost-neutral price
list, the avgift with and without the maxtaxa cap, and the report-back's figures.

Every expectation is worked by hand in a comment from the small extracts written below.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace
from decimal import Decimal

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

from beslutsstod import installningar
from beslutsstod.data import db, demo
from beslutsstod.dokument import aterrapportering
from beslutsstod.dokument import tjansteskrivelse as tj
from beslutsstod.regler import insatsersattning as ie
from beslutsstod.vyer import insatsmodell as im

D = dt.date

# One rate for hemtjänst, all regi: 420 kr per utförd hour, excl. momskompensation (6 % to private).
# Visits: besok_id, datum, brukare, bosattning, vistelse, utforare, beviljad_min, utford_min, insatstyp
BESOK = [
    ("B1", D(2023, 4, 3), "x1", "1401", "1481", "E1", 30, 30, "PH"),
    ("B2", D(2023, 4, 4), "x1", "1401", "1481", "E1", 60, 45, "STA"),
    ("B3", D(2023, 4, 5), "x2", "1401", "1480", "P1", 30, 20, "MAL"),
    ("B4", D(2023, 5, 2), "x3", "1401", "1435", "V1", 30, 30, "PH"),  # a vistelsekommun: outside the trial
    ("B5", D(2023, 5, 2), "x2", "1401", "1480", "P1", 20, 15, "MAL"),
    ("B6", D(2023, 3, 31), "x1", "1401", "1481", "E1", 30, 30, "PH"),  # base period (March)
    ("B9", D(2023, 3, 15), "x1", "1401", "1481", "E1", 45, 40, "PH"),
    ("B10", D(2023, 3, 20), "x2", "1401", "1480", "P1", 20, 20, "MAL"),
    ("B7", D(2023, 4, 10), "g1", "1480", "1401", "E1", 30, 30, "PH"),  # another kommun's resident: revenue
]
PRISLISTA = (ie.Pris("MAL", "Måltid", Decimal(120), 20), ie.Pris("PH", "Personlig hygien", Decimal(200), 30),
             ie.Pris("STA", "Städning", Decimal(400), 60))
TRIAL = dict(fran=D(2023, 4, 1), till=D(2023, 5, 31))


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> db.Database:
    out = tmp_path_factory.mktemp("insatsmodell") / "extracts"
    rows = [dict(besok_id=b[0], datum=b[1], brukare_id=b[2], bosattningskommun=b[3], vistelsekommun=b[4],
                 utforare_id=b[5], insats="hemtjanst", beviljad_min=b[6], utford_min=b[7], fakturerat_kr=None,
                 insatstyp=b[8]) for b in BESOK]
    part = out / "besok" / "ar=2023"
    part.mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=demo.BESOK_SCHEMA), part / "besok.parquet")
    pq.write_table(pa.Table.from_pylist([dict(utforare_id="E1", namn="Egen", regi="egen_regi", kommun="1401"),
                                         dict(utforare_id="P1", namn="Privat AB", regi="privat", kommun="1401"),
                                         dict(utforare_id="V1", namn="Tanum", regi="vistelsekommun", kommun="1435")],
                                        schema=demo.UTFORARE_SCHEMA), out / "utforare.parquet")
    pq.write_table(pa.Table.from_pylist([dict(giltig_fran=D(2023, 1, 1), giltig_till=None, insats="hemtjanst", regi=None,
                                              kr_per_timme=Decimal("420.00"), grund="utford",
                                              momskompensation_ingar=False, kalla="test", beslut="test",
                                              preliminar=False)], schema=demo.NIVA_SCHEMA), out / "ersattningsnivaer.parquet")
    pq.write_table(pa.Table.from_pylist([dict(ar=2023, manad=m, insats="hemtjanst", budget_kr=Decimal("1000.00"),
                                              budget_timmar=None) for m in (4, 5)], schema=demo.BUDGET_SCHEMA),
                   out / "budget.parquet")
    pq.write_table(pa.Table.from_pylist([], schema=demo.VISTELSE_SCHEMA), out / "vistelser.parquet")
    pq.write_table(pa.Table.from_pylist([dict(ar=2023, timtaxa_kr=Decimal("300.00"), grund="beviljad",
                                              kalla="Taxa 2023 (test)")], schema=demo.AVGIFT_SCHEMA),
                   out / "avgiftsregler.parquet")
    return db.Database(out, hemkommun="1401", momskompensation_procent=6.0)


def run_with(database):
    return lambda name, params=None: database.query(name, params or {}).to_pandas()


def forsok(**andra) -> ie.Forsok:
    val = dict(TRIAL, regier=("egen_regi", "privat"), prislista=PRISLISTA, prislista_underlag="import",
               prislista_andrad=False, troskel=ie.Troskel(Decimal(10), "kr"), prisbasbelopp={2023: Decimal(52500)})
    val.update(andra)
    return ie.Forsok(**val)


def test_the_same_visits_are_priced_per_hour_and_per_insats(database):
    # Per hour (420 kr/h × utförd time, + 6 % to the private P1):
    #   B1 30 min 210,00; B2 45 min 315,00; B3 20 min 140,00 × 1,06 = 148,40    April 673,40
    #   B4 30 min 210,00 (V1, outside the trial); B5 15 min 105,00 × 1,06 = 111,30   May 321,30
    # Per insats (PH 200, STA 400, MAL 120 kr; + 6 % to P1): B1 200; B2 400; B3 127,20   April 727,20
    #   B4 per hour 210,00 in both models; B5 127,20                                  May 337,20
    # Totals 994,70 and 1 064,40. B6, B9, B10 (March) and B7 (revenue) are not in the trial.
    p = ie.params(forsok(), "beviljad")
    manad = database.query("insatsmodell/per_manad", p).to_pandas()
    rader = {(None if pd.isna(r.ar) else int(r.manad)): (Decimal(str(r.kostnad_timme_kr)), Decimal(str(r.kostnad_insats_kr)))
             for r in manad.itertuples()}
    assert rader == {4: (Decimal("673.40"), Decimal("727.20")), 5: (Decimal("321.30"), Decimal("337.20")),
                     None: (Decimal("994.70"), Decimal("1064.40"))}
    utf = database.query("insatsmodell/per_utforare", p).to_pandas().set_index("utforare_id", drop=False)
    # E1: 210 + 315 = 525 per hour, 200 + 400 = 600 per insats; P1: 148,40 + 111,30 = 259,70 and 2 × 127,20
    assert Decimal(str(utf.loc["E1", "kostnad_timme_kr"])) == Decimal("525.00")
    assert Decimal(str(utf.loc["E1", "kostnad_insats_kr"])) == Decimal("600.00")
    assert Decimal(str(utf.loc["P1", "kostnad_insats_kr"])) == Decimal("254.40")
    assert Decimal(str(utf.loc["V1", "kostnad_insats_kr"])) == Decimal("210.00")  # paid per hour both ways


def test_a_visit_without_a_price_is_missing_not_zero(database):
    # Without MAL, B3 and B5 (P1) cannot be priced per insats: two visits, insatstyp MAL named.
    utan_mal = tuple(p for p in PRISLISTA if p.insatstyp != "MAL")
    utfall, saknas = im.berakna(run_with(database), forsok(prislista=utan_mal),
                                run_with(database)("insatsmodell/avgiftsregler"), {})
    assert utfall is None
    assert any("Pris saknas för insatstyp MAL (2 besök)" in s for s in saknas), saknas


def test_the_neutral_price_list_keeps_the_base_periods_cost(database):
    # Base period March 2023, egen regi and private: PH = B6 210,00 + B9 40 min × 420/60 = 280,00 → 490 / 2 = 245 kr;
    # normtid (beviljad) (30 + 45) / 2 = 37,5 → 38 min. MAL = B10 20 min = 140,00 excl. the 6 % (148,40 incl.) → 140 kr.
    bas = database.query("insatsmodell/per_insatstyp", dict(fran=D(2023, 3, 1), till=D(2023, 3, 31),
                                                             regier=["egen_regi", "privat"], avgift_grund="beviljad")).to_pandas()
    lista = ie.neutral_prislista(bas, {"PH": "Personlig hygien"})
    assert lista == [ie.Pris("MAL", "", Decimal(140), 20), ie.Pris("PH", "Personlig hygien", Decimal(245), 38)]


def test_visits_without_insatstyp_are_counted_not_priced():
    # 3 + 4 base-period visits lack an insatstyp: 7 are named on the page, none gets a price
    bas = pd.DataFrame({"insatstyp": ["PH", None, None], "antal_besok": [2, 3, 4], "antal_utan_timpris": [0, 0, 0],
                        "kostnad_exkl_moms_kr": [490.0, 300.0, 400.0], "avgift_min": [60, 90, 120]})
    assert ie.besok_utan_insatstyp(bas) == 7
    assert [p.insatstyp for p in ie.neutral_prislista(bas, {})] == ["PH"]


def test_neutral_price_rounds_half_up_to_whole_kronor():
    # 3 visits costing 700,50 kr → 233,50 → 234 kr; 100 minutes / 3 = 33,3 → 33 min
    rader = pd.DataFrame([dict(insatstyp="X", antal_besok=3, personer=1, kostnad_exkl_moms_kr=700.50, avgift_min=100,
                               antal_utan_timpris=0)])
    assert ie.neutral_prislista(rader, {}) == [ie.Pris("X", "", Decimal(234), 33)]


@pytest.mark.parametrize("minuter, timtaxa, tak, vantat", [
    (90, 300, 2359, Decimal(450)),  # 1,5 h × 300 = 450, under the cap
    (25, 345, 2359, Decimal(144)),  # 345 × 25 / 60 = 143,75 → 144 (half up)
    (600, 300, 2359, Decimal(2359)),  # 10 h × 300 = 3 000 → capped at the maxtaxa 2 359
    (600, 300, None, None),  # no maxtaxa: missing, never uncapped
    (None, 300, 2359, None),  # missing minutes
])
def test_avgift_is_the_taxa_capped_by_the_maxtaxa(minuter, timtaxa, tak, vantat):
    assert ie.avgift(minuter, None if timtaxa is None else Decimal(timtaxa),
                     None if tak is None else Decimal(tak)) == vantat


def test_maxtaxa_from_reference_or_from_an_entered_prisbasbelopp():
    publicerade = ie.las_maxtaxor(installningar.REPO_ROOT / "data" / "reference")
    assert publicerade[2019][0] == Decimal(2089)
    # 0,5392 × 46 500 / 12 = 2 089,4 → 2 089: the formula gives the published 2019 value
    assert ie.maxtaxa_ur_prisbasbelopp(Decimal(46500)) == Decimal(2089)
    # 2021: 0,5392 × 47 600 / 12 = 2 138,8 → 2 139 (published 2 139: rounded half up, not down)
    assert ie.maxtaxa_ur_prisbasbelopp(Decimal(47600)) == Decimal(2139)
    saknas = ie.maxtaxa(2023, publicerade)
    assert saknas.kr is None and "saknas" in saknas.text
    # 0,5392 × 52 500 / 12 = 2 359,0
    harledd = ie.maxtaxa(2023, publicerade, Decimal(52500))
    assert harledd.kr == Decimal(2359) and harledd.harledd and "som användaren angett" in harledd.text
    assert not ie.maxtaxa(2024, publicerade, Decimal(1)).harledd  # a published year ignores an entered value


def test_avgift_changes_and_the_threshold(database):
    # Timtaxa 300 kr per beviljad hour; maxtaxa 2023 = 2 359 (from 52 500).
    #   x1 April: beviljad 30 + 60 = 90 min → 450; per insats normtid PH 30 + STA 60 = 90 → 450: unchanged
    #   x2 April: beviljad 30 → 150; normtid MAL 20 → 100: −50 kr (−33 %)
    #   x2 May: beviljad 20 → 100; normtid 20 → 100: unchanged. x3 is not in the trial (V1).
    run = run_with(database)
    regler = run("insatsmodell/avgiftsregler")
    for troskel, over, klass in ((ie.Troskel(Decimal(10), "kr"), 1, "Sänks mer än tröskeln"),
                                 (ie.Troskel(Decimal(50), "kr"), 0, "Sänks inom tröskeln"),  # 50 is not more than 50
                                 (ie.Troskel(Decimal(30), "procent"), 1, "Sänks mer än tröskeln")):
        utfall, saknas = im.berakna(run, forsok(troskel=troskel), regler, {})
        assert not saknas
        a = utfall.avgift
        assert (a.antal_brukare, a.antal_over, a.storsta_sankning_kr) == (2, over, Decimal(-50))
        fordelning = dict(zip(a.fordelning["Avgiften"], a.fordelning["Brukare"]))
        assert fordelning[klass] == 1 and fordelning["Oförändrad"] == 1


def test_without_a_prisbasbelopp_the_missing_maxtaxa_is_named(database):
    run = run_with(database)
    utfall, saknas = im.berakna(run, forsok(prisbasbelopp={}), run("insatsmodell/avgiftsregler"), {})
    assert utfall is None and saknas == ["Maxtaxa 2023 saknas i referensdata; ange årets prisbasbelopp för att beräkna den."]


def test_the_report_back_answers_both_conditions_with_the_trials_figures(database):
    run = run_with(database)
    utfall, _ = im.berakna(run, forsok(), run("insatsmodell/avgiftsregler"), {})
    text = aterrapportering.aterrapportering(utfall, oppen_vy=False, smatal_grans=5).text().replace("\xa0", " ")
    # 1 064,40 per insats vs 994,70 per hour: +69,70 kr = 7,0 %; budget April + May 2 000 kr:
    # 2 000 − 1 064,40 = 935,60 → 936 under; 2 000 − 994,70 = 1 005,30 → 1 005 under.
    assert ("blev 1 064 kr med ersättning per insats och 995 kr med ersättning per timme, alltså 70 kr (7,0 %) högre"
            in text), text
    assert "Budgeten för månaderna är 2 000 kr: utfallet per insats är 936 kr under budget, per timme 1 005 kr under" in text
    assert "Ersättning per insats har ökat kostnaden jämfört med nuvarande modell" in text
    assert "av 2 brukare i försöket fick 1 en månadsavgift som ändras med mer än 10 kr" in text
    assert "före en eventuell minskning för den enskildes avgiftsutrymme" in text
    assert "Maxtaxa 2023: 2 359 kr per månad, beräknad" in text
    assert "Timtaxa 2023: 300 kr/tim (Taxa 2023 (test))" in text


def test_the_open_view_withholds_a_trial_of_few_brukare(database):
    run = run_with(database)
    utfall, _ = im.berakna(run, forsok(), run("insatsmodell/avgiftsregler"), {})
    avsnitt = aterrapportering.aterrapportering(utfall, oppen_vy=True, smatal_grans=5)
    text = avsnitt.text().replace("\xa0", " ")
    assert "1 064" not in text and "färre än 5 brukare" in text
    manad, utforare = avsnitt.tabeller[0], avsnitt.tabeller[1]
    assert all(r[3] is None and r[4] is None for r in manad.rader)  # per insats and difference withheld
    # April (x1, x2) and May (x2, x3) have 2 brukare each, 3 in all: the per-hour cost is withheld too
    assert all(r[2] is None for r in manad.rader)
    assert [r[1] for r in manad.rader] == [1000, 1000, 2000]  # the budget describes no one
    # the page's cards follow the same rule: 3 brukare in all, so both costs and the change are withheld,
    # the budget (2 × 1 000 kr) is shown
    kort = im.kort(utfall, forsok().troskel, oppen_vy=True, smatal_grans=5)
    assert [(k.varde.replace("\xa0", " "), k.andring) for k in kort[:3]] == [("..", None), ("..", None), ("2 000 kr", None)]
    total = next(r for r in utforare.rader if r[0] == "Totalt")
    assert total[6] is None and total[7] is None  # the total's difference would be the trial's


def test_file_supplied_text_is_never_markdown_or_a_formula(database):
    # An utförare named like a formula and a price-list name with a link: the report-back's .xlsx
    # keeps both as written (a string with Excel's quote prefix, no apostrophe added to the data),
    # and the page's Markdown shows the text, not a link.
    run = run_with(database)
    utfall, _ = im.berakna(run, forsok(), run("insatsmodell/avgiftsregler"), {})
    per_utforare = utfall.per_utforare.copy()
    formel = '=HYPERLINK("https://evil.example","x")'
    per_utforare.loc[per_utforare["utforare_id"] == "P1", "utforare_namn"] = formel
    avsnitt = aterrapportering.aterrapportering(replace(utfall, per_utforare=per_utforare), oppen_vy=False, smatal_grans=5)
    wb = load_workbook(io.BytesIO(tj.to_xlsx(avsnitt)))
    celler = [c for ws in wb for rad in ws.iter_rows() for c in rad if c.value == formel]
    assert celler and all(c.data_type == "s" and c.quotePrefix for c in celler)
    assert formel in avsnitt.tabeller[1].display_frame().to_string()  # the page's table shows it as written

    lank = replace(avsnitt, stycken=("Se [prislistan](https://evil.example) och https://evil.example/a",))
    md = tj.markdown_text(lank)
    assert "\\[prislistan\\]\\(https" in md  # brackets escaped: no link
    assert "https\\:\u2060//evil" in md  # the bare address is broken with a word joiner: no autolink
