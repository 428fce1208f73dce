"""The one chunking helper (`campaign.core.chunks`)."""

from __future__ import annotations

import pytest

from campaign.core.chunks import chunks


def test_chunks_keep_order_and_cut_the_last_one_short():
    """Values come back in order, in lists of the size, the last one holding the rest."""
    assert list(chunks(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]


def test_chunks_of_a_generator_and_of_nothing():
    """A one-pass iterator is cut as it is read; no values give no chunk at all."""
    assert list(chunks((n * n for n in range(4)), 2)) == [[0, 1], [4, 9]]
    assert list(chunks([], 5)) == []


def test_a_chunk_size_below_one_is_refused():
    """A size of 0 would loop for ever: it is refused with a message."""
    with pytest.raises(ValueError, match="at least 1"):
        list(chunks([1, 2], 0))
