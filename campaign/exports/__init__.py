"""Exports of coverage: clipping lists (CSV, XLSX, DOCX, print) and the work-summary draft.

Exports read coverage and never write it.
"""
