"""What the labelled worlds share: the static server behind each world's serve.py
(`worldkit.server`), the page pictures and page PDFs of their e-papers (`worldkit.pictures`),
and the fetcher-like walk their selftest.py runs (`worldkit.walk`).

A world's scripts put this folder's parent (``eval/worlds``) on ``sys.path`` and import
``worldkit.…``; everything here is Python 3.11 standard library. Nothing in it knows a world:
each world passes its own Content-Types, sheet style and sources.
"""
