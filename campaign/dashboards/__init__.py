"""Dashboards: what the campaign and each event got, for leaders and officers (read-only)."""
