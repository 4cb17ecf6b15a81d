"""Ny ersättningsmodell's page model (vyer/insatsmodell.py) on the demo data: the seed's trial as the
page runs it, step by step. The figures are those the page shows (tests/test_app_insatsmodell.py,
tests/browser/test_insatsmodell_browser.py); the rules behind them are worked by hand in
tests/test_insatsmodell.py."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from docx import Document

from beslutsstod.data import db
from beslutsstod.regler.insatsersattning import Troskel
from beslutsstod.vyer import insatsmodell as im
from beslutsstod.vyer.urval import Sammanhang

D = dt.date


@pytest.fixture(scope="module")
def s(demo_data_dir) -> Sammanhang:
    database = db.Database(demo_data_dir / "extracts", hemkommun="1401", momskompensation_procent=6.0)
    return Sammanhang(lambda n, p: database.query(n, p).to_pandas(), False, 5, "1401")


def kr(text: str) -> str:
    return text.replace("\xa0", " ")


def test_the_seeds_trial_step_by_step(s):
    perioder = im.perioder(s)
    assert perioder.standard_fran == D(2023, 4, 1)  # the seed's April–July 2023
    till_manad = perioder.till_val(perioder.standard_fran)[perioder.standard_till(perioder.standard_fran)]
    assert till_manad == D(2023, 7, 1) and perioder.till(till_manad) == D(2023, 7, 31)

    pu = im.prisunderlag(s, D(2023, 4, 1), D(2023, 7, 31), ["egen_regi"], "import", har_priser=True, har_regler=True)
    assert pu.fel is None and pu.pbb_ar == (2023,) and len(pu.prislista) > 0
    assert pu.texter[0].startswith("Priserna som gällde 2023-04-01 för egen regi")
    prislista = im.prislista_ur_tabell(pu.tabell)  # the editor left as it was
    assert prislista == pu.prislista

    # without the prisbasbelopp 2023 nothing is guessed
    utan = im.insatsmodell(s, pu, prislista, Troskel(Decimal(100), "kr"), {})
    assert utan.saknas == ["Maxtaxa 2023 saknas i referensdata; ange årets prisbasbelopp för att beräkna den."]

    vy = im.insatsmodell(s, pu, prislista, Troskel(Decimal(100), "kr"), {2023: Decimal(52500)})
    kort = {k.etikett: k for k in vy.kort}
    assert kr(kort["Kostnad med ersättning per insats"].varde) == "670 390 kr"
    assert kr(kort["Kostnad med ersättning per timme"].varde) == "670 925 kr"
    assert kr(kort["Kostnad med ersättning per insats"].andring) == "-535 kr mot ersättning per timme"
    assert [t.namn for t in vy.tabeller] == ["Per månad", "Per utförare", "Avgift", "Prislista"]
    assert vy.brukare is not None and len(vy.brukare)  # officials see each brukare-month
    assert vy.filnamn == "aterrapportering_ersattning_per_insats_202304_202307"
    text = "\n".join(p.text for p in Document(io.BytesIO(vy.docx())).paragraphs).replace("\xa0", " ")
    assert "670 390 kr med ersättning per insats och 670 925 kr med ersättning per timme, alltså 535 kr" in text


def test_egen_regi_and_private_with_a_derived_price_list(s):
    pu = im.prisunderlag(s, D(2023, 4, 1), D(2023, 7, 31), ["egen_regi", "privat"], "import",
                         har_priser=True, har_regler=True)
    vy = im.insatsmodell(s, pu, pu.prislista, Troskel(Decimal(100), "kr"), {2023: Decimal(52500)})
    kort = {k.etikett: k for k in vy.kort}
    assert kr(kort["Kostnad med ersättning per insats"].varde) == "670 348 kr"
    assert kr(kort["Kostnad med ersättning per insats"].andring) == "-577 kr mot ersättning per timme"
    assert any("Villkor 1, budgetramen" in rad for rad in vy.text.splitlines())

    harledd = im.prisunderlag(s, D(2023, 4, 1), D(2023, 7, 31), ["egen_regi", "privat"], "harledd",
                              har_priser=True, har_regler=True)
    assert harledd.texter[0].startswith("Härledd ur basperioden 2022-04-01–2023-03-31")
    assert all(p.kr_per_insats is not None and p.kr_per_insats > 0 for p in harledd.prislista)


def test_without_the_imported_prices(s):
    pu = im.prisunderlag(s, D(2023, 4, 1), D(2023, 7, 31), ["egen_regi"], "import", har_priser=False,
                         har_regler=False)
    assert pu.fel.startswith("Tabellen insatspriser är inte importerad")
