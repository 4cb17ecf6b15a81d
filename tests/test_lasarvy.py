"""The protected public view (läsare) as ONE set of linked tables: nothing hidden can be worked out.

For every year a läsare can choose, every direction (kostnader, intäkter, netto) and both pages
(Översikt, Vistelsekommuner), this collects every figure the pages show: the ranking table and
its export, the month × kommun table and its export, the map, the season chart, Översikt's KPI
cards with their change against the year before, and its monthly chart. Each figure is a linear
function of the "atoms" (kronor per direction, month and counterpart kommun). Then, for every
hidden figure (`..`, a grey map area, a missing chart point), over the union of everything shown:

* exact disclosure: the hidden figure is not a linear combination of shown figures (it lies
  outside their row space; checked with an orthonormal basis, independently of privacy.py);
* interval disclosure: with every atom ≥ 0 and every shown figure fixed, linear programming
  (HiGHS) bounds a hidden figure to [lo, hi]. For every hidden figure that describes 1–4
  persons (the figures the protection exists for) the band must be at least as wide as the
  value itself (hi − lo ≥ value): a reader can never tell it to within its own size.

Kronor stand for every additive measure (hours, visits): the page hides the same cells for each
(checked below). Persons are distinct pseudonyms, not additive, and hidden with the same cells.
Data: the demo data (2019–Oct 2026, a finished and an ongoing year) and a second generated data
set (another seed, ending in May 2025, so the comparison Jan–May against Jan–May is exercised).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import numpy as np
import pandas as pd
import pytest
from scipy.linalg import orth
from scipy.optimize import linprog

from beslutsstod import begrepp
from beslutsstod import talformat as fmt
from beslutsstod.begrepp import NETTO
from beslutsstod.data import db, demo, referens
from beslutsstod.regler import jamforelse, lasarvy
from beslutsstod.vyer import oversikt, vistelsekommuner

GRANS = 5
SIDOR = ("kostnad", "intakt")
Key = tuple  # (sida, manad|None, kommunkod|None): the sum of the atoms it covers


@pytest.fixture(scope="module")
def generated_data_dir(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("genererad")
    demo.generate(data_dir, dt.date(2025, 6, 15), seed=7)
    return data_dir


def _query(base: db.Database, name: str, **params) -> pd.DataFrame:
    full = dict(insatser=[], regier=[], kommuner=[])  # the läsare filters: always "all"
    return base.query(name, {**full, **params}).to_pandas()


class Publicering:
    """Shown and hidden figures per year, each a signed combination of crosstab keys."""

    def __init__(self):
        self.visade: dict[int, dict[tuple, None]] = defaultdict(dict)
        self.dolda: dict[int, dict[tuple, str]] = defaultdict(dict)

    def lagg(self, ar: int, termer: tuple[tuple[int, Key], ...], dold: bool, var: str) -> None:
        termer = tuple(sorted(termer, key=repr))
        if dold:
            self.dolda[ar].setdefault(termer, var)
        else:
            self.visade[ar][termer] = None


def _termer(riktning: str, manad, kod) -> tuple[tuple[int, Key], ...]:
    if riktning == NETTO:
        return ((1, ("intakt", manad, kod)), (-1, ("kostnad", manad, kod)))
    return ((1, (riktning, manad, kod)),)


def _vistelsekommuner(pub: Publicering, rader: pd.DataFrame, ar: int, namn_till_kod: dict) -> None:
    for riktning in (*SIDOR, NETTO):
        res = vistelsekommuner.kommun_tabeller(rader, riktning=riktning, matt="kostnad_kr", oppen_vy=True, smatal_grans=GRANS,
                                     kommuner=referens.kommuner(), ar=ar)
        timmar = vistelsekommuner.kommun_tabeller(rader, riktning=riktning, matt="utford_timmar", oppen_vy=True, smatal_grans=GRANS,
                                        kommuner=referens.kommuner(), ar=ar)
        # every measure hides the same cells (rows are in ranking order, which follows the measure)
        def per_kommun(r):
            t = r.manad_kommun.tabell
            return t.mask.set_axis(t.data["Kommun"], axis=0).sort_index()
        pd.testing.assert_frame_equal(per_kommun(res), per_kommun(timmar))
        rang = res.rangordning.tabell
        kolumner = ({"Kostnader (kr)": "kostnad", "Intäkter (kr)": "intakt", "Netto (kr)": NETTO}
                    if riktning == NETTO else {rang.data.columns[2]: riktning})
        for i in range(len(rang.data)):
            kod = None if rang.data["Kommun"].iloc[i] == begrepp.TOTALT else namn_till_kod[rang.data["Kommun"].iloc[i]]
            for kolumn, sida in kolumner.items():
                pub.lagg(ar, _termer(sida, None, kod), bool(rang.mask[kolumn].iloc[i]), f"rangordning {riktning}")
        mk = res.manad_kommun.tabell
        for i in range(len(mk.data)):
            kod = None if mk.data["Kommun"].iloc[i] == begrepp.TOTALT else namn_till_kod[mk.data["Kommun"].iloc[i]]
            for m in [*range(1, 13), None]:
                kolumn = begrepp.TOTALT if m is None else fmt.manad_namn(m)
                if mk.mask[kolumn].iloc[i] or not pd.isna(mk.data[kolumn].iloc[i]):
                    pub.lagg(ar, _termer(riktning, m, kod), bool(mk.mask[kolumn].iloc[i]), f"månad × kommun {riktning}")
        for r in res.karta.itertuples():
            pub.lagg(ar, _termer(riktning, None, r.kommunkod), bool(r.dolt), f"karta {riktning}")
        for r in res.sasong.itertuples():
            if r.dolt or not pd.isna(r.varde):
                pub.lagg(ar, _termer(riktning, int(r.manad), None), bool(r.dolt), f"säsong {riktning}")


def _oversikt(pub: Publicering, base: db.Database, rader: dict[int, pd.DataFrame], ar: int, till_manad: int,
              saknas: set[tuple[int, int]]) -> None:
    jmf = jamforelse.jamforbarhet((ar - 1, ar), till_manad, saknas)  # as sidor/oversikt.py
    for riktning in SIDOR:
        skydd = lasarvy.oversikt_skydd(rader[ar], rader[ar - 1], ar, riktning, jmf.manader, GRANS)
        nyckel = _query(base, "oversikt/nyckeltal", riktning=riktning, ar=ar, till_manad=till_manad,
                        jmf_manader=jmf.manader)
        kort, maskerat = oversikt.nyckeltal(nyckel, ar, True, GRANS, riktning, jmf.text(), skydd)
        # The card: the year's months 1..t (the data end at t). Its change "+x kr (+y %)" gives
        # both years' sums over the compared months.
        pub.lagg(ar, tuple((1, (riktning, m, None)) for m in range(1, till_manad + 1)), maskerat, "KPI belopp")
        if not maskerat and kort[0].andring is not None:  # (a change left out is no cell to protect)
            for a in (ar - 1, ar):
                pub.lagg(a, tuple((1, (riktning, m, None)) for m in jmf.manader), False, "KPI förändring")
        manader = _query(base, "oversikt/kostnad_per_manad", riktning=riktning, ar=ar)
        for r in manader.itertuples():
            pub.lagg(int(r.ar), ((1, (riktning, int(r.manad), None)),), (int(r.ar), int(r.manad)) in skydd.dolda_manader,
                     "Översikt per månad")


def _atomer(rader: pd.DataFrame) -> dict[Key, float]:
    detalj = rader.loc[rader["manad"].notna() & rader["kommunkod"].notna()]
    return {(r.riktning, int(r.manad), r.kommunkod): float(0 if pd.isna(r.kostnad_kr) else r.kostnad_kr)
            for r in detalj.itertuples()}


def _vektor(termer, atomnycklar: list[Key]) -> np.ndarray:
    sidor = np.array([a[0] for a in atomnycklar])
    manader = np.array([a[1] for a in atomnycklar])
    koder = np.array([a[2] for a in atomnycklar], dtype=object)
    v = np.zeros(len(atomnycklar))
    for tecken, (sida, manad, kod) in termer:
        v += tecken * ((sidor == sida) & (manad is None or manader == manad) & (kod is None or koder == kod))
    return v


def _kontrollera_ar(pub: Publicering, ar: int, rader: pd.DataFrame) -> tuple[int, list[str]]:
    atomer = _atomer(rader)
    personer = {(r.riktning, None if pd.isna(r.manad) else int(r.manad), None if pd.isna(r.kommunkod) else r.kommunkod):
                r.antal_personer for r in rader.itertuples()} if "antal_personer" in rader else {}
    nycklar = sorted(atomer, key=repr)
    x = np.array([atomer[a] for a in nycklar])
    visade = np.array([_vektor(t, nycklar) for t in pub.visade[ar]]) if pub.visade[ar] else np.zeros((0, len(x)))
    bas = orth(visade.T) if len(visade) else np.zeros((len(x), 0))
    fel = []
    kontrollerade = 0
    for termer, var in pub.dolda[ar].items():
        v = _vektor(termer, nycklar)
        if not v.any():
            continue  # covers no visit: nothing to protect (and nothing is shown as a number)
        kontrollerade += 1
        rest = v - bas @ (bas.T @ v)
        if np.linalg.norm(rest) < 1e-8 * np.linalg.norm(v):
            fel.append(f"{ar} {var} {termer}: exakt härledbar = {v @ x:.0f} kr")
            continue
        varde = v @ x
        # the band matters for the figures the protection is for: 1..GRANS-1 persons
        if termer[0][0] == 1 and len(termer) == 1 and varde > 0 and 1 <= personer.get(termer[0][1], 0) < GRANS:
            lp = linprog(-v, A_eq=visade, b_eq=visade @ x, bounds=(0, None), method="highs")
            if lp.status == 3:
                continue  # unbounded above: no band at all
            assert lp.status == 0, lp.message
            hi = -lp.fun
            if hi >= 2 * varde:
                continue  # lo ≤ value, so the band is at least hi − value ≥ value
            lp = linprog(v, A_eq=visade, b_eq=visade @ x, bounds=(0, None), method="highs")
            assert lp.status == 0, lp.message
            lo = lp.fun
            if hi - lo < varde - 0.5:
                fel.append(f"{ar} {var} {termer}: värdet {varde:.0f} kr ligger i [{lo:.0f}, {hi:.0f}]")
    return kontrollerade, fel


def _hela_lasarvyn(data_dir) -> tuple[int, int, list[str]]:
    base = db.Database(data_dir / "extracts", hemkommun="1401", momskompensation_procent=6.0)
    try:
        tackning = _query(base, "filter/datatackning").iloc[0]
        ar_lista = [int(a) for a in tackning["ar_lista"]]
        sista = pd.Timestamp(tackning["sista_datum"]).date()
        namn_till_kod = {namn: kod for kod, (namn, _) in referens.kommuner().items()}
        saknas = {(int(r.ar), int(r.manad)) for r in _query(base, "filter/manader_utan_data").itertuples()}
        rader = {ar: _query(base, "vistelsekommuner/per_manad_kommun", ar=ar) for ar in [ar_lista[0] - 1, *ar_lista]}
        pub = Publicering()
        for ar in ar_lista:  # every year a läsare can choose
            till_manad = sista.month if ar == sista.year else 12
            _vistelsekommuner(pub, rader[ar], ar, namn_till_kod)
            if ar - 1 in ar_lista:
                _oversikt(pub, base, rader, ar, till_manad, saknas)
        kontrollerade, fel = 0, []
        for ar in ar_lista:
            k, f = _kontrollera_ar(pub, ar, rader[ar])
            kontrollerade += k
            fel += f
        return kontrollerade, sum(len(v) for v in pub.visade.values()), fel
    finally:
        base.close()


def test_demo_data_public_view_leaks_no_hidden_figure(demo_data_dir):
    kontrollerade, visade, fel = _hela_lasarvyn(demo_data_dir)
    assert kontrollerade > 50 and visade > 300  # the demo data do hide figures: the test has something to check
    assert fel == []


def test_generated_data_public_view_leaks_no_hidden_figure(generated_data_dir):
    kontrollerade, visade, fel = _hela_lasarvyn(generated_data_dir)
    assert kontrollerade > 20 and visade > 300
    assert fel == []


def test_the_check_finds_the_differencing_the_issue_reported():
    # The attack of issue 12 in miniature: one month, kommuner A (2 persons, 3 000 kr) and
    # B (40 persons, 50 000 kr), total 53 000 kr. Showing B and the total, hiding only A, gives
    # A = 53 000 − 50 000 = 3 000 kr exactly: the checker must call that a leak.
    rader = pd.DataFrame({"riktning": ["kostnad"] * 4, "manad": [1, 1, None, None], "kommunkod": ["A", "B", "A", "B"],
                          "kostnad_kr": [3000.0, 50000.0, 3000.0, 50000.0], "antal_personer": [2, 40, 2, 40]})
    pub = Publicering()
    pub.lagg(2024, ((1, ("kostnad", 1, "B")),), False, "B")
    pub.lagg(2024, ((1, ("kostnad", 1, None)),), False, "månaden")
    pub.lagg(2024, ((1, ("kostnad", 1, "A")),), True, "A")
    _, fel = _kontrollera_ar(pub, 2024, rader)
    assert len(fel) == 1 and "exakt härledbar = 3000 kr" in fel[0]
    # Interval disclosure: A, B, C, D hidden (3 000, 50 000, 100, 0 kr); shown A+B, B+C, C+D.
    # A is not exact (A = (A+B) − (B+C) + C with C unknown), but C ≤ C+D = 100 puts A in
    # [2 900, 3 000]: a band of 100 kr around a 3 000 kr figure must be reported.
    rader = pd.DataFrame({"riktning": ["kostnad"] * 4, "manad": [1] * 4, "kommunkod": list("ABCD"),
                          "kostnad_kr": [3000.0, 50000.0, 100.0, 0.0], "antal_personer": [2, 40, 1, 0]})
    pub = Publicering()
    for a, b in ("AB", "BC", "CD"):
        pub.lagg(2024, ((1, ("kostnad", 1, a)), (1, ("kostnad", 1, b))), False, a + b)
    for a in "ABCD":
        pub.lagg(2024, ((1, ("kostnad", 1, a)),), True, a)
    _, fel = _kontrollera_ar(pub, 2024, rader)
    assert not any("exakt" in f for f in fel)
    assert any(f.startswith("2024 A ") and "[2900, 3000]" in f for f in fel), fel
