"""Small-number protection: hand-written tables with expected masks, and property tests.

The properties are the promise of beslutsstod/regler/smatalsskydd.py in the open view:
* no shown cell describes 1..smatal_grans-1 persons;
* every line (a row or column together with its total) holding a hidden cell holds ≥2;
* no hidden value can be computed exactly from the shown cells and totals (checked here by
  linear algebra, independently of the module's graph method).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beslutsstod import begrepp
from beslutsstod.regler import smatalsskydd
from beslutsstod.talformat import fmt_tal
from tests.privacy_checks import derivable_cells, med_marginaler, slumpad_korstabell

T = "Totalt"


# --- helpers -------------------------------------------------------------------------------


def _crosstab(counts: list[list[int]], rows: list[str], cols: list[str]) -> pd.DataFrame:
    return pd.DataFrame(counts, index=rows + [T], columns=cols + [T])


# --- single figures ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persons", "threshold", "oppen_vy", "expected"),
    [
        (0, 5, True, False),  # describes nobody
        (1, 5, True, True),
        (4, 5, True, True),
        (5, 5, True, False),  # 5 is not "fewer than 5"
        (4, 5, False, False),  # detail view shows everything
        (None, 5, True, False),  # no data = no persons
        (float("nan"), 5, True, False),
        (2, 3, True, True),
        (3, 3, True, False),
        (1, 1, True, False),  # threshold 1 hides nothing
    ],
)
def test_is_masked(persons, threshold, oppen_vy, expected):
    assert smatalsskydd.is_masked(persons, threshold, oppen_vy=oppen_vy) is expected


@pytest.mark.parametrize("threshold", [0, -1, 2.5, True])
def test_threshold_must_be_positive_integer(threshold):
    with pytest.raises(ValueError):
        smatalsskydd.is_masked(3, threshold)


def test_negative_persons_is_an_error():
    with pytest.raises(ValueError):
        smatalsskydd.is_masked(-1, 5)


def test_footnote_names_threshold_and_code():
    text = smatalsskydd.footnote_sv(5)
    assert text.startswith(".. = ")
    assert "färre än 5 personer" in text
    assert "summorna" in text
    assert begrepp.MASK == ".."


# --- long tables: hand-written ----------------------------------------------------------------


def _long(labels, persons, hours):
    return pd.DataFrame({"vistelsekommun": labels, "antal_personer": persons, "timmar": hours,
                         "kostnad_kr": [h * 454.0 for h in hours]})


def _mask_long(df, smatal_grans=5, oppen_vy=True, total=True):
    return smatalsskydd.mask_long(df, persons_col="antal_personer", value_cols=["timmar", "kostnad_kr"],
                             smatal_grans=smatal_grans, oppen_vy=oppen_vy,
                             label_col="vistelsekommun" if total else None,
                             total_label=T if total else None)


def test_long_one_small_row_hides_next_smallest_too():
    # B has 3 persons (< 5): primary. Alone, Totalt − shown = B, so the next-smallest row with
    # persons > 0 is hidden: C (7); F (0 persons) is smaller but hiding a known zero protects nothing.
    df = _long(["A", "B", "C", "D", "F", T], [12, 3, 7, 20, 0, 42], [100.0, 20.0, 50.0, 300.0, 0.0, 470.0])
    result = _mask_long(df)
    hidden_rows = result.mask.index[result.mask["timmar"]].tolist()
    assert hidden_rows == [1, 2]
    assert result.mask.loc[[1, 2], ["antal_personer", "timmar", "kostnad_kr"]].all().all()
    assert not result.mask["vistelsekommun"].any()
    assert result.data.loc[[1, 2], "timmar"].isna().all()
    assert result.data.loc[0, "timmar"] == 100.0 and result.data.loc[5, "timmar"] == 470.0
    assert result.data.loc[4, "antal_personer"] == 0  # 0 persons is shown
    assert result.footnote == smatalsskydd.footnote_sv(5)


def test_long_two_small_rows_need_nothing_more():
    # B (3) and E (2) are both primary: Totalt − shown = B + E, two unknowns already.
    df = _long(["A", "B", "C", "E", T], [12, 3, 7, 2, 24], [100.0, 20.0, 50.0, 9.0, 179.0])
    result = _mask_long(df)
    assert result.mask["timmar"].tolist() == [False, True, False, True, False]


def test_long_small_total_hides_with_its_only_row():
    # A (3) is the only row with persons; Totalt (3) is itself < 5: both hidden, 2 in the line.
    df = _long(["A", "B", T], [3, 0, 3], [20.0, 0.0, 20.0])
    assert _mask_long(df).mask["timmar"].tolist() == [True, False, True]


def test_long_total_is_last_resort():
    # A (3) hidden; the only other detail row B has 0 persons (a guessable zero), so the
    # total (6) is hidden instead: nonzero total before zero detail row.
    df = _long(["A", "B", T], [3, 0, 6], [20.0, 0.0, 20.0])
    assert _mask_long(df).mask["timmar"].tolist() == [True, False, True]


def test_long_without_total_row_assumes_total_published():
    # No total row; A (3) and C, the smallest other row (6 < 8), are hidden.
    df = _long(["A", "B", "C"], [3, 8, 6], [20.0, 60.0, 40.0])
    assert _mask_long(df, total=False).mask["timmar"].tolist() == [True, False, True]


def test_long_no_small_rows_hides_nothing():
    df = _long(["A", "B", "C", T], [5, 0, 9, 14], [20.0, 0.0, 40.0, 60.0])
    result = _mask_long(df)
    assert not result.any_masked
    assert result.footnote is None
    pd.testing.assert_frame_equal(result.data, df)


def test_long_detail_view_shows_everything():
    df = _long(["A", "B", "C", T], [1, 2, 9, 12], [2.0, 3.0, 40.0, 45.0])
    result = _mask_long(df, oppen_vy=False)
    assert not result.mask.to_numpy().any()
    pd.testing.assert_frame_equal(result.data, df)


def test_long_total_label_must_exist_once():
    df = _long(["A", "B"], [3, 8], [20.0, 60.0])
    with pytest.raises(ValueError, match="total row"):
        _mask_long(df)


def test_long_persons_may_be_missing_as_zero():
    # A LEFT JOIN gives NaN persons for a kommun without visits: read as 0, shown.
    df = _long(["A", "B", "C", T], [3.0, math.nan, 9.0, 12.0], [20.0, math.nan, 40.0, 60.0])
    assert _mask_long(df).mask["timmar"].tolist() == [True, False, True, False]


# --- crosstabs: hand-written -----------------------------------------------------------------


def test_crosstab_single_small_cell_becomes_rectangle():
    # r0c2 (3) is primary. Row r0 needs a second cell: all candidates open a new column, the
    # smallest is c0 (10). Column c0 then needs one: r2c0 (6) < r1c0 (8). Row r2 then needs one:
    # c2 (11) closes the rectangle (column c2 already has r0c2), so it beats c1 (9).
    persons = _crosstab([[10, 12, 3, 25], [8, 20, 15, 43], [6, 9, 11, 26], [24, 41, 29, 94]],
                        ["r0", "r1", "r2"], ["c0", "c1", "c2"])
    mask = smatalsskydd.crosstab_mask(persons, smatal_grans=5)
    expected = np.array([[1, 0, 1, 0], [0, 0, 0, 0], [1, 0, 1, 0], [0, 0, 0, 0]], dtype=bool)
    np.testing.assert_array_equal(mask.to_numpy(), expected)
    assert derivable_cells(expected) == []


def test_crosstab_bridge_between_blocks_is_closed():
    # Two 2×2 blocks of small cells joined by r0c2 (4): every line has 0 or ≥2 hidden cells,
    # yet r0c2 = (r0 + r1 totals) − (c0 + c1 totals) − shown cells. The fix hides the smallest
    # cell between the blocks (rows r2,r3 × columns c0,c1: 9, 8, 7, 6) → r3c1 (6).
    counts = [
        [2, 3, 4, 10, 19],  # 2+3+4+10 = 19
        [1, 2, 9, 8, 20],  # 1+2+9+8 = 20
        [9, 8, 3, 2, 22],  # 9+8+3+2 = 22
        [7, 6, 4, 1, 18],  # 7+6+4+1 = 18
        [19, 19, 20, 21, 79],  # column sums; 19+20+22+18 = 79
    ]
    persons = _crosstab(counts, ["r0", "r1", "r2", "r3"], ["c0", "c1", "c2", "c3"])
    primary = (np.array(counts) >= 1) & (np.array(counts) < 5)
    assert derivable_cells(primary) == [(0, 2)]  # the test helper sees the leak
    mask = smatalsskydd.crosstab_mask(persons, smatal_grans=5).to_numpy()
    expected = primary.copy()
    expected[3, 1] = True
    np.testing.assert_array_equal(mask, expected)
    assert derivable_cells(mask) == []


def test_crosstab_small_margin_hides_line():
    # Month "jan" has 3 persons in total; its only nonzero cell (3) and its total are hidden,
    # and the columns they sit in need a second hidden cell each.
    persons = _crosstab([[3, 0, 3], [20, 12, 30], [23, 12, 33]], ["jan", "jul"], ["1401", "1402"])
    mask = smatalsskydd.crosstab_mask(persons).to_numpy()
    # jan: 1401 (3) and Totalt (3) primary. Column 1401 needs one more: jul/1401 (20) beats
    # Totalt/1401 (a total). Row jul then needs one more: jul/Totalt (30) closes the rectangle
    # (column Totalt already has jan/Totalt), so it beats jul/1402 (12), which would open
    # column 1402. Result: rectangle jan/jul × 1401/Totalt.
    expected = np.array([[1, 0, 1], [1, 0, 1], [0, 0, 0]], dtype=bool)
    np.testing.assert_array_equal(mask, expected)


def test_mask_crosstab_values_and_label_order():
    # The total row may come first; labels and order of the input are kept.
    persons = pd.DataFrame([[24, 41, 29, 94], [10, 12, 3, 25], [8, 20, 15, 43], [6, 9, 11, 26]],
                           index=[T, "r0", "r1", "r2"], columns=["c0", "c1", "c2", T])
    hours = persons * 10.0
    result = smatalsskydd.mask_crosstab(hours, persons, smatal_grans=5)
    assert list(result.data.index) == [T, "r0", "r1", "r2"]
    hidden = {(r, c) for r in result.mask.index for c in result.mask.columns if result.mask.loc[r, c]}
    assert hidden == {("r0", "c0"), ("r0", "c2"), ("r2", "c0"), ("r2", "c2")}
    assert math.isnan(result.data.loc["r0", "c2"])
    assert result.data.loc["r1", "c2"] == 150.0
    assert result.data.loc[T, T] == 940.0


def test_crosstab_detail_view_and_errors():
    persons = _crosstab([[1, 2, 3], [1, 2, 3]], ["r0"], ["c0", "c1"])
    assert not smatalsskydd.crosstab_mask(persons, oppen_vy=False).to_numpy().any()
    with pytest.raises(ValueError, match="total"):
        smatalsskydd.crosstab_mask(persons.drop(columns=T))
    with pytest.raises(ValueError, match="same rows"):
        smatalsskydd.mask_crosstab(persons.drop(index="r0"), persons)


def test_render_masked():
    df = _long(["A", "B", "C", "D", T], [12, 3, 7, 20, 42], [100.5, 20.0, 50.0, math.nan, 470.5])
    result = _mask_long(df)
    shown = smatalsskydd.render_masked(result, {"antal_personer": fmt_tal, "timmar": lambda x: fmt_tal(x, 1)},
                                  missing="–")
    assert shown["timmar"].tolist() == ["100,5", "..", "..", "–", "470,5"]
    assert shown["antal_personer"].tolist() == ["12", "..", "..", "20", "42"]
    assert shown["vistelsekommun"].tolist() == ["A", "B", "C", "D", T]
    assert shown["kostnad_kr"].tolist()[1] == ".."  # no formatter: str(), but hidden stays ".."


# --- property tests --------------------------------------------------------------------------

# Persons per cell: mostly small, so that small cells are common; sometimes large.
_persons = st.one_of(st.integers(0, 9), st.integers(0, 60))
_threshold = st.sampled_from([3, 5, 10])


def _margin(cells: list[int], share: float) -> int:
    """A total's distinct persons: between the largest cell and the sum (persons can repeat)."""
    low, high = max(cells), sum(cells)
    return low + round(share * (high - low))


@st.composite
def long_tables(draw):
    n = draw(st.integers(1, 10))
    persons = draw(st.lists(_persons, min_size=n, max_size=n))
    total = _margin(persons, draw(st.floats(0, 1)))
    hours = [p * 7.5 for p in persons]
    labels = [f"k{i}" for i in range(n)] + [T]
    return _long(labels, persons + [total], hours + [sum(hours)])


@st.composite
def crosstabs(draw):
    n_rows, n_cols = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    cells = [draw(st.lists(_persons, min_size=n_cols, max_size=n_cols)) for _ in range(n_rows)]
    share = draw(st.floats(0, 1))
    rows = [row + [_margin(row, share)] for row in cells]
    col_totals = [_margin([row[j] for row in cells], share) for j in range(n_cols)]
    grand = _margin([r[-1] for r in rows] + col_totals, share)
    return _crosstab(rows + [col_totals + [grand]], [f"m{i}" for i in range(n_rows)],
                     [f"k{j}" for j in range(n_cols)])


@settings(max_examples=200, deadline=None)
@given(long_tables(), _threshold)
def test_property_long_open_view(df, threshold):
    result = _mask_long(df, smatal_grans=threshold)
    persons = df["antal_personer"].to_numpy()
    hidden = result.mask["timmar"].to_numpy()
    primary = (persons >= 1) & (persons < threshold)
    # No shown row describes 1..smatal_grans-1 persons.
    assert hidden[primary].all()
    # Every protected column is hidden in the same rows; labels never.
    for col in ["antal_personer", "kostnad_kr"]:
        np.testing.assert_array_equal(result.mask[col].to_numpy(), hidden)
    assert not result.mask["vistelsekommun"].any()
    # The line (details + total) never holds exactly one hidden cell...
    assert hidden.sum() != 1
    # ...and a second cell is added only when needed.
    if primary.sum() != 1:
        np.testing.assert_array_equal(hidden, primary)
    else:
        assert hidden.sum() == 2
    # Shown values are untouched, hidden ones are missing.
    assert result.data.loc[hidden, "timmar"].isna().all()
    pd.testing.assert_frame_equal(result.data.loc[~hidden], df.loc[~hidden], check_dtype=False)


@settings(max_examples=200, deadline=None)
@given(crosstabs(), _threshold)
def test_property_crosstab_open_view(persons, threshold):
    hours = persons * 7.5
    result = smatalsskydd.mask_crosstab(hours, persons, smatal_grans=threshold)
    counts = persons.to_numpy()
    hidden = result.mask.to_numpy()
    # No shown cell (totals included) describes 1..smatal_grans-1 persons.
    assert hidden[(counts >= 1) & (counts < threshold)].all()
    # Every row and column line with a hidden cell has at least two.
    for line_counts in list(hidden.sum(axis=1)) + list(hidden.sum(axis=0)):
        assert line_counts != 1
    # No hidden cell can be computed exactly from the shown cells and totals.
    assert derivable_cells(hidden) == []
    # Shown values untouched, hidden ones missing.
    assert np.isnan(result.data.to_numpy()[hidden]).all()
    np.testing.assert_array_equal(result.data.to_numpy()[~hidden], hours.to_numpy()[~hidden])


@settings(max_examples=50, deadline=None)
@given(long_tables(), crosstabs(), _threshold)
def test_property_detail_view_shows_everything(df, persons, threshold):
    long_result = _mask_long(df, smatal_grans=threshold, oppen_vy=False)
    assert not long_result.mask.to_numpy().any()
    pd.testing.assert_frame_equal(long_result.data, df)
    cross = smatalsskydd.mask_crosstab(persons * 1.5, persons, smatal_grans=threshold, oppen_vy=False)
    assert not cross.mask.to_numpy().any()
    pd.testing.assert_frame_equal(cross.data, persons * 1.5)


def test_seeded_sweep_crosstabs_leak_nothing():
    # Bridges (rule 3) show up in about 1 % of random tables, too rarely for the hypothesis
    # budget above; this seeded sweep of 1 500 tables contains a dozen or more of them.
    rng = np.random.default_rng(42)
    for _ in range(1500):
        # persons additive here: one kommun each
        extended = slumpad_korstabell(rng, max_sida=7, andel_sma=0.3, sma=(1, 5), ovriga=(0, 31))
        n_rows, n_cols = extended.shape[0] - 1, extended.shape[1] - 1
        persons = _crosstab(extended.tolist(), [f"m{i}" for i in range(n_rows)], [f"k{j}" for j in range(n_cols)])
        hidden = smatalsskydd.crosstab_mask(persons, smatal_grans=5).to_numpy()
        assert hidden[(extended >= 1) & (extended < 5)].all()
        assert derivable_cells(hidden) == [], extended


def test_interval_protection_widens_narrow_bands():
    # Seeded random month × kommun tables with kronor per person varying 100-fold, so that a
    # small cell's hidden partners are sometimes tiny and bound it tightly. For every table the
    # protected mask (the public view's) hides every small cell, leaves no hidden cell exactly
    # derivable, and no 1–4-person cell in a band narrower than its value. (It need not contain
    # the plain mask: a forced cell changes the greedy choice of the secondary cells.)
    rng = np.random.default_rng(7)
    fixed = 0
    for _ in range(40):
        ext = slumpad_korstabell(rng, max_sida=6, andel_sma=0.3, sma=(1, 5), ovriga=(0, 31))
        cells = ext[:-1, :-1]
        n_rows, n_cols = cells.shape
        kronor = med_marginaler(cells * rng.choice([50.0, 500.0, 5000.0], size=(n_rows, n_cols)))
        labels = ([f"m{i}" for i in range(n_rows)], [f"k{j}" for j in range(n_cols)])
        persons, values = _crosstab(ext.tolist(), *labels), _crosstab(kronor.tolist(), *labels)
        plain = smatalsskydd.crosstab_mask_shown_total(persons, 5, True)
        protected = smatalsskydd.crosstab_mask_protected(persons, values, 5, True)
        assert smatalsskydd.narrow_hidden_cell(values, protected, persons, 5) is None
        assert derivable_cells(protected.to_numpy()) == []
        assert protected.to_numpy()[(ext >= 1) & (ext < 5)].all()
        fixed += smatalsskydd.narrow_hidden_cell(values, plain, persons, 5) is not None
    assert fixed >= 2  # the sweep does contain tables the plain rules leave too narrow
    assert not smatalsskydd.crosstab_mask_protected(persons, values, 5, False).to_numpy().any()
