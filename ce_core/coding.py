"""Real codes: a Huffman code for a distribution, next to the ideal lengths −log₂ p.

Entropy is a lower bound on the average length of a code, not a length any code of
whole bits reaches: three equally likely outcomes have H = log₂ 3 ≈ 1.585 bits, but the
best prefix code averages 5/3 ≈ 1.667 bits (codewords 0, 10, 11). Huffman's construction
gives the shortest average among prefix codes, and that average L always satisfies
H ≤ L < H + 1.

Code lengths are counted in bits (binary digits), whatever unit the entropy is shown in:
a codeword is a string of 0s and 1s.
"""

from __future__ import annotations

import heapq
import math
from typing import NamedTuple

import numpy as np

from .information import entropy
from .validation import as_distribution


class HuffmanCode(NamedTuple):
    """A binary prefix code for a distribution, one entry per outcome (in its order)."""

    codewords: tuple[str | None, ...]  #: the 0/1 string; None for an outcome with p = 0
    lengths: np.ndarray                #: codeword lengths in bits (int); 0 where p = 0
    ideal_lengths: np.ndarray          #: −log₂ p in bits; inf where p = 0
    average_length: float              #: L = Σ p·length, bits per outcome
    entropy_bits: float                #: H(P) = Σ p·(−log₂ p), the lower bound on L
    kraft_sum: float                   #: Σ 2^−length over the coded outcomes, at most 1

    @property
    def redundancy(self) -> float:
        """L − H: the bits per outcome a code of whole bits spends above the entropy, in [0, 1)."""
        return max(self.average_length - self.entropy_bits, 0.0)   # no −1e-16 from rounding


def _huffman_lengths(p: np.ndarray) -> np.ndarray:
    """Codeword lengths from Huffman's merges, for outcomes with p > 0 (the others get 0).

    Ties are broken so the result never depends on the heap's internals: among equal
    probabilities a single outcome is merged before a merged group (the lengths spread
    less), and a later outcome before an earlier one (outcome 1 keeps the shorter code).
    """
    coded = [i for i in range(len(p)) if p[i] > 0]
    lengths = np.zeros(len(p), dtype=int)
    if len(coded) < 2:   # one possible outcome: nothing needs to be sent
        return lengths
    # heap entries: (probability, rank, outcomes under this node)
    heap = [(float(p[i]), len(p) - 1 - i, (i,)) for i in coded]
    heapq.heapify(heap)
    rank = len(p)
    while len(heap) > 1:
        p_a, _, a = heapq.heappop(heap)
        p_b, _, b = heapq.heappop(heap)
        lengths[list(a + b)] += 1    # every outcome under the new node is one bit deeper
        heapq.heappush(heap, (p_a + p_b, rank, a + b))
        rank += 1
    return lengths


def _canonical_codewords(lengths: np.ndarray, coded: np.ndarray) -> tuple[str | None, ...]:
    """The canonical prefix code with these lengths: shortest codewords first (ties in
    outcome order), each the previous one plus 1, shifted left to its length (as DEFLATE
    does). Any lengths with Kraft sum ≤ 1 give a prefix code this way."""
    words: list[str | None] = [None] * len(lengths)
    value, previous = 0, 0
    for i in sorted(np.flatnonzero(coded), key=lambda i: (lengths[i], i)):
        value <<= int(lengths[i]) - previous
        previous = int(lengths[i])
        words[i] = format(value, "b").zfill(previous) if previous else ""
        value += 1
    return tuple(words)


def huffman_code(p) -> HuffmanCode:
    r"""An optimal binary prefix code (Huffman) for the distribution ``p``.

    .. math:: L = \sum_i p_i\,\ell_i, \qquad H(P) \le L < H(P) + 1 \text{ bits}

    Huffman's construction repeatedly merges the two least likely groups; each merge
    adds one bit to every codeword in both. No prefix code has a smaller average
    length L. The ideal lengths :math:`-\log_2 p_i` are the lengths a code could use if
    codewords could be fractions of a bit; their average is the entropy.

    Parameters
    ----------
    p : array-like of shape (K,)
        A distribution. Outcomes with p = 0 never happen and get no codeword
        (``None``, length 0); if only one outcome is possible, its codeword is empty
        (length 0): nothing needs to be sent.

    Returns
    -------
    HuffmanCode
        ``codewords``, ``lengths`` and ``ideal_lengths`` per outcome, ``average_length``
        L and ``entropy_bits`` H, both in bits per outcome, and ``kraft_sum``
        :math:`\sum_i 2^{-\ell_i}` (1 for a Huffman code of two or more outcomes).

    Notes
    -----
    Lengths are in bits, never nats: a codeword is a string of binary digits. Ties
    between equal probabilities are broken deterministically (see the source), and the
    codewords are the canonical code for the lengths, so the same ``p`` always gives the
    same code.

    Examples
    --------
    Three equally likely outcomes: H = log₂ 3 = 1.585 bits, but whole bits give 5/3:

    >>> code = huffman_code([1/3, 1/3, 1/3])
    >>> code.codewords, round(code.average_length, 4), round(code.entropy_bits, 4)
    (('0', '10', '11'), 1.6667, 1.585)
    """
    q = as_distribution(p, "p")
    coded = q > 0
    lengths = _huffman_lengths(q)
    with np.errstate(divide="ignore"):   # −log₂ 0 = ∞: an outcome that never happens
        ideal = -np.log2(q)
    ideal = ideal + 0.0                  # −log₂ 1 is −0.0; show 0
    return HuffmanCode(
        codewords=_canonical_codewords(lengths, coded),
        lengths=lengths,
        ideal_lengths=ideal,
        average_length=float(np.sum(q * lengths)),
        entropy_bits=float(entropy(q, base=2)),
        kraft_sum=float(math.fsum(2.0 ** -lengths[coded])),
    )
