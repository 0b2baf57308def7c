"""Cairn: a platform for co-production networks."""

__version__ = "0.1.0"
