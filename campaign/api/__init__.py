"""The read-only JSON API (/api/v1/) and the per-user tokens that open it."""
