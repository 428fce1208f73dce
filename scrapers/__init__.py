"""Fetching and parsing Chinese news sites: feeds, list pages, e-papers and article pages.

This package is a library: it never imports Flask or the database. It returns dataclasses and
leaves storage to the application.
"""
