"""Article pages: search and filters, one article with its reprint group."""

from __future__ import annotations

from campaign.sources.blueprint import bp

__all__ = ["bp"]
