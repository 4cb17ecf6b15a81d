"""Checks shared by the small-number protection tests (privacy and the analysis pages)."""

import numpy as np


def derivable_cells(hidden: np.ndarray) -> list[tuple[int, int]]:
    """Hidden cells of an extended crosstab (last row/column = totals) that the margins give away.

    Equations: each row i: sum of detail cells − total cell = 0; each column likewise. With the
    hidden cells as unknowns (matrix A_U), cell e is determined exactly iff removing its column
    lowers the rank of A_U (it is not a combination of the other unknowns' columns).
    """
    n_rows, n_cols = hidden.shape
    equations = []
    for i in range(n_rows):
        line = np.zeros((n_rows, n_cols))
        line[i, : n_cols - 1], line[i, n_cols - 1] = 1, -1
        equations.append(line.ravel())
    for j in range(n_cols):
        line = np.zeros((n_rows, n_cols))
        line[: n_rows - 1, j], line[n_rows - 1, j] = 1, -1
        equations.append(line.ravel())
    a = np.array(equations)
    unknown = np.flatnonzero(hidden.ravel())
    if unknown.size == 0:
        return []
    a_u = a[:, unknown]
    rank = np.linalg.matrix_rank(a_u)
    derivable = []
    for k, cell in enumerate(unknown):
        if np.linalg.matrix_rank(np.delete(a_u, k, axis=1)) < rank:
            derivable.append(divmod(int(cell), n_cols))
    return derivable


def med_marginaler(celler: np.ndarray) -> np.ndarray:
    """The crosstab extended with its row totals (last column) and column totals (last row)."""
    n_rows, n_cols = celler.shape
    ext = np.zeros((n_rows + 1, n_cols + 1), dtype=celler.dtype)
    ext[:n_rows, :n_cols] = celler
    ext[:n_rows, n_cols] = celler.sum(axis=1)
    ext[n_rows, :] = ext[:n_rows, :].sum(axis=0)
    return ext


def slumpad_korstabell(rng: np.random.Generator, *, max_sida: int, andel_sma: float, sma: tuple[int, int],
                       ovriga: tuple[int, int]) -> np.ndarray:
    """A random persons crosstab (2 to max_sida − 1 rows and columns) with its margins: a share
    `andel_sma` of the cells drawn from `sma`, the rest from `ovriga` (half-open ranges)."""
    n_rows, n_cols = rng.integers(2, max_sida, size=2)
    small = rng.random((n_rows, n_cols)) < andel_sma
    celler = np.where(small, rng.integers(*sma, (n_rows, n_cols)), rng.integers(*ovriga, (n_rows, n_cols)))
    return med_marginaler(celler)
