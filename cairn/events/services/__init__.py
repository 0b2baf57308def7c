"""Writes for events, one module per topic; each function owns its transaction and audit entry."""
