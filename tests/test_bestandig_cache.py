"""Costly pure results kept on disk (bestandig_cache.py) and the protected view's masks computed when
new data arrives (vyer/forvarm.py): a later process reads them instead of solving the linear programs."""

from __future__ import annotations

import json

import pytest

from beslutsstod import begrepp, bestandig_cache
from beslutsstod.data import db
from beslutsstod.regler import lasarvy, smatalsskydd
from beslutsstod.vyer import oversikt, vistelsekommuner
from beslutsstod.vyer.urval import Filter, Sammanhang
from tests.conftest import DEMO_AS_OF


def _raknare(tmp_path, monkeypatch):
    monkeypatch.setenv("BESLUTSSTOD_DATA_DIR", str(tmp_path))
    anrop = []

    @bestandig_cache.bestandig("prov", beror_pa=(begrepp,), koda=sorted, avkoda=frozenset)
    def dyr(a: tuple, b: int) -> frozenset:
        anrop.append((a, b))
        return frozenset(x * b for x in a)

    return dyr, anrop


def test_computed_once_then_read_from_disk(tmp_path, monkeypatch):
    dyr, anrop = _raknare(tmp_path, monkeypatch)
    assert dyr((1, 2), 3) == frozenset({3, 6})
    assert dyr((1, 2), 3) == frozenset({3, 6})
    assert anrop == [((1, 2), 3)]
    filer = list((tmp_path / "cache" / "prov").glob("*.json"))
    assert len(filer) == 1 and json.loads(filer[0].read_text()) == [3, 6]
    # A later process (a new decoration of the same function: no memory of the first) reads the file.
    dyr2, anrop2 = _raknare(tmp_path, monkeypatch)
    assert dyr2((1, 2), 3) == frozenset({3, 6}) and anrop2 == []
    # Other arguments are another key.
    assert dyr((1, 2), 4) == frozenset({4, 8}) and len(anrop) == 2


def test_an_unreadable_file_or_unwritable_folder_means_computing(tmp_path, monkeypatch):
    dyr, anrop = _raknare(tmp_path, monkeypatch)
    dyr((5,), 1)
    fil = next((tmp_path / "cache" / "prov").glob("*.json"))
    fil.write_text("{inte json", encoding="utf-8")
    assert dyr((5,), 1) == frozenset({5}) and len(anrop) == 2
    assert json.loads(fil.read_text()) == [5]  # rewritten whole
    (tmp_path / "skrivskyddad").write_text("en fil, ingen mapp")
    monkeypatch.setenv("BESLUTSSTOD_DATA_DIR", str(tmp_path / "skrivskyddad"))
    assert dyr((7,), 2) == frozenset({14}) and len(anrop) == 3


def test_a_change_to_the_code_that_decides_the_result_is_a_new_key(tmp_path, monkeypatch):
    dyr, anrop = _raknare(tmp_path, monkeypatch)
    dyr((1,), 2)
    # the same arguments after the code changed (here: another source text for its modules)
    monkeypatch.setattr(bestandig_cache, "_kod", lambda moduler: "annan kod")
    assert dyr((1,), 2) == frozenset({2}) and len(anrop) == 2
    assert len(list((tmp_path / "cache" / "prov").glob("*.json"))) == 2


@pytest.fixture()
def ny_demo(tmp_path, monkeypatch):
    """Demo data built as the app builds it (ensure_data: rollups and first masks included)."""
    monkeypatch.setenv("BESLUTSSTOD_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("BESLUTSSTOD_DEMO_PER_DATUM", DEMO_AS_OF.isoformat())
    monkeypatch.setenv("BESLUTSSTOD_HEMKOMMUN", "1401")
    monkeypatch.setenv("BESLUTSSTOD_SMATAL_GRANS", "5")
    lasarvy._korstabell_dolda_celler.cache_clear()
    assert db.ensure_data(tmp_path)
    lasarvy._korstabell_dolda_celler.cache_clear()  # a new process: nothing in memory
    yield db.Database(tmp_path / "extracts", hemkommun="1401", momskompensation_procent=6.0)
    lasarvy._korstabell_dolda_celler.cache_clear()


def test_the_protected_views_first_pages_solve_no_linear_program_after_new_data(ny_demo, monkeypatch, tmp_path):
    s = Sammanhang(lambda n, p=None: ny_demo.query(n, p).to_pandas(), True, 5, "1401")
    sista = ny_demo.query("filter/datatackning").to_pylist()[0]["sista_datum"]
    f = Filter(sista.year, [], [], [], sista)
    assert len(list((tmp_path / "cache" / "korstabellmasker").glob("*.json"))) == 4  # 2 years × 2 directions

    # The masks read from disk are the ones the linear programs give.
    forvarmd = {r: oversikt.oversikt(s, f, r) for r in begrepp.RIKTNINGAR}
    vk = vistelsekommuner.vistelsekommuner(s, f, "kostnad", "kostnad_kr")

    def los_inte(*a, **k):
        raise AssertionError("ett linjärprogram löstes trots förberäknad maskning")

    monkeypatch.setattr(smatalsskydd, "crosstab_mask_protected", los_inte)
    lasarvy._korstabell_dolda_celler.cache_clear()
    for riktning in begrepp.RIKTNINGAR:
        vy = oversikt.oversikt(s, f, riktning)
        assert vy.kort == forvarmd[riktning].kort
    igen = vistelsekommuner.vistelsekommuner(s, f, "kostnad", "kostnad_kr")
    assert igen.manad_kommun.visning.equals(vk.manad_kommun.visning)
    assert (igen.manad_kommun.visning == begrepp.MASK).to_numpy().any()  # the demo's crosstab has hidden cells
    monkeypatch.undo()
    # Computed afresh (another data folder: nothing on disk), the same masks.
    monkeypatch.setenv("BESLUTSSTOD_DATA_DIR", str(tmp_path / "annan"))
    lasarvy._korstabell_dolda_celler.cache_clear()
    for riktning in begrepp.RIKTNINGAR:
        assert oversikt.oversikt(s, f, riktning).kort == forvarmd[riktning].kort
    assert vistelsekommuner.vistelsekommuner(s, f, "kostnad", "kostnad_kr").manad_kommun.visning.equals(
        vk.manad_kommun.visning)
