"""vyer/oversikt.py: the page model on the fixture extracts (tests/fixtures.py), hand-computed."""

from __future__ import annotations

import datetime as dt

from beslutsstod import talformat as fmt
from beslutsstod.vyer import oversikt
from beslutsstod.vyer.urval import Filter, Sammanhang

ALLA = dict(insatser=[], regier=[], kommuner=[])


def sammanhang(database, oppen_vy=False) -> Sammanhang:
    return Sammanhang(lambda n, p: database.query(n, p or {}).to_pandas(), oppen_vy, 5, "1401")


def test_oversikt_2024_costs(fixture_db):
    f = Filter(2024, [], [], [], dt.date(2024, 12, 31))
    vy = oversikt.oversikt(sammanhang(fixture_db), f, "kostnad")
    kort = {k.etikett: k for k in vy.kort}
    assert vy.tomt is None
    # 300 + 315 + 185,50 + 143,33 + 600 + 282,67 (B6 has no rate: missing, not in the sum)
    assert kort["Kostnad"].varde == fmt.fmt_kr(1826.50)
    assert kort["Personer"].varde == "5" and kort["Kommuner"].varde == "3"
    # 2023 has one visit (B10) without a rate: its cost is missing, so no change is shown
    assert kort["Kostnad"].andring is None
    # the fixture has no visits in January, April and May 2024: the year is incomplete, said once
    assert vy.ofullstandigt == "2024: ofullständigt: januari, april och maj saknas."
    assert vy.varning.startswith("2 besök saknar en ersättningsnivå")  # B6 and B10
    assert vy.per_manad is not None and vy.per_manad_fotnot is None and vy.kort_fotnot is None
    assert vy.saknas_text and vy.antagande is None


def test_oversikt_open_view_masks_few_persons_and_an_empty_selection(fixture_db):
    f = Filter(2024, [], [], [], dt.date(2024, 12, 31))
    vy = oversikt.oversikt(sammanhang(fixture_db, oppen_vy=True), f, "kostnad")
    # 5 persons in 2024, but 1 in 2023 (< 5): every card shows ..
    assert all(k.varde == ".." for k in vy.kort) and vy.kort_fotnot
    tom = oversikt.oversikt(sammanhang(fixture_db), Filter(2024, [], [], ["2321"], dt.date(2024, 12, 31)), "kostnad")
    assert tom.tomt.startswith("Urvalet har inga besök 2023 eller 2024") and not tom.kort
