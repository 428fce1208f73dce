"""Source pages (admin): list with health, forms, import, add by URL, fetch now."""

from __future__ import annotations

from campaign.sources.blueprint import bp

__all__ = ["bp"]
