"""Pieces every feature shares: column types, time zones, role checks."""
