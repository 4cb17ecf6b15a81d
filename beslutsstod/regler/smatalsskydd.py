"""Small-number protection (Kolada style) for tables in the open (political) view.

Committee papers are public documents, so in the open view and its exports no figure may
describe fewer than `smatal_grans` persons (DESIGN §5, cross-cutting). This module decides which
cells to hide; renderers show a hidden cell as `MASK` ("..") with `footnote_sv(smatal_grans)`.
The detail view for officials hides nothing: every masking function takes `oppen_vy` and returns the
table untouched (an all-False mask) when it is False.

Input is always a small aggregate table (one row per kommun, month, insats ...), never visits.
Three shapes are supported:

* long (`mask_long`): one row per group plus, optionally, one total row. Each value column is
  one line: detail cells sum to the total.
* crosstab (`crosstab_mask`, `mask_crosstab`): rows × columns (month × kommun, insats × regi)
  with a total row and a total column. Every row and every column, *including its total
  cell*, is one line: its detail cells sum to its total cell.
* lines that share cells (`hide_in_lines`): e.g. a year total shared by its insats rows and its
  regi rows. `crosstab_mask_shown_total` is `crosstab_mask` for a crosstab whose grand total is
  published on other pages, so that total is never the cell that protects another.

Rules, applied in this order until nothing changes:

1. Primary suppression: a cell whose persons count is 1..smatal_grans-1 is hidden (in the long
   form: every protected cell of that row, the persons cell included). 0 persons describes
   nobody and is shown.
2. Secondary suppression: a line with exactly one hidden cell gets a second one, so that
   "total − shown cells" is a sum of at least two unknowns. The extra cell is the one that
   costs least: a cell with persons > 0 before a cell with 0 persons (a reader can often guess
   that an empty cell is 0, so hiding it protects nothing); in a crosstab, a cell whose
   crossing line already has a hidden cell (it closes a rectangle instead of opening a new
   line that needs a cell of its own); a detail cell before a total; then the smallest
   persons count; then table order.
3. Crosstab only: rule 2 is not enough in two dimensions. Two blocks of hidden cells joined by
   one hidden cell satisfy rule 2, yet the joining cell equals (sum of some row totals) −
   (sum of some column totals) − shown cells. A hidden cell can be computed exactly from the
   margins if and only if it is a *bridge* in the bipartite graph rows–columns whose edges are
   the hidden cells (margins count as a row and a column; the equations form a cycle space).
   Each such bridge gets one more hidden cell that closes a cycle through it.

With these rules no hidden value can be computed *exactly* from the shown cells and totals of
the same table (the tests check this by linear algebra on random tables).

Limits, by design (keep them in mind when adding tables):

* Interval disclosure is not prevented: values are non-negative, so two hidden cells summing
  to a small number bound each other.
* Two hidden cells may together describe fewer than `smatal_grans` persons (e.g. 1 + 2 persons);
  their sum is then published as "total − shown". This is the accepted Kolada level.
* Protection is per table. The same figures broken down differently in another table or page
  (linked tables), or a total shown elsewhere (a KPI card), can combine into a disclosure.
  Pages must take the protected table's cells, not recompute totals from unmasked data.
* One level of totals only; subtotals (hierarchies) are not handled.
* Distinct persons are not additive (one person can stay in two kommuner), so a total row's
  persons count comes from the query, not from summing rows. Missing persons (NaN, e.g. an
  absent combination after a pivot) are read as 0.
* In the long form without a total row, the rules still assume the total is published
  somewhere; a single detail row that is hidden while its total is shown elsewhere cannot be
  protected here: mask that total with `is_masked` too.
* The choice of extra cells is a greedy heuristic, not the minimum loss of information.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from numbers import Real

import numpy as np
import pandas as pd

from beslutsstod.begrepp import MASK, TOTALT, saknas

STANDARD_SMATAL_GRANS = 5  # persons; the app reads its value from settings "smatal_grans"

FOOTNOTE_SV = (
    ".. = uppgiften visas inte, eftersom den gäller färre än {n} personer eller har dolts för "
    "att en sådan uppgift inte ska kunna räknas fram ur summorna."
)


def footnote_sv(smatal_grans: int = STANDARD_SMATAL_GRANS) -> str:
    """The Swedish footnote that explains `..` for a given smatal_grans (persons)."""
    return FOOTNOTE_SV.format(n=_check_threshold(smatal_grans))


def _check_threshold(smatal_grans: int) -> int:
    if isinstance(smatal_grans, bool) or not isinstance(smatal_grans, (int, np.integer)) or smatal_grans < 1:
        raise ValueError(f"smatal_grans must be an integer >= 1 (persons), got {smatal_grans!r}")
    return int(smatal_grans)


def _persons_value(persons: object) -> float:
    """A persons count as float; missing is 0 (no persons), negative is an error."""
    if persons is None or persons is pd.NA:
        return 0.0
    if not isinstance(persons, Real):
        raise ValueError(f"persons must be a number, got {persons!r}")
    value = float(persons)
    if math.isnan(value):
        return 0.0
    if value < 0:
        raise ValueError(f"persons cannot be negative, got {persons!r}")
    return value


def _persons_array(values: pd.Series | pd.DataFrame) -> np.ndarray:
    if not all(pd.api.types.is_numeric_dtype(t) and not pd.api.types.is_bool_dtype(t)
               for t in (values.dtypes if isinstance(values, pd.DataFrame) else [values.dtype])):
        raise ValueError("the persons counts must be numeric")
    arr = values.to_numpy(dtype=float, na_value=np.nan)
    arr = np.where(np.isnan(arr), 0.0, arr)
    if (arr < 0).any():
        raise ValueError("persons counts cannot be negative")
    return arr


def is_masked(persons: object, smatal_grans: int = STANDARD_SMATAL_GRANS, *, oppen_vy: bool = True) -> bool:
    """Whether a single figure (a KPI) describing `persons` persons is hidden in this view."""
    smatal_grans = _check_threshold(smatal_grans)
    if not oppen_vy:
        return False
    return 1 <= _persons_value(persons) < smatal_grans


@dataclass(frozen=True)
class MaskedTable:
    """A table ready to show: `data` has None/NaN in hidden cells, `mask` is True there.

    `mask` has the index and columns of `data`. `smatal_grans` is kept for the footnote.
    """

    data: pd.DataFrame
    mask: pd.DataFrame
    smatal_grans: int

    @property
    def any_masked(self) -> bool:
        return bool(self.mask.to_numpy().any())

    @property
    def footnote(self) -> str | None:
        """`footnote_sv(smatal_grans)` when some cell is hidden, else None (nothing to explain)."""
        return footnote_sv(self.smatal_grans) if self.any_masked else None


def apply_mask(df: pd.DataFrame, mask: pd.DataFrame) -> pd.DataFrame:
    """A copy of `df` with the cells where `mask` is True set to missing (NaN/None)."""
    if not (mask.index.equals(df.index) and mask.columns.equals(df.columns)):
        raise ValueError("mask must have the same index and columns as the table")
    out = df.copy()
    for position, column in enumerate(df.columns):
        hidden = mask.iloc[:, position].to_numpy(dtype=bool)
        if hidden.any():
            out.isetitem(position, df.iloc[:, position].mask(hidden))
    return out


def _require_unique_labels(df: pd.DataFrame, what: str) -> None:
    if not df.columns.is_unique:
        raise ValueError(f"{what}: column labels must be unique")


# --- long form -----------------------------------------------------------------------------


def mask_long(
    df: pd.DataFrame,
    *,
    persons_col: str,
    value_cols: Sequence[str],
    smatal_grans: int = STANDARD_SMATAL_GRANS,
    oppen_vy: bool = True,
    label_col: str | None = None,
    total_label: Hashable | None = None,
) -> MaskedTable:
    """Protect a long table: one row per group and optionally one total row.

    `persons_col` holds the distinct persons of each row; it and `value_cols` are the protected
    cells (hidden together, row by row). Other columns (labels) are never hidden. The total row,
    if any, is the row where `label_col` equals `total_label`; it is checked like any row and
    hidden only when it describes too few persons or as the last resort of rule 2.
    """
    smatal_grans = _check_threshold(smatal_grans)
    _require_unique_labels(df, "mask_long")
    protected = [persons_col] + [c for c in value_cols if c != persons_col]
    missing = [c for c in protected if c not in df.columns]
    if missing:
        raise ValueError(f"mask_long: columns not in the table: {missing}")
    if (label_col is None) != (total_label is None):
        raise ValueError("mask_long: give both label_col and total_label, or neither")

    n_rows = len(df)
    is_total = np.zeros(n_rows, dtype=bool)
    if label_col is not None:
        if label_col not in df.columns:
            raise ValueError(f"mask_long: label column {label_col!r} not in the table")
        is_total = (df[label_col] == total_label).to_numpy(dtype=bool, na_value=False)
        if is_total.sum() != 1:
            raise ValueError(f"mask_long: expected exactly one total row {total_label!r}, "
                             f"found {int(is_total.sum())}")

    hidden = np.zeros(n_rows, dtype=bool)
    if oppen_vy:
        persons = _persons_array(df[persons_col])
        hidden = (persons >= 1) & (persons < smatal_grans)
        if hidden.sum() == 1:
            # Rule 2: total − shown rows would equal the one hidden row.
            candidates = [i for i in range(n_rows) if not hidden[i]]
            if candidates:
                pick = min(candidates, key=lambda i: (persons[i] == 0, is_total[i], persons[i], i))
                hidden[pick] = True

    mask_values = np.zeros(df.shape, dtype=bool)
    for column in protected:
        mask_values[:, df.columns.get_loc(column)] = hidden
    mask = pd.DataFrame(mask_values, index=df.index, columns=df.columns)
    return MaskedTable(apply_mask(df, mask), mask, smatal_grans)


# --- crosstab ------------------------------------------------------------------------------


def crosstab_mask(
    persons: pd.DataFrame,
    *,
    smatal_grans: int = STANDARD_SMATAL_GRANS,
    oppen_vy: bool = True,
    total_label: Hashable = TOTALT,
) -> pd.DataFrame:
    """The hidden cells (True) of a crosstab, from its persons counts per cell.

    `persons` is wide: index = row groups, columns = column groups, and it includes the total
    row (index label `total_label`) and the total column (column label `total_label`), whose
    counts come from the query (distinct persons are not additive). The mask depends on persons
    only, so one mask serves every value shown for the same cells (hours, kronor, persons).
    """
    smatal_grans = _check_threshold(smatal_grans)
    _require_unique_labels(persons, "crosstab_mask")
    if not persons.index.is_unique:
        raise ValueError("crosstab_mask: row labels must be unique")
    if total_label not in persons.index or total_label not in persons.columns:
        raise ValueError(f"crosstab_mask: the table needs a total row and a total column "
                         f"labelled {total_label!r}")
    if len(persons.index) < 2 or len(persons.columns) < 2:
        raise ValueError("crosstab_mask: the table needs at least one detail row and column")
    if not oppen_vy:
        return pd.DataFrame(False, index=persons.index, columns=persons.columns)

    # Internal layout: detail rows/columns first, the total row/column last.
    rows = [r for r in persons.index if r != total_label] + [total_label]
    cols = [c for c in persons.columns if c != total_label] + [total_label]
    counts = _persons_array(persons.loc[rows, cols])
    hidden = _suppress_crosstab(counts, smatal_grans)
    return (pd.DataFrame(hidden, index=pd.Index(rows, name=persons.index.name),
                         columns=pd.Index(cols, name=persons.columns.name))
            .loc[persons.index, persons.columns])


def mask_crosstab(
    values: pd.DataFrame,
    persons: pd.DataFrame,
    *,
    smatal_grans: int = STANDARD_SMATAL_GRANS,
    oppen_vy: bool = True,
    total_label: Hashable = TOTALT,
) -> MaskedTable:
    """Protect a crosstab of `values` whose cells describe `persons` (same labels, margins included)."""
    if set(values.index) != set(persons.index) or set(values.columns) != set(persons.columns):
        raise ValueError("mask_crosstab: values and persons must have the same rows and columns")
    mask = crosstab_mask(persons, smatal_grans=smatal_grans, oppen_vy=oppen_vy, total_label=total_label)
    mask = mask.loc[values.index, values.columns]
    return MaskedTable(apply_mask(values, mask), mask, _check_threshold(smatal_grans))


def _suppress_crosstab(counts: np.ndarray, smatal_grans: int) -> np.ndarray:
    """Rules 1–3 on a persons array whose last row and last column are the totals."""
    hidden = (counts >= 1) & (counts < smatal_grans)
    while True:
        cell = _complete_single_line(counts, hidden)
        if cell is None:
            cell = _close_bridge(counts, hidden)
        if cell is None:
            return hidden
        hidden[cell] = True  # each pass hides one more cell, so the loop ends


def _complete_single_line(counts: np.ndarray, hidden: np.ndarray) -> tuple[int, int] | None:
    """Rule 2: the cell to hide in the first line that has exactly one hidden cell."""
    n_rows, n_cols = counts.shape
    row_hidden = hidden.sum(axis=1)
    col_hidden = hidden.sum(axis=0)

    def cost(i: int, j: int, crossing_hidden: int) -> tuple:
        is_total = i == n_rows - 1 or j == n_cols - 1
        return (counts[i, j] == 0, crossing_hidden == 0, is_total, counts[i, j], i, j)

    for i in np.flatnonzero(row_hidden == 1):
        cells = [(int(i), j) for j in range(n_cols) if not hidden[i, j]]
        return min(cells, key=lambda c: cost(*c, col_hidden[c[1]]))
    for j in np.flatnonzero(col_hidden == 1):
        cells = [(i, int(j)) for i in range(n_rows) if not hidden[i, j]]
        return min(cells, key=lambda c: cost(*c, row_hidden[c[0]]))
    return None


def _close_bridge(counts: np.ndarray, hidden: np.ndarray) -> tuple[int, int] | None:
    """Rule 3: a cell that puts the first bridge (exactly derivable hidden cell) on a cycle.

    Nodes 0..n_rows-1 are rows, n_rows.. are columns; each hidden cell is an edge. Removing a
    bridge (r, c) splits its component into A (with row r) and B (with column c); hiding a cell
    (row in B, column in A) makes a cycle r–c…row–column…r. Called only when every line has 0
    or ≥2 hidden cells, so B has a row and A has a column.
    """
    n_rows, n_cols = counts.shape
    edges = [(int(i), n_rows + int(j)) for i, j in zip(*np.nonzero(hidden))]
    bridge = _first_bridge(n_rows + n_cols, edges)
    if bridge is None:
        return None
    r, c = edges[bridge]
    adjacency: list[list[int]] = [[] for _ in range(n_rows + n_cols)]
    for k, (u, v) in enumerate(edges):
        if k != bridge:
            adjacency[u].append(v)
            adjacency[v].append(u)
    side_a, side_b = _component(adjacency, r), _component(adjacency, c)
    cells = [(i, j - n_rows) for i in side_b if i < n_rows for j in side_a if j >= n_rows
             if not hidden[i, j - n_rows]]
    if not cells:  # cannot happen after rule 2 (see docstring); fail loudly rather than leak
        raise RuntimeError("crosstab suppression: no cell closes the cycle")

    def cost(cell: tuple[int, int]) -> tuple:
        i, j = cell
        return (counts[i, j] == 0, i == n_rows - 1 or j == n_cols - 1, counts[i, j], i, j)

    return min(cells, key=cost)


def _component(adjacency: list[list[int]], start: int) -> set[int]:
    seen, stack = {start}, [start]
    while stack:
        for w in adjacency[stack.pop()]:
            if w not in seen:
                seen.add(w)
                stack.append(w)
    return seen


def _first_bridge(n_nodes: int, edges: list[tuple[int, int]]) -> int | None:
    """Index of the lowest-numbered bridge edge (Tarjan's low-link, iterative), or None."""
    adjacency: list[list[tuple[int, int]]] = [[] for _ in range(n_nodes)]
    for k, (u, v) in enumerate(edges):
        adjacency[u].append((v, k))
        adjacency[v].append((u, k))
    discovered = [-1] * n_nodes
    low = [0] * n_nodes
    clock = 0
    bridges: list[int] = []
    for start in range(n_nodes):
        if discovered[start] != -1:
            continue
        discovered[start] = low[start] = clock
        clock += 1
        stack = [(start, -1, iter(adjacency[start]))]
        while stack:
            node, via_edge, neighbours = stack[-1]
            descended = False
            for other, edge in neighbours:
                if edge == via_edge:
                    continue
                if discovered[other] == -1:
                    discovered[other] = low[other] = clock
                    clock += 1
                    stack.append((other, edge, iter(adjacency[other])))
                    descended = True
                    break
                low[node] = min(low[node], discovered[other])
            if descended:
                continue
            stack.pop()
            if stack:
                parent = stack[-1][0]
                low[parent] = min(low[parent], low[node])
                if low[node] > discovered[parent]:
                    bridges.append(via_edge)
    return min(bridges) if bridges else None


# --- display -------------------------------------------------------------------------------


def render_masked(
    table: MaskedTable,
    formatters: Callable[[object], str] | Mapping[Hashable, Callable[[object], str]],
    *,
    missing: str = "",
) -> pd.DataFrame:
    """The table as display strings: hidden cells `..`, other values through a formatter.

    `formatters` is one function for every numeric column, or a mapping column → function.
    Columns without a formatter show `str(value)`; a missing value that is not hidden shows
    `missing` (the caller may pass formatting.SAKNAS, "–").
    """
    data, mask = table.data, table.mask
    out = pd.DataFrame(index=data.index)
    for position, column in enumerate(data.columns):
        if isinstance(formatters, Mapping):
            formatter = formatters.get(column)
        else:
            dtype = data.iloc[:, position].dtype
            numeric = pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)
            formatter = formatters if numeric else None
        hidden = mask.iloc[:, position].to_numpy(dtype=bool)
        texts = []
        for value, is_hidden in zip(data.iloc[:, position].tolist(), hidden):
            if is_hidden:
                texts.append(MASK)
            elif saknas(value):
                texts.append(missing)
            else:
                texts.append(formatter(value) if formatter is not None else str(value))
        out[position] = pd.Series(texts, index=data.index, dtype=object)
    out.columns = data.columns
    return out


# --- lines that share cells (tables whose totals appear in other tables) -------------------------

Line = tuple[Hashable, Sequence[Hashable]]  # (total cell, detail cells): details sum to the total


def hide_in_lines(personer: Mapping[Hashable, float], linjer: Iterable[Line], smatal_grans: int, *,
                  oppen_vy: bool = True, tvingade: Iterable[Hashable] = ()) -> set[Hashable]:
    """The cells to hide: primary (1..smatal_grans-1 persons), forced, then secondary until stable.

    `personer` maps every cell to the distinct persons it describes (missing/NaN = 0). A line
    that holds exactly one hidden cell gets one more: a cell with persons before an empty one
    (an empty cell is a known 0 and protects nothing), a detail before the total, then the
    fewest persons, then the order of the line. In the detail view nothing is hidden.
    """
    smatal_grans = int(smatal_grans)
    if smatal_grans < 1:
        raise ValueError(f"smatal_grans must be >= 1 persons, got {smatal_grans}")
    if not oppen_vy:
        return set()

    def antal(cell: Hashable) -> float:
        value = personer.get(cell, 0)
        return 0.0 if value is None or pd.isna(value) else float(value)

    linjer = [(total, list(detaljer)) for total, detaljer in linjer]
    dolda = {c for c in personer if 1 <= antal(c) < smatal_grans} | set(tvingade)
    andrat = True
    while andrat:
        andrat = False
        for total, detaljer in linjer:
            celler = [*detaljer, total]
            if sum(c in dolda for c in celler) != 1:
                continue
            kandidater = [(antal(c) == 0, c == total, antal(c), k, c)
                          for k, c in enumerate(celler) if c not in dolda]
            if kandidater:
                dolda.add(min(kandidater, key=lambda t: t[:4])[4])
                andrat = True
    return dolda


def crosstab_mask_shown_total(persons: pd.DataFrame, smatal_grans: int, oppen_vy: bool) -> pd.DataFrame:
    """``crosstab_mask``, except that the grand total is never the cell that protects.

    The grand total of the month × kommun table is published elsewhere for the same filters
    (Översikt's cards, the yearly totals on the other pages), so hiding it as a secondary cell
    protects nothing. When the crosstab picks it, the smallest shown margin cell is hidden
    instead (as if it were small) and the crosstab is run again, until the grand total is shown
    or is itself small.
    """
    tvingade: list[tuple] = []
    while True:
        p = persons.copy()
        for cell in tvingade:
            p.loc[cell] = 1  # 1 person: hidden by rule 1 (smatal_grans ≥ 2 whenever anything is hidden)
        mask = crosstab_mask(p, smatal_grans=smatal_grans, oppen_vy=oppen_vy)
        if not mask.loc[TOTALT, TOTALT] or persons.loc[TOTALT, TOTALT] < smatal_grans:
            return mask
        marginaler = [(r, TOTALT) for r in persons.index] + [(TOTALT, k) for k in persons.columns]
        kandidater = [(persons.loc[c], str(c), c) for c in marginaler
                      if c != (TOTALT, TOTALT) and not mask.loc[c] and persons.loc[c] > 0]
        if not kandidater:
            return mask
        tvingade.append(min(kandidater)[2])


# --- interval protection (the protected public view) ------------------------------------------


def narrow_hidden_cell(values: pd.DataFrame, mask: pd.DataFrame, persons: pd.DataFrame, smatal_grans: int, *,
                       share: float = 1.0, total_label: Hashable = TOTALT) -> tuple | None:
    """The first small cell that the shown cells bound too tightly, or None.

    `values` is a crosstab of a non-negative additive measure (kronor) with its total row and
    column; `mask` its hidden cells; `persons` the persons per cell. A reader knows every shown
    cell, every shown total and that no detail cell is negative; linear programming (HiGHS)
    gives the smallest and largest value a hidden cell can then have. A hidden cell that
    describes 1..smatal_grans-1 persons (the cells the protection is for; a secondary cell needs
    none) and whose band is narrower than `share` × its own value is returned (row, column).
    """
    from scipy.optimize import linprog  # only the protected view needs it

    rows = [r for r in values.index if r != total_label]
    cols = [c for c in values.columns if c != total_label]
    v = values.loc[rows + [total_label], cols + [total_label]].to_numpy(dtype=float, na_value=np.nan)
    v = np.where(np.isnan(v), 0.0, v)
    m = mask.loc[rows + [total_label], cols + [total_label]].to_numpy(dtype=bool)
    small = _persons_array(persons.loc[rows + [total_label], cols + [total_label]])
    small = (small >= 1) & (small < smatal_grans)
    n_r, n_c = len(rows), len(cols)
    unknown = [(i, j) for i in range(n_r) for j in range(n_c) if m[i, j]]
    if not unknown:
        return None
    col_of = {cell: k for k, cell in enumerate(unknown)}

    def covered(i: int, j: int) -> list[tuple[int, int]]:
        """Detail cells summed by cell (i, j) of the extended table."""
        ii = range(n_r) if i == n_r else [i]
        jj = range(n_c) if j == n_c else [j]
        return [(a, b) for a in ii for b in jj]

    a_eq, b_eq = [], []
    for i in range(n_r + 1):
        for j in range(n_c + 1):
            if m[i, j] or (i < n_r and j < n_c):
                continue  # hidden, or a shown detail cell (a known constant)
            row = np.zeros(len(unknown))
            known = 0.0
            for cell in covered(i, j):
                if cell in col_of:
                    row[col_of[cell]] = 1
                else:
                    known += v[cell]
            if row.any():
                a_eq.append(row)
                b_eq.append(v[i, j] - known)
    a_eq_arr = np.array(a_eq) if a_eq else None
    b_eq_arr = np.array(b_eq) if b_eq else None
    for i in range(n_r + 1):
        for j in range(n_c + 1):
            if not m[i, j] or not small[i, j] or v[i, j] <= 0:
                continue
            objective = np.zeros(len(unknown))
            known = 0.0  # shown detail cells inside a hidden total
            for cell in covered(i, j):
                if cell in col_of:
                    objective[col_of[cell]] = 1
                else:
                    known += v[cell]
            # The band is [lo, hi] with lo ≤ value ≤ hi. hi ≥ value + share × value settles it
            # without the second program (the common case: a hidden partner cell is large).
            hi = known + _lp_bound(linprog, objective, a_eq_arr, b_eq_arr, maximize=True)
            if hi >= (1 + share) * v[i, j]:
                continue
            lo = known + _lp_bound(linprog, objective, a_eq_arr, b_eq_arr, maximize=False)
            if hi - lo < share * v[i, j] - 0.5:  # kronor: half a krona for rounding
                return ((rows + [total_label])[i], (cols + [total_label])[j])
    return None


def _lp_bound(linprog, objective: np.ndarray, a_eq, b_eq, *, maximize: bool) -> float:
    """The smallest or largest objective · x over x ≥ 0 with a_eq x = b_eq (inf when unbounded)."""
    res = linprog(-objective if maximize else objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
    if maximize and res.status == 3:
        return math.inf  # no shown figure limits it
    if res.status != 0:  # cannot happen for a consistent table; never treat it as safe
        raise RuntimeError(f"interval protection: {res.message}")
    return -res.fun if maximize else res.fun


def crosstab_mask_protected(persons: pd.DataFrame, values: pd.DataFrame, smatal_grans: int, oppen_vy: bool) -> pd.DataFrame:
    """``crosstab_mask_shown_total``, plus interval protection for the protected public view.

    While some hidden small cell is bounded to a band narrower than its own value
    (`narrow_hidden_cell`), the largest shown detail cell in the same row or column (for a
    hidden total: in its line; when none is left, the largest shown total there) is hidden
    too, and the crosstab rules run again (a newly hidden cell must not be the one lonely
    hidden cell of its other line). Each round hides one more cell, so the loop ends.
    """
    mask = crosstab_mask_shown_total(persons, smatal_grans, oppen_vy)
    tvingade: list[tuple] = []
    while oppen_vy and mask.to_numpy().any():
        smal = narrow_hidden_cell(values, mask, persons, smatal_grans)
        if smal is None:
            return mask
        rad, kol = smal
        i_linjerna = [(r, k) for r in values.index for k in values.columns
                      if (r, k) != (TOTALT, TOTALT) and not mask.loc[r, k]
                      and (r == rad or k == kol or (rad == TOTALT and kol == TOTALT))
                      and float(np.nan_to_num(values.loc[r, k])) > 0]
        # a detail cell first; a total (row or column) only when the cell's lines have none left
        detaljer = ([c for c in i_linjerna if TOTALT not in c]
                    or [c for c in i_linjerna if c[0] == TOTALT or c[1] == TOTALT])
        if not detaljer:
            return mask  # nothing left to hide in its lines; the leak test reports such a table
        tvingade.append(max(detaljer, key=lambda c: (float(values.loc[c]), str(c))))
        p = persons.copy()
        for cell in tvingade:
            p.loc[cell] = 1  # 1 person: hidden by rule 1 (smatal_grans ≥ 2 whenever anything is hidden)
        mask = crosstab_mask_shown_total(p, smatal_grans, oppen_vy)
    return mask
