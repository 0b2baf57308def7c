"""Helpers that hold no models."""
