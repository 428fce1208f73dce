"""Ingest: claims, the network phase of a fetch, e-paper days, the write phase, the scheduler
and the health of sources."""
