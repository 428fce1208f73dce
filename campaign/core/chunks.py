"""Cutting a long list of values into batches (IN lists, executemany) of a bounded size."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

T = TypeVar("T")


def chunks(values: Iterable[T], size: int) -> Iterator[list[T]]:
    """`values` in order, as lists of `size` (the last may be shorter); none for no values."""
    if size < 1:
        raise ValueError(f"chunk size must be at least 1, not {size}")
    remaining = iter(values)
    while batch := list(islice(remaining, size)):
        yield batch
