"""Incidence of list cells: which node holds which item (capability, market), as a sparse 0/1 matrix."""

from __future__ import annotations

import numpy as np

__all__ = ["incidence", "items_held"]


def incidence(cells) -> tuple[list[str], "object"]:
    """Sorted item names and a sparse ``(node x item)`` 0/1 matrix from cells holding tuples of items.

    >>> items, m = incidence([("b", "a"), (), ("a",)])
    >>> items, m.toarray().tolist()
    (['a', 'b'], [[1.0, 1.0], [0.0, 0.0], [1.0, 0.0]])
    """
    from scipy.sparse import csr_matrix

    cells = list(cells)
    lengths = np.fromiter((len(t) for t in cells), dtype=np.int64, count=len(cells))
    flat = [x for t in cells for x in t]
    n = len(cells)
    if not flat:
        return [], csr_matrix((n, 0))
    items, codes = np.unique(np.asarray(flat, dtype=object).astype(str), return_inverse=True)
    rows = np.repeat(np.arange(n), lengths)
    m = csr_matrix((np.ones(len(flat)), (rows, codes.ravel())), shape=(n, len(items)))
    m.sum_duplicates()
    m.data[:] = 1.0
    return items.tolist(), m


def items_held(matrix, mask: np.ndarray) -> np.ndarray:
    """Boolean per item: held by at least one node in ``mask``.

    >>> items, m = incidence([("a",), ("b",)])
    >>> items_held(m, np.array([False, True])).tolist()
    [False, True]
    """
    rows = np.flatnonzero(mask)
    if not len(rows) or matrix.shape[1] == 0:
        return np.zeros(matrix.shape[1], dtype=bool)
    return np.asarray(matrix[rows].sum(axis=0)).ravel() > 0
