"""vyer/tabell.py and the protection the analysis pages share: linked lines, display, export.

Property (hypothesis) for ``smatalsskydd.hide_in_lines`` on the tree-shaped line systems the pages use
(total = Σ regi subtotals, subtotal = Σ utförare, chosen utförare = Σ months; a year's total
shared by its insats line and its regi line): no shown cell describes 1..smatal_grans-1 persons, no
line holds exactly one hidden cell, and no hidden value can be computed exactly from the shown
cells (linear algebra, independent of the module's rule).
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from beslutsstod.regler import smatalsskydd
from beslutsstod.vyer import tabell
from beslutsstod.vyer.kostnader import kostnader_per_ar
from tests.test_vyer_kostnader import ET, _per_ar_rader

# --- linear-algebra check of "derivable" ------------------------------------------------------


def derivable(cells: list, linjer: list, dolda: set) -> list:
    """Hidden cells determined exactly by the line equations (detail sum − total = 0).

    With the hidden cells as unknowns (matrix A_U, one column each), a cell is determined iff
    removing its column lowers the rank of A_U.
    """
    index = {c: i for i, c in enumerate(cells)}
    a = np.zeros((len(linjer), len(cells)))
    for r, (total, detaljer) in enumerate(linjer):
        for d in detaljer:
            a[r, index[d]] = 1
        a[r, index[total]] = -1
    unknown = [index[c] for c in cells if c in dolda]
    if not unknown:
        return []
    a_u = a[:, unknown]
    rank = np.linalg.matrix_rank(a_u)
    return [cells[u] for k, u in enumerate(unknown) if np.linalg.matrix_rank(np.delete(a_u, k, axis=1)) < rank]


# --- smatalsskydd.hide_in_lines: hand cases ---------------------------------------------------------------


def test_single_small_cell_gets_smallest_other_detail():
    personer = {"T": 40, "a": 3, "b": 20, "c": 17}
    assert smatalsskydd.hide_in_lines(personer, [("T", ["a", "b", "c"])], 5) == {"a", "c"}


def test_shared_subtotal_propagates_through_the_tree():
    # egen regi has one utförare E with 3 persons: E and its subtotal R1 are primary. The top
    # line then holds one hidden cell (R1) → the smaller other subtotal R2 (12) is hidden; R2's
    # line then holds one → its smallest utförare P2 (5) is hidden.
    personer = {"T": 35, "R1": 3, "R2": 12, "R3": 20, "E": 3, "P1": 7, "P2": 5, "V1": 20}
    linjer = [("T", ["R1", "R2", "R3"]), ("R1", ["E"]), ("R2", ["P1", "P2"]), ("R3", ["V1"])]
    dolda = smatalsskydd.hide_in_lines(personer, linjer, 5)
    assert dolda == {"R1", "E", "R2", "P2"}
    assert derivable(list(personer), linjer, dolda) == []


def test_empty_cells_last_and_total_before_nothing():
    # a hidden detail whose only other cell with persons is the total: the total is hidden,
    # an empty cell (0 persons, a known zero) is not used.
    assert smatalsskydd.hide_in_lines({"T": 3, "a": 3, "b": 0}, [("T", ["a", "b"])], 5) == {"T", "a"}
    assert smatalsskydd.hide_in_lines({"T": 8, "a": 2, "b": 0}, [("T", ["a", "b"])], 5) == {"a", "T"}


def test_detail_view_and_forced_cells():
    personer = {"T": 40, "a": 3, "b": 20, "c": 17}
    assert smatalsskydd.hide_in_lines(personer, [("T", ["a", "b", "c"])], 5, oppen_vy=False) == set()
    assert smatalsskydd.hide_in_lines({"T": 40, "a": 30, "b": 10}, [("T", ["a", "b"])], 5, tvingade=["T"]) == {"T", "b"}
    with pytest.raises(ValueError):
        smatalsskydd.hide_in_lines(personer, [], 0)


# --- smatalsskydd.hide_in_lines: property on random trees -------------------------------------------------

_personer = st.one_of(st.integers(1, 4), st.integers(0, 40))


@st.composite
def hierarkier(draw):
    """total = Σ regi; regi = Σ utförare; optionally one utförare = Σ its months."""
    n_regi = draw(st.integers(1, 4))
    personer, linjer = {}, []
    for r in range(n_regi):
        n_u = draw(st.integers(1, 4))
        u_personer = draw(st.lists(_personer, min_size=n_u, max_size=n_u))
        for i, p in enumerate(u_personer):
            personer[("u", r, i)] = p
        # distinct persons: a subtotal is at least the largest part and at most the sum
        personer[("r", r)] = draw(st.integers(max(u_personer), max(sum(u_personer), max(u_personer))))
        linjer.append((("r", r), [("u", r, i) for i in range(n_u)]))
    subtotals = [personer[("r", r)] for r in range(n_regi)]
    personer[("t",)] = draw(st.integers(max(subtotals), max(sum(subtotals), max(subtotals))))
    linjer.insert(0, (("t",), [("r", r) for r in range(n_regi)]))
    if draw(st.booleans()):
        vald = ("u", 0, 0)
        manader = draw(st.lists(st.integers(1, 12), min_size=1, max_size=6, unique=True))
        for m in manader:
            personer[("m", m)] = draw(st.integers(1, max(personer[vald], 1))) if personer[vald] else 0
        linjer.append((vald, [("m", m) for m in manader]))
    return personer, linjer


@st.composite
def ar_linjer(draw):
    """Per year: total shared by an insats line and a regi line (queries/kostnader/per_ar)."""
    personer, linjer = {}, []
    for ar in range(draw(st.integers(1, 3))):
        total = ("t", ar)
        for dim, n in (("i", draw(st.integers(1, 2))), ("r", draw(st.integers(1, 3)))):
            delar = draw(st.lists(_personer, min_size=n, max_size=n))
            for k, p in enumerate(delar):
                personer[(dim, ar, k)] = p
            linjer.append((total, [(dim, ar, k) for k in range(n)]))
        personer[total] = max(personer[k] for t, d in linjer if t == total for k in d)
    return personer, linjer


@settings(max_examples=300, deadline=None)
@given(st.one_of(hierarkier(), ar_linjer()), st.integers(2, 6))
def test_property_no_small_cell_shown_and_nothing_derivable(system, smatal_grans):
    personer, linjer = system
    dolda = smatalsskydd.hide_in_lines(personer, linjer, smatal_grans)
    for cell, p in personer.items():
        if 1 <= p < smatal_grans:
            assert cell in dolda
    for total, detaljer in linjer:
        assert sum(c in dolda for c in [total, *detaljer]) != 1
    assert derivable(list(personer), linjer, dolda) == []
    assert smatalsskydd.hide_in_lines(personer, linjer, smatal_grans, oppen_vy=False) == set()


# --- exports ---------------------------------------------------------------------------------


def test_tabellvy_export_roundtrip_with_metadata_and_mask():
    t = kostnader_per_ar(_per_ar_rader(), riktning="kostnad", dimension="insats", ar=2025, till_manad=12,
                                oppen_vy=True, smatal_grans=5, etiketter=ET)
    meta = tabell.metadata("År 2025; insats: alla", True, dt.date(2025, 12, 31), True, Prisnivå="Löpande priser")
    fil = tabell.tabellvy(t, meta)
    assert fil.filnamn == "kostnad_per_ar_och_insats"
    wb = load_workbook(io.BytesIO(fil.xlsx()))
    blad = wb.worksheets[0]
    assert [c.value for c in blad[1]][:3] == ["År", "Insats", "Kostnad (kr)"]
    assert blad["C2"].value == ".." and blad["C4"].value == 10000 and blad["C4"].number_format == "#,##0"
    om = {r[0].value: r[1].value for r in wb["Om tabellen"].iter_rows()}
    assert om["Prisnivå"] == "Löpande priser" and om["Demodata"].startswith("ja") and om["Vy"].startswith("öppen")
    assert om["Datadatum"] == "2025-12-31" and "Förklaring" in om
    assert fil.csv().startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for Excel
    rows = list(csv.reader(io.StringIO(fil.csv().decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["År", "Insats", "Kostnad (kr)"]
    assert rows[1][2] == ".." and rows[6][4] == "20"  # 2025 total change +20 %
    assert rows[4][6] == "200,00"  # 2025 hemtjänst: 2 000 kr / 10 h, an amount to the öre without grouping


def test_filnamn_is_ascii():
    assert tabell.filnamn("Kostnad per år i 2023 års priser") == "kostnad_per_ar_i_2023_ars_priser"
    assert tabell.filnamn("Åre, Älvdalen & Öckerö") == "are_alvdalen_ockero"
    assert tabell.filnamn("..") == "tabell"
