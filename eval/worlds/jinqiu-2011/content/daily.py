"""Ordinary news of the five outlets (plain negatives)."""

ARTICLES = []
