"""Bitsets: sets of up to ``k`` members as rows of ``uint64`` words, for set unions over many nodes at once.

Member ``i`` is bit ``i % 64`` of word ``i // 64``. A table of sets is a 2-D
array, one row per set; unions are ``|``, intersections ``&``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["n_words", "bit_of", "member_mask", "popcount", "unpack"]


def n_words(k: int) -> int:
    """Words needed for ``k`` members.

    >>> n_words(64), n_words(65)
    (1, 2)
    """
    return (int(k) + 63) // 64


def bit_of(members) -> tuple[np.ndarray, np.ndarray]:
    """Word index and bit mask of each member number.

    >>> word, mask = bit_of(np.array([0, 3, 64]))
    >>> word.tolist(), mask.tolist()
    ([0, 0, 1], [1, 8, 1])
    """
    members = np.asarray(members, dtype=np.int64)
    return members // 64, np.left_shift(np.uint64(1), (members % 64).astype(np.uint64))


def member_mask(members, k: int) -> np.ndarray:
    """One bitset (a row of words) holding ``members`` out of ``k``.

    >>> member_mask([0, 2], 3).tolist()
    [5]
    """
    out = np.zeros(n_words(k), dtype=np.uint64)
    word, mask = bit_of(members)
    np.bitwise_or.at(out, word, mask)
    return out


def popcount(words: np.ndarray) -> np.ndarray:
    """Members per row of a 2-D ``uint64`` array.

    >>> popcount(np.array([[5, 1], [0, 0]], dtype=np.uint64)).tolist()
    [3, 0]
    """
    if hasattr(np, "bitwise_count"):
        return np.bitwise_count(words).sum(axis=1).astype(np.int64)
    return np.unpackbits(np.ascontiguousarray(words).view(np.uint8), axis=1).sum(axis=1).astype(np.int64)


def unpack(words: np.ndarray, k: int) -> np.ndarray:
    """Rows of bitsets as a boolean ``(rows, k)`` array.

    >>> unpack(np.array([[5]], dtype=np.uint64), 3).tolist()
    [[True, False, True]]
    """
    words = np.ascontiguousarray(words, dtype=np.uint64)
    bits = np.unpackbits(words.view(np.uint8), axis=1, bitorder="little")
    return bits[:, :k].astype(bool)
